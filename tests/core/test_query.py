"""The questions both frontends ask: the register's search and grant totals by funder."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dataset_strategies import datasets
from jarjesto_core.continuity import grant_history
from jarjesto_core.files import sample_dataset
from jarjesto_core.model import Dataset, PartyRef
from jarjesto_core.query import (
    RegisterIndex,
    SubjectNotFound,
    filter_organisations,
    find_area,
    find_municipality,
    grant_totals,
)
from jarjesto_core.reference import Reference, bundled_reference

REF = bundled_reference()
#: Amounts written to different numbers of places, so that sums must keep the least.
AMOUNTS = st.none() | st.sampled_from(
    [Decimal("5"), Decimal("5.0"), Decimal("5.00"), Decimal("5.000"), Decimal("0"),
     Decimal("1E+3"), Decimal("1234.56"), Decimal("0.001")]
)  # fmt: skip


def test_grant_totals_are_grant_historys_sums_per_funder() -> None:
    data = sample_dataset()
    years = data.years()
    totals = grant_totals(data, years)
    assert totals
    for funder, by_year in totals.items():
        expected: dict[int, Decimal] = {}
        for row in grant_history(data, years, party=funder):
            if row.amount is not None:
                expected[row.year] = expected.get(row.year, Decimal(0)) + row.amount
        assert by_year == expected, funder


def test_grant_totals_of_no_years_are_empty() -> None:
    assert grant_totals(sample_dataset(), range(0)) == {}


def test_the_register_search_folds_case_and_accents() -> None:
    data = sample_dataset()
    org = data.organisations[0]
    name = org.name.as_dict()[next(iter(org.name.as_dict()))]
    assert name is not None
    found = filter_organisations(data, REF, 2024, {"q": name.upper()})
    assert org in found
    assert filter_organisations(data, REF, 2024, {}) == list(data.organisations)


def test_the_register_filters_combine() -> None:
    data = sample_dataset()
    index = RegisterIndex(data)
    joensuu = filter_organisations(data, REF, 2024, {"municipality": "167"}, index=index)
    assert joensuu
    assert all("167" in o.municipalities for o in joensuu)
    local = filter_organisations(
        data, REF, 2024, {"municipality": "167", "scope": "local"}, index=index
    )
    assert local == [o for o in joensuu if o.scope.value == "local"]
    area = filter_organisations(data, REF, 2024, {"area": "14"}, index=index)
    assert {o.id for o in joensuu} <= {o.id for o in area}


def test_a_subject_is_found_by_code_or_name_as_both_frontends_ask() -> None:
    assert find_municipality(REF, "Joensuu", 2024).code == "167"
    assert find_municipality(REF, "167") == find_municipality(REF, "joensuu")
    assert find_area(REF, "14") == find_area(REF, "Pohjois-Karjala")


def test_an_unknown_subject_is_one_error_in_the_readers_language() -> None:
    with pytest.raises(SubjectNotFound) as missing:
        find_municipality(REF, "Atlantis", 2024)
    assert missing.value.option == "municipality"
    assert missing.value.render("fi") == "kuntaa Atlantis ei ole vuonna 2024"
    with pytest.raises(SubjectNotFound) as no_area:
        find_area(REF, "Atlantis")
    assert no_area.value.option == "area"


def _written(totals: dict[PartyRef, dict[int, Decimal]]) -> dict[PartyRef, dict[int, str]]:
    """Sums as written: 10.00 and 10.000 are equal numbers but not the same text."""
    return {f: {y: str(v) for y, v in by_year.items()} for f, by_year in totals.items()}


@settings(max_examples=200, deadline=None)
@given(datasets(storable=True), st.data())
def test_a_ledger_sums_as_grant_totals_through_any_edit(ds: Dataset, data: st.DataObject) -> None:
    """The web's grant charts follow edits through a ledger: after any agreements are
    removed and added, its sums are what grant_totals sums from the agreements left,
    written alike (5.00 + 5.000 - 5.000 is 5.00)."""
    from jarjesto_core.query import GrantLedger

    years = range(2018, 2026)
    pool = list(ds.agreements) + [
        attrs.evolve(a, id=f"{a.id}-x", annual_amount_eur=data.draw(AMOUNTS)) for a in ds.agreements
    ]
    indices = range(len(pool))
    before = data.draw(st.sets(st.sampled_from(indices))) if pool else set()
    after = data.draw(st.sets(st.sampled_from(indices))) if pool else set()

    def holding(chosen: set[int]) -> Dataset:
        return attrs.evolve(ds, agreements=tuple(pool[i] for i in sorted(chosen)))

    ledger = GrantLedger.of(holding(before), years)
    changed = ledger.changed([pool[i] for i in before - after], [pool[i] for i in after - before])
    sums = {f: changed.totals(f) for f in changed.funders()}
    assert _written(sums) == _written(grant_totals(holding(after), years))
    # The ledger it came from is as it was.
    kept = {f: ledger.totals(f) for f in ledger.funders()}
    assert _written(kept) == _written(grant_totals(holding(before), years))


def test_a_ledger_writes_a_sum_to_the_places_of_the_amounts_left() -> None:
    """5.00 + 0.001, then 0.001 taken away, is 5.00 as grant_totals writes it, not 5.000."""
    from jarjesto_core.query import GrantLedger

    data = sample_dataset()
    grant = next(a for a in data.agreements if a.kind.funds and a.annual_amount_eur)
    five = attrs.evolve(grant, annual_amount_eur=Decimal("5.00"))
    tiny = attrs.evolve(grant, id="pieni", annual_amount_eur=Decimal("0.001"))
    thousand = attrs.evolve(grant, id="tuhat", annual_amount_eur=Decimal("1E+3"))
    years = range(2015, 2030)
    ledger = GrantLedger.of(attrs.evolve(data, agreements=(five, tiny, thousand)), years)
    after = ledger.changed([tiny, thousand], [])
    expected = grant_totals(attrs.evolve(data, agreements=(five,)), years)
    assert _written({f: after.totals(f) for f in after.funders()}) == _written(expected)
    assert "5.00" in _written(expected)[Reference.canonical(grant.party)].values()
    with pytest.raises(ValueError, match="did not hold"):
        after.changed([tiny], [])
