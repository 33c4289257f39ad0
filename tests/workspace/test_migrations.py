"""The schema: tables that match the records, and migrations that keep a workspace's data."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from direct_rows import insert_rows

from jarjesto_core.errors import WorkspaceError
from jarjesto_core.model import COLLECTIONS, Dataset
from jarjesto_core.workspace import head_revision, open_workspace
from jarjesto_core.workspace.schema import COLLECTION_TABLES, audit_log, meta, metadata

BOOKKEEPING = {"position", "version", "created_at", "updated_at"}


@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_each_table_has_a_column_per_field_nullable_exactly_when_defaulted(
    collection: str,
) -> None:
    table = COLLECTION_TABLES[collection]
    fields = {f.name: f for f in attrs.fields(COLLECTIONS[collection])}

    assert set(table.c.keys()) == set(fields) | BOOKKEEPING
    for name, field in fields.items():
        if name == "id":
            assert table.c.id.primary_key
            continue
        defaulted = field.default is not attrs.NOTHING
        assert table.c[name].nullable == defaulted, f"{collection}.{name}"


def test_the_migrated_database_matches_the_schema_module(location: str) -> None:
    ws = open_workspace(location)
    ws.init()
    with ws.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
    ws.close()


def test_a_workspace_at_the_first_revision_upgrades_and_keeps_its_data(
    location: str, dataset: Dataset
) -> None:
    ws = open_workspace(location)
    assert ws.init("0001") == "0001"
    at = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    with ws.engine.begin() as connection:
        insert_rows(connection, dataset, at, version=3)
        assert dataset.name is not None
        connection.execute(meta.insert().values(key="name", value=dataset.name.as_dict()))
        connection.execute(
            audit_log.insert().values(
                at=at,
                actor="vanha",
                action="insert",
                collection="services",
                record_id="klubi",
                before=None,
                after={"id": "klubi"},
            )
        )

    status = ws.status()
    assert (status.revision, status.up_to_date) == ("0001", False)
    with pytest.raises(WorkspaceError) as caught:
        ws.dataset()
    assert str(caught.value) == (
        f"the workspace {ws.location} is at schema revision 0001 and this jarjesto needs "
        f"{head_revision()}: take a backup, then run jarjesto db upgrade"
    )

    assert ws.upgrade() == ("0001", head_revision())

    assert ws.dataset() == dataset
    assert ws.version_of("services", "klubi") == 3
    (entry,) = ws.log(record_id="klubi")
    assert (entry.actor, entry.at, entry.after) == ("vanha", at, {"id": "klubi"})
    with ws.engine.connect() as connection:
        indexes = {i["name"] for i in sa.inspect(connection).get_indexes("audit_log")}
    assert {"ix_audit_log_record", "ix_audit_log_at"} <= indexes
    assert ws.upgrade() == (head_revision(), head_revision())
    ws.close()


def test_a_workspace_from_a_newer_jarjesto_is_refused(location: str) -> None:
    ws = open_workspace(location)
    ws.init()
    with ws.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")

    with pytest.raises(WorkspaceError, match="which this jarjesto does not know"):
        ws.dataset()
    with pytest.raises(WorkspaceError, match="which this jarjesto does not know"):
        ws.upgrade()
    ws.close()


def test_upgrading_an_uninitialised_database_says_to_init(location: str) -> None:
    ws = open_workspace(location)
    if ws.backend == "sqlite":
        open(location, "wb").close()
    with pytest.raises(WorkspaceError, match="run jarjesto db init"):
        ws.upgrade()
    ws.close()


def test_the_head_revision_named_in_the_code_is_the_newest_migration() -> None:
    """The revision every open checks against is a constant (Alembic is not imported to
    read it); a new migration must raise it."""
    from alembic.script import ScriptDirectory

    from jarjesto_core.workspace.revisions import HEAD_REVISION, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [HEAD_REVISION]
