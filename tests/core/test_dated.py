"""DatedCounts: the years and the default year from counts, kept through edits."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dataset_strategies import datasets
from jarjesto_core.assessment import default_year
from jarjesto_core.dated import DatedCounts
from jarjesto_core.files import sample_dataset
from jarjesto_core.model import Dataset

TODAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2110, 12, 31))


def _plain_default_year(records: list[tuple[str, object]], today: dt.date) -> int | None:
    """The default year by its definition, year by year: the latest year not past
    ``today``'s (or the first start, when all start later) with the most records in force."""
    from jarjesto_core.dated import record_span

    found = [s for s in (record_span(c, r) for c, r in records) if s is not None]
    spans = [span for event, span in found if not event] or [span for _e, span in found]
    if not spans:
        return None
    current = today.year
    if min(first for first, _ in spans) > current:
        current = max(first for first, _ in spans)
    best, best_count = None, 0
    for year in range(min(first for first, _ in spans), current + 1):
        count = sum(1 for first, last in spans if first <= year and (last is None or last >= year))
        if count and count >= best_count:
            best, best_count = year, count
    return best


@settings(max_examples=150, deadline=None)
@given(datasets(storable=True), TODAYS)
def test_the_counts_answer_as_a_scan_of_every_record_does(ds: Dataset, today: dt.date) -> None:
    counts = DatedCounts.of(ds)
    assert counts.years() == ds.years()
    assert counts.default_year(today) == default_year(ds, today)
    assert counts.default_year(today) == _plain_default_year(list(ds.records()), today)


@settings(max_examples=150, deadline=None)
@given(datasets(storable=True), st.data())
def test_an_edit_leaves_the_counts_of_a_fresh_scan(ds: Dataset, data: st.DataObject) -> None:
    records = list(ds.records())
    indices = list(range(len(records)))
    removed = data.draw(st.sets(st.sampled_from(indices)) if indices else st.just(set()))
    added = data.draw(st.sets(st.sampled_from(indices)) if indices else st.just(set()))
    added -= removed
    kept = [r for i, r in enumerate(records) if i not in removed and i not in added]
    before = kept + [records[i] for i in sorted(removed)]
    after = kept + [records[i] for i in sorted(added)]
    changed = DatedCounts.of_records(before).changed(
        [records[i] for i in removed], [records[i] for i in added]
    )
    assert changed == DatedCounts.of_records(after)


def test_removing_what_was_never_counted_is_refused() -> None:
    ds = sample_dataset()
    grant = ("agreements", ds.agreements[0])
    with pytest.raises(ValueError, match="did not hold"):
        DatedCounts.of_records([]).changed([grant], [])


def test_the_sample_opens_on_its_latest_full_year() -> None:
    ds = sample_dataset()
    counts = DatedCounts.of(ds)
    assert counts.default_year(dt.date(2026, 12, 6)) == default_year(ds, dt.date(2026, 12, 6))
    assert counts.years() == ds.years()
