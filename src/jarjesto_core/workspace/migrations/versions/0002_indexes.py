"""Index the audit log and the organisation references.

``jarjesto log --record ID`` and ``--since DATE`` scanned the whole audit
log, which grows with every change; and deleting an organisation made both
SQLite and PostgreSQL scan services and agreements to check the foreign keys.

Revision ID: 0002
Revises: 0001
Create Date: 2025-06-02
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_log_record", "audit_log", ["collection", "record_id"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_services_organisation", "services", ["organisation"])
    op.create_index("ix_agreements_organisation", "agreements", ["organisation"])


def downgrade() -> None:
    op.drop_index("ix_agreements_organisation", table_name="agreements")
    op.drop_index("ix_services_organisation", table_name="services")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_index("ix_audit_log_record", table_name="audit_log")
