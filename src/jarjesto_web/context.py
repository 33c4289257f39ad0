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
    from jarjesto_core.assessment import Assessment
    from jarjesto_core.dated import DatedCounts
    from jarjesto_core.index import YearIndex
    from jarjesto_core.model import Dataset, PartyRef
    from jarjesto_core.reference import Reference
    from jarjesto_core.registry import Registry
    from jarjesto_core.workspace import Workspace
    from jarjesto_core.workspace.users import User
    from jarjesto_web.cache import Carry, Snapshot

__all__ = [
    "anonymous_page",
    "assessed",
    "cached",
    "close_workspace",
    "current_user",
    "dataset",
    "dated",
    "default_year",
    "fragment",
    "reference",
    "registry",
    "snapshot",
    "workspace",
    "year",
    "year_index",
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


def cached(key: Hashable, compute: Callable[[], T], carry: Carry | None = None) -> T:
    """A value derived from the data alone (and validated ``key``), computed once per version
    (or carried across this process's writes by ``carry``: :mod:`jarjesto_web.cache`)."""
    return snapshot().value(key, compute, carry)


def year_index(y: int) -> YearIndex | None:
    """The index of the default year, kept per data version and shared by every assessment
    and page of it (a pass over every record); None for another year, which is asked
    rarely and whose assessments are kept anyway: an index per year would cost memory."""
    if y != default_year():
        return None
    from jarjesto_core.index import YearIndex

    data, ref = dataset(), reference()
    return cached(("year_index", y), lambda: YearIndex(data, ref, y))


def assessed(y: int, subjects: tuple[PartyRef, ...] | None) -> Assessment:
    """The assessment of ``subjects`` (None: every subject the data touch) in year ``y``,
    computed once per data version: the pages, the API and the downloads share it."""
    from jarjesto_core.assessment import assess
    from jarjesto_core.coverage import CoverageIndex

    def compute() -> Assessment:
        data, ref = dataset(), reference()
        coverage = cached(
            ("coverage_index",),
            lambda: CoverageIndex(data, ref),
            # It reads the coverage records alone: kept, with its answers, through other edits.
            lambda kept, change, _after: (
                None if any(c == "coverage" for c, _r in (*change.removed, *change.added)) else kept
            ),
        )
        return assess(
            data,
            y,
            subjects,
            registry=registry(),
            reference=ref,
            index=year_index(y),
            coverage=coverage,
        )

    return cached(("assess", y, subjects), compute)


def dated() -> DatedCounts:
    """The dataset's years and default year as counts, which an edit updates."""
    from jarjesto_core.dated import DatedCounts

    return cached(
        ("dated",),
        lambda: DatedCounts.of(dataset()),
        lambda counts, change, _after: counts.changed(change.removed, change.added),
    )


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
    ref = reference()
    asked = request.args.get("year", "")
    if asked:
        number = whole_number(asked)
        if number is None or number not in ref.years:
            abort(400, description="year")
        return number

    return default_year()


def default_year() -> int:
    """The year pages open on: the data's (:func:`~jarjesto_core.assessment.default_year`)
    when the reference data know it, else the reference data's latest. Once per data
    version and day: a page asks it hundreds of times."""
    import datetime as dt

    today = dt.date.today()

    def chosen() -> int:
        years = reference().years
        found = dated().default_year(today)
        return found if found is not None and found in years else years[-1]

    return cached(("default_year", today), chosen)
