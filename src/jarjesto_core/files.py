"""The file edge: read and write dataset files, never leaving one half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import attrs

from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_
from jarjesto_core.model import COLLECTIONS, Dataset, Domain
from jarjesto_core.reference import Reference, bundled_reference
from jarjesto_core.serialise import dump_dataset, parse_dataset
from jarjesto_core.validation import validate

__all__ = ["atomic_write", "load_dataset", "read_dataset", "sample_dataset", "write_dataset"]


def load_dataset(
    text: str,
    *,
    file: str | None = None,
    reference: Reference | None = None,
    service_kinds: Mapping[str, Domain] | None = None,
) -> Dataset:
    """Parse and validate JSON text; raise :class:`DatasetError` with every problem."""
    parsed = parse_dataset(text, file=file)
    problems = list(parsed.problems)
    if not any(p.field in ("format", "version") or p.line is not None for p in problems):
        semantic = validate(
            parsed.dataset,
            reference or bundled_reference(),
            service_kinds=service_kinds,
            broken=parsed.broken,
            indices=parsed.indices,
        )
        problems.extend(attrs.evolve(p, file=file) for p in semantic)
    if problems:
        raise DatasetError(sorted(problems, key=_record_order))
    return parsed.dataset


_COLLECTION_ORDER = {name: i for i, name in enumerate(COLLECTIONS)}


def _record_order(problem: Problem) -> tuple[int, int]:
    """Document problems first, then record by record: a record's problems stay together.

    The sort is stable, so structural problems come before semantic ones within a record.
    """
    if problem.collection is None:
        return (-1, 0)
    return (_COLLECTION_ORDER[problem.collection], -1 if problem.index is None else problem.index)


def read_dataset(
    path: str | os.PathLike[str],
    *,
    reference: Reference | None = None,
    service_kinds: Mapping[str, Domain] | None = None,
) -> Dataset:
    """Read and validate a dataset file."""
    name = os.fspath(path)
    try:
        text = Path(name).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DatasetError([Problem(N_("no such file"), file=name)]) from None
    except IsADirectoryError:
        raise DatasetError([Problem(N_("a directory, not a dataset file"), file=name)]) from None
    except UnicodeDecodeError:
        raise DatasetError([Problem(N_("not UTF-8 text"), file=name)]) from None
    return load_dataset(text, file=name, reference=reference, service_kinds=service_kinds)


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old file or the new one.

    Write a temporary file in the same directory, fsync it, rename it over the
    target, then fsync the directory so the rename itself is durable.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if exc.filename is None:  # a full disk names no file: name the one not written
            raise OSError(exc.errno, exc.strerror, os.fspath(target)) from exc
        raise
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_dataset(path: str | os.PathLike[str], dataset: Dataset) -> None:
    atomic_write(path, dump_dataset(dataset).encode("utf-8"))


def sample_dataset() -> Dataset:
    """The bundled, illustrative sample: the default dataset of ``jarjesto assess``."""
    text = resources.files("jarjesto_core").joinpath("data/sample.json").read_text("utf-8")
    return load_dataset(text, file="sample.json")
