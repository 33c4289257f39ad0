"""Grant continuity: which operating grants stopped, and the reform gap.

An organisation with an operating grant from a party in Y−1 and none from
that party in Y has an interruption (katkos) of that party in Y, unless it
was dissolved before Y or another party took it over (paid it an operating
grant or bought its services in Y).

The reform gap is marked even when the organisation was taken over: the
seeds fear exactly the loss of the municipal operating grant in 2023, and a
wellbeing area that buys services instead does not replace it. So a reform
gap is always reported as an interruption with ``reform_gap`` set.

Parties are compared as bodies: Helsinki's ``area:90`` is ``municipality:091``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final

from attrs import frozen

from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Dataset,
    Domain,
    PartyKind,
    PartyRef,
    in_force,
)
from jarjesto_core.perf import gc_paused
from jarjesto_core.reference import Reference

__all__ = ["REFORM_YEAR", "GrantYear", "Interruption", "grant_history", "interruptions"]

#: Wellbeing areas took over social and health services on 1 January 2023.
REFORM_YEAR: Final = 2023
_AT_RISK: Final = frozenset({Domain.SOTE, Domain.PREVENTION})


@frozen(order=True)
class Interruption:
    organisation: str
    party: PartyRef
    year: int
    reform_gap: bool
    #: The operating grants of the year before, which were not continued.
    previous: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "organisation": self.organisation,
            "party": str(self.party),
            "year": self.year,
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
    agreements: Iterable[Agreement], year: int
) -> tuple[
    dict[tuple[str, PartyRef], list[Agreement]],
    dict[tuple[str, PartyRef], list[Agreement]],
    dict[str, set[PartyRef]],
]:
    """Operating grants in force in ``year - 1`` and in ``year``, and who funds whom in ``year``.

    One pass over the agreements (not three): at national scale there are 250,000.
    """
    before: dict[tuple[str, PartyRef], list[Agreement]] = {}
    now: dict[tuple[str, PartyRef], list[Agreement]] = {}
    funders_now: dict[str, set[PartyRef]] = {}
    grant, purchase = AgreementKind.OPERATING_GRANT, AgreementKind.SERVICE_PURCHASE
    for a in agreements:
        kind = a.kind
        if kind is not grant and kind is not purchase:
            continue
        first, last = a.start.year, (a.end.year if a.end is not None else None)
        in_now = first <= year and (last is None or last >= year)
        in_before = first <= year - 1 and (last is None or last >= year - 1)
        if not (in_now or in_before):
            continue
        party = Reference.canonical(a.party)
        if in_now:
            funders_now.setdefault(a.organisation, set()).add(party)
        if kind is grant:
            if in_before:
                before.setdefault((a.organisation, party), []).append(a)
            if in_now:
                now.setdefault((a.organisation, party), []).append(a)
    return before, now, funders_now


@gc_paused()
def interruptions(
    dataset: Dataset,
    reference: Reference,
    years: Iterable[int],
    service_kinds: Mapping[str, Domain],
    *,
    agreements: Iterable[Agreement] | None = None,
) -> tuple[Interruption, ...]:
    """Every interruption in ``years``, sorted by year, organisation and party.

    ``agreements``, when given, replaces ``dataset.agreements``: it must hold at
    least every agreement in force in each year or the year before it (an
    assessment passes its year index's ``recent_agreements``).
    """
    organisations = {o.id: o for o in dataset.organisations}
    services_of: dict[str, list[str]] = {}
    kind_of: dict[str, str] = {}
    for s in dataset.services:
        services_of.setdefault(s.organisation, []).append(s.id)
        kind_of[s.id] = s.kind
    chosen = dataset.agreements if agreements is None else tuple(agreements)
    found: list[Interruption] = []
    for year in sorted(set(years)):
        before, now, funders_now = _year_tables(chosen, year)
        for (org_id, party), grants in before.items():
            if (org_id, party) in now:
                continue
            org = organisations.get(org_id)
            if org is not None and org.dissolved is not None and org.dissolved.year < year:
                continue
            gap = year == REFORM_YEAR and _reform_gap(
                org_id, party, grants, now, services_of, kind_of, service_kinds, reference
            )
            taken_over = bool(funders_now.get(org_id, set()) - {party})
            if taken_over and not gap:
                continue
            found.append(
                Interruption(org_id, party, year, gap, tuple(sorted(a.id for a in grants)))
            )
    return tuple(sorted(found, key=lambda i: (i.year, i.organisation, i.party)))


def _reform_gap(
    org_id: str,
    party: PartyRef,
    grants: list[Agreement],
    now: Mapping[tuple[str, PartyRef], list[Agreement]],
    services_of: Mapping[str, list[str]],
    kind_of: Mapping[str, str],
    service_kinds: Mapping[str, Domain],
    reference: Reference,
) -> bool:
    if party.kind is not PartyKind.MUNICIPALITY:
        return False
    covered = {s for a in grants for s in (a.services or services_of.get(org_id, ()))}
    if not any(service_kinds.get(kind_of.get(s, "")) in _AT_RISK for s in covered):
        return False
    area = reference.area_of(party.code, REFORM_YEAR)
    return area is None or (org_id, Reference.canonical(PartyRef.area(area))) not in now


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
