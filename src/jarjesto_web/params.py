"""Numbers from a URL or a form, read the one way every view reads them.

``str.isdigit`` is true for "²" and for a 5,000-digit string, and ``int()``
of either raises: a view that trusted it answered 500. :func:`whole_number`
takes ASCII digits only, at most as many as the largest value it may return.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MAX_DIGITS", "whole_number"]

#: Digits of the largest number any parameter takes (a record version, a page, a year).
MAX_DIGITS: Final = 18


def whole_number(text: str | None, *, low: int = 0, high: int = 10**MAX_DIGITS) -> int | None:
    """``text`` as a whole number in ``low..high``, or None when it is not one."""
    if not text or len(text) > MAX_DIGITS or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if low <= value <= high else None
