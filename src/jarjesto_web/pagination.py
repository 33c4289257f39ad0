"""Long lists in pages: which page a request asks for, and which page numbers to link."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from flask import abort, request

from jarjesto_web.params import whole_number

__all__ = ["Page", "page_of", "page_window"]


def page_window(page: int, pages: int, *, around: int = 3) -> list[int | None]:
    """The page numbers to link, None where a run of them is left out.

    A national register has a thousand pages; linking each made the page
    heavy to render and to read. Up to ``2 * around + 5`` pages all are
    linked; beyond, the first two, the last two and those within ``around``
    of the current one (a gap is never a single page).
    """
    if pages <= 2 * around + 5:
        return list(range(1, pages + 1))
    shown = {1, 2, pages - 1, pages, *range(page - around, page + around + 1)}
    window: list[int | None] = []
    for p in range(1, pages + 1):
        if p in shown or (p - 1 in shown and p + 1 in shown):
            window.append(p)
        elif window[-1] is not None:
            window.append(None)
    return window


class Page(NamedTuple):
    """One page of a long list, and where it is in the list."""

    items: Sequence[Any]
    number: int
    pages: int
    total: int
    #: Position (from 1) of the page's first item in the list.
    first: int

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1


def page_of(items: Sequence[Any], size: int, arg: str = "page") -> Page:
    """The page of ``items`` that ``?<arg>=`` asks for (the first by default).

    A page that does not exist (0, past the end, not a number) is a 404, not
    an empty list: a link to it is wrong, and a crawler should not follow it.
    """
    pages = max(1, -(-len(items) // size))
    number = whole_number(request.args.get(arg, "1"), low=1, high=pages)
    if number is None:
        abort(404)
    start = (number - 1) * size
    return Page(items[start : start + size], number, pages, len(items), start + 1)
