"""Import mappings kept in a workspace for next year's list (the web upload's "save as").

A mapping is a TOML text under a name, in the ``meta`` table (no schema
change), audited like the dataset's own settings. It is no part of the
dataset: a dump or an export leaves it out.
"""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa

from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import NP_
from jarjesto_core.text import text_problem
from jarjesto_core.workspace.records import _now
from jarjesto_core.workspace.schema import meta
from jarjesto_core.workspace.writing import DATASET_ENTRY, Writes

__all__ = ["IMPORT_MAP_PREFIX", "MAX_MAP_NAME", "ImportMaps", "check_import_map"]

#: The prefix of a saved import mapping's key in ``meta`` (``import_map:avustukset``).
IMPORT_MAP_PREFIX: Final = "import_map:"
#: The longest name of a saved import mapping.
MAX_MAP_NAME: Final = 80


def check_import_map(name: str, text: str) -> str:
    """The name a mapping is saved under, stripped; raises :class:`DatasetError` when the
    name is empty, too long or not plain text, or the text is no mapping (naming its key)."""
    from jarjesto_core.mapping import load_map

    label = name.strip()
    if not label or len(label) > MAX_MAP_NAME or text_problem(label, identifier=True):
        raise DatasetError(
            [
                Problem(
                    NP_(
                        "a mapping's name is 1 to %(count)d character of plain text",
                        "a mapping's name is 1 to %(count)d characters of plain text",
                    ),
                    {"count": MAX_MAP_NAME},
                    field="name",
                )
            ]
        )
    load_map(text.encode("utf-8"), file=label)
    return label


class ImportMaps(Writes):
    """Saved import mappings: list them, save one."""

    def import_maps(self) -> dict[str, str]:
        """The import mappings saved in the workspace (TOML text) by name, sorted by name.

        They are no part of the dataset: a dump or an export leaves them out.
        """
        query = sa.select(meta.c.key, meta.c.value).where(
            meta.c.key.startswith(IMPORT_MAP_PREFIX, autoescape=True)
        )
        with self._transaction(write=False) as connection:
            rows = connection.execute(query).all()
        found = {
            key.removeprefix(IMPORT_MAP_PREFIX): value["toml"]
            for key, value in rows
            if isinstance(value, dict) and isinstance(value.get("toml"), str)
        }
        return dict(sorted(found.items()))

    def save_import_map(self, name: str, text: str, actor: str) -> None:
        """Keep an import mapping (TOML) under ``name`` for next year's list, audited.

        The same name replaces the mapping. The text must be a mapping that
        :func:`jarjesto_core.mapping.load_map` reads; a name is 1 to 80
        characters of plain text. Raises :class:`DatasetError` naming the problem.
        """
        self._check_actor(actor)
        label = check_import_map(name, text)
        key = f"{IMPORT_MAP_PREFIX}{label}"
        after = {"toml": text}
        if self.import_maps().get(label) == text:
            return  # unchanged: no write, so readers keep what they derived
        with self._transaction(write=True) as connection:
            before = connection.scalar(sa.select(meta.c.value).where(meta.c.key == key))
            connection.execute(meta.delete().where(meta.c.key == key))
            connection.execute(meta.insert().values(key=key, value=after))
            self._audit(
                connection,
                [
                    {
                        "at": _now(),
                        "actor": actor,
                        "action": "insert" if before is None else "update",
                        "collection": DATASET_ENTRY,
                        "record_id": key,
                        "before": before,
                        "after": after,
                    }
                ],
            )
