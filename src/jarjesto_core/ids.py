"""Ids made from names: what a grant list lacks and the dataset needs.

A published list names organisations; the dataset wants ``kuhmon-reumayhdistys``.
An id made here is valid (``model.ID_PATTERN``), unique within the ids already
taken, and stable: the same name gives the same id in next year's import, so an
update finds the record again. Finnish and Swedish letters lose their marks
(ä→a, ö→o, å→a); the legal-form suffixes ``ry``, ``rf``, ``rs``, ``sr`` and
``ry.`` are dropped, since they say nothing about which organisation it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from typing import Final

from jarjesto_core.model import ID_PATTERN

__all__ = ["id_from_name", "repair_id", "unique_id"]

#: Legal-form words that end a Finnish or Swedish organisation's name.
_LEGAL_FORMS: Final = frozenset({"ry", "rf", "rs", "sr", "oy", "ab", "oyj", "abp"})
_NOT_ID: Final = re.compile(r"[^a-z0-9]+")
#: Longest id made from a name; long enough to stay readable and distinct.
MAX_LENGTH: Final = 60


def _ascii(text: str) -> str:
    """Letters without their marks (``ä`` → ``a``, ``ß`` → ``ss``), lower-case."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def id_from_name(name: str, *, fallback: str = "record") -> str:
    """``Kuhmon Reumayhdistys ry`` → ``kuhmon-reumayhdistys``; always a valid id.

    ``fallback`` is used when the name has no letter or digit at all.
    """
    plain = re.sub(r"\b(r)\.([yfs])\.?", r"\1\2", _ascii(name))  # r.y. is ry
    words = _NOT_ID.split(plain.replace("'", ""))
    words = [w for w in words if w]
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    slug = "-".join(words)[:MAX_LENGTH].strip("-")
    return slug if slug else fallback


def unique_id(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base-2``, ``base-3``, ... the first not in ``taken``."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def repair_id(text: str) -> str:
    """An id as a person wrote it (``Järjestö 1``) as a valid one (``jarjesto-1``).

    A valid id is returned as it is; others lose their marks, capitals and
    spaces; an id with nothing left of it is returned unchanged, for
    validation to refuse by name.
    """
    value = text.strip()
    if ID_PATTERN.match(value):
        return value
    repaired = re.sub(r"[^a-z0-9_.-]+", "-", _ascii(value)).strip("-_.")
    return repaired if repaired and ID_PATTERN.match(repaired) else value
