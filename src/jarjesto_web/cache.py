"""What the pages derive from the workspace, kept once per process and per data version.

Reading a national workspace takes seconds and assessing it more, so a
request must not do either. :class:`DataCache` (one per app, shared by the
server's threads) keeps a :class:`Snapshot`: the dataset read at one
:meth:`~jarjesto_core.workspace.Workspace.data_version` and whatever the
views derived from it (the default year, assessments, rendered page bodies).
Every request reads the version (one primary-key read) and uses the snapshot
when it is unchanged; a write through this server, another server or the
CLI raises the version, and the next request reads the workspace again.

The version is read *before* the dataset, so a snapshot is never older than
its version says: a write racing with the read only causes one more read.
One thread reads while the others wait for it, and each derived value is
computed by one thread while the others wait: twenty first requests cost one
read, not twenty. Nothing here depends on who asks: per-user parts of a page
(the login form, the CSRF token) are rendered outside what is kept.

A write made by this process hands over the dataset it made and the
:class:`~jarjesto_core.workspace.writing.Change` (:meth:`DataCache.install`):
a value kept with a ``carry`` function is then carried into the new snapshot,
updated by the records the write removed and added, instead of derived again
from every record by the next reader. Values without one (assessments,
rendered pages) are derived again: what a rule reads is the rule's own
business, so no edit can be shown not to change them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar

from jarjesto_core.perf import gc_paused

if TYPE_CHECKING:
    from flask import Flask

    from jarjesto_core.model import Dataset, Domain
    from jarjesto_core.workspace import Workspace
    from jarjesto_core.workspace.writing import Change

__all__ = ["DataCache", "Snapshot", "data_cache", "init_app"]

T = TypeVar("T")
#: How a kept value becomes the next version's after a write: the value, the write's
#: change and the new snapshot (holding the values carried before this one); None
#: when it cannot be carried.
Carry = Callable[[Any, "Change", "Snapshot"], Any]

#: How much rendered HTML a snapshot keeps (characters), least recently used first out.
FRAGMENT_CHARS: Final = 64 * 1024 * 1024
_EXTENSION: Final = "jarjesto_cache"


class Snapshot:
    """The dataset at one data version and what was derived from it; never changes."""

    def __init__(self, version: int, dataset: Dataset, *, fragment_chars: int = FRAGMENT_CHARS):
        self.version = version
        self.dataset = dataset
        self._values: dict[Hashable, Any] = {}
        self._carry: dict[Hashable, Carry] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()
        self._fragments: OrderedDict[Hashable, str] = OrderedDict()
        self._fragment_chars = 0
        self._fragment_limit = fragment_chars

    def _lock_for(self, key: Hashable) -> threading.Lock:
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = threading.Lock()
            return lock

    def value(self, key: Hashable, compute: Callable[[], T], carry: Carry | None = None) -> T:
        """``compute()`` once per key: concurrent callers wait for the first one's result.

        Keys must come from validated input (a known year, area or
        municipality), as every value is kept for the snapshot's life.
        ``carry`` updates the value across a write of this process (:meth:`carried`).
        """
        try:
            found: T = self._values[key]
            return found
        except KeyError:
            pass
        with self._lock_for(key):
            if key in self._values:
                again: T = self._values[key]
                return again
            with gc_paused():  # an assessment, a search index: many acyclic objects
                computed = compute()
            self._values[key] = computed
            if carry is not None:
                self._carry[key] = carry
        return computed

    def kept(self, key: Hashable) -> Any:
        """The value under ``key`` if computed or carried already, else None."""
        return self._values.get(key)

    def carried(self, version: int, dataset: Dataset, change: Change) -> Snapshot:
        """The snapshot after a write of ``change`` made ``dataset`` at ``version``, with every
        value that has a ``carry`` updated by it, in the order they were kept."""
        after = Snapshot(version, dataset, fragment_chars=self._fragment_limit)
        with gc_paused():
            for key, carry in list(self._carry.items()):
                value = carry(self._values[key], change, after)
                if value is not None:
                    after._values[key] = value
                    after._carry[key] = carry
        return after

    def fragment(self, key: Hashable, render: Callable[[], str]) -> str:
        """Rendered HTML under ``key``, rendered once; the least recently used go first.

        Bounded, as the key holds what a client sent (query arguments).
        """
        with self._guard:
            found = self._fragments.get(key)
            if found is not None:
                self._fragments.move_to_end(key)
                return found
        try:
            with self._lock_for(("fragment", key)):
                with self._guard:
                    found = self._fragments.get(key)
                if found is not None:
                    return found
                html = render()
                with self._guard:
                    self._fragments[key] = html
                    self._fragment_chars += len(html)
                    while self._fragment_chars > self._fragment_limit and len(self._fragments) > 1:
                        _, dropped = self._fragments.popitem(last=False)
                        self._fragment_chars -= len(dropped)
        finally:
            # Keys come from clients: keep no lock for one once it is rendered (or refused).
            with self._guard:
                self._locks.pop(("fragment", key), None)
        return html


class DataCache:
    """The current :class:`Snapshot` of one workspace, for every thread of a process."""

    def __init__(self, location: str, *, service_kinds: Mapping[str, Domain] | None = None):
        self.location = location
        self._service_kinds = service_kinds
        self._workspace: Workspace | None = None
        self._snapshot: Snapshot | None = None
        self._load = threading.Lock()
        self._open = threading.Lock()
        #: How many times the dataset was read: what the tests count.
        self.loads = 0

    def workspace(self) -> Workspace:
        """A workspace handle kept open (its connection pool) for the version checks."""
        with self._open:
            if self._workspace is None:
                from jarjesto_core.workspace import open_workspace

                self._workspace = open_workspace(self.location, service_kinds=self._service_kinds)
            return self._workspace

    def current(self) -> Snapshot:
        """The snapshot at the workspace's current data version, read when it changed."""
        ws = self.workspace()
        version = ws.data_version()
        snapshot = self._snapshot
        if snapshot is not None and snapshot.version == version:
            return snapshot
        with self._load:
            # Another thread may have read it while this one waited.
            version = ws.data_version()
            snapshot = self._snapshot
            if snapshot is not None and snapshot.version == version:
                return snapshot
            with gc_paused():  # the whole dataset: a million acyclic records at national scale
                snapshot = Snapshot(version, ws.dataset())
            self.loads += 1
            self._snapshot = snapshot
            return snapshot

    def basis(self) -> tuple[int, Dataset] | None:
        """The data version and dataset kept now, whatever the version (None before any read)."""
        snapshot = self._snapshot
        return None if snapshot is None else (snapshot.version, snapshot.dataset)

    def install(self, version: int, dataset: Dataset, change: Change) -> None:
        """Keep ``dataset`` as the data at ``version``, which a write of this process made.

        Only forward: a snapshot of a later version (another writer's) is kept.
        The write was checked against the version it started from inside its
        transaction, so ``dataset`` is exactly what the workspace holds at ``version``,
        and when the snapshot kept was the one before it, ``change`` is all that
        differs: its carried values are carried.
        """
        with self._load:
            current = self._snapshot
            if current is not None and current.version == version - 1:
                self._snapshot = current.carried(version, dataset, change)
            elif current is None or current.version < version:
                self._snapshot = Snapshot(version, dataset)

    def close(self) -> None:
        with self._open:
            if self._workspace is not None:
                self._workspace.close()
                self._workspace = None


def data_cache(app: Flask) -> DataCache:
    """The app's cache (made by :func:`jarjesto_web.create_app`)."""
    cache: DataCache = app.extensions[_EXTENSION]
    return cache


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = DataCache(
        app.config["WORKSPACE"], service_kinds=app.extensions["jarjesto"].service_kinds
    )
