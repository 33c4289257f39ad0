"""What a dataset's dates say about its years, kept as counts that an edit updates.

:meth:`Dataset.years <jarjesto_core.model.Dataset.years>` and
:func:`~jarjesto_core.assessment.default_year` each scan every record: at
national scale 335,000 records, a third of a second. A web server asks both
again after every edit. :class:`DatedCounts` holds what both answers rest on
(how many records touch each year, how many are in force over each span of
years) as counts, so that :meth:`DatedCounts.changed` gives the counts after
an edit from the records it removed and added, and the answers stay exactly
those of a fresh scan.
"""

from __future__ import annotations

import datetime as dt
import types
from collections import Counter
from collections.abc import Iterable, Mapping
from operator import attrgetter
from typing import Final

import attrs
from attrs import frozen

from jarjesto_core.model import COLLECTIONS, Appropriation, Dataset, Structure, touched_years

__all__ = ["DatedCounts", "record_span"]

#: The single dates a record is counted by (:func:`touched_years`, :func:`record_span`).
_DATE_FIELDS: Final = frozenset({"start", "end", "date", "decided", "established"})

#: A span of years a record is in force: first and last year, None when open-ended.
Span = tuple[int, int | None]


def _structure_span(structure: Structure) -> Span | None:
    """The years a structure is in force: from its establishment (or first meeting)
    to its dissolution, or to its last meeting when only meetings date it."""
    years = sorted({d.year for d in structure.meetings})
    if structure.established is not None:
        first = structure.established.year
    elif years:
        first = years[0]
    else:
        return None
    if structure.dissolved is not None:
        return first, structure.dissolved.year
    return first, (None if structure.established is not None else years[-1])


def record_span(collection: str, record: object) -> tuple[bool, Span] | None:
    """``(is_event, span)`` of one record for the default year, or None when it counts not.

    A hearing is an event, not in force over a period: three hearings in one
    year must not outweigh the grants of the next. What the data cover
    (``coverage``) is no record in force.
    """
    if collection == "coverage":
        return None
    start = getattr(record, "start", None)
    if isinstance(start, dt.date):
        end = getattr(record, "end", None)
        return False, (start.year, end.year if isinstance(end, dt.date) else None)
    if isinstance(record, Appropriation):
        return False, (record.year, record.year)
    if isinstance(record, Structure):
        span = _structure_span(record)
        return None if span is None else (False, span)
    date = getattr(record, "date", None)
    if isinstance(date, dt.date):
        return True, (date.year, date.year)
    return None


def _count(
    counts: tuple[Counter[int], Counter[Span], Counter[Span]],
    collection: str,
    record: object,
    n: int,
) -> None:
    touched, spans, events = counts
    for year in touched_years(record):
        touched[year] += n
    found = record_span(collection, record)
    if found is not None:
        (events if found[0] else spans)[found[1]] += n


@frozen
class DatedCounts:
    """Per year, how many records touch it; per span, how many records are in force over it."""

    touched: Mapping[int, int]
    spans: Mapping[Span, int]
    events: Mapping[Span, int]

    @classmethod
    def of(cls, dataset: Dataset) -> DatedCounts:
        """The counts of every record: those alike in their dates counted once (a national
        dataset's 272,754 agreements have 1,320 distinct start, end and decision dates)."""
        groups: list[tuple[str, object, int]] = []
        for name, kind in COLLECTIONS.items():
            records = dataset.collection(name)
            fields = [f.name for f in attrs.fields(kind)]
            if kind in (Appropriation, Structure) or "meetings" in fields:
                groups += [(name, record, 1) for record in records]  # dated otherwise: few
                continue
            dated = [f for f in fields if f in _DATE_FIELDS]
            if not dated or not records:
                continue
            alike = Counter(zip(*(map(attrgetter(f), records) for f in dated), strict=True))
            for values, n in alike.items():
                groups.append(
                    (name, types.SimpleNamespace(**dict(zip(dated, values, strict=True))), n)
                )
        return cls.of_groups(groups)

    @classmethod
    def of_records(cls, records: Iterable[tuple[str, object]]) -> DatedCounts:
        return cls({}, {}, {}).changed((), records)

    @classmethod
    def of_groups(cls, groups: Iterable[tuple[str, object, int]]) -> DatedCounts:
        """The counts of ``(collection, record, how many such records)``: what a database
        gives when it counts records by their years (:meth:`Workspace.dated_counts`)."""
        counts: tuple[Counter[int], Counter[Span], Counter[Span]] = (
            Counter(),
            Counter(),
            Counter(),
        )
        for collection, record, n in groups:
            _count(counts, collection, record, n)
        return DatedCounts(+counts[0], +counts[1], +counts[2])

    def changed(
        self,
        removed: Iterable[tuple[str, object]],
        added: Iterable[tuple[str, object]],
    ) -> DatedCounts:
        """The counts once ``removed`` are gone and ``added`` are in (collection, record)."""
        counts = (Counter(self.touched), Counter(self.spans), Counter(self.events))
        for sign, records in ((-1, removed), (1, added)):
            for collection, record in records:
                _count(counts, collection, record, sign)
        if any(n < 0 for counter in counts for n in counter.values()):
            raise ValueError("removed a record the counts did not hold")
        return DatedCounts(+counts[0], +counts[1], +counts[2])

    def years(self) -> range:
        """What :meth:`Dataset.years` gives: from the first to the last year touched."""
        if not self.touched:
            return range(0)
        return range(min(self.touched), max(self.touched) + 1)

    def default_year(self, today: dt.date | None = None) -> int | None:
        """What :func:`~jarjesto_core.assessment.default_year` gives (its docstring says why)."""
        current = (today or dt.date.today()).year
        spans = self.spans or self.events
        if not spans:
            return None
        if min(first for first, _last in spans) > current:
            current = max(first for first, _last in spans)
        # A running sum over where spans begin and end: linear in the distinct spans.
        change: dict[int, int] = {}
        for (first, last), count in spans.items():
            stop = current if last is None else min(last, current)
            if first <= stop:
                change[first] = change.get(first, 0) + count
                change[stop + 1] = change.get(stop + 1, 0) - count
        if not change:  # every span ends before it begins: invalid data, nothing in force
            return None
        best, best_count, running = None, 0, 0
        for year in range(min(change), max(change)):
            running += change.get(year, 0)
            if running > 0 and running >= best_count:
                best, best_count = year, running
        return best
