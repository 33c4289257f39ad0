"""``jarjesto reference``: the bundled municipalities and wellbeing areas."""

from __future__ import annotations

import datetime as dt

import click

from jarjesto_cli.context import registry
from jarjesto_cli.options import workspace_option
from jarjesto_cli.output import console, lang
from jarjesto_core.i18n import N_, translate

__all__ = ["COMMANDS"]

LANGUAGE_STATUS = {
    "fi": N_("Finnish"),
    "sv": N_("Swedish"),
    "bilingual_fi_majority": N_("bilingual, Finnish majority"),
    "bilingual_sv_majority": N_("bilingual, Swedish majority"),
}


def _t(message: str, **params: object) -> str:
    return translate(message, lang(), params)


@click.group()
def reference() -> None:
    """List the public bodies jarjesto knows: Statistics Finland's classifications.

    \b
    Examples:
      jarjesto reference municipalities --area 14
      jarjesto reference areas
      jarjesto reference parties region.json
    """


@reference.command()
@click.option(
    "--year",
    type=click.IntRange(1900, 2100),
    default=None,
    help="Classification year (default: this year; 2021–2022 use 2023's).",
)
@click.option("--area", help="Only this wellbeing area: a code (14) or a name (Pohjois-Karjala).")
@click.option("--bilingual", is_flag=True, help="Only bilingual municipalities.")
def municipalities(year: int | None, area: str | None, bilingual: bool) -> None:
    """List municipalities with code, names, language status, area and population.

    \b
    Examples:
      jarjesto reference municipalities
      jarjesto reference municipalities --year 2024 --area Pohjanmaa
      jarjesto reference municipalities --bilingual
    """
    from rich.table import Table

    from jarjesto_core.reference import bundled_reference

    ref = bundled_reference()
    year = year if year is not None else dt.date.today().year
    rows = ref.municipalities_in(year)
    if area is not None:
        found = ref.find_area(area)
        if found is None:
            raise click.BadParameter(f"no wellbeing area is called or numbered {area!r}")
        rows = tuple(m for m in rows if m.area == found.code)
    if bilingual:
        rows = tuple(m for m in rows if m.bilingual)
    table = Table(
        title=_t(
            N_("Municipalities %(year)s (%(count)s)"),
            year=ref.classification_year(year),
            count=len(rows),
        )
    )
    table.add_column(_t(N_("Code")))
    table.add_column(_t(N_("Name in Finnish")))
    table.add_column(_t(N_("Name in Swedish")))
    table.add_column(_t(N_("Language")))
    table.add_column(_t(N_("Wellbeing area")))
    table.add_column(_t(N_("Population")), justify="right")
    for m in sorted(rows, key=lambda m: m.code):
        region = ref.area(m.area)
        table.add_row(
            m.code,
            m.name.fi or "",
            m.name.sv or "",
            _t(LANGUAGE_STATUS.get(m.language, m.language)),
            f"{m.area} {region.name.pick(lang()) if region else ''}".strip(),
            str(m.population),
        )
    console().print(table)


@reference.command()
def areas() -> None:
    """List the wellbeing areas, Helsinki (90) and Åland (91), with their names.

    \b
    Examples:
      jarjesto reference areas
      jarjesto --lang sv reference areas
    """
    from rich.table import Table

    from jarjesto_core.reference import bundled_reference

    ref = bundled_reference()
    year = dt.date.today().year
    table = Table(title=_t(N_("Wellbeing areas (%(count)s)"), count=len(ref.areas)))
    table.add_column(_t(N_("Code")))
    table.add_column(_t(N_("Name in Finnish")))
    table.add_column(_t(N_("Name in Swedish")))
    table.add_column(_t(N_("Name in English")))
    table.add_column(_t(N_("Municipalities")), justify="right")
    table.add_column(_t(N_("Bilingual")))
    for a in ref.areas:
        table.add_row(
            a.code,
            a.name.fi or "",
            a.name.sv or "",
            a.name.en or "",
            str(len(ref.members(a.code, year))),
            _t(N_("yes")) if ref.area_bilingual(a.code, year) else _t(N_("no")),
        )
    console().print(table)


@reference.command()
@click.argument("dataset", required=False, type=click.Path(dir_okay=False))
@workspace_option()
@click.pass_context
def parties(ctx: click.Context, dataset: str | None, workspace: str | None) -> None:
    """List the dataset's own parties: joint municipal authorities and other funders.

    Agreements name them as joint:ID and funder:ID, or by name.

    \b
    Examples:
      jarjesto reference parties
      jarjesto reference parties region.json
      jarjesto reference parties -w region.db
    """
    from rich.table import Table

    from jarjesto_cli.sources import load_source
    from jarjesto_core.labels import FUNDER_KIND_LABELS
    from jarjesto_core.reference import bundled_reference
    from jarjesto_core.reports import DOMAIN_LABELS

    data = load_source(dataset, workspace=workspace, service_kinds=registry(ctx).service_kinds)
    ref = bundled_reference()
    joint = Table(title=_t(N_("Joint authorities (%(count)s)"), count=len(data.joint_authorities)))
    for heading in (N_("Reference"), N_("Name"), N_("Organises"), N_("Period"), N_("Members")):
        joint.add_column(_t(heading))
    for j in data.joint_authorities:
        members = []
        for code in j.members:
            m = ref.municipality(code, j.start.year)
            members.append(m.name.pick(lang()) if m is not None else code)
        joint.add_row(
            f"joint:{j.id}",
            j.name.pick(lang()),
            ", ".join(_t(DOMAIN_LABELS[d]) for d in j.organises),
            f"{j.start.isoformat()} – {j.end.isoformat() if j.end else ''}",
            ", ".join(members),
        )
    console().print(joint)
    funders = Table(title=_t(N_("Other funders (%(count)s)"), count=len(data.funders)))
    for heading in (N_("Reference"), N_("Name"), N_("Kind")):
        funders.add_column(_t(heading))
    for f in data.funders:
        funders.add_row(f"funder:{f.id}", f.name.pick(lang()), _t(FUNDER_KIND_LABELS[f.kind.value]))
    console().print(funders)


COMMANDS = [reference]
