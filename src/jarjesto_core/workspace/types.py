"""Column types that keep values exact on both backends.

They are imported by the migrations too, so change them only with a migration.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

__all__ = ["Amount", "UTCDateTime", "json_column"]


class Amount(sa.types.TypeDecorator[Decimal]):
    """Money as NUMERIC on PostgreSQL and as exact decimal text on SQLite.

    SQLite has no decimal type: its NUMERIC would store ``1234.50`` as a
    float and give back ``1234.5``, so a dump would differ from the file loaded.
    """

    impl = sa.Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String())
        return dialect.type_descriptor(sa.Numeric(asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return str(value) if dialect.name == "sqlite" else Decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value))


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """A point in time, always given back as an aware UTC datetime.

    SQLite stores no time zone, so values are normalised to UTC on the way in.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def json_column() -> sa.JSON:
    """JSON where Python None is SQL NULL (the field's default), not the JSON ``null``."""
    return sa.JSON(none_as_null=True)
