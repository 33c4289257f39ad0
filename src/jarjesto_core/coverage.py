"""Where the dataset is complete: the one question "is collection C of party P covered in year Y".

A missing record means "no" only under coverage (domain.md, "Coverage");
everywhere else it means "not recorded". Rules never ask this directly: they
call :meth:`jarjesto_core.rules.base.Rule.absent`, which asks here.

For the party-owned collections a coverage record covers the bodies it names
(Helsinki's ``area:90`` is also ``municipality:091``) and, with ``members``,
the member municipalities of the areas it names. For ``organisations`` and
``services`` it covers every party whose territory lies inside the named
parties' territories. A year is covered only when the period spans all of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Final

from jarjesto_core.model import COLLECTIONS, Coverage, Dataset, PartyKind, PartyRef
from jarjesto_core.reference import Reference

__all__ = ["COVERABLE", "PARTY_COLLECTIONS", "TERRITORY_COLLECTIONS", "CoverageIndex"]

#: Collections whose records name a party: coverage means every record of those parties.
PARTY_COLLECTIONS: Final = frozenset(
    {
        "agreements",
        "structures",
        "coordinators",
        "hearings",
        "commitments",
        "responsibilities",
        "welfare_reports",
        "appropriations",
    }
)
#: Collections covered by territory: every organisation or service working there.
TERRITORY_COLLECTIONS: Final = frozenset({"organisations", "services"})
#: Every collection coverage can name, in dataset order (domain.md, "Coverage").
COVERABLE: Final = tuple(
    name for name in COLLECTIONS if name in PARTY_COLLECTIONS | TERRITORY_COLLECTIONS
)


class CoverageIndex:
    """The dataset's coverage records by collection; answers are cached per question."""

    def __init__(self, dataset: Dataset, reference: Reference) -> None:
        self.reference = reference
        self._by_collection: defaultdict[str, list[Coverage]] = defaultdict(list)
        for record in dataset.coverage:
            for name in record.collections:
                self._by_collection[name].append(record)
        self._cache: dict[tuple[str, PartyRef, int], Coverage | None] = {}

    def __bool__(self) -> bool:
        return bool(self._by_collection)

    def covering(self, collection: str, party: PartyRef, year: int) -> Coverage | None:
        """The first coverage record (in dataset order) that covers ``collection`` of ``party``
        in the whole of ``year``; None when the dataset does not say it is complete there."""
        key = (collection, party, year)
        if key not in self._cache:
            self._cache[key] = next(
                (
                    c
                    for c in self._by_collection.get(collection, ())
                    if c.covers_year(year) and self._names(c, collection, party, year)
                ),
                None,
            )
        return self._cache[key]

    def covered(self, collection: str, party: PartyRef, year: int) -> bool:
        return self.covering(collection, party, year) is not None

    def covering_all(
        self, collections: Sequence[str], parties: Sequence[PartyRef], year: int
    ) -> tuple[Coverage, ...] | None:
        """The coverage records that cover every collection of every party, or None when one
        is not covered (a verdict resting on several collections needs all of them)."""
        found: dict[str, Coverage] = {}
        for party in parties:
            for name in collections:
                record = self.covering(name, party, year)
                if record is None:
                    return None
                found.setdefault(record.id, record)
        return tuple(found.values())

    def _names(self, record: Coverage, collection: str, party: PartyRef, year: int) -> bool:
        ref = self.reference
        if collection in TERRITORY_COLLECTIONS:
            wanted = ref.territory(party, year)
            if not wanted:
                return False
            inside: set[str] = set()
            for named in record.parties:
                inside |= ref.territory(named, year)
            return wanted <= inside
        for named in record.parties:
            if ref.same_body(named, party):
                return True
            if (
                record.members
                and named.kind is PartyKind.AREA
                and party.kind is PartyKind.MUNICIPALITY
                and ref.area_of(party.code, year) == named.code
            ):
                return True
        return False
