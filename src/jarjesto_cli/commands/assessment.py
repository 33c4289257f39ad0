"""Assessment commands: ``assess``, ``gaps``, ``grants`` and ``plugins``.

Heavy modules (rich, babel, the reports) are imported inside the commands so
that ``jarjesto --help`` starts fast.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from jarjesto_cli.context import language, plugin_manager, registry
from jarjesto_cli.options import YEAR, workspace_option

if TYPE_CHECKING:
    from rich.console import Console

    from jarjesto_core.dated import DatedCounts
    from jarjesto_core.model import Dataset, PartyRef
    from jarjesto_core.reference import Reference
    from jarjesto_core.registry import Registry

__all__ = ["COMMANDS"]

LANGS = click.Choice(["fi", "sv", "en"])


def _t(ctx: click.Context, msgid: str, params: dict[str, Any] | None = None) -> str:
    from jarjesto_core.i18n import translate

    return translate(msgid, language(ctx), params)


def _console() -> Console:
    from rich.console import Console

    terminal = sys.stdout.isatty()
    return Console(highlight=False, width=None if terminal else 160, no_color=not terminal)


def _load(path: str | None, workspace: str | None, reg: Registry) -> Dataset:
    from jarjesto_cli.sources import load_source
    from jarjesto_core.i18n import N_, translate

    try:
        return load_source(path, workspace=workspace, service_kinds=reg.service_kinds)
    except FileNotFoundError:
        if path is not None or workspace is not None:
            raise
        ctx = click.get_current_context()
        raise click.ClickException(
            translate(
                N_("The bundled sample dataset is missing from this installation."), language(ctx)
            )
        ) from None


def _year(ctx: click.Context, dataset: Dataset | DatedCounts, year: int | None) -> int:
    """``year``, else the year the data open on (from the dataset, or a workspace's counts)."""
    from jarjesto_core.dated import DatedCounts
    from jarjesto_core.i18n import N_

    if year is not None:
        return year
    counts = dataset if isinstance(dataset, DatedCounts) else DatedCounts.of(dataset)
    found = counts.default_year()
    if found is None:
        raise click.UsageError(
            _t(ctx, N_("The dataset has no dated records; give the year with --year."))
        )
    return found


def _subjects(
    ctx: click.Context,
    reference: Reference,
    year: int,
    municipality: str | None,
    area: str | None,
) -> list[PartyRef]:
    from jarjesto_core.query import SubjectNotFound, find_area, find_municipality

    chosen = []
    try:
        if municipality is not None:
            chosen.append(find_municipality(reference, municipality, year))
        if area is not None:
            chosen.append(find_area(reference, area))
    except SubjectNotFound as exc:
        raise click.BadParameter(
            _t(ctx, exc.message, dict(exc.params)), param_hint=f"--{exc.option}"
        ) from None
    return chosen


@click.command("assess")
@click.argument("dataset", required=False, type=click.Path(dir_okay=False))
@workspace_option()
@click.option(
    "--year",
    type=YEAR,
    help="Year to assess. Default: the latest year with the most records in force "
    "(at most this year).",
)
@click.option("--municipality", metavar="CODE|NAME", help="Assess this municipality.")
@click.option("--area", metavar="CODE|NAME", help="Assess this wellbeing area.")
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    metavar="FORMAT",
    help="text, json, markdown, html, or a plugin's format.",
)
@click.option(
    "--lang", type=LANGS, help="Language of the report. Default: from the locale, else fi."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["not_met", "partial"]),
    help="Exit 1 when a finding is not_met (or, with partial, partial or worse).",
)
@click.option(
    "--disable-plugin",
    "disabled",
    multiple=True,
    metavar="NAME",
    help="Do not load this plugin (repeatable).",
)
@click.pass_context
def assess_command(
    ctx: click.Context,
    dataset: str | None,
    workspace: str | None,
    year: int | None,
    municipality: str | None,
    area: str | None,
    fmt: str,
    lang: str | None,
    output: str | None,
    fail_on: str | None,
    disabled: tuple[str, ...],
) -> None:
    """Assess municipalities and wellbeing areas against the rules of criteria.md.

    Without DATASET (or --workspace), assesses the bundled sample. Without --municipality or
    --area, assesses every subject the dataset touches: each municipality or
    area that is party to a record, and each municipality where an
    organisation works.

    \b
    Examples:
      jarjesto assess
      jarjesto assess region.json --municipality Joensuu --year 2024
      jarjesto assess region.json --area 14 --format html -o report.html
      jarjesto assess region.json --format json --lang sv
      jarjesto assess region.json --fail-on not_met
      jarjesto assess --workspace region.db --area 14
    """
    from jarjesto_cli.sources import chosen_workspace, from_workspace
    from jarjesto_core.assessment import CORE, assess, plugin_of
    from jarjesto_core.files import write_output
    from jarjesto_core.i18n import N_
    from jarjesto_core.reference import bundled_reference
    from jarjesto_core.rules.base import Status

    lang = language(ctx, lang)
    reg = registry(ctx, disabled)
    if fmt not in reg.report_formats:
        raise click.BadParameter(
            _t(
                ctx,
                N_("unknown report format %(name)s; choose from %(choices)s"),
                {"name": fmt, "choices": ", ".join(reg.report_formats)},
            ),
            param_hint="--format",
        )
    reference = bundled_reference()
    # One subject from a workspace, judged by jarjesto's own rules alone: only the records
    # such an assessment reads (regional rules may read anything: the whole dataset).
    scoped = chosen_workspace(dataset, workspace)
    if municipality is None and area is None:
        scoped = None
    if scoped is not None and any(plugin_of(rule.code) != CORE for rule in reg.rules.values()):
        scoped = None
    if scoped is None:
        data = _load(dataset, workspace, reg)
        year = _year(ctx, data, year)
    elif year is None:
        year = _year(ctx, from_workspace(scoped, lambda ws: ws.dated_counts()), None)
    subjects = _subjects(ctx, reference, year, municipality, area) or None
    if scoped is not None and subjects:
        place = frozenset().union(*(reference.territory(s, year) for s in subjects))
        data = from_workspace(
            scoped, lambda ws: ws.subject_dataset(place, year, reference), reg.service_kinds
        )
    result = assess(data, year, subjects, registry=reg, reference=reference)
    text = reg.report_formats[fmt].render(result, lang)
    if output is not None:
        write_output(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)
    statuses = result.statuses()
    failing = {Status.NOT_MET} | ({Status.PARTIAL} if fail_on == "partial" else set())
    if fail_on is not None and statuses & failing:
        ctx.exit(1)


_GAP_ORDER = {"blind_spot": 0, "unfunded": 1, "mismatch": 2, "ok": 3, "outside_reform": 4}


@click.command("gaps")
@click.argument("dataset", required=False, type=click.Path(dir_okay=False))
@workspace_option()
@click.option(
    "--year", type=YEAR, help="Year. Default: the latest year with the most records in force."
)
@click.option("--municipality", metavar="CODE|NAME", help="Only this municipality's pairs.")
@click.option("--area", metavar="CODE|NAME", help="Only the pairs in this area's municipalities.")
@click.option(
    "--lang", type=LANGS, help="Language of the table. Default: from the locale, else fi."
)
@click.pass_context
def gaps_command(
    ctx: click.Context,
    dataset: str | None,
    workspace: str | None,
    year: int | None,
    municipality: str | None,
    area: str | None,
    lang: str | None,
) -> None:
    """Show who is responsible for funding each (municipality, service) pair, blind spots first.

    \b
    Examples:
      jarjesto gaps
      jarjesto gaps region.json --area Pohjois-Karjala --year 2024
      jarjesto gaps region.json --municipality 167
      jarjesto gaps -w region.db --year 2024
    """
    from jarjesto_cli.output import data_table
    from jarjesto_cli.sources import chosen_workspace, from_workspace
    from jarjesto_core.labels import SERVICE_KIND_LABELS
    from jarjesto_core.labels import label as kind_label
    from jarjesto_core.model import PartyRef
    from jarjesto_core.names import Names
    from jarjesto_core.reference import bundled_reference
    from jarjesto_core.reports import DOMAIN_LABELS, HEADINGS, RESPONSIBLE_LABELS
    from jarjesto_core.resolver import FUNDING_STATUS_LABELS, FundingRow, resolve

    lang = language(ctx, lang)
    reg = registry(ctx)
    reference = bundled_reference()
    # One area's or municipality's question in a known year reads only what its funding
    # table rests on from a workspace; anything else reads the whole dataset.
    scoped = chosen_workspace(dataset, workspace)
    if scoped is None or (municipality is None and area is None):
        data = _load(dataset, workspace, reg)
        year = _year(ctx, data, year)
    elif year is None:
        year = _year(ctx, from_workspace(scoped, lambda ws: ws.dated_counts()), None)
    subjects = _subjects(ctx, reference, year, municipality, area)
    territory: set[str] | None = None
    if subjects:
        territory = set()
        for s in subjects:
            territory |= reference.territory(s, year)
    if scoped is not None and territory is not None:
        place = frozenset(territory)
        data = from_workspace(
            scoped, lambda ws: ws.funding_dataset(place, year, reference), reg.service_kinds
        )
    rows = resolve(
        data,
        reference,
        year,
        reg.service_kinds,
        default_party=reg.default_responsible,
        municipalities=territory,
    )
    rows = tuple(
        sorted(rows, key=lambda r: (_GAP_ORDER[r.status.value], r.municipality, r.service))
    )
    style: dict[str, dict[str, Any]] = {
        "blind_spot": {"fg": "red", "bold": True},
        "unfunded": {"fg": "yellow"},
        "mismatch": {"fg": "yellow"},
        "ok": {"fg": "green"},
        "outside_reform": {},
    }
    if not rows:
        click.echo(_t(ctx, HEADINGS["no_pairs"]))
        return
    columns = (
        "municipality",
        "service",
        "organisation",
        "kind",
        "domain",
        "responsible",
        "funders",
        "status",
    )
    places: dict[str, str] = {}
    labels: dict[object, str] = {}
    names = Names(data, reference, year)

    def funders(r: FundingRow) -> str:
        """By name; for a pair nobody responsible pays, who keeps it alive today."""
        text = ", ".join(names.party(p, lang) for p in r.funders)
        if not text:
            return label(HEADINGS["no_funder"])
        if r.uncovered:
            return _t(ctx, HEADINGS["funded_only_by"], {"funders": text})
        return text

    def label(msgid: str) -> str:
        """Each label translated once, not once per row."""
        if msgid not in labels:
            labels[msgid] = _t(ctx, msgid)
        return labels[msgid]

    def cells(r: FundingRow) -> list[str]:
        if r.municipality not in places:
            places[r.municipality] = names.party(PartyRef.municipality(r.municipality), lang)
        return [
            places[r.municipality],
            names.service(r.service, lang),
            names.organisation(r.organisation, lang),
            kind_label(r.kind, SERVICE_KIND_LABELS, lang),
            label(DOMAIN_LABELS[r.domain]) if r.domain else "–",
            label(RESPONSIBLE_LABELS[r.responsible])
            if r.responsible
            else label(HEADINGS["nobody"]),
            funders(r),
            click.style(label(FUNDING_STATUS_LABELS[r.status]), **style[r.status.value]),
        ]

    data_table(
        f"{_t(ctx, HEADINGS['funding'])} {year}",
        [_t(ctx, HEADINGS[key]) for key in columns],
        [cells(r) for r in rows],
    )


@click.command("grants")
@click.argument("dataset", required=False, type=click.Path(dir_okay=False))
@workspace_option()
@click.option("--organisation", metavar="ID", help="Only this organisation.")
@click.option("--party", metavar="REF", help="Only this funder, e.g. municipality:167 or area:14.")
@click.option("--from", "first", type=YEAR, help="First year. Default: the dataset's first year.")
@click.option(
    "--to",
    "last",
    type=YEAR,
    help="Last year. Default: the latest year with the most records in force.",
)
@click.option(
    "--lang", type=LANGS, help="Language of the table. Default: from the locale, else fi."
)
@click.pass_context
def grants_command(
    ctx: click.Context,
    dataset: str | None,
    workspace: str | None,
    organisation: str | None,
    party: str | None,
    first: int | None,
    last: int | None,
    lang: str | None,
) -> None:
    """Show grants and purchases by year per organisation and funder, marking interruptions.

    A cell shows the year's amount; "interrupted" marks a year in which an
    operating grant of the year before was not continued, and "reform gap"
    the 2023 gap of the wellbeing-services reform.

    \b
    Examples:
      jarjesto grants
      jarjesto grants region.json --organisation org-mielenterveys --from 2021 --to 2024
      jarjesto grants region.json --party municipality:167
      jarjesto grants -w region.db --from 2022
    """
    from jarjesto_cli.output import data_table
    from jarjesto_core.continuity import grant_history, interruptions
    from jarjesto_core.i18n import N_, format_money
    from jarjesto_core.model import PartyRef
    from jarjesto_core.names import Names
    from jarjesto_core.reference import bundled_reference
    from jarjesto_core.reports import HEADINGS

    lang = language(ctx, lang)
    funder = None
    if party is not None:
        try:
            funder = PartyRef.parse(party)
        except ValueError:
            raise click.BadParameter(
                _t(
                    ctx,
                    N_("not a party reference: %(text)s (expected municipality:CODE or area:CODE)"),
                    {"text": party},
                ),
                param_hint="--party",
            ) from None
    reg = registry(ctx)
    data = _load(dataset, workspace, reg)
    reference = bundled_reference()
    last = _year(ctx, data, last)
    if first is None:
        from jarjesto_core.assessment import YEAR_MIN

        # The data's first year, but no earlier than any year --from takes.
        first = max(data.years().start, YEAR_MIN) if data.years() else last
    if first > last:
        raise click.UsageError(
            _t(ctx, N_("--from %(first)d is after --to %(last)d"), {"first": first, "last": last})
        )
    years = range(first, last + 1)
    history = grant_history(data, years, organisation=organisation, party=funder)
    breaks = [
        i
        for i in interruptions(data, reference, years, reg.service_kinds)
        if (organisation is None or i.organisation == organisation)
        and (funder is None or reference.same_body(i.party, funder))
    ]
    names = Names(data, reference, last)
    cells: dict[tuple[str, str], dict[int, str]] = {}
    for g in history:
        amount = format_money(g.amount, lang) if g.amount is not None else "✓"
        key = (names.organisation(g.organisation, lang), names.party(g.party, lang))
        cells.setdefault(key, {})[g.year] = amount
    interrupted, gap = _t(ctx, N_("interrupted")), _t(ctx, N_("reform gap"))
    for i in breaks:
        mark = (
            click.style(gap, fg="red", bold=True)
            if i.reform_gap
            else click.style(interrupted, fg="yellow")
        )
        key = (names.organisation(i.organisation, lang), names.party(i.party, lang))
        cells.setdefault(key, {})[i.year] = mark
    if not cells:
        click.echo(_t(ctx, N_("No grants in these years.")))
        return
    data_table(
        _t(ctx, N_("Grants and purchases by year")),
        [_t(ctx, HEADINGS["organisation"]), _t(ctx, HEADINGS["funder"]), *map(str, years)],
        [
            [org, who, *(by_year.get(y, "–") for y in years)]
            for (org, who), by_year in sorted(cells.items())
        ],
        right=range(2, 2 + len(years)),
    )


@click.command("report")
@click.argument("dataset", required=False, type=click.Path(dir_okay=False))
@workspace_option()
@click.option(
    "--year", type=int, help="Year. Default: the latest year with the most records in force."
)
@click.option("--municipality", metavar="CODE|NAME", help="The summary of this municipality.")
@click.option("--area", metavar="CODE|NAME", help="The summary of this wellbeing area.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf"]),
    help="html (a standalone page) or pdf. Default: from the output file's name, else html.",
)
@click.option(
    "--lang", type=LANGS, help="Language of the summary. Default: from the locale, else fi."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the summary to FILE (a PDF needs a file).",
)
@click.pass_context
def report_command(
    ctx: click.Context,
    dataset: str | None,
    workspace: str | None,
    year: int | None,
    municipality: str | None,
    area: str | None,
    fmt: str | None,
    lang: str | None,
    output: str | None,
) -> None:
    """Write the board summary of one municipality or wellbeing area: one or two A4 pages.

    What the data covers, the score, blind spots and unfunded services as a
    table and a map, grants by year and funder as a chart, the criteria not
    met, and what to agree on. A standalone HTML page to print, or a PDF.

    \b
    Examples:
      jarjesto report --area 14 --year 2025 -o summary.pdf
      jarjesto report region.json --municipality Joensuu -o summary.html
      jarjesto --lang sv report region.json --area 14 --format pdf -o sammanfattning.pdf
    """
    from jarjesto_core.files import write_output
    from jarjesto_core.i18n import N_
    from jarjesto_core.reference import bundled_reference
    from jarjesto_core.reports.board import render_html, render_pdf, summarise_board

    lang = language(ctx, lang)
    if fmt is None:
        fmt = "pdf" if output is not None and output.lower().endswith(".pdf") else "html"
    if fmt == "pdf" and output is None:
        raise click.UsageError(_t(ctx, N_("a PDF needs a file: give it with --output")))
    reg = registry(ctx)
    data = _load(dataset, workspace, reg)
    reference = bundled_reference()
    year = _year(ctx, data, year)
    subjects = _subjects(ctx, reference, year, municipality, area)
    if len(subjects) != 1:
        raise click.UsageError(
            _t(ctx, N_("name one municipality (--municipality) or one area (--area)"))
        )
    summary = summarise_board(data, year, subjects[0], registry=reg, reference=reference)
    if fmt == "pdf":
        assert output is not None
        write_output(output, render_pdf(summary, lang))
        return
    text = render_html(summary, lang)
    if output is not None:
        write_output(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")
@click.pass_context
def plugins_command(ctx: click.Context, as_json: bool) -> None:
    """List the loaded plugins, their versions, and the rules and service kinds each contributes.

    \b
    Examples:
      jarjesto plugins
      jarjesto plugins --json
    """
    from rich.table import Table

    from jarjesto_core.i18n import N_
    from jarjesto_core.plugins import plugin_info

    info = plugin_info(plugin_manager(ctx), registry(ctx))
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    table = Table(title=_t(ctx, N_("Plugins")))
    for heading in (
        N_("Plugin"),
        N_("Version"),
        N_("Rules"),
        N_("Service kinds"),
        N_("Report formats"),
    ):
        table.add_column(_t(ctx, heading))
    for p in info:
        table.add_row(
            p["name"],
            p["version"] or "–",
            "\n".join(p["rules"]) or "–",
            ", ".join(p["service_kinds"]) or "–",
            ", ".join(p["report_formats"]) or "–",
        )
    _console().print(table)


COMMANDS = [assess_command, gaps_command, grants_command, report_command, plugins_command]
