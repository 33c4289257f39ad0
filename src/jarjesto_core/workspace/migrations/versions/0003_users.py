"""Users of the web UI and their API tokens.

The web UI logs people in so that every change is audited under a person's
name and each role (viewer, editor, admin) sees only what it may do.

Revision ID: 0003
Revises: 0002
Create Date: 2025-06-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jarjesto_core.workspace.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("digest", sa.String(), primary_key=True),
        sa.Column(
            "user_name",
            sa.String(),
            sa.ForeignKey("users.name", name="fk_api_tokens_user", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_api_tokens_user_name", "api_tokens", ["user_name"])


def downgrade() -> None:
    op.drop_index("ix_api_tokens_user_name", table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_table("users")
