"""Varsinais-Suomi (wellbeing area 05): the family centre network, as a jarjesto plugin.

The area's family centre network joins its social and health services, the
municipalities' education services, and organisations and parishes; the
area makes cooperation agreements with the organisations and names an
organisation coordinator (``spec/criteria.md``, "Regional plugins").

The dataset contract has no parish record. A parish (seurakunta, församling)
is an ``organisations`` record whose ``fields`` include :data:`PARISH_FIELD`
(``"parish"``), a member of the network like any organisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from jarjesto_core.plugin import (
    N_,
    NP_,
    AgreementKind,
    Context,
    CoordinatorTitle,
    Counted,
    Name,
    Organisation,
    PartyKind,
    PartyRef,
    Rule,
    Source,
    SourceKind,
    Status,
    StructureKind,
    Terms,
    Verdict,
    hookimpl,
    in_force,
)

__all__ = [
    "AREA",
    "PARISH_FIELD",
    "CooperationAgreements",
    "FamilyCentreNetwork",
    "OrganisationCoordinator",
    "is_parish",
    "register_rules",
]

PLUGIN: Final = "varsinais_suomi"
AREA: Final = PartyRef.area("05")
#: The ``fields`` tag that marks an organisation record as a parish.
PARISH_FIELD: Final = "parish"
#: The family centre's service network as the wellbeing area described it on 4.9.2023
#: (spec/sources.md, section 2).
FAMILY_CENTRE: Final = Source(
    key="varsinais-suomi-perhekeskus",
    kind=SourceKind.WEB,
    publisher=Name(
        fi="Varsinais-Suomen hyvinvointialue",
        sv="Egentliga Finlands välfärdsområde",
        en="Varsinais-Suomen hyvinvointialue",
    ),
    title=Name(fi="Perhekeskus jalkautuu Varhan alueelle"),
    gloss=Name(sv="Familjecentralen ute i välfärdsområdet", en="The family centre out in the area"),
    date=Name(fi="4.9.2023", sv="4.9.2023", en="4 September 2023"),
    links={
        "fi": "https://www.varha.fi/fi/ajankohtaista/perhekeskus-jalkautuu-varhan-alueelle-"
        "palveluverkostoille-mahdollisuus-verkostoitumiseen-ja"
    },
)
SOURCES: Final = (
    "vslj-mll-kannanotto-2022#perhekeskus",
    "vslj-mll-kannanotto-2022#jarjestokoordinaattori",
    "varsinais-suomi-perhekeskus",
)


def is_parish(organisation: Organisation) -> bool:
    return PARISH_FIELD in organisation.fields


class _AreaRule(Rule):
    """A rule about area 05 only; every other area is not its concern."""

    subjects = frozenset({PartyKind.AREA})
    sources = SOURCES

    def applies(self, ctx: Context) -> bool:
        return ctx.is_subject(AREA)


def _network(ctx: Context) -> tuple[list[str], list[Organisation], list[Organisation]]:
    """The area's active family centre networks, and their organisation and parish members."""
    active = ctx.active_organisations()
    networks = [
        s
        for s in ctx.own_structures()
        if s.kind is StructureKind.FAMILY_CENTRE_NETWORK and s.active_in(ctx.year)
    ]
    members = sorted({m for s in networks for m in s.members if m in active})
    organisations = [active[m] for m in members if not is_parish(active[m])]
    parishes = [active[m] for m in members if is_parish(active[m])]
    return [s.id for s in networks], organisations, parishes


class FamilyCentreNetwork(_AreaRule):
    """The family centre network includes both organisations and parishes."""

    code = "varsinais_suomi.family-centre-network"
    looks_for = (N_("a family centre network with organisations and parishes"),)
    looks_in = ("structures",)

    def judge(self, ctx: Context) -> Verdict:
        networks, organisations, parishes = _network(ctx)
        params = {"organisations": len(organisations), "parishes": len(parishes)}
        if organisations and parishes:
            # Two counts in one sentence: each its own plural phrase (the rule's catalogue).
            phrases = {
                "organisations": Counted(
                    NP_("one organisation", "%(count)d organisations"), len(organisations)
                ),
                "parishes": Counted(NP_("one parish", "%(count)d parishes"), len(parishes)),
            }
            return Verdict(
                Status.MET,
                N_("The family centre network includes %(organisations)s and %(parishes)s."),
                phrases,
                networks,
            )
        if organisations:
            message: str = NP_(
                "The family centre network includes one organisation but no parish.",
                "The family centre network includes %(organisations)d organisations but no parish.",
                count="organisations",
            )
        elif parishes:
            message = NP_(
                "The family centre network includes one parish but no organisation.",
                "The family centre network includes %(parishes)d parishes but no organisation.",
                count="parishes",
            )
        else:
            message = N_("No family centre network with organisations or parishes is active.")
        status = Status.PARTIAL if organisations or parishes else Status.NOT_MET
        return self.absent(ctx, Verdict(status, message, params, networks))


class CooperationAgreements(_AreaRule):
    """The area has a cooperation agreement with each organisation member of the network.

    Parishes are left out: they sit in the network, but the opinion asks for
    cooperation agreements with organisations.
    """

    code = "varsinais_suomi.cooperation-agreements"
    looks_for = (N_("cooperation agreements with the network's organisations"),)
    looks_in = ("agreements", "structures")

    def judge(self, ctx: Context) -> Verdict:
        networks, organisations, _parishes = _network(ctx)
        if not organisations:
            return self.absent(
                ctx,
                Verdict(
                    Status.NOT_MET,
                    N_("The family centre network has no organisation members to agree with."),
                    {},
                    networks,
                ),
            )
        ids = {o.id for o in organisations}
        agreements = [
            a
            for a in ctx.agreements_in_force()
            if a.kind is AgreementKind.COOPERATION and a.organisation in ids
        ]
        agreed = {a.organisation for a in agreements}
        without = Terms([o.name for o in organisations if o.id not in agreed])
        params = {"agreed": len(agreed), "total": len(organisations), "without": without}
        evidence = networks + [a.id for a in agreements]
        if not without:
            return Verdict(
                Status.MET,
                NP_(
                    "The county has a cooperation agreement with the one organisation member "
                    "of the family centre network.",
                    "The county has a cooperation agreement with all %(total)d organisation "
                    "members of the family centre network.",
                    count="total",
                ),
                params,
                evidence,
            )
        if agreed:
            return self.absent(
                ctx,
                Verdict(
                    Status.PARTIAL,
                    NP_(
                        "The county has a cooperation agreement with %(agreed)d of the %(total)d "
                        "organisation member of the family centre network; without one: "
                        "%(without)s.",
                        "The county has a cooperation agreement with %(agreed)d of the %(total)d "
                        "organisation members of the family centre network; without one: "
                        "%(without)s.",
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
                    "The county has no cooperation agreement with the one organisation member of "
                    "the family centre network.",
                    "The county has no cooperation agreement with the %(total)d organisation "
                    "members of the family centre network.",
                    count="total",
                ),
                params,
                evidence,
            ),
        )


class OrganisationCoordinator(_AreaRule):
    """A post titled organisation coordinator, stricter than core's coordinator rule."""

    code = "varsinais_suomi.coordinator"
    looks_for = (N_("an organisation coordinator in post"),)
    looks_in = ("coordinators",)

    def judge(self, ctx: Context) -> Verdict:
        posts = [c for c in ctx.own_coordinators() if in_force(c.start, c.end, ctx.year)]
        named = [c for c in posts if c.title is CoordinatorTitle.ORGANISATION_COORDINATOR]
        if named:
            return Verdict(
                Status.MET,
                N_("The area has an organisation coordinator in post."),
                {},
                [c.id for c in named],
            )
        if posts:
            return self.absent(
                ctx,
                Verdict(
                    Status.PARTIAL,
                    N_(
                        "The area has a hyte coordinator or an association agent in post, but no "
                        "organisation coordinator."
                    ),
                    {},
                    [c.id for c in posts],
                ),
            )
        return self.absent(
            ctx,
            Verdict(Status.NOT_MET, N_("The area has no organisation coordinator in post.")),
        )


RULES: Final[Sequence[Rule]] = (
    FamilyCentreNetwork(),
    CooperationAgreements(),
    OrganisationCoordinator(),
)


@hookimpl
def register_sources() -> Sequence[Source]:
    return (FAMILY_CENTRE,)


@hookimpl
def register_rules() -> Sequence[Rule]:
    return RULES
