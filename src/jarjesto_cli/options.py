"""Options shared by several commands, defined once so they read and behave the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = ["WORKSPACE_ENVVAR", "WORKSPACE_HELP", "YEAR", "workspace_option"]

F = TypeVar("F", bound=Callable[..., Any])

WORKSPACE_ENVVAR = "JARJESTO_WORKSPACE"
WORKSPACE_HELP = "The workspace: a SQLite file path or a postgresql:// URL."


def workspace_option(
    *, required: bool = False, name: str = "workspace", help: str | None = None
) -> Callable[[F], F]:
    """``--workspace/-w`` (or ``JARJESTO_WORKSPACE``).

    Commands that read a dataset take it as an alternative to a file
    (``required=False``, see :func:`jarjesto_cli.sources.load_source`, which
    relies on the parameter being called ``workspace``); the ``db``,
    ``workspace`` and ``log`` commands need one.
    """
    return click.option(
        "--workspace",
        "-w",
        name,
        envvar=WORKSPACE_ENVVAR,
        show_envvar=True,
        required=required,
        metavar="PATH|URL",
        help=help or (WORKSPACE_HELP if required else WORKSPACE_HELP + " Instead of DATASET."),
    )


class Year(click.ParamType[int]):
    """A year jarjesto handles (``jarjesto_core.assessment.year_problem``): usage error otherwise.

    Every ``--year``, ``--from`` and ``--to`` takes it, so that no command builds a
    table for year 0 or for a billion years.
    """

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from jarjesto_core.assessment import YEAR_MIN, year_max

        if isinstance(value, int) and not isinstance(value, bool):
            year = value
        else:
            text = str(value).strip()
            if not (text.isascii() and text.lstrip("-").isdigit() and len(text) <= 6):
                self.fail(f"{value!r} is not a year", param, ctx)
            year = int(text)
        if not YEAR_MIN <= year <= year_max():
            self.fail(
                f"{year} is not a year jarjesto handles: give a year from {YEAR_MIN} "
                f"to {year_max()}",
                param,
                ctx,
            )
        return year


YEAR = Year()
