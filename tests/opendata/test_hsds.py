"""HSDS: the mapping, the round trip, and import errors that name file, record and field."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core.errors import DatasetError
from jarjesto_core.model import Dataset
from jarjesto_core.opendata import (
    EXPORTERS,
    JARJESTO_NAMESPACE,
    Filter,
    HsdsExporter,
    import_hsds,
    merge_imported,
    stable_uuid,
)
from jarjesto_core.reference import Reference


def contents(files: Any, name: str) -> list[dict[str, Any]]:
    return json.loads(files[name])["contents"]


def by_jarjesto_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["jarjesto"]["id"]: r for r in records}


@pytest.mark.parametrize("year", [None, 2024])
@pytest.mark.parametrize("dataset_name", ["small", "synthetic"])
def test_export_import_export_is_byte_identical(
    request: pytest.FixtureRequest, reference: Reference, dataset_name: str, year: int | None
) -> None:
    dataset: Dataset = request.getfixturevalue(dataset_name)
    first = EXPORTERS["hsds"].export(dataset, reference, year=year)
    imported = import_hsds(first.files)
    # Importing into the dataset replaces its organisations and services in place.
    again = EXPORTERS["hsds"].export(merge_imported(dataset, imported), reference, year=year)
    assert again.files == first.files
    # ...and into a dataset with none of them adds them back.
    bare = Dataset(agreements=dataset.agreements)
    assert EXPORTERS["hsds"].export(merge_imported(bare, imported), reference, year=year) == first


def test_import_gives_back_the_records_exactly(small: Dataset, reference: Reference) -> None:
    imported = import_hsds(EXPORTERS["hsds"].export(small, reference).files)
    assert sorted(imported.organisations, key=lambda o: o.id) == sorted(
        small.organisations, key=lambda o: o.id
    )
    assert sorted(imported.services, key=lambda s: s.id) == sorted(
        small.services, key=lambda s: s.id
    )


def test_organisation_mapping(small: Dataset, reference: Reference) -> None:
    files = HsdsExporter(lang="en").export(small, reference).files
    orgs = by_jarjesto_id(contents(files, "organizations.json"))
    pkmts = orgs["pkmts"]
    assert pkmts["id"] == str(uuid.uuid5(JARJESTO_NAMESPACE, "organisations/pkmts"))
    assert pkmts["name"] == "Pohjois-Karjalan Mielenterveysseura ry"
    assert pkmts["names"] == {
        "fi": "Pohjois-Karjalan Mielenterveysseura ry",
        "en": "North Karelia MHA",
    }
    assert pkmts["year_incorporated"] == 1952
    assert [
        (i.get("identifier_scheme"), i["identifier"]) for i in pkmts["organization_identifiers"]
    ] == [
        ("FI-PRO", "0242746-2"),
        (None, "123.456"),
    ]
    # The operating grant covers all services: a funding row on the organisation.
    assert [f["source"] for f in pkmts["funding"]] == [
        "Operating grant from Joensuu (municipality:167), 2023-01-01 – 2025-12-31, 12000 EUR a year"
    ]
    # A Swedish-speaking association is named in Swedish.
    assert orgs["malax-ungdom"]["name"] == "Malax ungdomsförening r.f."


def test_service_mapping(small: Dataset, reference: Reference) -> None:
    files = HsdsExporter(lang="en").export(small, reference, year=2024).files
    services = by_jarjesto_id(contents(files, "services.json"))
    peer = services["pkmts-peer"]
    assert peer["status"] == "active"
    assert [a["name"] for a in peer["service_areas"]] == ["Joensuu", "Outokumpu"]
    assert [a["municipality_code"] for a in peer["service_areas"]] == ["167", "309"]
    assert [(lang["code"], lang["name"]) for lang in peer["languages"]] == [("fi", "suomi")]
    # Defaults stay defaults in the profile object; HSDS gets the effective values.
    assert "municipalities" not in peer["jarjesto"]
    # The project grant lists this service: the funding row is on the service.
    assert [f["source"] for f in peer["funding"]] == [
        "Project grant from North Karelia wellbeing services county (area:14), "
        "2024-03-01 – 2025-08-31, 8500.5 EUR a year"
    ]
    assert "funding" not in services["pkmts-club"]
    # Premises support but do not fund.
    assert all("Premises" not in json.dumps(s.get("funding")) for s in services.values())


def test_status_follows_dissolution(small: Dataset, reference: Reference) -> None:
    every_year = EXPORTERS["hsds"].export(small, reference).files
    assert by_jarjesto_id(contents(every_year, "services.json"))["club-meet"]["status"] == "defunct"
    in_2022 = EXPORTERS["hsds"].export(small, reference, year=2022).files
    assert by_jarjesto_id(contents(in_2022, "services.json"))["club-meet"]["status"] == "active"
    # Dissolved in 2023: not active in 2024, so not exported.
    in_2024 = EXPORTERS["hsds"].export(small, reference, year=2024).files
    assert "club-meet" not in by_jarjesto_id(contents(in_2024, "services.json"))


def test_filter_by_area_and_municipality(small: Dataset, reference: Reference) -> None:
    def org_ids(scope: Filter) -> list[str]:
        files = EXPORTERS["hsds"].export(small, reference, scope=scope).files
        return sorted(by_jarjesto_id(contents(files, "organizations.json")))

    assert org_ids(Filter.for_area("14")) == ["old-club", "pkmts"]
    assert org_ids(Filter.for_municipality("475")) == ["malax-ungdom"]
    # Helsinki's city is both municipality 091 and area 90.
    assert org_ids(Filter.for_area("90")) == org_ids(Filter.for_municipality("091"))
    assert org_ids(Filter.for_area("90")) == ["helsinki-crisis"]


def test_index_names_version_and_profile(small: Dataset, reference: Reference) -> None:
    files = EXPORTERS["hsds"].export(small, reference).files
    assert json.loads(files["index.json"]) == {
        "version": "3.0",
        "profile": "urn:jarjesto:hsds-profile:1.2",
    }


# -- import errors ---------------------------------------------------------------


def exported(small: Dataset, reference: Reference) -> dict[str, bytes]:
    return dict(EXPORTERS["hsds"].export(small, reference).files)


def edit(files: dict[str, bytes], name: str, change: Any) -> dict[str, bytes]:
    doc = json.loads(files[name])
    change(doc["contents"])
    return {**files, name: json.dumps(doc).encode()}


def problems(files: dict[str, bytes]) -> list[str]:
    with pytest.raises(DatasetError) as info:
        import_hsds(files)
    return [str(p) for p in info.value.problems]


def test_import_error_names_file_record_and_field(small: Dataset, reference: Reference) -> None:
    def damage(records: list[dict[str, Any]]) -> None:
        by_jarjesto_id(records)["pkmts"]["jarjesto"].pop("scope")
        by_jarjesto_id(records)["malax-ungdom"]["jarjesto"]["members"] = "many"
        by_jarjesto_id(records)["old-club"]["names"] = {"de": "Klub"}

    files = edit(exported(small, reference), "organizations.json", damage)
    # Every problem at once; the services of the broken organisations are not orphans.
    assert problems(files) == [
        "organizations.json: organizations[1] (malax-ungdom).jarjesto.members: "
        "'many' is not a whole number",
        "organizations.json: organizations[2] (old-club).names: "
        "a name has languages fi, sv and en only, not de",
        "organizations.json: organizations[3] (pkmts).jarjesto.scope: required field is missing",
    ]


def test_import_service_of_unknown_organisation(small: Dataset, reference: Reference) -> None:
    def orphan(records: list[dict[str, Any]]) -> None:
        records[0]["organization_id"] = "00000000-0000-0000-0000-000000000000"

    files = edit(exported(small, reference), "services.json", orphan)
    assert problems(files) == [
        "services.json: services[0] (club-meet).organization_id: organisation "
        "'00000000-0000-0000-0000-000000000000' is not in organizations.json"
    ]


def test_import_duplicate_ids(small: Dataset, reference: Reference) -> None:
    files = edit(exported(small, reference), "services.json", lambda r: r.append(r[0]))
    assert problems(files) == [
        "services.json: services[5] (club-meet).jarjesto.id: duplicate id 'club-meet'"
    ]


def test_import_malformed_or_missing_files(small: Dataset, reference: Reference) -> None:
    files = exported(small, reference)
    assert problems({**files, "organizations.json": b'{"contents": [}'}) == [
        "organizations.json: line 1, column 15: malformed JSON: Expecting value"
    ]
    assert problems({"services.json": files["services.json"]}) == [
        "the HSDS export has no organizations.json"
    ]
    assert problems({**files, "organizations.json": b"{}"}) == [
        "organizations.json: not an HSDS page: expected an object with a list of records "
        "in contents"
    ]


def test_import_without_services_gives_organisations_only(
    small: Dataset, reference: Reference
) -> None:
    files = exported(small, reference)
    imported = import_hsds({"organizations.json": files["organizations.json"]})
    assert len(imported.organisations) == 4
    assert imported.services == ()


# -- ids ---------------------------------------------------------------------------

IDS = st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,20}", fullmatch=True)


@given(st.lists(IDS, min_size=1, max_size=3), st.lists(IDS, min_size=1, max_size=3))
def test_stable_uuid_is_stable_and_unique(a: list[str], b: list[str]) -> None:
    first = stable_uuid("organisations", *a)
    assert first == stable_uuid("organisations", *a)
    assert uuid.UUID(first).version == 5
    assert (first == stable_uuid("organisations", *b)) == (a == b)
    assert first != stable_uuid("services", *a)
