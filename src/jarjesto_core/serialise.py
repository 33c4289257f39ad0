"""The JSON dataset format, through a private cattrs converter.

``{"format": "jarjesto-dataset", "version": 1, ...}``. Structuring is strict
(no coercion of ``"5"`` to 5 or of ``"yes"`` to True, unknown keys refused)
and goes record by record, so that one bad record does not hide the problems
of the others: every structural problem is reported at once, as a
:class:`~jarjesto_core.errors.Problem` naming collection, index, id and field.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any, Final, get_args, get_origin

import attrs
import cattrs
from attrs import frozen
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)

from jarjesto_core import fastparse
from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_
from jarjesto_core.model import COLLECTIONS, ENUMS, Dataset, Name, PartyRef, Publisher
from jarjesto_core.perf import indented_json, shared_text
from jarjesto_core.text import text_problem

__all__ = [
    "FORMAT",
    "INT_MAX",
    "VERSION",
    "FieldError",
    "Parsed",
    "decode_json",
    "dump_dataset",
    "make_converter",
    "parse_dataset",
    "structure_dataset",
    "structure_record",
    "unstructure_dataset",
    "unstructure_record",
]

FORMAT: Final = "jarjesto-dataset"
VERSION: Final = 1
_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
_DECIMAL: Final = re.compile(r"^-?\d+(\.\d+)?\Z")


class FieldError(ValueError):
    """A value of the wrong form; carries a translatable message."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message % params)


@functools.lru_cache(maxsize=16384)
def _parse_date(text: str) -> dt.date | None:
    """Each text parsed once, so equal dates are one object (see :func:`shared_date`);
    None when it is not YYYY-MM-DD. ValueError when it is, but no real date (not
    remembered)."""
    if not _DATE.match(text):
        return None
    return dt.date.fromisoformat(text)


def _date(value: Any, _: type) -> dt.date:
    try:
        parsed = _parse_date(value) if isinstance(value, str) else None
    except ValueError:
        raise FieldError(N_("%(found)s is not a real date"), found=repr(value)) from None
    if parsed is None:
        raise FieldError(N_("%(found)s is not a date: expected YYYY-MM-DD"), found=repr(value))
    return parsed


@functools.lru_cache(maxsize=16384)
def _parse_decimal(text: str) -> Decimal | None:
    """Each text parsed once: grants repeat round sums, so equal amounts written alike are
    one object (the text is the key, so that "12500.5" and "12500.50" stay apart). None
    when it is not a plain decimal."""
    if not _DECIMAL.match(text):
        return None
    return Decimal(text)


def _decimal(value: Any, _: type) -> Decimal:
    parsed = (
        None
        if isinstance(value, bool) or not isinstance(value, (str, int))
        else _parse_decimal(str(value))
    )
    if parsed is None:
        raise FieldError(
            N_('%(found)s is not an amount: expected a decimal string such as "1234.50"'),
            found=repr(value),
        )
    return parsed


@functools.lru_cache(maxsize=4096)
def _parse_party(text: str) -> PartyRef:
    """Each text parsed once: a national dataset names a few hundred bodies in
    300,000 records (the references are one object per body anyway)."""
    return PartyRef.parse(text)


def _party(value: Any, _: type) -> PartyRef:
    try:
        return _parse_party(value) if isinstance(value, str) else PartyRef.parse(value)
    except ValueError:
        raise FieldError(
            N_(
                "%(found)s is not a party reference: expected municipality:CODE, area:CODE, "
                "joint:ID or funder:ID"
            ),
            found=repr(value),
        ) from None


def _enum(value: Any, cls: type[Enum]) -> Enum:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in cls)
        raise FieldError(
            N_("unknown value %(found)s: allowed values are %(allowed)s"),
            found=repr(value),
            allowed=allowed,
        ) from None


def _stored_text(value: Any, _: type) -> str:
    """Text as stored before it was checked on entry: read, so that it can be repaired."""
    if not isinstance(value, str):
        raise FieldError(N_("%(found)s is not text"), found=repr(value))
    return shared_text(value if type(value) is str else str(value))


def _text(value: Any, _: type) -> str:
    """Text as given, shared: identifiers and codes repeat across a dataset (see
    :func:`shared_text`); the model's only free-text fields are hearing topics and
    commitment documents."""
    if not isinstance(value, str):
        raise FieldError(N_("%(found)s is not text"), found=repr(value))
    _check_text(value)
    return shared_text(value if type(value) is str else str(value))


def _check_text(value: str) -> None:
    """Valid Unicode without control characters (see :mod:`jarjesto_core.text`)."""
    problem = text_problem(value)
    if problem is not None:
        raise FieldError(problem[0], **problem[1])


def _strict(kind: type, message: str) -> Callable[[Any, type], Any]:
    """No coercion: ``"5"`` is not a number and ``1`` is not true.

    ``message`` is a whole sentence per type, so that translators see it whole.
    """

    def structure(value: Any, _: type) -> Any:
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            raise FieldError(message, found=repr(value))
        return value

    return structure


#: The largest whole number a workspace column holds (a signed 64-bit integer).
INT_MAX: Final = 2**63 - 1


def _int(value: Any, _: type) -> int:
    """A whole number, not a bool or float, that a database column can hold."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(N_("%(found)s is not a whole number"), found=repr(value))
    if not -INT_MAX <= value <= INT_MAX:
        raise FieldError(
            N_("%(found)s is too large: a whole number here is at most %(limit)s"),
            # str() of an int over 4,300 digits raises: a huge one is shown by magnitude.
            found=str(value)
            if value.bit_length() < 1000
            else f"~10^{value.bit_length() * 3 // 10}",
            limit=INT_MAX,
        )
    return value


def _name(value: Any, _: type, *, check: bool = True) -> Name:
    if not isinstance(value, Mapping):
        raise FieldError(
            N_("%(found)s is not a name: expected an object with fi, sv and/or en"),
            found=repr(value),
        )
    extra = sorted(set(value) - {"fi", "sv", "en"})
    if extra:
        raise FieldError(
            N_("a name has languages fi, sv and en only, not %(found)s"), found=", ".join(extra)
        )
    texts = {k: v for k, v in value.items() if v is not None}
    if not texts:
        raise FieldError(N_("a name needs at least one of fi, sv, en"))
    for v in texts.values():
        if not isinstance(v, str) or not v.strip():
            raise FieldError(N_("%(found)s is not a name: expected text"), found=repr(v))
        if check:
            _check_text(v)
    return Name(**texts)


def _lists(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, type], Any]]:
    """``tuple[X, ...]`` from a JSON list only: a string is iterable, and "fi" is not ("f", "i")."""

    def factory(type_: Any) -> Callable[[Any, type], Any]:
        item_type = get_args(type_)[0]

        def structure(value: Any, _: type) -> tuple[Any, ...]:
            if not isinstance(value, list):
                raise FieldError(N_("%(found)s is not a list"), found=repr(value))
            items: list[Any] = []
            errors: list[Exception] = []
            for index, item in enumerate(value):
                try:
                    items.append(conv.structure(item, item_type))
                except Exception as exc:
                    exc.add_note(IterableValidationNote(f"@ index {index}", index, item_type))
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {type_!r}", errors, type_)
            return tuple(items)

        return structure

    return factory


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def make_converter(*, check_text: bool = True) -> cattrs.Converter:
    """The converter for the dataset format; private, never the global one.

    ``check_text=False`` reads text already stored in a workspace without
    :func:`jarjesto_core.text.text_problem`: a record stored by an older
    jarjesto must stay readable so that ``workspace repair-text`` can fix it.
    """
    conv = cattrs.Converter(omit_if_default=True, detailed_validation=True)
    conv.register_structure_hook(str, _text if check_text else _stored_text)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(bool, _strict(bool, N_("%(found)s is not true or false")))
    # Each enum by its own class: a StrEnum is also a str, and singledispatch
    # must find the enum's hook before str's.
    for enum_cls in ENUMS:
        conv.register_structure_hook(enum_cls, _enum)
        conv.register_unstructure_hook(enum_cls, lambda e: e.value)
    conv.register_structure_hook(dt.date, _date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(Decimal, _decimal)
    # Plain notation: str() would write Decimal("1E+1") as "1E+1", which we cannot read back.
    conv.register_unstructure_hook(Decimal, lambda d: format(d, "f"))
    conv.register_structure_hook(PartyRef, _party)
    conv.register_unstructure_hook(PartyRef, str)
    conv.register_structure_hook(
        Name, _name if check_text else functools.partial(_name, check=False)
    )
    conv.register_unstructure_hook(Name, Name.as_dict)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _lists(conv))
    return conv


_CONVERTER: Final = make_converter()
_STORED: Final = make_converter(check_text=False)


def unstructure_record(record: object) -> dict[str, Any]:
    """A record in the file's form, by a function generated for its class (as cattrs
    would write it, without its dispatch per value); cattrs for a class it cannot do."""
    return _unstructurer(type(record))(record)  # type: ignore[arg-type]


@functools.cache
def _unstructurer(cls: type) -> Callable[[Any], dict[str, Any]]:
    try:
        return fastparse.unstructurer(cls)
    except TypeError:
        return _CONVERTER.unstructure


def unknown_fields(data: Mapping[str, Any], cls: type) -> list[str]:
    """Keys a record of ``cls`` does not have (checked here, not by cattrs, so that
    an unknown key does not hide the record's other problems)."""
    names = _field_names(cls)
    if names.issuperset(data):  # the common case, checked without building a list
        return []
    return sorted(k for k in data if k not in names)


@functools.cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(a.name for a in attrs.fields(cls))


def structure_record(data: Any, cls: type, *, stored: bool = False) -> Any:
    """One record; unknown keys, or a ``cattrs`` error carrying every field's problem.

    ``stored``: a record read back from a workspace, whose text is not checked again
    (see :func:`make_converter`).
    """
    if not isinstance(data, Mapping):
        raise FieldError(N_("%(found)s is not a record: expected an object"), found=repr(data))
    extra = unknown_fields(data, cls)
    if extra:
        raise FieldError(N_("unknown field %(found)s"), found=", ".join(extra))
    return (_STORED if stored else _CONVERTER).structure(data, cls)


def unstructure_dataset(dataset: Dataset) -> dict[str, Any]:
    """The canonical JSON document; empty collections and absent values are left out."""
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    if dataset.name is not None:
        doc["name"] = dataset.name.as_dict()
    if dataset.description is not None:
        doc["description"] = dataset.description.as_dict()
    if dataset.publisher is not None:
        doc["publisher"] = unstructure_record(dataset.publisher)
    for name in COLLECTIONS:
        records = dataset.collection(name)
        if records:
            doc[name] = [unstructure_record(r) for r in records]
    return doc


def dump_dataset(dataset: Dataset) -> str:
    """JSON text, stable: the same dataset always gives the same bytes."""
    return indented_json(unstructure_dataset(dataset)) + "\n"


@frozen
class Parsed:
    """What structuring found: the records that structured, and the problems of the rest.

    ``broken`` maps each collection to the ids of records that failed, so that
    later checks do not report references to them as dangling. ``indices``
    gives, per collection, each kept record's index in the document, so that
    later problems name the record where the user will find it.
    """

    dataset: Dataset
    problems: tuple[Problem, ...]
    broken: Mapping[str, frozenset[str]]
    indices: Mapping[str, tuple[int, ...]] = attrs.field(factory=dict)


def _leaf_problems(
    exc: BaseException, base: Mapping[str, Any], path: tuple[str, ...] = ()
) -> list[Problem]:
    """Flatten a cattrs exception group into Problems with a dotted field path."""
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        out: list[Problem] = []
        for sub in exc.exceptions:
            step = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    step = (*path, note.name)
                elif isinstance(note, IterableValidationNote):
                    step = (
                        (*path[:-1], f"{path[-1]}[{note.index}]") if path else (f"[{note.index}]",)
                    )
            out.extend(_leaf_problems(sub, base, step))
        return out
    fld = ".".join(path) or None
    if isinstance(exc, KeyError):
        return [Problem(N_("required field is missing"), field=fld, **base)]
    if isinstance(exc, FieldError):
        return [Problem(exc.message, exc.params, field=fld, **base)]
    return [Problem(N_("invalid value: %(found)s"), {"found": str(exc)}, field=fld, **base)]


def structure_dataset(doc: Any, *, file: str | None = None) -> Parsed:
    """Structure a decoded JSON document, record by record, keeping every problem."""
    return _structure_dataset(doc, file=file)


def _structure_dataset(doc: Any, *, file: str | None) -> Parsed:
    where: dict[str, Any] = {"file": file}
    if not isinstance(doc, Mapping):
        problem = Problem(
            N_("a dataset is a JSON object, not %(found)s"), {"found": type(doc).__name__}, **where
        )
        return Parsed(Dataset(), (problem,), {})
    problems: list[Problem] = []
    if doc.get("format") != FORMAT:
        problems.append(
            Problem(
                N_('this is not a jarjesto dataset: "format" is %(found)s, expected %(expected)s'),
                {"found": repr(doc.get("format")), "expected": repr(FORMAT)},
                field="format",
                **where,
            )
        )
        return Parsed(Dataset(), tuple(problems), {})
    if doc.get("version") != VERSION or isinstance(doc.get("version"), bool):
        problems.append(
            Problem(
                N_("dataset version %(found)s is not supported: expected version %(expected)s"),
                {"found": repr(doc.get("version")), "expected": VERSION},
                field="version",
                **where,
            )
        )
        return Parsed(Dataset(), tuple(problems), {})
    known = {"format", "version", "name", "description", "publisher", *COLLECTIONS}
    for key in sorted(set(doc) - known):
        problems.append(
            Problem(
                N_("unknown key %(found)s: a dataset has %(expected)s"),
                {"found": repr(key), "expected": ", ".join(sorted(known))},
                field=key,
                **where,
            )
        )
    header: dict[str, Any] = {}
    for key in ("name", "description"):
        if doc.get(key) is not None:
            try:
                header[key] = _name(doc[key], Name)
            except FieldError as exc:
                problems.append(Problem(exc.message, exc.params, field=key, **where))
    if doc.get("publisher") is not None:
        try:
            header["publisher"] = structure_record(doc["publisher"], Publisher)
        except (ClassValidationError, FieldError) as exc:
            problems.extend(
                attrs.evolve(p, field=f"publisher.{p.field}" if p.field else "publisher")
                for p in _leaf_problems(exc, where)
            )
    collections: dict[str, tuple[object, ...]] = {}
    broken: dict[str, frozenset[str]] = {}
    indices: dict[str, tuple[int, ...]] = {}
    for name, cls in COLLECTIONS.items():
        raw = doc.get(name, [])
        if not isinstance(raw, list):
            problems.append(
                Problem(
                    N_("%(found)s is not a list of records"),
                    {"found": type(raw).__name__},
                    collection=name,
                    **where,
                )
            )
            continue
        good: list[object] = []
        kept: list[int] = []
        bad: set[str] = set()
        for index, item in enumerate(raw):
            rid = item.get("id") if isinstance(item, Mapping) else None
            base = {
                "collection": name,
                "index": index,
                "record_id": rid if isinstance(rid, str) else None,
                **where,
            }
            if isinstance(item, Mapping) and (extra := unknown_fields(item, cls)):
                problems.append(
                    Problem(N_("unknown field %(found)s"), {"found": ", ".join(extra)}, **base)
                )
                item = {k: v for k, v in item.items() if k not in extra}
                if isinstance(rid, str):
                    bad.add(rid)
            try:
                record = structure_record(item, cls)
            except (ClassValidationError, FieldError) as exc:
                problems.extend(_leaf_problems(exc, base))
                if isinstance(rid, str):
                    bad.add(rid)
            except (TypeError, ValueError) as exc:  # Name's own validator, attrs converters
                problems.append(
                    Problem(N_("invalid value: %(found)s"), {"found": str(exc)}, **base)
                )
                if isinstance(rid, str):
                    bad.add(rid)
            else:
                if not (isinstance(rid, str) and rid in bad):
                    good.append(record)
                    kept.append(index)
        collections[name] = tuple(good)
        indices[name] = tuple(kept)
        broken[name] = frozenset(bad)
    dataset = Dataset(**header, **collections)  # type: ignore[arg-type]
    return Parsed(dataset, tuple(problems), broken, indices)


def parse_record(data: Any, collection: str) -> Any:
    """One record of ``collection`` in the dataset file's form (an API body, say), structured.

    Checked by the same code as a file load's records, so it raises the same
    :class:`~jarjesto_core.errors.DatasetError`, with a problem per field
    (``organisations (o1).scope: ...``); only the index in a file is left out.
    Whether the record fits the rest of the dataset is :func:`validate`'s job.
    """
    from jarjesto_core.errors import DatasetError

    if collection not in COLLECTIONS:
        raise ValueError(f"unknown collection {collection!r}")
    parsed = _structure_dataset(
        {"format": FORMAT, "version": VERSION, collection: [data]}, file=None
    )
    if parsed.problems:
        raise DatasetError([attrs.evolve(p, index=None) for p in parsed.problems])
    (record,) = parsed.dataset.collection(collection)
    return record


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: JSON would otherwise keep the last silently."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _duplicate_at(text: str) -> tuple[str, int, int] | None:
    """The first key that repeats within one object, with its line and column.

    Only run once a duplicate is known to exist: the C decoder finds it fast but
    does not say where, so the text is scanned again here for strings followed by
    a colon, one set of keys per open object.
    """
    stack: list[set[str] | None] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            token = text[i : j + 1]
            start, i = i, j + 1
            k = i
            while k < n and text[k] in " \t\r\n":
                k += 1
            keys = stack[-1] if stack else None
            if k < n and text[k] == ":" and keys is not None:
                key = json.loads(token)
                if key in keys:
                    line = text.count("\n", 0, start) + 1
                    return key, line, start - text.rfind("\n", 0, start)
                keys.add(key)
            continue
        if c == "{":
            stack.append(set())
        elif c == "[":
            stack.append(None)
        elif c in "]}" and stack:
            stack.pop()
        i += 1
    return None


def decode_json(text: str, *, file: str | None = None) -> tuple[Any, Problem | None]:
    """JSON text as Python values, or the one problem that stops it, with its line if known.

    Stricter than :func:`json.loads` where a person would be misled: a key
    given twice in one object is refused (not resolved to the last), and
    nesting too deep or a number too long to read is an error, not a crash.
    """
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs), None
    except json.JSONDecodeError as exc:
        return None, Problem(
            N_("malformed JSON: %(found)s"),
            {"found": exc.msg},
            file=file,
            line=exc.lineno,
            column=exc.colno,
        )
    except _DuplicateKey as exc:
        where = _duplicate_at(text)
        line, column = (where[1], where[2]) if where else (None, None)
        return None, Problem(
            N_("the key %(found)s appears twice in one object: give each key once"),
            {"found": repr(exc.key)},
            file=file,
            line=line,
            column=column,
        )
    except RecursionError:
        return None, Problem(N_("the JSON is nested too deeply to be a dataset"), file=file)
    except ValueError:  # an integer longer than Python reads (sys.get_int_max_str_digits)
        return None, Problem(
            N_("a number in the JSON has more than %(limit)s digits: it cannot be read"),
            {"limit": sys.get_int_max_str_digits()},
            file=file,
        )


def parse_dataset(text: str, *, file: str | None = None) -> Parsed:
    """Decode JSON text; malformed JSON is one problem with its line and column.

    A valid file is read by :mod:`jarjesto_core.fastparse`; whatever that path
    is unsure of is read here, strictly, with every problem named.
    """
    fast = fast_parse(text)
    return fast if fast is not None else strict_parse_dataset(text, file=file)


def fast_parse(text: str | bytes) -> Parsed | None:
    """A valid file read by the fast path (:mod:`jarjesto_core.fastparse`); None when that
    path is unsure, and :func:`strict_parse_dataset` must read it. ``text`` may be the
    file's bytes (UTF-8, without a byte order mark)."""
    fast = fastparse.fast_structure(text, _FORMAT)
    if fast is None:
        return None
    dataset, indices = fast
    return Parsed(dataset, (), {name: frozenset() for name in COLLECTIONS}, indices)


_FORMAT: Final = fastparse.Format(
    FORMAT, VERSION, INT_MAX, _parse_date, _parse_decimal, _parse_party
)


def strict_parse_dataset(text: str, *, file: str | None = None) -> Parsed:
    """:func:`parse_dataset` without the fast path: what it falls back on, and its reference."""
    doc, problem = decode_json(text, file=file)
    if problem is not None:
        return Parsed(Dataset(), (problem,), {})
    return structure_dataset(doc, file=file)


def raise_for(problems: tuple[Problem, ...]) -> None:
    if problems:
        raise DatasetError(problems)
