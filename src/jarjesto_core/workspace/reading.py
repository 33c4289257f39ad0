"""Reading a workspace: the dataset, one record with its version, the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import sqlalchemy as sa

from jarjesto_core.errors import RecordNotFoundError, WorkspaceError
from jarjesto_core.i18n import N_
from jarjesto_core.model import COLLECTIONS, Dataset, Name, Publisher
from jarjesto_core.serialise import structure_record, unstructure_record
from jarjesto_core.workspace.connection import DATA_VERSION_KEY, Connection
from jarjesto_core.workspace.records import (
    AuditEntry,
    VersionedRecord,
    _record_from_row,
    _State,
    _Stored,
    unreadable_row,
)
from jarjesto_core.workspace.revisions import head_revision
from jarjesto_core.workspace.rows import CHUNK, Unsure, record_decoder
from jarjesto_core.workspace.schema import COLLECTION_TABLES, audit_log, meta

__all__ = ["Reads"]

#: The keys of the dataset's own name, description and publisher settings in ``meta``.
_META_KEYS: Final = ("name", "description", "publisher")


def _meta_value(value: Name | Publisher) -> Any:
    """A ``meta`` row's JSON: a name's texts, or the publisher in the dataset file's form."""
    return value.as_dict() if isinstance(value, Name) else unstructure_record(value)


def _meta_object(key: str, value: Any) -> Name | Publisher:
    return structure_record(value, Publisher) if key == "publisher" else Name(**value)


class Reads(Connection):
    """The reading half of a workspace."""

    def _read(self, connection: sa.Connection, *, versions: bool = True) -> _State:
        """The dataset, and with ``versions`` each record's version and position.

        Rows come in chunks and go through :mod:`.rows`' decoders; a row they
        are unsure of is read with the dataset format's strict converter.
        """
        collections: dict[str, tuple[object, ...]] = {}
        stored: dict[str, dict[str, _Stored]] = {}
        for name in COLLECTION_TABLES:
            by_id: dict[str, _Stored] = {}
            collections[name] = tuple(self._records(connection, name, by_id if versions else None))
            stored[name] = by_id
        dataset = Dataset(**self._header(connection), **collections)  # type: ignore[arg-type]
        return _State(dataset, stored)

    @staticmethod
    def _records(
        connection: sa.Connection,
        name: str,
        by_id: dict[str, _Stored] | None = None,
        where: sa.ColumnElement[bool] | None = None,
    ) -> list[object]:
        """The records of a collection (``where`` they match), in stored order; with
        ``by_id``, each one's version and position are kept there."""
        table = COLLECTION_TABLES[name]
        decode = record_decoder(name)
        width = len(decode.fields)
        query = sa.select(*decode.columns(table), table.c.version, table.c.position)
        if where is not None:
            query = query.where(where)
        result = connection.execute(query.order_by(table.c.position, table.c.id))
        records: list[object] = []
        try:
            for rows in result.partitions(CHUNK):
                for row in rows:
                    try:
                        record = decode(row)
                    except Unsure:
                        record = _record_from_row(name, row._mapping)
                    records.append(record)
                    if by_id is not None:
                        by_id[row[0]] = _Stored(record, row[width], row[width + 1])
        except (ValueError, TypeError, ArithmeticError) as exc:  # the driver's conversion
            raise unreadable_row(connection, name, exc) from exc
        return records

    @staticmethod
    def _header(connection: sa.Connection) -> dict[str, Name | Publisher]:
        header: dict[str, Name | Publisher] = {}
        for key, value in connection.execute(sa.select(meta.c.key, meta.c.value)):
            if key in _META_KEYS and value is not None:
                header[key] = _meta_object(key, value)
        return header

    def data_version(self) -> int:
        """A number raised by every write to the workspace; 0 when it was never written.

        Every write transaction (records, the dataset's name, users, a schema
        upgrade) raises it in the same commit, whichever process makes it, so a
        reader that keeps what it derived from the data can tell with one
        primary-key read whether that is still current. It only grows; a
        backup restored over the workspace may repeat an old number, so
        restart long-running readers (``jarjesto serve``) after a restore.
        """
        # Asked on every web request: one statement, not Alembic's schema check,
        # which runs only when the revision is not the expected one.
        query = sa.select(
            sa.select(sa.column("version_num"))
            .select_from(sa.table("alembic_version"))
            .scalar_subquery(),
            sa.select(meta.c.value).where(meta.c.key == DATA_VERSION_KEY).scalar_subquery(),
        )
        try:
            with self._transaction(write=False, check_schema=False) as connection:
                revision, value = connection.execute(query).one()
        except WorkspaceError:
            revision = None  # no such table: say why as every other reader does, below
        if revision != head_revision():
            with self._transaction(write=False) as connection:  # says what is wrong, if anything
                value = connection.scalar(
                    sa.select(meta.c.value).where(meta.c.key == DATA_VERSION_KEY)
                )
        return 0 if value is None else int(value)

    def dataset(self) -> Dataset:
        """The whole dataset, records in their stored order, from one consistent snapshot."""
        with self._transaction(write=False) as connection:
            return self._read(connection, versions=False).dataset

    def get(self, collection: str, record_id: str) -> VersionedRecord:
        """One record with its version, for an edit that will be checked against it."""
        self._collection_class(collection)
        table = COLLECTION_TABLES[collection]
        with self._transaction(write=False) as connection:
            row = connection.execute(sa.select(table).where(table.c.id == record_id)).mappings()
            found = row.first()
        if found is None:
            raise self._missing(collection, record_id)
        return VersionedRecord(_record_from_row(collection, found), found["version"])

    def version_of(self, collection: str, record_id: str) -> int:
        self._collection_class(collection)
        with self._transaction(write=False) as connection:
            version = self._current_version(connection, collection, record_id)
        if version is None:
            raise self._missing(collection, record_id)
        return version

    def log(
        self,
        record_id: str | None = None,
        since: dt.date | dt.datetime | None = None,
        *,
        collection: str | None = None,
    ) -> list[AuditEntry]:
        """Audit entries, oldest first; ``since`` a date means from its midnight, UTC."""
        query = sa.select(audit_log).order_by(audit_log.c.id)
        if record_id is not None:
            query = query.where(audit_log.c.record_id == record_id)
        if collection is not None:
            query = query.where(audit_log.c.collection == collection)
        if since is not None:
            if not isinstance(since, dt.datetime):
                since = dt.datetime(since.year, since.month, since.day, tzinfo=dt.UTC)
            query = query.where(audit_log.c.at >= since)
        with self._transaction(write=False) as connection:
            rows = connection.execute(query).mappings().all()
        return [
            AuditEntry(
                id=row["id"],
                at=row["at"],
                actor=row["actor"],
                action=row["action"],
                collection=row["collection"],
                record_id=row["record_id"],
                before=row["before"],
                after=row["after"],
            )
            for row in rows
        ]

    def last_changed(self) -> dict[tuple[str, str], dt.datetime]:
        """When each record was last changed, by (collection, id), from the audit log.

        Open data's ``dateModified``/``last_modified``: one grouped query, so a
        national export asks once. Records never audited are absent.
        """
        query = sa.select(
            audit_log.c.collection, audit_log.c.record_id, sa.func.max(audit_log.c.at)
        ).group_by(audit_log.c.collection, audit_log.c.record_id)
        with self._transaction(write=False) as connection:
            return {
                (collection, record_id): at
                for collection, record_id, at in connection.execute(query)
                if collection is not None and record_id is not None and at is not None
            }

    def _collection_class(self, collection: str) -> type:
        if collection not in COLLECTIONS:
            raise WorkspaceError(
                N_("unknown collection %(found)s: a dataset has %(expected)s"),
                {"found": repr(collection), "expected": ", ".join(COLLECTIONS)},
            )
        return COLLECTIONS[collection]

    def _missing(self, collection: str, record_id: str) -> RecordNotFoundError:
        return RecordNotFoundError(collection, record_id)

    def _current_version(
        self, connection: sa.Connection, collection: str, record_id: str
    ) -> int | None:
        table = COLLECTION_TABLES[collection]
        version: int | None = connection.scalar(
            sa.select(table.c.version).where(table.c.id == record_id)
        )
        return version
