"""Connecting to a workspace: its URL, the engine, and one transaction at a time.

Writers are serialised (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL
transaction-level advisory lock), so validation sees the state it commits
on. Every transaction but schema administration first checks that the
schema is at this jarjesto's revision.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final, Self

import sqlalchemy as sa

from jarjesto_core.errors import WorkspaceError
from jarjesto_core.i18n import N_
from jarjesto_core.model import Domain
from jarjesto_core.perf import stored_json
from jarjesto_core.reference import Reference
from jarjesto_core.workspace.revisions import head_revision, known_revision
from jarjesto_core.workspace.schema import meta

__all__ = ["DATA_VERSION_KEY", "Connection", "masked_url", "workspace_url"]

#: The key of PostgreSQL's advisory lock that serialises a workspace's writers.
_PG_LOCK_KEY: Final = 0x6A61726A
#: The ``meta`` row of the data version, which every write transaction raises by one.
DATA_VERSION_KEY: Final = "data_version"


_PASSWORD: Final = re.compile(r"(://[^/@:]*:)[^/@]*@")


def masked_url(text: str) -> str:
    """A workspace URL as it may be shown or logged: any password replaced by ``***``."""
    return _PASSWORD.sub(r"\1***@", text)


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
            {"found": repr(masked_url(text))},
        ) from None
    except ValueError:  # a port that is not a number
        raise WorkspaceError(
            N_("%(found)s is not a workspace URL: its port is not a number"),
            {"found": repr(masked_url(text))},
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


class Connection:
    """The connection half of a :class:`~jarjesto_core.workspace.Workspace`."""

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
                engine = sa.create_engine(self.url, json_serializer=stored_json)
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

    def __enter__(self) -> Self:
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
        self, *, write: bool, check_schema: bool = True, create: bool = False, data: bool = True
    ) -> Iterator[sa.Connection]:
        """One transaction; writers are serialised, readers see one snapshot.

        ``data=False``: a write that does not change the dataset (a login attempt, a
        session), so it leaves the data version, and every reader's cache, alone.
        """
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
                if write and data:
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
        """The workspace's schema revision, read as Alembic keeps it; None before ``db init``."""
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        found: str | None = connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
        return found

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
        if known_revision(revision):
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
