"""The schema revisions this jarjesto knows, from Alembic's scripts shipped as package data."""

from __future__ import annotations

import functools
from typing import Final

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

__all__ = ["SCRIPT_LOCATION", "alembic_config", "head_revision", "known_revision"]

#: Where Alembic finds env.py and versions/, as package data.
SCRIPT_LOCATION: Final = "jarjesto_core.workspace:migrations"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this jarjesto knows."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def known_revision(revision: str) -> bool:
    return any(script.revision == revision for script in _scripts().walk_revisions())
