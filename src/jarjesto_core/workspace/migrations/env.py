"""Alembic environment: jarjesto always hands over an open connection inside a transaction.

Run through :class:`jarjesto_core.workspace.Workspace` (``jarjesto db
upgrade``), never from an ``alembic.ini``: the workspace decides the URL,
the SQLite pragmas and the transaction.
"""

from __future__ import annotations

from alembic import context

from jarjesto_core.workspace.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only a misconfigured call gets here
    raise RuntimeError("jarjesto migrations run through jarjesto_core.workspace, not alembic")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
