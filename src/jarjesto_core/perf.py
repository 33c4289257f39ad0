"""Performance helpers that keep the rest of the code plain.

What each one is worth is measured in ``docs/performance.md``, not here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import sys
from collections.abc import Iterator
from typing import Any

try:  # a dependency; an environment made before it was one writes with json alone
    import orjson
except ImportError:  # pragma: no cover
    orjson = None  # type: ignore[assignment]

__all__ = ["gc_paused", "indented_json", "shared_date", "shared_text", "stored_json"]


def indented_json(value: Any) -> str:
    """Exactly ``json.dumps(value, ensure_ascii=False, indent=2)``, written by orjson when it can.

    The standard library writes indented JSON in Python, token by token: most of
    the time of a national JSON report. orjson writes it in C, alike for what a
    report or dataset holds, but not for everything (small and huge floats in
    another notation, NaN as null, integers past 64 bits refused). So both write
    the compact form first (the standard library's in C, fast); equal compact
    forms are equal tokens, and the indentation of equal tokens is the same.
    Otherwise the standard library writes it.
    """
    if orjson is None:  # pragma: no cover
        return json.dumps(value, ensure_ascii=False, indent=2)
    try:
        fast = orjson.dumps(value)
        same = fast.decode("utf-8") == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, orjson.JSONEncodeError):
        same = False
    if same:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
    return json.dumps(value, ensure_ascii=False, indent=2)


def stored_json(value: Any) -> str:
    """JSON text that reads back as ``value`` (the workspace's JSON columns), by orjson in C.

    Only what it means must be the standard library's, not its spelling: orjson
    writes no spaces and UTF-8 instead of escapes. What orjson would write with
    another meaning (NaN as null) or not at all (integers past 64 bits, lone
    surrogates) the standard library writes: any ``null`` in orjson's text sends
    the value there, as a NaN would show as one. The standard library's
    encoder was most of a national ``workspace load``'s JSON time. (Reading stays
    the standard library's: orjson reads an integer below -2**63 as a float.)
    """
    if orjson is not None:
        try:
            fast = orjson.dumps(value)
        except (TypeError, ValueError, orjson.JSONEncodeError):
            pass
        else:
            if b"null" not in fast:
                return fast.decode("utf-8")
    return json.dumps(value)


def shared_text(text: str) -> str:
    """One object per identifier or code (:func:`sys.intern`), not one per record.

    A national dataset names its 20,000 organisations and 308 municipality
    codes in a million places. Read as fresh strings, each of those is its own
    object somewhere in memory, and every dictionary lookup an assessment
    makes with one compares it character by character with the key and misses
    the CPU cache. Shared, a lookup compares identities, and the few objects
    stay in the cache, and an assessment of every subject is markedly faster.
    CPython's default build frees an interned string once nothing holds it.
    """
    return sys.intern(text)


@functools.lru_cache(maxsize=16384)
def shared_date(value: dt.date) -> dt.date:
    """The first equal date seen: one object per date, not one per record.

    Half a million start and end dates at national scale hold a few hundred
    distinct values; shared, the dates an assessment compares stay in the CPU
    cache (see :func:`shared_text`). Bounded: past 16,384 distinct dates the
    least recently seen are forgotten, which costs sharing, never correctness.
    """
    return value


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    At national scale a dataset is a million frozen records; every collection
    the allocations trigger walks them all, for nothing (they hold no cycles),
    and that is a large share of an assessment's time. Reference counting
    still frees memory.

    On exit the objects built are promoted to the oldest generation without
    being walked (``freeze()`` then ``unfreeze()`` splices the generations'
    lists). Otherwise the first allocation after re-enabling would walk the
    survivors of an assessment once more, only to promote them. Cyclic
    garbage made meanwhile waits for the next full collection. Skipped when
    the application keeps objects frozen itself, since ``unfreeze()`` would
    release them.

    Re-enabled on exit only if it was enabled on entry, so nested and
    concurrent uses leave the collector as they found it.

    The collector is the process's, so only the process's edges pause it:
    the ``jarjesto`` command, the web's data cache while it reads and
    derives, a benchmark. A library function never does by itself; a
    program calling the library opts in with ``with gc_paused(): ...``.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
