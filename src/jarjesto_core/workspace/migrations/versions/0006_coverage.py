"""The coverage collection: where the dataset holds every record.

A missing record means "no" only where a coverage record says the dataset is
complete for that collection, party and period (domain.md, "Coverage").
Existing workspaces get an empty table: nothing covered, so absences stay
"not recorded" until someone records coverage.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jarjesto_core.workspace.types import UTCDateTime, json_column

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coverage",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("collections", json_column(), nullable=False),
        sa.Column("parties", json_column(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("members", sa.Boolean(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("coverage")
