"""A workspace: a dataset kept in SQLite or PostgreSQL, changed record by record, audited.

The core's model and rules never see the database: a workspace reads back a
:class:`~jarjesto_core.model.Dataset` and takes attrs records. Every change
is one transaction that builds the resulting dataset, runs the same
:func:`~jarjesto_core.validation.validate` as a file load, and writes rows and
audit entries only when it passes, so invalid data never reaches the tables.

Writers are serialised (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL
transaction-level advisory lock), so validation sees the state it commits
on; each record also carries a ``version``, and an update or delete based
on a stale version is refused with :class:`StaleVersionError` instead of
silently overwriting someone else's change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, NamedTuple

import attrs
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from attrs import frozen

from jarjesto_core.errors import DatasetError, Problem, StaleVersionError, WorkspaceError
from jarjesto_core.i18n import N_
from jarjesto_core.model import COLLECTIONS, Dataset, Domain, Name
from jarjesto_core.perf import gc_paused
from jarjesto_core.reference import Reference, bundled_reference
from jarjesto_core.serialise import structure_record, unstructure_record
from jarjesto_core.validation import validate
from jarjesto_core.workspace.rows import (
    CHUNK,
    RowEncoder,
    Unsure,
    bind,
    chunked,
    copy_sql,
    insert_sql,
    record_decoder,
    row_encoder,
)
from jarjesto_core.workspace.schema import COLLECTION_TABLES, audit_log, meta
from jarjesto_core.workspace.types import Amount

__all__ = [
    "AuditEntry",
    "LoadSummary",
    "VersionedRecord",
    "Workspace",
    "WorkspaceStatus",
    "head_revision",
    "open_workspace",
    "workspace_url",
]

#: Where Alembic finds env.py and versions/, as package data.
SCRIPT_LOCATION: Final = "jarjesto_core.workspace:migrations"
#: The key of PostgreSQL's advisory lock that serialises a workspace's writers.
_PG_LOCK_KEY: Final = 0x6A61726A
#: The pseudo-collection of the dataset's own name and description in the audit log.
DATASET_ENTRY: Final = "dataset"
_META_KEYS: Final = ("name", "description")
#: The ``meta`` row of the data version, which every write transaction raises by one.
DATA_VERSION_KEY: Final = "data_version"


def workspace_url(url_or_path: str) -> sa.URL:
    """The SQLAlchemy URL of a workspace named by a path or a URL.

    A path (or ``sqlite:///path``) is a SQLite file; ``postgresql://`` (or
    ``postgres://``) is PostgreSQL through psycopg 3.
    """
    text = url_or_path.strip()
    if not text:
        raise WorkspaceError(N_("no workspace given: pass --workspace or set JARJESTO_WORKSPACE"))
    if "://" not in text:
        return sa.URL.create("sqlite", database=os.path.abspath(text))
    try:
        url = sa.make_url(text)
    except sa.exc.ArgumentError:
        raise WorkspaceError(
            N_("%(found)s is not a workspace: give a SQLite file path or a postgresql:// URL"),
            {"found": repr(text)},
        ) from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise WorkspaceError(
                N_("a SQLite workspace needs a file: an in-memory database vanishes at exit")
            )
        return url.set(drivername="sqlite", database=os.path.abspath(url.database))
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    raise WorkspaceError(
        N_("%(found)s is not a workspace: give a SQLite file path or a postgresql:// URL"),
        {"found": repr(url.render_as_string(hide_password=True))},
    )


def open_workspace(
    url_or_path: str,
    *,
    reference: Reference | None = None,
    service_kinds: Mapping[str, Domain] | None = None,
) -> Workspace:
    """A handle on a workspace; nothing is opened until it is used."""
    return Workspace(workspace_url(url_or_path), reference=reference, service_kinds=service_kinds)


def _alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_alembic_config())


def head_revision() -> str:
    """The newest schema revision this jarjesto knows."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def _known_revision(revision: str) -> bool:
    return any(script.revision == revision for script in _scripts().walk_revisions())


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
class WorkspaceStatus:
    location: str
    backend: str
    #: None when the database holds no jarjesto schema yet.
    revision: str | None
    head: str
    counts: Mapping[str, int]
    audit_entries: int

    @property
    def initialised(self) -> bool:
        return self.revision is not None

    @property
    def up_to_date(self) -> bool:
        return self.revision == self.head


@frozen
class LoadSummary:
    added: int
    changed: int
    removed: int
    unchanged: int


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
    try:
        return structure_record(data, cls)
    except Exception as exc:  # a row written by hand, or by an older, laxer jarjesto
        raise DatasetError(
            [
                Problem(
                    N_("a stored record cannot be read: %(found)s"),
                    {"found": str(exc)},
                    collection=collection,
                    record_id=str(row["id"]),
                )
            ]
        ) from exc


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


class _BulkWriter:
    """The rows and audit entries of one bulk change, sent in chunks as they are made.

    Nothing is kept past a chunk (the national load's audit entries alone
    were 600 MB when built first and written last); the caller's one
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


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (the sqlite3 module
    # would otherwise start transactions late, after the first SELECT).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_on_begin(connection: sa.Connection) -> None:
    # A writer takes the write lock at BEGIN, so what it validates is what it commits on.
    write = connection.get_execution_options().get("jarjesto_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Workspace:
    """A dataset in a database; see the module docstring for the guarantees."""

    def __init__(
        self,
        url: sa.URL,
        *,
        reference: Reference | None = None,
        service_kinds: Mapping[str, Domain] | None = None,
    ) -> None:
        self.url = url
        self.backend = "sqlite" if url.get_backend_name() == "sqlite" else "postgresql"
        self._reference = reference
        self._service_kinds = service_kinds
        self._engine: sa.Engine | None = None

    # -- the connection -------------------------------------------------------------

    @property
    def location(self) -> str:
        """The workspace as a person names it: the file path, or the URL without password."""
        if self.backend == "sqlite":
            return str(self.url.database)
        return self.url.render_as_string(hide_password=True).replace("+psycopg", "", 1)

    @property
    def engine(self) -> sa.Engine:
        if self._engine is None:
            try:
                engine = sa.create_engine(self.url)
            except ModuleNotFoundError:
                raise WorkspaceError(
                    N_(
                        "PostgreSQL workspaces need the psycopg driver: "
                        "pip install 'jarjesto[postgresql]'"
                    )
                ) from None
            if self.backend == "sqlite":
                sa.event.listen(engine, "connect", _sqlite_on_connect)
                sa.event.listen(engine, "begin", _sqlite_on_begin)
            self._engine = engine
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sqlite_path(self) -> Path:
        return Path(str(self.url.database))

    @contextlib.contextmanager
    def _database_errors(self) -> Iterator[None]:
        """Driver errors become a :class:`WorkspaceError` naming the workspace."""
        try:
            yield
        except sa.exc.IntegrityError as exc:
            raise WorkspaceError(
                N_("the workspace refused the change: %(detail)s"),
                {"detail": str(exc.orig).strip()},
            ) from exc
        except sa.exc.DBAPIError as exc:
            raise WorkspaceError(
                N_("cannot use the workspace %(location)s: %(detail)s"),
                {"location": self.location, "detail": str(exc.orig).strip()},
            ) from exc

    @contextlib.contextmanager
    def _transaction(
        self, *, write: bool, check_schema: bool = True, create: bool = False
    ) -> Iterator[sa.Connection]:
        """One transaction; writers are serialised, readers see one snapshot."""
        if self.backend == "sqlite":
            path = self._sqlite_path()
            if not create and not path.is_file():
                raise WorkspaceError(
                    N_("no workspace at %(location)s: create one with jarjesto db init"),
                    {"location": self.location},
                )
            if create and not path.parent.is_dir():
                raise WorkspaceError(
                    N_("cannot create a workspace at %(location)s: no such directory"),
                    {"location": self.location},
                )
        with self._database_errors(), self.engine.connect() as connection:
            if write:
                connection.execution_options(jarjesto_write=True)
            elif self.backend == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                if write and self.backend == "postgresql":
                    connection.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY}
                    )
                if check_schema:
                    self._check_revision(connection)
                yield connection
                if write:
                    self._bump_data_version(connection)

    @staticmethod
    def _bump_data_version(connection: sa.Connection) -> None:
        """Raise the data version in the writer's own transaction, so it commits with the data.

        Every write transaction raises it, whatever it changed: a counter a
        writer forgot to raise would let a reader's cache show stale data,
        while one raised too often only costs that reader a reload. Writers
        are serialised, so reading and then writing the row is safe.
        """
        key = meta.c.key == DATA_VERSION_KEY
        current = connection.scalar(sa.select(meta.c.value).where(key))
        if current is None:
            connection.execute(meta.insert().values(key=DATA_VERSION_KEY, value=1))
        else:
            connection.execute(meta.update().where(key).values(value=int(current) + 1))

    def _revision(self, connection: sa.Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    def _check_revision(self, connection: sa.Connection) -> None:
        revision = self._revision(connection)
        if revision is None:
            raise WorkspaceError(
                N_("%(location)s is not a jarjesto workspace yet: run jarjesto db init"),
                {"location": self.location},
            )
        if revision != head_revision():
            self._refuse_revision(revision)

    def _refuse_revision(self, revision: str) -> None:
        params = {"location": self.location, "current": revision, "head": head_revision()}
        if _known_revision(revision):
            raise WorkspaceError(
                N_(
                    "the workspace %(location)s is at schema revision %(current)s and this "
                    "jarjesto needs %(head)s: take a backup, then run jarjesto db upgrade"
                ),
                params,
            )
        raise WorkspaceError(
            N_(
                "the workspace %(location)s is at schema revision %(current)s, which this "
                "jarjesto does not know: it was upgraded by a newer jarjesto"
            ),
            params,
        )

    # -- schema ---------------------------------------------------------------------

    def init(self, revision: str = "head") -> str:
        """Create the schema in a new, empty database; return its revision."""
        with self._transaction(write=True, check_schema=False, create=True) as connection:
            current = self._revision(connection)
            if current is not None:
                raise WorkspaceError(
                    N_(
                        "%(location)s is already a jarjesto workspace (schema revision "
                        "%(revision)s): use jarjesto db upgrade to bring it up to date"
                    ),
                    {"location": self.location, "revision": current},
                )
            tables = sa.inspect(connection).get_table_names()
            if tables:
                raise WorkspaceError(
                    N_(
                        "%(location)s already holds other tables (%(tables)s): "
                        "a workspace needs a database of its own"
                    ),
                    {"location": self.location, "tables": ", ".join(sorted(tables))},
                )
            command.upgrade(_alembic_config(connection), revision)
            created = self._revision(connection)
        assert created is not None
        return created

    def upgrade(self, revision: str = "head") -> tuple[str, str]:
        """Migrate to ``revision`` in one transaction; return (before, after)."""
        with self._transaction(write=True, check_schema=False) as connection:
            before = self._revision(connection)
            if before is None:
                raise WorkspaceError(
                    N_("%(location)s is not a jarjesto workspace yet: run jarjesto db init"),
                    {"location": self.location},
                )
            if not _known_revision(before):
                self._refuse_revision(before)
            command.upgrade(_alembic_config(connection), revision)
            after = self._revision(connection)
        assert after is not None
        return before, after

    def status(self) -> WorkspaceStatus:
        with self._transaction(write=False, check_schema=False) as connection:
            revision = self._revision(connection)
            counts: dict[str, int] = {}
            entries = 0
            if revision is not None:
                for name, table in COLLECTION_TABLES.items():
                    counts[name] = self._count(connection, table)
                entries = self._count(connection, audit_log)
        return WorkspaceStatus(
            location=self.location,
            backend=self.backend,
            revision=revision,
            head=head_revision(),
            counts=counts,
            audit_entries=entries,
        )

    @staticmethod
    def _count(connection: sa.Connection, table: sa.Table) -> int:
        return connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0

    def backup(self, path: str | os.PathLike[str]) -> Path:
        """Copy a SQLite workspace with SQLite's online backup API, while others may write.

        The copy is made beside ``path`` and renamed into place, so ``path``
        holds a whole backup or nothing. PostgreSQL has pg_dump for this.
        """
        if self.backend != "sqlite":
            raise WorkspaceError(
                N_(
                    "a PostgreSQL workspace is backed up with PostgreSQL's pg_dump, for example "
                    "pg_dump --format=custom --file=%(path)s %(database)s "
                    "(see Workspaces in the README)"
                ),
                {"path": os.fspath(path), "database": self.url.database or ""},
            )
        source = self._sqlite_path()
        if not source.is_file():
            raise WorkspaceError(
                N_("no workspace at %(location)s: create one with jarjesto db init"),
                {"location": self.location},
            )
        target = Path(path).absolute()
        if target.exists():
            raise WorkspaceError(
                N_("%(path)s already exists: give the backup a new file name"),
                {"path": os.fspath(path)},
            )
        if not target.parent.is_dir():
            raise WorkspaceError(
                N_("cannot write the backup %(path)s: no such directory"),
                {"path": os.fspath(path)},
            )
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        try:
            src = sqlite3.connect(source)
            try:
                src.execute("PRAGMA busy_timeout = 10000")
                dst = sqlite3.connect(tmp)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            finally:
                src.close()
            os.replace(tmp, target)
        except sqlite3.Error as exc:
            raise WorkspaceError(
                N_("cannot use the workspace %(location)s: %(detail)s"),
                {"location": self.location, "detail": str(exc)},
            ) from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        return target

    # -- reading --------------------------------------------------------------------

    def _read(self, connection: sa.Connection, *, versions: bool = True) -> _State:
        """The dataset, and with ``versions`` each record's version and position.

        Rows come in chunks and go through :mod:`.rows`' decoders; a row they
        are unsure of is read with the dataset format's strict converter.
        """
        collections: dict[str, tuple[object, ...]] = {}
        stored: dict[str, dict[str, _Stored]] = {}
        with gc_paused():
            for name, table in COLLECTION_TABLES.items():
                decode = record_decoder(name)
                width = len(decode.fields)
                result = connection.execute(
                    sa.select(*decode.columns(table), table.c.version, table.c.position).order_by(
                        table.c.position, table.c.id
                    )
                )
                records: list[object] = []
                by_id: dict[str, _Stored] = {}
                for rows in result.partitions(CHUNK):
                    for row in rows:
                        try:
                            record = decode(row)
                        except Unsure:
                            record = _record_from_row(name, row._mapping)
                        records.append(record)
                        if versions:
                            by_id[row[0]] = _Stored(record, row[width], row[width + 1])
                stored[name] = by_id
                collections[name] = tuple(records)
        header: dict[str, Name | None] = {}
        for key, value in connection.execute(sa.select(meta.c.key, meta.c.value)):
            if key in _META_KEYS and value is not None:
                header[key] = Name(**value)
        dataset = Dataset(**header, **collections)  # type: ignore[arg-type]
        return _State(dataset, stored)

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

    # -- changing -------------------------------------------------------------------

    def _collection_class(self, collection: str) -> type:
        if collection not in COLLECTIONS:
            raise WorkspaceError(
                N_("unknown collection %(found)s: a dataset has %(expected)s"),
                {"found": repr(collection), "expected": ", ".join(COLLECTIONS)},
            )
        return COLLECTIONS[collection]

    def _check_records(self, collection: str, records: Iterable[object]) -> tuple[object, ...]:
        cls = self._collection_class(collection)
        checked = tuple(records)
        for record in checked:
            if not isinstance(record, cls):
                raise TypeError(f"{collection} holds {cls.__name__} records, not {record!r}")
        return checked

    def _missing(self, collection: str, record_id: str) -> WorkspaceError:
        return WorkspaceError(
            N_("%(collection)s has no record %(id)s"), {"collection": collection, "id": record_id}
        )

    def _validate(self, dataset: Dataset) -> None:
        problems = validate(
            dataset,
            self._reference or bundled_reference(),
            service_kinds=self._service_kinds,
        )
        if problems:
            raise DatasetError(problems)

    @staticmethod
    def _check_actor(actor: str) -> None:
        if not actor or not actor.strip():
            raise WorkspaceError(N_("a change needs an actor: who is making it"))

    def _current_version(
        self, connection: sa.Connection, collection: str, record_id: str
    ) -> int | None:
        table = COLLECTION_TABLES[collection]
        version: int | None = connection.scalar(
            sa.select(table.c.version).where(table.c.id == record_id)
        )
        return version

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
        with self._transaction(write=True) as connection:
            state = self._read(connection)
            dataset = state.dataset
            for collection, records in new.items():
                dataset = _with(dataset, collection, dataset.collection(collection) + records)
            self._validate(dataset)
            writer = _BulkWriter(connection, _now(), actor)
            # In the dataset's collection order, so organisations precede their services.
            for collection in (c for c in COLLECTIONS if c in new):
                first = state.next_position(collection)
                for offset, record in enumerate(new[collection]):
                    writer.insert(collection, record, first + offset, "insert")
                writer.flush()

    def update(self, collection: str, record: object, expected_version: int, actor: str) -> int:
        """Replace the record with ``record``'s id; return its new version.

        Refused with :class:`StaleVersionError` unless the stored record is
        still at ``expected_version`` (the version the editor read).
        """
        self._check_actor(actor)
        (record,) = self._check_records(collection, [record])
        record_id: str = record.id  # type: ignore[attr-defined]
        table = COLLECTION_TABLES[collection]
        with self._transaction(write=True) as connection:
            current = self._current_version(connection, collection, record_id)
            if current != expected_version:
                raise StaleVersionError(collection, record_id, expected_version, current)
            state = self._read(connection)
            old = state.stored[collection][record_id].record
            if old == record:
                return expected_version
            dataset = _with(
                state.dataset,
                collection,
                tuple(record if r is old else r for r in state.dataset.collection(collection)),
            )
            self._validate(dataset)
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
        return expected_version + 1

    def delete(self, collection: str, record_id: str, expected_version: int, actor: str) -> None:
        """Delete a record, refused when stale or when the rest would no longer validate."""
        self._check_actor(actor)
        self._collection_class(collection)
        table = COLLECTION_TABLES[collection]
        with self._transaction(write=True) as connection:
            current = self._current_version(connection, collection, record_id)
            if current != expected_version:
                raise StaleVersionError(collection, record_id, expected_version, current)
            state = self._read(connection)
            old = state.stored[collection][record_id].record
            dataset = _with(
                state.dataset,
                collection,
                tuple(r for r in state.dataset.collection(collection) if r is not old),
            )
            self._validate(dataset)
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

    def load(self, dataset: Dataset, actor: str) -> LoadSummary:
        """Make the workspace hold exactly ``dataset``, in one transaction.

        Only what differs is written: unchanged records keep their version,
        so a reload of the same file does not invalidate anyone's edit; each
        record added, changed or removed gets a ``load`` audit entry.
        """
        self._check_actor(actor)
        self._validate(dataset)
        added = changed = removed = unchanged = 0
        with gc_paused(), self._transaction(write=True) as connection:
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
            before: Name | None = getattr(old, key)
            after: Name | None = getattr(new, key)
            if before == after:
                continue
            connection.execute(meta.delete().where(meta.c.key == key))
            if after is not None:
                connection.execute(meta.insert().values(key=key, value=after.as_dict()))
            entries.append(
                (
                    "load",
                    DATASET_ENTRY,
                    key,
                    None if before is None else before.as_dict(),
                    None if after is None else after.as_dict(),
                )
            )
        return entries
