"""Workspaces: a dataset kept in SQLite (a file) or PostgreSQL (a team's server).

Import this package explicitly: ``import jarjesto_core`` does not load
SQLAlchemy, so the file-only paths stay light.
"""

from __future__ import annotations

from jarjesto_core.workspace.admin import WorkspaceStatus
from jarjesto_core.workspace.connection import workspace_url
from jarjesto_core.workspace.handle import Workspace, open_workspace
from jarjesto_core.workspace.records import AuditEntry, VersionedRecord
from jarjesto_core.workspace.revisions import head_revision
from jarjesto_core.workspace.writing import LoadSummary

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
