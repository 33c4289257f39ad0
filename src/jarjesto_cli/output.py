"""What commands print: translated messages, and rich consoles created on demand.

rich is imported only when a command prints, so that ``jarjesto --help``
does not pay for it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import click

from jarjesto_core.i18n import translate

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["console", "data_table", "lang", "printable", "say"]

#: Width for output that is not a terminal (a pipe, a file, a test): wide
#: enough that tables are never folded.
PIPE_WIDTH = 240


def lang(ctx: click.Context | None = None) -> str:
    """The language chosen with ``--lang`` (or from the environment)."""
    ctx = ctx or click.get_current_context()
    obj = ctx.find_root().obj
    return str(obj.get("lang", "en")) if isinstance(obj, dict) else "en"


def console(*, stderr: bool = False) -> Console:
    """A console on stdout (or stderr): colour only on a terminal, no markup guessing."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    probe = Console(file=stream)
    width = None if probe.is_terminal else PIPE_WIDTH
    return Console(file=stream, width=width, highlight=False, markup=False, emoji=False)


#: Control characters (C0 but tab and line feed, DEL, C1): a terminal acts on them.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` with each control character written as ``\\x1b``, so that an id or a value
    from a file cannot move the cursor, recolour or retitle the user's terminal.

    ``one_line`` escapes line feeds too: a problem is one line, and an id ending in a
    line break must not look like another.
    """
    pattern = _ONE_LINE if one_line else _CONTROLS
    return pattern.sub(lambda m: repr(m.group())[1:-1], text)


_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")


def say(message: str, *, err: bool = False, style: str | None = None, **params: Any) -> None:
    """Print a gettext msgid in the user's language (values with control characters escaped)."""
    # One line per message, however long: scripts read it, the terminal wraps it.
    text = printable(translate(message, lang(), params))
    console(stderr=err).print(text, style=style, soft_wrap=True)


def data_table(
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    right: Collection[int] = (),
) -> None:
    """Print a table that grows with the dataset: one row a line, every cell whole.

    A national dataset gives 60,000 rows; rich lays out such a table slowly
    and folds or crops its cells, so these go through tabulate.
    Cells may carry ``click.style`` colours: tabulate measures without them,
    and ``click.echo`` drops them when the output is not a terminal.
    ``right`` lists the columns aligned right (amounts).
    """
    from jarjesto_core.reports.text import plain_table

    drawn = plain_table(headings, rows, right=right)
    click.echo(f"{title}\n\n{drawn}")
