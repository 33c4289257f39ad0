"""Reading a workspace: the dataset, one record with its version, the audit log."""

from __future__ import annotations

import datetime as dt
import functools
import json
import types
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs
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
from jarjesto_core.workspace.rows import CHUNK, Unsure, chunked, record_decoder
from jarjesto_core.workspace.schema import COLLECTION_TABLES, audit_log, meta

if TYPE_CHECKING:
    from jarjesto_core.dated import DatedCounts
    from jarjesto_core.reference import Reference

__all__ = ["Reads"]

#: What :meth:`Reads.funding_dataset` reads by id, and how many ids a statement names.
_FUNDING_ROWS: Final = ("services", "organisations", "agreements")
_IN_LIMIT: Final = 900

#: The fields :class:`~jarjesto_core.dated.DatedCounts` reads dates from.
_DATED: Final = frozenset({"start", "end", "date", "decided", "established", "year", "meetings"})

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

    def funding_dataset(
        self, territory: Collection[str], year: int, reference: Reference
    ) -> Dataset:
        """What the funding table of ``territory`` (municipality codes) in ``year`` rests on,
        read without the rest of the country.

        The services serving the territory (:func:`~jarjesto_core.resolver.serves`), their
        organisations and those organisations' agreements in force in the year; the
        responsibility agreements, joint authorities and funders whole. The
        resolver's rows for the territory are the same from it as from the whole
        dataset (``tests/workspace/test_funding_dataset.py`` compares them); a
        question about one area then reads that area's records, not 335,000.
        """
        wanted = frozenset(territory)
        judge = _judge(wanted, year, reference)
        services, organisations, agreements = (COLLECTION_TABLES[n] for n in _FUNDING_ROWS)
        with self._transaction(write=False) as connection:
            # Where each service works (its own catchment, else its organisation's): the
            # narrow columns of every service, then the whole rows of those serving here.
            places = self._places(connection)
            serving: list[str] = []
            owners: set[str] = set()
            for sid, owner, own in self._service_places(connection):
                if judge(own or places.get(owner, ())):
                    serving.append(sid)
                    owners.add(owner)
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            found: dict[str, dict[str, _Stored]] = {n: {} for n in _FUNDING_ROWS}
            for ids in chunked(sorted(serving), _IN_LIMIT):
                self._records(connection, "services", found["services"], services.c.id.in_(ids))
            for ids in chunked(sorted(owners), _IN_LIMIT):
                self._records(
                    connection, "organisations", found["organisations"],
                    organisations.c.id.in_(ids),
                )  # fmt: skip
                self._records(
                    connection,
                    "agreements",
                    found["agreements"],
                    agreements.c.organisation.in_(ids)
                    & (agreements.c.start <= last)
                    & (agreements.c.end.is_(None) | (agreements.c.end >= first)),
                )
            whole: dict[str, Any] = {
                name: tuple(self._records(connection, name))
                for name in ("responsibilities", "joint_authorities", "funders")
            }
            header = self._header(connection)
        return Dataset(**header, **_in_stored_order(found), **whole)  # type: ignore[arg-type]

    @staticmethod
    def _places(connection: sa.Connection) -> dict[str, tuple[str, ...]]:
        """Where every organisation works, by id: one narrow column, its few hundred
        distinct JSON texts decoded once each."""
        table = COLLECTION_TABLES["organisations"]
        query = sa.select(table.c.id, _as_text(table.c.municipalities))
        return {oid: _codes(text) for oid, text in connection.execute(query).all()}

    @staticmethod
    def _service_places(connection: sa.Connection) -> Iterator[tuple[str, str, tuple[str, ...]]]:
        """Every service's id, organisation and own catchment (empty: its organisation's)."""
        table = COLLECTION_TABLES["services"]
        query = sa.select(table.c.id, table.c.organisation, _as_text(table.c.municipalities))
        for sid, owner, text in connection.execute(query).all():
            yield sid, owner, _codes(text)

    def subject_dataset(
        self, territory: Collection[str], year: int, reference: Reference
    ) -> Dataset:
        """What an assessment of one subject (a municipality or an area, ``territory`` its
        municipality codes) in ``year`` by jarjesto's own rules reads, without the rest of
        the country's organisations, services and agreements.

        Every record of the smaller collections; the organisations working in the
        territory, running a service there or paid by one of its bodies, with all their
        services and their agreements in force in the year or the one before (all the
        core rules compare). Regional rules may read anything, so
        ``jarjesto assess`` reads the whole dataset when a plugin adds rules. Tests
        hold the assessment from it equal to the one from the whole dataset
        (``tests/workspace/test_funding_dataset.py``).
        """
        wanted = frozenset(territory)
        judge = _judge(wanted, year, reference)
        services, organisations, agreements = (COLLECTION_TABLES[n] for n in _FUNDING_ROWS)
        codes = {m.code for y in reference.years for m in reference.municipalities_in(y)}
        bodies = [f"municipality:{c}" for c in sorted(codes) if judge((c,))]
        bodies += sorted({f"area:{a}" for c in wanted if (a := reference.area_of(c, year))})
        first, last = dt.date(year - 1, 1, 1), dt.date(year, 12, 31)
        recent = (agreements.c.start <= last) & (
            agreements.c.end.is_(None) | (agreements.c.end >= first)
        )
        found: dict[str, dict[str, _Stored]] = {n: {} for n in _FUNDING_ROWS}
        with self._transaction(write=False) as connection:
            whole: dict[str, Any] = {
                name: tuple(self._records(connection, name))
                for name in COLLECTIONS
                if name not in _FUNDING_ROWS
            }
            places = self._places(connection)
            chosen = {oid for oid, codes_ in places.items() if judge(codes_)}
            # A service without a catchment of its own works where its organisation does.
            chosen.update(owner for _sid, owner, own in self._service_places(connection)
                          if judge(own))  # fmt: skip
            for ids in chunked(bodies, _IN_LIMIT):
                self._records(
                    connection, "agreements", found["agreements"],
                    agreements.c.party.in_(ids) & recent,
                )  # fmt: skip
            chosen.update(a.record.organisation for a in found["agreements"].values())
            for ids in chunked(sorted(chosen), _IN_LIMIT):
                self._records(
                    connection, "agreements", found["agreements"],
                    agreements.c.organisation.in_(ids) & recent,
                )  # fmt: skip
                self._records(
                    connection, "services", found["services"], services.c.organisation.in_(ids)
                )
            for ids in chunked(sorted(chosen), _IN_LIMIT):
                self._records(
                    connection, "organisations", found["organisations"],
                    organisations.c.id.in_(ids),
                )  # fmt: skip
            header = self._header(connection)
        return Dataset(**header, **_in_stored_order(found), **whole)  # type: ignore[arg-type]

    def dated_counts(self) -> DatedCounts:
        """The dataset's :class:`~jarjesto_core.dated.DatedCounts` (its years, the year it
        opens on), without reading 270,000 agreements: the database counts them by their
        years; the few records of the other dated collections are read."""
        from jarjesto_core.dated import DatedCounts

        agreements = COLLECTION_TABLES["agreements"]
        # An agreement's dates are single dates (no meetings, no year of its own).
        names = [f.name for f in attrs.fields(COLLECTIONS["agreements"]) if f.name in _DATED]
        years = [sa.extract("year", agreements.c[name]) for name in names]
        groups: list[tuple[str, object, int]] = []
        with self._transaction(write=False) as connection:
            for row in connection.execute(sa.select(*years, sa.func.count()).group_by(*years)):
                *found, n = row
                dates = dict(zip(names, found, strict=True))
                stand_in = types.SimpleNamespace(
                    **{k: None if v is None else dt.date(int(v), 1, 1) for k, v in dates.items()}
                )
                groups.append(("agreements", stand_in, int(n)))
            for name, cls in COLLECTIONS.items():
                if name != "agreements" and _DATED & {f.name for f in attrs.fields(cls)}:
                    groups += [(name, record, 1) for record in self._records(connection, name)]
        return DatedCounts.of_groups(groups)

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


def _as_text(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    """A JSON column as its text: the driver would decode every value itself."""
    return sa.cast(column, sa.Text())


@functools.lru_cache(maxsize=4096)
def _codes(text: str | None) -> tuple[str, ...]:
    """A list of municipality codes from its stored JSON text (None: no list)."""
    return () if text is None else tuple(json.loads(text))


def _judge(
    territory: frozenset[str], year: int, reference: Reference
) -> Callable[[tuple[str, ...]], bool]:
    """:func:`~jarjesto_core.resolver.serves` for ``territory``, once per distinct list."""
    from jarjesto_core.resolver import serves

    @functools.cache
    def judge(codes: tuple[str, ...]) -> bool:
        return serves(codes, territory, reference, year)

    return judge


def _in_stored_order(found: Mapping[str, Mapping[str, _Stored]]) -> dict[str, Any]:
    """Records read in chunks of ids, back in the stored order (position, then id)."""
    return {
        name: tuple(
            stored.record
            for _id, stored in sorted(by_id.items(), key=lambda kv: (kv[1].position, kv[0]))
        )
        for name, by_id in found.items()
    }
