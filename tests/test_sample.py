"""The bundled sample: valid, illustrative, 2021-2025, and the places the seeds name."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import jarjesto_core as j
from jarjesto_core.model import Dataset, StructureKind
from jarjesto_core.serialise import dump_dataset


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return j.sample_dataset()


def test_sample_validates_with_zero_problems(sample: Dataset) -> None:
    assert j.validate(sample, j.bundled_reference()) == ()


def test_sample_covers_2021_to_2025(sample: Dataset) -> None:
    assert sample.years() == range(2021, 2026)


def test_sample_says_it_is_illustrative(sample: Dataset) -> None:
    assert sample.name is not None
    assert sample.description is not None
    assert "illustrative" in (sample.name.en or "")
    assert "kuvitteellinen" in (sample.name.fi or "")
    assert "fiktiva" in (sample.name.sv or "")
    assert "invented" in (sample.description.en or "")


def test_invented_organisations_say_so(sample: Dataset) -> None:
    for org in sample.organisations:
        assert (org.name.en or "").endswith("(example)"), org.id
        assert org.business_id is None


def structures(sample: Dataset, kind: StructureKind, party: str) -> list[str]:
    return [s.id for s in sample.structures if s.kind is kind and str(s.party) == party]


def test_the_structures_the_seeds_name(sample: Dataset) -> None:
    assert structures(sample, StructureKind.ORGANISATION_COUNCIL, "area:14") == ["jane"]
    assert structures(sample, StructureKind.LOCAL_ORGANISATION_COUNCIL, "municipality:309") == [
        "paikallis-jane-outokumpu"
    ]
    assert structures(sample, StructureKind.REPRESENTATION_BODY, "municipality:837") == [
        "jarjestoedustamo"
    ]
    assert structures(sample, StructureKind.FAMILY_CENTRE_NETWORK, "area:05") == [
        "vs-perhekeskusverkosto"
    ]


@pytest.mark.parametrize("code", ["475", "445", "853"])
def test_swedish_language_organisations_in_bilingual_municipalities(
    sample: Dataset, code: str
) -> None:
    reference = j.bundled_reference()
    municipality = reference.municipality(code, 2024)
    assert municipality is not None
    assert municipality.bilingual
    assert any("sv" in org.languages and code in org.municipalities for org in sample.organisations)


def test_sample_round_trips_through_the_file_format(sample: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "sample.json"
    j.write_dataset(path, sample)
    assert j.read_dataset(path) == sample


def test_bundled_file_is_in_canonical_form(sample: Dataset) -> None:
    text = resources.files("jarjesto_core").joinpath("data/sample.json").read_text("utf-8")
    assert dump_dataset(sample) == text
