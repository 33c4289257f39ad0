"""Backing up a SQLite workspace while others may write to it."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from jarjesto_core.errors import WorkspaceError
from jarjesto_core.i18n import N_
from jarjesto_core.workspace.connection import Connection

__all__ = ["Backup"]


class Backup(Connection):
    """``db backup`` of a workspace."""

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
