"""Options shared by several commands, defined once so they read and behave the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = ["WORKSPACE_ENVVAR", "WORKSPACE_HELP", "workspace_option"]

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
