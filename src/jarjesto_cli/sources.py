"""Where a command's dataset comes from: a JSON file, a workspace, or the bundled sample.

Every command that reads a dataset goes through :func:`load_source`, so a
workspace (``--workspace`` / ``JARJESTO_WORKSPACE``) works wherever a file does.
"""

from __future__ import annotations

from collections.abc import Mapping

from jarjesto_core.files import read_dataset, sample_dataset
from jarjesto_core.model import Dataset, Domain

__all__ = ["load_source"]


def load_source(
    path: str | None,
    *,
    workspace: str | None = None,
    service_kinds: Mapping[str, Domain] | None = None,
) -> Dataset:
    """The dataset at ``path``; with neither a path nor a workspace, the bundled sample."""
    if workspace is not None:
        raise NotImplementedError("workspaces arrive with the workspace issue")
    if path is None:
        return sample_dataset()
    return read_dataset(path, service_kinds=service_kinds)
