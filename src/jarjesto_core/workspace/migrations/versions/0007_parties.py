"""Joint municipal authorities and other funders as parties; where a service runs.

Before 2023 a joint authority (Siun sote) organised sote for its members, and
STEA, foundations and parishes fund much of the middle ground: both are now
parties of agreements. A service's ``municipalities`` are whom it serves;
``location`` is where it runs.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jarjesto_core.workspace.types import UTCDateTime, json_column

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _bookkeeping() -> list[sa.Column[object]]:
    return [
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "joint_authorities",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("name", json_column(), nullable=False),
        sa.Column("members", json_column(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("organises", json_column(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        *_bookkeeping(),
    )
    op.create_table(
        "funders",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("name", json_column(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("business_id", sa.String(), nullable=True),
        *_bookkeeping(),
    )
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("location", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.drop_column("location")
    op.drop_table("funders")
    op.drop_table("joint_authorities")
