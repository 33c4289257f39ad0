"""The bulk writer: rows and audit entries of a load, sent in chunks as they are made."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from jarjesto_core.workspace.records import _plain, _Stored
from jarjesto_core.workspace.rows import (
    CHUNK,
    RowEncoder,
    bind,
    chunked,
    copy_sql,
    insert_sql,
    row_encoder,
)
from jarjesto_core.workspace.schema import audit_log


class _BulkWriter:
    """The rows and audit entries of one bulk change, sent in chunks as they are made.

    Nothing is kept past a chunk (the national load's audit entries alone
    took hundreds of megabytes when built first and written last); the caller's one
    transaction still makes the whole change all or nothing. Rows of one
    collection are flushed before the next collection's, so parents are
    written before their children, and audit entries keep the order they
    are made in.
    """

    def __init__(self, connection: sa.Connection, now: dt.datetime, actor: str) -> None:
        self._connection = connection
        dialect = connection.dialect
        self._copy = dialect.name == "postgresql"
        self._now = bind(audit_log.c.at, dialect, now)
        self._actor = actor
        self._json = audit_log.c.after.type.dialect_impl(dialect).bind_processor(dialect)
        self._audit_sql = insert_sql(
            audit_log,
            ("at", "actor", "action", "collection", "record_id", "before", "after"),
            dialect,
        )
        self._encoders: dict[str, RowEncoder] = {}
        #: Rows waiting to be sent, by statement.
        self._pending: dict[str, list[tuple[Any, ...]]] = {}
        self._entries: list[tuple[Any, ...]] = []

    def _encoder(self, collection: str) -> RowEncoder:
        if collection not in self._encoders:
            self._encoders[collection] = row_encoder(collection, self._connection.dialect)
        return self._encoders[collection]

    def _add(self, sql: str, row: tuple[Any, ...]) -> None:
        rows = self._pending.setdefault(sql, [])
        rows.append(row)
        if len(rows) >= CHUNK:
            self._send(sql, rows)
            rows.clear()

    def _send(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if self._copy and sql.startswith("INSERT "):
            self._send_copy(copy_sql(sql), rows)
        else:  # SQLite: executemany of one prepared statement is as fast as it gets
            self._connection.exec_driver_sql(sql, rows)

    def _send_copy(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Rows through PostgreSQL's COPY: psycopg's executemany is a round trip per row.

        In the connection's transaction, and failing as a statement would.
        """
        driver = self._connection.connection.driver_connection
        assert driver is not None
        error = self._connection.dialect.loaded_dbapi.Error
        try:
            with driver.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        except error as exc:
            raise sa.exc.DBAPIError.instance(sql, None, exc, error) from exc

    def _json_value(self, value: Any) -> Any:
        if value is None or self._json is None:
            return value
        return self._json(value)

    def audit(self, action: str, collection: str, record_id: str, before: Any, after: Any) -> None:
        self._entries.append(
            (
                self._now,
                self._actor,
                action,
                collection,
                record_id,
                self._json_value(before),
                self._json_value(after),
            )
        )
        if len(self._entries) >= CHUNK:
            self._send_audit()

    def _send_audit(self) -> None:
        if self._entries:
            self._send(self._audit_sql, self._entries)
            self._entries = []

    def insert(self, collection: str, record: object, position: int, action: str) -> None:
        encoder = self._encoder(collection)
        plain = _plain(record)
        values = encoder.values(plain)
        self._add(encoder.insert_sql, (*values, position, 1, self._now, self._now))
        self.audit(action, collection, values[0], None, plain)

    def update(self, collection: str, stored: _Stored, record: object, position: int) -> None:
        encoder = self._encoder(collection)
        plain = _plain(record)
        record_id, *values = encoder.values(plain)
        self._add(encoder.update_sql, (*values, position, stored.version + 1, self._now, record_id))
        self.audit("load", collection, record_id, _plain(stored.record), plain)

    def move(self, collection: str, record_id: str, position: int) -> None:
        self._add(self._encoder(collection).move_sql, (position, record_id))

    def delete(self, collection: str, record_ids: list[str]) -> None:
        sql = self._encoder(collection).delete_sql
        for ids in chunked(record_ids):
            self._connection.exec_driver_sql(sql, [(rid,) for rid in ids])

    def flush(self) -> None:
        """Send every waiting row, then the audit entries made so far."""
        for sql, rows in self._pending.items():
            if rows:
                self._send(sql, rows)
        self._pending = {}
        self._send_audit()
