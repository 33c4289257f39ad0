"""Excel workbooks: what officials actually have, read and written with openpyxl.

:func:`read_xlsx` turns a sheet into rows of text, as a CSV file would give
them, so one import path serves both. :func:`write_xlsx` exports a collection;
:func:`template` writes an empty workbook for a collection with human column
titles, each column's meaning as a comment, dropdowns for every vocabulary and
an example row, which imports back as it is (the example row is recognised and
skipped while it is unchanged).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

from jarjesto_core.aliases import VOCABULARIES, VOCABULARY_OF, title
from jarjesto_core.csvio import cells_from_record, columns
from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_, translate
from jarjesto_core.text import neutralise_formula

__all__ = ["example_cells", "is_xlsx", "read_xlsx", "template", "template_columns", "write_xlsx"]

#: A workbook-level name marking a template's example row; the suffix is its language.
EXAMPLE_NAME: Final = "jarjesto_example_"
_VALUES_SHEET: Final = "values"


def is_xlsx(data: bytes) -> bool:
    """An .xlsx file is a zip archive; a CSV file never starts like one."""
    return data[:4] == b"PK\x03\x04"


def _text(value: Any) -> str:
    """A cell's value as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value)


def _example_row(workbook: Any, sheet: str) -> tuple[int, str] | None:
    """The row number and language of a template's example row on ``sheet``."""
    for name in list(workbook.defined_names):
        if not name.startswith(EXAMPLE_NAME):
            continue
        target = workbook.defined_names[name].attr_text
        match = re.match(r"^'?(.*?)'?!\$A\$(\d+):", target)
        if match and match.group(1) == sheet:
            return int(match.group(2)), name.removeprefix(EXAMPLE_NAME)
    return None


def _unreadable(exc: BaseException, file: str) -> DatasetError:
    return DatasetError(
        [
            Problem(
                N_("cannot read the file as an Excel workbook (.xlsx): %(detail)s"),
                {"detail": str(exc) or type(exc).__name__},
                file=file,
            )
        ]
    )


def read_xlsx(
    data: bytes, *, file: str, sheet: str | None = None
) -> tuple[str, list[tuple[int, list[str]]]]:
    """The sheet's name and its rows as text, each with its row number (1-based).

    The first sheet unless ``sheet`` names one. Empty trailing cells are kept
    as empty text. A template's unchanged example row is left out.
    """
    with warnings.catch_warnings():
        # openpyxl warns, and then reads on, about what it leaves out (a date serial out
        # of range becomes "#VALUE!", extensions it does not know are dropped): the
        # values it gives are checked as cells like any other.
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        return _read(data, file=file, sheet=sheet)


def _read(data: bytes, *, file: str, sheet: str | None) -> tuple[str, list[tuple[int, list[str]]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    #: What openpyxl raises on a damaged workbook: a broken zip or deflate stream, a part
    #: missing, XML that does not parse (SyntaxError), values it cannot convert.
    damaged = (
        InvalidFileException, zipfile.BadZipFile, zlib.error, KeyError, IndexError, OSError,
        EOFError, ValueError, TypeError, AttributeError, SyntaxError,
    )  # fmt: skip
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except damaged as exc:
        raise _unreadable(exc, file) from None
    try:
        names = workbook.sheetnames
        if not names:  # a damaged workbook can list none (found by the .xlsx fuzzer)
            raise DatasetError(
                [Problem(N_("the workbook has no sheets: it is damaged or empty"), {}, file=file)]
            )
        if sheet is not None and sheet not in names:
            raise DatasetError(
                [
                    Problem(
                        N_("the workbook has no sheet %(value)s: it has %(expected)s"),
                        {"value": repr(sheet), "expected": ", ".join(names)},
                        file=file,
                    )
                ]
            )
        name = sheet if sheet is not None else names[0]
        example = _example_row(workbook, name)
        rows: list[tuple[int, list[str]]] = []
        # read_only: the sheet's XML is read (and may prove damaged) only while iterating.
        try:
            for number, values in enumerate(workbook[name].iter_rows(values_only=True), start=1):
                cells = [_text(v) for v in values]
                if example is not None and number == example[0] and number > 1:
                    header = rows[0][1] if rows else []
                    if _unchanged_example(header, cells, example[1]):
                        continue
                rows.append((number, cells))
        except damaged as exc:
            raise _unreadable(exc, file) from None
    finally:
        workbook.close()
    return name, rows


def _unchanged_example(header: list[str], cells: list[str], lang: str) -> bool:
    from jarjesto_core.aliases import HEADERS, header_key

    for collection, table in HEADERS.items():
        keys = [table.get(header_key(h)) for h in header if h]
        if keys == list(template_columns(collection)):
            expected = example_cells(collection, lang)
            return [c.strip() for c in cells[: len(keys)]] == [expected[k or ""] for k in keys]
    return False


def write_xlsx(collection: str, records: Sequence[Any]) -> bytes:
    """A collection as a workbook with the columns import takes, one record a row."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(collection)
    names = columns(collection)
    sheet.append(list(names))
    for record in records:
        cells = cells_from_record(collection, record)
        # openpyxl stores text beginning with "=" as a formula: neutralised as in CSV.
        sheet.append([neutralise_formula(cells[c]) for c in names])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- templates -----------------------------------------------------------------

#: An example record per collection, in words an official would write.
_EXAMPLES: Final[dict[str, dict[str, dict[str, str]]]] = {
    "organisations": {
        "fi": {
            "id": "esimerkkiyhdistys",
            "name_fi": "Esimerkkiyhdistys ry",
            "languages": "suomi",
            "scope": "paikallinen",
            "municipalities": "Kajaani",
            "founded": "1.1.1990",
        },
        "sv": {
            "id": "exempelforeningen",
            "name_sv": "Exempelföreningen rf",
            "languages": "svenska",
            "scope": "lokal",
            "municipalities": "Korsholm",
            "founded": "1.1.1990",
        },
    },
}
_GENERIC: Final[dict[str, dict[str, str]]] = {
    "fi": {"kind_value": "first", "party": "Kainuun hyvinvointialue", "date": "1.1.2025"},
    "sv": {"kind_value": "first", "party": "Österbottens välfärdsområde", "date": "1.1.2025"},
    "en": {"kind_value": "first", "party": "area:15", "date": "2025-01-01"},
}


def _vocabulary_words(collection: str, column: str, lang: str) -> list[str]:
    """The words a template's dropdown offers: Finnish or Swedish ones, else the codes."""
    vocabulary = VOCABULARY_OF.get((collection, column))
    if vocabulary is None:
        return []
    out: list[str] = []
    for value, words in VOCABULARIES[vocabulary].items():
        # Each vocabulary lists the Finnish word first, then the Swedish one.
        chosen = (
            words[0] if lang == "fi" else words[1] if lang == "sv" and len(words) > 1 else value
        )
        out.append(str(chosen))
    return out


def template_columns(collection: str) -> tuple[str, ...]:
    """A template's columns: all but the id, which the import makes from the row."""
    return tuple(c for c in columns(collection) if c != "id")


def example_cells(collection: str, lang: str) -> dict[str, str]:
    """The cells of a template's example row (the same every time, so it is recognised)."""
    base = _EXAMPLES.get(collection, {}).get(lang) or _EXAMPLES.get(collection, {}).get("fi")
    if base is not None and lang in ("fi", "sv"):
        cells = dict.fromkeys(columns(collection), "")
        cells.update(base)
        return cells
    generic = _GENERIC.get(lang, _GENERIC["en"])
    cells = {}
    for column in columns(collection):
        words = _vocabulary_words(collection, column, lang)
        if words:
            cells[column] = words[0]
        elif column == "id":
            cells[column] = {"fi": "esimerkki-1", "sv": "exempel-1"}.get(lang, "example-1")
        elif column == "party":
            cells[column] = generic["party"]
        elif column in ("start", "date"):
            cells[column] = generic["date"]
        elif column == "organisation":
            cells[column] = {"fi": "Esimerkkiyhdistys ry", "sv": "Exempelföreningen rf"}.get(
                lang, "Example Association"
            )
        elif column == "annual_amount_eur":
            cells[column] = "10 000"
        else:
            cells[column] = ""
    if lang == "en" and collection == "organisations":
        cells.update(
            {
                "id": "example-association",
                "name_en": "Example Association",
                "languages": "fi",
                "scope": "local",
                "municipalities": "205",
            }
        )
    return cells


def _meaning(collection: str, column: str, lang: str) -> str:
    """A column's meaning for its header comment: the field and what a cell holds."""
    from jarjesto_core.csvio import _fields, _required

    kinds = _fields(collection)
    field = column[:-3] if column in ("name_fi", "name_sv", "name_en") else column
    kind = kinds.get(field, "text")
    explain = {
        "date": N_("a date: 31.1.2025 or 2025-01-31"),
        "amount": N_("an amount in euros: 14 750 or 14 750,50"),
        "int": N_("a whole number"),
        "bool": N_("yes or no: kyllä/ei, ja/nej, true/false"),
        "list": N_("a list: items separated by commas"),
        "dates": N_("dates separated by commas"),
        "municipalities": N_("municipalities by name or code, separated by commas"),
        "municipality": N_("a municipality by name or code"),
        "area": N_("a wellbeing services county by name or code"),
        "party": N_("a municipality or wellbeing services county by name"),
        "assignments": N_("service kind=responsible party, separated by commas"),
        "name": N_("a name; at least one of the three name columns"),
        "text": N_("text"),
    }[kind]
    parts = [f"{column}: {translate(explain, lang)}"]
    words = _vocabulary_words(collection, column, lang)
    if words:
        parts.append(translate(N_("one of: %(values)s"), lang, {"values": ", ".join(words)}))
    if field in _required(collection) and field != "id":
        parts.append(translate(N_("required"), lang))
    return "\n".join(parts)


def template(collection: str, lang: str) -> bytes:
    """An empty workbook for ``collection`` an official fills in and imports back."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = collection
    lists = workbook.create_sheet(_VALUES_SHEET)
    lists.sheet_state = "hidden"
    names = template_columns(collection)
    example = example_cells(collection, lang)
    list_column = 0
    for index, column in enumerate(names, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=title(collection, column, lang))
        header.font = Font(bold=True)
        header.comment = Comment(_meaning(collection, column, lang), "jarjesto", 200, 320)
        cell = sheet.cell(row=2, column=index, value=example[column] or None)
        cell.font = Font(italic=True, color="808080")
        sheet.column_dimensions[letter].width = max(14, len(str(header.value)) + 4)
        words = _vocabulary_words(collection, column, lang)
        if words:
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=column)
            for row, word in enumerate(words, start=2):
                lists.cell(row=row, column=list_column, value=word)
            source = (
                f"{quote_sheetname(_VALUES_SHEET)}!${list_letter}$2:${list_letter}${len(words) + 1}"
            )
            # A list column (languages) holds several words: a dropdown offers one, and
            # Excel must not refuse "suomi, ruotsi", so those columns only warn.
            many = column in ("languages", "topics")
            validation = DataValidation(
                type="list",
                formula1=f"={source}",
                allow_blank=True,
                showErrorMessage=not many,
                errorStyle="warning" if many else "stop",
            )
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}1048576")
    first = sheet.cell(row=2, column=1)
    first.comment = Comment(
        translate(
            N_(
                "An example row: it is not imported while it is unchanged. Write your "
                "rows below it, or over it."
            ),
            lang,
        ),
        "jarjesto",
    )
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(names))
    ref = f"{quote_sheetname(collection)}!$A$2:${last}$2"
    workbook.defined_names[f"{EXAMPLE_NAME}{lang}"] = DefinedName(
        f"{EXAMPLE_NAME}{lang}", attr_text=ref
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
