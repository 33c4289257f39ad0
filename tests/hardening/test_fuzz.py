"""Fuzzing the inputs people hand jarjesto: JSON datasets, CSV files and API bodies.

Whatever comes in, the answer is the data or a :class:`DatasetError` whose
every problem says where (file, row, record, field); never another
exception, never a 500. Each test counts the inputs it tried for
docs/reliability.md.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jarjesto_core.csvio import import_csv, write_csv
from jarjesto_core.errors import DatasetError
from jarjesto_core.files import load_dataset, sample_dataset
from jarjesto_core.model import COLLECTIONS
from jarjesto_core.serialise import dump_dataset

from .conftest import create

SAMPLE = sample_dataset()
SAMPLE_TEXT = dump_dataset(SAMPLE)
SAMPLE_JSON = json.loads(SAMPLE_TEXT)
TRIED: Counter[str] = Counter()
MANY = settings(
    max_examples=max(settings().max_examples, 200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


@pytest.fixture(scope="module", autouse=True)
def _count(figures: dict[str, Any]) -> Iterator[None]:
    yield
    figures.setdefault("fuzzing", {}).update(dict(TRIED))


def _located(exc: DatasetError, *, file: str | None = None) -> None:
    assert exc.problems
    for problem in exc.problems:
        assert problem.location(), problem
        if file is not None:
            assert problem.file == file or problem.collection is not None, problem


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*path, i))
    return found


PATHS = _paths(SAMPLE_JSON)[1:]


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    document = json.loads(json.dumps(document))
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


def _load(text: str) -> None:
    try:
        load_dataset(text, file="fuzz.json")
    except DatasetError as exc:
        _located(exc, file="fuzz.json")


@MANY
@given(st.sampled_from(PATHS), json_values)
def test_json_loader_with_a_value_replaced(path: tuple[Any, ...], value: Any) -> None:
    TRIED["json_values_replaced"] += 1
    _load(json.dumps(_replace(SAMPLE_JSON, path, value)))


@MANY
@given(st.integers(0, len(SAMPLE_TEXT)))
def test_json_loader_with_a_cut_off_file(cut: int) -> None:
    TRIED["json_cut_off"] += 1
    _load(SAMPLE_TEXT[:cut])


@MANY
@given(st.text(max_size=200) | json_values.map(json.dumps))
def test_json_loader_with_anything(text: str) -> None:
    TRIED["json_arbitrary"] += 1
    _load(text)


def _csv(collection: str) -> str:
    return write_csv(collection, SAMPLE.collection(collection))


HUGE = "<huge>"
cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["1 234,50", "1.234,50", "-0", "1e309", "NaN", "∞", "12,3,4", "0x10", ""]),
    st.sampled_from(["31.2.2024", "2024-02-30", "0.0.0", "2024-13-01", "1.1.10000", "yesterday"]),
    st.just(HUGE),  # a 200 000 character cell, made in the test (not in reprs)
)


@MANY
@given(
    collection=st.sampled_from(list(COLLECTIONS)),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]),
    cut=st.none() | st.integers(0, 4000),
    edits=st.lists(st.tuples(st.integers(1, 30), st.integers(0, 15), cells), max_size=4),
)
def test_csv_importer(
    collection: str,
    delimiter: str,
    encoding: str,
    cut: int | None,
    edits: list[tuple[int, int, str]],
) -> None:
    TRIED["csv_files"] += 1
    lines = [line.split(";") for line in _csv(collection).splitlines()]
    for row, column, value in edits:
        if row < len(lines) and column < len(lines[row]):
            value = "x" * 200_000 if value == HUGE else value
            lines[row][column] = '"' + value.replace('"', '""') + '"'
    text = "\n".join(delimiter.join(line) for line in lines) + "\n"
    data = text.encode(encoding, errors="replace")
    if cut is not None:
        data = data[:cut]
    try:
        import_csv(SAMPLE, collection, data, file="fuzz.csv")
    except DatasetError as exc:
        _located(exc, file="fuzz.csv")
        for problem in exc.problems:
            if problem.collection is not None:
                assert problem.file == "fuzz.csv", problem


def test_a_huge_cell_is_named_by_its_row() -> None:
    text = _csv("hearings").splitlines()
    text.insert(2, "h-huge;" + "x" * 200_000)
    with pytest.raises(DatasetError) as caught:
        import_csv(SAMPLE, "hearings", "\n".join(text).encode(), file="big.csv")
    assert [p.render("en") for p in caught.value.problems] == [
        "big.csv: row 3: a cell is longer than 131072 characters"
    ]
    assert caught.value.problems[0].render("fi") == (
        "big.csv: rivi 3: solussa on yli 131072 merkkiä"
    )


@MANY
@given(st.binary(max_size=300), st.sampled_from(list(COLLECTIONS)))
def test_csv_importer_with_any_bytes(data: bytes, collection: str) -> None:
    TRIED["csv_arbitrary_bytes"] += 1
    try:
        import_csv(SAMPLE, collection, data, file="bytes.csv")
    except DatasetError as exc:
        _located(exc, file="bytes.csv")


@pytest.fixture(scope="module")
def api(seeded: tuple[str, dict[str, str]]) -> tuple[FlaskClient, dict[str, str]]:
    return create(seeded[0]).test_client(), {
        "Authorization": f"Bearer {seeded[1]['editor']}",
        "Accept-Language": "en",
    }


def _record(collection: str) -> dict[str, Any]:
    return json.loads(json.dumps(SAMPLE_JSON[collection][0]))


@settings(max_examples=max(settings().max_examples, 100), deadline=None)
@given(
    collection=st.sampled_from(list(COLLECTIONS)),
    body=st.one_of(
        json_values,
        st.builds(lambda r: {"record": r}, json_values),
        st.builds(lambda v: {"record": v, "version": v}, json_values),
    ),
    field=st.text(max_size=12),
    value=json_values,
    method=st.sampled_from(["POST", "PUT"]),
)
def test_api_bodies(
    api: tuple[FlaskClient, dict[str, str]],
    collection: str,
    body: Any,
    field: str,
    value: Any,
    method: str,
) -> None:
    client, headers = api
    TRIED["api_requests"] += 2
    record = _record(collection)
    record[field] = value
    url = f"/api/v1/{collection}"
    for payload in (body, {"record": record, "version": 1}):
        target = url if method == "POST" else f"{url}/{record.get('id', 'x')}"
        answer = client.open(target, method=method, json=payload, headers=headers)
        assert answer.status_code in (200, 201, 400, 404, 409), answer.get_data(as_text=True)
        if answer.status_code == 400:
            error = answer.get_json()["error"]
            assert error["status"] == 400
            for problem in error.get("problems", []):
                assert problem.startswith(collection), problem


@MANY
@given(st.binary(max_size=200))
def test_api_raw_bodies(api: tuple[FlaskClient, dict[str, str]], data: bytes) -> None:
    client, headers = api
    TRIED["api_requests"] += 1
    answer = client.post(
        "/api/v1/hearings", data=data, headers={**headers, "Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    (problem,) = answer.get_json()["error"]["problems"]
    # What is wrong with the body, as a dataset file's JSON would be told.
    assert problem == 'hearings: expected a JSON object {"record": {...}}' or problem.startswith(
        "hearings: malformed JSON: "
    ), problem


@settings(max_examples=max(settings().max_examples, 100), deadline=None)
@given(
    data=st.binary(max_size=400)
    | st.builds(lambda cut: _csv("hearings").encode("utf-8")[:cut], st.integers(0, 2000)),
    collection=st.sampled_from([*COLLECTIONS, "nonsense"]),
)
def test_cli_import_never_ends_in_a_traceback(data: bytes, collection: str) -> None:
    """The command line, end to end: exit 0 or 1 with a message, the file whole or replaced."""
    import tempfile
    from pathlib import Path

    from click.testing import CliRunner

    from jarjesto_cli.cli import cli
    from jarjesto_core.files import write_dataset

    TRIED["cli_imports"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        dataset, csv = Path(tmp) / "data.json", Path(tmp) / "in.csv"
        write_dataset(dataset, SAMPLE)
        before = dataset.read_bytes()
        csv.write_bytes(data)
        result = CliRunner().invoke(
            cli, ["--lang", "en", "import", str(dataset), collection, str(csv)]
        )
        assert result.exit_code in (0, 1, 2), result.output
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), result.exception
        if result.exit_code != 0:
            assert dataset.read_bytes() == before
            assert result.output.strip()
