"""The workspace's tables, in SQLAlchemy Core: the head revision of the migrations.

One table per collection, with a real column for each scalar field (dates as
DATE, money as NUMERIC, references and vocabularies as text) and JSON for
lists and mappings. A column is nullable exactly when its field has a default:
NULL means "the default", as an absent key does in a dataset file.
Every record row also has ``position`` (its place in the dataset, so a load
then a dump gives back the file's order), ``version`` (optimistic
concurrency) and creation and update times.

A test checks that these tables match both the attrs records and the
migrated database; change them only together with a new migration.
"""

from __future__ import annotations

from typing import Any, Final

import sqlalchemy as sa

from jarjesto_core.workspace.types import Amount, UTCDateTime, json_column

__all__ = [
    "AUDIT_ACTIONS",
    "COLLECTION_TABLES",
    "ROLES",
    "api_tokens",
    "audit_log",
    "login_attempts",
    "meta",
    "metadata",
    "users",
    "web_sessions",
]

metadata: Final = sa.MetaData()


def _record_table(name: str, *columns: sa.Column[Any]) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.String(), primary_key=True),
        *columns,
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def _required(name: str, type_: sa.types.TypeEngine[Any]) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=False)


def _optional(name: str, type_: sa.types.TypeEngine[Any]) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=True)


organisations: Final = _record_table(
    "organisations",
    _required("name", json_column()),
    _required("languages", json_column()),
    _required("scope", sa.String()),
    _required("municipalities", json_column()),
    _optional("business_id", sa.String()),
    _optional("register_number", sa.String()),
    _optional("fields", json_column()),
    _optional("members", sa.BigInteger()),
    _optional("volunteers", sa.BigInteger()),
    _optional("founded", sa.Date()),
    _optional("dissolved", sa.Date()),
)

services: Final = _record_table(
    "services",
    sa.Column(
        "organisation",
        sa.String(),
        sa.ForeignKey("organisations.id", name="fk_services_organisation"),
        nullable=False,
        index=True,
    ),
    _required("name", json_column()),
    _required("kind", sa.String()),
    _optional("municipalities", json_column()),
    _optional("languages", json_column()),
    _optional("in_service_path", sa.Boolean()),
    _optional("participants_per_year", sa.BigInteger()),
    _optional("location", sa.String()),
)

agreements: Final = _record_table(
    "agreements",
    _required("kind", sa.String()),
    _required("party", sa.String()),
    sa.Column(
        "organisation",
        sa.String(),
        sa.ForeignKey("organisations.id", name="fk_agreements_organisation"),
        nullable=False,
        index=True,
    ),
    _required("start", sa.Date()),
    _optional("services", json_column()),
    _optional("decided", sa.Date()),
    _optional("end", sa.Date()),
    _optional("annual_amount_eur", Amount()),
    _optional("premises_terms", sa.String()),
    _optional("lots", sa.Boolean()),
)

responsibilities: Final = _record_table(
    "responsibilities",
    _required("municipality", sa.String()),
    _required("area", sa.String()),
    _required("start", sa.Date()),
    _required("assignments", json_column()),
    _optional("end", sa.Date()),
)

structures: Final = _record_table(
    "structures",
    _required("kind", sa.String()),
    _required("party", sa.String()),
    _required("name", json_column()),
    _optional("members", json_column()),
    _optional("meetings", json_column()),
    _optional("established", sa.Date()),
    _optional("dissolved", sa.Date()),
)

coordinators: Final = _record_table(
    "coordinators",
    _required("party", sa.String()),
    _required("title", sa.String()),
    _required("start", sa.Date()),
    _optional("covers_organisations", sa.Boolean()),
    _optional("end", sa.Date()),
)

hearings: Final = _record_table(
    "hearings",
    _required("party", sa.String()),
    _required("date", sa.Date()),
    _required("topic", sa.String()),
    _optional("organisations", json_column()),
    _optional("structures", json_column()),
    _optional("languages", json_column()),
    _optional("decision", sa.String()),
    _optional("decision_date", sa.Date()),
    _optional("deadline", sa.Date()),
    _optional("statements", sa.BigInteger()),
    _optional("response_published", sa.Boolean()),
    _optional("changes", sa.String()),
    _optional("residents", sa.Boolean()),
)

commitments: Final = _record_table(
    "commitments",
    _required("party", sa.String()),
    _required("document", sa.String()),
    _required("start", sa.Date()),
    _required("topics", json_column()),
    _optional("decided", sa.Date()),
    _optional("end", sa.Date()),
)

welfare_reports: Final = _record_table(
    "welfare_reports",
    _required("party", sa.String()),
    _required("kind", sa.String()),
    _required("start", sa.Date()),
    _optional("end", sa.Date()),
    _optional("decided", sa.Date()),
    _optional("organisations_heard", sa.Boolean()),
    _optional("includes_organisations", sa.Boolean()),
    _optional("indicators", sa.String()),
)

appropriations: Final = _record_table(
    "appropriations",
    _required("party", sa.String()),
    _required("year", sa.Integer()),
    _required("line", sa.String()),
    _required("amount_eur", Amount()),
    _optional("hyte", sa.Boolean()),
    _optional("grants_reserved_eur", Amount()),
)

coverage: Final = _record_table(
    "coverage",
    _required("collections", json_column()),
    _required("parties", json_column()),
    _required("start", sa.Date()),
    _required("end", sa.Date()),
    _optional("members", sa.Boolean()),
    _optional("source", sa.String()),
)

joint_authorities: Final = _record_table(
    "joint_authorities",
    _required("name", json_column()),
    _required("members", json_column()),
    _required("start", sa.Date()),
    _required("organises", json_column()),
    _optional("end", sa.Date()),
)

funders: Final = _record_table(
    "funders",
    _required("name", json_column()),
    _required("kind", sa.String()),
    _optional("business_id", sa.String()),
)

#: Each collection's table, in the dataset's collection order (parents first).
COLLECTION_TABLES: Final[dict[str, sa.Table]] = {
    "organisations": organisations,
    "services": services,
    "agreements": agreements,
    "responsibilities": responsibilities,
    "structures": structures,
    "coordinators": coordinators,
    "hearings": hearings,
    "commitments": commitments,
    "welfare_reports": welfare_reports,
    "appropriations": appropriations,
    "coverage": coverage,
    "joint_authorities": joint_authorities,
    "funders": funders,
}

#: The dataset's own name and description (key ``name`` / ``description``).
meta: Final = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(), primary_key=True),
    sa.Column("value", json_column(), nullable=True),
)

#: insert/update/delete by one record's change; load by ``workspace load``.
AUDIT_ACTIONS: Final = ("insert", "update", "delete", "load")

audit_log: Final = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("at", UTCDateTime(), nullable=False, index=True),
    sa.Column("actor", sa.String(), nullable=False),
    sa.Column("action", sa.String(), nullable=False),
    sa.Column("collection", sa.String(), nullable=True),
    sa.Column("record_id", sa.String(), nullable=True),
    sa.Column("before", json_column(), nullable=True),
    sa.Column("after", json_column(), nullable=True),
    sa.Index("ix_audit_log_record", "collection", "record_id"),
)

#: Who may do what in the web UI: read, change records, manage users.
ROLES: Final = ("viewer", "editor", "admin")

#: The web UI's users; the password is kept only as an Argon2id hash.
users: Final = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(), primary_key=True),
    sa.Column("role", sa.String(), nullable=False),
    sa.Column("password_hash", sa.String(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

#: API tokens for writes: only a SHA-256 digest of each (random, high-entropy) token is kept.
api_tokens: Final = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("digest", sa.String(), primary_key=True),
    sa.Column(
        "user_name",
        sa.String(),
        sa.ForeignKey("users.name", name="fk_api_tokens_user", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

#: Login attempts counted against the limit, per key (``address:…``, ``account:…``):
#: in the workspace so that every server process sees them and counts atomically.
login_attempts: Final = sa.Table(
    "login_attempts",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(), nullable=False, index=True),
    sa.Column("at", sa.Float(), nullable=False, index=True),
)

#: Web sessions: the cookie holds a random token, the workspace its SHA-256 digest, so
#: that logging out (or removing the user) ends the session on the server too.
web_sessions: Final = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("digest", sa.String(), primary_key=True),
    sa.Column(
        "user_name",
        sa.String(),
        sa.ForeignKey("users.name", name="fk_web_sessions_user", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)
