"""The JSON dataset format: strict structuring and a lossless round trip."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataset_strategies import datasets
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Dataset,
    Name,
    Organisation,
    PartyKind,
    PartyRef,
    Scope,
)
from jarjesto_core.reference import bundled_reference
from jarjesto_core.serialise import (
    FieldError,
    dump_dataset,
    make_converter,
    parse_dataset,
    structure_dataset,
    unstructure_dataset,
)

# -- round trips -------------------------------------------------------------------------


@given(datasets())
def test_structure_of_unstructure_is_identity(dataset: Dataset) -> None:
    parsed = structure_dataset(unstructure_dataset(dataset))
    assert parsed.problems == ()
    assert parsed.dataset == dataset


@given(datasets())
def test_load_of_dump_is_identity(dataset: Dataset) -> None:
    text = dump_dataset(dataset)
    parsed = parse_dataset(text)
    assert parsed.problems == ()
    assert parsed.dataset == dataset
    # Stable: the same dataset always gives the same text.
    assert dump_dataset(parsed.dataset) == text


@given(datasets())
def test_converter_round_trip_per_record(dataset: Dataset) -> None:
    conv = make_converter()
    for _collection, record in dataset.records():
        assert conv.structure(conv.unstructure(record), type(record)) == record


def test_amounts_in_exponent_form_are_written_plainly() -> None:
    agreement = Agreement(
        "a",
        AgreementKind.OPERATING_GRANT,
        PartyRef.area("14"),
        "o",
        dt.date(2024, 1, 1),
        annual_amount_eur=Decimal("1E+3"),
    )
    doc = unstructure_dataset(Dataset(agreements=(agreement,)))
    assert doc["agreements"][0]["annual_amount_eur"] == "1000"


def test_absent_values_are_left_out() -> None:
    org = Organisation("o", Name(fi="O"), ("fi",), Scope.LOCAL, ("167",))
    doc = unstructure_dataset(Dataset(organisations=(org,)))
    assert doc == {
        "format": "jarjesto-dataset",
        "version": 1,
        "organisations": [
            {
                "id": "o",
                "name": {"fi": "O"},
                "languages": ["fi"],
                "scope": "local",
                "municipalities": ["167"],
            }
        ],
    }


# -- refusals ------------------------------------------------------------------------------


def rendered(doc: Any) -> list[str]:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    return [p.render("en") for p in parse_dataset(text).problems]


def org(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "o",
        "name": {"fi": "O"},
        "languages": ["fi"],
        "scope": "local",
        "municipalities": ["167"],
    }
    record.update(changes)
    return record


def doc_with(**collections: Any) -> dict[str, Any]:
    return {"format": "jarjesto-dataset", "version": 1, **collections}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            {"format": "something-else", "version": 1},
            "format: this is not a jarjesto dataset: \"format\" is 'something-else', expected "
            "'jarjesto-dataset'",
        ),
        (
            {"version": 1},
            'format: this is not a jarjesto dataset: "format" is None, expected '
            "'jarjesto-dataset'",
        ),
        (
            {"format": "jarjesto-dataset", "version": 2},
            "version: dataset version 2 is not supported: expected version 1",
        ),
        ([1, 2], "a dataset is a JSON object, not list"),
    ],
)
def test_format_and_version_are_refused(doc: Any, message: str) -> None:
    assert rendered(doc) == [message]


def test_unknown_top_level_key() -> None:
    assert rendered(doc_with(organizations=[])) == [
        "organizations: unknown key 'organizations': a dataset has agreements, "
        "appropriations, commitments, coordinators, coverage, description, format, funders, "
        "hearings, joint_authorities, name, organisations, publisher, responsibilities, "
        "services, structures, version, welfare_reports"
    ]


def test_unknown_record_keys_are_named_and_the_rest_still_checked() -> None:
    record = org(colour="red", web="x", members="5")
    assert rendered(doc_with(organisations=[record])) == [
        "organisations[0] (o): unknown field colour, web",
        "organisations[0] (o).members: '5' is not a whole number",
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"members": True}, "organisations[0] (o).members: True is not a whole number"),
        ({"members": 2.5}, "organisations[0] (o).members: 2.5 is not a whole number"),
        ({"register_number": 5}, "organisations[0] (o).register_number: 5 is not text"),
        ({"languages": "fi"}, "organisations[0] (o).languages: 'fi' is not a list"),
        (
            {"founded": "1.1.2020"},
            "organisations[0] (o).founded: '1.1.2020' is not a date: expected YYYY-MM-DD",
        ),
        (
            {"founded": "2023-02-30"},
            "organisations[0] (o).founded: '2023-02-30' is not a real date",
        ),
        ({"name": {}}, "organisations[0] (o).name: a name needs at least one of fi, sv, en"),
        (
            {"name": {"de": "X"}},
            "organisations[0] (o).name: a name has languages fi, sv and en only, not de",
        ),
        (
            {"scope": None},
            "organisations[0] (o).scope: unknown value None: allowed values are "
            "local, regional, national",
        ),
    ],
)
def test_strict_fields(changes: dict[str, Any], message: str) -> None:
    assert rendered(doc_with(organisations=[org(**changes)])) == [message]


def test_missing_required_field() -> None:
    record = org()
    del record["scope"]
    assert rendered(doc_with(organisations=[record])) == [
        "organisations[0] (o).scope: required field is missing"
    ]


def test_a_record_that_is_not_an_object() -> None:
    assert rendered(doc_with(organisations=["o"])) == [
        "organisations[0]: 'o' is not a record: expected an object"
    ]


def test_a_collection_that_is_not_a_list() -> None:
    assert rendered(doc_with(organisations={"o": org()})) == [
        "organisations: dict is not a list of records"
    ]


def test_malformed_json() -> None:
    parsed = parse_dataset('{"format": "jarjesto-dataset",\n "version": 1,,}', file="x.json")
    assert [p.render("en") for p in parsed.problems] == [
        "x.json: line 2, column 15: malformed JSON: Expecting property name enclosed in "
        "double quotes"
    ]


def test_equal_party_references_share_one_object() -> None:
    """Indexes tell parties apart by identity first; a parsed dataset must let them."""
    from jarjesto_core.files import sample_dataset

    dataset = sample_dataset()
    parties = [a.party for a in dataset.agreements]
    by_text: dict[str, PartyRef] = {}
    for party in parties:
        assert by_text.setdefault(str(party), party) is party
    assert len(by_text) < len(parties)


def test_identifiers_codes_and_dates_are_shared() -> None:
    """One object per value, the reference data's codes included: lookups compare identities."""
    from jarjesto_core.files import sample_dataset

    dataset = sample_dataset()
    ids = {o.id: o.id for o in dataset.organisations}
    assert all(s.organisation is ids[s.organisation] for s in dataset.services)
    assert all(a.organisation is ids[a.organisation] for a in dataset.agreements)
    reference = bundled_reference()
    codes = [c for o in dataset.organisations for c in o.municipalities]
    codes += [a.party.code for a in dataset.agreements if a.party.kind is PartyKind.MUNICIPALITY]
    assert len(codes) > len(set(codes))
    for code in codes:
        known = reference.municipality(code, 2025)
        assert known is not None
        assert known.code is code
    days = [a.start for a in dataset.agreements] + [a.end for a in dataset.agreements if a.end]
    shared: dict[dt.date, dt.date] = {}
    assert all(shared.setdefault(day, day) is day for day in days)
    assert len(shared) < len(days)


@given(
    st.one_of(
        st.dates().map(dt.date.isoformat),
        st.from_regex(r"\A\d{4}-\d{2}-\d{2}\Z"),
        st.text(max_size=12),
    )
)
def test_a_date_is_yyyy_mm_dd_as_fromisoformat_reads_it_and_reads_alike_twice(text: str) -> None:
    converter = make_converter()
    expected: dt.date | None = None
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        with contextlib.suppress(ValueError):
            expected = dt.date.fromisoformat(text)
    for _ in range(2):  # the second read is the cache's, errors included
        if expected is not None:
            assert converter.structure(text, dt.date) == expected
        else:
            with pytest.raises(FieldError, match=r"is not a (real )?date"):
                converter.structure(text, dt.date)


def test_equal_amounts_written_alike_are_one_object_and_keep_their_scale() -> None:
    def grant(number: int, amount: str) -> dict[str, Any]:
        return {
            "id": f"a{number}",
            "kind": "operating_grant",
            "organisation": "o",
            "party": "municipality:167",
            "start": "2024-01-01",
            "annual_amount_eur": amount,
        }

    doc = {
        "format": "jarjesto-dataset",
        "version": 1,
        "agreements": [grant(1, "5000.00"), grant(2, "5000.00"), grant(3, "5000.0")],
    }
    parsed = parse_dataset(json.dumps(doc))
    first, second, third = (a.annual_amount_eur for a in parsed.dataset.agreements)
    assert first is second
    assert str(first) == "5000.00"
    assert str(third) == "5000.0"
