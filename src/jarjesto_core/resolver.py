"""Funding responsibility: who should fund each (municipality, service) pair, and who does.

Pure: the dataset, the reference data, the service kinds and (optionally) a
regional default come in; a sorted table comes out. Record order never
matters: choices between records are made by (start, id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from itertools import chain
from operator import attrgetter
from typing import Final

from attrs import frozen

from jarjesto_core.i18n import N_
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Dataset,
    Domain,
    PartyRef,
    Responsibility,
    ResponsibleParty,
    in_force,
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
]

#: ``(municipality, area, service_kind, year) -> responsible party or None``.
DefaultParty = Callable[[str, str, str, int], ResponsibleParty | None]


class FundingStatus(StrEnum):
    OK = "ok"
    BLIND_SPOT = "blind_spot"
    MISMATCH = "mismatch"
    UNFUNDED = "unfunded"


FUNDING_STATUS_LABELS: Final[Mapping[FundingStatus, str]] = {
    FundingStatus.OK: N_("ok"),
    FundingStatus.BLIND_SPOT: N_("blind spot"),
    FundingStatus.MISMATCH: N_("mismatch"),
    FundingStatus.UNFUNDED: N_("unfunded"),
}


@frozen
class FundingRow:
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


@frozen
class _Funding:
    """A funding agreement in force, with what every pair it might cover asks of it."""

    id: str
    funder: PartyRef
    territory: frozenset[str]
    services: frozenset[str] | None


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
    wanted = frozenset(municipalities) if municipalities is not None else None
    organisations = {o.id: o for o in dataset.organisations if o.active_in(year)}
    # Indexes, so that each pair looks only at its own organisation's agreements
    # and its own municipality's responsibility agreements: linear, not quadratic.
    # What depends only on an agreement, a place or a kind is worked out once,
    # not once per pair: a national table has 60,000 pairs and 30,000 agreements.
    funding: dict[str, list[_Funding]] = defaultdict(list)
    territories: dict[PartyRef, tuple[PartyRef, frozenset[str]]] = {}
    for a in dataset.agreements if agreements is None else agreements:
        # in_force(), inlined: this loop runs over every agreement of every year.
        if (
            a.kind in _FUNDING_KINDS
            and a.start.year <= year
            and (a.end is None or a.end.year >= year)
        ):
            known = territories.get(a.party)
            if known is None:
                known = (reference.canonical(a.party), reference.territory(a.party, year))
                territories[a.party] = known
            services = frozenset(a.services) if a.services else None
            funding[a.organisation].append(_Funding(a.id, known[0], known[1], services))
    places: dict[tuple[str, str], list[Responsibility]] = defaultdict(list)
    for r in dataset.responsibilities:
        if in_force(r.start, r.end, year):
            places[(r.municipality, r.area)].append(r)
    areas: dict[str, str | None] = {}
    answers: dict[tuple[str, str, str], tuple[ResponsibleParty | None, str | None]] = {}
    expected: dict[tuple[str, str, ResponsibleParty | None], tuple[PartyRef, ...]] = {}
    # Rows are collected per municipality from services in id order, so that the
    # table comes out sorted without sorting 60,000 rows.
    rows_in: dict[str, list[FundingRow]] = defaultdict(list)
    for service in sorted(dataset.services, key=attrgetter("id")):
        org = organisations.get(service.organisation)
        if org is None:
            continue
        domain = service_kinds.get(service.kind)
        covers = funding.get(service.organisation, ())
        for municipality in sorted(set(service.municipalities or org.municipalities)):
            if wanted is not None and municipality not in wanted:
                continue
            if municipality in areas:
                area = areas[municipality]
            else:
                area = areas[municipality] = reference.area_of(municipality, year)
            if area is None:
                continue
            key = (municipality, area, service.kind)
            answer = answers.get(key)
            if answer is None:
                answer = _responsible(
                    domain, places.get((municipality, area), ()), key, year, default_party
                )
                answers[key] = answer
            responsible, basis = answer
            covering = (
                [
                    f
                    for f in covers
                    if municipality in f.territory
                    and (f.services is None or service.id in f.services)
                ]
                if covers
                else ()
            )
            funders, ids = _funders(covering)
            if responsible is None:
                status = FundingStatus.BLIND_SPOT
            elif not covering:
                status = FundingStatus.UNFUNDED
            else:
                place = (municipality, area, responsible)
                asked = expected.get(place)
                if asked is None:
                    asked = expected[place] = tuple(
                        reference.canonical(p)
                        for p in responsible_parties(responsible, municipality, area)
                    )
                if any(f.funder in asked for f in covering):
                    status = FundingStatus.OK
                else:
                    status = FundingStatus.MISMATCH
            rows_in[municipality].append(
                FundingRow(
                    municipality,
                    area,
                    service.id,
                    service.organisation,
                    service.kind,
                    domain,
                    responsible,
                    funders,
                    status,
                    basis,
                    ids,
                )
            )
    return tuple(chain.from_iterable(rows_in[code] for code in sorted(rows_in)))


def _funders(covering: Sequence[_Funding]) -> tuple[tuple[PartyRef, ...], tuple[str, ...]]:
    """The funders (as bodies) and the agreements of a pair, each sorted."""
    if not covering:
        return (), ()
    if len(covering) == 1:
        return (covering[0].funder,), (covering[0].id,)
    return tuple(sorted({f.funder for f in covering})), tuple(sorted(f.id for f in covering))


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
