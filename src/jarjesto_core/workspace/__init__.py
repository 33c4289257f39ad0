"""Workspaces: a dataset kept in SQLite (a file) or PostgreSQL (a team's server).

Import this package explicitly: ``import jarjesto_core`` does not load
SQLAlchemy, so the file-only paths stay light.
"""

from __future__ import annotations

from jarjesto_core.workspace.store import (
    AuditEntry,
    LoadSummary,
    VersionedRecord,
    Workspace,
    WorkspaceStatus,
    head_revision,
    open_workspace,
    workspace_url,
)

__all__ = [
    "AuditEntry",
    "LoadSummary",
    "VersionedRecord",
    "Workspace",
    "WorkspaceStatus",
    "head_revision",
    "open_workspace",
    "workspace_url",
]
