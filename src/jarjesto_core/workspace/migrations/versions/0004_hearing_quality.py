"""Hearings' quality, strategies' decision dates, welfare reports and appropriations.

domain.md v2: a hearing names who was heard directly or through bodies
(``organisations`` is no longer required), the decision it prepared and what
the record shows of its quality; a commitment has its decision date; two new
collections. Every new column is nullable: an absent value is unknown.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from jarjesto_core.workspace.types import Amount, UTCDateTime, json_column

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_HEARING_COLUMNS = (
    ("structures", json_column),
    ("decision", sa.String),
    ("decision_date", sa.Date),
    ("deadline", sa.Date),
    ("statements", sa.BigInteger),
    ("response_published", sa.Boolean),
    ("changes", sa.String),
    ("residents", sa.Boolean),
)


def _record_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("hearings") as batch:
        batch.alter_column("organisations", existing_type=json_column(), nullable=True)
        for name, type_ in _HEARING_COLUMNS:
            batch.add_column(sa.Column(name, type_(), nullable=True))
    with op.batch_alter_table("commitments") as batch:
        batch.add_column(sa.Column("decided", sa.Date(), nullable=True))
    op.create_table(
        "welfare_reports",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("decided", sa.Date(), nullable=True),
        sa.Column("organisations_heard", sa.Boolean(), nullable=True),
        sa.Column("includes_organisations", sa.Boolean(), nullable=True),
        sa.Column("indicators", sa.String(), nullable=True),
        *_record_columns(),
    )
    op.create_table(
        "appropriations",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("line", sa.String(), nullable=False),
        sa.Column("amount_eur", Amount(), nullable=False),
        sa.Column("hyte", sa.Boolean(), nullable=True),
        sa.Column("grants_reserved_eur", Amount(), nullable=True),
        *_record_columns(),
    )


def downgrade() -> None:
    op.drop_table("appropriations")
    op.drop_table("welfare_reports")
    with op.batch_alter_table("commitments") as batch:
        batch.drop_column("decided")
    # A hearing heard only through bodies has no organisations: an empty list.
    op.execute(sa.text("UPDATE hearings SET organisations = '[]' WHERE organisations IS NULL"))
    with op.batch_alter_table("hearings") as batch:
        for name, _type in reversed(_HEARING_COLUMNS):
            batch.drop_column(name)
        batch.alter_column("organisations", existing_type=json_column(), nullable=False)
