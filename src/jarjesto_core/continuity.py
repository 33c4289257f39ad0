"""Grant continuity: which operating grants stopped, and the reform gap.

An organisation with an operating grant from a party in Y−1 and none from
that party in Y has an interruption (katkos) of that party in Y, unless it
was dissolved before Y or another party took it over (paid it an operating
grant or bought its services in Y).

The reform gap is marked even when the organisation was taken over: the
organisations fear exactly the loss of the municipal operating grant in 2023, and a
wellbeing area that buys services instead does not replace it. So a reform
gap is always reported as an interruption with ``reform_gap`` set.

Parties are compared as bodies in the year: Helsinki's ``area:90`` is
``municipality:091``, and a merged municipality's code is its successor after
the merger (so Pertunmaa's grant continued by Mäntyharju in 2025 is no
interruption). A joint authority's grant that the area takes over in 2023 is a
take-over like any other; a reform gap is a municipality's, and never on Åland,
which is outside the reform.

Only on covered years (domain.md, "Grant continuity"): an interruption or a
cut is claimed only where the dataset covers the party's agreements in both
years; without coverage a change between years is "not recorded", never an
interruption. A cut is an operating grant of the same party that fell by
:data:`CUT_SHARE` or more; a late decision is a grant decided more than
:data:`LATE_DAYS` days after it began (evidence in the record itself, so no
coverage is needed). A 0 € agreement is a refused application: it never
counts as a grant here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Container, Iterable, Mapping
from decimal import Decimal
from typing import Final

from attrs import frozen

from jarjesto_core.coverage import CoverageIndex
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Dataset,
    Domain,
    PartyKind,
    PartyRef,
    in_force,
)
from jarjesto_core.reference import AREA_ALAND, Reference

__all__ = [
    "CUT_SHARE",
    "LATE_DAYS",
    "REFORM_YEAR",
    "GrantYear",
    "Interruption",
    "grant_history",
    "interruptions",
]

#: Wellbeing areas took over social and health services on 1 January 2023.
REFORM_YEAR: Final = 2023
_AT_RISK: Final = frozenset({Domain.SOTE, Domain.PREVENTION})
#: A fall of this share or more of an operating grant from one year to the next is a cut.
CUT_SHARE: Final = Decimal("0.3")
#: A grant decided more than this many days after its start was decided late.
LATE_DAYS: Final = 30
#: An organisation funded by more than one body in a year.
_SEVERAL: Final = object()


@frozen(order=True)
class Interruption:
    organisation: str
    party: PartyRef
    year: int
    reform_gap: bool
    #: The operating grants of the year before, which were not continued (a cut: and this
    #: year's; a late decision: the late grant).
    previous: tuple[str, ...] = ()
    #: ``interruption``, ``cut`` or ``late`` (criteria.md, "The report").
    kind: str = "interruption"

    def as_json(self) -> dict[str, object]:
        return {
            "organisation": self.organisation,
            "party": str(self.party),
            "year": self.year,
            "kind": self.kind,
            "reform_gap": self.reform_gap,
        }


@frozen(order=True)
class GrantYear:
    """What one party paid one organisation in one year, by agreement kind."""

    organisation: str
    party: PartyRef
    year: int
    kinds: tuple[AgreementKind, ...]
    amount: Decimal | None
    agreements: tuple[str, ...]


def _year_tables(
    agreements: Iterable[Agreement], year: int, reference: Reference
) -> tuple[
    dict[tuple[str, PartyRef], list[Agreement]],
    set[tuple[str, PartyRef]],
    dict[str, PartyRef | object],
]:
    """Operating grants in force in ``year - 1`` and in ``year``, and who funds whom in ``year``.

    One pass over the agreements (not three): at national scale there are 250,000.
    Keys are (organisation, body), each party read as a body in ``year``. An
    organisation's funder in ``year`` is its one body, or ``_SEVERAL`` (no set per
    organisation: only "was it someone else" is asked).
    """
    before: defaultdict[tuple[str, PartyRef], list[Agreement]] = defaultdict(list)
    now: set[tuple[str, PartyRef]] = set()
    funders_now: dict[str, PartyRef | object] = {}
    grant, purchase = AgreementKind.OPERATING_GRANT, AgreementKind.SERVICE_PURCHASE
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    before_start, before_end = dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)
    bodies: dict[PartyRef, PartyRef] = {}
    for a in agreements:
        kind = a.kind
        if kind is not grant and kind is not purchase:
            continue
        if a.annual_amount_eur is not None and not a.annual_amount_eur:
            continue  # 0 €: a refused application, not funding
        # in_force(), inlined with years compared as dates (twice as fast).
        start, end = a.start, a.end
        in_now = start <= year_end and (end is None or end >= year_start)
        in_before = start <= before_end and (end is None or end >= before_start)
        if not (in_now or in_before):
            continue
        party = a.party
        body = bodies.get(party)
        if body is None:
            body = bodies[party] = reference.body(party, year)
        org = a.organisation
        if in_now:
            funder = funders_now.get(org)
            if funder is None:
                funders_now[org] = body
            elif funder is not body:
                funders_now[org] = _SEVERAL
            if kind is grant:
                now.add((org, body))
        if in_before and kind is grant:
            before[(org, body)].append(a)
    return before, now, funders_now


def interruptions(
    dataset: Dataset,
    reference: Reference,
    years: Iterable[int],
    service_kinds: Mapping[str, Domain],
    *,
    agreements: Iterable[Agreement] | None = None,
    parties: Iterable[PartyRef] | None = None,
    coverage: CoverageIndex | None = None,
) -> tuple[Interruption, ...]:
    """Every interruption, cut and late decision in ``years``, sorted by year, organisation
    and party (see the module docstring for what coverage each needs).

    ``agreements``, when given, replaces ``dataset.agreements``: it must hold at
    least every agreement in force in each year or the year before it (an
    assessment passes its year index's ``recent_agreements``).
    ``parties``, when given, limits the answer to interruptions by these bodies,
    and the work to the organisations they paid operating grants: a one-area
    assessment need not look at the whole country's grants.
    """
    dissolved = {o.id: o.dissolved.year for o in dataset.organisations if o.dissolved is not None}
    chosen = dataset.agreements if agreements is None else tuple(agreements)
    if coverage is None:
        coverage = CoverageIndex(dataset, reference)
    wanted = None if parties is None else {Reference.canonical(p) for p in parties}
    if wanted is not None:
        # Whether a grant stopped depends only on the organisation's own agreements.
        paid = {
            a.organisation
            for a in chosen
            if a.kind.funds and Reference.canonical(a.party) in wanted
        }
        chosen = tuple([a for a in chosen if a.organisation in paid])
    found: list[Interruption] = []

    def covered(party: PartyRef, year: int) -> bool:
        return coverage.covered("agreements", party, year - 1) and coverage.covered(
            "agreements", party, year
        )

    for year in sorted(set(years)):
        before, now, funders_now = _year_tables(chosen, year, reference)
        sums = _operating_sums(chosen, year, reference) if coverage else {}
        stopped = []
        for key, grants in before.items():
            org_id, party = key
            if (wanted is not None and party not in wanted) or dissolved.get(org_id, year) < year:
                continue
            if not (coverage and covered(party, year)):
                continue  # no grant data of one of the years: not recorded, not an interruption
            if key in now:
                cut = _cut(sums, org_id, party, year)
                if cut is not None:
                    found.append(Interruption(org_id, party, year, False, cut, "cut"))
                continue
            stopped.append((org_id, party, grants))
        found.extend(_late(chosen, year, wanted, reference))
        gaps = (
            _ReformGaps(dataset, service_kinds, reference, now, stopped, coverage)
            if year == REFORM_YEAR
            else None
        )
        for org_id, party, grants in stopped:
            gap = gaps is not None and gaps.gap(org_id, party, grants)
            funder = funders_now.get(org_id)
            taken_over = funder is not None and funder is not party
            if taken_over and not gap:
                continue
            found.append(
                Interruption(org_id, party, year, gap, tuple(sorted(a.id for a in grants)))
            )
    return tuple(sorted(found, key=lambda i: (i.year, i.organisation, i.party)))


def _operating_sums(
    agreements: Iterable[Agreement], year: int, reference: Reference
) -> dict[tuple[str, PartyRef, int], tuple[Decimal | None, list[str]]]:
    """Operating grants above 0 € by (organisation, body, year) for ``year - 1`` and ``year``:
    the sum (None when an amount is not recorded) and the agreements. One pass;
    parties are read as bodies in ``year``, as in :func:`_year_tables`."""
    sums: dict[tuple[str, PartyRef, int], tuple[Decimal | None, list[str]]] = {}
    bodies: dict[PartyRef, PartyRef] = {}
    for a in agreements:
        if a.kind is not AgreementKind.OPERATING_GRANT:
            continue
        amount = a.annual_amount_eur
        if amount is not None and not amount:
            continue
        body = bodies.get(a.party)
        if body is None:
            body = bodies[a.party] = reference.body(a.party, year)
        for y in (year - 1, year):
            if in_force(a.start, a.end, y):
                key = (a.organisation, body, y)
                total, ids = sums.get(key, (Decimal(0), []))
                ids.append(a.id)
                sums[key] = (None if total is None or amount is None else total + amount, ids)
    return sums


def _cut(
    sums: Mapping[tuple[str, PartyRef, int], tuple[Decimal | None, list[str]]],
    org_id: str,
    party: PartyRef,
    year: int,
) -> tuple[str, ...] | None:
    """The agreements of both years when the grant fell by CUT_SHARE or more; else None."""
    before, old = sums.get((org_id, party, year - 1), (None, []))
    now, new = sums.get((org_id, party, year), (None, []))
    if before is None or now is None or before <= 0:
        return None
    if now <= before * (1 - CUT_SHARE):
        return tuple(sorted({*old, *new}))
    return None


def _late(
    agreements: Iterable[Agreement],
    year: int,
    wanted: Container[PartyRef] | None,
    reference: Reference,
) -> list[Interruption]:
    """Grants beginning in ``year`` that were decided more than LATE_DAYS days after their start."""
    found = []
    bodies: dict[PartyRef, PartyRef] = {}
    for a in agreements:
        if a.kind not in (AgreementKind.OPERATING_GRANT, AgreementKind.PROJECT_GRANT):
            continue
        if a.decided is None or a.start.year != year:
            continue
        if a.annual_amount_eur is not None and not a.annual_amount_eur:
            continue
        if (a.decided - a.start).days <= LATE_DAYS:
            continue
        body = bodies.get(a.party)
        if body is None:
            body = bodies[a.party] = reference.body(a.party, year)
        if wanted is not None and body not in wanted:
            continue
        found.append(Interruption(a.organisation, body, year, False, (a.id,), "late"))
    return found


class _ReformGaps:
    """Whether a stopped municipal grant in the reform year is a reform gap.

    It is when the grant covered a social, health or prevention service and
    the organisation has no operating grant from the municipality's area in
    the reform year. Services are looked at once, not once per stopped grant,
    and only those the stopped grants can concern (a fifth of the country's).
    """

    def __init__(
        self,
        dataset: Dataset,
        service_kinds: Mapping[str, Domain],
        reference: Reference,
        now: Container[tuple[str, PartyRef]],
        stopped: Iterable[tuple[str, PartyRef, list[Agreement]]],
        coverage: CoverageIndex,
    ) -> None:
        self.reference = reference
        self.coverage = coverage
        self.now = now
        self._areas: dict[str, PartyRef | None] = {}
        # The organisations whose grants may be a gap, and the services those grants name.
        organisations: set[str] = set()
        named: set[str] = set()
        for org_id, party, grants in stopped:
            if party.kind is PartyKind.MUNICIPALITY:
                organisations.add(org_id)
                for a in grants:
                    named.update(a.services)
        at_risk_kinds = {kind for kind, domain in service_kinds.items() if domain in _AT_RISK}
        at_risk = [
            s
            for s in dataset.services
            if (s.organisation in organisations or s.id in named) and s.kind in at_risk_kinds
        ]
        #: Of those, the service ids of an at-risk kind, and the organisations that run one.
        self.at_risk = frozenset(s.id for s in at_risk)
        self.organisations_at_risk = frozenset(s.organisation for s in at_risk)

    def _area(self, municipality: str) -> PartyRef | None:
        """The municipality's wellbeing area in the reform year, as a body."""
        if municipality not in self._areas:
            area = self.reference.area_of(municipality, REFORM_YEAR)
            self._areas[municipality] = (
                None if area is None else Reference.canonical(PartyRef.area(area))
            )
        return self._areas[municipality]

    def gap(self, org_id: str, party: PartyRef, grants: list[Agreement]) -> bool:
        if party.kind is not PartyKind.MUNICIPALITY:
            return False
        if self.reference.area_of(party.code, REFORM_YEAR) == AREA_ALAND:
            return False
        area = self._area(party.code)
        if area is not None and (org_id, area) in self.now:
            return False
        if area is None or not self.coverage.covered("agreements", area, REFORM_YEAR):
            return False  # whether the area took it over is not recorded
        # The grants' services (all the organisation's where a grant names none).
        return any(
            self.at_risk.intersection(a.services)
            if a.services
            else org_id in self.organisations_at_risk
            for a in grants
        )


def grant_history(
    dataset: Dataset,
    years: Iterable[int],
    *,
    organisation: str | None = None,
    party: PartyRef | None = None,
) -> tuple[GrantYear, ...]:
    """Funding agreements by organisation, party and year: the ``jarjesto grants`` table."""
    rows: list[GrantYear] = []
    wanted = Reference.canonical(party) if party is not None else None
    # Filter once, not once a year: the web's area page asks for a dozen funders.
    chosen: list[tuple[Agreement, PartyRef]] = []
    for a in dataset.agreements:
        if not a.kind.funds or (organisation is not None and a.organisation != organisation):
            continue
        who = Reference.canonical(a.party)
        if wanted is None or who == wanted:
            chosen.append((a, who))
    for year in sorted(set(years)):
        grouped: dict[tuple[str, PartyRef], list[Agreement]] = {}
        for a, who in chosen:
            if in_force(a.start, a.end, year):
                grouped.setdefault((a.organisation, who), []).append(a)
        for (org_id, who), items in grouped.items():
            amounts = [a.annual_amount_eur for a in items if a.annual_amount_eur is not None]
            rows.append(
                GrantYear(
                    organisation=org_id,
                    party=who,
                    year=year,
                    kinds=tuple(sorted({a.kind for a in items})),
                    amount=sum(amounts, Decimal(0)) if amounts else None,
                    agreements=tuple(sorted(a.id for a in items)),
                )
            )
    return tuple(sorted(rows, key=lambda r: (r.organisation, str(r.party), r.year)))
