"""The data version: raised in the same commit as every write, on SQLite and PostgreSQL.

Readers that keep what they derived from the data (the web's cache) trust
it to change whenever the data may have, whichever process wrote.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from jarjesto_core.errors import DatasetError, StaleVersionError, WorkspaceError
from jarjesto_core.model import Dataset, Name
from jarjesto_core.workspace import Workspace, head_revision, open_workspace
from jarjesto_core.workspace.users import add_user, create_token


def test_every_kind_of_write_raises_the_version(workspace: Workspace, dataset: Dataset) -> None:
    seen = [workspace.data_version()]

    def raised() -> None:
        now = workspace.data_version()
        assert now > seen[-1]
        seen.append(now)

    workspace.load(dataset, actor="t")
    raised()
    service = dataset.services[0]
    renamed = attrs.evolve(service, name=Name(fi="Uusi nimi"))
    workspace.update("services", renamed, workspace.version_of("services", service.id), "t")
    raised()
    extra = attrs.evolve(service, id="toinen-palvelu")
    workspace.add("services", [extra], actor="t")
    raised()
    workspace.add_all({"services": [attrs.evolve(service, id="kolmas")]}, actor="t")
    raised()
    workspace.delete("services", "toinen-palvelu", 1, actor="t")
    raised()
    workspace.load(attrs.evolve(dataset, name=Name(fi="Toinen nimi")), actor="t")
    raised()
    add_user(workspace, "eeva", "oikein-pitkä-salasana", "editor")
    raised()
    create_token(workspace, "eeva")
    raised()
    assert seen == sorted(set(seen))


def test_reading_leaves_the_version_alone(workspace: Workspace, dataset: Dataset) -> None:
    workspace.load(dataset, actor="t")
    before = workspace.data_version()

    workspace.dataset()
    workspace.status()
    workspace.log()
    workspace.get("services", dataset.services[0].id)
    workspace.data_version()

    assert workspace.data_version() == before


def test_a_refused_write_leaves_the_version_alone(workspace: Workspace, dataset: Dataset) -> None:
    workspace.load(dataset, actor="t")
    add_user(workspace, "eeva", "oikein-pitkä-salasana", "editor")
    before = workspace.data_version()
    service = dataset.services[0]

    with pytest.raises(StaleVersionError):
        workspace.update("services", service, 99, "t")
    with pytest.raises(DatasetError):
        workspace.add("services", [attrs.evolve(service, organisation="nobody")], actor="t")
    with pytest.raises(WorkspaceError, match="already exists"):
        add_user(workspace, "eeva", "oikein-pitkä-salasana", "viewer")

    assert workspace.data_version() == before


def test_another_process_writing_is_seen(workspace: Workspace, dataset: Dataset) -> None:
    workspace.load(dataset, actor="t")
    before = workspace.data_version()
    service = dataset.services[0]
    script = (
        "import sys, attrs\n"
        "from jarjesto_core.model import Name\n"
        "from jarjesto_core.workspace import open_workspace\n"
        "with open_workspace(sys.argv[1]) as ws:\n"
        "    found = ws.get('services', sys.argv[2])\n"
        "    new = attrs.evolve(found.record, name=Name(fi='Toisesta prosessista'))\n"
        "    ws.update('services', new, found.version, 'other')\n"
    )
    location = workspace.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", script, location, service.id], check=True)

    assert workspace.data_version() == before + 1
    assert workspace.get("services", service.id).record.name == Name(fi="Toisesta prosessista")


def test_a_schema_upgrade_raises_the_version(location: str) -> None:
    ws = open_workspace(location)
    ws.init("0001")
    # An old schema: refused with the reason, as every reader refuses it.
    with pytest.raises(WorkspaceError, match="take a backup, then run jarjesto db upgrade"):
        ws.data_version()
    ws.upgrade()
    assert ws.data_version() == 2  # init, then the upgrade
    ws.close()


def test_a_database_that_is_no_workspace_is_named(tmp_path: Path) -> None:
    missing = open_workspace(str(tmp_path / "nothing.db"))
    with pytest.raises(WorkspaceError) as raised:
        missing.data_version()
    assert raised.value.render("en") == (
        f"no workspace at {tmp_path / 'nothing.db'}: create one with jarjesto db init"
    )
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(WorkspaceError) as raised:
        open_workspace(str(empty)).data_version()
    assert raised.value.render("en") == (
        f"{empty} is not a jarjesto workspace yet: run jarjesto db init"
    )


def test_a_new_workspace_starts_at_its_head_revision_with_a_version(location: str) -> None:
    with open_workspace(location) as ws:
        assert ws.init() == head_revision()
        assert ws.data_version() == 1
