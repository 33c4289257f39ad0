"""A plugin for the tests, written as a region would: against ``jarjesto_core.plugin`` alone.

It imports nothing else from ``jarjesto_core``, sets no translation domain
(its catalogues in ``locale/`` are found because it contributed the rule),
and its tests use the shipped ``jarjesto`` fixture. The region is made up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from jarjesto_core.plugin import (
    N_,
    Context,
    Name,
    PartyKind,
    Rule,
    Source,
    SourceKind,
    Status,
    StructureKind,
    Terms,
    Verdict,
    hookimpl,
)

#: The made-up region's programme: what its rule cites.
PROGRAMME: Final = Source(
    key="publicregion-programme",
    kind=SourceKind.DOCUMENT,
    title=Name(fi="Kuviteltu alueellinen ohjelma", en="A made-up regional programme"),
)
#: Fields a made-up region wants its organisation council to cover.
FIELDS: Final = {"sport": N_("sport"), "culture": N_("culture"), "youth": N_("youth")}


class CouncilFields(Rule):
    """The municipality's organisation council has members from sport, culture and youth."""

    code = "publicregion.council-fields"
    subjects = frozenset({PartyKind.MUNICIPALITY})
    sources = ("publicregion-programme",)

    def judge(self, ctx: Context) -> Verdict:
        councils = [
            s
            for s in ctx.own_structures()
            if s.kind is StructureKind.ORGANISATION_COUNCIL and s.active_in(ctx.year)
        ]
        if not councils:
            return self.absent(
                ctx,
                Verdict(Status.NOT_MET, N_("The municipality has no organisation council.")),
                missing=[N_("an organisation council")],
                collections=("structures",),
            )
        active = ctx.active_organisations()
        covered = {f for s in councils for m in s.members if m in active for f in active[m].fields}
        missing = Terms([label for field, label in FIELDS.items() if field not in covered])
        evidence = [s.id for s in councils]
        if not missing:
            return Verdict(
                Status.MET, N_("The organisation council covers every field."), {}, evidence
            )
        return Verdict(
            Status.PARTIAL,
            N_("The organisation council lacks members from: %(missing)s."),
            {"missing": missing},
            evidence,
        )


@hookimpl
def register_sources() -> Sequence[Source]:
    return [PROGRAMME]


@hookimpl
def register_rules() -> Sequence[Rule]:
    return [CouncilFields()]
