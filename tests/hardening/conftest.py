"""Shared fixtures of the hardening tests, and the figures they record for docs/reliability.md.

Each test adds what it tried and survived to ``figures`` (a session-wide
mapping); at the end of the session they are merged into the JSON file named
by ``JARJESTO_RELIABILITY_FIGURES`` (default ``build/reliability.json``), so
a fast run and the slow ``reliability`` session add up to one file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from jarjesto_core.files import sample_dataset
from jarjesto_core.plugins import get_plugin_manager
from jarjesto_core.workspace import open_workspace
from jarjesto_core.workspace.users import add_user, create_token

PASSWORD = "oikein-pitkä-salasana"
USERS = (("vera", "viewer"), ("eeva", "editor"), ("aino", "admin"))
ROOT = Path(__file__).resolve().parents[2]

_FIGURES: dict[str, Any] = {}


def figures_path() -> Path:
    return Path(os.environ.get("JARJESTO_RELIABILITY_FIGURES", ROOT / "build/reliability.json"))


@pytest.fixture(scope="session")
def figures() -> dict[str, Any]:
    return _FIGURES


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _FIGURES:
        return
    path = figures_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    merged: dict[str, Any] = {}
    if path.exists():
        try:
            merged = json.loads(path.read_text("utf-8"))
        except ValueError:
            merged = {}
    merged.update(_FIGURES)
    path.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n", "utf-8")


def make_workspace(path: str) -> dict[str, str]:
    """A workspace with the sample and one user per role; returns each role's API token."""
    with open_workspace(path) as ws:
        ws.init()
        ws.load(sample_dataset(), actor="setup")
        tokens = {}
        for name, role in USERS:
            add_user(ws, name, PASSWORD, role)
            tokens[role] = create_token(ws, name)
    return tokens


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """One workspace per module (password hashing is slow on purpose): its path and tokens."""
    path = str(tmp_path_factory.mktemp("ws") / "ws.db")
    return path, make_workspace(path)


def create(workspace_path: str, **config: object) -> Flask:
    from jarjesto_web import create_app

    return create_app(
        {"WORKSPACE": workspace_path, "TESTING": True, "SECRET_KEY": "test", **config},
        pm=get_plugin_manager(load_entrypoints=False),
    )


@pytest.fixture
def app(seeded: tuple[str, dict[str, str]]) -> Iterator[Flask]:
    return create(seeded[0])
