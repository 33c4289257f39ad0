"""Fuzzing the input paths added since the first round: .xlsx files, TOML mappings, API fields.

As in ``test_fuzz.py``: whatever comes in, the answer is the data or a
:class:`DatasetError` whose every problem says where (file, sheet, row,
mapping key, record, field); never another exception, never a 500, and
nothing half-written. Each test counts the inputs it tried for
docs/reliability.md.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections import Counter
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
import tomli_w
from flask.testing import FlaskClient
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from jarjesto_core.csvio import write_csv
from jarjesto_core.errors import DatasetError
from jarjesto_core.files import sample_dataset
from jarjesto_core.importing import import_table, read_table
from jarjesto_core.mapping import ImportMap, load_map, with_set
from jarjesto_core.model import COLLECTIONS
from jarjesto_core.serialise import dump_dataset
from jarjesto_core.xlsx import write_xlsx

from .conftest import create

SAMPLE = sample_dataset()
SAMPLE_JSON = json.loads(dump_dataset(SAMPLE))
TRIED: Counter[str] = Counter()
MANY = settings(
    max_examples=max(settings().max_examples, 200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: Collections with records in the sample: their files have rows to spoil.
FILLED = [c for c in COLLECTIONS if SAMPLE.collection(c)]


@pytest.fixture(scope="module", autouse=True)
def _count(figures: dict[str, Any]) -> Iterator[None]:
    yield
    figures.setdefault("fuzzing", {}).update(dict(TRIED))


def _located(exc: DatasetError, file: str) -> None:
    assert exc.problems
    for problem in exc.problems:
        assert problem.location(), problem
        assert problem.file == file or problem.collection is not None, problem
        problem.render("fi")  # every problem can be told in the reader's language
        problem.render("sv")


def _told(exc: DatasetError) -> None:
    """A problem with a command-line option: it names the option or a field."""
    assert exc.problems
    for problem in exc.problems:
        assert problem.location() or "--set" in problem.render("en"), problem


def _import(data: bytes, mapping: ImportMap, file: str) -> None:
    try:
        table = read_table(data, file=file, sheet=mapping.sheet)
        outcome = import_table(SAMPLE, table, mapping)
    except DatasetError as exc:
        _located(exc, file)
    else:
        assert outcome.dataset.collection(mapping.collection or "")  # the sample's rows stay


# -- .xlsx files ------------------------------------------------------------------------

#: What a spreadsheet cell can hold, and what people type into them.
cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**25), 10**25),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(dt.date(1900, 1, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(9999, 12, 31)),
    st.text(max_size=40),
    st.sampled_from(["=1+1", '=HYPERLINK("http://x")', "'=SUM(A1)", "1 234,50", "31.2.2024"]),
)


def _workbook(collection: str) -> Any:
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(write_xlsx(collection, SAMPLE.collection(collection))))


def _save(workbook: Any) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@MANY
@given(
    collection=st.sampled_from(FILLED),
    edits=st.lists(
        st.tuples(st.integers(1, 12), st.integers(1, 16), cell_values), min_size=1, max_size=5
    ),
    extra_sheet_first=st.booleans(),
)
# A date cell given a serial out of range: openpyxl warned (an error here) and read "#VALUE!".
@example(
    collection="organisations",
    edits=[(1, 1, dt.date(2000, 1, 1)), (1, 1, -693594)],
    extra_sheet_first=False,
)
def test_xlsx_import_with_cells_changed(
    collection: str, edits: list[tuple[int, int, Any]], extra_sheet_first: bool
) -> None:
    from openpyxl.utils.exceptions import IllegalCharacterError

    TRIED["xlsx_cells"] += 1
    workbook = _workbook(collection)
    sheet = workbook.worksheets[0]
    for row, column, value in edits:
        try:
            sheet.cell(row=row, column=column, value=value)
        except (IllegalCharacterError, ValueError):
            assume(False)  # openpyxl itself refuses to write it: no file to import
    if extra_sheet_first:
        other = workbook.create_sheet("Muistiinpanot", 0)
        other["A1"] = "not the data"
    _import(_save(workbook), ImportMap(collection=collection), "fuzz.xlsx")


@MANY
@given(collection=st.sampled_from(FILLED), cut=st.integers(0, 12_000), flip=st.integers(0, 255))
@example(collection="organisations", cut=369, flip=0)  # was zlib.error from openpyxl
def test_xlsx_import_of_a_damaged_file(collection: str, cut: int, flip: int) -> None:
    """A workbook cut off, or with one byte changed: a zip that is not quite one."""
    TRIED["xlsx_damaged"] += 1
    data = bytearray(write_xlsx(collection, SAMPLE.collection(collection)))
    if cut < len(data):
        data[cut] ^= flip or 1
    for damaged in (bytes(data), bytes(data[:cut])):
        _import(damaged, ImportMap(collection=collection), "damaged.xlsx")


def test_a_workbook_that_lists_no_sheet_is_refused_naming_the_file() -> None:
    """A damaged workbook can list no sheet at all (found by the fuzzer above): openpyxl
    reads it, and the first sheet was taken blindly (IndexError)."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(write_xlsx("organisations", SAMPLE.organisations)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as damaged:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data, flags=re.S)
            damaged.writestr(item, data)
    with pytest.raises(DatasetError) as caught:
        read_table(out.getvalue(), file="tyhja.xlsx", sheet=None)
    (problem,) = caught.value.problems
    assert problem.file == "tyhja.xlsx"
    assert problem.render("en") == "tyhja.xlsx: the workbook has no sheets: it is damaged or empty"
    assert problem.render("fi") == (
        "tyhja.xlsx: työkirjassa ei ole yhtään taulukkoa: se on vioittunut tai tyhjä"
    )


@MANY
@given(st.binary(max_size=300))
def test_xlsx_import_of_any_bytes_after_a_zip_header(tail: bytes) -> None:
    TRIED["xlsx_damaged"] += 1
    _import(b"PK\x03\x04" + tail, ImportMap(collection="agreements"), "bytes.xlsx")


def test_xlsx_import_through_the_command_line_leaves_the_dataset_whole(
    tmp_path: Any,
) -> None:
    """End to end: a workbook with a formula, a date and a boolean where text belongs."""
    from click.testing import CliRunner

    from jarjesto_cli.cli import cli
    from jarjesto_core.files import write_dataset

    workbook = _workbook("agreements")
    sheet = workbook.worksheets[0]
    sheet.cell(row=2, column=2, value=dt.date(2024, 2, 29))
    sheet.cell(row=3, column=3, value=True)
    sheet.cell(row=4, column=1, value="=1+1")
    book = tmp_path / "a.xlsx"
    book.write_bytes(_save(workbook))
    dataset = tmp_path / "region.json"
    write_dataset(dataset, SAMPLE)
    before = dataset.read_bytes()
    result = CliRunner().invoke(
        cli, ["--lang", "en", "import", str(dataset), "agreements", str(book)]
    )
    assert result.exit_code in (0, 1), result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    if result.exit_code == 1:
        assert dataset.read_bytes() == before
        assert "a.xlsx" in result.output
        assert "row" in result.output


# -- TOML mappings ------------------------------------------------------------------------

#: Keys a mapping has, keys of the tables inside it, and anything else.
mapping_keys = st.sampled_from(
    ["collection", "sheet", "columns", "set", "values", "organisations", "complete"]
) | st.text(max_size=10)
inner_keys = st.sampled_from(
    [
        "id", "name_fi", "amount", "start", "end", "kind", "funder", "organisation", "scope",
        "municipalities", "languages", "create", "parties", "years", "source", "Avustus",
        "Summa", "Y-tunnus", "yes",
    ]
) | st.text(max_size=10)  # fmt: skip
toml_scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.dates(),
    st.sampled_from(list(COLLECTIONS)),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(inner_keys, inner, max_size=4),
    max_leaves=8,
)
mappings = st.dictionaries(mapping_keys, toml_values, max_size=6)


def _csv(collection: str) -> bytes:
    return write_csv(collection, SAMPLE.collection(collection)).encode("utf-8")


@MANY
@given(document=mappings, collection=st.none() | st.sampled_from(FILLED))
@example(document={"collection": []}, collection=None)  # was TypeError: unhashable type
@example(document={"values": "x", "sheet": {"a": 1}}, collection="agreements")
def test_mapping_files(document: dict[str, Any], collection: str | None) -> None:
    """Any TOML document as a mapping: refused naming its key, or it imports or is refused
    naming the file's row and column."""
    TRIED["mappings"] += 1
    text = tomli_w.dumps(document).encode("utf-8")
    try:
        mapping = load_map(text, file="map.toml", collection=collection)
    except DatasetError as exc:
        _located(exc, "map.toml")
        return
    if mapping.collection is None:
        return  # the command line then asks for a collection (a usage error)
    target = mapping.collection if mapping.collection in FILLED else "agreements"
    _import(_csv(target), mapping, "fuzz.csv")


@MANY
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace")))
def test_mapping_files_that_are_not_toml(data: bytes) -> None:
    TRIED["mappings"] += 1
    try:
        load_map(data, file="map.toml", collection="agreements")
    except DatasetError as exc:
        _located(exc, "map.toml")


@MANY
@given(
    collection=st.sampled_from(FILLED),
    pairs=st.lists(
        st.builds(
            lambda k, v, sep: f"{k}{sep}{v}",
            inner_keys,
            st.text(max_size=15),
            st.sampled_from(["=", "", "=="]),
        ),
        max_size=4,
    ),
)
def test_set_options(collection: str, pairs: list[str]) -> None:
    """``--set FIELD=VALUE``, any of them: refused naming the option, or imported or refused
    by row."""
    TRIED["mappings"] += 1
    try:
        mapping = with_set(ImportMap(collection=collection), pairs)
    except DatasetError as exc:
        _told(exc)
        return
    _import(_csv(collection), mapping, "fuzz.csv")


# -- API fields ------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
FIELDS = [
    (collection, field.name)
    for collection, cls in COLLECTIONS.items()
    if SAMPLE_JSON.get(collection)
    for field in attrs.fields(cls)
    if field.name != "id"
]


@pytest.fixture(scope="module")
def api(seeded: tuple[str, dict[str, str]]) -> tuple[FlaskClient, dict[str, str]]:
    return create(seeded[0]).test_client(), {
        "Authorization": f"Bearer {seeded[1]['editor']}",
        "Accept-Language": "en",
    }


def _nan_free(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isnan(value)
    if isinstance(value, list):
        return all(_nan_free(v) for v in value)
    if isinstance(value, dict):
        return all(_nan_free(v) for v in value.values())
    return True


@settings(
    max_examples=max(settings().max_examples, 300),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(FIELDS), value=json_values)
def test_api_field_values(
    api: tuple[FlaskClient, dict[str, str]], target: tuple[str, str], value: Any
) -> None:
    """Every field of every collection given any JSON value through PUT: saved, or 400 naming
    the record's collection with the record stored as it was (nothing half-written)."""
    client, headers = api
    collection, field = target
    TRIED["api_fields"] += 1
    record_id = SAMPLE_JSON[collection][0]["id"]
    url = f"/api/v1/{collection}/{record_id}"
    current = client.get(url, headers=headers)
    assert current.status_code == 200, current.get_data(as_text=True)
    stored = current.get_json()
    record = {**stored["record"], field: value}
    answer = client.put(url, json={"record": record, "version": stored["version"]}, headers=headers)
    assert answer.status_code in (200, 400), answer.get_data(as_text=True)
    if answer.status_code == 400:
        problems = answer.get_json()["error"]["problems"]
        assert problems
        for problem in problems:
            assert problem.startswith(collection), problem
        if _nan_free(value):
            assert any(field in p for p in problems), (field, problems)
        assert client.get(url, headers=headers).get_json() == stored
    else:
        # Saved: put the sample's record back, so later examples start from it again.
        back = client.put(
            url,
            json={"record": SAMPLE_JSON[collection][0], "version": answer.get_json()["version"]},
            headers=headers,
        )
        assert back.status_code == 200, back.get_data(as_text=True)
