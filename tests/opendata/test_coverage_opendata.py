"""Coverage in open data: HSDS's index carries it (profile 1.2), 360Giving cites its source."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest

from jarjesto_core.errors import DatasetError
from jarjesto_core.files import sample_dataset
from jarjesto_core.model import Coverage, Dataset, PartyRef
from jarjesto_core.opendata import EXPORTERS, Filter, import_hsds, merge_imported
from jarjesto_core.opendata.validation import validate_export
from jarjesto_core.reference import Reference
from jarjesto_core.validation import validate

from .test_publisher_ids import PUBLISHER, by_id, package

DECISIONS = "https://esimerkki.example/paatokset/avustukset-2024.pdf"


def _index(files: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(files["index.json"])
    return doc


def _covering(collections: tuple[str, ...], source: str | None, year: int = 2024) -> Coverage:
    return Coverage(
        id=f"cov-joensuu-{year}",
        collections=collections,
        parties=(PartyRef.municipality("167"),),
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
        source=source,
    )


def test_the_hsds_index_carries_the_coverage_of_what_it_publishes(reference: Reference) -> None:
    sample = sample_dataset()
    files = EXPORTERS["hsds"].export(sample, reference).files
    assert validate_export("hsds", files) == []
    index = _index(files)
    assert index["profile"] == "urn:jarjesto:hsds-profile:1.2"
    listed = {c["id"]: c for c in index["jarjesto"]["coverage"]}
    assert set(listed) == {c.id for c in sample.coverage}
    assert listed["cov-pohjanmaa-agreements"] == {
        "id": "cov-pohjanmaa-agreements",
        "collections": ["agreements"],
        "parties": ["area:17"],
        "start": "2023-01-01",
        "end": "2025-12-31",
        "source": "keksitty esimerkkiaineisto – påhittat exempeldata – invented sample data",
    }
    # A territory's export lists the coverage of that territory only; a year, of that year.
    north_karelia = _index(
        EXPORTERS["hsds"].export(sample, reference, scope=Filter.for_area("14")).files
    )
    assert [c["id"] for c in north_karelia["jarjesto"]["coverage"]] == ["cov-pohjois-karjala"]
    before = _index(EXPORTERS["hsds"].export(sample, reference, year=2022).files)
    assert "cov-pohjanmaa-agreements" not in {c["id"] for c in before["jarjesto"]["coverage"]}


def test_an_hsds_index_without_coverage_is_plain(small: Dataset, reference: Reference) -> None:
    only_hearings = attrs.evolve(small, coverage=(_covering(("hearings",), None),))
    for dataset in (small, only_hearings):
        assert "jarjesto" not in _index(EXPORTERS["hsds"].export(dataset, reference).files)


def test_hsds_coverage_round_trips(reference: Reference) -> None:
    sample = sample_dataset()
    files = dict(EXPORTERS["hsds"].export(sample, reference).files)
    imported = import_hsds(files, reference)
    assert sorted(imported.coverage, key=lambda c: c.id) == sorted(
        sample.coverage, key=lambda c: c.id
    )
    merged = merge_imported(Dataset(), imported)
    assert set(merged.coverage) == set(sample.coverage)
    assert not validate(merged, reference)
    # Another publisher's index (no profile) brings no coverage.
    files["index.json"] = b'{"version": "3.0", "profile": "https://example.org/profile"}'
    assert import_hsds(files, reference).coverage == ()


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            {"id": "c", "collections": ["agreements"], "parties": ["area:14"], "start": "2024"},
            "index.json: jarjesto.coverage[0] (c).start",
        ),
        (
            {
                "id": "c",
                "collections": ["agreements"],
                "parties": ["area:14"],
                "start": "2024-12-31",
                "end": "2024-01-01",
            },
            "index.json: jarjesto.coverage[0] (c).end",
        ),
        ("not a record", "index.json: jarjesto.coverage[0]"),
    ],
)
def test_bad_coverage_in_an_hsds_index_is_refused_by_name(
    reference: Reference, record: Any, expected: str
) -> None:
    files = dict(EXPORTERS["hsds"].export(sample_dataset(), reference).files)
    index = _index(files)
    index["jarjesto"]["coverage"] = [record]
    files["index.json"] = json.dumps(index).encode()
    with pytest.raises(DatasetError) as caught:
        import_hsds(files, reference)
    assert any(p.render("en").startswith(expected) for p in caught.value.problems), [
        p.render("en") for p in caught.value.problems
    ]


def test_360giving_cites_the_complete_list_a_grant_came_from(
    small: Dataset, reference: Reference
) -> None:
    published = attrs.evolve(
        small, publisher=PUBLISHER, coverage=(_covering(("agreements",), DECISIONS),)
    )
    grants = by_id(package(published, reference))
    # Joensuu's grant of 2024 is in the list the coverage cites; its 2023 grant is not covered.
    assert grants["360G-esimerkki-joensuu-og-2024"]["dataSource"] == DECISIONS
    assert grants["360G-esimerkki-joensuu-og-2023"]["dataSource"] == PUBLISHER.url
    # Another body's grant of the same year: the publisher's site.
    assert grants["360G-esimerkki-area14-pg-2024"]["dataSource"] == PUBLISHER.url
    # A source that is no web address (a file's name) is not a dataSource.
    named = attrs.evolve(published, coverage=(_covering(("agreements",), "avustukset.xlsx"),))
    assert by_id(package(named, reference))["360G-esimerkki-joensuu-og-2024"]["dataSource"] == (
        PUBLISHER.url
    )
    # Without a publisher, only covered grants have one.
    anonymous = attrs.evolve(published, publisher=None)
    cited = {g["id"]: g.get("dataSource") for g in package(anonymous, reference)["grants"]}
    assert cited["360G-jarjesto-joensuu-og-2024"] == DECISIONS
    assert cited["360G-jarjesto-joensuu-og-2023"] is None
