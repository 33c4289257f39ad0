from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from jarjesto_core.files import sample_dataset
from jarjesto_core.plugins import get_plugin_manager
from jarjesto_core.workspace import open_workspace
from jarjesto_core.workspace.users import add_user, create_token

PASSWORD = "oikein-pitkä-salasana"


@pytest.fixture
def workspace_path(tmp_path: Path) -> str:
    path = str(tmp_path / "ws.db")
    with open_workspace(path) as ws:
        ws.init()
        ws.load(sample_dataset(), actor="setup")
        for name, role in (("vera", "viewer"), ("eeva", "editor"), ("aino", "admin")):
            add_user(ws, name, PASSWORD, role)
    return path


@pytest.fixture
def app(workspace_path: str) -> Iterator[Flask]:
    return create(workspace_path)


def create(workspace_path: str, **config: object) -> Flask:
    from jarjesto_web import create_app

    return create_app(
        {"WORKSPACE": workspace_path, "TESTING": True, "SECRET_KEY": "test", **config},
        pm=get_plugin_manager(load_entrypoints=False),
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def login(client: FlaskClient, name: str) -> None:
    token = csrf_token(client, "/login")
    answer = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302


@pytest.fixture
def editor(client: FlaskClient) -> FlaskClient:
    login(client, "eeva")
    return client


@pytest.fixture
def tokens(workspace_path: str) -> dict[str, str]:
    with open_workspace(workspace_path) as ws:
        return {
            role: create_token(ws, name) for role, name in (("viewer", "vera"), ("editor", "eeva"))
        }
