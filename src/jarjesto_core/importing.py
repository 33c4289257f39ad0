"""From a published list to records: the import path for CSV and Excel files.

The steps, each its own function so that the CLI and the web upload share
them: read the file into rows of text (:func:`read_table`); decide which
column each header means, from the mapping or the Finnish and Swedish words
of :mod:`jarjesto_core.aliases`; give each row the mapping's fixed values and
words; find or create the organisations it names; make the ids a list lacks;
parse each row with :mod:`jarjesto_core.csvio`; then add, or with ``update``
replace, records in the dataset, all or nothing, and validate the result.

Quality warnings (:mod:`jarjesto_core.quality`) and a preview of the first
rows as mapped come back with the outcome; they never stop an import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs
from attrs import frozen

from jarjesto_core.aliases import EXTRA_COLUMNS, VOCABULARY_OF, column_for, header_key, value_for
from jarjesto_core.csvio import (
    NAME_COLUMNS,
    _fields,
    _required,
    _table,
    decode_csv,
    record_from_cells,
)
from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_
from jarjesto_core.ids import id_from_name, repair_id, unique_id
from jarjesto_core.mapping import IGNORE, Complete, ImportMap
from jarjesto_core.model import (
    COLLECTIONS,
    Coverage,
    Dataset,
    Domain,
    Organisation,
    PartyRef,
)
from jarjesto_core.reference import Reference, bundled_reference, fold
from jarjesto_core.serialise import FieldError
from jarjesto_core.validation import validate
from jarjesto_core.xlsx import is_xlsx, read_xlsx

__all__ = [
    "Outcome",
    "Table",
    "coverage_for",
    "import_table",
    "mapped_columns",
    "place_name",
    "read_table",
]

#: Rows the preview shows.
PREVIEW_ROWS: Final = 5
_YEAR: Final = re.compile(r"^\s*(\d{4})\s*$")


@frozen
class Table:
    """A file's rows as text: the header, then each row with its number in the file."""

    file: str
    sheet: str | None
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def read_table(
    data: bytes, *, file: str, sheet: str | None = None, encoding: str | None = None
) -> Table:
    """An .xlsx workbook's sheet (the first unless named) or a CSV file, as rows of text."""
    if is_xlsx(data):
        name, numbered = read_xlsx(data, file=file, sheet=sheet)
    else:
        name = None
        numbered = list(enumerate(_table(decode_csv(data, file=file, encoding=encoding), file), 1))
    numbered = [(n, cells) for n, cells in numbered if any(str(c).strip() for c in cells)]
    if not numbered:
        raise DatasetError(
            [Problem(N_("the file is empty: expected a header row"), file=file, row=1, sheet=name)]
        )
    (_, header), *rest = numbered
    return Table(file, name, tuple(header), tuple((n, tuple(c)) for n, c in rest))


# -- headers -------------------------------------------------------------------


def mapped_columns(
    collection: str, header: Sequence[str], mapping: ImportMap, *, file: str, sheet: str | None
) -> tuple[list[str | None], list[Problem]]:
    """Each header's column (None: left out), from the mapping first, then the aliases."""
    by_key = {header_key(k): v for k, v in mapping.columns.items()}
    out: list[str | None] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    where: dict[str, Any] = {"file": file, "row": 1, "sheet": sheet}
    known = (*_all_columns(collection),)
    for cell in header:
        text = str(cell).strip()
        if not text:
            out.append(None)
            continue
        target = mapping.columns.get(text) or by_key.get(header_key(text))
        if target is None:
            target = column_for(collection, text)
        if target == IGNORE:
            out.append(None)
            continue
        if target is None or target not in known:
            problems.append(
                Problem(
                    N_(
                        "unknown column %(value)s: %(collection)s have the columns "
                        "%(expected)s (or name it in the mapping's [columns])"
                    ),
                    {"value": repr(text), "collection": collection, "expected": ", ".join(known)},
                    field=text,
                    **where,
                )
            )
            out.append(None)
            continue
        if target in seen:
            problems.append(
                Problem(
                    N_("columns %(value)s and %(other)s both mean %(field)s"),
                    {"value": repr(seen[target]), "other": repr(text), "field": target},
                    **where,
                )
            )
        seen[target] = text
        out.append(target)
    return out, problems


def _all_columns(collection: str) -> tuple[str, ...]:
    from jarjesto_core.csvio import columns

    return (*columns(collection), *EXTRA_COLUMNS.get(collection, ()))


def _missing(
    collection: str, present: set[str], mapping: ImportMap, *, file: str, sheet: str | None
) -> list[Problem]:
    """Required columns neither in the file, nor set, nor made by the import."""
    given = present | {k for k, v in mapping.set.items() if v.strip()}
    made = {"id"}
    if "year" in given:
        made |= {"start", "end"}
    problems = []
    for name in sorted(_required(collection) - made):
        wanted = NAME_COLUMNS if _fields(collection)[name] == "name" else (name,)
        if not given.intersection(wanted):
            problems.append(
                Problem(
                    N_(
                        "required column %(value)s is missing: add it to the file, or give it "
                        "in the mapping's [columns] or [set] or with --set"
                    ),
                    {"value": " / ".join(wanted)},
                    field=wanted[0],
                    file=file,
                    row=1,
                    sheet=sheet,
                )
            )
    return problems


# -- places --------------------------------------------------------------------

_BODY_WORDS: Final = (
    "kaupunki",
    "kunta",
    "stad",
    "kommun",
    "staden",
    "kommunen",
    "hyvinvointialue",
    "välfärdsområde",
    "välfärdsområdet",
)


def place_name(text: str, reference: Reference) -> str:
    """A body's full official name as the short name the reference knows.

    ``Kajaanin kaupunki`` → ``Kajaani``, ``Kajana stad`` → ``Kajana``,
    ``Kainuun hyvinvointialue`` stays (the reference knows areas by full name).
    Text the reference knows already, or that this cannot shorten to a
    single known name, is returned unchanged for the parser to judge.
    """
    value = text.strip()
    year = max(reference.years)
    if not value or ":" in value or value.isdigit():
        return value
    if reference.find_municipality(value, year) or reference.find_area(value):
        return value
    words = value.split()
    if len(words) < 2:
        return value
    if fold(words[-1]) in {fold(w) for w in _BODY_WORDS}:
        stem = " ".join(words[:-1])
    elif fold(words[0]) in {fold(w) for w in _BODY_WORDS}:
        stem = " ".join(words[1:])
    else:
        return value
    for candidate in (stem, stem[:-1] if stem[-1:] in "ns" else None):
        if candidate and (
            reference.find_municipality(candidate, year) or reference.find_area(candidate)
        ):
            return candidate
    # A Finnish genitive that changes the stem (Turun, Lahden, Porvoon): the one
    # municipality whose name differs from it only in its last few letters.
    key = fold(stem)
    found = {
        m.name.fi
        for m in reference.municipalities_in(year)
        if m.name.fi
        and len(key) >= 3
        and _common(fold(m.name.fi), key) >= max(3, len(m.name.fi) - 3)
        and abs(len(m.name.fi) - len(key)) <= 2
    }
    return found.pop() if len(found) == 1 else value


def _common(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _area_members(text: str, reference: Reference, year: int) -> str:
    """``Kainuu`` (a wellbeing area) → its member municipalities' codes; others unchanged."""
    items = [part.strip() for part in text.split(",") if part.strip()]
    out: list[str] = []
    for item in items:
        name = place_name(item, reference)
        municipality = reference.find_municipality(name, year)
        area = None if municipality is not None else reference.find_area(name)
        if area is not None:
            out.extend(m.code for m in reference.members(area.code, year))
        else:
            out.append(name)
    return ", ".join(out)


# -- rows ----------------------------------------------------------------------


@frozen
class _Organisations:
    """The dataset's organisations as a list names them: by id, Business ID or exact name."""

    by_id: dict[str, Any]
    by_business_id: dict[str, Any]
    by_name: dict[str, Any]

    @classmethod
    def of(cls, records: Sequence[Any]) -> _Organisations:
        index = cls({}, {}, {})
        for record in records:
            index.add(record)
        return index

    def add(self, record: Any) -> None:
        self.by_id[record.id] = record
        if record.business_id:
            self.by_business_id.setdefault(record.business_id, record)
        for name in record.name.as_dict().values():
            self.by_name.setdefault(fold(name), record)

    def find(self, text: str, business_id: str = "") -> Any:
        if business_id and business_id.strip() in self.by_business_id:
            return self.by_business_id[business_id.strip()]
        value = text.strip()
        return (
            self.by_id.get(value)
            or self.by_business_id.get(value)
            or self.by_name.get(fold(value))
            or self.by_id.get(repair_id(value))
        )


def _is_name(text: str) -> bool:
    """An organisation written as a name (``Kuhmon Reumayhdistys ry``), not as an id."""
    return bool(text.strip()) and repair_id(text) != text.strip()


def _period(cells: dict[str, str]) -> None:
    """A year alone means that whole year: ``2023`` → start 1.1.2023, end 31.12.2023."""
    year = cells.pop("year", "").strip()
    if year:
        for name in ("start", "end"):
            if not cells.get(name, "").strip():
                cells[name] = year
    for name, month_day in (("start", "01-01"), ("end", "12-31")):
        match = _YEAR.match(cells.get(name, ""))
        if match:
            cells[name] = f"{match.group(1)}-{month_day}"
            if name == "start" and not cells.get("end", "").strip():
                cells["end"] = f"{match.group(1)}-12-31"


def _translate_values(collection: str, cells: dict[str, str], mapping: ImportMap) -> None:
    kinds = _fields(collection)
    for column, text in list(cells.items()):
        if not text.strip():
            continue
        own = {header_key(k): v for k, v in mapping.values.get(column, {}).items()}
        vocabulary = VOCABULARY_OF.get((collection, column))
        if not own and vocabulary is None:
            continue
        many = kinds.get(column) == "list"

        def word(item: str, own: dict[str, str] = own, vocabulary: str | None = vocabulary) -> str:
            key = header_key(item)
            if key in own:
                return own[key]
            if vocabulary is not None:
                found = value_for(vocabulary, item)
                if found is not None:
                    return found
            return item.strip()

        if many:
            items = [p for p in re.split(r"[,;/]| ja | och | and ", text) if p.strip()]
            cells[column] = ", ".join(word(p) for p in items)
        else:
            cells[column] = word(text)


class _Places:
    """Names of bodies resolved once per import: a list names the same few again and again."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        self.memo: dict[tuple[str, str, int | None], str] = {}

    def __call__(self, kind: str, text: str, year: int | None) -> str:
        key = (kind, text, year)
        found = self.memo.get(key)
        if found is None:
            from jarjesto_core import csvio

            name = place_name(text, self.reference)
            try:
                if kind == "party":
                    found = csvio._party(name, self.reference, year)
                elif kind == "area":
                    found = csvio._area(name, self.reference)
                else:
                    found = csvio._municipality(name, self.reference, year)
            except FieldError:
                found = name  # the parser names the problem, with the row
            self.memo[key] = found
        return found


def _places(
    collection: str, cells: dict[str, str], reference: Reference, places: _Places | None = None
) -> None:
    resolve = places or _Places(reference)
    year = _row_year(cells)
    for column, kind in _fields(collection).items():
        text = cells.get(column, "")
        if not text.strip():
            continue
        if kind in ("party", "municipality", "area"):
            cells[column] = resolve(kind, text.strip(), year)
        elif kind == "municipalities":
            cells[column] = ", ".join(
                resolve("municipality", p.strip(), year) for p in text.split(",") if p.strip()
            )


@frozen
class Outcome:
    """What an import did or, on a dry run, would do; ``dataset`` is the result."""

    dataset: Dataset
    collection: str
    file: str
    sheet: str | None
    added: tuple[Any, ...]
    updated: tuple[Any, ...]
    unchanged: tuple[Any, ...]
    created: tuple[Organisation, ...]
    #: The first rows as mapped, each with its row number.
    preview: tuple[tuple[int, Mapping[str, str]], ...]
    #: Each imported record's row in the file, by id.
    rows: Mapping[str, int]
    warnings: tuple[Problem, ...] = ()
    summary: Any = None
    #: Coverage recorded because the file is complete (``[complete]``, ``--complete``).
    coverage: tuple[Coverage, ...] = ()


def _organisation_for(
    cells: dict[str, str],
    orgs: _Organisations,
    mapping: ImportMap,
    reference: Reference,
    year: int,
    created: list[Organisation],
    taken: set[str],
    where: Mapping[str, Any],
) -> Problem | None:
    """Point the row's ``organisation`` at a record; create one when the mapping says so."""
    text = cells.get("organisation", "").strip()
    business_id = cells.pop("organisation_business_id", "").strip()
    if not text and not business_id:
        return None
    found = orgs.find(text, business_id)
    if found is not None:
        cells["organisation"] = found.id
        return None
    defaults = mapping.organisations
    if not defaults.create or (not _is_name(text) and not business_id):
        if _is_name(text) or business_id:
            return Problem(
                N_(
                    "no organisation in the dataset has the id, Business ID or name "
                    "%(value)s: add it first, or let the import create it ([organisations] "
                    "create = true in the mapping)"
                ),
                {"value": repr(business_id or text)},
                field="organisation",
                **where,
            )
        cells["organisation"] = repair_id(text)
        return None
    name = text or business_id
    new_id = unique_id(id_from_name(name, fallback="organisation"), taken)
    # A list that says nothing of languages or municipalities leaves them unknown
    # (empty), not guessed; the parser needs some text to accept the row.
    org_cells = {
        "id": new_id,
        f"name_{defaults.name_language}": name,
        "business_id": business_id,
        "scope": defaults.scope or "",
        "languages": defaults.languages or "fi",
        "municipalities": _area_members(defaults.municipalities or "", reference, year) or "000",
    }
    _translate_values("organisations", org_cells, ImportMap())
    _places("organisations", org_cells, reference)
    record, problems = record_from_cells("organisations", org_cells, reference, where)
    if record is None:
        first = problems[0]
        return attrs.evolve(first, field=f"[organisations].{first.field}", collection=None)
    if not defaults.languages:
        record = attrs.evolve(record, languages=())
    if not defaults.municipalities:
        record = attrs.evolve(record, municipalities=())
    created.append(record)
    orgs.add(record)
    taken.add(new_id)
    cells["organisation"] = new_id
    return None


def _row_year(cells: Mapping[str, str]) -> int | None:
    for name in ("start", "date", "decided", "established", "founded"):
        match = re.match(r"^(\d{4})-", cells.get(name, "")) or re.search(
            r"(\d{4})$", cells.get(name, "").strip()
        )
        if match:
            return int(match.group(1))
    return None


def _made_id(collection: str, cells: Mapping[str, str], taken: set[str]) -> str:
    """An id for a row without one: from its name, or its organisation and year."""
    for column in NAME_COLUMNS:
        if cells.get(column, "").strip():
            return unique_id(id_from_name(cells[column], fallback=collection[:-1]), taken)
    year = _row_year(cells)
    parts = [cells.get("organisation", "") or cells.get("party", "").replace(":", "-")]
    if year is not None:
        parts.append(str(year))
    base = id_from_name("-".join(p for p in parts if p), fallback=collection[:-1])
    return unique_id(base, taken)


def import_table(
    dataset: Dataset,
    table: Table,
    mapping: ImportMap,
    *,
    reference: Reference | None = None,
    service_kinds: Mapping[str, Domain] | None = None,
    update: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """The dataset with the table's records added (or, with ``update``, replaced).

    Raises :class:`DatasetError` with every problem, each naming the file,
    sheet, row and column; then nothing is to be written.
    """
    from jarjesto_core.quality import warnings_for

    reference = reference or bundled_reference()
    collection = mapping.collection
    file, sheet = table.file, table.sheet
    if collection is None or collection not in COLLECTIONS:
        raise DatasetError(
            [
                Problem(
                    N_("unknown collection %(value)s: expected one of %(expected)s"),
                    {"value": repr(collection), "expected": ", ".join(COLLECTIONS)},
                    file=file,
                )
            ]
        )
    names, problems = mapped_columns(collection, table.header, mapping, file=file, sheet=sheet)
    problems += _missing(
        collection, {n for n in names if n is not None}, mapping, file=file, sheet=sheet
    )
    if problems:
        raise DatasetError(problems)
    # Ids are made only for a file without an id column (or a mapping's id).
    has_ids = "id" in names or bool(mapping.set.get("id"))
    existing = dataset.collection(collection)
    old_by_id = {r.id: r for r in existing}  # type: ignore[attr-defined]
    orgs = _Organisations.of(dataset.organisations)
    created: list[Organisation] = []
    org_ids: set[str] = set(orgs.by_id)
    year_now = max(reference.years)
    taken: set[str] = set() if update else set(old_by_id)
    records: list[Any] = []
    rows: dict[str, int] = {}
    preview: list[tuple[int, dict[str, str]]] = []
    raw_rows: list[tuple[int, dict[str, str]]] = []
    places = _Places(reference)
    #: Ids of rows that could not be read: checked rows may refer to them without dangling.
    broken: set[str] = set()
    total = len(table.rows)
    for count, (number, raw) in enumerate(table.rows, start=1):
        if progress is not None:
            progress(count, total)
        where: dict[str, Any] = {"file": file, "row": number, "sheet": sheet}
        extra = [c for c in raw[len(names) :] if str(c).strip()]
        if extra:
            problems.append(
                Problem(
                    N_("the row has %(found)s cells but the header has %(expected)s columns"),
                    {"found": len(raw), "expected": len(names)},
                    **where,
                )
            )
            continue
        cells = {n: str(c) for n, c in zip(names, raw, strict=False) if n is not None}
        for name, value in mapping.set.items():
            if not cells.get(name, "").strip():
                cells[name] = value
        raw_rows.append((number, dict(cells)))
        _period(cells)
        _translate_values(collection, cells, mapping)
        _places(collection, cells, reference, places)
        year = _row_year(cells) or year_now
        if collection in ("agreements", "services"):
            found = _organisation_for(
                cells, orgs, mapping, reference, year, created, org_ids, where
            )
            if found is not None:
                problems.append(found)
                continue
        rid = cells.get("id", "").strip()
        if rid:
            rid = repair_id(rid)
        elif has_ids:
            pass  # an empty cell in an id column is an error the parser names
        elif collection == "organisations":
            match = orgs.find(
                next((cells[c] for c in NAME_COLUMNS if cells.get(c, "").strip()), ""),
                cells.get("business_id", ""),
            )
            rid = match.id if match is not None and update else _made_id(collection, cells, taken)
        else:
            rid = _made_id(collection, cells, taken)
        if update and collection == "organisations" and cells.get("business_id", "").strip():
            same = orgs.by_business_id.get(cells["business_id"].strip())
            if same is not None:
                rid = same.id
        cells["id"] = rid
        if not rid:
            pass
        elif rid in rows:
            problems.append(
                Problem(
                    N_("id %(value)s is already used on row %(other)s"),
                    {"value": repr(rid), "other": rows[rid]},
                    field="id",
                    **where,
                )
            )
            continue
        if rid in old_by_id and not update:
            problems.append(
                Problem(
                    N_(
                        "id %(value)s is already in the dataset (to replace the records a "
                        "file has again, import with --update)"
                    ),
                    {"value": repr(rid)},
                    field="id",
                    **where,
                )
            )
            continue
        taken.add(rid)
        if len(preview) < PREVIEW_ROWS:
            preview.append((number, {k: v for k, v in cells.items() if v.strip()}))
        record, found_problems = record_from_cells(collection, cells, reference, where)
        if found_problems:
            problems.extend(attrs.evolve(p, collection=None) for p in found_problems)
            broken.add(rid)
            continue
        records.append(record)
        rows[rid] = number
    added = [r for r in records if r.id not in old_by_id]
    updated = [r for r in records if r.id in old_by_id and old_by_id[r.id] != r]
    unchanged = [r for r in records if r.id in old_by_id and old_by_id[r.id] == r]
    replaced = {r.id: r for r in updated}
    merged_records = (
        *(replaced.get(r.id, r) for r in existing),  # type: ignore[attr-defined]
        *added,
    )
    changes: dict[str, Any] = {collection: merged_records}
    coverage: tuple[Coverage, ...] = ()
    if mapping.complete is not None:
        coverage, cover_problems = coverage_for(
            dataset,
            collection,
            records,
            mapping.complete,
            file=file,
            reference=reference,
        )
        problems.extend(cover_problems)
        if coverage:
            changes["coverage"] = (*dataset.coverage, *coverage)
    if created:
        base = changes.get("organisations", dataset.organisations)
        changes["organisations"] = (*base, *created)
    merged = attrs.evolve(dataset, **changes)
    # Every row that could be read is checked semantically even when others could not
    # (a wrong check digit on row 3 beside an unknown municipality on row 5): one kind
    # of error must not hide another until the first is fixed.
    invalid = validate(
        merged,
        reference,
        service_kinds=service_kinds,
        broken={collection: frozenset(broken)} if broken else None,
    )
    if invalid or problems:
        index_rows = {
            i: rows.get(getattr(r, "id", "")) for i, r in enumerate(merged.collection(collection))
        }
        located = list(problems)
        for problem in invalid:
            if problem.collection == collection and problem.index is not None:
                row = index_rows.get(problem.index)
                if row is not None:
                    problem = attrs.evolve(problem, file=file, row=row, sheet=sheet)
            located.append(problem)
        # By row, as a person goes through the file; problems without a row last.
        raise DatasetError(sorted(located, key=lambda p: (p.row is None, p.row or 0)))
    outcome = Outcome(
        dataset=merged,
        collection=collection,
        file=file,
        sheet=sheet,
        added=tuple(added),
        updated=tuple(updated),
        unchanged=tuple(unchanged),
        created=tuple(created),
        preview=tuple(preview),
        rows=rows,
        coverage=coverage,
    )
    warnings, summary = warnings_for(outcome, dataset, raw_rows, reference)
    return attrs.evolve(outcome, warnings=tuple(warnings), summary=summary)


def write_to_workspace(workspace: Any, outcome: Outcome, actor: str, read_version: int) -> None:
    """Store an outcome in a workspace in one transaction, audited under ``actor``.

    New records are added (validated with the workspace's current data). An
    update loads the whole result, which writes only what differs (versions
    and the audit log as any edit); it is refused when anyone wrote to the
    workspace after ``read_version``, so that nobody's edit is overwritten.
    """
    from jarjesto_core.errors import WorkspaceError

    if not outcome.updated:
        batches: dict[str, list[Any]] = {"organisations": list(outcome.created)}
        batches.setdefault(outcome.collection, [])
        batches[outcome.collection] = [*batches[outcome.collection], *outcome.added]
        if outcome.coverage:
            batches["coverage"] = list(outcome.coverage)
        workspace.add_all(batches, actor)
        return
    if workspace.data_version() != read_version:
        raise WorkspaceError(
            N_(
                "the workspace changed while the file was being read; nothing was "
                "written: run the import again"
            )
        )
    workspace.load(outcome.dataset, actor)


# -- coverage ------------------------------------------------------------------


def _record_year(record: Any) -> int | None:
    """The year a record belongs to in a yearly list: the one it starts (or is held) in."""
    for name in ("start", "date", "established", "decided"):
        value = getattr(record, name, None)
        if value is not None:
            return int(value.year)
    year = getattr(record, "year", None)
    return year if isinstance(year, int) else None


def _record_parties(record: Any) -> tuple[PartyRef, ...]:
    party = getattr(record, "party", None)
    if isinstance(party, PartyRef):
        return (party,)
    area = getattr(record, "area", None)  # a responsibility agreement: the area's list
    return (PartyRef.area(area),) if isinstance(area, str) else ()


def _runs(years: Sequence[int]) -> list[tuple[int, int]]:
    """Years as runs of consecutive years: 2018, 2020, 2021 → (2018, 2018), (2020, 2021)."""
    runs: list[tuple[int, int]] = []
    for year in sorted(set(years)):
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def coverage_for(
    dataset: Dataset,
    collection: str,
    records: Sequence[Any],
    complete: Complete,
    *,
    file: str,
    reference: Reference,
) -> tuple[tuple[Coverage, ...], list[Problem]]:
    """The coverage records a complete file gives: its collection, its parties, its years.

    One record per run of consecutive years, so that lists for 2018 and 2020
    say nothing of 2019. A year is every record's start year unless the
    mapping names the years: a list of 2023's decisions that holds a grant
    for 2023–2025 is complete for 2023, not for 2025. Coverage the dataset
    already has (same collection, parties and period) is not recorded again.
    """
    from jarjesto_core.coverage import COVERABLE, TERRITORY_COLLECTIONS
    from jarjesto_core.csvio import _party

    where: dict[str, Any] = {"file": file, "field": "complete"}
    if collection not in COVERABLE:
        return (), [
            Problem(
                N_(
                    "these records cannot be recorded as complete: coverage is about the "
                    "collections %(expected)s"
                ),
                {"expected": ", ".join(sorted(COVERABLE))},
                **where,
            )
        ]
    problems: list[Problem] = []
    parties: list[PartyRef] = []
    for text in complete.parties:
        try:
            parties.append(PartyRef.parse(_party(place_name(text, reference), reference, None)))
        except FieldError as exc:
            problems.append(Problem(exc.message, exc.params, **where))
    territory = collection in TERRITORY_COLLECTIONS
    if not complete.parties:
        if territory:
            problems.append(
                Problem(
                    N_(
                        "name the municipalities or wellbeing services counties for which the file "
                        "is complete: parties in the mapping's [complete]"
                    ),
                    **where,
                )
            )
        for record in records:
            for party in _record_parties(record):
                if party not in parties:
                    parties.append(party)
    years = list(complete.years)
    if not years and territory:
        problems.append(
            Problem(
                N_(
                    "name the years for which the file is complete: years in the mapping's "
                    "[complete]"
                ),
                **where,
            )
        )
    if not years:
        years = [y for y in (_record_year(r) for r in records) if y is not None]
    if problems:
        return (), problems
    if not parties or not years:
        return (), [
            Problem(N_("the file holds no records, so it cannot be recorded as complete"), **where)
        ]
    parties.sort()
    source = complete.source or file.replace("\\", "/").rsplit("/", 1)[-1]
    members = True if collection == "responsibilities" else None
    taken = {c.id for c in dataset.coverage}
    have = {(c.collections, c.parties, c.start, c.end) for c in dataset.coverage}
    found: list[Coverage] = []
    for first, last in _runs(years):
        start, end = dt.date(first, 1, 1), dt.date(last, 12, 31)
        if ((collection,), tuple(parties), start, end) in have:
            continue
        who = (
            reference.party_name(parties[0], last).pick("fi")
            if len(parties) == 1
            else f"{len(parties)}-parties"
        )
        span = str(first) if first == last else f"{first}-{last}"
        new_id = unique_id(id_from_name(f"{who} {collection} {span}", fallback="coverage"), taken)
        taken.add(new_id)
        found.append(
            Coverage(
                id=new_id,
                collections=(collection,),
                parties=tuple(parties),
                start=start,
                end=end,
                members=members,
                source=source,
            )
        )
    return tuple(found), []
