"""Text at the edges: what may enter a dataset, and what leaves it for a spreadsheet.

Every text that enters (a JSON file, a CSV or spreadsheet cell, a web form, an
API body) goes through :func:`text_problem` on its way into a record, because
one lone surrogate or NUL stored in a workspace breaks every page, download
and backup that shows it later: UTF-8 cannot encode a lone surrogate, and
PostgreSQL refuses NUL. :func:`clean_text` repairs text already stored
(``jarjesto workspace repair-text``).

Spreadsheets run a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return as a formula (CSV injection). :func:`neutralise_formula`
prefixes such a cell with an apostrophe, as OWASP recommends, when it is
written for a spreadsheet, and :func:`restore_formula` takes the apostrophe
away when the cell is read back, so an export imported again keeps every value.
"""

from __future__ import annotations

import re
from typing import Any, Final

from jarjesto_core.i18n import N_

__all__ = [
    "FORMULA_TRIGGERS",
    "clean_text",
    "neutralise_formula",
    "restore_formula",
    "text_problem",
]

#: C0 controls other than tab, line feed and carriage return; DEL; lone surrogates.
_BAD_FREE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: In an identifier every control character (C0, DEL, C1) and lone surrogate is refused.
_BAD_ID: Final = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str, *, identifier: bool = False) -> tuple[str, dict[str, Any]] | None:
    """Why ``value`` may not be stored, as a gettext msgid and its parameters; None if it may.

    Free text may hold tab and line breaks; an identifier holds no control
    character at all. Lone surrogates (what a wrongly decoded file or a
    ``\\ud800`` escape in JSON gives) are never valid Unicode text.
    """
    if value.isprintable():  # the common case, in C: no control character, no surrogate
        return None
    found = (_BAD_ID if identifier else _BAD_FREE).search(value)
    if found is None:
        return None
    char = found.group()
    params = {"code": f"{ord(char):04X}", "position": found.start() + 1}
    if 0xD800 <= ord(char) <= 0xDFFF:
        return (
            N_(
                "the text has a lone surrogate U+%(code)s at character %(position)s: "
                "it is not valid Unicode (was it decoded with the wrong encoding?)"
            ),
            params,
        )
    if identifier:
        return (
            N_(
                "the identifier has the control character U+%(code)s at character "
                "%(position)s: identifiers hold no control characters"
            ),
            params,
        )
    return (
        N_(
            "the text has the control character U+%(code)s at character %(position)s: "
            "only tab and line breaks may be in text"
        ),
        params,
    )


def clean_text(value: str) -> str:
    """``value`` with each lone surrogate replaced by U+FFFD and other refused controls dropped."""
    if value.isprintable():
        return value

    def fix(found: re.Match[str]) -> str:
        return "\ufffd" if 0xD800 <= ord(found.group()) <= 0xDFFF else ""

    return _BAD_FREE.sub(fix, value)


#: What a spreadsheet takes as the start of a formula (OWASP, "CSV Injection").
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
#: A plain number is data to a spreadsheet, never a formula: -12 or -1234,50 stay as they are.
_NUMBER: Final = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?\Z")


def neutralise_formula(cell: str) -> str:
    """A cell as a spreadsheet may open it: an apostrophe before a would-be formula.

    A cell that already begins with apostrophes before a trigger gets one more,
    so that :func:`restore_formula` gives back exactly what was written.
    """
    rest = cell.lstrip("'")
    if rest.startswith(FORMULA_TRIGGERS) and not _NUMBER.match(rest):
        return "'" + cell
    return cell


def restore_formula(cell: str) -> str:
    """The value :func:`neutralise_formula` was given: one apostrophe taken off, if it added one."""
    if cell.startswith("'"):
        rest = cell.lstrip("'")
        if rest.startswith(FORMULA_TRIGGERS) and not _NUMBER.match(rest):
            return cell[1:]
    return cell
