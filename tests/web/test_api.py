"""The JSON API, the OpenAPI document, users and the web commands."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from jarjesto_cli.cli import cli
from jarjesto_core.errors import WorkspaceError
from jarjesto_core.files import sample_dataset
from jarjesto_core.workspace import open_workspace
from jarjesto_core.workspace.users import add_user, authenticate, user_for_token

from .conftest import PASSWORD, login

NEW_ORG = {
    "id": "api-org",
    "name": {"fi": "API ry"},
    "languages": ["fi"],
    "scope": "local",
    "municipalities": ["167"],
}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_reads_need_a_login_or_a_token(client: FlaskClient, tokens: dict[str, str]) -> None:
    answer = client.get("/api/v1/organisations")
    assert answer.status_code == 401
    assert answer.get_json()["error"]["status"] == 401
    records = client.get("/api/v1/organisations", headers=_auth(tokens["viewer"])).get_json()
    # Every organisation of the sample, which the workspace was loaded with.
    assert len(records["records"]) == len(sample_dataset().organisations)
    assert client.get("/api/v1/services", headers=_auth("wrong")).status_code == 401
    login(client, "vera")
    one = client.get("/api/v1/organisations/pk-klubitalo").get_json()
    assert one["record"]["id"] == "pk-klubitalo"
    assert one["version"] == 1


def test_write_create_update_delete(
    client: FlaskClient, tokens: dict[str, str], workspace_path: str
) -> None:
    editor = _auth(tokens["editor"])
    made = client.post("/api/v1/organisations", json={"record": NEW_ORG}, headers=editor)
    assert made.status_code == 201
    assert made.get_json()["version"] == 1
    changed = {**NEW_ORG, "scope": "regional"}
    answer = client.put(
        "/api/v1/organisations/api-org", json={"record": changed, "version": 1}, headers=editor
    )
    assert answer.get_json()["version"] == 2
    stale = client.put(
        "/api/v1/organisations/api-org", json={"record": changed, "version": 1}, headers=editor
    )
    assert stale.status_code == 409
    assert (
        client.delete("/api/v1/organisations/api-org?version=2", headers=editor).status_code == 204
    )
    with open_workspace(workspace_path) as ws:
        actors = {e.actor for e in ws.log(record_id="api-org")}
    assert actors == {"eeva"}


def test_write_refusals(client: FlaskClient, tokens: dict[str, str]) -> None:
    assert client.post("/api/v1/organisations", json={"record": NEW_ORG}).status_code == 401
    viewer = client.post(
        "/api/v1/organisations", json={"record": NEW_ORG}, headers=_auth(tokens["viewer"])
    )
    assert viewer.status_code == 403
    bad = client.post(
        "/api/v1/organisations",
        json={"record": {**NEW_ORG, "municipalities": ["999"]}},
        headers=_auth(tokens["editor"]),
    )
    assert bad.status_code == 400
    assert any("999" in p for p in bad.get_json()["error"]["problems"])
    assert (
        client.post("/api/v1/organisations", data="x", headers=_auth(tokens["editor"])).status_code
        == 400
    )
    assert client.get("/api/v1/nothing", headers=_auth(tokens["viewer"])).status_code == 404
    assert (
        client.get("/api/v1/organisations/none", headers=_auth(tokens["viewer"])).get_json()[
            "error"
        ]["status"]
        == 404
    )


def test_assessment_and_openapi(client: FlaskClient, tokens: dict[str, str]) -> None:
    doc = client.get(
        "/api/v1/assessment?party=area:14&year=2025", headers=_auth(tokens["viewer"])
    ).get_json()
    assert doc["format"] == "jarjesto-assessment"
    assert doc["subjects"][0]["party"] == "area:14"
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    assert set(spec["paths"]) == {"/{collection}", "/{collection}/{record_id}", "/assessment"}


def test_users_are_hashed_and_checked(workspace_path: str) -> None:
    with open_workspace(workspace_path) as ws:
        assert authenticate(ws, "eeva", PASSWORD) is not None
        assert authenticate(ws, "eeva", "wrong-password") is None
        assert authenticate(ws, "nobody", PASSWORD) is None
        assert user_for_token(ws, "nothing") is None
        with pytest.raises(WorkspaceError, match="already exists"):
            add_user(ws, "eeva", PASSWORD, "viewer")
        with pytest.raises(WorkspaceError, match="too short"):
            add_user(ws, "uusi", "short", "viewer")
        with pytest.raises(WorkspaceError, match="unknown role 'boss'"):
            add_user(ws, "uusi", PASSWORD, "boss")
        with ws.engine.connect() as connection:
            stored = connection.exec_driver_sql("SELECT password_hash FROM users").scalars().all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in stored)


def test_users_add_prompts_for_the_password(workspace_path: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["--lang", "en", "users", "add", "uusi", "--role", "editor", "-w", workspace_path],
        input="pitkä-salasana-1\npitkä-salasana-1\n",
        obj={},
    )
    assert result.exit_code == 0, result.output
    assert "Added user uusi with the role editor." in result.output
    listed = CliRunner().invoke(cli, ["users", "list", "-w", workspace_path], obj={})
    assert "uusi\teditor" in listed.output


def test_serve_needs_a_secret_key(workspace_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JARJESTO_SECRET_KEY", raising=False)
    result = CliRunner().invoke(cli, ["serve", "-w", workspace_path], obj={})
    assert result.exit_code == 1
    assert "JARJESTO_SECRET_KEY is not set" in result.output


def test_the_cli_roles_are_the_schema_roles() -> None:
    from jarjesto_cli.commands.web import ROLES as CLI_ROLES
    from jarjesto_core.workspace.schema import ROLES

    assert CLI_ROLES == ROLES
