"""Property tests of the import's parsers: ids made from names, amounts, place names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core.csvio import parse_amount
from jarjesto_core.ids import id_from_name, repair_id, unique_id
from jarjesto_core.importing import place_name
from jarjesto_core.model import ID_PATTERN
from jarjesto_core.reference import bundled_reference
from jarjesto_core.serialise import FieldError

names = st.text(min_size=0, max_size=80)


@given(names)
def test_an_id_made_from_any_name_is_valid_and_stable(name: str) -> None:
    made = id_from_name(name)
    assert ID_PATTERN.match(made)
    assert id_from_name(name) == made  # next year's import finds the same record


@given(st.lists(names, max_size=30))
def test_ids_made_for_a_list_are_unique(names_: list[str]) -> None:
    taken: set[str] = set()
    for name in names_:
        made = unique_id(id_from_name(name), taken)
        assert made not in taken
        assert ID_PATTERN.match(made)
        taken.add(made)


def test_ids_from_finnish_and_swedish_names() -> None:
    assert id_from_name("Kuhmon Reumayhdistys ry") == "kuhmon-reumayhdistys"
    assert id_from_name("Sotkamon Eläkkeensaajat ry.") == "sotkamon-elakkeensaajat"
    assert id_from_name("Föreningen Luckan rf.") == "foreningen-luckan"
    assert id_from_name("Åbolands Ö-förening r.f.") == "abolands-o-forening"
    assert unique_id("a", {"a", "a-2"}) == "a-3"


@given(names)
def test_a_repaired_id_is_valid_or_left_for_validation_to_refuse(text: str) -> None:
    repaired = repair_id(text)
    assert ID_PATTERN.match(repaired) or repaired == text.strip()


def test_ids_with_marks_refused_before_are_repaired() -> None:
    assert repair_id("Järjestö-1") == "jarjesto-1"
    assert repair_id("kuhmon-reumayhdistys") == "kuhmon-reumayhdistys"


def _grouped(n: int, sep: str) -> str:
    text = f"{n:,}"
    return text.replace(",", sep)


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_grouped_and_plain_amounts_read_alike(n: int, sep: str) -> None:
    assert parse_amount(_grouped(n, sep)) == parse_amount(str(n)) == str(n)


@given(
    st.integers(min_value=1, max_value=999_999),
    st.integers(min_value=0, max_value=999),
    st.sampled_from([".", ","]),
)
def test_three_decimals_are_refused_as_ambiguous(whole: int, three: int, sep: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_amount(f"{whole}{sep}{three:03d}")
    assert "ambiguous" in caught.value.message


def test_turku_writes_thousands_with_a_dot() -> None:
    with pytest.raises(FieldError):
        parse_amount("360.615")
    assert parse_amount("360 615") == parse_amount("360615") == "360615"
    assert parse_amount("14 750 euroa") == parse_amount("14 750 EUR") == "14750"
    assert parse_amount("12,50 €") == "12.50"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kajaanin kaupunki", "Kajaani"),
        # The reference knows the City of Helsinki as wellbeing area 90 by this name.
        ("Helsingin kaupunki", "Helsingin kaupunki"),
        ("Porvoon kaupunki", "Porvoo"),
        ("Turun kaupunki", "Turku"),
        ("Lahden kaupunki", "Lahti"),
        ("Sotkamon kunta", "Sotkamo"),
        ("Kajana stad", "Kajana"),
        ("Kainuun hyvinvointialue", "Kainuun hyvinvointialue"),
        ("Joensuu", "Joensuu"),
        ("Nowhere city", "Nowhere city"),
    ],
)
def test_official_names_of_bodies(text: str, expected: str) -> None:
    assert place_name(text, bundled_reference()) == expected
