"""Funding responsibility: who should fund each (municipality, service) pair, and who does.

Pure: the dataset, the reference data, the service kinds and (optionally) a
regional default come in; a sorted table comes out. Record order never
matters: choices between records are made by (start, id).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from itertools import chain
from operator import attrgetter
from typing import Final, NamedTuple

from jarjesto_core.i18n import N_
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Dataset,
    Domain,
    Organisation,
    PartyRef,
    Responsibility,
    ResponsibleParty,
    Service,
    in_force,
    party_order,
)
from jarjesto_core.perf import gc_paused
from jarjesto_core.reference import Reference

__all__ = [
    "FUNDING_STATUS_LABELS",
    "DefaultParty",
    "FundingRow",
    "FundingStatus",
    "resolve",
    "responsible_parties",
    "rows_by_municipality",
]

#: ``(municipality, area, service_kind, year) -> responsible party or None``.
DefaultParty = Callable[[str, str, str, int], ResponsibleParty | None]


class FundingStatus(StrEnum):
    OK = "ok"
    BLIND_SPOT = "blind_spot"
    MISMATCH = "mismatch"
    UNFUNDED = "unfunded"


FUNDING_STATUS_LABELS: Final[Mapping[FundingStatus, str]] = {
    FundingStatus.OK: N_("in order"),
    FundingStatus.BLIND_SPOT: N_("blind spot"),
    FundingStatus.MISMATCH: N_("wrong funder"),
    FundingStatus.UNFUNDED: N_("unfunded"),
}


class FundingRow(NamedTuple):
    """One (municipality, service) pair of the funding table.

    A named tuple, not an attrs class: a national table has 60,000 rows, and
    a tuple is built in a third of the time of a frozen attrs instance.
    """

    municipality: str
    area: str
    service: str
    organisation: str
    kind: str
    domain: Domain | None
    responsible: ResponsibleParty | None
    funders: tuple[PartyRef, ...]
    status: FundingStatus
    #: Where the responsibility comes from: a responsibility agreement id, ``"default"``, or None.
    basis: str | None = None
    #: The funding agreements covering the pair.
    agreements: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "municipality": self.municipality,
            "service": self.service,
            "kind": self.kind,
            "domain": self.domain.value if self.domain is not None else None,
            "responsible": self.responsible.value if self.responsible is not None else None,
            "funders": [str(p) for p in self.funders],
            "status": self.status.value,
        }


_FUNDING_KINDS: Final = frozenset(k for k in AgreementKind if k.funds)
#: Builds a named tuple from its fields in order, skipping its Python-level ``__new__``
#: (60,000 rows and 25,000 agreements at national scale).
_new: Final = tuple.__new__


def responsible_parties(
    responsible: ResponsibleParty | None, municipality: str, area: str
) -> tuple[PartyRef, ...]:
    if responsible is ResponsibleParty.MUNICIPALITY:
        return (PartyRef.municipality(municipality),)
    if responsible is ResponsibleParty.AREA:
        return (PartyRef.area(area),)
    if responsible is ResponsibleParty.SHARED:
        return (PartyRef.municipality(municipality), PartyRef.area(area))
    return ()


def _assignment(
    responsibilities: Iterable[Responsibility], municipality: str, area: str, kind: str, year: int
) -> tuple[ResponsibleParty, str] | None:
    """The latest agreement in force that assigns ``kind``; adding one never removes another's."""
    candidates = [
        r
        for r in responsibilities
        if r.municipality == municipality
        and r.area == area
        and kind in r.assignments
        and in_force(r.start, r.end, year)
    ]
    if not candidates:
        return None
    chosen = max(candidates, key=lambda r: (r.start, r.id))
    return ResponsibleParty(chosen.assignments[kind]), chosen.id


class _Funding(NamedTuple):
    """A funding agreement in force, with what every pair it might cover asks of it.

    A pair covered by one agreement (most are) reuses its one-element tuples.
    """

    id: str
    funder: PartyRef
    territory: frozenset[str]
    services: frozenset[str] | None
    ids: tuple[str]
    funders: tuple[PartyRef]


@gc_paused()
def resolve(
    dataset: Dataset,
    reference: Reference,
    year: int,
    service_kinds: Mapping[str, Domain],
    *,
    default_party: DefaultParty | None = None,
    municipalities: Iterable[str] | None = None,
    agreements: Iterable[Agreement] | None = None,
) -> tuple[FundingRow, ...]:
    """The funding table of ``year``, sorted by municipality and service id.

    Pairs are the services of organisations active in the year, in every
    municipality they work in that exists in the year's classification.
    ``municipalities`` limits the table (an assessment's subjects).
    ``default_party`` is asked once per (municipality, area, kind): it must be pure.
    ``agreements``, when given, replaces ``dataset.agreements``: it must hold at
    least every agreement in force in ``year`` (an assessment passes its year
    index's, so that 250,000 agreements are not scanned twice).
    """
    rows = rows_by_municipality(
        dataset,
        reference,
        year,
        service_kinds,
        default_party=default_party,
        municipalities=municipalities,
        agreements=agreements,
    )
    return tuple(chain.from_iterable(rows[code] for code in sorted(rows)))


@gc_paused()
def rows_by_municipality(
    dataset: Dataset,
    reference: Reference,
    year: int,
    service_kinds: Mapping[str, Domain],
    *,
    default_party: DefaultParty | None = None,
    municipalities: Iterable[str] | None = None,
    agreements: Iterable[Agreement] | None = None,
    organisations: Mapping[str, Organisation] | None = None,
    services: Iterable[Service] | None = None,
) -> dict[str, list[FundingRow]]:
    """:func:`resolve`'s rows, each municipality's sorted by service id, under its code.

    An assessment hands each subject its municipalities' rows from here,
    instead of grouping a 60,000-row table again. The lists are the caller's.
    ``organisations``, when given, must be exactly those active in ``year``, by id
    (an assessment passes its year index's). ``services``, when given, replaces
    ``dataset.services``: it must hold at least every service working in
    ``municipalities`` (a one-area assessment passes the area's, so that the
    country's 40,000 services and their agreements are not looked at).
    """
    # The area of each municipality the table may hold: one lookup answers both
    # "is it wanted" and "does it exist in the year".
    areas = {m.code: m.area for m in reference.municipalities_in(year)}
    if municipalities is not None:
        areas = {code: areas[code] for code in set(municipalities) if code in areas}
    if organisations is None:
        organisations = {o.id: o for o in dataset.organisations if o.active_in(year)}
    # Indexes, so that each pair looks only at its own organisation's agreements
    # and its own municipality's responsibility agreements: linear, not quadratic.
    # What depends only on an agreement, a place or a kind is worked out once,
    # not once per pair: a national table has 60,000 pairs and 30,000 agreements.
    funding: defaultdict[str, list[_Funding]] = defaultdict(list)
    # Per party: the body, its territory, and the body as a one-funder tuple that every
    # row it alone funds shares (fewer objects for the garbage collector to visit).
    territories: dict[PartyRef, tuple[PartyRef, frozenset[str], tuple[PartyRef]]] = {}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    candidates = dataset.services if services is None else tuple(services)
    # Only the candidates' organisations' agreements can cover a pair.
    owners = None if services is None else {s.organisation for s in candidates}
    for a in dataset.agreements if agreements is None else agreements:
        # in_force(), inlined with years compared as dates: this loop may run over
        # every agreement of every year.
        if (
            a.kind in _FUNDING_KINDS
            and a.start <= last
            and (a.end is None or a.end >= first)
            and (owners is None or a.organisation in owners)
            # 0 € is a refused application, not funding (domain.md)
            and (a.annual_amount_eur is None or a.annual_amount_eur > 0)
        ):
            known = territories.get(a.party)
            if known is None:
                body = reference.canonical(a.party)
                known = (body, reference.territory(a.party, year), (body,))
                territories[a.party] = known
            covered = frozenset(a.services) if a.services else None
            entry = _new(_Funding, (a.id, known[0], known[1], covered, (a.id,), known[2]))
            funding[a.organisation].append(entry)
    places: dict[tuple[str, str], list[Responsibility]] = defaultdict(list)
    for r in dataset.responsibilities:
        if in_force(r.start, r.end, year):
            places[(r.municipality, r.area)].append(r)
    # Who should fund a kind in a municipality, and on what basis; who that is, as bodies.
    answers: dict[str, dict[str, tuple[ResponsibleParty | None, str | None]]] = {}
    expected: dict[tuple[str, ResponsibleParty], tuple[PartyRef, ...]] = {}
    blind, unfunded = FundingStatus.BLIND_SPOT, FundingStatus.UNFUNDED
    ok, mismatch = FundingStatus.OK, FundingStatus.MISMATCH
    # Rows are collected per municipality from services in id order, so that the
    # table comes out sorted without sorting 60,000 rows.
    rows_in: dict[str, list[FundingRow]] = defaultdict(list)
    for service in sorted(candidates, key=attrgetter("id")):
        org = organisations.get(service.organisation)
        if org is None:
            continue
        sid, kind = service.id, service.kind
        domain = service_kinds.get(kind)
        covers = funding.get(service.organisation)
        codes: Sequence[str] = service.municipalities or org.municipalities
        if len(codes) > 1:
            codes = sorted(set(codes))
        of_kind = answers.get(kind)
        if of_kind is None:
            of_kind = answers[kind] = {}
        for municipality in codes:
            area = areas.get(municipality)
            if area is None:
                continue
            answer = of_kind.get(municipality)
            if answer is None:
                answer = of_kind[municipality] = _responsible(
                    domain,
                    places.get((municipality, area), ()),
                    (municipality, area, kind),
                    year,
                    default_party,
                )
            responsible, basis = answer
            covering: Sequence[_Funding]
            if covers is None:
                covering = ()
            elif len(covers) == 1:
                # Most organisations have one funding agreement: no list to build.
                f = covers[0]
                if municipality in f.territory and (f.services is None or sid in f.services):
                    covering = covers
                else:
                    covering = ()
            else:
                # A loop, not a comprehension: for two or three agreements the
                # comprehension's own call costs more than the filtering.
                covering = []
                for f in covers:
                    if municipality in f.territory and (f.services is None or sid in f.services):
                        covering.append(f)
            if not covering:
                funders: tuple[PartyRef, ...] = ()
                ids: tuple[str, ...] = ()
            elif len(covering) == 1:
                funders, ids = covering[0].funders, covering[0].ids
            else:
                funder = covering[0].funder
                if all(f.funder is funder for f in covering):
                    funders = covering[0].funders
                else:
                    funders = tuple(sorted({f.funder for f in covering}, key=party_order))
                ids = tuple(sorted([f.id for f in covering]))
            if responsible is None:
                status = blind
            elif not covering:
                status = unfunded
            else:
                asked = expected.get((municipality, responsible))
                if asked is None:
                    asked = expected[(municipality, responsible)] = tuple(
                        map(
                            reference.canonical,
                            responsible_parties(responsible, municipality, area),
                        )
                    )
                status = mismatch
                for f in covering:
                    if f.funder in asked:
                        status = ok
                        break
            rows_in[municipality].append(
                _new(
                    FundingRow,
                    (
                        municipality,
                        area,
                        sid,
                        service.organisation,
                        kind,
                        domain,
                        responsible,
                        funders,
                        status,
                        basis,
                        ids,
                    ),
                )
            )
    return dict(rows_in)


def _responsible(
    domain: Domain | None,
    responsibilities: Iterable[Responsibility],
    key: tuple[str, str, str],
    year: int,
    default_party: DefaultParty | None,
) -> tuple[ResponsibleParty | None, str | None]:
    """Who should fund a kind in a place, and on what basis."""
    if domain is Domain.SOTE:
        return ResponsibleParty.AREA, None
    if domain is Domain.MUNICIPAL:
        return ResponsibleParty.MUNICIPALITY, None
    if domain is Domain.PREVENTION:
        municipality, area, kind = key
        assigned = _assignment(responsibilities, municipality, area, kind, year)
        if assigned is not None:
            return assigned
        if default_party is not None:
            responsible = default_party(municipality, area, kind, year)
            return responsible, "default" if responsible is not None else None
    return None, None
