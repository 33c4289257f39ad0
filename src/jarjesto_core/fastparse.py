"""The fast path of reading a dataset file: valid files, from the model's own field types.

Every command that reads a dataset file (``assess``, ``validate``, ``workspace
load``...) decoded and structured it through :mod:`jarjesto_core.serialise`:
JSON objects built through a Python hook (to refuse a key given twice), then
cattrs with a validation hook per field. At national scale that was most of
the command's time (figures in ``docs/performance.md``).

This path decodes with orjson (C, straight from the text) and structures each
record with a function generated per record class from its attrs fields and
type hints, as :mod:`jarjesto_core.workspace.rows` does for rows: a new
collection or field is read here as soon as the model has it. It only ever
*accepts*: anything it is not sure of (a value of another type, a text with a
control character, an unknown key, a key that may repeat, a number orjson does
not read as Python does) gives up on the whole file, and the strict path reads
it again and reports exactly what it always did. What it accepts, the strict
path accepts too, and both build equal records sharing the same interned
texts, dates, amounts and party references (tests compare them).

A key given twice is found without a hook: every key of an accepted document
is counted as its object is structured, and compared with the number of
``":`` in the text (every key's closing quote is followed by its colon once
no whitespace stands between them; any other ``":`` only makes the count
larger). Equal counts mean no key repeated.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any, Final, Union, get_args, get_origin, get_type_hints

import attrs

try:  # a dependency; an environment made before it was one reads every file strictly
    import orjson
except ImportError:  # pragma: no cover
    orjson = None  # type: ignore[assignment]

from jarjesto_core.model import COLLECTIONS, Dataset, Name, PartyRef, Publisher
from jarjesto_core.perf import shared_text
from jarjesto_core.text import text_problem

__all__ = ["Format", "fast_structure", "structurer", "unstructurer"]

_NAME_KEYS: Final = frozenset({"fi", "sv", "en"})
#: A key not in a record (a value JSON cannot hold).
_ABSENT: Final = object()
#: A key's closing quote with whitespace before its colon: the key count below needs none.
_SPACED_COLON: Final = re.compile(r'"[ \t\r\n]+:')
_SPACED_COLON_BYTES: Final = re.compile(rb'"[ \t\r\n]+:')


class _Unsure(Exception):
    """This path does not vouch for a value: the strict path reads the file."""


class _Counter:
    """Keys seen in the objects structured so far (see the module docstring)."""

    __slots__ = ("keys",)

    def __init__(self) -> None:
        self.keys = 0


def _text_ok(value: str) -> bool:
    """As the strict path's text check: printable, or only tabs and line breaks besides."""
    return value.isprintable() or text_problem(value) is None


def _decoder(type_: Any, counter: _Counter, hooks: Mapping[type, Callable[[Any], Any]]) -> Any:
    """A function from a decoded JSON value to the value of ``type_``, or an exception."""
    origin, args = get_origin(type_), get_args(type_)
    if origin in (Union, types.UnionType) and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        decode = _decoder(inner, counter, hooks)

        def optional(value: Any) -> Any:
            return None if value is None else decode(value)

        return optional
    if type_ in hooks:
        return hooks[type_]
    if type_ is str:
        return _text
    if type_ is bool:
        return _bool
    if isinstance(type_, type) and issubclass(type_, Enum):
        return _member(type_)
    if type_ is Name:
        return _name_decoder(counter)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0], counter, hooks)

        def sequence(value: Any) -> tuple[Any, ...]:
            if type(value) is not list:
                raise _Unsure
            return tuple([item(v) for v in value])

        return sequence
    if origin in (Mapping, dict) and args[0] is str:
        item = _decoder(args[1], counter, hooks)

        def mapping(value: Any) -> dict[str, Any]:
            if type(value) is not dict:
                raise _Unsure
            counter.keys += len(value)
            return {_text(k): item(v) for k, v in value.items()}

        return mapping
    if attrs.has(type_):
        return _compile(type_, counter, hooks)
    raise TypeError(f"no fast structuring for {type_!r}")


def _text(value: Any) -> str:
    if type(value) is not str or not (value.isprintable() or _text_ok(value)):
        raise _Unsure
    return shared_text(value)


def _whole(int_max: int) -> Callable[[Any], int]:
    def decode(value: Any) -> int:
        if type(value) is not int or not -int_max <= value <= int_max:
            raise _Unsure
        return value

    return decode


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _Unsure
    return value


def _member(enum_cls: type[Enum]) -> Callable[[Any], Any]:
    members = {member.value: member for member in enum_cls}

    def decode(value: Any) -> Any:
        if type(value) is not str:
            raise _Unsure
        return members[value]

    return decode


def _name_decoder(counter: _Counter) -> Callable[[Any], Name]:
    """A name: an object of fi, sv and en texts (null ones left out), at least one."""

    def decode(value: Any) -> Name:
        if type(value) is not dict or not _NAME_KEYS.issuperset(value):
            raise _Unsure
        counter.keys += len(value)
        texts = {}
        for key, text in value.items():
            if text is None:
                continue
            if type(text) is not str or not text.strip() or not _text_ok(text):
                raise _Unsure
            texts[key] = text
        return Name(**texts)

    return decode


def _compile(
    cls: type, counter: _Counter, hooks: Mapping[type, Callable[[Any], Any]]
) -> Callable[[Any], Any]:
    """One generated function per record class: no loop over fields, hot values inline.

    Generated, as attrs and cattrs generate theirs. A required field missing is
    a ``KeyError``; an absent optional one gets the class's default, passed as
    attrs would (its converter runs on it alike). Texts are checked and shared
    inline; dates, amounts, parties and enum members are looked up in a table
    per file first (``hooks`` parse and remember what is not there yet).
    """
    hints = get_type_hints(cls)
    fields = attrs.fields(cls)
    if any(f.kw_only or not f.init for f in fields):
        raise TypeError(f"no fast structuring for {cls.__name__}: keyword-only fields")
    names = frozenset(f.name for f in fields)
    lines = ["def structure(d):"]
    lines.append("    if type(d) is not dict or not names.issuperset(d): raise Unsure")
    lines.append("    counter.keys += len(d)")
    namespace: dict[str, Any] = {
        "names": names,
        "Unsure": _Unsure,
        "counter": counter,
        "cls": cls,
        "intern": sys.intern,
        "text_ok": _text_ok,
        "ABSENT": _ABSENT,
    }
    for index, field in enumerate(fields):
        type_ = hints[field.name]
        args = get_args(type_)
        optional = get_origin(type_) in (Union, types.UnionType) and type(None) in args
        inner = next(a for a in args if a is not type(None)) if optional else type_
        key, x = repr(field.name), f"x{index}"
        pad = "    "
        if field.default is attrs.NOTHING:
            lines.append(f"    v = d[{key}]")
        else:
            lines.append(f"    v = d.get({key}, ABSENT)")
            lines.append("    if v is ABSENT:")
            if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                if field.default.takes_self:
                    raise TypeError(f"no fast structuring for {cls.__name__}.{field.name}")
                namespace[f"f{index}"] = field.default.factory
                lines.append(f"        {x} = f{index}()")
            else:
                namespace[f"f{index}"] = field.default
                lines.append(f"        {x} = f{index}")
            lines.append("    else:")
            pad = "        "
        if optional:
            lines.append(f"{pad}if v is None: {x} = None")
            lines.append(f"{pad}else:")
            pad += "    "
        if inner is str:
            lines.append(
                f"{pad}if type(v) is not str or not (v.isprintable() or text_ok(v)): raise Unsure"
            )
            lines.append(f"{pad}{x} = intern(v)")
        elif inner in hooks or (isinstance(inner, type) and issubclass(inner, Enum)):
            # A table per file: each distinct text parsed once (a miss parses and keeps it).
            table: dict[Any, Any] = {}
            if inner in hooks:
                miss = _remembering(hooks[inner], table)
            else:
                table.update((m.value, m) for m in inner)
                miss = _refuse
            namespace[f"t{index}"], namespace[f"m{index}"] = table, miss
            lines.append(f"{pad}{x} = t{index}.get(v)")
            lines.append(f"{pad}if {x} is None: {x} = m{index}(v)")
        else:
            namespace[f"d{index}"] = _decoder(inner, counter, hooks)
            lines.append(f"{pad}{x} = d{index}(v)")
    lines.append(f"    return cls({', '.join(f'x{i}' for i in range(len(fields)))})")
    code = compile("\n".join(lines), f"<jarjesto fast structure {cls.__name__}>", "exec")
    exec(code, namespace)
    function: Callable[[Any], Any] = namespace["structure"]
    return function


def _remembering(parse: Callable[[Any], Any], table: dict[Any, Any]) -> Callable[[Any], Any]:
    """``parse``, keeping each text's value in ``table`` for the next record."""

    def miss(value: Any) -> Any:
        found = parse(value)
        if type(value) is str:
            table[value] = found
        return found

    return miss


def _refuse(value: Any) -> Any:
    raise _Unsure


@attrs.frozen
class Format:
    """What the strict path (:mod:`jarjesto_core.serialise`) knows of the format.

    Handed to this module rather than imported, so that the strict path may use
    this one: its name and version, the largest whole number, and its parsers of
    dates, amounts and party references (each remembering what it parsed, so that
    both paths share one object per value).
    """

    name: str
    version: int
    int_max: int
    parse_date: Callable[[str], dt.date | None]
    parse_decimal: Callable[[str], Decimal | None]
    parse_party: Callable[[str], PartyRef]


@attrs.frozen
class _Structurer:
    counter: _Counter
    collections: Mapping[str, Callable[[Any], Any]]
    publisher: Callable[[Any], Any]
    name: Callable[[Any], Name]


def structurer(form: Format) -> _Structurer:
    """Fresh functions for one file (their key counter is the file's)."""

    def hook(parse: Callable[[str], Any]) -> Callable[[Any], Any]:
        def decode(value: Any) -> Any:
            if type(value) is not str:
                raise _Unsure
            found = parse(value)
            if found is None:
                raise _Unsure
            return found

        return decode

    def amount(value: Any) -> Decimal:
        # As the strict path: a decimal text, or a whole number (not a bool) written plainly.
        if type(value) is int:
            value = str(value)
        elif type(value) is not str:
            raise _Unsure
        found = form.parse_decimal(value)
        if found is None:
            raise _Unsure
        return found

    hooks: dict[type, Callable[[Any], Any]] = {
        dt.date: hook(form.parse_date),
        Decimal: amount,
        PartyRef: hook(form.parse_party),
        int: _whole(form.int_max),
    }
    counter = _Counter()
    return _Structurer(
        counter,
        {name: _compile(cls, counter, hooks) for name, cls in COLLECTIONS.items()},
        _compile(Publisher, counter, hooks),
        _name_decoder(counter),
    )


def fast_structure(
    text: str | bytes, form: Format
) -> tuple[Dataset, dict[str, tuple[int, ...]]] | None:
    """The dataset of a valid file and each collection's record indices; None when unsure.

    ``text`` may be the file's bytes (UTF-8, no byte order mark): orjson reads
    them as they are, where a ``str`` would be encoded again (and its UTF-8
    copy kept as long as the text lives). Bytes that are not UTF-8 are refused.
    """
    spaced = _SPACED_COLON_BYTES if isinstance(text, bytes) else _SPACED_COLON
    if orjson is None or spaced.search(text):  # type: ignore[arg-type]
        return None
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if type(doc) is not dict:
        return None
    version = doc.get("version")
    if doc.get("format") != form.name or type(version) is not int or version != form.version:
        return None
    known = {"format", "version", "name", "description", "publisher", *COLLECTIONS}
    if not known.issuperset(doc):
        return None
    make = structurer(form)
    make.counter.keys = len(doc)
    header: dict[str, Any] = {}
    collections: dict[str, tuple[Any, ...]] = {}
    try:
        for key in ("name", "description"):
            if doc.get(key) is not None:
                header[key] = make.name(doc[key])
        if doc.get("publisher") is not None:
            header["publisher"] = make.publisher(doc["publisher"])
        for name, structure in make.collections.items():
            raw = doc.get(name, [])
            if type(raw) is not list:
                return None
            collections[name] = tuple([structure(item) for item in raw])
    except Exception:  # anything at all: the strict path decides and explains
        return None
    colons = text.count(b'":') if isinstance(text, bytes) else text.count('":')
    if make.counter.keys != colons:
        return None  # a key may repeat, or a text holds '":': the strict path knows
    indices = {name: tuple(range(len(records))) for name, records in collections.items()}
    return Dataset(**header, **collections), indices  # type: ignore[arg-type]


# -- writing: a record's file form -------------------------------------------------


def _plain_value(type_: Any) -> str:
    """How a value of ``type_`` is written, as code with ``@`` standing for the value.

    As the dataset converter writes it (:func:`jarjesto_core.serialise.make_converter`):
    dates in ISO form, amounts in plain notation, parties and enum members as their
    text, names as their languages, lists for tuples.
    """
    origin, args = get_origin(type_), get_args(type_)
    if origin in (Union, types.UnionType) and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        template = _plain_value(inner)
        return template if template == "@" else f"(None if @ is None else {template})"
    if type_ in (str, int, bool):
        return "@"
    if type_ is dt.date:
        return "@.isoformat()"
    if type_ is Decimal:
        return 'format(@, "f")'
    if type_ is PartyRef:
        return "str(@)"
    if isinstance(type_, type) and issubclass(type_, Enum):
        return "@.value"
    if type_ is Name:
        return "@.as_dict()"
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        template = _plain_value(args[0])
        return "list(@)" if template == "@" else f"[{template.replace('@', 'x')} for x in @]"
    if origin in (Mapping, dict) and args[0] is str:
        template = _plain_value(args[1])
        if "@" in template.replace("@", "", 1) or "x" in template:
            raise TypeError(f"no fast writing for {type_!r}")  # nested once only
        return f"{{k: {template.replace('@', 'y')} for k, y in @.items()}}"
    raise TypeError(f"no fast writing for {type_!r}")


def unstructurer(cls: type) -> Callable[[Any], dict[str, Any]]:
    """A generated function writing a record of ``cls`` in the file's form.

    What the dataset converter (cattrs, ``omit_if_default``) writes, without its
    dispatch per value: a field equal to its default is left out, the rest
    written by :func:`_plain_value`. ``TypeError`` for a field type it does not
    know (the converter then writes that class); a test holds both equal.
    """
    hints = get_type_hints(cls)
    lines = ["def unstructure(r):", "    out = {}"]
    namespace: dict[str, Any] = {"format": format, "str": str, "list": list}
    for index, field in enumerate(attrs.fields(cls)):
        template = _plain_value(hints[field.name]).replace("@", "v")
        key = repr(field.name)
        lines.append(f"    v = r.{field.name}")
        if field.default is attrs.NOTHING:
            lines.append(f"    out[{key}] = {template}")
            continue
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            if field.default.takes_self:
                raise TypeError(f"no fast writing for {cls.__name__}.{field.name}")
            namespace[f"f{index}"] = field.default.factory
            lines.append(f"    if v != f{index}():")
        else:
            namespace[f"f{index}"] = field.default
            lines.append(f"    if v != f{index}:")
        lines.append(f"        out[{key}] = {template}")
    lines.append("    return out")
    code = compile("\n".join(lines), f"<jarjesto fast unstructure {cls.__name__}>", "exec")
    exec(code, namespace)
    function: Callable[[Any], dict[str, Any]] = namespace["unstructure"]
    return function
