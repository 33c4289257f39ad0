"""The data of domain.md v2: hearing quality, welfare reports, appropriations, new kinds.

Each new field round-trips through JSON and CSV, bad values are refused naming
the record and field, and an absent optional field stays unknown (None).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core import load_dataset
from jarjesto_core.csvio import read_csv, write_csv
from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import Domain, Topic, WelfareReportKind
from jarjesto_core.serialise import dump_dataset
from test_validate import base, problems


def full() -> dict[str, Any]:
    doc = base()
    doc["hearings"].append(
        {
            "id": "hear-2",
            "party": "area:14",
            "date": "2024-03-01",
            "topic": "Palveluverkko",
            "structures": ["jane"],
            "decision": "Aluehallitus 12.3.2024 § 45",
            "decision_date": "2024-04-12",
            "deadline": "2024-03-20",
            "statements": 7,
            "response_published": True,
            "changes": "Kaksi toimipistettä säilyi",
            "residents": False,
        }
    )
    doc["commitments"][0]["decided"] = "2022-11-30"
    doc["commitments"][0]["topics"].append("funding_principles")
    doc["welfare_reports"] = [
        {
            "id": "hyvinvointikertomus",
            "party": "municipality:167",
            "kind": "report",
            "start": "2021-08-01",
            "end": "2025-05-31",
            "decided": "2021-12-13",
            "organisations_heard": True,
            "indicators": "TEAviisari",
        }
    ]
    doc["appropriations"] = [
        {
            "id": "hyte-2024",
            "party": "municipality:167",
            "year": 2024,
            "line": "Hyvinvoinnin ja terveyden edistäminen",
            "amount_eur": "250000.00",
            "hyte": True,
            "grants_reserved_eur": "40000.00",
        }
    ]
    doc["services"].append(
        {"id": "svc-c", "organisation": "org-a", "name": {"fi": "Omaiset"}, "kind": "carer_support"}
    )
    return doc


def test_the_new_fields_and_collections_load_and_round_trip() -> None:
    dataset = load_dataset(json.dumps(full()))

    hearing = dataset.hearings[1]
    assert hearing.organisations == ()
    assert hearing.structures == ("jane",)
    assert (hearing.decision, hearing.statements, hearing.response_published) == (
        "Aluehallitus 12.3.2024 § 45",
        7,
        True,
    )
    assert hearing.residents is False
    assert dataset.commitments[0].topics[-1] is Topic.FUNDING_PRINCIPLES
    (report,) = dataset.welfare_reports
    assert report.kind is WelfareReportKind.REPORT
    assert report.includes_organisations is None  # absent: unknown, not false
    (line,) = dataset.appropriations
    assert (line.year, line.grants_reserved_eur, line.hyte) == (2024, Decimal("40000.00"), True)
    assert load_dataset(dump_dataset(dataset)) == dataset


def test_absent_quality_fields_are_unknown_not_false() -> None:
    hearing = load_dataset(json.dumps(base())).hearings[0]
    assert (
        hearing.decision,
        hearing.decision_date,
        hearing.deadline,
        hearing.statements,
        hearing.response_published,
        hearing.changes,
        hearing.residents,
    ) == (None,) * 7


def test_new_service_kinds_and_their_domains() -> None:
    assert CORE_SERVICE_KINDS["carer_support"] is Domain.PREVENTION
    assert CORE_SERVICE_KINDS["employment"] is Domain.MUNICIPAL


def test_a_hearing_names_who_was_heard() -> None:
    doc = base()
    doc["hearings"][0]["organisations"] = []
    assert problems(doc) == [
        "hearings[0] (hear-1).organisations: a hearing names who was heard: give organisations "
        "(heard directly), structures (bodies heard), or both"
    ]


def test_a_hearing_names_bodies_that_exist_and_a_deadline_after_it_began() -> None:
    doc = base()
    doc["hearings"][0].update(structures=["jane", "nobody"], deadline="2024-02-01", statements=-1)
    assert problems(doc) == [
        "hearings[0] (hear-1).structures[1]: body nobody does not exist: no record of the "
        "structures collection has this id",
        "hearings[0] (hear-1).deadline: the deadline 2024-02-01 is before the hearing began on "
        "2024-03-01: statements cannot be due before they were asked for",
        "hearings[0] (hear-1).statements: -1 is negative: expected a count of 0 or more",
    ]


def test_response_published_is_true_or_false_not_text() -> None:
    doc = base()
    doc["hearings"][0]["response_published"] = "yes"
    assert problems(doc) == ["hearings[0] (hear-1).response_published: 'yes' is not true or false"]


def test_appropriation_amounts_are_checked() -> None:
    doc = full()
    doc["appropriations"][0].update(grants_reserved_eur="300000.00")
    doc["appropriations"].append(
        {
            "id": "neg",
            "party": "area:14",
            "year": 2024,
            "line": "Hyte",
            "amount_eur": "-5",
        }
    )
    assert problems(doc) == [
        "appropriations[0] (hyte-2024).grants_reserved_eur: 300000.00 reserved for grants is "
        "more than the whole appropriation (250000.00)",
        "appropriations[1] (neg).amount_eur: -5 is a negative amount: expected euros, 0 or more",
    ]


def test_a_welfare_report_has_a_known_kind_and_a_period() -> None:
    doc = full()
    doc["welfare_reports"][0].update(kind="diary", end="2020-01-01")
    assert problems(doc) == [
        "welfare_reports[0] (hyvinvointikertomus).kind: unknown value 'diary': allowed values "
        "are report, plan, annual_report"
    ]
    doc["welfare_reports"][0]["kind"] = "plan"
    assert problems(doc) == [
        "welfare_reports[0] (hyvinvointikertomus).end: the end 2020-01-01 is before the start "
        "2021-08-01"
    ]


def test_an_appropriation_of_a_municipality_that_does_not_exist() -> None:
    doc = full()
    doc["appropriations"][0]["party"] = "municipality:999"
    (message,) = problems(doc)
    assert message.startswith("appropriations[0] (hyte-2024).party: municipality 999 does not")


@pytest.mark.parametrize("collection", ["hearings", "welfare_reports", "appropriations"])
def test_the_new_records_round_trip_through_csv(collection: str) -> None:
    dataset = load_dataset(json.dumps(full()))
    records = dataset.collection(collection)
    text = write_csv(collection, records)
    rows = read_csv(collection, text.encode("utf-8"), file="x.csv")
    assert rows.records == records


@given(
    statements=st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)),
    published=st.one_of(st.none(), st.booleans()),
    residents=st.one_of(st.none(), st.booleans()),
    reserved=st.one_of(st.none(), st.integers(min_value=0, max_value=250000)),
)
def test_any_known_or_unknown_values_round_trip(
    statements: int | None, published: bool | None, residents: bool | None, reserved: int | None
) -> None:
    doc = full()
    hearing = doc["hearings"][1]
    for key, value in (
        ("statements", statements),
        ("response_published", published),
        ("residents", residents),
    ):
        hearing.pop(key)
        if value is not None:
            hearing[key] = value
    doc["appropriations"][0].pop("grants_reserved_eur")
    if reserved is not None:
        doc["appropriations"][0]["grants_reserved_eur"] = str(reserved)
    dataset = load_dataset(json.dumps(doc))
    assert dataset.hearings[1].statements == statements
    assert dataset.hearings[1].response_published == published
    assert dataset.hearings[1].residents == residents
    assert load_dataset(dump_dataset(dataset)) == dataset
