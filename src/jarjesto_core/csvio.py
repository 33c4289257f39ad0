"""CSV as Finnish users have it: the spreadsheet edge of a dataset.

Excel in Finland saves ``;``-separated files, in Windows-1252 or UTF-8 with a
BOM, with dates like ``31.1.2024``, amounts like ``1 234,50`` (a no-break
space between thousands) and municipalities by name. This module turns such a
file into records of one collection, through the same cattrs converter as
the JSON format, and reports every problem at once with its file, row (the
header is row 1), column and value. Pure functions over bytes and text; the
caller reads and writes files.

Columns are the field names of ``spec/domain.md``, except that a name is
three columns ``name_fi``, ``name_sv``, ``name_en``. Cells that hold lists
separate items with commas; ``assignments`` is written
``clubhouse=area, peer_support=shared``. A ``party`` is ``municipality:167``,
``area:14``, ``joint:ID``, ``funder:ID``, or the Finnish or Swedish name of a
municipality (``Malax``) or wellbeing area (``Pohjois-Karjala``), or the name
of one of the dataset's joint authorities (``Siun sote``) or funders (``STEA``);
a name is looked up as a municipality first. Municipalities are codes or
Finnish or Swedish names.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import functools
import io
import re
import typing
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import attrs
from attrs import frozen
from cattrs.errors import ClassValidationError

from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_
from jarjesto_core.model import COLLECTIONS, Dataset, Domain, Name, PartyRef
from jarjesto_core.reference import Reference, bundled_reference, fold
from jarjesto_core.serialise import (
    INT_MAX,
    FieldError,
    _leaf_problems,
    structure_record,
    unstructure_record,
)
from jarjesto_core.text import neutralise_formula, restore_formula
from jarjesto_core.validation import validate

__all__ = [
    "Imported",
    "Rows",
    "cells_from_record",
    "columns",
    "decode_csv",
    "detect_delimiter",
    "import_csv",
    "parse_amount",
    "parse_bool",
    "parse_date",
    "parse_int",
    "party_names",
    "read_csv",
    "record_from_cells",
    "write_csv",
]

NAME_COLUMNS: Final = ("name_fi", "name_sv", "name_en")

# Every space a spreadsheet puts between thousands: space, no-break space,
# narrow no-break space (Babel's Finnish format), thin space.
_SPACES: Final = re.compile(r"[ \u00a0\u202f\u2009]")
_GROUPED: Final = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+\Z")
_MINUS: Final = ("-", "\u2212")
#: 360.615 or 1.234,50: a dot or comma before three digits may group thousands.
_AMBIGUOUS: Final = re.compile(r"\d[.,]\d{3}(?:\D|$)")
#: A currency after an amount: 14 750 €, 14 750 EUR, 14 750 euroa.
_CURRENCY: Final = re.compile(r"\s*(?:€|eur|euroa|euro|e)\.?$", re.IGNORECASE)
_ISO_DATE: Final = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\Z")
_FI_DATE: Final = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\Z")

#: Digits of the largest whole number a workspace holds (INT_MAX has 19).
_INT_DIGITS: Final = len(str(INT_MAX))
#: Characters of an amount: the workspace keeps 18 digits before the point and 2 after.
_AMOUNT_CHARS: Final = 40

_TRUE: Final = frozenset(
    {"true", "1", "kyllä", "kylla", "k", "ja", "j", "yes", "y", "tosi", "sant"}
)
_FALSE: Final = frozenset({"false", "0", "ei", "e", "nej", "n", "no", "epätosi", "falskt"})


# -- cells ---------------------------------------------------------------------


def parse_date(text: str) -> str:
    """``2024-01-31`` or ``31.1.2024`` as ISO text."""
    value = text.strip()
    match = _ISO_DATE.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _FI_DATE.match(value)
        if not match:
            raise FieldError(
                N_("%(value)s is not a date: write 2024-01-31 or 31.1.2024"), value=repr(text)
            )
        day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise FieldError(N_("%(value)s is not a real date"), value=repr(text)) from None


def _number(text: str, *, decimals: bool) -> str:
    """Digits with an optional sign and fraction; thousands separated by spaces or not."""
    value = text.strip()
    if decimals:
        value = _CURRENCY.sub("", value).strip()
    sign = ""
    if value[:1] in _MINUS:
        sign, value = "-", value[1:].lstrip()
    whole, sep, fraction = value.replace(",", ".").partition(".") if decimals else (value, "", "")
    if decimals and "," in value and "." in value:
        return ""
    if _SPACES.search(whole):
        if not _GROUPED.match(whole):
            return ""
        whole = _SPACES.sub("", whole)
    if not whole.isascii() or not whole.isdigit():
        return ""
    if sep and (not fraction.isascii() or not fraction.isdigit()):
        return ""
    if decimals and len(fraction) == 3:
        # 360.615 is Turku's way of writing 360 615 €: cents have two digits.
        return ""
    return f"{sign}{whole}{sep}{fraction}"


def parse_amount(text: str) -> str:
    """``1234.50``, ``1234,50``, ``1 234,50`` (any no-break space), ``1 234,50 €`` as
    a canonical decimal string; ``14 750 euroa`` and ``EUR`` too. ``1.234,50`` and
    ``360.615`` (three decimals: a dot between thousands?) are refused as ambiguous."""
    number = _number(text, decimals=True)
    if len(number) > _AMOUNT_CHARS:
        raise FieldError(
            N_("%(value)s is not an amount: it has too many digits"),
            value=repr(text) if len(text) <= 40 else repr(text[:40] + "…"),
        )
    if not number and _AMBIGUOUS.search(text):
        raise FieldError(
            N_(
                "%(value)s is ambiguous: a dot or comma before three digits may separate "
                "thousands or decimals; write 360615, 360 615 or 360615,00"
            ),
            value=repr(text),
        )
    if not number:
        raise FieldError(
            N_("%(value)s is not an amount: write 1234.50 or 1 234,50"), value=repr(text)
        )
    return str(Decimal(number))


def parse_int(text: str) -> int:
    """A whole number, thousands optionally separated by spaces (``12 000``)."""
    number = _number(text, decimals=False)
    if not number:
        raise FieldError(N_("%(value)s is not a whole number"), value=repr(text))
    if len(number.lstrip("-")) > _INT_DIGITS:  # int() refuses 4,300 digits; no column holds 20
        raise FieldError(
            N_("%(value)s is too large: a whole number here is at most %(limit)s"),
            value=repr(text) if len(text) <= 40 else repr(text[:40] + "…"),
            limit=INT_MAX,
        )
    return int(number)


def parse_bool(text: str) -> bool:
    """``true``/``false``, ``kyllä``/``ei``, ``ja``/``nej``, ``1``/``0`` (and Excel's
    ``TOSI``/``EPÄTOSI``, ``SANT``/``FALSKT``), in any case."""
    value = text.strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise FieldError(
        N_("%(value)s is not yes or no: write true/false, kyllä/ei, ja/nej or 1/0"),
        value=repr(text),
    )


def _items(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _years(reference: Reference, year: int | None) -> list[int]:
    """The record's own year first, then the other classifications, newest first."""
    others = sorted(reference.years, reverse=True)
    if year is None:
        return others
    first = reference.classification_year(year)
    return [first, *(y for y in others if y != first)]


def _municipality(text: str, reference: Reference, year: int | None) -> str:
    value = text.strip()
    if value.isdigit() and len(value) <= 3:
        # A code is kept as written; whether it exists is validation's question.
        return value.zfill(3)
    for candidate in _years(reference, year):
        found = reference.find_municipality(value, candidate)
        if found is not None:
            return found.code
    raise FieldError(N_("no municipality is called or numbered %(value)s"), value=repr(text))


def _area(text: str, reference: Reference) -> str:
    value = text.strip()
    if value.isdigit() and len(value) <= 2:
        return value.zfill(2)
    found = reference.find_area(value)
    if found is None:
        raise FieldError(N_("no wellbeing area is called or numbered %(value)s"), value=repr(text))
    return found.code


def party_names(dataset: Dataset) -> dict[str, str]:
    """The dataset's joint authorities and funders by folded name (and id), as references.

    Whoever types a party may write ``Siun sote`` or ``STEA``; the reference is stored.
    """
    names: dict[str, str] = {}
    for kind, records in (("joint", dataset.joint_authorities), ("funder", dataset.funders)):
        for record in records:
            ref = f"{kind}:{record.id}"
            for text in record.name.as_dict().values():
                names.setdefault(fold(text), ref)
            names.setdefault(fold(record.id), ref)
    return names


def _party(
    text: str, reference: Reference, year: int | None, named: Mapping[str, str] | None = None
) -> str:
    value = text.strip()
    if ":" in value:
        kind, _, code = value.partition(":")
        kind, code = kind.strip(), code.strip()
        if kind in ("municipality", "area") and code.isdigit():
            # A code of the wrong width (municipality:8) falls through to the error below.
            with contextlib.suppress(ValueError):
                return str(PartyRef.parse(f"{kind}:{code}"))
        elif kind in ("joint", "funder"):
            # Whether the record exists is validation's question, as for codes.
            with contextlib.suppress(ValueError):
                return str(PartyRef.parse(f"{kind}:{code}"))
    elif not value.isdigit():
        for candidate in _years(reference, year):
            found = reference.find_municipality(value, candidate)
            if found is not None:
                return str(found.party)
        own = (named or {}).get(fold(value))
        if own is not None:
            return own
        area = reference.find_area(value)
        if area is not None:
            return str(area.party)
    raise FieldError(
        N_(
            "%(value)s is not a party: write municipality:CODE, area:CODE, joint:ID, "
            "funder:ID or the name of a municipality, wellbeing area, joint authority "
            "or funder"
        ),
        value=repr(text),
    )


def _assignments(text: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in _items(text):
        kind, sep, party = item.partition("=")
        if not sep or not kind.strip() or not party.strip():
            raise FieldError(
                N_(
                    "%(value)s is not a list of assignments: write "
                    "clubhouse=area, peer_support=shared"
                ),
                value=repr(text),
            )
        result[kind.strip()] = party.strip()
    return result


# -- columns -------------------------------------------------------------------

#: How a cell turns into the JSON value the converter structures.
_Kind = str
_YEAR_FIELDS: Final = ("start", "date", "founded", "established", "decided")


def _kind(collection: str, name: str, hint: Any) -> _Kind:
    if name == "municipalities" or (collection == "joint_authorities" and name == "members"):
        return "municipalities"
    if collection == "coverage" and name == "parties":
        return "parties"
    if collection == "services" and name == "location":
        return "location"
    if collection == "responsibilities" and name in ("municipality", "area"):
        return name
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) not in (None, tuple) and len(args) == 1:  # X | None
        hint = args[0]
    origin = typing.get_origin(hint)
    if origin is tuple:
        return "dates" if typing.get_args(hint)[0] is dt.date else "list"
    if origin is not None:  # Mapping[str, ResponsibleParty]
        return "assignments"
    table: dict[Any, _Kind] = {
        Name: "name",
        PartyRef: "party",
        dt.date: "date",
        Decimal: "amount",
        int: "int",
        bool: "bool",
    }
    return table.get(hint, "text")


@functools.cache
def _fields(collection: str) -> Mapping[str, _Kind]:
    """Read once per collection: resolving type hints costs more than decoding a row."""
    cls = COLLECTIONS[collection]
    hints = typing.get_type_hints(cls)
    return {a.name: _kind(collection, a.name, hints[a.name]) for a in attrs.fields(cls)}


def columns(collection: str) -> tuple[str, ...]:
    """The columns a collection's CSV has, in the order :func:`write_csv` writes them."""
    out: list[str] = []
    for name, kind in _fields(collection).items():
        out.extend(NAME_COLUMNS if kind == "name" else (name,))
    return tuple(out)


def _required(collection: str) -> set[str]:
    cls = COLLECTIONS[collection]
    return {a.name for a in attrs.fields(cls) if a.default is attrs.NOTHING}


# -- decoding ------------------------------------------------------------------


def decode_csv(data: bytes, *, file: str, encoding: str | None = None) -> str:
    """UTF-8 (a BOM is dropped) or, when that fails, Windows-1252; or ``encoding``.

    A file that is UTF-8 on some rows and Windows-1252 on others (rows pasted
    from another file) is refused naming the rows: decoded whole as
    Windows-1252, its UTF-8 rows would turn "Järjestö" into "JÃ¤rjestÃ¶" silently.
    """
    if encoding is not None:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            info = None
        if info is None or not getattr(info, "_is_text_encoding", True):
            raise DatasetError(
                [
                    Problem(
                        N_("%(encoding)s is not a text encoding: try utf-8 or cp1252"),
                        {"encoding": repr(encoding)},
                        file=file,
                    )
                ]
            )
        candidates = ["utf-8-sig" if info.name == "utf-8" else info.name]
    else:
        candidates = ["utf-8-sig", "cp1252"]
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError as exc:
            error = exc
            if candidate == "utf-8-sig" and encoding is None:
                _refuse_mixed(data, file)
            continue
        return text
    raise DatasetError(
        [
            Problem(
                N_(
                    "cannot read the file as %(encoding)s (byte %(value)s at offset "
                    "%(offset)s): save it as UTF-8 or give its encoding with --encoding"
                ),
                {
                    "encoding": encoding or "UTF-8 / Windows-1252",
                    "value": f"0x{data[error.start]:02x}",
                    "offset": error.start,
                },
                file=file,
            )
        ]
    )


def _refuse_mixed(data: bytes, file: str) -> None:
    """Refuse a file whose rows are partly UTF-8 (with non-ASCII text) and partly not.

    Called only when the whole file is not UTF-8. A row is a physical line
    here, which is the spreadsheet's row unless a cell holds a line break.
    """
    utf8_rows = False
    other: list[int] = []
    for number, line in enumerate(data.removeprefix(codecs.BOM_UTF8).split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
        else:
            utf8_rows = True
    if utf8_rows and other:
        raise DatasetError(
            [
                Problem(
                    N_(
                        "the row is not UTF-8 like the rest of the file (it looks like "
                        "Windows-1252): save the whole file in one encoding, preferably UTF-8"
                    ),
                    file=file,
                    row=number,
                )
                for number in other
            ]
        )


def detect_delimiter(text: str) -> str:
    """``;`` or ``,``: whichever separates the header row (column names hold neither)."""
    header = text.split("\n", 1)[0]
    unquoted = re.sub(r'"[^"]*"', "", header)
    return ";" if unquoted.count(";") > unquoted.count(",") else ","


# -- reading -------------------------------------------------------------------


@frozen
class Rows:
    """The records a CSV file gave, each with its row number (the header is row 1)."""

    collection: str
    file: str
    records: tuple[Any, ...]
    rows: tuple[int, ...]


def _header(
    collection: str, header: Sequence[str], file: str
) -> tuple[list[str | None], list[Problem]]:
    known = columns(collection)
    names: list[str | None] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    where: dict[str, Any] = {"file": file, "row": 1}
    for cell in header:
        name = cell.strip().lower()
        if not name:
            names.append(None)  # Excel's trailing empty columns
            continue
        if name not in known:
            problems.append(
                Problem(
                    N_("unknown column %(value)s: %(collection)s have the columns %(expected)s"),
                    {"value": repr(cell), "collection": collection, "expected": ", ".join(known)},
                    field=cell,
                    **where,
                )
            )
        elif name in seen:
            problems.append(
                Problem(N_("column %(value)s appears twice"), {"value": repr(cell)}, **where)
            )
        seen.add(name)
        names.append(name)
    for name in sorted(_required(collection)):
        wanted = NAME_COLUMNS if _fields(collection)[name] == "name" else (name,)
        if not seen.intersection(wanted):
            problems.append(
                Problem(
                    N_("required column %(value)s is missing"),
                    {"value": " / ".join(wanted)},
                    field=wanted[0],
                    **where,
                )
            )
    return names, problems


def _row_year(cells: Mapping[str, str]) -> int | None:
    for name in _YEAR_FIELDS:
        if cells.get(name):
            try:
                return int(parse_date(cells[name])[:4])
            except FieldError:
                return None
    return None


def _cell(
    kind: _Kind,
    text: str,
    reference: Reference,
    year: int | None,
    named: Mapping[str, str] | None = None,
) -> Any:
    text = restore_formula(text)  # what write_csv neutralised
    if kind == "date":
        return parse_date(text)
    if kind == "amount":
        return parse_amount(text)
    if kind == "int":
        return parse_int(text)
    if kind == "bool":
        return parse_bool(text)
    if kind == "list":
        return _items(text)
    if kind == "dates":
        return [parse_date(item) for item in _items(text)]
    if kind == "municipalities":
        return [_municipality(item, reference, year) for item in _items(text)]
    if kind == "municipality":
        return _municipality(text, reference, year)
    if kind == "area":
        return _area(text, reference)
    if kind == "party":
        return _party(text, reference, year, named)
    if kind == "parties":
        return [_party(item, reference, year, named) for item in _items(text)]
    if kind == "location":
        return _municipality(text, reference, year)
    if kind == "assignments":
        return _assignments(text)
    return text.strip()


def _record(
    collection: str,
    cells: Mapping[str, str],
    reference: Reference,
    where: Mapping[str, Any],
    named: Mapping[str, str] | None = None,
) -> tuple[Any, list[Problem]]:
    fields = _fields(collection)
    year = _row_year(cells)
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, kind in fields.items():
        if kind == "name":
            texts = {
                c[5:]: restore_formula(cells[c].strip())
                for c in NAME_COLUMNS
                if cells.get(c, "").strip()
            }
            if texts:
                data[name] = texts
            else:
                problems.append(
                    Problem(
                        N_("a name needs at least one of the columns name_fi, name_sv, name_en"),
                        field="name_fi",
                        **where,
                    )
                )
            continue
        text = cells.get(name, "")
        if not text.strip():
            continue
        try:
            data[name] = _cell(kind, text, reference, year, named)
        except FieldError as exc:
            problems.append(Problem(exc.message, exc.params, field=name, **where))
    failed = {p.field for p in problems} | (
        {"name"} if "name_fi" in {p.field for p in problems} else set()
    )
    try:
        record = structure_record(data, COLLECTIONS[collection])
    except (ClassValidationError, FieldError) as exc:
        # The path is the column's name; a field whose cell failed above is not
        # reported again as missing.
        for p in _leaf_problems(exc, where):
            column = (p.field or "").split("[")[0].split(".")[0] or None
            if column not in failed:
                problems.append(attrs.evolve(p, field=column))
        return None, problems
    except (TypeError, ValueError) as exc:
        problems.append(Problem(N_("invalid value: %(found)s"), {"found": str(exc)}, **where))
        return None, problems
    return (None, problems) if problems else (record, problems)


def _table(text: str, file: str) -> list[list[str]]:
    """The file's rows; a row the csv module cannot read is a problem named by its row."""
    table: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
    try:
        for row in reader:
            table.append(row)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            problem = Problem(
                N_("a cell is longer than %(limit)s characters"),
                {"limit": csv.field_size_limit()},
                file=file,
                row=len(table) + 1,
            )
        else:
            problem = Problem(
                N_("the row cannot be read as CSV: %(detail)s"),
                {"detail": str(exc)},
                file=file,
                row=len(table) + 1,
            )
        raise DatasetError([problem]) from None
    return table


def read_csv(
    collection: str,
    data: bytes,
    *,
    file: str,
    encoding: str | None = None,
    reference: Reference | None = None,
    taken: Collection[str] = (),
    progress: Callable[[int, int], None] | None = None,
    named: Mapping[str, str] | None = None,
) -> Rows:
    """Parse a collection's CSV file into records, or raise every problem at once.

    :param taken: ids already in the dataset; a row that reuses one is an error.
    :param named: joint authorities and funders by folded name (:func:`party_names`).
    :param progress: called with (rows done, rows in all) as rows are parsed.
    """
    rows, problems, _ = _read_rows(
        collection,
        data,
        file=file,
        encoding=encoding,
        reference=reference,
        taken=taken,
        progress=progress,
        named=named,
    )
    if problems:
        raise DatasetError(problems)
    return rows


def _read_rows(
    collection: str,
    data: bytes,
    *,
    file: str,
    encoding: str | None,
    reference: Reference | None,
    taken: Collection[str],
    progress: Callable[[int, int], None] | None,
    named: Mapping[str, str] | None = None,
) -> tuple[Rows, list[Problem], frozenset[str]]:
    """The rows that structured, the problems of the others, and the ids of those others.

    A problem of the whole file (its encoding, its header) is raised at once:
    no row can be read without it.
    """
    if collection not in COLLECTIONS:
        raise DatasetError(
            [
                Problem(
                    N_("unknown collection %(value)s: expected one of %(expected)s"),
                    {"value": repr(collection), "expected": ", ".join(COLLECTIONS)},
                    file=file,
                )
            ]
        )
    reference = reference or bundled_reference()
    text = decode_csv(data, file=file, encoding=encoding)
    table = _table(text, file)
    if not table or not any(c.strip() for c in table[0]):
        raise DatasetError(
            [Problem(N_("the file is empty: expected a header row"), file=file, row=1)]
        )
    names, problems = _header(collection, table[0], file)
    if problems:
        raise DatasetError(problems)
    records: list[Any] = []
    rows: list[int] = []
    ids: dict[str, int] = {}
    broken: set[str] = set()
    total = len(table) - 1
    for number, raw in enumerate(table[1:], start=2):
        if progress is not None:
            progress(number - 1, total)
        if not any(cell.strip() for cell in raw):
            continue
        where: dict[str, Any] = {"file": file, "row": number}
        extra = [c for c in raw[len(names) :] if c.strip()]
        if extra:
            problems.append(
                Problem(
                    N_("the row has %(found)s cells but the header has %(expected)s columns"),
                    {"found": len(raw), "expected": len(names)},
                    **where,
                )
            )
            continue
        cells = {n: c for n, c in zip(names, raw, strict=False) if n is not None}
        rid = cells.get("id", "").strip()
        clash = bool(rid and rid in ids) or rid in taken
        if rid and rid in ids:
            problems.append(
                Problem(
                    N_("id %(value)s is already used on row %(other)s"),
                    {"value": repr(rid), "other": ids[rid]},
                    field="id",
                    **where,
                )
            )
        elif rid in taken:
            problems.append(
                Problem(
                    N_("id %(value)s is already in the dataset"),
                    {"value": repr(rid)},
                    field="id",
                    **where,
                )
            )
        ids.setdefault(rid, number)
        record, found = _record(collection, cells, reference, where, named)
        if found or clash:  # a reused id is reported above; validation must not see it twice
            problems.extend(found)
            broken.add(rid)
        else:
            records.append(record)
            rows.append(number)
    return Rows(collection, file, tuple(records), tuple(rows)), problems, frozenset(broken)


@frozen
class Imported:
    """The dataset with the new records, and what was added (for ``--dry-run`` reports)."""

    dataset: Dataset
    added: Rows


def import_csv(
    dataset: Dataset,
    collection: str,
    data: bytes,
    *,
    file: str,
    encoding: str | None = None,
    reference: Reference | None = None,
    service_kinds: Mapping[str, Domain] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Imported:
    """Add a CSV file's records to ``dataset``, all or nothing.

    The new dataset is validated as a whole, so a row that refers to an
    unknown organisation fails here, named by its row, and nothing is added.
    Rows that could not be read do not stop the others from being checked:
    every problem of every row is reported at once, by row.
    """
    reference = reference or bundled_reference()
    existing = dataset.collection(collection) if collection in COLLECTIONS else ()
    rows, problems, broken = _read_rows(
        collection,
        data,
        file=file,
        encoding=encoding,
        reference=reference,
        taken=frozenset(getattr(r, "id", "") for r in existing),
        progress=progress,
        named=party_names(dataset),
    )
    changes: dict[str, Any] = {collection: (*existing, *rows.records)}
    merged = attrs.evolve(dataset, **changes)
    found = validate(
        merged,
        reference,
        service_kinds=service_kinds,
        broken={collection: broken} if broken else None,
    )
    located: list[Problem] = list(problems)
    for problem in found:
        index = problem.index
        if problem.collection == collection and index is not None and index >= len(existing):
            problem = attrs.evolve(problem, file=file, row=rows.rows[index - len(existing)])
        located.append(problem)
    if located:
        # By row, the file's own problems first, as a person goes through the file.
        raise DatasetError(sorted(located, key=lambda p: (p.row is None, p.row or 0)))
    return Imported(merged, rows)


# -- writing -------------------------------------------------------------------


def _format(kind: _Kind, value: Any) -> str:
    if value is None:
        return ""
    if kind in ("list", "dates", "municipalities", "parties"):
        return ", ".join(str(v) for v in value)
    if kind == "assignments":
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if kind == "bool":
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def cells_from_record(collection: str, record: Any) -> dict[str, str]:
    """A record as the cells of one CSV row (also a web form's fields), by column."""
    data = unstructure_record(record)
    cells: dict[str, str] = {}
    for name, kind in _fields(collection).items():
        if kind == "name":
            texts = data.get(name) or {}
            cells.update({c: texts.get(c[5:], "") for c in NAME_COLUMNS})
        else:
            cells[name] = _format(kind, data.get(name))
    return cells


def record_from_cells(
    collection: str,
    cells: Mapping[str, str],
    reference: Reference | None = None,
    where: Mapping[str, Any] | None = None,
    dataset: Dataset | None = None,
) -> tuple[Any, list[Problem]]:
    """One record from cells as a CSV row gives them (a web form uses the same parsing).

    ``dataset`` gives the joint authorities and funders a party may be named by.
    Returns the record and no problems, or None and every problem, each naming its column.
    """
    return _record(
        collection,
        cells,
        reference or bundled_reference(),
        {"collection": collection, **(where or {})},
        party_names(dataset) if dataset is not None else None,
    )


def write_csv(collection: str, records: Sequence[Any], *, delimiter: str = ";") -> str:
    """A collection as CSV text with the columns :func:`read_csv` takes, so that
    export and import round-trip. ``;`` by default: what Excel in Finland opens.

    A cell a spreadsheet would run as a formula gets a leading apostrophe
    (:func:`jarjesto_core.text.neutralise_formula`); import takes it off again."""
    names = columns(collection)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(names)
    for record in records:
        cells = cells_from_record(collection, record)
        writer.writerow([neutralise_formula(cells[c]) for c in names])
    return out.getvalue()
