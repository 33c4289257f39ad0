"""Repairs of a workspace that holds what today's jarjesto no longer lets in.

Before text was checked where it enters (:mod:`jarjesto_core.text`), an API
write could store a lone surrogate or a control character; such a record
breaks every page, download and backup that shows it. :func:`repair_text`
finds those records and rewrites them, each as an audited update checked
against the version it read, so an editor's concurrent change is never lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import frozen

from jarjesto_core.model import COLLECTIONS
from jarjesto_core.serialise import structure_record, unstructure_record
from jarjesto_core.text import clean_text

if TYPE_CHECKING:
    from jarjesto_core.workspace.handle import Workspace

__all__ = ["Repaired", "repair_text"]


@frozen
class Repaired:
    """One record whose text was (or, in a dry run, would be) repaired."""

    collection: str
    record_id: str
    fields: tuple[str, ...]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def repair_text(workspace: Workspace, actor: str, *, dry_run: bool = False) -> list[Repaired]:
    """Replace lone surrogates with U+FFFD and drop refused control characters, record by record."""
    repaired: list[Repaired] = []
    dataset = workspace.dataset()
    for collection, cls in COLLECTIONS.items():
        for record in dataset.collection(collection):
            plain = unstructure_record(record)
            cleaned = _clean(plain)
            if cleaned == plain:
                continue
            record_id = plain["id"]
            fields = tuple(k for k in plain if plain[k] != cleaned[k])
            repaired.append(Repaired(collection, record_id, fields))
            if dry_run:
                continue
            stored = workspace.get(collection, record_id)
            if unstructure_record(stored.record) != plain:
                cleaned = _clean(unstructure_record(stored.record))  # changed meanwhile
            workspace.update(collection, structure_record(cleaned, cls), stored.version, actor)
    return repaired
