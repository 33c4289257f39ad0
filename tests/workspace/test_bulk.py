"""The bulk paths: chunked loads stay all or nothing, and the fast row paths change nothing.

A load is written in chunks of :data:`~jarjesto_core.workspace.rows.CHUNK`
rows and audit entries; these datasets are larger than one chunk so that a
failure comes after chunks have already gone to the database.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from direct_rows import clear_rows, replace_rows
from hypothesis import HealthCheck, given, settings

from dataset_strategies import datasets
from jarjesto_core.demo import generate
from jarjesto_core.errors import DatasetError, WorkspaceError
from jarjesto_core.model import Dataset, Name
from jarjesto_core.reference import bundled_reference
from jarjesto_core.serialise import unstructure_record
from jarjesto_core.workspace import Workspace
from jarjesto_core.workspace.bulk import _BulkWriter
from jarjesto_core.workspace.records import _record_from_row
from jarjesto_core.workspace.rows import CHUNK, record_decoder
from jarjesto_core.workspace.schema import COLLECTION_TABLES


@functools.cache
def _big() -> Dataset:
    dataset = generate(bundled_reference(), organisations=400, years=10, seed=3)
    assert len(dataset.agreements) > CHUNK
    return dataset


def _refuse_agreement(ws: Workspace, record_id: str) -> None:
    """A trigger that makes the database itself refuse one agreement's insert."""
    with ws.engine.begin() as connection:
        if ws.backend == "sqlite":
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE INSERT ON agreements "
                f"WHEN NEW.id = '{record_id}' BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
            )
        else:
            connection.exec_driver_sql(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.id = '{record_id}' THEN RAISE EXCEPTION 'refused by test'; END IF; "
                "RETURN NEW; END $$"
            )
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE INSERT ON agreements "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"
            )


def _drop_refusal(ws: Workspace) -> None:
    with ws.engine.begin() as connection:
        connection.exec_driver_sql(
            "DROP TRIGGER refuse" if ws.backend == "sqlite" else "DROP TRIGGER refuse ON agreements"
        )


def _versions(ws: Workspace) -> dict[str, list[tuple[str, int, int]]]:
    with ws.engine.connect() as connection:
        return {
            name: [
                tuple(row)
                for row in connection.execute(
                    sa.select(table.c.id, table.c.version, table.c.position).order_by(table.c.id)
                )
            ]
            for name, table in COLLECTION_TABLES.items()
        }


def test_a_load_failing_after_whole_chunks_were_sent_leaves_nothing(
    workspace: Workspace, dataset: Dataset
) -> None:
    workspace.load(dataset, actor="first")
    before_log = workspace.log()
    before_versions = _versions(workspace)
    big = _big()
    _refuse_agreement(workspace, big.agreements[-1].id)

    with pytest.raises(WorkspaceError) as caught:
        workspace.load(big, actor="second")

    assert "refused by test" in str(caught.value)
    assert workspace.dataset() == dataset
    assert workspace.log() == before_log
    assert _versions(workspace) == before_versions
    assert workspace.status().counts["agreements"] == len(dataset.agreements)


def test_loads_larger_than_a_chunk_add_move_and_remove_with_an_entry_each(
    workspace: Workspace, dataset: Dataset
) -> None:
    big = _big()
    records = sum(1 for _ in big.records())

    summary = workspace.load(big, actor="tester")

    assert (summary.added, summary.changed, summary.removed) == (records, 0, 0)
    assert workspace.dataset() == big
    entries = workspace.log()
    # One entry per record, in the dataset's order, then the name and description.
    assert [(e.collection, e.record_id) for e in entries] == [
        *((name, r.id) for name, r in big.records()),  # type: ignore[attr-defined]
        ("dataset", "name"),
        ("dataset", "description"),
    ]
    assert {(e.action, e.actor, e.at) for e in entries} == {("load", "tester", entries[0].at)}
    assert entries[0].before is None
    assert entries[0].after == unstructure_record(big.organisations[0])
    versions = _versions(workspace)

    # Every agreement in a new place: positions move, versions and the log stay.
    shuffled = attrs.evolve(big, agreements=big.agreements[::-1])
    summary = workspace.load(shuffled, actor="tester")
    assert (summary.added, summary.changed, summary.removed) == (0, 0, 0)
    assert workspace.dataset() == shuffled
    assert len(workspace.log()) == len(entries)
    moved = _versions(workspace)
    assert [(i, v) for i, v, _ in moved["agreements"]] == [
        (i, v) for i, v, _ in versions["agreements"]
    ]
    assert moved["agreements"] != versions["agreements"]

    # Back to the small sample: thousands of records removed, each with its entry.
    summary = workspace.load(dataset, actor="tester")
    assert summary.added == sum(1 for _ in dataset.records())
    assert summary.removed == records
    assert workspace.dataset() == dataset
    removals = [e for e in workspace.log() if e.after is None and e.collection != "dataset"]
    assert [(e.collection, e.record_id) for e in removals] == [
        (name, r.id)  # type: ignore[attr-defined]
        for name, r in shuffled.records()  # in the order they were stored
    ]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=datasets(storable=True))
def test_bulk_rows_are_the_rows_sqlalchemy_writes_and_read_back_the_same_way(
    workspace: Workspace, data: Dataset
) -> None:
    """The bulk writer stores exactly what a Core insert of ``_row_from_record`` stores,
    and the fast decoder builds exactly the record the strict reader builds."""
    at = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)

    def stored(connection: sa.Connection) -> dict[str, list[tuple[Any, ...]]]:
        return {
            name: [
                tuple(row)
                for row in connection.exec_driver_sql(
                    f"SELECT * FROM {table.name} ORDER BY position"
                )
            ]
            for name, table in COLLECTION_TABLES.items()
        }

    with workspace.engine.begin() as connection:
        replace_rows(connection, data, at)
        by_core = stored(connection)
        clear_rows(connection)
        writer = _BulkWriter(connection, at, "tester")
        for name in COLLECTION_TABLES:
            for position, record in enumerate(data.collection(name)):
                writer.insert(name, record, position, "insert")
            writer.flush()
        assert stored(connection) == by_core

        for name, table in COLLECTION_TABLES.items():
            decode = record_decoder(name)
            for row in connection.execute(sa.select(*decode.columns(table))):
                strict = _record_from_row(name, row._mapping)
                fast = decode(row)  # never Unsure of what a jarjesto wrote
                assert fast == strict
                for field in attrs.fields(type(strict)):
                    assert type(getattr(fast, field.name)) is type(getattr(strict, field.name))
        clear_rows(connection)
        connection.execute(sa.text("DELETE FROM audit_log"))


def test_a_row_the_fast_path_is_unsure_of_is_read_strictly(
    workspace: Workspace, dataset: Dataset
) -> None:
    workspace.load(dataset, actor="tester")
    org = dataset.organisations[0]
    table = COLLECTION_TABLES["organisations"]
    with workspace.engine.begin() as connection:
        # A JSON null for a language: written by hand; the file format accepts it.
        connection.execute(
            table.update()
            .where(table.c.id == org.id)
            .values(name={"fi": org.name.fi, "sv": None, "en": None})
        )
    renamed = attrs.evolve(org, name=Name(fi=org.name.fi))
    expected = attrs.evolve(dataset, organisations=(renamed, *dataset.organisations[1:]))
    assert workspace.dataset() == expected


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("name", {"fi": "Yhdistys", "de": "Verein"}),
        ("name", {"fi": "   "}),
        ("scope", "galactic"),
        ("languages", "fi"),
        ("languages", [1]),
    ],
)
def test_a_row_no_file_could_hold_is_refused_naming_the_record(
    workspace: Workspace, dataset: Dataset, column: str, value: Any
) -> None:
    workspace.load(dataset, actor="tester")
    org = dataset.organisations[0]
    table = COLLECTION_TABLES["organisations"]
    with workspace.engine.begin() as connection:
        connection.execute(table.update().where(table.c.id == org.id).values({column: value}))

    with pytest.raises(DatasetError) as caught:
        workspace.dataset()

    (problem,) = caught.value.problems
    assert problem.collection == "organisations"
    assert problem.record_id == org.id
    assert (problem.field or "").split("[")[0] == column  # named as a file's problem would be
