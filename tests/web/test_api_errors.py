"""The API's errors name what is wrong: the field of a record, the record that is missing.

A structural error in a record is the same field-named problem a file load
gives; a missing record is 404; a workspace that cannot answer (out of date,
not initialised) is 503 on every route, never a 404 that blames the reader.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from flask.testing import FlaskClient

from jarjesto_core.errors import DatasetError, RecordNotFoundError
from jarjesto_core.serialise import parse_record, structure_dataset
from jarjesto_core.workspace import open_workspace

from .conftest import login

ORG = {
    "id": "api-org",
    "name": {"fi": "API ry"},
    "languages": ["fi"],
    "scope": "local",
    "municipalities": ["167"],
}
BROKEN = {**ORG, "scope": "galactic", "founded": "yesterday", "members": "many"}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_structural_error_names_each_field(client: FlaskClient, tokens: dict[str, str]) -> None:
    answer = client.post(
        "/api/v1/organisations?lang=en", json={"record": BROKEN}, headers=_auth(tokens["editor"])
    )
    assert answer.status_code == 400
    problems = answer.get_json()["error"]["problems"]
    fields = sorted(p.split(":", 1)[0] for p in problems)
    assert fields == [
        "organisations (api-org).founded",
        "organisations (api-org).members",
        "organisations (api-org).scope",
    ]
    assert not any("While structuring" in p or "sub-exception" in p for p in problems)


def test_a_record_read_alone_fails_as_in_a_file(tmp_path: Any) -> None:
    """The same problems, field by field, as the record inside a dataset file."""
    with pytest.raises(DatasetError) as alone:
        parse_record(BROKEN, "organisations")
    in_file = structure_dataset(
        {"format": "jarjesto-dataset", "version": 1, "organisations": [BROKEN]}
    ).problems
    assert [p.render("fi") for p in alone.value.problems] == [
        p.render("fi").replace("organisations[0]", "organisations") for p in in_file
    ]
    assert parse_record(ORG, "organisations").id == "api-org"


def test_an_unknown_field_is_named_too(client: FlaskClient, tokens: dict[str, str]) -> None:
    answer = client.post(
        "/api/v1/organisations?lang=en",
        json={"record": {**ORG, "colour": "blue"}},
        headers=_auth(tokens["editor"]),
    )
    assert answer.status_code == 400
    assert answer.get_json()["error"]["problems"] == [
        "organisations (api-org): unknown field colour"
    ]


def test_a_missing_record_is_404_naming_it(client: FlaskClient, tokens: dict[str, str]) -> None:
    answer = client.get(
        "/api/v1/organisations/no-such-org?lang=en", headers=_auth(tokens["viewer"])
    )
    assert answer.status_code == 404
    assert answer.get_json()["error"]["problems"] == ["organisations has no record no-such-org"]


def test_a_missing_record_is_its_own_error(workspace_path: str) -> None:
    with open_workspace(workspace_path) as ws, pytest.raises(RecordNotFoundError) as missing:
        ws.get("organisations", "no-such-org")
    assert (missing.value.collection, missing.value.record_id) == ("organisations", "no-such-org")


def test_a_missing_record_to_edit_is_a_404_page(client: FlaskClient) -> None:
    login(client, "eeva")
    page = client.get("/edit/organisations/no-such-org?lang=en")
    assert page.status_code == 404
    assert "organisations has no record no-such-org" in page.get_data(as_text=True)


def _out_of_date(workspace_path: str) -> None:
    """As if an older jarjesto's schema: a known revision, not the newest."""
    connection = sqlite3.connect(workspace_path)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0002'")
    connection.close()


@pytest.mark.parametrize(
    "path",
    ["/api/v1/organisations/pk-klubitalo", "/api/v1/organisations", "/api/v1/assessment"],
)
def test_an_out_of_date_workspace_is_503_everywhere(
    client: FlaskClient, tokens: dict[str, str], workspace_path: str, path: str
) -> None:
    _out_of_date(workspace_path)
    answer = client.get(f"{path}?lang=en", headers=_auth(tokens["viewer"]))
    assert answer.status_code == 503
    (problem,) = answer.get_json()["error"]["problems"]
    assert "jarjesto db upgrade" in problem
