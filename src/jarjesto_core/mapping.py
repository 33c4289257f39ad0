"""Import mappings: how a published list's columns and words become a dataset's.

A mapping is a small TOML file an official writes once and keeps for next
year's list of the same shape (``jarjesto import --save-map`` writes one)::

    collection = "agreements"
    [columns]                 # a header in the file -> a column
    "Järjestö" = "organisation"
    [set]                     # a value for every row whose cell is empty
    party = "Kainuun hyvinvointialue"
    start = "2023"            # a year alone: start 1.1., end 31.12.
    [values.kind]             # words in the file -> the dataset's values
    "Toiminta-avustus" = "operating_grant"
    [organisations]           # organisations the list names that the dataset lacks
    create = true
    scope = "regional"
    languages = "fi"
    municipalities = "Kainuu"  # a wellbeing area's name means all its municipalities
    [complete]                # the file is every record of its kind: record coverage
    source = "https://..."    # where the list was published (default: the file's name)

TOML is read with the standard library's tomllib and written with tomli-w
(the standard library reads TOML but cannot write it).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import tomli_w
from attrs import field, frozen

from jarjesto_core.aliases import EXTRA_COLUMNS
from jarjesto_core.csvio import columns
from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_
from jarjesto_core.model import COLLECTIONS

__all__ = [
    "Complete",
    "ImportMap",
    "OrganisationDefaults",
    "dump_map",
    "load_map",
    "with_complete",
    "with_set",
]

#: A column mapped to this is left out of the import.
IGNORE: Final = "-"


@frozen
class OrganisationDefaults:
    """What an organisation created from a list gets, since the list does not say."""

    create: bool = False
    scope: str | None = None
    languages: str | None = None
    municipalities: str | None = None
    #: The language the list's names are in (the created organisation's ``name_fi``, ...).
    name_language: str = "fi"


@frozen
class Complete:
    """The file is every record of its collection for some parties and years.

    An import with it records a ``coverage`` record, so that a record missing
    from the list counts as "no" there (domain.md, "Coverage"); without it a
    missing record stays "not recorded". Empty parts are taken from the file:
    the parties its records name, the years they start in, the file's name.
    """

    #: Bodies as a cell names them (``Helsinki``, ``area:20``); required for
    #: organisations and services, which name no party.
    parties: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    source: str | None = None


@frozen
class ImportMap:
    """A mapping file's content; every part optional."""

    collection: str | None = None
    columns: Mapping[str, str] = field(factory=dict)
    set: Mapping[str, str] = field(factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(factory=dict)
    organisations: OrganisationDefaults = field(factory=OrganisationDefaults)
    sheet: str | None = None
    #: Record coverage for what the file holds (``[complete]``, ``--complete``).
    complete: Complete | None = None


def _known(collection: str | None) -> tuple[str, ...]:
    if collection is None:
        return ()
    return (*columns(collection), *EXTRA_COLUMNS.get(collection, ()), IGNORE)


def _text(value: Any) -> str | None:
    """A TOML scalar as the text a cell would hold (``start = 2023`` is ``"2023"``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return ", ".join(str(v) for v in value)
    return None


def _table(data: Mapping[str, Any], key: str, file: str, problems: list[Problem]) -> dict[str, str]:
    raw = data.get(key, {})
    if not isinstance(raw, dict):
        problems.append(Problem(N_("[%(value)s] must be a table"), {"value": key}, file=file))
        return {}
    out: dict[str, str] = {}
    for name, value in raw.items():
        text = _text(value)
        if text is None:
            problems.append(
                Problem(
                    N_("%(value)s is not text, a number or a list"),
                    {"value": repr(value)},
                    field=f"{key}.{name}",
                    file=file,
                )
            )
        else:
            out[str(name)] = text
    return out


def load_map(data: bytes, *, file: str, collection: str | None = None) -> ImportMap:
    """A mapping file, checked; every problem at once, named by its key.

    ``collection`` (from the command line) wins over the file's own.
    """
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DatasetError(
            [
                Problem(
                    N_("the mapping is not valid TOML: %(detail)s"),
                    {"detail": str(exc)},
                    file=file,
                )
            ]
        ) from None
    problems: list[Problem] = []
    name = collection or raw.get("collection")
    if name is not None and (not isinstance(name, str) or name not in COLLECTIONS):
        problems.append(
            Problem(
                N_("unknown collection %(value)s: expected one of %(expected)s"),
                {"value": repr(name), "expected": ", ".join(COLLECTIONS)},
                field="collection",
                file=file,
            )
        )
        name = None
    unknown = set(raw) - {
        "collection",
        "columns",
        "set",
        "values",
        "organisations",
        "sheet",
        "complete",
    }
    for key in sorted(unknown):
        problems.append(
            Problem(
                N_("unknown key %(value)s: a mapping has %(expected)s"),
                {
                    "value": repr(key),
                    "expected": "collection, sheet, columns, set, values, organisations, complete",
                },
                file=file,
            )
        )
    cols = _table(raw, "columns", file, problems)
    sets = _table(raw, "set", file, problems)
    values_raw = raw.get("values", {})
    values: dict[str, dict[str, str]] = {}
    if isinstance(values_raw, dict):
        for column in values_raw:
            values[column] = _table(values_raw, column, file, problems)
    else:
        problems.append(Problem(N_("[%(value)s] must be a table"), {"value": "values"}, file=file))
    orgs = _table(raw, "organisations", file, problems)
    known = _known(name)
    if known:
        for key, targets in (("columns", cols.values()), ("set", sets), ("values", values)):
            for target in targets:
                if target not in known:
                    problems.append(
                        Problem(
                            N_(
                                "unknown column %(value)s: %(collection)s have the columns "
                                "%(expected)s"
                            ),
                            {
                                "value": repr(target),
                                "collection": name,
                                "expected": ", ".join(known[:-1]),
                            },
                            field=key,
                            file=file,
                        )
                    )
    defaults = OrganisationDefaults(
        create=orgs.get("create", "false").casefold() in ("true", "1", "yes"),
        scope=orgs.get("scope"),
        languages=orgs.get("languages"),
        municipalities=orgs.get("municipalities"),
        name_language=orgs.get("name_language", "fi"),
    )
    if defaults.name_language not in ("fi", "sv", "en"):
        problems.append(
            Problem(
                N_("%(value)s is not fi, sv or en"),
                {"value": repr(defaults.name_language)},
                field="organisations.name_language",
                file=file,
            )
        )
    complete = _complete(raw, file, problems) if "complete" in raw else None
    sheet = raw.get("sheet")
    if sheet is not None and (isinstance(sheet, bool) or not isinstance(sheet, str | int)):
        problems.append(
            Problem(
                N_("%(value)s is not text, a number or a list"),
                {"value": repr(sheet)},
                field="sheet",
                file=file,
            )
        )
    if problems:
        raise DatasetError(problems)
    return ImportMap(
        collection=name,
        columns=cols,
        set=sets,
        values=values,
        organisations=defaults,
        sheet=str(sheet) if sheet is not None else None,
        complete=complete,
    )


def _complete(raw: Mapping[str, Any], file: str, problems: list[Problem]) -> Complete | None:
    """``[complete]``: parties and years as text or lists, a source; every key optional."""
    table = _table(raw, "complete", file, problems)
    for key in sorted(set(table) - {"parties", "years", "source"}):
        problems.append(
            Problem(
                N_("unknown key %(value)s: [complete] has %(expected)s"),
                {"value": repr(key), "expected": "parties, years, source"},
                field=f"complete.{key}",
                file=file,
            )
        )
    parties = tuple(p.strip() for p in table.get("parties", "").split(",") if p.strip())
    years: list[int] = []
    for text in (y.strip() for y in table.get("years", "").split(",") if y.strip()):
        if text.isdigit() and len(text) == 4:
            years.append(int(text))
        else:
            problems.append(
                Problem(
                    N_("%(value)s is not a year (write it as 2024)"),
                    {"value": repr(text)},
                    field="complete.years",
                    file=file,
                )
            )
    source = table.get("source", "").strip() or None
    return Complete(parties=parties, years=tuple(sorted(set(years))), source=source)


def with_complete(mapping: ImportMap, source: str | None = None) -> ImportMap:
    """``--complete`` (and ``--source``) on top of the mapping's own ``[complete]``."""
    complete = mapping.complete or Complete()
    if source is not None and source.strip():
        complete = attrs.evolve(complete, source=source.strip())
    return attrs.evolve(mapping, complete=complete)


def with_set(mapping: ImportMap, pairs: Sequence[str]) -> ImportMap:
    """``--set FIELD=VALUE`` on top of the mapping's own ``[set]``; raises on a bad pair."""
    sets = dict(mapping.set)
    problems: list[Problem] = []
    known = _known(mapping.collection)
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(
                Problem(N_("%(value)s is not FIELD=VALUE"), {"value": repr(pair)}, field="--set")
            )
        elif known and name not in known:
            problems.append(
                Problem(
                    N_("unknown column %(value)s: %(collection)s have the columns %(expected)s"),
                    {
                        "value": repr(name),
                        "collection": mapping.collection,
                        "expected": ", ".join(known[:-1]),
                    },
                    field="--set",
                )
            )
        else:
            sets[name] = value.strip()
    if problems:
        raise DatasetError(problems)
    return attrs.evolve(mapping, set=sets)


def dump_map(mapping: ImportMap) -> str:
    """The mapping as TOML that :func:`load_map` reads back to the same mapping."""
    doc: dict[str, Any] = {}
    if mapping.collection is not None:
        doc["collection"] = mapping.collection
    if mapping.sheet is not None:
        doc["sheet"] = mapping.sheet
    for key in ("columns", "set"):
        table = dict(getattr(mapping, key))
        if table:
            doc[key] = table
    values = {k: dict(v) for k, v in mapping.values.items() if v}
    if values:
        doc["values"] = values
    orgs = mapping.organisations
    if orgs != OrganisationDefaults():
        doc["organisations"] = {k: v for k, v in attrs.asdict(orgs).items() if v is not None}
    complete = mapping.complete
    if complete is not None:
        doc["complete"] = {
            k: v
            for k, v in (
                ("parties", list(complete.parties)),
                ("years", list(complete.years)),
                ("source", complete.source),
            )
            if v
        }
    return tomli_w.dumps(doc)
