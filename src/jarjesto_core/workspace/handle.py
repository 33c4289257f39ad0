"""A workspace: a dataset kept in SQLite or PostgreSQL, changed record by record, audited.

The core's model and rules never see the database: a workspace reads back a
:class:`~jarjesto_core.model.Dataset` and takes attrs records. Every change
is one transaction that builds the resulting dataset, runs the same
:func:`~jarjesto_core.validation.validate` as a file load, and writes rows and
audit entries only when it passes, so invalid data never reaches the tables.

The class is put together from one module per concern: :mod:`.connection`
(the engine and transactions), :mod:`.admin` (the schema), :mod:`.backup`,
:mod:`.reading`, :mod:`.territory` (one area's records), :mod:`.writing`, with
:mod:`.bulk` writing a load's rows, and :mod:`.import_maps` (mappings kept for
next year's list).
"""

from __future__ import annotations

from collections.abc import Mapping

from jarjesto_core.model import Domain
from jarjesto_core.reference import Reference
from jarjesto_core.workspace.admin import SchemaAdmin
from jarjesto_core.workspace.backup import Backup
from jarjesto_core.workspace.connection import workspace_url
from jarjesto_core.workspace.import_maps import ImportMaps
from jarjesto_core.workspace.territory import TerritoryReads

__all__ = ["Workspace", "open_workspace"]


class Workspace(ImportMaps, TerritoryReads, SchemaAdmin, Backup):
    """A dataset in a database; see the module docstring for the guarantees."""


def open_workspace(
    url_or_path: str,
    *,
    reference: Reference | None = None,
    service_kinds: Mapping[str, Domain] | None = None,
) -> Workspace:
    """A handle on a workspace; nothing is opened until it is used."""
    return Workspace(workspace_url(url_or_path), reference=reference, service_kinds=service_kinds)
