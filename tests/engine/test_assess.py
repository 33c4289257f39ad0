"""assess(): subjects, scores, the JSON document of criteria.md, the default year."""

from __future__ import annotations

import datetime as dt
import json

from engine_support import (
    HELSINKI,
    JOENSUU,
    KARJALA,
    agreement,
    coordinator,
    covered,
    d,
    dataset,
    hearing,
    org,
    party,
    responsibility,
    structure,
    svc,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jarjesto_core.assessment import assess, default_year, touched_subjects
from jarjesto_core.continuity import Interruption
from jarjesto_core.demo import generate
from jarjesto_core.files import sample_dataset
from jarjesto_core.model import Dataset, PartyKind
from jarjesto_core.reference import Reference
from jarjesto_core.registry import Registry

M = f"municipality:{JOENSUU}"


def sample() -> Dataset:
    """Joensuu and its area covered: absence there means "no"."""
    return covered(
        _records(), M, f"area:{KARJALA}", collections=("agreements", "coordinators", "hearings")
    )


def _records() -> Dataset:
    return dataset(
        organisations=[org("o1"), org("o2", "309"), org("o3", HELSINKI)],
        services=[svc("club", "o1"), svc("culture", "o2", "culture")],
        agreements=[
            agreement("g1", "operating_grant", M, "o1", start=2020, end=2022),
            agreement("buy", "service_purchase", f"area:{KARJALA}", "o1", start=2023),
        ],
        coordinators=[coordinator("c1", M, "organisation_coordinator")],
        hearings=[hearing("h1", "area:90", d(2023, 3), "o3")],
    )


def test_touched_subjects(reference: Reference) -> None:
    subjects = [str(p) for p in touched_subjects(sample(), reference, 2023)]
    # Helsinki's area 90 is the city: one subject.
    assert subjects == ["area:14", "municipality:091", "municipality:167", "municipality:309"]


def test_score_and_counts(registry: Registry, reference: Reference) -> None:
    result = assess(sample(), 2023, [party(M)], registry=registry, reference=reference)
    (subject,) = result.subjects
    statuses = {f.rule: f.status.value for f in subject.findings}
    judged = [s for s in statuses.values() if s in ("met", "partial", "not_met")]
    points = sum({"met": 1, "partial": 0.5}.get(s, 0) for s in judged)
    assert subject.judged == len(judged)
    assert subject.score == round(100 * points / len(judged), 1)
    assert statuses["core.coordinator"] == "met"
    assert statuses["core.grant-continuity"] == "not_met"


def test_score_is_null_when_nothing_is_judged(registry: Registry, reference: Reference) -> None:
    result = assess(
        dataset(), 2024, [party("municipality:309")], registry=registry, reference=reference
    )
    doc = result.as_json("en")
    assert doc["subjects"][0]["core_score"] is None
    assert doc["subjects"][0]["judged"] == 0


def test_json_document_has_exactly_the_keys_of_criteria_md(
    registry: Registry, reference: Reference
) -> None:
    result = assess(sample(), 2023, registry=registry, reference=reference)
    doc = json.loads(registry.report_formats["json"].render(result, "en"))
    assert list(doc) == [
        "format",
        "version",
        "year",
        "subjects",
        "coverage",
        "funding",
        "interruptions",
    ]
    assert (doc["format"], doc["version"], doc["year"]) == ("jarjesto-assessment", 2, 2023)
    subject = doc["subjects"][0]
    assert list(subject) == [
        "party",
        "name",
        "core_score",
        "judged",
        "applicable",
        "unknown",
        "not_applicable",
        "too_little_data",
        "plugin_scores",
        "findings",
    ]
    assert list(subject["findings"][0]) == [
        "rule",
        "title",
        "status",
        "message",
        "evidence",
        "missing",
        "coverage",
        "sources",
    ]
    assert [c["id"] for c in doc["coverage"]] == ["cov-0"]
    assert list(doc["funding"][0]) == [
        "municipality",
        "service",
        "kind",
        "domain",
        "responsible",
        "funders",
        "status",
    ]
    assert doc["interruptions"] == [
        {"organisation": "o1", "party": M, "year": 2023, "kind": "interruption", "reform_gap": True}
    ]
    club = next(r for r in doc["funding"] if r["service"] == "club")
    assert club == {
        "municipality": JOENSUU,
        "service": "club",
        "kind": "clubhouse",
        "domain": "prevention",
        "responsible": None,
        "funders": [f"area:{KARJALA}"],
        "status": "blind_spot",
    }


def test_an_area_subject_covers_its_member_municipalities(
    registry: Registry, reference: Reference
) -> None:
    result = assess(
        sample(), 2023, [party(f"area:{KARJALA}")], registry=registry, reference=reference
    )
    assert {r.municipality for r in result.funding} == {JOENSUU, "309"}
    # Joensuu's interruption is the area's too.
    assert [i.organisation for i in result.interruptions] == ["o1"]


def test_default_year_is_the_latest_in_force_capped_at_this_year() -> None:
    today = dt.date(2025, 6, 1)
    closed = dataset(agreements=[agreement("g", "operating_grant", M, "o", start=2020, end=2023)])
    assert default_year(closed, today) == 2023
    open_ended = dataset(agreements=[agreement("g", "operating_grant", M, "o", start=2020)])
    assert default_year(open_ended, today) == 2025
    ahead = dataset(agreements=[agreement("g", "operating_grant", M, "o", start=2020, end=2030)])
    assert default_year(ahead, today) == 2025
    future = dataset(agreements=[agreement("g", "operating_grant", M, "o", start=2027)])
    assert default_year(future, today) == 2027
    meetings = dataset(structures=[structure("s", "youth_council", M, meetings=(d(2021, 5),))])
    assert default_year(meetings, today) == 2021
    assert default_year(dataset(), today) is None


def test_default_year_is_the_latest_with_most_records_in_force() -> None:
    """Issue 25: one grant saved for next year must not move everyone's year."""
    grants = [
        agreement(f"g{y}{i}", "operating_grant", M, f"o{i}", start=y, end=y)
        for y in range(2022, 2026)
        for i in range(3)
    ]
    standing = [responsibility(f"r{i}", JOENSUU, KARJALA, start=2021) for i in range(2)]
    data = dataset(agreements=grants, responsibilities=standing)
    # Data ending in 2025 opens on 2025 even in 2026: the open-ended
    # responsibilities alone are in force in 2026, fewer records than in 2025.
    assert default_year(data, dt.date(2026, 3, 1)) == 2025
    assert default_year(data, dt.date(2025, 3, 1)) == 2025
    # One grant for 2026 (this year) or 2027 (next year) does not move it.
    early = agreement("next", "operating_grant", M, "o9", start=2026, end=2026)
    later = agreement("later", "operating_grant", M, "o9", start=2027, end=2027)
    for extra in (early, later):
        moved = dataset(agreements=[*grants, extra], responsibilities=standing)
        assert default_year(moved, dt.date(2026, 3, 1)) == 2025
    # Never past the current year, however many records lie ahead: they count
    # only once their year has come.
    ahead = [agreement(f"f{i}", "operating_grant", M, "o", start=2027) for i in range(20)]
    assert default_year(dataset(agreements=[*grants, *ahead]), dt.date(2026, 3, 1)) == 2025
    # Once this year holds as many records as last year, it becomes the default.
    full = [
        agreement(f"n{i}", "operating_grant", M, f"o{i}", start=2026, end=2026) for i in range(3)
    ]
    assert (
        default_year(
            dataset(agreements=[*grants, *full], responsibilities=standing), dt.date(2026, 9, 1)
        )
        == 2026
    )


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 10_000), year=st.integers(2022, 2025), pick=st.integers(0, 10_000))
def test_a_named_subject_is_assessed_as_in_the_whole_assessment(
    registry: Registry, reference: Reference, seed: int, year: int, pick: int
) -> None:
    """Naming subjects narrows the work (funding table, interruptions), never the answers."""
    ds = generate(reference, organisations=80, years=5, seed=seed)
    whole = assess(ds, year, registry=registry, reference=reference)
    subject = whole.subjects[pick % len(whole.subjects)]
    alone = assess(ds, year, [subject.party], registry=registry, reference=reference)
    assert alone.subjects == (subject,)
    here = reference.territory(subject.party, year)
    assert alone.funding == tuple(r for r in whole.funding if r.municipality in here)
    body = reference.canonical(subject.party)

    def concerns(i: Interruption) -> bool:
        # A subject's own interruptions; an area's include its member municipalities'.
        return reference.canonical(i.party) == body or (
            subject.party.kind is PartyKind.AREA
            and i.party.kind is PartyKind.MUNICIPALITY
            and reference.area_of(i.party.code, year) == subject.party.code
        )

    assert alone.interruptions == tuple(i for i in whole.interruptions if concerns(i))


def test_default_year_of_the_sample_and_events() -> None:
    """The sample runs to 2025, but 2024 holds more records in force (its budget lines)."""
    assert default_year(sample_dataset(), dt.date(2026, 3, 1)) == 2024
    # Hearings are events: they do not outweigh the records in force of a later year.
    grants = [agreement(f"g{i}", "operating_grant", M, "o", start=2024, end=2025) for i in range(2)]
    hearings = [hearing(f"h{i}", M, d(2024, 3)) for i in range(5)]
    assert default_year(dataset(agreements=grants, hearings=hearings), dt.date(2026, 1, 1)) == 2025
    # Only when nothing else is dated do they give the year.
    assert default_year(dataset(hearings=hearings), dt.date(2026, 1, 1)) == 2024


def test_a_year_index_given_must_be_of_the_dataset_and_year() -> None:
    import pytest

    from jarjesto_core.index import YearIndex
    from jarjesto_core.reference import bundled_reference

    ds, ref = sample_dataset(), bundled_reference()
    shared = YearIndex(ds, ref, 2024)
    assert assess(ds, 2024, index=shared, reference=ref).as_json("fi") == assess(
        ds, 2024, reference=ref
    ).as_json("fi")
    with pytest.raises(ValueError, match="another dataset or year"):
        assess(ds, 2023, index=shared, reference=ref)
