"""Where a command's dataset comes from: a JSON file, a workspace, or the bundled sample.

Every command that reads a dataset goes through :func:`load_source`, so a
workspace (``--workspace`` / ``JARJESTO_WORKSPACE``) works wherever a file does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

import click

from jarjesto_core.files import read_dataset, sample_dataset
from jarjesto_core.model import Dataset, Domain

if TYPE_CHECKING:
    from jarjesto_core.workspace import Workspace

T = TypeVar("T")

__all__ = ["chosen_workspace", "from_workspace", "load_source"]


def chosen_workspace(path: str | None, workspace: str | None) -> str | None:
    """The workspace to read, or None for the file (or the sample).

    A workspace set only through ``JARJESTO_WORKSPACE`` gives way to a file
    named on the command line; naming both on the command line is an error.
    """
    if workspace is not None and path is not None:
        ctx = click.get_current_context(silent=True)
        source = ctx.get_parameter_source("workspace") if ctx is not None else None
        if source is not click.core.ParameterSource.ENVIRONMENT:
            raise click.UsageError("give a dataset file or --workspace, not both")
        return None
    return workspace


def from_workspace(
    workspace: str,
    read: Callable[[Workspace], T],
    service_kinds: Mapping[str, Domain] | None = None,
) -> T:
    """What ``read`` reads from ``workspace``: a one-area question's records
    (:meth:`~jarjesto_core.workspace.Workspace.funding_dataset`,
    :meth:`~jarjesto_core.workspace.Workspace.subject_dataset`) or the years
    the database counts (:meth:`~jarjesto_core.workspace.Workspace.dated_counts`)."""
    from jarjesto_core.workspace import open_workspace

    with open_workspace(workspace, service_kinds=service_kinds) as ws:
        return read(ws)


def load_source(
    path: str | None,
    *,
    workspace: str | None = None,
    service_kinds: Mapping[str, Domain] | None = None,
) -> Dataset:
    """The dataset at ``path``, or in ``workspace``; with neither, the bundled sample
    (:func:`chosen_workspace` says which when both are given)."""
    workspace = chosen_workspace(path, workspace)
    if workspace is not None:
        from jarjesto_core.workspace import open_workspace

        with open_workspace(workspace, service_kinds=service_kinds) as ws:
            return ws.dataset()
    if path is None:
        return sample_dataset()
    return read_dataset(path, service_kinds=service_kinds)
