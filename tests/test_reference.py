"""Reference look-ups: public bodies by year."""

from __future__ import annotations

import pytest

from jarjesto_core.model import PartyRef
from jarjesto_core.reference import Reference, bundled_reference


@pytest.fixture(scope="module")
def ref() -> Reference:
    return bundled_reference()


@pytest.mark.parametrize(("year", "count"), [(2021, 309), (2023, 309), (2024, 309), (2025, 308)])
def test_municipality_counts(ref: Reference, year: int, count: int) -> None:
    assert len(ref.municipalities_in(year)) == count


@pytest.mark.parametrize("year", [2023, 2025])
def test_bilingual_municipalities(ref: Reference, year: int) -> None:
    assert sum(m.bilingual for m in ref.municipalities_in(year)) == 33


def test_areas_are_21_plus_helsinki_and_aland(ref: Reference) -> None:
    codes = [a.code for a in ref.areas]
    assert codes == [f"{n:02d}" for n in range(1, 22)] + ["90", "91"]
    assert ref.area("90").name.en == "City of Helsinki"  # type: ignore[union-attr]
    assert ref.area("91").name.sv == "Åland"  # type: ignore[union-attr]
    assert not ref.area("91").in_reform  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["Malax", "maalahti", "MAALAHTI", "475", " malax "])
def test_find_maalahti(ref: Reference, text: str) -> None:
    found = ref.find_municipality(text, 2024)
    assert found is not None
    assert (found.code, found.name.fi, found.name.sv, found.area) == (
        "475",
        "Maalahti",
        "Malax",
        "17",
    )
    assert found.language == "bilingual_sv_majority"
    assert found.minority_language == "fi"


def test_accent_tolerant_name(ref: Reference) -> None:
    assert ref.find_municipality("Mantyharju", 2025).code == "507"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("year", "exists"), [(2021, True), (2023, True), (2024, True), (2025, False)]
)
def test_pertunmaa_by_year(ref: Reference, year: int, exists: bool) -> None:
    assert ref.exists("588", year) is exists
    assert (ref.find_municipality("Pertunmaa", year) is not None) is exists


def test_pertunmaa_merger(ref: Reference) -> None:
    merger = ref.merger_of("588")
    assert merger is not None
    assert (merger.code, merger.into, merger.year) == ("588", "507", 2025)
    assert ref.merger_of("167") is None


def test_helsinki(ref: Reference) -> None:
    helsinki = ref.municipality("091", 2024)
    assert helsinki is not None
    assert (helsinki.name.fi, helsinki.area) == ("Helsinki", "90")
    # 090 is Heinävesi, in Pohjois-Karjala: Helsinki's area code is not its municipality code.
    heinavesi = ref.municipality("090", 2024)
    assert heinavesi is not None
    assert (heinavesi.name.fi, heinavesi.area) == ("Heinävesi", "14")
    assert ref.find_municipality("91", 2024) is helsinki
    assert ref.same_body(PartyRef.parse("area:90"), PartyRef.parse("municipality:091"))
    assert ref.territory(PartyRef.area("90"), 2024) == frozenset({"091"})


def test_aland_has_16_municipalities(ref: Reference) -> None:
    assert len(ref.members("91", 2024)) == 16
    assert ref.find_municipality("Mariehamn", 2024).code == "478"  # type: ignore[union-attr]


def test_area_bilingual_when_a_member_is(ref: Reference) -> None:
    assert ref.area_bilingual("17", 2024)  # Pohjanmaa: Malax and others
    assert ref.area_bilingual("05", 2024)  # Varsinais-Suomi: Turku, Parainen
    assert not ref.area_bilingual("14", 2024)  # Pohjois-Karjala
    assert ref.bilingual(PartyRef.area("05"), 2024)
    assert not ref.bilingual(PartyRef.municipality("837"), 2024)


def test_find_area(ref: Reference) -> None:
    assert ref.find_area("Pohjois-Karjala").code == "14"  # type: ignore[union-attr]
    assert ref.find_area("Österbottens välfärdsområde").code == "17"  # type: ignore[union-attr]
    assert ref.find_area("5").code == "05"  # type: ignore[union-attr]
    assert ref.find_area("99") is None


def test_territory_follows_the_merger(ref: Reference) -> None:
    assert "588" in ref.territory(PartyRef.area("12"), 2024)
    assert "588" not in ref.territory(PartyRef.area("12"), 2025)
    assert len(ref.members("12", 2025)) == 11
