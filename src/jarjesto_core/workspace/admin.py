"""Schema administration: create a workspace's schema, migrate it, and say where it stands."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from attrs import frozen

from jarjesto_core.errors import WorkspaceError
from jarjesto_core.i18n import N_
from jarjesto_core.workspace.connection import Connection
from jarjesto_core.workspace.revisions import alembic_config, head_revision, known_revision
from jarjesto_core.workspace.schema import COLLECTION_TABLES, audit_log

__all__ = ["SchemaAdmin", "WorkspaceStatus"]


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


class SchemaAdmin(Connection):
    """``db init``, ``db upgrade`` and ``db status`` of a workspace."""

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
            _upgrade(connection, revision)
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
            if not known_revision(before):
                self._refuse_revision(before)
            _upgrade(connection, revision)
            after = self._revision(connection)
        assert after is not None
        return before, after

    def status(self) -> WorkspaceStatus:
        with self._transaction(write=False, check_schema=False) as connection:
            revision = self._revision(connection)
            counts: dict[str, int] = {}
            entries = 0
            if revision is not None:
                # An old schema lacks the newer collections' tables until it is upgraded.
                inspector = sa.inspect(connection)
                for name, table in COLLECTION_TABLES.items():
                    if inspector.has_table(table.name):
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


def _upgrade(connection: sa.Connection, revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
