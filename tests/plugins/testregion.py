"""A regional plugin for the tests: it implements every hook, as a real plugin would.

Registered under the name ``testregion``, which is also its rule namespace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import click

from jarjesto_core import hookimpl
from jarjesto_core.model import Name, PartyRef, StructureKind
from jarjesto_core.reports import ReportFormat
from jarjesto_core.rules.base import Context, Rule, Status, Verdict
from jarjesto_core.sources import Source, SourceKind

if TYPE_CHECKING:
    import flask

    from jarjesto_core.assessment import Assessment

AREA = "14"


class SaunaEvenings(Rule):
    """The region expects its municipalities to hold sauna evenings with organisations."""

    code = "testregion.sauna-evenings"
    sources = ("testregion-programme-2024#saunas", "kuntalaki-410-2015#22")

    def judge(self, ctx: Context) -> Verdict:
        evenings = [
            s
            for s in ctx.dataset.services
            if s.kind == "sauna_evening" and ctx.territory & set(s.municipalities)
        ]
        if evenings:
            return Verdict(Status.MET, "Sauna evenings are held.", {}, [s.id for s in evenings])
        return self.absent(
            ctx,
            Verdict(Status.NOT_MET, "No sauna evenings."),
            missing=["sauna evenings"],
            collections=("services",),
        )


PROGRAMME = Source(
    key="testregion-programme-2024",
    kind=SourceKind.DOCUMENT,
    publisher=Name(fi="Testimaakunta", sv="Testlandskapet", en="Test region"),
    title=Name(fi="Yhteistyöohjelma 2024", sv="Samarbetsprogram 2024"),
    gloss=Name(en="Cooperation programme 2024"),
    links={"fi": "https://example.org/ohjelma"},
    parts={"saunas": Name(fi="saunaillat", sv="bastukvällar", en="sauna evenings")},
)


@hookimpl
def register_sources() -> Sequence[Source]:
    return [PROGRAMME]


@hookimpl
def register_rules() -> Sequence[Rule]:
    return [SaunaEvenings()]


@hookimpl
def register_service_kinds() -> Mapping[str, str]:
    return {"sauna_evening": "prevention"}


@hookimpl
def default_responsible_party(area: str, service_kind: str) -> str | None:
    """In the test region, the municipality funds sauna evenings unless agreed otherwise."""
    if area == AREA and service_kind == "sauna_evening":
        return "municipality"
    return None


@hookimpl
def rule_thresholds(rule: str, subject: PartyRef) -> Mapping[str, float] | None:
    """JANE meets 5–8 times a year, so the region expects five meetings, not two."""
    if rule == "core.cooperation-structure" and subject == PartyRef.area(AREA):
        return {"min_meetings": 5}
    return None


def _summary(assessment: Assessment, lang: str) -> str:
    lines = ["party,score"]
    lines += [f"{s.party},{'' if s.score is None else s.score}" for s in assessment.subjects]
    return "\n".join(lines) + "\n"


@hookimpl
def register_report_formats() -> Sequence[ReportFormat]:
    return [ReportFormat("testregion-csv", _summary, "csv", "text/csv")]


@click.command("testregion-hello")
@click.argument("name", default="JANE")
def hello(name: str) -> None:
    """Greet a cooperation body."""
    click.echo(f"Hello, {name}!")


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(hello)


@hookimpl
def register_blueprints() -> Sequence[flask.Blueprint]:
    import flask

    bp = flask.Blueprint("testregion", __name__)

    @bp.route("/jane")
    def jane() -> str:
        return str(StructureKind.ORGANISATION_COUNCIL)

    return [bp]
