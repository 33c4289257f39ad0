"""The file edge: read and write dataset files, never leaving one half-written."""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path

import attrs

from jarjesto_core.errors import DatasetError, JarjestoError, Problem
from jarjesto_core.i18n import N_, translate
from jarjesto_core.model import COLLECTIONS, Dataset, Domain
from jarjesto_core.reference import Reference, bundled_reference
from jarjesto_core.serialise import Parsed, dump_dataset, fast_parse, parse_dataset
from jarjesto_core.validation import validate

__all__ = [
    "OutputError",
    "atomic_write",
    "dataset_lock",
    "load_dataset",
    "read_dataset",
    "sample_dataset",
    "write_dataset",
    "write_output",
]


def load_dataset(
    text: str,
    *,
    file: str | None = None,
    reference: Reference | None = None,
    service_kinds: Mapping[str, Domain] | None = None,
) -> Dataset:
    """Parse and validate JSON text; raise :class:`DatasetError` with every problem."""
    return _checked(
        parse_dataset(text, file=file),
        file=file,
        reference=reference,
        service_kinds=service_kinds,
    )


def _checked(
    parsed: Parsed,
    *,
    file: str | None,
    reference: Reference | None,
    service_kinds: Mapping[str, Domain] | None,
) -> Dataset:
    """The dataset once validated; :class:`DatasetError` with every problem otherwise."""
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
    """Read and validate a dataset file.

    A valid file is read from its bytes by the fast path
    (:mod:`jarjesto_core.fastparse`); any other is decoded as UTF-8 text and
    read strictly, every problem named.
    """
    name = os.fspath(path)
    try:
        raw = Path(name).read_bytes()
    except FileNotFoundError:
        raise DatasetError([Problem(N_("no such file"), file=name)]) from None
    except IsADirectoryError:
        raise DatasetError([Problem(N_("a directory, not a dataset file"), file=name)]) from None
    raw = raw.removeprefix(codecs.BOM_UTF8)  # as the utf-8-sig codec: one leading mark
    fast = fast_parse(raw)
    if fast is not None:
        return _checked(fast, file=name, reference=reference, service_kinds=service_kinds)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DatasetError([Problem(N_("not UTF-8 text"), file=name)]) from None
    del raw
    if "\r" in text:  # as reading in text mode did: line numbers in problems stay the same
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return load_dataset(text, file=name, reference=reference, service_kinds=service_kinds)


def _umask() -> int:
    """The process's umask (read by setting it back at once: Python has no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the regular file ``path`` with ``data`` so that a crash leaves the old or the new.

    Write a temporary file in the same directory, fsync it, rename it over the
    target, then fsync the directory so the rename itself is durable. The new
    file keeps the mode (and, where allowed, the owner) of the file it
    replaces; a new file gets the mode the umask gives, as ``open`` would.
    Use :func:`write_output` for a path a user gave: only a regular file may
    be renamed over.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        existing: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        existing = None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            if existing is not None:
                os.fchmod(handle.fileno(), stat.S_IMODE(existing.st_mode))
                with contextlib.suppress(PermissionError):
                    os.fchown(handle.fileno(), existing.st_uid, existing.st_gid)
            else:
                os.fchmod(handle.fileno(), 0o666 & ~_umask())
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


class OutputError(JarjestoError):
    """An output path that must not be written: a directory, a block device, a socket."""

    def __init__(self, message: str, path: str) -> None:
        self.message = message
        self.path = path
        super().__init__(self.render("en"))

    def render(self, lang: str = "en") -> str:
        return translate(self.message, lang, {"path": self.path})


def write_output(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a path a user named (every ``-o``), doing to it what they meant.

    - ``-`` is standard output;
    - a missing path or a regular file is replaced atomically (:func:`atomic_write`),
      keeping an existing file's mode, else the umask's;
    - a symlink is followed: its target is replaced, never the link itself;
    - a character device (``/dev/null``, a terminal) or a FIFO is written to as it is:
      renaming a file over it would replace the device for every program on the machine;
    - a directory, a block device or a socket is refused with :class:`OutputError`.
    """
    name = os.fspath(path)
    if name == "-":
        stream = sys.stdout.buffer
        stream.write(data)
        stream.flush()
        return
    real = os.path.realpath(name)  # a symlink's target (a dangling link's target is created)
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    if mode is None or stat.S_ISREG(mode):
        atomic_write(real, data)
    elif stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        with open(real, "wb") as handle:
            handle.write(data)
    elif stat.S_ISDIR(mode):
        raise OutputError(N_("%(path)s is a directory: give a file name"), name)
    else:
        raise OutputError(
            N_("%(path)s is not a regular file, a character device or a FIFO: not written"),
            name,
        )


@contextlib.contextmanager
def dataset_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the dataset file at ``path`` for a read-modify-write (an import), across processes.

    Two imports into one file would each read the old file and the second
    rename would drop the first one's records. The lock is ``flock`` on the
    file's directory, not on the file: the file is replaced by a rename, so a
    lock on it would lock the old file, and a lock file would be left behind.
    A second import waits for the first and then reads its result (imports
    into other files of the same directory wait too, for a moment).
    """
    directory = Path(os.path.realpath(os.fspath(path))).parent
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_dataset(path: str | os.PathLike[str], dataset: Dataset) -> None:
    write_output(path, dump_dataset(dataset).encode("utf-8"))


def sample_dataset() -> Dataset:
    """The bundled, illustrative sample: the default dataset of ``jarjesto assess``."""
    text = resources.files("jarjesto_core").joinpath("data/sample.json").read_text("utf-8")
    return load_dataset(text, file="sample.json")
