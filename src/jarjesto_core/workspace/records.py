"""Records and rows: a record's columns, a row's record, and what the audit log keeps."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

import attrs
import sqlalchemy as sa
from attrs import frozen
from cattrs.errors import ClassValidationError

from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_
from jarjesto_core.model import COLLECTIONS, Dataset
from jarjesto_core.serialise import (
    FieldError,
    _leaf_problems,
    structure_record,
    unstructure_record,
)
from jarjesto_core.workspace.schema import COLLECTION_TABLES
from jarjesto_core.workspace.types import Amount

__all__ = ["AuditEntry", "VersionedRecord"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@frozen
class AuditEntry:
    """One change: who, when, which record, and its values before and after.

    ``before`` is None for an insert, ``after`` None for a delete. A
    ``workspace load`` writes one ``load`` entry per record it changed.
    """

    id: int
    at: dt.datetime
    actor: str
    action: str
    collection: str | None
    record_id: str | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None

    def changed_fields(self) -> tuple[str, ...]:
        """The fields whose value differs between before and after, in a stable order."""
        before = self.before or {}
        after = self.after or {}
        keys = list(before) + [k for k in after if k not in before]
        return tuple(k for k in keys if before.get(k) != after.get(k))


@frozen
class VersionedRecord:
    """A record with the version to pass back to :meth:`Workspace.update`."""

    record: Any
    version: int


class _Stored(NamedTuple):
    """A stored record with its version and place (a tuple: a reload makes 350,000)."""

    record: Any
    version: int
    position: int


@frozen
class _State:
    """Everything a change needs: the dataset and, per record, its version and place."""

    dataset: Dataset
    stored: Mapping[str, Mapping[str, _Stored]]

    def next_position(self, collection: str) -> int:
        return max((s.position for s in self.stored[collection].values()), default=-1) + 1


def _with(dataset: Dataset, collection: str, records: tuple[object, ...]) -> Dataset:
    """``dataset`` with one collection replaced."""
    return attrs.evolve(dataset, **{collection: records})  # type: ignore[arg-type]


def _row_from_record(collection: str, record: object) -> dict[str, Any]:
    """The columns of ``record``; an absent (default) field is NULL."""
    table = COLLECTION_TABLES[collection]
    data = unstructure_record(record)
    row: dict[str, Any] = {}
    for field in attrs.fields(COLLECTIONS[collection]):
        value = data.get(field.name)
        column_type = table.c[field.name].type
        if value is not None and isinstance(column_type, sa.Date):
            value = dt.date.fromisoformat(value)
        elif value is not None and isinstance(column_type, Amount):
            value = Decimal(value)
        row[field.name] = value
    return row


def _record_from_row(collection: str, row: Mapping[Any, Any]) -> object:
    """Structure a row with the dataset format's strict converter, as a file is."""
    cls = COLLECTIONS[collection]
    data: dict[str, Any] = {}
    for field in attrs.fields(cls):
        value = row[field.name]
        if value is None:
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        data[field.name] = value
    base: dict[str, Any] = {"collection": collection, "record_id": str(row["id"])}
    try:
        return structure_record(data, cls, stored=True)
    except (ClassValidationError, FieldError) as exc:
        # A row written by hand, or by an older, laxer jarjesto: named as a file's problems are.
        raise DatasetError(_leaf_problems(exc, base)) from exc
    except Exception as exc:
        raise DatasetError(
            [Problem(N_("a stored record cannot be read: %(found)s"), {"found": str(exc)}, **base)]
        ) from exc


def _cell_check(column: sa.Column[Any]) -> Any:
    """How a cell of ``column`` is read back (None: as text only), or False to skip it."""
    if isinstance(column.type, sa.Date):
        return dt.date.fromisoformat
    if isinstance(column.type, Amount):
        return Decimal
    if isinstance(column.type, sa.JSON):
        return json.loads
    if isinstance(column.type, sa.String):
        return None
    return False


def unreadable_row(connection: sa.Connection, collection: str, exc: Exception) -> DatasetError:
    """The row and column whose cell the driver could not convert (edited by hand: a date or
    amount that is none, JSON that does not parse, bytes that are not UTF-8).

    SQLAlchemy converts while fetching, before the row's id is known, so the
    table is read again cell by cell, as bytes on SQLite (where any cell can
    hold any bytes) and as text elsewhere, and each cell tried.
    """
    table = COLLECTION_TABLES[collection]
    checks = [(c.name, check) for c in table.c if (check := _cell_check(c)) is not False]
    raw = "BLOB" if connection.dialect.name == "sqlite" else "TEXT"
    names = ", ".join(f"CAST({name} AS {raw})" for name, _ in checks)
    for rid, *values in connection.exec_driver_sql(
        f"SELECT CAST(id AS {raw}), {names} FROM {table.name}"
    ):
        record_id = rid.decode("utf-8", "replace") if isinstance(rid, bytes) else str(rid)
        for (name, parse), value in zip(checks, values, strict=True):
            if value is None:
                continue
            shown = value
            try:
                shown = value.decode("utf-8") if isinstance(value, bytes) else value
                if parse is not None:
                    parse(shown)
            except (ValueError, ArithmeticError):
                return DatasetError(
                    [
                        Problem(
                            N_("a stored record cannot be read: %(found)s"),
                            {"found": repr(shown)[:80]},
                            collection=collection,
                            record_id=record_id,
                            field=name,
                        )
                    ]
                )
    return DatasetError(
        [
            Problem(
                N_("a stored record cannot be read: %(found)s"),
                {"found": str(exc)},
                collection=collection,
            )
        ]
    )


def _plain(record: object) -> dict[str, Any]:
    """A record as the audit log keeps it: its dataset-file form."""
    return unstructure_record(record)


@frozen
class _Auditor:
    """Audit rows of one change: the same time and actor for all of them."""

    at: dt.datetime
    actor: str

    def __call__(
        self, action: str, collection: str, record_id: str, before: Any, after: Any
    ) -> dict[str, Any]:
        return {
            "at": self.at,
            "actor": self.actor,
            "action": action,
            "collection": collection,
            "record_id": record_id,
            "before": before,
            "after": after,
        }
