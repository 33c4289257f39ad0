"""The publisher settings page: admins set them, validated and audited; others may not."""

from __future__ import annotations

from flask.testing import FlaskClient

from jarjesto_core.workspace import open_workspace

from .conftest import csrf_token, login


def form(client: FlaskClient, **fields: str) -> dict[str, str]:
    return {"csrf_token": csrf_token(client, "/publisher"), **fields}


def test_an_admin_sets_the_publisher(client: FlaskClient, workspace_path: str) -> None:
    login(client, "aino")
    answer = client.post(
        "/publisher",
        data=form(
            client,
            name_fi="Esimerkkikunta",
            prefix="360G-esimerkki",
            licence="https://creativecommons.org/licenses/by/4.0/",
            language="sv",
            business_ids="municipality:167=1234567-1\n",
        ),
    )
    assert answer.status_code == 302
    with open_workspace(workspace_path) as ws:
        publisher = ws.dataset().publisher
        entries = [e for e in ws.log() if e.record_id == "publisher"]
    assert publisher is not None
    assert publisher.prefix == "360G-esimerkki"
    assert publisher.language == "sv"
    assert publisher.business_ids == {"municipality:167": "1234567-1"}
    assert [(e.actor, e.action) for e in entries] == [("aino", "update")]
    page = client.get("/publisher").get_data(as_text=True)
    assert 'value="360G-esimerkki"' in page


def test_a_wrong_value_is_shown_beside_its_field_and_nothing_is_saved(
    client: FlaskClient, workspace_path: str
) -> None:
    login(client, "aino")
    answer = client.post(
        "/publisher", data=form(client, name_fi="Esimerkkikunta", prefix="esimerkki")
    )
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert 'id="e-prefix"' in page
    assert "360G-" in page
    with open_workspace(workspace_path) as ws:
        assert ws.dataset().publisher is None


def test_only_admins(client: FlaskClient) -> None:
    login(client, "eeva")
    assert client.get("/publisher").status_code == 403
