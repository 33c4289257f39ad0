"""Warming the cache before ``jarjesto serve`` accepts connections.

Apart from :mod:`jarjesto_web.cache`, which the request context reads: the
warm-up renders pages, and pages read the request context.
"""

from __future__ import annotations

import time

from attrs import frozen
from flask import Flask

from jarjesto_core.i18n import SUPPORTED
from jarjesto_web.context import dataset, snapshot, year
from jarjesto_web.views.pages import warm_pages

__all__ = ["WarmUp", "warm"]


@frozen
class WarmUp:
    """What :func:`warm` did: the data version read, the year assessed, how long it took."""

    version: int
    organisations: int
    year: int
    seconds: float


def warm(app: Flask) -> WarmUp:
    """Read the workspace, assess its default year, render the overview in every language.

    Also what the area, register and organisation pages share (see
    :func:`jarjesto_web.views.pages.warm_pages`).

    ``jarjesto serve`` calls it before it accepts connections, so that the
    first reader does not wait for what every reader needs.
    """
    start = time.perf_counter()
    for language in SUPPORTED:
        with app.test_request_context("/", headers={"Accept-Language": language}):
            warm_pages()
            found = WarmUp(snapshot().version, len(dataset().organisations), year(), 0.0)
    return WarmUp(found.version, found.organisations, found.year, time.perf_counter() - start)
