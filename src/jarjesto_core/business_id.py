"""The Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit.

The check digit is ``11 - (sum of the digits weighted 7, 9, 10, 5, 8, 4, 2) mod 11``,
or 0 when the remainder is 0. A remainder of 1 would need the digit 10, so the
Finnish Patent and Registration Office never issues such a body: no check digit
makes it valid.
"""

from __future__ import annotations

import re
from typing import Any, Final

from jarjesto_core.i18n import N_

__all__ = ["WEIGHTS", "business_id_problem", "check_digit"]

WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2)
_FORM: Final = re.compile(r"^([0-9]{7})-([0-9])\Z")


def check_digit(body: str) -> int | None:
    """The check digit of a seven-digit body, or None when no digit can be valid."""
    if len(body) != 7 or not body.isascii() or not body.isdigit():
        raise ValueError(f"{body!r} is not seven digits")
    remainder = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def business_id_problem(text: str) -> tuple[str, dict[str, Any]] | None:
    """What is wrong with ``text`` as a business ID: a msgid and its params, or None.

    A message and not an exception, so the validator can name the record and
    field around it and keep going.
    """
    match = _FORM.match(text)
    if match is None:
        return (
            N_(
                "%(found)s is not a business ID: expected seven digits, a hyphen and "
                "a check digit, such as 0242746-2"
            ),
            {"found": repr(text)},
        )
    body, digit = match.groups()
    expected = check_digit(body)
    if expected is None:
        return (
            N_(
                "%(found)s is not a business ID: no check digit is valid after "
                "%(body)s (the weighted sum leaves remainder 1)"
            ),
            {"found": repr(text), "body": body},
        )
    if int(digit) != expected:
        return (
            N_("%(found)s has the wrong check digit: expected %(expected)s"),
            {"found": repr(text), "expected": f"{body}-{expected}"},
        )
    return None
