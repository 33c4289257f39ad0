"""The first workspace schema: one table per collection, the dataset's meta and the audit log.

Revision ID: 0001
Revises:
Create Date: 2025-06-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from jarjesto_core.workspace.types import Amount, UTCDateTime, json_column

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _record_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.String(), primary_key=True)


def upgrade() -> None:
    op.create_table(
        "organisations",
        _id(),
        sa.Column("name", json_column(), nullable=False),
        sa.Column("languages", json_column(), nullable=False),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("municipalities", json_column(), nullable=False),
        sa.Column("business_id", sa.String(), nullable=True),
        sa.Column("register_number", sa.String(), nullable=True),
        sa.Column("fields", json_column(), nullable=True),
        sa.Column("members", sa.BigInteger(), nullable=True),
        sa.Column("volunteers", sa.BigInteger(), nullable=True),
        sa.Column("founded", sa.Date(), nullable=True),
        sa.Column("dissolved", sa.Date(), nullable=True),
        *_record_columns(),
    )
    op.create_table(
        "services",
        _id(),
        sa.Column(
            "organisation",
            sa.String(),
            sa.ForeignKey("organisations.id", name="fk_services_organisation"),
            nullable=False,
        ),
        sa.Column("name", json_column(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("municipalities", json_column(), nullable=True),
        sa.Column("languages", json_column(), nullable=True),
        sa.Column("in_service_path", sa.Boolean(), nullable=True),
        sa.Column("participants_per_year", sa.BigInteger(), nullable=True),
        *_record_columns(),
    )
    op.create_table(
        "agreements",
        _id(),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column(
            "organisation",
            sa.String(),
            sa.ForeignKey("organisations.id", name="fk_agreements_organisation"),
            nullable=False,
        ),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("services", json_column(), nullable=True),
        sa.Column("decided", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("annual_amount_eur", Amount(), nullable=True),
        sa.Column("premises_terms", sa.String(), nullable=True),
        sa.Column("lots", sa.Boolean(), nullable=True),
        *_record_columns(),
    )
    op.create_table(
        "responsibilities",
        _id(),
        sa.Column("municipality", sa.String(), nullable=False),
        sa.Column("area", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("assignments", json_column(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        *_record_columns(),
    )
    op.create_table(
        "structures",
        _id(),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("name", json_column(), nullable=False),
        sa.Column("members", json_column(), nullable=True),
        sa.Column("meetings", json_column(), nullable=True),
        sa.Column("established", sa.Date(), nullable=True),
        sa.Column("dissolved", sa.Date(), nullable=True),
        *_record_columns(),
    )
    op.create_table(
        "coordinators",
        _id(),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("covers_organisations", sa.Boolean(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        *_record_columns(),
    )
    op.create_table(
        "hearings",
        _id(),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.Column("organisations", json_column(), nullable=False),
        sa.Column("languages", json_column(), nullable=True),
        *_record_columns(),
    )
    op.create_table(
        "commitments",
        _id(),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("document", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("topics", json_column(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        *_record_columns(),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", json_column(), nullable=True),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("collection", sa.String(), nullable=True),
        sa.Column("record_id", sa.String(), nullable=True),
        sa.Column("before", json_column(), nullable=True),
        sa.Column("after", json_column(), nullable=True),
    )


def downgrade() -> None:
    for table in (
        "audit_log",
        "meta",
        "commitments",
        "hearings",
        "coordinators",
        "structures",
        "responsibilities",
        "agreements",
        "services",
        "organisations",
    ):
        op.drop_table(table)
