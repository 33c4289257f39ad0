"""What every open-data exporter shares: the territory filter, stable ids, JSON bytes.

Exporters are pure: they take a dataset and reference data and return the
bytes to write, so the same input always gives the same bytes (sorted keys,
records sorted by id, uuid5 identifiers) and a re-export is byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final, Protocol

from attrs import field, frozen

from jarjesto_core.errors import Problem
from jarjesto_core.model import (
    Agreement,
    Coordinator,
    Dataset,
    Name,
    Organisation,
    PartyKind,
    PartyRef,
    Publisher,
    Service,
    Structure,
    in_force,
)
from jarjesto_core.reference import Reference

__all__ = [
    "BUSINESS_ID_SCHEME",
    "JARJESTO_NAMESPACE",
    "Changed",
    "ExportResult",
    "Exporter",
    "Filter",
    "alternate_names",
    "covered_amount",
    "covered_period",
    "dataset_language",
    "dump_json",
    "effective_languages",
    "effective_municipalities",
    "json_number",
    "municipality_name",
    "stable_uuid",
]

#: The namespace of every uuid5 jarjesto derives. Fixed for ever: changing it
#: would change every published HSDS id.
JARJESTO_NAMESPACE: Final = uuid.UUID("ad6a6f37-c9b9-4d6f-84c9-57024c0afa7a")


def stable_uuid(*path: str) -> str:
    """A UUID that depends only on ``path`` (``"organisations", "ry-1"``).

    Dataset ids never contain ``/``, so joining with it keeps distinct paths
    distinct; re-exports therefore keep their ids, and other systems can link.
    """
    return str(uuid.uuid5(JARJESTO_NAMESPACE, "/".join(path)))


#: org-id.guide's list for the Finnish Business Information System (PRH/YTJ).
BUSINESS_ID_SCHEME: Final = "FI-PRO"

#: When each record was last changed, by (collection, id): the workspace's audit log.
Changed = Mapping[tuple[str, str], dt.datetime]


def dataset_language(dataset: Dataset, lang: str | None) -> str:
    """The language exports write texts in: the exporter's, else the publisher's, else Finnish."""
    if lang is not None:
        return lang
    return dataset.publisher.language if dataset.publisher is not None else "fi"


def party_business_id(
    publisher: Publisher | None, party: PartyRef, reference: Reference
) -> str | None:
    """A public body's Y-tunnus where the publisher gave it (Helsinki's city under either ref)."""
    if publisher is None:
        return None
    canonical = reference.canonical(party)
    for key, value in publisher.business_ids.items():
        try:
            if reference.canonical(PartyRef.parse(key)) == canonical:
                return value
        except ValueError:
            continue
    return None


def alternate_names(name: Name, primary: str) -> list[str]:
    """The name's other languages (fi, sv, en order), without repeating the primary one."""
    seen = {primary}
    out = []
    for text in name.as_dict().values():
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def covered_period(start: dt.date, end: dt.date | None, year: int) -> tuple[dt.date, dt.date]:
    """The part of ``year`` that the period ``start``–``end`` covers (both days included)."""
    return max(start, dt.date(year, 1, 1)), min(end or dt.date(year, 12, 31), dt.date(year, 12, 31))


def covered_amount(annual: Decimal, start: dt.date, end: dt.date | None, year: int) -> Decimal:
    """A 12-month amount's share of ``year``: by days covered over the year's days, to the cent.

    A whole year gets the amount exactly; July–December of 2024 gets
    184/366 of it. Half a cent rounds up (as money is usually rounded).
    """
    first, last = covered_period(start, end, year)
    days = (last - first).days + 1
    in_year = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    if days >= in_year:
        return annual
    return (annual * days / in_year).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def dump_json(document: Any) -> bytes:
    """Stable JSON bytes: sorted keys, two-space indent, UTF-8, final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode(
        "utf-8"
    )


def json_number(amount: Decimal) -> int | float:
    """A euro amount as a JSON number (the standards want numbers, not strings)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


@frozen
class ExportResult:
    """The files an export writes, relative to the output, and what the reader should know."""

    files: Mapping[str, bytes]
    warnings: tuple[Problem, ...] = ()


class Exporter(Protocol):
    """One open-data format: ``EXPORTERS[name].export(...)``."""

    @property
    def description(self) -> str:
        """One line for ``--help``: the standard and the files ``export`` returns."""
        ...

    def export(
        self,
        dataset: Dataset,
        reference: Reference,
        *,
        year: int | None = None,
        scope: Filter | None = None,
        changed: Changed | None = None,
    ) -> ExportResult: ...


def effective_municipalities(
    service: Service, organisation: Organisation | None
) -> tuple[str, ...]:
    """A service works where it says, or else where its organisation works."""
    if service.municipalities:
        return service.municipalities
    return organisation.municipalities if organisation is not None else ()


def effective_languages(service: Service, organisation: Organisation | None) -> tuple[str, ...]:
    if service.languages:
        return service.languages
    return organisation.languages if organisation is not None else ()


def municipality_name(reference: Reference, code: str, year: int | None) -> Name:
    """The municipality's name in ``year``; a merged one keeps its last known name."""
    years = [year] if year is not None else []
    years += sorted(reference.years, reverse=True)
    for y in years:
        m = reference.municipality(code, y)
        if m is not None:
            return m.name
    return Name(fi=code)


def _last_year(reference: Reference) -> int:
    return reference.years.stop - 1


@frozen
class Filter:
    """The territory an export is limited to: one municipality or one wellbeing area.

    A record is *inside* when it works in, or is party in, the territory:

    - an organisation works in one of the territory's municipalities, or has
      an agreement with a party inside (below);
    - a service works (its municipalities, else its organisation's) in one of
      them, or an agreement with a party inside covers it;
    - an agreement, cooperation body or coordinator post is inside when its
      party is: the filtered body itself (Helsinki's city is both
      ``municipality:091`` and ``area:90``) or, for an area, one of its
      member municipalities.

    The year is the exporter's own argument: with a year, only records in
    force that year are exported, and the territory is the municipal
    division of that year.
    """

    party: PartyRef
    _cache: dict[int | None, frozenset[str]] = field(
        factory=dict, init=False, eq=False, repr=False, hash=False
    )

    @classmethod
    def for_municipality(cls, code: str) -> Filter:
        return cls(PartyRef.municipality(code))

    @classmethod
    def for_area(cls, code: str) -> Filter:
        return cls(PartyRef.area(code))

    def territory(self, reference: Reference, year: int | None) -> frozenset[str]:
        """Municipality codes of the territory; without a year, of every year we know."""
        if year not in self._cache:
            years = [year] if year is not None else list(reference.years)
            codes: set[str] = set()
            for y in years:
                codes |= reference.territory(reference.canonical(self.party), y)
            self._cache[year] = frozenset(codes)
        return self._cache[year]

    def party_inside(self, party: PartyRef, reference: Reference, year: int | None) -> bool:
        if reference.same_body(party, self.party):
            return True
        canonical = reference.canonical(self.party)
        return (
            canonical.kind is PartyKind.AREA
            and reference.canonical(party).kind is PartyKind.MUNICIPALITY
            and party.code in self.territory(reference, year)
        )

    def agreement_inside(
        self, agreement: Agreement, reference: Reference, year: int | None
    ) -> bool:
        return self.party_inside(agreement.party, reference, year)

    def structure_inside(
        self, structure: Structure, reference: Reference, year: int | None
    ) -> bool:
        return self.party_inside(structure.party, reference, year)

    def coordinator_inside(
        self, coordinator: Coordinator, reference: Reference, year: int | None
    ) -> bool:
        return self.party_inside(coordinator.party, reference, year)

    def organisation_inside(
        self, organisation: Organisation, dataset: Dataset, reference: Reference, year: int | None
    ) -> bool:
        if set(organisation.municipalities) & self.territory(reference, year):
            return True
        return any(
            a.organisation == organisation.id
            and (year is None or in_force(a.start, a.end, year))
            and self.agreement_inside(a, reference, year)
            for a in dataset.agreements
        )

    def service_inside(
        self,
        service: Service,
        organisation: Organisation | None,
        dataset: Dataset,
        reference: Reference,
        year: int | None,
    ) -> bool:
        if set(effective_municipalities(service, organisation)) & self.territory(reference, year):
            return True
        return any(
            a.organisation == service.organisation
            and (not a.services or service.id in a.services)
            and (year is None or in_force(a.start, a.end, year))
            and self.agreement_inside(a, reference, year)
            for a in dataset.agreements
        )


@frozen
class Selection:
    """The records an export covers, after the year and territory filters, sorted by id."""

    organisations: tuple[Organisation, ...]
    services: tuple[Service, ...]
    agreements: tuple[Agreement, ...]
    structures: tuple[Structure, ...]
    coordinators: tuple[Coordinator, ...]

    @classmethod
    def of(
        cls, dataset: Dataset, reference: Reference, year: int | None, scope: Filter | None
    ) -> Selection:
        orgs = {o.id: o for o in dataset.organisations}
        organisations = [
            o
            for o in dataset.organisations
            if (year is None or o.active_in(year))
            and (scope is None or scope.organisation_inside(o, dataset, reference, year))
        ]
        kept = {o.id for o in organisations}
        services = [
            s
            for s in dataset.services
            if s.organisation in kept
            and (
                scope is None
                or scope.service_inside(s, orgs.get(s.organisation), dataset, reference, year)
            )
        ]
        agreements = [
            a
            for a in dataset.agreements
            if (year is None or in_force(a.start, a.end, year))
            and (scope is None or scope.agreement_inside(a, reference, year))
        ]
        structures = [
            s
            for s in dataset.structures
            if (year is None or s.active_in(year))
            and (scope is None or scope.structure_inside(s, reference, year))
        ]
        coordinators = [
            c
            for c in dataset.coordinators
            if (year is None or in_force(c.start, c.end, year))
            and (scope is None or scope.coordinator_inside(c, reference, year))
        ]

        def by_id(records: list[Any]) -> tuple[Any, ...]:
            return tuple(sorted(records, key=lambda r: r.id))

        return cls(
            by_id(organisations),
            by_id(services),
            by_id(agreements),
            by_id(structures),
            by_id(coordinators),
        )


def last_year(dataset: Dataset, reference: Reference, year: int | None) -> int:
    """The year an open-ended record runs to in an export without ``--year``."""
    if year is not None:
        return year
    years = dataset.years()
    return years.stop - 1 if years else _last_year(reference)
