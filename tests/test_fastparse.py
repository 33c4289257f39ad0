"""The fast reading path accepts only what the strict path accepts, and builds the same dataset.

Every case compares :func:`parse_dataset` (fast path first) with
:func:`strict_parse_dataset` (the strict path alone) on the same text: equal
datasets, problems, indices. Whether the fast path was taken is checked
through :func:`fast_parse` itself.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataset_strategies import datasets
from jarjesto_core.demo import generate
from jarjesto_core.files import sample_dataset
from jarjesto_core.model import COLLECTIONS
from jarjesto_core.reference import bundled_reference
from jarjesto_core.serialise import (
    dump_dataset,
    fast_parse,
    parse_dataset,
    strict_parse_dataset,
    unstructure_dataset,
)


def _same(text: str) -> Any:
    fast, strict = parse_dataset(text, file="f.json"), strict_parse_dataset(text, file="f.json")
    assert fast == strict
    return fast


@pytest.fixture(scope="module")
def generated() -> str:
    return dump_dataset(generate(bundled_reference(), organisations=60, years=4))


def test_the_sample_and_a_generated_dataset_take_the_fast_path() -> None:
    for text in (dump_dataset(sample_dataset()),):
        assert fast_parse(text) is not None
        parsed = _same(text)
        assert not parsed.problems


def test_generated_datasets_are_read_alike_and_share_their_texts(generated: str) -> None:
    assert fast_parse(generated) is not None
    parsed = _same(generated)
    organisations = {o.id: o.id for o in parsed.dataset.organisations}
    # The strict path's interning holds on the fast path too: one object per id.
    for service in parsed.dataset.services:
        assert service.organisation is organisations[service.organisation]
    dates = {}
    for agreement in parsed.dataset.agreements:
        assert dates.setdefault(agreement.start, agreement.start) is agreement.start


def test_every_collection_of_the_model_has_a_fast_reader() -> None:
    from jarjesto_core.fastparse import structurer
    from jarjesto_core.serialise import _FORMAT

    assert set(structurer(_FORMAT).collections) == set(COLLECTIONS)


@given(datasets())
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_any_dataset_written_is_read_back_alike(dataset: Any) -> None:
    text = dump_dataset(dataset)
    # Either path may read it (a text holding '":' is left to the strict one): alike.
    assert _same(text).dataset == dataset


def _edit(doc: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    target: Any = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return doc


#: Values the strict path refuses or reads its own way, put in place of a field's value.
ODD_VALUES = st.sampled_from(
    [None, True, False, 0, 1, -1, 2**63, 2**64 + 1, 1.5, "", " ", "x\x00y", "a\tb", "a\nb",
     "\ud800", "2023-02-30", "2023-1-1", "1E+1", "12.50", "municipality:1", "area:14", [],
     ["x"], {}, {"fi": None}, {"fi": "x", "de": "y"}, {"fi": " "}, "ei", "x\u0085",
     '":', "NaN"]
)  # fmt: skip


@given(st.data())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_a_changed_value_is_read_alike_by_both_paths(data: st.DataObject) -> None:
    doc = unstructure_dataset(sample_dataset())
    collection = data.draw(st.sampled_from([c for c in COLLECTIONS if doc.get(c)]))
    index = data.draw(st.integers(0, len(doc[collection]) - 1))
    record = doc[collection][index]
    field = data.draw(st.sampled_from([*sorted(record), "unknown_field"]))
    value = data.draw(ODD_VALUES)
    _edit(doc, [collection, index, field], value)
    text = json.dumps(doc, ensure_ascii=data.draw(st.booleans()), indent=2)
    _same(text)


@pytest.mark.parametrize(
    "text",
    [
        # A key twice in a record, at the top, in a name: the strict path refuses each.
        '{"format": "jarjesto-dataset", "version": 1, "organisations": [{"id": "a", "id": "b",'
        ' "name": {"fi": "A"}, "languages": ["fi"], "scope": "local",'
        ' "municipalities": ["091"]}]}',
        '{"format": "jarjesto-dataset", "version": 1, "version": 1}',
        '{"format": "jarjesto-dataset", "version": 1, "name": {"fi": "A", "fi": "B"}}',
        # The same with whitespace before a colon, which the key count does not see.
        '{"format": "jarjesto-dataset", "version" : 1, "version": 1}',
        # Numbers and texts orjson reads differently or refuses.
        '{"format": "jarjesto-dataset", "version": 1.0}',
        '{"format": "jarjesto-dataset", "version": true}',
        '{"format": "jarjesto-dataset", "version": 1, "name": {"fi": NaN}}',
        '{"format": "jarjesto-dataset", "version": 1, "name": {"fi": "\\ud800"}}',
        '{"format": "jarjesto-dataset", "version": 1, "name": {"fi": "a\\":b"}}',
        '{"format": "jarjesto-dataset", "version": 1, "extra": 1}',
        '{"format": "jarjesto-dataset", "version": 1, "organisations": {}}',
        "[1, 2]",
        '{"format": "jarjesto-dataset", "version": 1',
        "",
    ],
)
def test_documents_the_fast_path_leaves_to_the_strict_path(text: str) -> None:
    _same(text)


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.sampled_from(["\ud800", "a\udfffb", "\x00\x7f\u2028"]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@given(_json_values)
@settings(max_examples=400)
def test_indented_json_is_the_standard_librarys(value: Any) -> None:
    from jarjesto_core.perf import indented_json

    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


@given(_json_values)
@settings(max_examples=400)
def test_stored_json_means_what_the_standard_librarys_text_means(value: Any) -> None:
    """The workspace's JSON columns are written by orjson where it can: read back, the
    text is the value the standard library's own text gives (NaN and big integers too)."""
    from jarjesto_core.perf import stored_json

    text = stored_json(value)
    expected = json.dumps(json.loads(json.dumps(value)), sort_keys=True)
    assert json.dumps(json.loads(text), sort_keys=True) == expected


def test_a_dataset_written_by_orjson_is_byte_for_byte_the_standard_librarys(generated: str) -> None:
    doc = json.loads(generated)
    assert generated == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


@given(datasets())
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_records_are_written_as_the_converter_writes_them(dataset: Any) -> None:
    from jarjesto_core.serialise import _CONVERTER, unstructure_record

    for name in COLLECTIONS:
        for record in dataset.collection(name):
            fast, converter = unstructure_record(record), _CONVERTER.unstructure(record)
            assert fast == converter
            assert list(fast) == list(converter)  # the same key order, so the same JSON text
            assert repr(fast) == repr(converter)  # lists, not tuples


def test_every_record_class_has_a_fast_writer() -> None:
    from jarjesto_core.fastparse import unstructurer
    from jarjesto_core.model import Publisher

    for cls in (*COLLECTIONS.values(), Publisher):
        unstructurer(cls)  # raises TypeError for a field type it cannot write
