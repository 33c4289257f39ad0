"""Funding responsibility: who should fund each (municipality, service) pair, and who does.

Pure: the dataset, the reference data, the service kinds and (optionally) a
regional default come in; a sorted table comes out. Record order never
matters: choices between records are made by (start, id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
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
    Service,
    in_force,
)
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


def _covers(
    agreement: Agreement, service: Service, municipality: str, territory: frozenset[str]
) -> bool:
    return (
        agreement.organisation == service.organisation
        and (not agreement.services or service.id in agreement.services)
        and municipality in territory
    )


def resolve(
    dataset: Dataset,
    reference: Reference,
    year: int,
    service_kinds: Mapping[str, Domain],
    *,
    default_party: DefaultParty | None = None,
    municipalities: Iterable[str] | None = None,
) -> tuple[FundingRow, ...]:
    """The funding table of ``year``, sorted by municipality and service id.

    Pairs are the services of organisations active in the year, in every
    municipality they work in that exists in the year's classification.
    ``municipalities`` limits the table (an assessment's subjects).
    """
    wanted = frozenset(municipalities) if municipalities is not None else None
    organisations = {o.id: o for o in dataset.organisations if o.active_in(year)}
    # Indexes, so that each pair looks only at its own organisation's agreements
    # and its own municipality's responsibility agreements: linear, not quadratic.
    funding: dict[str, list[Agreement]] = defaultdict(list)
    territories: dict[PartyRef, frozenset[str]] = {}
    for a in dataset.agreements:
        if a.kind in _FUNDING_KINDS and in_force(a.start, a.end, year):
            funding[a.organisation].append(a)
            if a.party not in territories:
                territories[a.party] = reference.territory(a.party, year)
    places: dict[tuple[str, str], list[Responsibility]] = defaultdict(list)
    for r in dataset.responsibilities:
        if in_force(r.start, r.end, year):
            places[(r.municipality, r.area)].append(r)
    rows: list[FundingRow] = []
    for service in dataset.services:
        org = organisations.get(service.organisation)
        if org is None:
            continue
        for municipality in sorted(set(service.municipalities or org.municipalities)):
            if wanted is not None and municipality not in wanted:
                continue
            area = reference.area_of(municipality, year)
            if area is None:
                continue
            rows.append(
                _row(
                    service,
                    municipality,
                    area,
                    year,
                    places.get((municipality, area), ()),
                    service_kinds,
                    default_party,
                    funding.get(service.organisation, ()),
                    territories,
                    reference,
                )
            )
    return tuple(sorted(rows, key=lambda r: (r.municipality, r.service)))


def _row(
    service: Service,
    municipality: str,
    area: str,
    year: int,
    responsibilities: Iterable[Responsibility],
    service_kinds: Mapping[str, Domain],
    default_party: DefaultParty | None,
    funding: Iterable[Agreement],
    territories: Mapping[PartyRef, frozenset[str]],
    reference: Reference,
) -> FundingRow:
    domain = service_kinds.get(service.kind)
    responsible: ResponsibleParty | None = None
    basis: str | None = None
    if domain is Domain.SOTE:
        responsible = ResponsibleParty.AREA
    elif domain is Domain.MUNICIPAL:
        responsible = ResponsibleParty.MUNICIPALITY
    elif domain is Domain.PREVENTION:
        assigned = _assignment(responsibilities, municipality, area, service.kind, year)
        if assigned is not None:
            responsible, basis = assigned
        elif default_party is not None:
            responsible = default_party(municipality, area, service.kind, year)
            basis = "default" if responsible is not None else None
    covering = [a for a in funding if _covers(a, service, municipality, territories[a.party])]
    funders = tuple(sorted({reference.canonical(a.party) for a in covering}))
    wanted = [reference.canonical(p) for p in responsible_parties(responsible, municipality, area)]
    if responsible is None:
        status = FundingStatus.BLIND_SPOT
    elif not funders:
        status = FundingStatus.UNFUNDED
    elif any(f in wanted for f in funders):
        status = FundingStatus.OK
    else:
        status = FundingStatus.MISMATCH
    return FundingRow(
        municipality=municipality,
        area=area,
        service=service.id,
        organisation=service.organisation,
        kind=service.kind,
        domain=domain,
        responsible=responsible,
        funders=funders,
        status=status,
        basis=basis,
        agreements=tuple(sorted(a.id for a in covering)),
    )
