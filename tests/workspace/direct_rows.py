"""Rows written straight into a workspace's tables, past ``Workspace``: no validation, no audit.

For tests about how rows and records map onto each other, where generated
data is well-formed but need not be semantically valid.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from jarjesto_core.model import Dataset
from jarjesto_core.workspace.records import _row_from_record
from jarjesto_core.workspace.schema import COLLECTION_TABLES


def clear_rows(connection: sa.Connection) -> None:
    """Every record row gone, children before parents."""
    for table in reversed(COLLECTION_TABLES.values()):
        connection.execute(table.delete())


def replace_rows(connection: sa.Connection, data: Dataset, at: dt.datetime) -> None:
    """Make the tables hold exactly ``data``, each record at version 1, through SQLAlchemy Core."""
    clear_rows(connection)
    insert_rows(connection, data, at)


def insert_rows(
    connection: sa.Connection, data: Dataset, at: dt.datetime, *, version: int = 1
) -> None:
    """Add ``data``'s records as rows, each at ``version``, through SQLAlchemy Core.

    At an older schema revision, the columns a later migration adds are left
    out when the record has no value for them (a value there fails the insert).
    """
    inspector = sa.inspect(connection)
    for name, table in COLLECTION_TABLES.items():
        if not data.collection(name):
            continue
        present = {c["name"] for c in inspector.get_columns(table.name)}
        rows = [
            {
                **{
                    k: v
                    for k, v in _row_from_record(name, record).items()
                    if k in present or v is not None
                },
                "position": position,
                "version": version,
                "created_at": at,
                "updated_at": at,
            }
            for position, record in enumerate(data.collection(name))
        ]
        # Columns no record uses are left out, so that rows also fit a table of an
        # older revision, which may not have the newest optional columns.
        unused = {key for key in (rows[0] if rows else ()) if all(r[key] is None for r in rows)}
        rows = [{k: v for k, v in r.items() if k not in unused} for r in rows]
        if rows:
            connection.execute(table.insert(), rows)
