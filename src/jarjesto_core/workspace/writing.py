"""Changing a workspace: every change one transaction that validates before it writes.

Each record carries a ``version``; an update or delete based on a stale
version is refused with :class:`~jarjesto_core.errors.StaleVersionError`
instead of silently overwriting someone else's change.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, Final

import attrs
import sqlalchemy as sa
from attrs import frozen

from jarjesto_core.errors import DatasetError, StaleVersionError, WorkspaceError
from jarjesto_core.i18n import N_
from jarjesto_core.model import COLLECTIONS, Dataset, Name, Publisher
from jarjesto_core.reference import bundled_reference
from jarjesto_core.text import text_problem
from jarjesto_core.validation import affected, validate
from jarjesto_core.workspace.bulk import _BulkWriter
from jarjesto_core.workspace.connection import DATA_VERSION_KEY
from jarjesto_core.workspace.reading import _META_KEYS, Reads, _meta_value
from jarjesto_core.workspace.records import _Auditor, _now, _plain, _row_from_record, _with
from jarjesto_core.workspace.schema import COLLECTION_TABLES, audit_log, meta

__all__ = ["Change", "LoadSummary", "Writes"]

#: The pseudo-collection of the dataset's own name and description in the audit log.
DATASET_ENTRY: Final = "dataset"


@frozen
class LoadSummary:
    added: int
    changed: int
    removed: int
    unchanged: int


@frozen
class Change:
    """What one committed write did to the records, each as ``(collection, record)``:
    those it removed and those it added (an update removes the old and adds the new).

    Given to :attr:`Writes.on_written`, so that a reader keeping values derived
    from the dataset before can update them instead of deriving them again.
    """

    removed: tuple[tuple[str, object], ...] = ()
    added: tuple[tuple[str, object], ...] = ()


class Writes(Reads):
    """The changing half of a workspace: add, update, delete, and load a whole dataset."""

    def _check_records(self, collection: str, records: Iterable[object]) -> tuple[object, ...]:
        cls = self._collection_class(collection)
        checked = tuple(records)
        for record in checked:
            if not isinstance(record, cls):
                raise TypeError(f"{collection} holds {cls.__name__} records, not {record!r}")
        return checked

    #: The dataset the caller holds, at the data version it holds it (the web server's
    #: snapshot): a change made while the workspace is still at that version starts from
    #: it instead of reading every record again inside its transaction.
    basis: tuple[int, Dataset] | None = None
    #: Or asked for it inside the transaction, when the writers' lock is held: a
    #: process's latest snapshot, which another of its writers may just have made.
    basis_source: Callable[[], tuple[int, Dataset] | None] | None = None
    #: After a change: the data version it committed and the dataset it made, so that the
    #: caller can keep that instead of reading it back (also given to ``on_written``,
    #: at once after the commit, before the next writer is likely to ask).
    written: tuple[int, Dataset] | None = None
    on_written: Callable[[int, Dataset, Change], None] | None = None

    def _committed(self, version: int, dataset: Dataset, change: Change) -> None:
        self.written = (version, dataset)
        if self.on_written is not None:
            self.on_written(version, dataset, change)

    def _validate(
        self,
        dataset: Dataset,
        touched: Mapping[str, Iterable[str]] | None = None,
        *,
        added: bool = False,
    ) -> None:
        """Refuse ``dataset`` unless valid; with ``touched``, check only what the change can
        have made invalid (:func:`~jarjesto_core.validation.affected`): the rest was valid
        when it was written, and a change of one record must not cost a check of them all."""
        only: Mapping[str, Collection[str]] | None = None
        if touched is not None and not added:
            only = affected(dataset, {name: frozenset(ids) for name, ids in touched.items()})
        elif touched is not None:
            # New ids: no stored record can name them (it would have been refused).
            only = {name: frozenset(ids) for name, ids in touched.items()}
        problems = validate(
            dataset,
            self._reference or bundled_reference(),
            service_kinds=self._service_kinds,
            only=only,
        )
        if problems:
            raise DatasetError(problems)

    def _stored_version(self, connection: sa.Connection) -> int:
        key = meta.c.key == DATA_VERSION_KEY
        value = connection.scalar(sa.select(meta.c.value).where(key))
        return 0 if value is None else int(value)

    def _current(self, connection: sa.Connection) -> tuple[int, Dataset]:
        """The data version and the dataset, inside a write transaction (writers serialised).

        The caller's :attr:`basis` when the workspace is still at its version, else read.
        """
        version = self._stored_version(connection)
        for basis in (self.basis, self.basis_source() if self.basis_source else None):
            if basis is not None and basis[0] == version:
                return version, basis[1]
        return version, self._read(connection, versions=False).dataset

    def _next_position(self, connection: sa.Connection, collection: str) -> int:
        table = COLLECTION_TABLES[collection]
        last = connection.scalar(sa.select(sa.func.max(table.c.position)))
        return 0 if last is None else int(last) + 1

    @staticmethod
    def _check_actor(actor: str) -> None:
        if not actor or not actor.strip():
            raise WorkspaceError(N_("a change needs an actor: who is making it"))
        problem = text_problem(actor, identifier=True)
        if problem is not None:  # the audit log must tell one actor from another
            raise WorkspaceError(*problem)

    def _audit(
        self,
        connection: sa.Connection,
        entries: list[dict[str, Any]],
    ) -> None:
        if entries:
            connection.execute(audit_log.insert(), entries)

    def add(self, collection: str, records: Iterable[object], actor: str) -> None:
        """Add records, all or none: the dataset with them must validate."""
        self.add_all({collection: records}, actor)

    def add_all(self, batches: Mapping[str, Iterable[object]], actor: str) -> None:
        """Add records to several collections in one transaction, all or none.

        An import that brings organisations and their services needs both or
        neither: services alone would name organisations that are not there.
        """
        self._check_actor(actor)
        checked = {name: self._check_records(name, records) for name, records in batches.items()}
        new = {name: records for name, records in checked.items() if records}
        if not new:
            return
        self.written = None
        with self._transaction(write=True) as connection:
            version, dataset = self._current(connection)
            for collection, records in new.items():
                dataset = _with(dataset, collection, dataset.collection(collection) + records)
            self._validate(
                dataset,
                {name: [r.id for r in records] for name, records in new.items()},  # type: ignore[attr-defined]
                added=True,
            )
            writer = _BulkWriter(connection, _now(), actor)
            # In the dataset's collection order, so organisations precede their services.
            for collection in (c for c in COLLECTIONS if c in new):
                first = self._next_position(connection, collection)
                for offset, record in enumerate(new[collection]):
                    writer.insert(collection, record, first + offset, "insert")
                writer.flush()
        added = tuple((name, r) for name in COLLECTIONS if name in new for r in new[name])
        self._committed(version + 1, dataset, Change(added=added))

    def update(self, collection: str, record: object, expected_version: int, actor: str) -> int:
        """Replace the record with ``record``'s id; return its new version.

        Refused with :class:`StaleVersionError` unless the stored record is
        still at ``expected_version`` (the version the editor read).
        """
        self._check_actor(actor)
        (record,) = self._check_records(collection, [record])
        record_id: str = record.id  # type: ignore[attr-defined]
        table = COLLECTION_TABLES[collection]
        self.written = None
        with self._transaction(write=True) as connection:
            current = self._current_version(connection, collection, record_id)
            if current != expected_version:
                raise StaleVersionError(collection, record_id, expected_version, current)
            version, before = self._current(connection)
            old = next(r for r in before.collection(collection) if r.id == record_id)  # type: ignore[attr-defined]
            if old == record:
                return expected_version
            dataset = _with(
                before,
                collection,
                tuple(record if r is old else r for r in before.collection(collection)),
            )
            self._validate(dataset, {collection: [record_id]})
            now = _now()
            audit = _Auditor(now, actor)
            row = _row_from_record(collection, record)
            del row["id"]
            result = connection.execute(
                table.update()
                .where(table.c.id == record_id, table.c.version == expected_version)
                .values(**row, version=expected_version + 1, updated_at=now)
            )
            if result.rowcount != 1:  # only without the writers' lock; kept as the last guard
                raise StaleVersionError(
                    collection,
                    record_id,
                    expected_version,
                    self._current_version(connection, collection, record_id),
                )
            self._audit(
                connection,
                [
                    audit(
                        "update",
                        collection,
                        record_id,
                        _plain(old),
                        _plain(record),
                    )
                ],
            )
        self._committed(version + 1, dataset, Change(((collection, old),), ((collection, record),)))
        return expected_version + 1

    def delete(self, collection: str, record_id: str, expected_version: int, actor: str) -> None:
        """Delete a record, refused when stale or when the rest would no longer validate."""
        self._check_actor(actor)
        self._collection_class(collection)
        table = COLLECTION_TABLES[collection]
        self.written = None
        with self._transaction(write=True) as connection:
            current = self._current_version(connection, collection, record_id)
            if current != expected_version:
                raise StaleVersionError(collection, record_id, expected_version, current)
            version, before = self._current(connection)
            old = next(r for r in before.collection(collection) if r.id == record_id)  # type: ignore[attr-defined]
            dataset = _with(
                before,
                collection,
                tuple(r for r in before.collection(collection) if r is not old),
            )
            self._validate(dataset, {collection: [record_id]})
            result = connection.execute(
                table.delete().where(table.c.id == record_id, table.c.version == expected_version)
            )
            if result.rowcount != 1:
                raise StaleVersionError(
                    collection,
                    record_id,
                    expected_version,
                    self._current_version(connection, collection, record_id),
                )
            audit = _Auditor(_now(), actor)
            self._audit(
                connection,
                [
                    audit(
                        "delete",
                        collection,
                        record_id,
                        _plain(old),
                        None,
                    )
                ],
            )
        self._committed(version + 1, dataset, Change(removed=((collection, old),)))

    def load(self, dataset: Dataset, actor: str, *, validated: bool = False) -> LoadSummary:
        """Make the workspace hold exactly ``dataset``, in one transaction.

        Only what differs is written: unchanged records keep their version,
        so a reload of the same file does not invalidate anyone's edit; each
        record added, changed or removed gets a ``load`` audit entry.

        ``validated``: the caller has just validated ``dataset`` against this
        workspace's reference data and service kinds (``read_dataset`` with the
        same ones), so it is not validated a second time (a quarter of a
        national load).
        """
        self._check_actor(actor)
        if not validated:
            self._validate(dataset)
        added = changed = removed = unchanged = 0
        with self._transaction(write=True) as connection:
            state = self._read(connection)
            writer = _BulkWriter(connection, _now(), actor)
            deletes: list[tuple[str, list[str]]] = []
            for collection in COLLECTION_TABLES:
                old = state.stored[collection]
                seen: set[str] = set()
                for position, record in enumerate(dataset.collection(collection)):
                    record_id: str = record.id  # type: ignore[attr-defined]
                    seen.add(record_id)
                    stored = old.get(record_id)
                    if stored is None:
                        writer.insert(collection, record, position, "load")
                        added += 1
                    elif stored.record != record:
                        writer.update(collection, stored, record, position)
                        changed += 1
                    else:
                        if stored.position != position:
                            writer.move(collection, record_id, position)
                        unchanged += 1
                gone = [rid for rid in old if rid not in seen]
                for rid in gone:
                    writer.audit("load", collection, rid, _plain(old[rid].record), None)
                removed += len(gone)
                # Parents are written before children and deleted after them.
                writer.flush()
                if gone:
                    deletes.append((collection, gone))
            for collection, ids in reversed(deletes):
                writer.delete(collection, ids)
            for entry in self._load_meta(connection, state.dataset, dataset):
                writer.audit(*entry)
            writer.flush()
        return LoadSummary(added=added, changed=changed, removed=removed, unchanged=unchanged)

    def _load_meta(
        self,
        connection: sa.Connection,
        old: Dataset,
        new: Dataset,
    ) -> list[tuple[str, str, str, Any, Any]]:
        entries = []
        for key in _META_KEYS:
            before: Name | Publisher | None = getattr(old, key)
            after: Name | Publisher | None = getattr(new, key)
            if before == after:
                continue
            entries.append(("load", *self._write_meta(connection, key, before, after)))
        return entries

    @staticmethod
    def _write_meta(
        connection: sa.Connection, key: str, before: Any, after: Any
    ) -> tuple[str, str, Any, Any]:
        """Replace one ``meta`` row; the audit entry's collection, id, before and after."""
        connection.execute(meta.delete().where(meta.c.key == key))
        if after is not None:
            connection.execute(meta.insert().values(key=key, value=_meta_value(after)))
        return (
            DATASET_ENTRY,
            key,
            None if before is None else _meta_value(before),
            None if after is None else _meta_value(after),
        )

    def set_publisher(self, publisher: Publisher | None, actor: str) -> None:
        """Set (or with None, remove) the dataset's publisher settings, audited."""
        self._check_actor(actor)
        with self._transaction(write=True) as connection:
            old = self._read(connection, versions=False).dataset
            self._validate(attrs.evolve(old, publisher=publisher))
            if old.publisher == publisher:
                return
            entry = self._write_meta(connection, "publisher", old.publisher, publisher)
            self._audit(
                connection,
                [
                    {
                        "at": _now(),
                        "actor": actor,
                        "action": "update",
                        "collection": entry[0],
                        "record_id": entry[1],
                        "before": entry[2],
                        "after": entry[3],
                    }
                ],
            )
