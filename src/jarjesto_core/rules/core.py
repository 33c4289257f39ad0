"""The 15 core rules of ``spec/criteria.md``, contributed as the ``core`` plugin.

Each rule is a small class: code, subject kinds, sources, default thresholds,
and one msgid per status (English, translated when a report is rendered).
The plugin also contributes the core service kinds and the last-resort
answer to ``default_responsible_party`` (nobody).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Final

from jarjesto_core.hookspecs import hookimpl
from jarjesto_core.i18n import N_, NP_, Plural
from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    CoordinatorTitle,
    Domain,
    PartyKind,
    PartyRef,
    PremisesTerms,
    ResponsibleParty,
    StructureKind,
    in_force,
)
from jarjesto_core.resolver import FundingStatus
from jarjesto_core.rules.base import NOT_RECORDED, Context, Rule, Status, Terms, Verdict
from jarjesto_core.rules.demands import (
    AREA_ONLY,
    GRANT_KINDS,
    Appropriations,
    Grants,
    Hearings,
    InfluenceBodies,
    KnowledgeManagement,
    SmallProducers,
    Strategy,
    _ids,
    _structures,
    heard_organisations,
)
from jarjesto_core.source_catalogue import CORE_SOURCES
from jarjesto_core.sources import Source

__all__ = ["CORE_RULES"]


COOPERATION_BODIES: Final = frozenset(
    {
        StructureKind.ORGANISATION_COUNCIL,
        StructureKind.LOCAL_ORGANISATION_COUNCIL,
        StructureKind.REPRESENTATION_BODY,
        StructureKind.ASSOCIATION_FORUM,
    }
)
FORUM_KINDS: Final = frozenset(
    {StructureKind.ASSOCIATION_FORUM, StructureKind.DIGITAL_CHANNEL, StructureKind.RESIDENT_PANEL}
)


def _agreements(ctx: Context, kinds: Iterable[AgreementKind]) -> list[Agreement]:
    wanted = frozenset(kinds)
    return [a for a in ctx.agreements_in_force() if a.kind in wanted]


class Coordinator(Rule):
    """Met when an organisation coordinator, or a coordinator whose remit covers organisations, is
    in post in the year; partial when only an association agent or a hyte coordinator
    without that remit is.
    """

    code = "core.coordinator"
    looks_for = (N_("an organisation coordinator in post"),)
    looks_in = ("coordinators",)
    sources = (
        "soste-kuntavaalit-2021#toimenpiteet.4",
        "soste-aluevaalit-2022#tavoite-2",
        "vslj-mll-kannanotto-2022#jarjestokoordinaattori",
        "pohjois-pohjanmaa-jarjestoystavallinen-kunta#kohta-3",
    )
    laws = MappingProxyType(
        {
            PartyKind.MUNICIPALITY: ("jarjestamislaki-612-2021#6",),
            PartyKind.AREA: ("jarjestamislaki-612-2021#7",),
        }
    )

    def judge(self, ctx: Context) -> Verdict:
        posts = [c for c in ctx.own_coordinators() if in_force(c.start, c.end, ctx.year)]
        full = [
            c
            for c in posts
            if c.title is CoordinatorTitle.ORGANISATION_COORDINATOR or c.covers_organisations
        ]
        if full:
            return Verdict(
                Status.MET,
                NP_(
                    "An organisation coordinator is in post.",
                    "%(count)d organisation coordinators are in post.",
                ),
                {"count": len(full)},
                _ids(full),
            )
        if posts:
            return self.absent(
                ctx,
                Verdict(
                    Status.PARTIAL,
                    NP_(
                        "Only an association agent or a hyte coordinator without a remit for "
                        "organisation cooperation is in post.",
                        "Only association agents or hyte coordinators without a remit for "
                        "organisation cooperation are in post (%(count)d posts).",
                    ),
                    {"count": len(posts)},
                    _ids(posts),
                ),
            )
        return self.absent(
            ctx,
            Verdict(Status.NOT_MET, N_("No coordinator for organisation cooperation is in post.")),
        )


class CooperationStructure(Rule):
    """Met when a body for organisation cooperation (organisation council, local organisation
    council, representation body or association forum; for an area also a family centre
    network) with organisation members met at least twice in the year; partial when such a
    body met fewer times.
    """

    code = "core.cooperation-structure"
    looks_for = (N_("a cooperation body with organisation members"),)
    looks_in = ("structures",)
    sources = (
        "soste-kuntavaalit-2021#yhteistyo",
        "soste-aluevaalit-2022#tavoite-2",
        "kuntaliitto-ideer-samarbete-2022#forslag-moten-och-forum",
        "pohjois-pohjanmaa-jarjestoystavallinen-kunta#kohta-3",
    )
    subject_sources = MappingProxyType(
        {
            PartyKind.AREA: ("vslj-mll-kannanotto-2022#perhekeskus",),
        }
    )
    laws = MappingProxyType(
        {
            PartyKind.MUNICIPALITY: ("jarjestamislaki-612-2021#6",),
            PartyKind.AREA: ("jarjestamislaki-612-2021#7",),
        }
    )
    thresholds = MappingProxyType({"min_meetings": 2})

    def judge(self, ctx: Context) -> Verdict:
        minimum = int(ctx.thresholds["min_meetings"])
        kinds = COOPERATION_BODIES
        if ctx.subject.kind is PartyKind.AREA:
            kinds = kinds | {StructureKind.FAMILY_CENTRE_NETWORK}
        bodies = [s for s in _structures(ctx, kinds) if s.members]
        regular = [s for s in bodies if s.meetings_in(ctx.year) >= minimum]
        if regular:
            return Verdict(
                Status.MET,
                NP_(
                    "A cooperation body with organisation members met at least %(minimum)d "
                    "times in %(year)d (target).",
                    "%(count)d cooperation bodies with organisation members met at least "
                    "%(minimum)d times in %(year)d (target).",
                ),
                {"count": len(regular), "minimum": minimum, "year": ctx.year},
                _ids(regular),
            )
        if bodies:
            return self.absent(
                ctx,
                Verdict(
                    Status.PARTIAL,
                    NP_(
                        "A cooperation body with organisation members exists but met fewer than "
                        "once in %(year)d (target).",
                        "A cooperation body with organisation members exists but met fewer than "
                        "%(minimum)d times in %(year)d (target).",
                        count="minimum",
                    ),
                    {"minimum": minimum, "year": ctx.year},
                    _ids(bodies),
                ),
            )
        return self.absent(
            ctx,
            Verdict(Status.NOT_MET, N_("No cooperation body with organisation members exists.")),
        )


class Premises(Rule):
    """Met when a premises agreement on free or subsidised terms is in force; partial when
    premises are let only on market terms.
    """

    code = "core.premises"
    looks_for = (N_("premises let free or at a subsidised rent"),)
    looks_in = ("agreements",)
    sources = (
        "soste-kuntavaalit-2021#jarjestojen-tuki",
        "soste-kuntavaalit-2021#toimenpiteet.6",
        "soste-aluevaalit-2022#tavoite-3",
        "pohjois-pohjanmaa-jarjestoystavallinen-kunta#kohta-4",
    )

    def judge(self, ctx: Context) -> Verdict:
        premises = _agreements(ctx, {AgreementKind.PREMISES})
        good = [
            a
            for a in premises
            if a.premises_terms in (PremisesTerms.FREE, PremisesTerms.SUBSIDISED)
        ]
        if good:
            return Verdict(
                Status.MET,
                NP_(
                    "Organisations use premises free or at a subsidised rent (one agreement).",
                    "Organisations use premises free or at a subsidised rent "
                    "(%(count)d agreements).",
                ),
                {"count": len(good)},
                _ids(good),
            )
        if premises:
            return self.absent(
                ctx,
                Verdict(
                    Status.PARTIAL,
                    NP_(
                        "Premises are let to organisations only at market rent (one agreement).",
                        "Premises are let to organisations only at market rent (%(count)d agreements).",  # noqa: E501
                    ),
                    {"count": len(premises)},
                    _ids(premises),
                ),
            )
        return self.absent(
            ctx,
            Verdict(Status.NOT_MET, N_("No premises agreement with organisations is in force.")),
        )


class ServicePaths(Rule):
    """Met when at least half of the prevention services working in the subject are in a service
    path; partial when some, but fewer than half, are.
    """

    code = "core.service-paths"
    looks_for = (N_("prevention-domain services in a service path"),)
    looks_in = ("services",)
    sources = (
        "soste-kuntavaalit-2021#yhteistyo",
        "soste-kuntavaalit-2021#toimenpiteet.2",
        "soste-aluevaalit-2022#tavoite-1",
        "vslj-mll-kannanotto-2022#strategia",
    )
    thresholds = MappingProxyType({"min_in_path_share": 0.5})
    own_records = False

    def judge(self, ctx: Context) -> Verdict:
        prevention = {kind for kind, d in ctx.service_kinds.items() if d is Domain.PREVENTION}
        services = [s for s in ctx.services_working_here() if s.kind in prevention]
        if not services:
            return Verdict(Status.UNKNOWN, N_("The data has no prevention services working here."))
        # An absent in_service_path is unknown, never "not linked": count over the known ones.
        services = [s for s in services if s.in_service_path is not None]
        if not services:
            missing = Terms([N_("whether the services are in a service path")])
            return Verdict(
                Status.UNKNOWN,
                NOT_RECORDED,
                {"year": ctx.year, "missing": missing},
                missing=missing,
            )
        linked = [s for s in services if s.in_service_path]
        params = {
            "linked": len(linked),
            "count": len(services),
            "minimum": round(ctx.thresholds["min_in_path_share"] * 100),
        }
        if len(linked) >= ctx.thresholds["min_in_path_share"] * len(services):
            return Verdict(
                Status.MET,
                NP_(
                    "%(linked)d of the %(count)d prevention service is linked into a service "
                    "path (target at least %(minimum)d %%).",
                    "%(linked)d of the %(count)d prevention services are linked into a service "
                    "path (target at least %(minimum)d %%).",
                ),
                params,
                _ids(linked),
            )
        if linked:
            return self.absent(
                ctx,
                Verdict(
                    Status.PARTIAL,
                    NP_(
                        "Only %(linked)d of the %(count)d prevention service is linked into a "
                        "service path (target at least %(minimum)d %%).",
                        "Only %(linked)d of the %(count)d prevention services are linked into a "
                        "service path (target at least %(minimum)d %%).",
                    ),
                    params,
                    _ids(linked),
                ),
            )
        return self.absent(
            ctx,
            Verdict(
                Status.NOT_MET,
                NP_(
                    "The one prevention service is not linked into a service path.",
                    "None of the %(count)d prevention services is linked into a service path.",
                ),
                params,
                _ids(services),
            ),
        )


class FundingResponsibility(Rule):
    """Met when no (municipality, service) pair in the subject is a blind spot, unfunded or
    funded by the wrong party; partial when the only gaps are wrong funders, or when there are
    blind spots or unfunded pairs but a responsibility agreement in force covers some service
    kinds.
    """

    code = "core.funding-responsibility"
    looks_for = (N_("responsibility agreements for the blind spots' service kinds"),)
    looks_in = ("responsibilities",)
    sources = (
        "soste-kuntavaalit-2021#sote-uudistus",
        "soste-kuntavaalit-2021#toimenpiteet.7",
    )
    laws = MappingProxyType(
        {
            PartyKind.MUNICIPALITY: ("jarjestamislaki-612-2021#6",),
            PartyKind.AREA: ("jarjestamislaki-612-2021#7",),
        }
    )

    def judge(self, ctx: Context) -> Verdict:
        judged = [r for r in ctx.funding if r.status is not FundingStatus.OUTSIDE_REFORM]
        if not judged:
            return Verdict(
                Status.UNKNOWN, N_("The data has no organisation services working here.")
            )
        blind = [r for r in judged if r.status is FundingStatus.BLIND_SPOT]
        unfunded = [r for r in judged if r.status is FundingStatus.UNFUNDED]
        wrong = [r for r in judged if r.status is FundingStatus.MISMATCH]
        territory = ctx.territory
        agreements = [
            r
            for r in ctx.index.responsibilities_in_force
            if r.assignments
            and r.municipality in territory
            and (
                ctx.subject.kind is PartyKind.MUNICIPALITY or ctx.is_subject(PartyRef.area(r.area))
            )
        ]
        params = {
            "count": len(judged),
            "blind": len(blind),
            "unfunded": len(unfunded),
            "mismatch": len(wrong),
        }
        if not blind and not unfunded:
            if not wrong:
                return Verdict(
                    Status.MET,
                    NP_(
                        "The organisation service working here is neither a blind spot nor "
                        "unfunded.",
                        "None of the %(count)d organisation services working here is a blind "
                        "spot or unfunded.",
                    ),
                    params,
                    _ids(agreements),
                )
            return Verdict(
                Status.PARTIAL,
                NP_(
                    "%(mismatch)d of the %(count)d organisation service working here is funded "
                    "only by a party that is not responsible (wrong funder).",
                    "%(mismatch)d of the %(count)d organisation services working here are funded "
                    "only by a party that is not responsible (wrong funder).",
                ),
                params,
                [r.service for r in wrong] + _ids(agreements),
            )
        evidence = [r.service for r in (*blind, *unfunded)] + _ids(agreements)
        status = Status.PARTIAL if agreements else Status.NOT_MET
        missing: list[str] = []
        collections: list[str] = []
        if blind:
            missing += self.looks_for
            collections += self.looks_in
        if unfunded:
            missing.append(_UNFUNDED_MISSING)
            collections.append("agreements")
        return self.absent(
            ctx,
            Verdict(
                status,
                _GAP_MESSAGES[bool(blind), bool(unfunded), bool(agreements)],
                params,
                evidence,
            ),
            missing=missing,
            collections=collections,
        )


#: What the responsible party's funding of an unfunded service would be found in.
_UNFUNDED_MISSING: Final = N_("grants or purchases by the party responsible for the service")

#: core.funding-responsibility's gap, by (blind spots?, unfunded?, agreement in force?):
#: each says only what is there, so no report reads "and 0 are unfunded".
_GAP_MESSAGES: Final[Mapping[tuple[bool, bool, bool], Plural]] = {
    (True, False, True): NP_(
        "For %(blind)d of the %(count)d organisation service working here, funding "
        "responsibility has not been agreed (blind spot), though a funding "
        "responsibility agreement covers some service kinds.",
        "For %(blind)d of the %(count)d organisation services working here, funding "
        "responsibility has not been agreed (blind spot), though a funding "
        "responsibility agreement covers some service kinds.",
    ),
    (True, False, False): NP_(
        "For %(blind)d of the %(count)d organisation service working here, funding "
        "responsibility has not been agreed (blind spot), and no funding responsibility "
        "agreement is in force.",
        "For %(blind)d of the %(count)d organisation services working here, funding "
        "responsibility has not been agreed (blind spot), and no funding responsibility "
        "agreement is in force.",
    ),
    (False, True, True): NP_(
        "%(unfunded)d organisation service of the %(count)d working here is not funded by the "
        "party responsible for it (unfunded), though a funding responsibility agreement covers "
        "some service kinds.",
        "%(unfunded)d organisation services of the %(count)d working here are not funded by "
        "the party responsible for them (unfunded), though a funding responsibility agreement "
        "covers some service kinds.",
        count="unfunded",
    ),
    (False, True, False): NP_(
        "%(unfunded)d organisation service of the %(count)d working here is not funded by the "
        "party responsible for it (unfunded), and no funding responsibility agreement is in "
        "force.",
        "%(unfunded)d organisation services of the %(count)d working here are not funded by "
        "the party responsible for them (unfunded), and no funding responsibility agreement is "
        "in force.",
        count="unfunded",
    ),
    (True, True, True): NP_(
        "For %(blind)d of the %(count)d organisation service working here, funding "
        "responsibility has not been agreed (blind spot); the party responsible does not fund "
        "%(unfunded)d (unfunded), though a funding responsibility agreement covers some "
        "service kinds.",
        "For %(blind)d of the %(count)d organisation services working here, funding "
        "responsibility has not been agreed (blind spot); the party responsible does not fund "
        "%(unfunded)d (unfunded), though a funding responsibility agreement covers some "
        "service kinds.",
    ),
    (True, True, False): NP_(
        "For %(blind)d of the %(count)d organisation service working here, funding "
        "responsibility has not been agreed (blind spot); the party responsible does not fund "
        "%(unfunded)d (unfunded), and no funding responsibility agreement is in force.",
        "For %(blind)d of the %(count)d organisation services working here, funding "
        "responsibility has not been agreed (blind spot); the party responsible does not fund "
        "%(unfunded)d (unfunded), and no funding responsibility agreement is in force.",
    ),
}


class GrantContinuity(Rule):
    """Met when the subject stopped no grant in the year; partial when it did, but none of the
    interruptions is a reform gap.
    """

    code = "core.grant-continuity"
    looks_for = (N_("the continued operating grants of the organisations funded the year before"),)
    looks_in = ("agreements",)
    sources = (
        "soste-aluevaalit-2022#tavoite-3",
        "vslj-mll-kannanotto-2022#avustusten-jatkuminen",
        "soste-kuntavaalit-2021#sote-uudistus",
    )
    laws = MappingProxyType(
        {
            PartyKind.MUNICIPALITY: ("voimaanpanolaki-616-2021",),
            PartyKind.AREA: ("voimaanpanolaki-616-2021",),
        }
    )

    def judge(self, ctx: Context) -> Verdict:
        found = [i for i in ctx.interruptions if i.kind == "interruption"]
        evidence = [a for i in ctx.interruptions for a in i.previous]
        params = {"count": len(found), "gaps": sum(1 for i in found if i.reform_gap)}
        if not found:
            # "Nothing ended" rests on every grant of both years being in the data.
            before = ctx.covering(("agreements",), year=ctx.year - 1)
            now = ctx.covering(("agreements",))
            if before is None or now is None:
                missing = Terms([N_("every grant of the subject in both years")])
                return Verdict(
                    Status.UNKNOWN,
                    NOT_RECORDED,
                    {"year": ctx.year, "missing": missing},
                    missing=missing,
                )
            return Verdict(
                Status.MET,
                N_("No operating grant ended in %(year)d."),
                {"year": ctx.year},
                coverage=tuple(dict.fromkeys(c.id for c in (*before, *now))),
            )
        if not params["gaps"]:
            return self.absent(
                ctx,
                Verdict(
                    Status.PARTIAL,
                    NP_(
                        "One operating grant ended; it is not a reform gap.",
                        "%(count)d operating grants ended, none of them a reform gap.",
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
                    "One operating grant ended, in a reform gap.",
                    "%(count)d operating grants ended, %(gaps)d of them in a reform gap.",
                ),
                params,
                evidence,
            ),
        )


class BilingualInclusion(Rule):
    """Bilingual subjects only: met when organisations of the minority language sit in a
    cooperation body, were heard and receive grants; partial when one or two of the three
    hold.
    """

    code = "core.bilingual-inclusion"
    looks_for = (
        N_("organisations of the other language group in a cooperation body"),
        N_("hearings of organisations of the other language group"),
        N_("grants to organisations of the other language group"),
    )
    looks_in = ("structures", "hearings", "agreements")
    sources = (
        "kuntaliitto-ideer-samarbete-2022#tva-sprak",
        "kuntaliitto-ideer-samarbete-2022#forslag-tva-sprak",
    )
    laws = MappingProxyType(
        {
            PartyKind.MUNICIPALITY: ("kielilaki-423-2003#5,23,32",),
            PartyKind.AREA: ("kielilaki-423-2003#6,23,32",),
        }
    )

    def applies(self, ctx: Context) -> bool:
        return ctx.reference.bilingual(ctx.subject, ctx.year)

    def judge(self, ctx: Context) -> Verdict:
        language = _minority_language(ctx)
        minority = ctx.organisations_working_here() & ctx.index.organisations_speaking(language)
        # Name the language, never a code or "minority language" (terminology.md 1.12).
        words = _BILINGUAL_MESSAGES[language]
        if not minority:
            return Verdict(Status.UNKNOWN, words["none"])
        bodies = [s for s in _structures(ctx, COOPERATION_BODIES) if minority & set(s.members)]
        hearings = [
            h
            for h in ctx.own_hearings()
            # Held in that language, with minority-language organisations heard in it.
            if h.date.year == ctx.year
            and language in h.languages
            and minority & heard_organisations(ctx, h)
        ]
        grants = [a for a in _agreements(ctx, GRANT_KINDS) if a.organisation in minority]
        met = sum(1 for part in (bodies, hearings, grants) if part)
        evidence = _ids(bodies) + _ids(hearings) + _ids(grants)
        parts = (bodies, hearings, grants)
        missing = Terms(way for way, part in zip(_WAYS, parts, strict=True) if not part)
        params = {"count": met, "missing": missing}
        if met == 3:
            return Verdict(Status.MET, words["met"], params, evidence)
        if met:
            return self.absent(
                ctx,
                Verdict(Status.PARTIAL, words["partial"], params, evidence),
            )
        return self.absent(
            ctx,
            Verdict(Status.NOT_MET, words["not_met"], params),
        )


#: The three ways the bilingual rule looks for, in its messages' order.
_WAYS: Final = (N_("a cooperation body"), N_("hearings"), N_("grants"))
#: The bilingual rule's messages name the language group (terminology.md 1.12).
_BILINGUAL_MESSAGES: Final[Mapping[str, Mapping[str, str]]] = {
    "sv": {
        "none": N_("The data has no Swedish-speaking organisations working here."),
        "met": N_(
            "Swedish-speaking organisations sit in a cooperation body, were heard, and receive "
            "grants."
        ),
        "partial": NP_(
            "Swedish-speaking organisations are included in one of the three ways; missing: "
            "%(missing)s.",
            "Swedish-speaking organisations are included in %(count)d of the three ways; "
            "missing: %(missing)s.",
        ),
        "not_met": N_(
            "Swedish-speaking organisations sit in no cooperation body, were not heard and "
            "receive no grants."
        ),
    },
    "fi": {
        "none": N_("The data has no Finnish-speaking organisations working here."),
        "met": N_(
            "Finnish-speaking organisations sit in a cooperation body, were heard, and receive "
            "grants."
        ),
        "partial": NP_(
            "Finnish-speaking organisations are included in one of the three ways; missing: "
            "%(missing)s.",
            "Finnish-speaking organisations are included in %(count)d of the three ways; "
            "missing: %(missing)s.",
        ),
        "not_met": N_(
            "Finnish-speaking organisations sit in no cooperation body, were not heard and "
            "receive no grants."
        ),
    },
}


def _minority_language(ctx: Context) -> str:
    """The smaller national language; for an area, by its members' populations."""
    if ctx.subject.kind is PartyKind.MUNICIPALITY:
        m = ctx.reference.municipality(ctx.subject.code, ctx.year)
        return (m.minority_language if m is not None else None) or "sv"
    members = ctx.reference.members(ctx.subject.code, ctx.year)
    swedish = sum(m.population for m in members if m.language in ("sv", "bilingual_sv_majority"))
    finnish = sum(m.population for m in members) - swedish
    return "fi" if swedish > finnish else "sv"


class Forums(Rule):
    """Met when an association forum, a digital channel or a resident panel of the municipality or
    area is active in the year.
    """

    code = "core.forums"
    looks_for = (N_("an association forum, digital channel or resident panel"),)
    looks_in = ("structures",)
    sources = (
        "kuntaliitto-ideer-samarbete-2022#forslag-moten-och-forum",
        "soste-kuntavaalit-2021#osallisuus",
    )
    subject_sources = MappingProxyType(
        {
            PartyKind.AREA: ("soste-aluevaalit-2022#tavoite-3",),
        }
    )
    laws = MappingProxyType(
        {
            PartyKind.MUNICIPALITY: ("kuntalaki-410-2015#22",),
            PartyKind.AREA: ("hyvinvointialuelaki-611-2021#29",),
        }
    )

    def judge(self, ctx: Context) -> Verdict:
        forums = _structures(ctx, FORUM_KINDS)
        if forums:
            return Verdict(
                Status.MET,
                N_(
                    "An association forum, digital channel or resident panel is active (%(count)d)."
                ),
                {"count": len(forums)},
                _ids(forums),
            )
        return self.absent(
            ctx,
            Verdict(
                Status.NOT_MET,
                N_("No association forum, digital channel or resident panel is active."),
            ),
        )


class FamilyCentre(Rule):
    """Wellbeing areas: met when a family centre network has organisation members and the area has
    a cooperation agreement with one of them; partial when one of the two holds.
    """

    code = "core.family-centre"
    looks_for = (
        N_("a family centre network with organisation members"),
        N_("a cooperation agreement with a member of the network"),
    )
    looks_in = ("structures", "agreements")
    subjects = AREA_ONLY
    sources = ("vslj-mll-kannanotto-2022#perhekeskus",)

    def judge(self, ctx: Context) -> Verdict:
        networks = [s for s in _structures(ctx, {StructureKind.FAMILY_CENTRE_NETWORK}) if s.members]
        members = {m for s in networks for m in s.members}
        cooperation = _agreements(ctx, {AgreementKind.COOPERATION})
        with_members = [a for a in cooperation if a.organisation in members]
        if networks and with_members:
            return Verdict(
                Status.MET,
                NP_(
                    "The family centre network has organisation members, and the county has a "
                    "cooperation agreement with one of them.",
                    "The family centre network has organisation members, and the county has a "
                    "cooperation agreement with %(count)d of them.",
                ),
                {"count": len({a.organisation for a in with_members})},
                _ids(networks) + _ids(with_members),
            )
        if networks:
            return self.absent(
                ctx,
                Verdict(
                    Status.PARTIAL,
                    N_(
                        "The family centre network has organisation members, but the area has no "
                        "cooperation agreement with them."
                    ),
                    {},
                    _ids(networks),
                ),
            )
        if cooperation:
            return self.absent(
                ctx,
                Verdict(
                    Status.PARTIAL,
                    N_(
                        "The area has cooperation agreements with organisations, but no family "
                        "centre network with organisation members."
                    ),
                    {},
                    _ids(cooperation),
                ),
            )
        return self.absent(
            ctx,
            Verdict(
                Status.NOT_MET,
                N_(
                    "No family centre network with organisation members and no cooperation agreement."  # noqa: E501
                ),
            ),
        )


CORE_RULES: Final[Sequence[Rule]] = (
    Coordinator(),
    CooperationStructure(),
    InfluenceBodies(),
    Hearings(),
    Grants(),
    Appropriations(),
    Premises(),
    ServicePaths(),
    FundingResponsibility(),
    GrantContinuity(),
    BilingualInclusion(),
    Forums(),
    Strategy(),
    SmallProducers(),
    FamilyCentre(),
    KnowledgeManagement(),
)


@hookimpl
def register_rules() -> Sequence[Rule]:
    return CORE_RULES


@hookimpl
def register_sources() -> Sequence[Source]:
    return CORE_SOURCES


@hookimpl
def register_service_kinds() -> Mapping[str, Domain]:
    return CORE_SERVICE_KINDS


@hookimpl(trylast=True)
def default_responsible_party(
    municipality: str, area: str, service_kind: str, year: int
) -> ResponsibleParty | None:
    """Core's last word: without an agreement or a regional default, nobody is responsible."""
    return None
