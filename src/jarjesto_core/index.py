"""Per-year lookups over a dataset, built once per assessment and shared by every subject.

Rules ask the same questions for every subject ("this party's agreements in
force", "the organisations working here"); answered by scanning every record,
an assessment of all 300-odd subjects is quadratic and takes minutes at
national scale. One pass here groups the records by public body (parties
compared as bodies, like :meth:`Reference.same_body`) and by municipality,
keeping the dataset's record order, so each answer equals the scan's.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from jarjesto_core.model import (
    Agreement,
    Commitment,
    Coordinator,
    Dataset,
    Hearing,
    Organisation,
    PartyRef,
    Service,
    Structure,
    in_force,
)
from jarjesto_core.reference import Reference

__all__ = ["YearIndex"]

T = TypeVar("T")


def _by_body(records: Iterable[T]) -> dict[PartyRef, list[T]]:
    grouped: dict[PartyRef, list[T]] = {}
    for record in records:
        party: PartyRef = record.party  # type: ignore[attr-defined]
        grouped.setdefault(Reference.canonical(party), []).append(record)
    return grouped


class YearIndex:
    """The dataset's records grouped for one year; read-only once built."""

    def __init__(self, dataset: Dataset, reference: Reference, year: int) -> None:
        self.dataset = dataset
        self.reference = reference
        self.year = year
        self.agreements_in_force: dict[PartyRef, list[Agreement]] = _by_body(
            a for a in dataset.agreements if in_force(a.start, a.end, year)
        )
        self.structures: dict[PartyRef, list[Structure]] = _by_body(dataset.structures)
        self.coordinators: dict[PartyRef, list[Coordinator]] = _by_body(dataset.coordinators)
        self.hearings: dict[PartyRef, list[Hearing]] = _by_body(dataset.hearings)
        self.commitments: dict[PartyRef, list[Commitment]] = _by_body(dataset.commitments)
        named = {
            r.party
            for records in (
                dataset.agreements,
                dataset.structures,
                dataset.coordinators,
                dataset.hearings,
                dataset.commitments,
            )
            for r in records
        }
        parties = {Reference.canonical(p) for p in named}
        for resp in dataset.responsibilities:
            parties.add(Reference.canonical(PartyRef.municipality(resp.municipality)))
            parties.add(Reference.canonical(PartyRef.area(resp.area)))
        self.parties: frozenset[PartyRef] = frozenset(parties)
        self.active: dict[str, Organisation] = {
            o.id: o for o in dataset.organisations if o.active_in(year)
        }
        # Municipality -> organisations working there, and -> positions of services working there.
        self._orgs_in: dict[str, set[str]] = {}
        for oid, org in self.active.items():
            for code in org.municipalities:
                self._orgs_in.setdefault(code, set()).add(oid)
        self._services_in: dict[str, list[int]] = {}
        for position, service in enumerate(dataset.services):
            owner = self.active.get(service.organisation)
            if owner is None:
                continue
            for code in set(service.municipalities or owner.municipalities):
                self._orgs_in.setdefault(code, set()).add(owner.id)
                self._services_in.setdefault(code, []).append(position)

    def of(self, table: Mapping[PartyRef, Sequence[T]], party: PartyRef) -> Sequence[T]:
        """The records of ``table`` whose party is the same body as ``party``, in record order."""
        return table.get(Reference.canonical(party), ())

    def is_party(self, party: PartyRef) -> bool:
        return Reference.canonical(party) in self.parties

    def organisations_working_in(self, territory: Iterable[str]) -> frozenset[str]:
        found: set[str] = set()
        for code in territory:
            found.update(self._orgs_in.get(code, ()))
        return frozenset(found)

    def services_working_in(self, territory: Iterable[str]) -> tuple[Service, ...]:
        """In dataset order: a service working in several of the municipalities comes once."""
        lists = [self._services_in.get(code, []) for code in sorted(territory)]
        positions: list[int] = []
        for position in heapq.merge(*lists):
            if not positions or positions[-1] != position:
                positions.append(position)
        services = self.dataset.services
        return tuple(services[p] for p in positions)
