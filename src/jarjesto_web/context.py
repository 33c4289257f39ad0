"""Per-request state: the registry, the workspace (opened once per request), the year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import abort, current_app, g, request

if TYPE_CHECKING:
    from jarjesto_core.model import Dataset
    from jarjesto_core.reference import Reference
    from jarjesto_core.registry import Registry
    from jarjesto_core.workspace import Workspace

__all__ = ["close_workspace", "dataset", "reference", "registry", "workspace", "year"]


def registry() -> Registry:
    reg: Registry = current_app.extensions["jarjesto"]
    return reg


def reference() -> Reference:
    from jarjesto_core.reference import bundled_reference

    return bundled_reference()


def workspace() -> Workspace:
    if "workspace" not in g:
        from jarjesto_core.workspace import open_workspace

        g.workspace = open_workspace(
            current_app.config["WORKSPACE"], service_kinds=registry().service_kinds
        )
    ws: Workspace = g.workspace
    return ws


def close_workspace(_exc: BaseException | None = None) -> None:
    ws = g.pop("workspace", None)
    if ws is not None:
        ws.close()


def dataset() -> Dataset:
    """The workspace's dataset, read once per request."""
    if "dataset" not in g:
        g.dataset = workspace().dataset()
    data: Dataset = g.dataset
    return data


def year() -> int:
    """``?year=`` when given and known to the reference data, else the dataset's latest year."""
    from jarjesto_core.assessment import default_year

    ref = reference()
    asked = request.args.get("year", "")
    if asked:
        if not asked.isdigit() or int(asked) not in ref.years:
            abort(400, description="year")
        return int(asked)
    if "default_year" not in g:
        # Templates ask for the year once per row; the default scans every record.
        chosen = default_year(dataset())
        if chosen is None or chosen not in ref.years:
            chosen = ref.years[-1]
        g.default_year = chosen
    found: int = g.default_year
    return found
