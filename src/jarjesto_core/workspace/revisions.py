"""The schema revisions this jarjesto knows, from Alembic's scripts shipped as package data.

Every command that opens a workspace checks its revision against
:data:`HEAD_REVISION`; Alembic itself (a fifth of a second to import, and
reading every migration script) is loaded only to create or upgrade one,
or to tell an older revision from an unknown one. A test holds the
constant equal to the newest script's revision.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Final

import sqlalchemy as sa

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

__all__ = [
    "HEAD_REVISION",
    "SCRIPT_LOCATION",
    "alembic_config",
    "head_revision",
    "known_revision",
]

#: Where Alembic finds env.py and versions/, as package data.
SCRIPT_LOCATION: Final = "jarjesto_core.workspace:migrations"
#: The newest revision in versions/: raise it with each new migration.
HEAD_REVISION: Final = "0007"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this jarjesto knows."""
    return HEAD_REVISION


def known_revision(revision: str) -> bool:
    return any(script.revision == revision for script in _scripts().walk_revisions())
