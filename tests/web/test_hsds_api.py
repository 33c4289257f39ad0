"""The live HSDS 3.0 API under /hsds/: paging, filters, 404, the profile it names."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from jarjesto_core.files import sample_dataset
from jarjesto_core.opendata import stable_uuid
from jarjesto_core.opendata.validation import _hsds_registry, format_checker, schema_dir
from jarjesto_core.workspace import open_workspace

from .conftest import create


@pytest.fixture
def public(workspace_path: str) -> FlaskClient:
    return create(workspace_path, PUBLIC=True).test_client()


def get(client: FlaskClient, url: str, status: int = 200) -> Any:
    answer = client.get(url)
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.mimetype == "application/json"
    return answer.get_json()


def openapi() -> dict[str, Any]:
    text = schema_dir().joinpath("hsds-3.0", "openapi.json").read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def test_index_names_version_profile_and_openapi_by_urls_the_app_serves(
    public: FlaskClient,
) -> None:
    index = get(public, "/hsds/")
    schema = openapi()["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
    Draft202012Validator(schema["schema"], format_checker=format_checker()).validate(index)
    assert index["version"] == "3.0"
    assert index["profile"] == "http://localhost/hsds/profile/"
    page = public.get("/hsds/profile/")
    assert page.status_code == 200
    assert "organization.json" in page.get_data(as_text=True)
    patch = get(public, "/hsds/profile/organization.json")
    assert "names" in patch["properties"]
    assert get(public, "/hsds/openapi.json")["info"]
    assert public.get("/hsds/profile/secrets.json").status_code == 404


def test_pages_cover_every_record_once_and_validate(public: FlaskClient) -> None:
    sample = sample_dataset()
    page_schema = openapi()["components"]["schemas"]["Page"]
    validator = Draft202012Validator(page_schema, format_checker=format_checker())
    registry = _hsds_registry(True)
    service_schema = Draft202012Validator(
        {"$ref": "https://jarjesto.invalid/hsds-profile/1.0/schema/service.json"},
        registry=registry,
        format_checker=format_checker(),
    )
    seen: list[str] = []
    page = 1
    while True:
        answer = get(public, f"/hsds/services?per_page=7&page={page}")
        validator.validate(answer)
        for record in answer["contents"]:
            service_schema.validate(record)
        seen += [r["id"] for r in answer["contents"]]
        assert answer["page_number"] == page
        assert answer["total_items"] == len(sample.services)
        assert answer["total_pages"] == -(-len(sample.services) // 7)
        if answer["last_page"]:
            break
        assert answer["size"] == 7
        page += 1
    assert sorted(seen) == sorted(stable_uuid("services", s.id) for s in sample.services)
    past = get(public, f"/hsds/services?per_page=7&page={page + 1}")
    assert past["contents"] == []
    assert past["empty"] is True


@pytest.mark.parametrize("query", ["page=0", "per_page=0", "per_page=100000", "page=x"])
def test_bad_paging_is_a_400_naming_the_parameter(public: FlaskClient, query: str) -> None:
    answer = get(public, f"/hsds/organizations?{query}", 400)
    assert answer["error"]["status"] == 400


def test_filters(public: FlaskClient) -> None:
    sample = sample_dataset()
    owner = sample.services[0].organisation
    expected = sorted(
        stable_uuid("services", s.id) for s in sample.services if s.organisation == owner
    )
    owned = get(public, f"/hsds/services?organization_id={stable_uuid('organisations', owner)}")
    assert sorted(r["id"] for r in owned["contents"]) == expected
    org = sample.organisations[0]
    word = org.name.pick("fi").split()[0]
    found = get(public, f"/hsds/organizations?search={word.upper()}")
    assert stable_uuid("organisations", org.id) in {r["id"] for r in found["contents"]}
    assert found["total_items"] < len(sample.organisations)
    assert get(public, "/hsds/organizations?search=zzzz-nothing")["total_items"] == 0
    # Every record was loaded by the fixture just now; nothing after the far future.
    assert get(public, "/hsds/services?modified_after=2000-01-01T00:00:00Z")["total_items"] == len(
        sample.services
    )
    assert get(public, "/hsds/services?modified_after=2999-01-01")["total_items"] == 0
    get(public, "/hsds/services?modified_after=yesterday", 400)


def test_one_record_and_404_for_an_unknown_id(public: FlaskClient) -> None:
    sample = sample_dataset()
    sid = stable_uuid("services", sample.services[0].id)
    assert get(public, f"/hsds/services/{sid}")["id"] == sid
    oid = stable_uuid("organisations", sample.organisations[0].id)
    record = get(public, f"/hsds/organizations/{oid}")
    assert record["description"]
    assert record["last_modified"].endswith("Z")
    assert get(public, "/hsds/services/no-such-id", 404)["error"]["status"] == 404
    assert get(public, f"/hsds/organizations/{sid}", 404)["error"]["status"] == 404


def test_the_api_follows_changes(public: FlaskClient, workspace_path: str) -> None:
    sample = sample_dataset()
    oid = stable_uuid("organisations", sample.organisations[0].id)
    before = get(public, f"/hsds/organizations/{oid}")
    with open_workspace(workspace_path) as ws:
        stored = ws.get("organisations", sample.organisations[0].id)
        import attrs

        from jarjesto_core.model import Name

        ws.update(
            "organisations",
            attrs.evolve(stored.record, name=Name(fi="Uusi nimi ry")),
            stored.version,
            actor="eeva",
        )
    after = get(public, f"/hsds/organizations/{oid}")
    assert after["names"]["fi"] == "Uusi nimi ry"
    assert after["last_modified"] > before["last_modified"]


def test_reading_needs_a_login_unless_public(client: FlaskClient, tokens: dict[str, str]) -> None:
    assert client.get("/hsds/organizations").status_code == 401
    answer = client.get(
        "/hsds/organizations", headers={"Authorization": f"Bearer {tokens['viewer']}"}
    )
    assert answer.status_code == 200
    # The profile is documentation: anyone may read it.
    assert client.get("/hsds/profile/").status_code == 200


def test_the_web_download_carries_when_each_grant_last_changed(public: FlaskClient) -> None:
    answer = public.get("/download/opendata/360giving")
    assert answer.status_code == 200
    grants = json.loads(answer.get_data())["grants"]
    assert grants
    assert all(g["dateModified"] for g in grants)
