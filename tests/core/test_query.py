"""The questions both frontends ask: the register's search and grant totals by funder."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jarjesto_core.continuity import grant_history
from jarjesto_core.files import sample_dataset
from jarjesto_core.query import (
    RegisterIndex,
    SubjectNotFound,
    filter_organisations,
    find_area,
    find_municipality,
    grant_totals,
)
from jarjesto_core.reference import bundled_reference

REF = bundled_reference()


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
