"""Naming a workspace, backups, the light import, and row conversion as a property."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from direct_rows import replace_rows
from hypothesis import HealthCheck, given, settings

from dataset_strategies import datasets
from jarjesto_core.errors import WorkspaceError
from jarjesto_core.model import (
    Dataset,
)
from jarjesto_core.workspace import Workspace, open_workspace, workspace_url
from jarjesto_core.workspace.schema import COLLECTION_TABLES


def test_a_path_is_a_sqlite_file_and_a_postgresql_url_uses_psycopg(tmp_path: Path) -> None:
    assert workspace_url(str(tmp_path / "w.db")).render_as_string() == (
        f"sqlite:///{tmp_path / 'w.db'}"
    )
    assert workspace_url(f"sqlite:///{tmp_path}/w.db").database == str(tmp_path / "w.db")
    url = workspace_url("postgresql://kunta:salainen@db.example:5433/jarjesto")
    assert (url.drivername, url.host, url.port, url.database) == (
        "postgresql+psycopg",
        "db.example",
        5433,
        "jarjesto",
    )
    assert workspace_url("postgres://db.example/j").drivername == "postgresql+psycopg"
    ws = open_workspace("postgresql://kunta:salainen@db.example/jarjesto")
    assert ws.location == "postgresql://kunta:***@db.example/jarjesto"


@pytest.mark.parametrize(
    ("given_", "message"),
    [
        ("", "no workspace given: pass --workspace or set JARJESTO_WORKSPACE"),
        ("sqlite://", "a SQLite workspace needs a file"),
        ("sqlite:///:memory:", "a SQLite workspace needs a file"),
        ("mysql://db/x", "'mysql://db/x' is not a workspace: give a SQLite file path or a"),
    ],
)
def test_what_is_not_a_workspace_is_named(given_: str, message: str) -> None:
    with pytest.raises(WorkspaceError) as caught:
        workspace_url(given_)
    assert str(caught.value).startswith(message)


def test_a_missing_directory_is_named_on_init(tmp_path: Path) -> None:
    ws = open_workspace(str(tmp_path / "nope" / "w.db"))
    with pytest.raises(WorkspaceError, match="no such directory"):
        ws.init()


def test_importing_the_core_does_not_import_sqlalchemy() -> None:
    code = "import sys, jarjesto_core, jarjesto_core.files; print('sqlalchemy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_sqlite_backup_is_a_complete_consistent_copy(tmp_path: Path, dataset: Dataset) -> None:
    ws = open_workspace(str(tmp_path / "w.db"))
    ws.init()
    ws.load(dataset, actor="loader")
    target = tmp_path / "backup.db"

    assert ws.backup(target) == target

    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    copy = open_workspace(str(target))
    assert copy.dataset() == dataset
    assert copy.log() == ws.log()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup")] == []
    with pytest.raises(WorkspaceError, match="already exists: give the backup a new file name"):
        ws.backup(target)
    copy.close()
    ws.close()


def test_a_postgresql_backup_points_to_pg_dump() -> None:
    ws = open_workspace("postgresql://kunta@db.example/jarjesto")
    with pytest.raises(WorkspaceError) as caught:
        ws.backup("jarjesto.dump")
    assert "pg_dump --format=custom --file=jarjesto.dump jarjesto" in str(caught.value)


# -- rows: every record of every collection survives a trip through the tables ---------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=datasets(storable=True))
def test_any_record_survives_a_trip_through_the_tables(workspace: Workspace, data: Dataset) -> None:
    """Rows are written as a change would write them and read back as ``dataset()`` reads.

    (The rows go in directly: generated data is well-formed but not
    semantically valid, and validation is not what this property is about.)
    """
    at = dt.datetime.now(dt.UTC)
    with workspace.engine.begin() as connection:
        replace_rows(connection, data, at)
    back = workspace.dataset()
    for collection in COLLECTION_TABLES:
        assert back.collection(collection) == data.collection(collection)
    amounts = [a.annual_amount_eur for a in back.agreements]
    assert [str(a) for a in amounts] == [str(a.annual_amount_eur) for a in data.agreements]
    assert all(a is None or isinstance(a, Decimal) for a in amounts)
