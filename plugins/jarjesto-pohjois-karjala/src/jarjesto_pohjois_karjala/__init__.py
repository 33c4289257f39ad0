"""Pohjois-Karjala (wellbeing area 14): JANE and its local councils, as a jarjesto plugin.

The region cooperates through JANE, a regional organisation council whose
members come from organisations of different fields and which meets five to
eight times a year, and through Paikallis-JANE local councils or association
agents (yhdistysagentti) in the member municipalities. The plugin judges
both, and expects five meetings, not core's two, of the area's cooperation
bodies (``core.cooperation-structure``). Facts: ``spec/criteria.md``,
"Regional plugins".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

from jarjesto_core.plugin import (
    N_,
    NP_,
    Context,
    CoordinatorTitle,
    Counted,
    Name,
    PartyKind,
    PartyRef,
    Rule,
    Source,
    SourceKind,
    Status,
    Structure,
    StructureKind,
    Terms,
    Verdict,
    hookimpl,
    in_force,
)

__all__ = ["AREA", "JANE_MEETINGS", "Jane", "LocalCoverage", "register_rules", "rule_thresholds"]

#: The plugin's name: its entry point and rule namespace.
PLUGIN: Final = "pohjois_karjala"
AREA: Final = PartyRef.area("14")
#: JANE meets 5–8 times a year (criteria.md), so five is the region's minimum.
JANE_MEETINGS: Final = 5
#: "Organisations of different fields": at least three distinct fields.
JANE_FIELDS: Final = 3
#: JANE and Paikallis-JANE as their own pages describe them (spec/sources.md, section 2).
JANE: Final = Source(
    key="pohjois-karjala-jane",
    kind=SourceKind.EXAMPLE,
    title=Name(fi="Pohjois-Karjalan Järjestöasiain neuvottelukunta JANE"),
    links={
        "fi": "https://www.jelli.fi/pohjois-karjalan-jarjestoasiain-neuvottelukunta-jane/"
        "mika-on-jane/historia-ja-toimintakertomukset/"
    },
)
PAIKALLIS_JANE: Final = Source(
    key="pohjois-karjala-paikallis-jane",
    kind=SourceKind.EXAMPLE,
    publisher=Name(fi="Innokylä", sv="Innokylä", en="Innokylä"),
    title=Name(fi="Paikallis-JANE, paikallinen järjestöasiain neuvottelukunta"),
    links={
        "fi": "https://innokyla.fi/fi/toimintamalli/"
        "paikallis-jane-paikallinen-jarjestoasiain-neuvottelukunta"
    },
)
SOURCES: Final = (
    "pohjois-karjala-jane",
    "pohjois-karjala-paikallis-jane",
    "soste-kuntavaalit-2021#hyvat-kaytannot",
)


class _RegionRule(Rule):
    """A rule about area 14 only; every other area is not its concern."""

    subjects = frozenset({PartyKind.AREA})
    sources = SOURCES

    def applies(self, ctx: Context) -> bool:
        return ctx.is_subject(AREA)


def _councils(ctx: Context) -> list[Structure]:
    return [
        s
        for s in ctx.own_structures()
        if s.kind is StructureKind.ORGANISATION_COUNCIL and s.active_in(ctx.year) and s.members
    ]


class Jane(_RegionRule):
    """JANE: members from several fields, meeting at least five times a year."""

    code = "pohjois_karjala.jane"
    looks_for = (N_("a regional organisation council (JANE) with organisation members"),)
    looks_in = ("structures", "organisations")
    thresholds = MappingProxyType({"min_meetings": JANE_MEETINGS, "min_fields": JANE_FIELDS})

    def judge(self, ctx: Context) -> Verdict:
        councils = _councils(ctx)
        if not councils:
            return self.absent(
                ctx,
                Verdict(
                    Status.NOT_MET,
                    N_("No regional organisation council (JANE) with organisation members exists."),
                ),
            )
        active = ctx.active_organisations()

        def fields_of(council: Structure) -> set[str]:
            return {f for m in council.members if m in active for f in active[m].fields}

        # The best council decides; a region has one JANE, but data may hold more.
        best = max(councils, key=lambda s: (s.meetings_in(ctx.year), len(fields_of(s))))
        params = {
            "meetings": best.meetings_in(ctx.year),
            "year": ctx.year,
            "minimum": int(ctx.thresholds["min_meetings"]),
            "fields": len(fields_of(best)),
            "min_fields": int(ctx.thresholds["min_fields"]),
        }
        # Each count its own plural phrase; the targets are the product's, not the law's.
        times = NP_("once", "%(count)d times")
        fields = NP_("one field", "%(count)d fields")
        words = {
            "year": ctx.year,
            "meetings": Counted(times, params["meetings"]),
            "minimum": Counted(times, params["minimum"]),
            "fields": Counted(fields, params["fields"]),
            "min_fields": Counted(fields, params["min_fields"]),
        }
        if params["meetings"] >= params["minimum"] and params["fields"] >= params["min_fields"]:
            return Verdict(
                Status.MET,
                N_(
                    "JANE met %(meetings)s in %(year)d (target: at least %(minimum)s), and its "
                    "members come from %(fields)s."
                ),
                words,
                [best.id],
            )
        return self.absent(
            ctx,
            Verdict(
                Status.PARTIAL,
                N_(
                    "JANE met %(meetings)s in %(year)d (target: at least %(minimum)s), and its "
                    "members come from %(fields)s (target: at least %(min_fields)s)."
                ),
                words,
                [best.id],
            ),
        )


class LocalCoverage(_RegionRule):
    """Every member municipality has a Paikallis-JANE that met, or an association agent."""

    code = "pohjois_karjala.local-coverage"
    looks_for = (N_("a local organisation council or an association agent in each member"),)
    looks_in = ("structures", "coordinators")
    own_records = False

    def judge(self, ctx: Context) -> Verdict:
        members = ctx.reference.members(ctx.subject.code, ctx.year)
        codes = {m.code for m in members}
        councils = [
            s
            for s in ctx.dataset.structures
            if s.kind is StructureKind.LOCAL_ORGANISATION_COUNCIL
            and s.party.kind is PartyKind.MUNICIPALITY
            and s.party.code in codes
            and s.active_in(ctx.year)
            and s.members
            and s.meetings_in(ctx.year) > 0
        ]
        agents = [
            c
            for c in ctx.dataset.coordinators
            if c.title is CoordinatorTitle.ASSOCIATION_AGENT
            and c.party.kind is PartyKind.MUNICIPALITY
            and c.party.code in codes
            and in_force(c.start, c.end, ctx.year)
        ]
        covered = {s.party.code for s in councils} | {c.party.code for c in agents}
        evidence = [s.id for s in councils] + [c.id for c in agents]
        missing = Terms([m.name for m in members if m.code not in covered])
        params = {"covered": len(covered), "total": len(members), "missing": missing}
        if members and not missing:
            return Verdict(
                Status.MET,
                NP_(
                    "The one member municipality has a local organisation council "
                    "(Paikallis-JANE) or an association agent.",
                    "All %(total)d member municipalities have a local organisation council "
                    "(Paikallis-JANE) or an association agent.",
                    count="total",
                ),
                params,
                evidence,
            )
        if covered:
            return self.absent(
                ctx,
                Verdict(
                    Status.PARTIAL,
                    NP_(
                        "%(covered)d of the %(total)d member municipality has a local organisation "
                        "council (Paikallis-JANE) or an association agent; missing: %(missing)s.",
                        "%(covered)d of the %(total)d member municipalities have a local organisation "  # noqa: E501
                        "council (Paikallis-JANE) or an association agent; missing: %(missing)s.",
                        count="total",
                    ),
                    params,
                    evidence,
                ),
            )
        return self.absent(
            ctx,
            Verdict(
                Status.NOT_MET,
                NP_(
                    "The one member municipality has no local organisation council "
                    "(Paikallis-JANE) or association agent.",
                    "None of the %(total)d member municipalities has a local organisation council "
                    "(Paikallis-JANE) or an association agent.",
                    count="total",
                ),
                params,
            ),
        )


RULES: Final[Sequence[Rule]] = (Jane(), LocalCoverage())


@hookimpl
def register_sources() -> Sequence[Source]:
    return (JANE, PAIKALLIS_JANE)


@hookimpl
def register_rules() -> Sequence[Rule]:
    return RULES


@hookimpl
def rule_thresholds(rule: str, subject: PartyRef) -> Mapping[str, float] | None:
    """The area's cooperation bodies are expected to meet as often as JANE does."""
    if rule == "core.cooperation-structure" and subject == AREA:
        return {"min_meetings": JANE_MEETINGS}
    return None
