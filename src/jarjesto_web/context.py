"""Per-request state: the registry, the workspace (opened once per request), the data, the year.

The data comes from the process-wide :mod:`jarjesto_web.cache`: each request
checks the workspace's data version once, then every view and template of
that request sees the same snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, TypeVar

from flask import abort, current_app, g, request, session

from jarjesto_web.params import whole_number

if TYPE_CHECKING:
    from jarjesto_core.model import Dataset
    from jarjesto_core.reference import Reference
    from jarjesto_core.registry import Registry
    from jarjesto_core.workspace import Workspace
    from jarjesto_core.workspace.users import User
    from jarjesto_web.cache import Snapshot

__all__ = [
    "anonymous_page",
    "cached",
    "close_workspace",
    "current_user",
    "dataset",
    "fragment",
    "reference",
    "registry",
    "snapshot",
    "workspace",
    "year",
]

T = TypeVar("T")


def registry() -> Registry:
    reg: Registry = current_app.extensions["jarjesto"]
    return reg


def reference() -> Reference:
    from jarjesto_core.reference import bundled_reference

    return bundled_reference()


def workspace() -> Workspace:
    """The workspace for this request's writes and user look-ups."""
    if "workspace" not in g:
        from jarjesto_core.workspace import open_workspace

        g.workspace = open_workspace(
            current_app.config["WORKSPACE"], service_kinds=registry().service_kinds
        )
        # A write starts from the snapshot this process holds, when that is still current,
        # and what it writes becomes the snapshot: no reader reads the workspace again.
        from jarjesto_web.cache import data_cache

        cache = data_cache(current_app)
        g.workspace.basis_source = cache.basis
        g.workspace.on_written = cache.install
    ws: Workspace = g.workspace
    return ws


def current_user() -> User | None:
    """The logged-in user of this request (loaded by :mod:`jarjesto_web.auth`), or None."""
    user: User | None = g.get("user")
    return user


def close_workspace(_exc: BaseException | None = None) -> None:
    ws = g.pop("workspace", None)
    if ws is not None:
        ws.close()


def snapshot() -> Snapshot:
    """The cached data at the workspace's current version, checked once per request."""
    if "snapshot" not in g:
        from jarjesto_web.cache import data_cache

        g.snapshot = data_cache(current_app).current()
    found: Snapshot = g.snapshot
    return found


def dataset() -> Dataset:
    """The workspace's dataset, as cached for its current data version."""
    return snapshot().dataset


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """A value derived from the data alone (and validated ``key``), computed once per version."""
    return snapshot().value(key, compute)


def fragment(render: Callable[[], str]) -> str:
    """HTML that depends only on the data and this URL and language, rendered once per version.

    Never pass anything that depends on the user (login state, CSRF token,
    flashed messages): the same HTML is given to everyone who asks the URL.
    """
    from jarjesto_web.i18n import lang

    key = (
        request.endpoint,
        request.script_root,
        request.path,
        tuple(sorted(request.args.items(multi=True))),
        lang(),
    )
    return snapshot().fragment(key, render)


def anonymous_page(render: Callable[[], str]) -> str:
    """The whole page, kept per data version, URL and language for readers not logged in.

    Such a page holds nothing of anyone's own: no name, no CSRF token (only
    logged-in pages have forms that post), so every anonymous reader of the
    URL may be given it. A logged-in reader, or one with a message waiting
    (flashed by a change), always gets a page rendered for them.
    """
    from jarjesto_web.i18n import lang

    if current_user() is not None or session.get("_flashes"):
        return render()
    key = ("anonymous", request.endpoint, request.script_root, request.full_path, lang())
    return snapshot().fragment(key, render)


def year() -> int:
    """``?year=`` when given and known to the reference data, else the dataset's latest year."""
    from jarjesto_core.assessment import default_year

    ref = reference()
    asked = request.args.get("year", "")
    if asked:
        number = whole_number(asked)
        if number is None or number not in ref.years:
            abort(400, description="year")
        return number

    def chosen() -> int:
        found = default_year(dataset())
        return found if found is not None and found in ref.years else ref.years[-1]

    return cached(("default_year",), chosen)
