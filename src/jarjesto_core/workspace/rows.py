"""Records to rows and rows to records in bulk: the workspace's paths at national scale.

A national dataset is a million values. Through SQLAlchemy's per-row
statement machinery and the dataset format's general cattrs structuring,
writing and reading one took many times what the database itself needs
(figures in ``docs/performance.md``). So each collection gets, once per dialect, a plain
function per column, and rows go to the driver in chunks (``executemany``
on SQLite, ``COPY`` on PostgreSQL):

- writing, a row is built from the record's dataset-file form (the same dict
  the audit log keeps, so a record is unstructured once), through the
  dialect's own bind processors, and sent as a tuple;
- reading, SQLAlchemy's result processing gives dates, decimals and parsed
  JSON, and a decoder per column checks each value's exact type and builds
  the record. Anything it is not sure of (a row written by hand, or by an
  older, laxer jarjesto) raises :class:`Unsure`, and the caller reads that
  row with the strict converter instead, which accepts or reports exactly as
  a dataset file's loader would. The fast path only ever accepts what the
  strict path accepts, and builds the same record (a test holds them equal).
"""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, Final, Union, get_args, get_origin, get_type_hints

import attrs
import sqlalchemy as sa

from jarjesto_core.model import COLLECTIONS, Name, PartyRef
from jarjesto_core.perf import shared_date, shared_text
from jarjesto_core.workspace.schema import COLLECTION_TABLES
from jarjesto_core.workspace.types import Amount

__all__ = [
    "CHUNK",
    "RecordDecoder",
    "RowEncoder",
    "Unsure",
    "bind",
    "chunked",
    "copy_sql",
    "insert_sql",
    "record_decoder",
    "row_encoder",
]

#: Rows per ``executemany``: large enough that the per-call cost vanishes,
#: small enough that a national load never holds more than this many rows.
CHUNK: Final = 5000

_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_AMOUNT: Final = re.compile(r"-?\d+(\.\d+)?")
_NAME_KEYS: Final = frozenset({"fi", "sv", "en"})


class Unsure(Exception):
    """A stored value the fast path does not vouch for: read the row strictly."""


def chunked(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """``items`` in lists of at most ``size``, so that only one list is alive at a time."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- reading ----------------------------------------------------------------------


def _exact(kind: type) -> Callable[[Any], Any]:
    """The value itself when it is exactly ``kind`` (so no bool passes as an int)."""

    def decode(value: Any) -> Any:
        if type(value) is not kind:
            raise Unsure
        return value

    return decode


def _text(value: Any) -> str:
    # Shared: identifiers and codes repeat across a dataset (see shared_text).
    if type(value) is not str:
        raise Unsure
    return shared_text(value)


def _date(value: Any) -> dt.date:
    # The driver makes a date object per row; one per distinct date is kept.
    if type(value) is not dt.date:
        raise Unsure
    return shared_date(value)


def _amount(value: Any) -> Decimal:
    # The dataset format writes amounts in plain notation only; "1E+1" is read strictly.
    if type(value) is not Decimal or not _AMOUNT.fullmatch(str(value)):
        raise Unsure
    return value


def _iso_date(value: Any) -> dt.date:
    if type(value) is not str or not _DATE.fullmatch(value):
        raise Unsure
    try:
        return shared_date(dt.date.fromisoformat(value))
    except ValueError:
        raise Unsure from None


def _name(value: Any) -> Name:
    if type(value) is not dict or not value or not _NAME_KEYS.issuperset(value):
        raise Unsure
    for text in value.values():
        if type(text) is not str or not text.strip():
            raise Unsure
    return Name(**value)


def _member(enum_cls: type[Enum]) -> Callable[[Any], Any]:
    members = {member.value: member for member in enum_cls}

    def decode(value: Any) -> Any:
        if type(value) is not str or value not in members:
            raise Unsure
        return members[value]

    return decode


def _party() -> Callable[[Any], PartyRef]:
    # A national dataset names a few hundred bodies in a million places:
    # parse each once and share the (frozen) reference.
    parsed: dict[str, PartyRef] = {}

    def decode(value: Any) -> PartyRef:
        found = parsed.get(value) if type(value) is str else None
        if found is None:
            try:
                found = PartyRef.parse(value)
            except ValueError:
                raise Unsure from None
            parsed[value] = found
        return found

    return decode


def _decoder(type_: Any, *, in_json: bool = False) -> Callable[[Any], Any]:
    """The decoder of one value of ``type_``, as a column gives it or inside a JSON column."""
    origin, args = get_origin(type_), get_args(type_)
    if origin in (Union, types.UnionType) and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        return _decoder(inner, in_json=in_json)
    if type_ is dt.date:
        return _iso_date if in_json else _date
    if (
        in_json
        and type_ is not str
        and type_ is not PartyRef  # a coverage record's parties: text in JSON too
        and not (isinstance(type_, type) and issubclass(type_, Enum))
    ):
        raise TypeError(f"no decoder for {type_!r} inside a JSON column")
    if type_ is str:
        return _text
    if type_ in (int, bool):
        return _exact(type_)
    if type_ is Decimal:
        return _amount
    if isinstance(type_, type) and issubclass(type_, Enum):
        return _member(type_)
    if type_ is PartyRef:
        return _party()
    if type_ is Name:
        return _name
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0], in_json=True)

        def decode_list(value: Any) -> tuple[Any, ...]:
            if type(value) is not list:
                raise Unsure
            return tuple([item(v) for v in value])

        return decode_list
    if origin in (Mapping, dict) and args[0] is str:
        item = _decoder(args[1], in_json=True)

        def decode_mapping(value: Any) -> dict[str, Any]:
            if type(value) is not dict:
                raise Unsure
            result = {}
            for key, v in value.items():
                if type(key) is not str:
                    raise Unsure
                result[key] = item(v)
            return result

        return decode_mapping
    raise TypeError(f"no column decoder for {type_!r}")


def _compile(cls: type, fields: Sequence[str], decoders: Sequence[Any]) -> Callable[..., object]:
    """One function per collection that decodes a row without a loop over its columns.

    Generated, as attrs and cattrs generate ``__init__`` and structuring
    functions: a fifth less time than a loop over the columns, on the hottest
    path there is.
    A text column is checked and shared inline; every other column calls its decoder.
    """
    lines = [f"def decode({', '.join(f'v{i}' for i in range(len(fields)))}, *rest):"]
    lines.append("    kwargs = {}")
    for index, (name, decoder) in enumerate(zip(fields, decoders, strict=True)):
        lines.append(f"    if v{index} is not None:")
        if decoder is _text:
            lines.append(f"        if type(v{index}) is not str: raise Unsure")
            lines.append(f"        kwargs[{name!r}] = intern(v{index})")
        else:
            lines.append(f"        kwargs[{name!r}] = d{index}(v{index})")
    lines.append("    try:")
    lines.append("        return cls(**kwargs)")
    lines.append("    except (TypeError, ValueError):")
    lines.append("        raise Unsure from None")
    namespace: dict[str, Any] = {"cls": cls, "Unsure": Unsure, "intern": shared_text}
    namespace.update({f"d{i}": decoder for i, decoder in enumerate(decoders)})
    exec(compile("\n".join(lines), f"<jarjesto row decoder {cls.__name__}>", "exec"), namespace)
    function: Callable[..., object] = namespace["decode"]
    return function


@attrs.frozen
class RecordDecoder:
    """Builds one collection's records from rows of :attr:`columns`, fast or not at all."""

    cls: type
    #: The record's fields, in the order the row gives them.
    fields: tuple[str, ...]
    decoders: tuple[Callable[[Any], Any], ...]
    _decode: Callable[..., object] = attrs.field(init=False)

    @_decode.default
    def _compiled(self) -> Callable[..., object]:
        return _compile(self.cls, self.fields, self.decoders)

    def columns(self, table: sa.Table) -> list[sa.Column[Any]]:
        return [table.c[name] for name in self.fields]

    def __call__(self, row: Sequence[Any]) -> object:
        """The record of ``row``'s first ``len(fields)`` values; :class:`Unsure` when unsure."""
        return self._decode(*row)


def record_decoder(collection: str) -> RecordDecoder:
    """A fresh decoder (its parsed-party memo lives as long as one read)."""
    cls = COLLECTIONS[collection]
    hints = get_type_hints(cls)
    names = tuple(field.name for field in attrs.fields(cls))
    return RecordDecoder(cls, names, tuple(_decoder(hints[name]) for name in names))


# -- writing ----------------------------------------------------------------------


def _column_encoder(column: sa.Column[Any], dialect: sa.Dialect) -> Callable[[Any], Any] | None:
    """From a dataset-file value (ISO date text, decimal text, lists) to what the driver takes."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if isinstance(column.type, sa.Date):
        if process is not None and all(
            process(day) == day.isoformat() for day in (dt.date(999, 1, 2), dt.date(2024, 11, 30))
        ):
            return None  # SQLite keeps a date as its ISO text: the file's form already
        if process is None:
            return dt.date.fromisoformat
        to_driver = process
        return lambda value: to_driver(dt.date.fromisoformat(value))
    if isinstance(column.type, Amount):
        assert process is not None
        to_text = process
        return lambda value: to_text(Decimal(value))
    return process


@attrs.frozen
class RowEncoder:
    """One table's statements and per-column encoders for one dialect."""

    #: The record's fields, in the order of the statements' placeholders.
    fields: tuple[str, ...]
    encoders: tuple[Callable[[Any], Any] | None, ...]
    insert_sql: str
    update_sql: str
    move_sql: str
    delete_sql: str
    #: The columns whose values need encoding, with their encoders (most need none).
    encoded: tuple[tuple[int, Callable[[Any], Any]], ...] = attrs.field(init=False)

    def values(self, plain: Mapping[str, Any]) -> list[Any]:
        """The record's column values from its dataset-file form (absent: NULL)."""
        get = plain.get
        result = [get(name) for name in self.fields]
        for index, encode in self.encoded:
            value = result[index]
            if value is not None:
                result[index] = encode(value)
        return result

    @encoded.default
    def _only_encoded(self) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
        return tuple((i, e) for i, e in enumerate(self.encoders) if e is not None)


def _placeholder(dialect: sa.Dialect) -> str:
    if dialect.paramstyle == "qmark":
        return "?"
    if dialect.paramstyle in ("format", "pyformat"):
        return "%s"
    raise NotImplementedError(f"no bulk statements for the {dialect.paramstyle} paramstyle")


def insert_sql(table: sa.Table, columns: Sequence[str], dialect: sa.Dialect) -> str:
    """``INSERT`` of ``columns`` with the driver's own placeholders, for ``executemany``."""
    quote = dialect.identifier_preparer.quote
    mark = _placeholder(dialect)
    return (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})"
    )


def copy_sql(sql: str) -> str:
    """PostgreSQL's ``COPY ... FROM STDIN`` of the table and columns of an :func:`insert_sql`."""
    head, _ = sql.rsplit(" VALUES ", 1)
    return f"COPY {head.removeprefix('INSERT INTO ')} FROM STDIN"


def row_encoder(collection: str, dialect: sa.Dialect) -> RowEncoder:
    """The statements and encoders of ``collection``'s table for ``dialect``."""
    table = COLLECTION_TABLES[collection]
    quote = dialect.identifier_preparer.quote
    mark = _placeholder(dialect)
    fields = tuple(field.name for field in attrs.fields(COLLECTIONS[collection]))
    name = quote(table.name)
    update_columns = [*fields[1:], "position", "version", "updated_at"]
    update_sql = (
        f"UPDATE {name} SET {', '.join(f'{quote(c)} = {mark}' for c in update_columns)} "
        f"WHERE {quote('id')} = {mark}"
    )
    return RowEncoder(
        fields=fields,
        encoders=tuple(_column_encoder(table.c[f], dialect) for f in fields),
        insert_sql=insert_sql(
            table, [*fields, "position", "version", "created_at", "updated_at"], dialect
        ),
        update_sql=update_sql,
        move_sql=f"UPDATE {name} SET {quote('position')} = {mark} WHERE {quote('id')} = {mark}",
        delete_sql=f"DELETE FROM {name} WHERE {quote('id')} = {mark}",
    )


def bind(column: sa.Column[Any], dialect: sa.Dialect, value: Any) -> Any:
    """One value as the driver takes it, through the column type's own processing."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return value if process is None or value is None else process(value)
