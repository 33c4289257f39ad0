"""Core rules that judge what the organisations' documents ask, not only that a record exists.

criteria.md v2: influence bodies that were heard, not only set up; hearings
that prepared a named decision, came before it, gave 14 days and published a
response (not pseudo-democracy); grants above 0 €, their sum per resident and
cuts; grants reserved in the health and wellbeing appropriation; strategies of
municipalities and areas that cover six topics; welfare reports as the place
of knowledge-based management. Each message says what was found and what is
missing, by name; a verdict that rests on a missing record goes through
:meth:`Rule.absent`, so silence is "not recorded", never "no".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Final, Protocol

from jarjesto_core.i18n import N_, NP_
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Appropriation,
    Commitment,
    Hearing,
    PartyKind,
    Scope,
    Structure,
    StructureKind,
    Topic,
    WelfareReport,
    WelfareReportKind,
    in_force,
)
from jarjesto_core.rules.base import Context, Rule, Status, Terms, Verdict

__all__ = [
    "Appropriations",
    "Grants",
    "Hearings",
    "InfluenceBodies",
    "KnowledgeManagement",
    "SmallProducers",
    "Strategy",
    "heard_organisations",
    "hearing_gaps",
]

AREA_ONLY: Final = frozenset({PartyKind.AREA})

INFLUENCE_BODIES: Final = {
    StructureKind.YOUTH_COUNCIL: N_("the youth council"),
    StructureKind.OLDER_PEOPLE_COUNCIL: N_("the council for older people"),
    StructureKind.DISABILITY_COUNCIL: N_("the disability council"),
}

#: The six topics a strategy should cover (criteria.md v2, core.strategy), named.
STRATEGY_TOPICS: Final = {
    Topic.SERVICES_LINK: N_("linking organisations' services"),
    Topic.PARTNERSHIP_STRUCTURE: N_("the partnership structure"),
    Topic.GRANT_CONTINUATION: N_("grants continuing without interruption"),
    Topic.FUNDING_PRINCIPLES: N_("how organisations are funded"),
    Topic.PREMISES_USE: N_("organisations' use of premises"),
    Topic.PARTICIPATION_CHANNELS: N_("participation channels"),
}

#: What a hearing's record must show to count as real hearing, not pseudo-democracy.
HEARING_GAPS: Final = {
    "decision": N_("the decision it prepared"),
    "before": N_("that it was held before the decision"),
    "days": N_("at least 14 days to respond"),
    "response": N_("a published response"),
}

GRANT_KINDS: Final = frozenset({AgreementKind.OPERATING_GRANT, AgreementKind.PROJECT_GRANT})
SMALL_MEMBERS: Final = 100


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


def _ids(records: Iterable[_HasId]) -> list[str]:
    return [r.id for r in records]


def _structures(ctx: Context, kinds: Iterable[StructureKind]) -> list[Structure]:
    wanted = frozenset(kinds)
    return [s for s in ctx.own_structures() if s.kind in wanted and s.active_in(ctx.year)]


def _hearings(ctx: Context) -> list[Hearing]:
    return [h for h in ctx.own_hearings() if h.date.year == ctx.year]


def heard_organisations(ctx: Context, hearing: Hearing) -> set[str]:
    """Organisations heard directly, and the members of the bodies heard."""
    heard = set(hearing.organisations)
    wanted = set(hearing.structures)
    if wanted:
        for body in ctx.dataset.structures:
            if body.id in wanted:
                heard.update(body.members)
    return heard


def hearing_gaps(hearing: Hearing) -> list[str]:
    """What the hearing's record does not show, of ``HEARING_GAPS``' keys, in order.

    Unknown is not shown: a hearing with no ``response_published`` lacks a
    published response as much as one whose response is known to be missing.
    "Before" means the hearing, and its deadline, came before the decision date.
    """
    gaps = []
    if hearing.decision is None:
        gaps.append("decision")
    last = max(hearing.date, hearing.deadline) if hearing.deadline else hearing.date
    if hearing.decision_date is None or not last < hearing.decision_date:
        gaps.append("before")
    if hearing.deadline is None or (hearing.deadline - hearing.date).days < 14:
        gaps.append("days")
    if hearing.response_published is not True:
        gaps.append("response")
    return gaps


def _names(ctx: Context, structures: Iterable[Structure]) -> Terms:
    return Terms(tuple(s.name for s in structures))


def _msgids(items: Iterable[str]) -> Terms:
    return Terms(tuple(items))


class InfluenceBodies(Rule):
    """Met when the youth council, the council for older people and the disability council all
    exist in the year and each was heard at least once (a hearing naming it among the bodies
    heard); partial when they exist but not all were heard, or when only one or two exist.
    """

    code = "core.influence-bodies"
    sources = ("soste-kuntavaalit-2021#osallisuus",)
    laws = MappingProxyType(
        {
            PartyKind.MUNICIPALITY: ("kuntalaki-410-2015#26-28",),
            PartyKind.AREA: ("hyvinvointialuelaki-611-2021#32",),
        }
    )
    own_records = False

    def judge(self, ctx: Context) -> Verdict:
        bodies = _structures(ctx, INFLUENCE_BODIES)
        hearings = _hearings(ctx)
        named = {sid for h in hearings for sid in h.structures}
        heard = [b for b in bodies if b.id in named]
        unheard = [b for b in bodies if b.id not in named]
        present = {b.kind for b in bodies}
        absent_kinds = [INFLUENCE_BODIES[k] for k in INFLUENCE_BODIES if k not in present]
        heard_ids = {b.id for b in heard}
        evidence = _ids(bodies) + _ids(h for h in hearings if set(h.structures) & heard_ids)
        params = {
            "year": ctx.year,
            "count": len(present),
            "found": _names(ctx, bodies),
            "heard": _names(ctx, heard),
            "unheard": _names(ctx, unheard),
            "absent": _msgids(absent_kinds),
        }
        if not bodies:
            return self.absent(
                ctx,
                Verdict(
                    Status.NOT_MET,
                    N_(
                        "None of the youth council, the council for older people and the "
                        "disability council exists."
                    ),
                ),
                missing=list(INFLUENCE_BODIES.values()),
                collections=("structures",),
            )
        if not absent_kinds and not unheard:
            return Verdict(
                Status.MET,
                N_(
                    "The youth council, the council for older people and the disability council "
                    "exist, and each was heard in %(year)d: %(heard)s."
                ),
                params,
                evidence,
            )
        if not absent_kinds:
            # Existing is the legal minimum; being heard is what the organisations ask.
            return Verdict(
                Status.PARTIAL,
                N_(
                    "The three influence bodies exist, but no hearing of %(unheard)s is "
                    "recorded for %(year)d."
                ),
                params,
                evidence,
            )
        if not heard:
            return Verdict(
                Status.PARTIAL,
                NP_(
                    "One of the three influence bodies exists: %(found)s, with no hearing of it "
                    "recorded for %(year)d. Not recorded: %(absent)s.",
                    "%(count)d of the three influence bodies exist: %(found)s, with no hearing "
                    "of them recorded for %(year)d. Not recorded: %(absent)s.",
                ),
                params,
                evidence,
            )
        return Verdict(
            Status.PARTIAL,
            NP_(
                "One of the three influence bodies exists: %(found)s (heard in %(year)d: "
                "%(heard)s). Not recorded: %(absent)s.",
                "%(count)d of the three influence bodies exist: %(found)s (heard in %(year)d: "
                "%(heard)s). Not recorded: %(absent)s.",
            ),
            params,
            evidence,
        )


class Hearings(Rule):
    """Met when organisations were heard in the year (directly, or through a cooperation body
    whose members count as heard) in a hearing that prepared a named decision, was held before
    it, gave at least 14 days to respond and published a response; partial when the record
    does not show one of these (each named), or when a municipality heard fewer than a
    quarter of the organisations working there (areas are not held to a share).
    """

    code = "core.hearing"
    sources = (
        "soste-kuntavaalit-2021#osallisuus",
        "soste-kuntavaalit-2021#toimenpiteet.3",
        "kuntaliitto-ideer-samarbete-2022#forslag-moten-och-forum",
        "soste-aluevaalit-2022#tavoite-2",
    )
    laws = MappingProxyType(
        {
            PartyKind.MUNICIPALITY: ("kuntalaki-410-2015#22",),
            PartyKind.AREA: ("hyvinvointialuelaki-611-2021#29",),
        }
    )
    own_records = False
    thresholds = MappingProxyType({"min_heard_share": 0.25, "min_days": 14})

    def judge(self, ctx: Context) -> Verdict:
        held = [(h, heard_organisations(ctx, h)) for h in _hearings(ctx)]
        held = [(h, orgs) for h, orgs in held if orgs]
        if not held:
            return self.absent(
                ctx,
                Verdict(
                    Status.NOT_MET,
                    N_("No organisations were heard in %(year)d."),
                    {"year": ctx.year},
                ),
                missing=[N_("hearings of organisations")],
                collections=("hearings",),
            )
        minimum_days = int(ctx.thresholds["min_days"])

        def gaps(hearing: Hearing) -> list[str]:
            found = hearing_gaps(hearing)
            short = hearing.deadline is not None and (
                (hearing.deadline - hearing.date).days < minimum_days
            )
            if "days" not in found and short:
                found.append("days")
            return found

        best = min(held, key=lambda pair: (len(gaps(pair[0])), -pair[0].date.toordinal()))[0]
        missing = gaps(best)
        hearings = [h for h, _orgs in held]
        params: dict[str, object] = {
            "year": ctx.year,
            "count": len(hearings),
            "topic": best.topic,
            "decision": best.decision or "–",
            "days": (best.deadline - best.date).days if best.deadline else 0,
            "missing": _msgids(HEARING_GAPS[g] for g in missing),
        }
        if missing:
            return Verdict(
                Status.PARTIAL,
                NP_(
                    "Organisations were heard in %(year)d (one hearing: %(topic)s), but its "
                    "record does not show %(missing)s.",
                    "Organisations were heard in %(count)d hearings in %(year)d; the best "
                    "recorded, %(topic)s, does not show %(missing)s.",
                ),
                params,
                _ids(hearings),
            )
        if ctx.subject.kind is PartyKind.MUNICIPALITY:
            working = ctx.organisations_working_here()
            heard = set().union(*(orgs for _h, orgs in held)) & working
            share = len(heard) / len(working) if working else 1.0
            if share < ctx.thresholds["min_heard_share"]:
                params |= {
                    "heard": len(heard),
                    "working": len(working),
                    "percent": round(share * 100),
                    "minimum": round(ctx.thresholds["min_heard_share"] * 100),
                }
                return Verdict(
                    Status.PARTIAL,
                    NP_(
                        "%(topic)s prepared %(decision)s properly, but the hearings of "
                        "%(year)d heard only one of the %(working)d organisations working "
                        "here (%(percent)d %%; target at least %(minimum)d %%).",
                        "%(topic)s prepared %(decision)s properly, but the hearings of "
                        "%(year)d heard only %(heard)d of the %(working)d organisations "
                        "working here (%(percent)d %%; target at least %(minimum)d %%).",
                        count="heard",
                    ),
                    params,
                    _ids(hearings),
                )
        return Verdict(
            Status.MET,
            NP_(
                "Organisations were heard on %(topic)s before %(decision)s, with one day to "
                "respond, and the response was published.",
                "Organisations were heard on %(topic)s before %(decision)s, with %(days)d days "
                "to respond, and the response was published.",
                count="days",
            ),
            params,
            _ids(hearings),
        )


def _funds(agreement: Agreement) -> bool:
    """0 € is a refused application, not a grant (domain.md): it never counts as funding."""
    return agreement.annual_amount_eur is None or agreement.annual_amount_eur > 0


def _grants_of(ctx: Context, year: int) -> list[Agreement]:
    """The subject's grants in force in ``year``; 0 € is a refused application, not a grant.

    The assessed year and the one before come from the year index's lists by body: a
    scan of every agreement per subject made a national assessment quadratic.
    """
    index = ctx.index
    if year in (ctx.year, ctx.year - 1):
        candidates: Iterable[Agreement] = index.of(index.recent_by_party, ctx.subject)
    else:
        candidates = (a for a in ctx.dataset.agreements if ctx.is_subject(a.party))
    return [
        a
        for a in candidates
        if a.kind in GRANT_KINDS and in_force(a.start, a.end, year) and _funds(a)
    ]


def _total(agreements: Iterable[Agreement]) -> Decimal:
    return sum(
        (a.annual_amount_eur for a in agreements if a.annual_amount_eur is not None), Decimal(0)
    )


class Grants(Rule):
    """Met when the subject pays operating grants above 0 € to organisations in the year and
    their total is not cut by 30 % or more from the year before (where both years are
    covered); the finding states the sum, euros per resident and the share that went to local
    organisations with fewer than 100 members, where members are known. Partial when only
    project grants are paid, or on such a cut.
    """

    code = "core.grants"
    sources = (
        "soste-kuntavaalit-2021#jarjestojen-tuki",
        "soste-aluevaalit-2022#tavoite-3",
        "vslj-mll-kannanotto-2022#avustusten-jatkuminen",
        "pohjois-pohjanmaa-jarjestoystavallinen-kunta#kohta-5",
    )
    laws = MappingProxyType(
        {
            PartyKind.MUNICIPALITY: ("jarjestamislaki-612-2021#6",),
            PartyKind.AREA: ("jarjestamislaki-612-2021#7",),
        }
    )
    own_records = False
    thresholds = MappingProxyType({"max_cut_share": 0.3})

    def judge(self, ctx: Context) -> Verdict:
        grants = _grants_of(ctx, ctx.year)
        if not grants:
            return self.absent(
                ctx,
                Verdict(
                    Status.NOT_MET,
                    N_("No grants above 0 € to organisations in %(year)d."),
                    {"year": ctx.year},
                ),
                missing=[N_("grants to organisations")],
                collections=("agreements",),
            )
        organisations = ctx.active_organisations()
        total = _total(grants)
        population = ctx.reference.population(ctx.subject, ctx.year)
        per_resident = (
            (total / population).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if population
            else Decimal(0)
        )
        local = [
            a
            for a in grants
            if (o := organisations.get(a.organisation)) is not None and o.scope is Scope.LOCAL
        ]
        known = [a for a in local if organisations[a.organisation].members is not None]
        small = [
            a
            for a in known
            if (members := organisations[a.organisation].members) is not None
            and members < SMALL_MEMBERS
        ]
        small_total = _total(small)
        params: dict[str, object] = {
            "year": ctx.year,
            "count": len(grants),
            "total": total,
            "per_resident": per_resident,
            "small": small_total,
            "small_percent": round(100 * small_total / total) if total else 0,
            "members_unknown": len(local) - len(known),
        }
        operating = [a for a in grants if a.kind is AgreementKind.OPERATING_GRANT]
        cut = self._cut(ctx, operating)
        if cut is not None:
            before, now = cut
            params |= {
                "before": before,
                "now": now,
                "amount": total,
                "cut_percent": round(100 - 100 * now / before),
            }
            return Verdict(
                Status.PARTIAL,
                N_(
                    "Operating grants were cut by %(cut_percent)d %% from the year before "
                    "(%(before)s to %(now)s); %(amount)s in all, %(per_resident)s per resident."
                ),
                params,
                _ids(grants),
            )
        if operating and not local:
            return Verdict(
                Status.MET,
                NP_(
                    "One grant in %(year)d: %(total)s, %(per_resident)s per resident; none to "
                    "a local organisation.",
                    "%(count)d grants in %(year)d: %(total)s, %(per_resident)s per resident; "
                    "none to a local organisation.",
                ),
                params,
                _ids(grants),
            )
        if operating and not known:
            # No member count of a local recipient: the small organisations' share is unknown.
            return Verdict(
                Status.MET,
                NP_(
                    "One grant in %(year)d: %(total)s, %(per_resident)s per resident; the "
                    "members of its local recipient are not recorded.",
                    "%(count)d grants in %(year)d: %(total)s, %(per_resident)s per resident; the "
                    "members of their local recipients are not recorded.",
                ),
                params,
                _ids(grants),
            )
        if operating and params["members_unknown"]:
            return Verdict(
                Status.MET,
                NP_(
                    "One grant in %(year)d: %(total)s, %(per_resident)s per resident; "
                    "%(small)s (%(small_percent)d %%) to local organisations with fewer than "
                    "100 members, where members are recorded.",
                    "%(count)d grants in %(year)d: %(total)s, %(per_resident)s per resident; "
                    "%(small)s (%(small_percent)d %%) to local organisations with fewer than "
                    "100 members, where members are recorded.",
                ),
                params,
                _ids(grants),
            )
        if operating:
            return Verdict(
                Status.MET,
                NP_(
                    "One grant in %(year)d: %(total)s, %(per_resident)s per resident; "
                    "%(small)s (%(small_percent)d %%) to local organisations with fewer than "
                    "100 members.",
                    "%(count)d grants in %(year)d: %(total)s, %(per_resident)s per resident; "
                    "%(small)s (%(small_percent)d %%) to local organisations with fewer than "
                    "100 members.",
                ),
                params,
                _ids(grants),
            )
        return Verdict(
            Status.PARTIAL,
            NP_(
                "Only a project grant is paid in %(year)d (%(total)s, %(per_resident)s per "
                "resident): no operating grant is recorded.",
                "Only project grants are paid in %(year)d (%(count)d, %(total)s, "
                "%(per_resident)s per resident): no operating grant is recorded.",
            ),
            params,
            _ids(grants),
        )

    def _cut(self, ctx: Context, operating: Sequence[Agreement]) -> tuple[Decimal, Decimal] | None:
        """The previous and this year's operating grant totals, when cut by the threshold or
        more; claimed only where the subject's agreements are covered in both years."""
        covered = ctx.covering
        if covered(("agreements",)) is None or covered(("agreements",), None, ctx.year - 1) is None:
            return None
        before = _total(
            a for a in _grants_of(ctx, ctx.year - 1) if a.kind is AgreementKind.OPERATING_GRANT
        )
        now = _total(operating)
        if before > 0 and now <= before * Decimal(str(1 - ctx.thresholds["max_cut_share"])):
            return before, now
        return None


class Appropriations(Rule):
    """Met when a health and wellbeing promotion appropriation of the year reserves an amount
    for organisation grants; partial when such an appropriation reserves nothing for them.
    """

    code = "core.appropriation"
    sources = (
        "soste-kuntavaalit-2021#jarjestojen-tuki",
        "soste-kuntavaalit-2021#toimenpiteet.5",
    )
    own_records = False

    def judge(self, ctx: Context) -> Verdict:
        lines = [
            a
            for a in ctx.dataset.appropriations
            if a.year == ctx.year and ctx.is_subject(a.party) and a.hyte is True
        ]
        reserving = [a for a in lines if (a.grants_reserved_eur or Decimal(0)) > 0]
        if reserving:
            best = max(reserving, key=lambda a: a.grants_reserved_eur or Decimal(0))
            return Verdict(
                Status.MET,
                N_(
                    "%(line)s of %(year)d reserves %(reserved)s of %(amount)s for "
                    "organisation grants."
                ),
                _line_params(ctx, best),
                _ids(reserving),
            )
        nothing = [a for a in lines if a.grants_reserved_eur is not None]
        if nothing:
            return Verdict(
                Status.PARTIAL,
                N_("%(line)s of %(year)d (%(amount)s) reserves nothing for organisation grants."),
                _line_params(ctx, nothing[0]),
                _ids(nothing),
            )
        if lines:
            return Verdict(
                Status.UNKNOWN,
                N_(
                    "%(line)s of %(year)d (%(amount)s) is recorded, but not the part reserved "
                    "for organisation grants."
                ),
                _line_params(ctx, lines[0]),
                _ids(lines),
            )
        return self.absent(
            ctx,
            Verdict(
                Status.NOT_MET,
                N_("No health and wellbeing promotion appropriation in %(year)d."),
                {"year": ctx.year},
            ),
            missing=[N_("a health and wellbeing promotion appropriation")],
            collections=("appropriations",),
        )


def _line_params(ctx: Context, line: Appropriation) -> dict[str, object]:
    return {
        "year": ctx.year,
        "line": line.line,
        "amount": line.amount_eur,
        "reserved": line.grants_reserved_eur or Decimal(0),
    }


def _strategies(ctx: Context) -> list[Commitment]:
    return [c for c in ctx.own_commitments() if in_force(c.start, c.end, ctx.year)]


class Strategy(Rule):
    """Met when the subject's strategy in force (a municipality's kuntastrategia, an area's
    hyvinvointialuestrategia) covers linking services, the partnership structure, grant
    continuation, funding principles, premises use and participation channels; partial when
    it covers some of the six. The finding names what is missing.
    """

    code = "core.strategy"
    sources = (
        "vslj-mll-kannanotto-2022#strategia",
        "vslj-mll-kannanotto-2022#avustusten-jatkuminen",
    )
    subject_sources = MappingProxyType(
        {
            PartyKind.MUNICIPALITY: ("soste-kuntavaalit-2021#tavoite-2",),
            PartyKind.AREA: (
                "soste-aluevaalit-2022#tavoite-1",
                "soste-aluevaalit-2022#tavoite-2",
                "soste-aluevaalit-2022#tavoite-3",
            ),
        }
    )
    laws = MappingProxyType(
        {
            PartyKind.MUNICIPALITY: ("kuntalaki-410-2015#37",),
            PartyKind.AREA: ("hyvinvointialuelaki-611-2021#41",),
        }
    )
    own_records = False

    def judge(self, ctx: Context) -> Verdict:
        strategies = _strategies(ctx)
        covered = {t for c in strategies for t in c.topics} & set(STRATEGY_TOPICS)
        missing = [name for topic, name in STRATEGY_TOPICS.items() if topic not in covered]
        if not strategies:
            return self.absent(
                ctx,
                Verdict(
                    Status.NOT_MET, N_("No strategy is in force in %(year)d."), {"year": ctx.year}
                ),
                missing=[N_("the strategy in force")],
                collections=("commitments",),
            )
        params = {
            "year": ctx.year,
            "count": len(covered),
            "documents": Terms(tuple(c.document for c in strategies)),
            "covered": _msgids(name for t, name in STRATEGY_TOPICS.items() if t in covered),
            "missing": _msgids(missing),
        }
        useful = [c for c in strategies if set(c.topics) & covered] or strategies
        if not missing:
            return Verdict(
                Status.MET,
                N_("%(documents)s covers all six topics of cooperation with organisations."),
                params,
                _ids(useful),
            )
        if covered:
            return Verdict(
                Status.PARTIAL,
                NP_(
                    "%(documents)s covers one of the six topics (%(covered)s); it does not "
                    "cover %(missing)s.",
                    "%(documents)s covers %(count)d of the six topics (%(covered)s); it does "
                    "not cover %(missing)s.",
                ),
                params,
                _ids(useful),
            )
        # A strategy on record that covers none of the topics is itself the evidence.
        return Verdict(
            Status.NOT_MET,
            N_("%(documents)s covers none of the six topics: %(missing)s."),
            params,
            _ids(strategies),
        )


class SmallProducers(Rule):
    """Wellbeing areas: met when procurements from organisations are divided into lots and
    service vouchers or personal budgets are used, or the strategy commits to both
    (``procurement_lots``, ``vouchers_and_budgets``); partial when one of the two holds.
    """

    code = "core.small-producers"
    subjects = AREA_ONLY
    sources = ("soste-aluevaalit-2022#tavoite-1",)
    laws = MappingProxyType(
        {
            PartyKind.AREA: ("hankintalaki-1397-2016#75", "palvelusetelilaki-569-2009"),
        }
    )
    own_records = False

    def judge(self, ctx: Context) -> Verdict:
        agreements = ctx.agreements_in_force()
        lots = [a for a in agreements if a.kind is AgreementKind.SERVICE_PURCHASE and a.lots]
        vouchers = [
            a
            for a in agreements
            if a.kind in (AgreementKind.SERVICE_VOUCHER, AgreementKind.PERSONAL_BUDGET)
        ]
        strategies = _strategies(ctx)
        lots_pledged = [c for c in strategies if Topic.PROCUREMENT_LOTS in c.topics]
        vouchers_pledged = [c for c in strategies if Topic.VOUCHERS_AND_BUDGETS in c.topics]
        has_lots = bool(lots or lots_pledged)
        has_vouchers = bool(vouchers or vouchers_pledged)
        evidence = _ids(lots) + _ids(vouchers) + _ids(lots_pledged) + _ids(vouchers_pledged)
        params = {
            "lots": NAMES_LOTS[(bool(lots), bool(lots_pledged))],
            "vouchers": NAMES_VOUCHERS[(bool(vouchers), bool(vouchers_pledged))],
        }
        if has_lots and has_vouchers:
            return Verdict(
                Status.MET,
                N_("Procurements divided into lots: %(lots)s; vouchers or budgets: %(vouchers)s."),
                params,
                evidence,
            )
        if has_lots or has_vouchers:
            # The one not found already reads "not recorded" in the sentence.
            return Verdict(
                Status.PARTIAL,
                N_("Procurements divided into lots: %(lots)s; vouchers or budgets: %(vouchers)s."),
                params,
                evidence,
            )
        return self.absent(
            ctx,
            Verdict(
                Status.NOT_MET,
                N_("No procurement divided into lots and no service vouchers or personal budgets."),
            ),
            missing=[
                N_("procurements divided into lots"),
                N_("service vouchers or personal budgets"),
            ],
            collections=("agreements", "commitments"),
        )


#: How small producers' chances show: in agreements, in the strategy, both, or neither.
NAMES_LOTS: Final = {
    (True, True): Terms((N_("in agreements and in the strategy"),)),
    (True, False): Terms((N_("in agreements"),)),
    (False, True): Terms((N_("in the strategy"),)),
    (False, False): Terms((N_("not recorded"),)),
}
NAMES_VOUCHERS: Final = NAMES_LOTS


def _reports(ctx: Context) -> list[WelfareReport]:
    """The subject's welfare reports and plans in force in the year (yearly reports aside)."""
    return [
        r
        for r in ctx.dataset.welfare_reports
        if r.kind in (WelfareReportKind.REPORT, WelfareReportKind.PLAN)
        and in_force(r.start, r.end, ctx.year)
        and ctx.is_subject(r.party)
    ]


class KnowledgeManagement(Rule):
    """Met when the subject's welfare report or plan in force includes organisations' activity
    and data and organisations were heard in its preparation; partial when one of the two
    holds, or, with no welfare report recorded, when participants are reported for at least
    80 % of the subject's prevention-domain organisation services.
    """

    code = "core.knowledge-management"
    sources = ("vslj-mll-kannanotto-2022#tietojohtaminen",)
    laws = MappingProxyType(
        {
            PartyKind.MUNICIPALITY: ("jarjestamislaki-612-2021#6",),
            PartyKind.AREA: ("jarjestamislaki-612-2021#7",),
        }
    )
    own_records = False
    thresholds = MappingProxyType({"min_reported_share": 0.8})

    def judge(self, ctx: Context) -> Verdict:
        reports = _reports(ctx)
        if reports:
            return self._by_reports(ctx, reports)
        return self._by_participants(ctx)

    def _by_reports(self, ctx: Context, reports: Sequence[WelfareReport]) -> Verdict:
        def score(r: WelfareReport) -> int:
            return (r.includes_organisations is True) + (r.organisations_heard is True)

        best = max(reports, key=score)
        params: dict[str, object] = {"year": ctx.year, "report": _report_name(best)}
        shown = [
            name
            for value, name in (
                (best.includes_organisations, N_("organisations' activity and data in it")),
                (best.organisations_heard, N_("organisations heard in its preparation")),
            )
            if value is True
        ]
        not_shown = [
            name
            for value, name in (
                (best.includes_organisations, N_("organisations' activity and data in it")),
                (best.organisations_heard, N_("organisations heard in its preparation")),
            )
            if value is not True
        ]
        params |= {"shown": _msgids(shown), "missing": _msgids(not_shown)}
        if not not_shown:
            return Verdict(
                Status.MET,
                N_(
                    "The %(report)s in force includes organisations' activity and data, and "
                    "organisations were heard in its preparation."
                ),
                params,
                _ids(reports),
            )
        if shown:
            return Verdict(
                Status.PARTIAL,
                N_("The %(report)s in force shows %(shown)s, but not %(missing)s."),
                params,
                _ids(reports),
            )
        known_no = best.includes_organisations is False and best.organisations_heard is False
        if known_no:
            return Verdict(
                Status.NOT_MET,
                N_(
                    "The %(report)s in force neither includes organisations' activity and data "
                    "nor heard organisations in its preparation."
                ),
                params,
                _ids(reports),
            )
        return Verdict(
            Status.UNKNOWN,
            N_("The %(report)s in force is recorded, but not %(missing)s."),
            params,
            _ids(reports),
        )

    def _by_participants(self, ctx: Context) -> Verdict:
        prevention = {k for k, d in ctx.service_kinds.items() if d.value == "prevention"}
        services = [s for s in ctx.services_working_here() if s.kind in prevention]
        reported = [s for s in services if s.participants_per_year is not None]
        minimum = ctx.thresholds["min_reported_share"]
        if services and len(reported) >= minimum * len(services):
            return Verdict(
                Status.PARTIAL,
                NP_(
                    "No welfare report is recorded for %(year)d, but participants are reported "
                    "for the one prevention-domain service working here.",
                    "No welfare report is recorded for %(year)d, but participants are reported "
                    "for %(reported)d of the %(count)d prevention-domain services working here.",
                ),
                {"year": ctx.year, "count": len(services), "reported": len(reported)},
                _ids(reported),
            )
        return self.absent(
            ctx,
            Verdict(
                Status.NOT_MET,
                N_("No welfare report or plan is in force in %(year)d."),
                {"year": ctx.year},
                _ids(reported),
            ),
            missing=[N_("the welfare report or plan in force")],
            collections=("welfare_reports",),
        )


def _report_name(report: WelfareReport) -> Terms:
    return Terms((REPORT_NAMES[report.kind],))


REPORT_NAMES: Final = {
    WelfareReportKind.REPORT: N_("welfare report"),
    WelfareReportKind.PLAN: N_("welfare plan"),
    WelfareReportKind.ANNUAL_REPORT: N_("annual welfare report"),
}
