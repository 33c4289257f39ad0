"""HSDS import: another publisher's records (Open Referral's own examples), and edited fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jarjesto_core.errors import DatasetError
from jarjesto_core.model import Dataset, Name
from jarjesto_core.opendata import EXPORTERS, HsdsExporter, import_hsds, merge_imported
from jarjesto_core.opendata.hsds_standard import ASSUMED_KIND
from jarjesto_core.reference import Reference, bundled_reference
from jarjesto_core.validation import validate

EXAMPLES = Path(__file__).parent / "openreferral"


def example_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in EXAMPLES.glob("*.json")}


def test_open_referrals_own_examples_become_records(reference: Reference) -> None:
    imported = import_hsds(example_files(), reference, lang="en")
    (org,) = imported.organisations
    (service,) = imported.services
    assert org.id == "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
    assert org.name == Name(en="Example Organization Inc.")
    assert org.languages == ("ur",)  # from its service's languages
    assert org.municipalities == ()  # "MyCity" is no Finnish municipality
    assert org.scope.value == "local"
    assert service.organisation == org.id
    assert service.name == Name(en="Community Counselling")
    assert service.kind == ASSUMED_KIND
    assert service.languages == ("ur",)
    # Everything assumed is said, naming file, record and field.
    said = [str(n) for n in imported.notes]
    assert (
        "organizations.json: organizations[0] (d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610).name: "
        "the name's language is not in HSDS: assumed en"
    ) in said
    assert (
        "organizations.json: organizations[0] (d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610).scope: "
        "no municipality is known: the scope is assumed local"
    ) in said
    assert any("'MyCity' matches no municipality" in n for n in said)
    assert any(
        f"kind: the service's kind is not in HSDS: assumed {ASSUMED_KIND}" in n for n in said
    )
    # A valid dataset, which exports as valid HSDS again.
    dataset = merge_imported(Dataset(), imported)
    assert validate(dataset, reference) == ()
    from jarjesto_core.opendata.validation import validate_export

    assert validate_export("hsds", EXPORTERS["hsds"].export(dataset, reference).files) == []


def test_finnish_place_names_become_municipality_codes_and_scope(reference: Reference) -> None:
    org_id, svc_ids = "11111111-2222-4333-8444-555555555555", ["a-1", "a-2"]
    organizations = {
        "contents": [{"id": org_id, "name": "Esimerkkiyhdistys ry", "description": ""}]
    }
    services = {
        "contents": [
            {
                "id": svc_ids[0],
                "organization_id": org_id,
                "name": "Kohtaamispaikka",
                "status": "active",
                "service_areas": [{"id": "x", "name": "joensuu"}],
                "languages": [{"id": "l", "code": "fi"}, {"id": "m", "code": "sv"}],
            },
            {
                "id": svc_ids[1],
                "organization_id": org_id,
                "name": "Vertaistuki",
                "status": "active",
                "service_at_locations": [
                    {"id": "s", "location": {"id": "p", "addresses": [{"city": "Outokumpu"}]}}
                ],
            },
        ]
    }
    imported = import_hsds(
        {
            "organizations.json": json.dumps(organizations).encode(),
            "services.json": json.dumps(services).encode(),
        },
        reference,
    )
    (org,) = imported.organisations
    assert org.name == Name(fi="Esimerkkiyhdistys ry")
    assert org.municipalities == ("167", "309")
    assert org.languages == ("fi", "sv")
    # Joensuu and Outokumpu are both in North Karelia: regional.
    assert org.scope.value == "regional"
    assert [s.municipalities for s in imported.services] == [("167",), ("309",)]
    assert not any("matches no municipality" in str(n) for n in imported.notes)


def exported(small: Dataset, reference: Reference) -> dict[str, bytes]:
    return dict(HsdsExporter(lang="en").export(small, reference).files)


def edit(files: dict[str, bytes], name: str, change: Any) -> dict[str, bytes]:
    doc = json.loads(files[name])
    change({r["jarjesto"]["id"]: r for r in doc["contents"]})
    return {**files, name: json.dumps(doc).encode()}


def test_edited_standard_fields_round_trip(small: Dataset, reference: Reference) -> None:
    def rename(orgs: dict[str, Any]) -> None:
        orgs["pkmts"]["name"] = "Pohjois-Karjalan Mielenterveysseura – uusi nimi ry"

    def relocate(services: dict[str, Any]) -> None:
        peer = services["pkmts-peer"]
        peer["languages"] = [{"id": "x", "service_id": peer["id"], "code": "sv"}]
        peer["service_areas"] = [
            {"id": "y", "service_id": peer["id"], "name": "Joensuu", "municipality_code": "167"}
        ]

    files = edit(exported(small, reference), "organizations.json", rename)
    files = edit(files, "services.json", relocate)
    imported = import_hsds(files, reference)
    merged = merge_imported(small, imported)
    pkmts = next(o for o in merged.organisations if o.id == "pkmts")
    assert pkmts.name.fi == "Pohjois-Karjalan Mielenterveysseura – uusi nimi ry"
    assert pkmts.name.en == "North Karelia MHA"
    peer = next(s for s in merged.services if s.id == "pkmts-peer")
    assert peer.languages == ("sv",)
    assert peer.municipalities == ("167",)
    # Exported again, the edits are there: nothing was silently dropped.
    again = json.loads(HsdsExporter(lang="en").export(merged, reference).files["services.json"])
    peer_again = next(r for r in again["contents"] if r["jarjesto"]["id"] == "pkmts-peer")
    assert [lang["code"] for lang in peer_again["languages"]] == ["sv"]
    assert [a["municipality_code"] for a in peer_again["service_areas"]] == ["167"]
    # An untouched export reads back to the same records.
    unchanged = import_hsds(exported(small, reference), reference)
    assert merge_imported(small, unchanged) == small
    assert unchanged.notes == ()


def test_edits_that_cannot_be_kept_are_refused_or_reported(
    small: Dataset, reference: Reference
) -> None:
    def year(orgs: dict[str, Any]) -> None:
        orgs["pkmts"]["year_incorporated"] = 1960

    with pytest.raises(DatasetError) as info:
        import_hsds(edit(exported(small, reference), "organizations.json", year), reference)
    assert [str(p) for p in info.value.problems] == [
        "organizations.json: organizations[3] (pkmts).year_incorporated: year_incorporated "
        "1960 differs from the founding date 1952-05-01: a year is no date, so change "
        "jarjesto.founded instead"
    ]

    def describe(orgs: dict[str, Any]) -> None:
        orgs["pkmts"]["description"] = "Mielenterveystyötä Pohjois-Karjalassa."

    imported = import_hsds(
        edit(exported(small, reference), "organizations.json", describe), reference
    )
    assert [str(n) for n in imported.notes] == [
        "organizations.json: organizations[3] (pkmts).description: the description is not "
        "kept: a jarjesto record has no description, and exports write a sentence from its "
        "fields"
    ]


def test_the_cli_imports_another_publishers_hsds_and_says_what_it_assumed(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from jarjesto_cli.cli import cli
    from jarjesto_core.serialise import parse_dataset

    target = tmp_path / "region.json"
    runner = CliRunner()
    assert runner.invoke(cli, ["new", str(target)]).exit_code == 0
    result = runner.invoke(
        cli, ["--lang", "en", "import", str(target), "--format", "hsds", str(EXAMPLES)]
    )
    assert result.exit_code == 0, result.output
    assert "the name's language is not in HSDS: assumed fi" in result.stderr
    assert f"{EXAMPLES / 'services.json'}: services[0]" in result.stderr
    data = parse_dataset(target.read_text(encoding="utf-8")).dataset
    assert [o.id for o in data.organisations] == ["d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"]
    assert [s.kind for s in data.services] == [ASSUMED_KIND]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = st.sampled_from(
    [
        "id",
        "name",
        "names",
        "description",
        "organization_id",
        "organization",
        "languages",
        "service_areas",
        "locations",
        "service_at_locations",
        "organization_identifiers",
        "year_incorporated",
        "jarjesto",
    ]
)
RECORD = st.dictionaries(FIELDS, JSON, max_size=6)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(orgs=st.lists(RECORD | JSON, max_size=3), services=st.lists(RECORD | JSON, max_size=3))
def test_any_hsds_shape_is_records_or_a_dataset_error_never_a_traceback(
    orgs: list[Any], services: list[Any]
) -> None:
    reference = bundled_reference()
    files = {
        "organizations.json": json.dumps({"contents": orgs}).encode(),
        "services.json": json.dumps({"contents": services}).encode(),
    }
    try:
        imported = import_hsds(files, reference)
    except DatasetError as exc:
        refused = exc
    else:
        assert len(imported.organisations) <= len(orgs)
        return
    assert refused.problems
    assert all(problem.render("fi") for problem in refused.problems)
