"""The HSDS import policy: what another HSDS export's records do to a dataset or a workspace.

:func:`~jarjesto_core.opendata.hsds.import_hsds` reads the records; this module
decides what they become. A frontend (``jarjesto import --format hsds``, a web
upload) reads the files and prints or shows the outcome, and calls these for
the rest, so "added", "replaced" and "a workspace import only adds" mean the
same wherever an export is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any, Final

import attrs
from attrs import frozen

from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_
from jarjesto_core.model import Dataset, Domain, Publisher
from jarjesto_core.opendata.hsds import HsdsImport, import_hsds, merge_imported
from jarjesto_core.reference import Reference

__all__ = ["HSDS_FILES", "HsdsPlan", "into_dataset", "into_workspace", "plan", "read_export"]

#: Where an HSDS export keeps each collection's records.
HSDS_FILES: Final[Mapping[str, str]] = {
    "organisations": "organizations.json",
    "services": "services.json",
    "coverage": "index.json",
}


def _under(problem: Problem, directory: str) -> Problem:
    """The importer names files inside the export; a person gave the directory."""
    if problem.file is None:
        return problem
    return attrs.evolve(problem, file=str(PurePath(directory) / problem.file))


def read_export(
    files: Mapping[str, bytes],
    *,
    directory: str,
    reference: Reference,
    publisher: Publisher | None,
    service_kinds: Mapping[str, Domain] | None = None,
) -> HsdsImport:
    """The records of an export's ``files``; problems and notes name ``directory``'s files.

    Names in another publisher's HSDS carry no language: they are taken to be
    in the language of the ``publisher`` they are imported into (Finnish when
    it has none).
    """
    lang = publisher.language if publisher is not None else "fi"
    try:
        imported = import_hsds(files, reference, lang=lang, service_kinds=service_kinds)
    except DatasetError as exc:
        raise DatasetError([_under(p, directory) for p in exc.problems]) from None
    return attrs.evolve(imported, notes=tuple(_under(n, directory) for n in imported.notes))


@frozen
class HsdsPlan:
    """The imported records, and the ids of those that are new or differ from what is stored."""

    imported: HsdsImport
    added: Mapping[str, tuple[str, ...]]
    replaced: Mapping[str, tuple[str, ...]]

    def records(self) -> dict[str, tuple[Any, ...]]:
        """The imported records by collection."""
        return {
            "organisations": self.imported.organisations,
            "services": self.imported.services,
            "coverage": self.imported.coverage,
        }


def plan(current: Dataset, imported: HsdsImport) -> HsdsPlan:
    """Sort the imported records into new ones and ones that change a stored record.

    A record equal to the stored one is neither: importing the same export
    twice adds and replaces nothing.
    """
    added: dict[str, tuple[str, ...]] = {}
    replaced: dict[str, tuple[str, ...]] = {}
    for name, new in HsdsPlan(imported, {}, {}).records().items():
        stored: tuple[Any, ...] = current.collection(name)
        old = {r.id: r for r in stored}
        added[name] = tuple(r.id for r in new if r.id not in old)
        replaced[name] = tuple(r.id for r in new if r.id in old and old[r.id] != r)
    return HsdsPlan(imported, added, replaced)


def into_dataset(
    current: Dataset,
    imported: HsdsImport,
    *,
    where: str,
    reference: Reference,
    service_kinds: Mapping[str, Domain] | None = None,
) -> tuple[Dataset, HsdsPlan]:
    """A dataset file's new content: same id replaced in place, new records appended.

    The result is validated as the file ``where`` it becomes; every problem is
    raised at once and nothing is to be written then.
    """
    from jarjesto_core.validation import validate

    merged = merge_imported(current, imported)
    problems = validate(merged, reference, service_kinds=service_kinds)
    if problems:
        raise DatasetError([attrs.evolve(p, file=where) for p in problems])
    return merged, plan(current, imported)


def into_workspace(
    current: Dataset, imported: HsdsImport, *, directory: str
) -> tuple[dict[str, list[Any]], HsdsPlan]:
    """The records a workspace gets: only new ones.

    A workspace changes a record only against the version its editor read, so
    an import that would overwrite a stored record with other values is
    refused, naming each such record; the writer then validates what it adds.
    """
    sorted_ = plan(current, imported)
    records = sorted_.records()
    if any(sorted_.replaced.values()):
        raise DatasetError(
            [
                Problem(
                    N_(
                        "already in the workspace with other values; an import into "
                        "a workspace only adds records (change it there, or use "
                        "jarjesto workspace load)"
                    ),
                    file=str(PurePath(directory) / HSDS_FILES[name]),
                    collection=HSDS_FILES[name].removesuffix(".json"),
                    index=index,
                    record_id=record.id,
                )
                for name, rs in records.items()
                for index, record in enumerate(rs)
                if record.id in sorted_.replaced[name]
            ]
        )
    new = {name: [r for r in rs if r.id in sorted_.added[name]] for name, rs in records.items()}
    return new, sorted_
