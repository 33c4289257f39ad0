"""Per-year lookups over a dataset, built once per assessment and shared by every subject.

Rules ask the same questions for every subject ("this party's agreements in
force", "the organisations working here"); answered by scanning every record,
an assessment of all 300-odd subjects is quadratic and takes minutes at
national scale. One pass here groups the records by public body (parties
compared as bodies, like :meth:`Reference.same_body`) and by municipality,
keeping the dataset's record order, so each answer equals the scan's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import TypeVar

from jarjesto_core.model import (
    Agreement,
    Commitment,
    Coordinator,
    Dataset,
    Hearing,
    Organisation,
    PartyRef,
    Responsibility,
    Service,
    Structure,
    in_force,
)
from jarjesto_core.reference import Reference

__all__ = ["YearIndex", "named_parties"]

T = TypeVar("T")


def named_parties(dataset: Dataset) -> frozenset[PartyRef]:
    """Every body a record names: a party, or a responsibility agreement's two sides.

    Party references are one object per value, so the set of the few hundred
    distinct ones is built in C; only those are canonicalised.
    """
    named: set[PartyRef] = set()
    for records in (
        dataset.agreements,
        dataset.structures,
        dataset.coordinators,
        dataset.hearings,
        dataset.commitments,
    ):
        named.update([r.party for r in records])
    found = {Reference.canonical(p) for p in named}
    for code in {r.municipality for r in dataset.responsibilities}:
        found.add(Reference.canonical(PartyRef.municipality(code)))
    for code in {r.area for r in dataset.responsibilities}:
        found.add(Reference.canonical(PartyRef.area(code)))
    return frozenset(found)


def _by_body(records: Iterable[T]) -> dict[PartyRef, list[T]]:
    """The records by body, each body's in record order.

    Each party is canonicalised once (Helsinki's ``area:90`` is ``municipality:091``):
    a dict lookup per record instead of a call, a third less time.
    """
    bodies: dict[PartyRef, PartyRef] = {}
    grouped: defaultdict[PartyRef, list[T]] = defaultdict(list)
    for record in records:
        party: PartyRef = record.party  # type: ignore[attr-defined]
        body = bodies.get(party)
        if body is None:
            body = bodies[party] = Reference.canonical(party)
        grouped[body].append(record)
    return dict(grouped)


class YearIndex:
    """The dataset's records grouped for one year; its answers never change once built.

    Some answers are remembered on first use; a race between threads only
    computes one twice.
    """

    def __init__(self, dataset: Dataset, reference: Reference, year: int) -> None:
        self.dataset = dataset
        self.reference = reference
        self.year = year
        # The one pass over every agreement (in_force() inlined, years compared as
        # dates, which is twice as fast): the resolver and grant continuity start
        # from these lists instead of scanning 250,000 again.
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        before = dt.date(year - 1, 1, 1)
        #: Agreements in force in the year or the year before, in record order.
        self.recent_agreements: tuple[Agreement, ...] = tuple(
            [
                a
                for a in dataset.agreements
                if a.start <= last and (a.end is None or a.end >= before)
            ]
        )
        #: Agreements in force in the year, in record order.
        self.in_force: tuple[Agreement, ...] = tuple(
            [a for a in self.recent_agreements if a.end is None or a.end >= first]
        )
        self.agreements_in_force: dict[PartyRef, list[Agreement]] = _by_body(self.in_force)
        #: Each body's agreements in force in the year or the year before (grants and their
        #: cuts compare the two), in record order.
        self.recent_by_party: dict[PartyRef, list[Agreement]] = _by_body(self.recent_agreements)
        self.structures: dict[PartyRef, list[Structure]] = _by_body(dataset.structures)
        self.coordinators: dict[PartyRef, list[Coordinator]] = _by_body(dataset.coordinators)
        self.hearings: dict[PartyRef, list[Hearing]] = _by_body(dataset.hearings)
        self.commitments: dict[PartyRef, list[Commitment]] = _by_body(dataset.commitments)
        self.parties: frozenset[PartyRef] = named_parties(dataset)
        self.responsibilities_in_force: tuple[Responsibility, ...] = tuple(
            r for r in dataset.responsibilities if in_force(r.start, r.end, year)
        )
        self.active: dict[str, Organisation] = {
            o.id: o for o in dataset.organisations if o.active_in(year)
        }
        # Municipality -> organisations working there, and -> positions of services working there
        # (each list in dataset order, a position at most once).
        orgs_in: defaultdict[str, set[str]] = defaultdict(set)
        for oid, org in self.active.items():
            for code in org.municipalities:
                orgs_in[code].add(oid)
        services_in: defaultdict[str, list[int]] = defaultdict(list)
        active = self.active
        for position, service in enumerate(dataset.services):
            owner = active.get(service.organisation)
            if owner is None:
                continue
            codes: Collection[str] = service.municipalities
            if codes:
                for code in codes:
                    orgs_in[code].add(service.organisation)
            else:
                # The organisation's own municipalities, where it is counted already.
                codes = owner.municipalities
            if len(codes) > 1:
                codes = set(codes)
            for code in codes:
                services_in[code].append(position)
        self._orgs_in = dict(orgs_in)
        self._services_in = dict(services_in)
        self._services_of: dict[frozenset[str], tuple[Service, ...]] = {}
        self._speaking: dict[str, frozenset[str]] = {}

    def of(self, table: Mapping[PartyRef, Sequence[T]], party: PartyRef) -> Sequence[T]:
        """The records of ``table`` whose party is the same body as ``party``, in record order."""
        return table.get(Reference.canonical(party), ())

    def is_party(self, party: PartyRef) -> bool:
        return Reference.canonical(party) in self.parties

    def municipalities_worked_in(self) -> frozenset[str]:
        """Where an active organisation, or a service of one, works in the year."""
        return frozenset(self._orgs_in)

    def organisations_working_in(self, territory: Iterable[str]) -> frozenset[str]:
        found: set[str] = set()
        for code in territory:
            found.update(self._orgs_in.get(code, ()))
        return frozenset(found)

    def organisations_speaking(self, language: str) -> frozenset[str]:
        """The active organisations that work in ``language``.

        Remembered per language: every bilingual subject asks for its minority's.
        """
        found = self._speaking.get(language)
        if found is None:
            found = self._speaking[language] = frozenset(
                oid for oid, org in self.active.items() if language in org.languages
            )
        return found

    def services_working_in(self, territory: Iterable[str]) -> tuple[Service, ...]:
        """In dataset order: a service working in several of the municipalities comes once.

        Remembered per territory: several rules ask it for the same subject.
        """
        key = frozenset(territory)
        found = self._services_of.get(key)
        if found is None:
            found = self._services_of[key] = self._services_working_in(key)
        return found

    def _services_working_in(self, territory: frozenset[str]) -> tuple[Service, ...]:
        if len(territory) == 1:
            # One municipality's positions are in order already, each once.
            (code,) = territory
            return _pick(self.dataset.services, self._services_in.get(code, ()))
        positions: set[int] = set()
        for code in territory:
            positions.update(self._services_in.get(code, ()))
        return _pick(self.dataset.services, sorted(positions))


def _pick(items: Sequence[T], positions: Sequence[int]) -> tuple[T, ...]:
    """``items`` at ``positions``, in one call into C (a comprehension costs 0.5 µs an item)."""
    if len(positions) > 1:
        return itemgetter(*positions)(items)  # type: ignore[no-any-return]
    return tuple([items[p] for p in positions])
