"""JANE, local coverage and the tightened cooperation threshold, on the sample and on small data."""

from __future__ import annotations

import datetime as dt
from importlib import metadata

import pytest
from jarjesto_core.plugin import (
    Coordinator,
    CoordinatorTitle,
    Name,
    PartyRef,
    Status,
    Structure,
    StructureKind,
)
from jarjesto_core.testing import Jarjesto

AREA = PartyRef.area("14")
JANE = "pohjois_karjala.jane"
LOCAL = "pohjois_karjala.local-coverage"
#: The 13 member municipalities of 2024.
MEMBERS = "090 146 167 176 260 276 309 422 426 541 607 707 848".split()  # noqa: SIM905


def council(meetings: int, members: tuple[str, ...] = ("a", "b", "c")) -> Structure:
    dates = tuple(dt.date(2024, 1, 1) + dt.timedelta(days=30 * i) for i in range(meetings))
    return Structure(
        "jane", StructureKind.ORGANISATION_COUNCIL, AREA, Name(fi="JANE"), members, dates
    )


def fields(jarjesto: Jarjesto) -> list[object]:
    """Three organisations of Joensuu from three fields."""
    return [
        jarjesto.organisation("a", "mental_health", municipalities=["167"]),
        jarjesto.organisation("b", "older_people", municipalities=["167"]),
        jarjesto.organisation("c", "sport", "youth", municipalities=["167"]),
    ]


def test_the_entry_point_names_the_plugin() -> None:
    points = metadata.entry_points(group="jarjesto", name="pohjois_karjala")
    assert [p.value for p in points] == ["jarjesto_pohjois_karjala"]


def test_rule_codes_are_in_the_plugins_namespace(jarjesto: Jarjesto) -> None:
    rules = jarjesto.registry.rule_plugins.items()
    assert {c for c, p in rules if p == "pohjois_karjala"} == {JANE, LOCAL}


@pytest.mark.parametrize(("year", "status"), [(2024, "met"), (2025, "met")])
def test_jane_on_the_sample(jarjesto: Jarjesto, year: int, status: str) -> None:
    found = jarjesto.finding(jarjesto.sample(), year, AREA, JANE, covered=True)
    assert (found.status, found.evidence) == (Status(status), ("jane",))


@pytest.mark.parametrize("year", [2021, 2022])
def test_an_area_is_not_judged_before_2023(jarjesto: Jarjesto, year: int) -> None:
    """criteria.md v2: the wellbeing areas organised nothing before 2023."""
    for rule in (JANE, LOCAL):
        found = jarjesto.finding(jarjesto.sample(), year, AREA, rule, covered=True)
        assert found.status is Status.NOT_APPLICABLE


def test_jane_message_in_three_languages(jarjesto: Jarjesto) -> None:
    data = jarjesto.dataset(*fields(jarjesto), council(4))
    found = jarjesto.finding(data, 2024, AREA, JANE, covered=True)
    assert found.render("en") == (
        "JANE met 4 times in 2024 (target: at least 5 times), and its members come from 4 fields "
        "(target: at least 3 fields)."
    )
    assert found.render("fi") == (
        "JANE kokoontui vuonna 2024 4 kertaa (tavoite vähintään 5 kertaa), ja sen jäsenet "
        "edustavat 4 toimialaa (tavoite vähintään 3 toimialaa)."
    )
    assert found.render("sv").startswith("JANE sammanträdde 4 gånger år 2024")


def test_jane_partial_when_its_members_share_a_field(jarjesto: Jarjesto) -> None:
    narrow = jarjesto.dataset(
        jarjesto.organisation("a", "mental_health", municipalities=["167"]),
        jarjesto.organisation("b", "mental_health", municipalities=["167"]),
        council(6, ("a", "b")),
    )
    found = jarjesto.finding(narrow, 2024, AREA, JANE, covered=True)
    assert found.status is Status.PARTIAL
    assert found.params["fields"].count == 1


def test_jane_not_met_without_a_council(jarjesto: Jarjesto) -> None:
    coordinator = Coordinator(
        "c", AREA, CoordinatorTitle.ORGANISATION_COORDINATOR, dt.date(2024, 1, 1)
    )
    ds = jarjesto.dataset(*fields(jarjesto), coordinator)
    found = jarjesto.finding(ds, 2024, AREA, JANE, covered=True)
    assert found.status is Status.NOT_MET
    assert found.render("en") == (
        "No regional organisation council (JANE) with organisation members exists."
    )


def test_jane_met_in_small_data(jarjesto: Jarjesto) -> None:
    ds = jarjesto.dataset(*fields(jarjesto), council(5))
    assert jarjesto.finding(ds, 2024, AREA, JANE, covered=True).status is Status.MET


def test_other_areas_are_not_its_concern(jarjesto: Jarjesto) -> None:
    result = jarjesto.assess(jarjesto.sample(), 2024, [PartyRef.area("05")])
    # Another area's report never lists this region's rules (criteria.md, "Scores").
    assert not [f for f in result.subjects[0].findings if f.rule.startswith("pohjois_karjala.")]


@pytest.mark.parametrize("rule", [JANE, LOCAL])
def test_without_coverage_nothing_recorded_is_unknown(jarjesto: Jarjesto, rule: str) -> None:
    """Absence without coverage is "not recorded", never "no" (criteria.md v2)."""
    found = jarjesto.finding(jarjesto.dataset(), 2024, AREA, rule)
    assert found.status is Status.UNKNOWN
    assert "Not recorded" in found.render("en")
    assert "ei ole kirjattu" in found.render("fi")
    assert found.missing_texts("en")


@pytest.mark.parametrize("rule", [JANE, LOCAL])
def test_with_coverage_nothing_recorded_is_not_met(jarjesto: Jarjesto, rule: str) -> None:
    found = jarjesto.finding(jarjesto.dataset(), 2024, AREA, rule, covered=True)
    assert found.status is Status.NOT_MET
    assert found.coverage == ("cov-0",)


@pytest.mark.parametrize(
    ("year", "status", "covered"),
    [(2023, "partial", 1), (2024, "partial", 1)],
)
def test_local_coverage_on_the_sample(
    jarjesto: Jarjesto, year: int, status: str, covered: int
) -> None:
    found = jarjesto.finding(jarjesto.sample(), year, AREA, LOCAL, covered=True)
    assert (found.status, found.params["covered"], found.params["total"]) == (
        Status(status),
        covered,
        13,
    )


def test_local_coverage_names_the_missing_municipalities(jarjesto: Jarjesto) -> None:
    found = jarjesto.finding(jarjesto.sample(), 2024, AREA, LOCAL, covered=True)
    assert found.evidence == ("coord-outokumpu-agent", "paikallis-jane-outokumpu")
    assert found.render("en") == (
        "1 of the 13 member municipalities have a local organisation council (Paikallis-JANE) or "
        "an association agent; missing: Heinävesi, Ilomantsi, Joensuu, Juuka, Kitee, Kontiolahti, "
        "Lieksa, Liperi, Nurmes, Polvijärvi, Rääkkylä, Tohmajärvi."
    )
    # Names in the reader's language: Juuka is Juga in Swedish.
    assert "saknas: Heinävesi, Ilomants, Joensuu, Juga, Kides, Kontiolax" in found.render("sv")


def test_local_coverage_met_when_every_member_is_covered(jarjesto: Jarjesto) -> None:
    agents = [
        Coordinator(
            f"agent-{code}",
            PartyRef.municipality(code),
            CoordinatorTitle.ASSOCIATION_AGENT,
            dt.date(2024, 1, 1),
        )
        for code in MEMBERS
    ]
    found = jarjesto.finding(jarjesto.dataset(*agents), 2024, AREA, LOCAL, covered=True)
    assert found.status is Status.MET
    assert found.render("fi") == (
        "Kaikilla 13 jäsenkunnalla on paikallinen järjestöasiain neuvottelukunta "
        "(Paikallis-JANE) tai yhdistysagentti."
    )


def test_a_local_council_that_did_not_meet_does_not_cover(jarjesto: Jarjesto) -> None:
    idle = Structure(
        "pj",
        StructureKind.LOCAL_ORGANISATION_COUNCIL,
        PartyRef.municipality("167"),
        Name(fi="Paikallis-JANE"),
        ("a",),
        (dt.date(2023, 5, 1),),
    )
    ds = jarjesto.dataset(*fields(jarjesto), idle)
    assert jarjesto.finding(ds, 2023, AREA, LOCAL, covered=True).status is Status.PARTIAL
    assert jarjesto.finding(ds, 2024, AREA, LOCAL, covered=True).status is Status.NOT_MET


def test_thresholds_tighten_core_cooperation_structure_for_the_area(jarjesto: Jarjesto) -> None:
    rule = jarjesto.registry.rules["core.cooperation-structure"]
    assert jarjesto.registry.thresholds(rule, AREA, 2024) == {"min_meetings": 5}
    assert jarjesto.registry.thresholds(rule, PartyRef.area("08"), 2024) == {"min_meetings": 2}
    # A JANE that met four times: enough for core's two, not for the region's five.
    data = jarjesto.dataset(*fields(jarjesto), council(4))
    assert jarjesto.finding(data, 2024, AREA, rule.code, covered=True).status is Status.PARTIAL
    sample = jarjesto.sample()
    assert jarjesto.finding(sample, 2024, AREA, rule.code, covered=True).status is Status.MET
    core_only = Jarjesto()
    assert core_only.finding(data, 2024, AREA, rule.code, covered=True).status is Status.MET
