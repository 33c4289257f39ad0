"""JANE, local coverage and the tightened cooperation threshold, on the sample and on small data."""

from __future__ import annotations

import datetime as dt
from importlib import metadata

import pytest
from jarjesto_core import sample_dataset
from jarjesto_core.assessment import assess
from jarjesto_core.model import (
    Coordinator,
    CoordinatorTitle,
    Dataset,
    Name,
    Organisation,
    PartyRef,
    Scope,
    Structure,
    StructureKind,
)
from jarjesto_core.plugins import get_plugin_manager
from jarjesto_core.reference import Reference
from jarjesto_core.registry import Registry, build_registry
from jarjesto_core.rules.base import Finding, Status

AREA = PartyRef.area("14")
#: The 13 member municipalities of 2024.
MEMBERS = "090 146 167 176 260 276 309 422 426 541 607 707 848".split()  # noqa: SIM905


def finding(
    registry: Registry, reference: Reference, dataset: Dataset, year: int, rule: str
) -> Finding:
    result = assess(dataset, year, [AREA], registry=registry, reference=reference)
    return next(f for f in result.subjects[0].findings if f.rule == rule)


def org(oid: str, *fields: str) -> Organisation:
    return Organisation(oid, Name(fi=oid), ("fi",), Scope.LOCAL, ("167",), fields=fields)


def council(meetings: int, members: tuple[str, ...] = ("a", "b", "c")) -> Structure:
    dates = tuple(dt.date(2024, 1, 1) + dt.timedelta(days=30 * i) for i in range(meetings))
    return Structure(
        "jane", StructureKind.ORGANISATION_COUNCIL, AREA, Name(fi="JANE"), members, dates
    )


FIELDS = (org("a", "mental_health"), org("b", "older_people"), org("c", "sport", "youth"))


def test_the_entry_point_names_the_plugin() -> None:
    points = metadata.entry_points(group="jarjesto", name="pohjois_karjala")
    assert [p.value for p in points] == ["jarjesto_pohjois_karjala"]


def test_rule_codes_are_in_the_plugins_namespace(registry: Registry) -> None:
    assert {c for c, p in registry.rule_plugins.items() if p == "pohjois_karjala"} == {
        "pohjois_karjala.jane",
        "pohjois_karjala.local-coverage",
    }


@pytest.mark.parametrize(("year", "status"), [(2024, "met"), (2025, "met")])
def test_jane_on_the_sample(
    registry: Registry, reference: Reference, year: int, status: str
) -> None:
    found = finding(registry, reference, sample_dataset(), year, "pohjois_karjala.jane")
    assert (found.status, found.evidence) == (Status(status), ("jane",))


@pytest.mark.parametrize("year", [2021, 2022])
def test_an_area_is_not_judged_before_2023(
    registry: Registry, reference: Reference, year: int
) -> None:
    """criteria.md v2: the wellbeing areas organised nothing before 2023."""
    for rule in ("pohjois_karjala.jane", "pohjois_karjala.local-coverage"):
        found = finding(registry, reference, sample_dataset(), year, rule)
        assert found.status is Status.NOT_APPLICABLE


def test_jane_message_in_three_languages(registry: Registry, reference: Reference) -> None:
    ds = Dataset(organisations=FIELDS, structures=(council(4),))
    found = finding(registry, reference, ds, 2024, "pohjois_karjala.jane")
    assert found.render("en") == (
        "JANE met 4 times in 2024 (target: at least 5 times), and its members come from 4 fields "
        "(target: at least 3 fields)."
    )
    assert found.render("fi") == (
        "JANE kokoontui vuonna 2024 4 kertaa (tavoite vähintään 5 kertaa), ja sen jäsenet "
        "edustavat 4 toimialaa (tavoite vähintään 3 toimialaa)."
    )
    assert found.render("sv").startswith("JANE sammanträdde 4 gånger år 2024")


def test_jane_partial_when_its_members_share_a_field(
    registry: Registry, reference: Reference
) -> None:
    narrow = Dataset(organisations=(org("a", "mental_health"), org("b", "mental_health")))
    ds = Dataset(organisations=narrow.organisations, structures=(council(6, ("a", "b")),))
    found = finding(registry, reference, ds, 2024, "pohjois_karjala.jane")
    assert found.status is Status.PARTIAL
    assert found.params["fields"].count == 1


def test_jane_not_met_without_a_council(registry: Registry, reference: Reference) -> None:
    ds = Dataset(
        organisations=FIELDS,
        coordinators=(
            Coordinator("c", AREA, CoordinatorTitle.ORGANISATION_COORDINATOR, dt.date(2024, 1, 1)),
        ),
    )
    found = finding(registry, reference, ds, 2024, "pohjois_karjala.jane")
    assert found.status is Status.NOT_MET
    assert found.render("en") == (
        "No regional organisation council (JANE) with organisation members exists."
    )


def test_jane_met_in_small_data(registry: Registry, reference: Reference) -> None:
    ds = Dataset(organisations=FIELDS, structures=(council(5),))
    assert finding(registry, reference, ds, 2024, "pohjois_karjala.jane").status is Status.MET


def test_other_areas_are_not_its_concern(registry: Registry, reference: Reference) -> None:
    result = assess(
        sample_dataset(), 2024, [PartyRef.area("05")], registry=registry, reference=reference
    )
    statuses = {f.rule: f.status for f in result.subjects[0].findings}
    assert statuses["pohjois_karjala.jane"] is Status.NOT_APPLICABLE
    assert statuses["pohjois_karjala.local-coverage"] is Status.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("year", "status", "covered"),
    [(2023, "partial", 1), (2024, "partial", 1)],
)
def test_local_coverage_on_the_sample(
    registry: Registry, reference: Reference, year: int, status: str, covered: int
) -> None:
    found = finding(registry, reference, sample_dataset(), year, "pohjois_karjala.local-coverage")
    assert (found.status, found.params["covered"], found.params["total"]) == (
        Status(status),
        covered,
        13,
    )


def test_local_coverage_names_the_missing_municipalities(
    registry: Registry, reference: Reference
) -> None:
    found = finding(registry, reference, sample_dataset(), 2024, "pohjois_karjala.local-coverage")
    assert found.evidence == ("coord-outokumpu-agent", "paikallis-jane-outokumpu")
    assert found.render("en") == (
        "1 of the 13 member municipalities have a local organisation council (Paikallis-JANE) or "
        "an association agent; missing: Heinävesi, Ilomantsi, Joensuu, Juuka, Kitee, Kontiolahti, "
        "Lieksa, Liperi, Nurmes, Polvijärvi, Rääkkylä, Tohmajärvi."
    )
    # Names in the reader's language: Juuka is Juga in Swedish.
    assert "saknas: Heinävesi, Ilomants, Joensuu, Juga, Kides, Kontiolax" in found.render("sv")


def test_local_coverage_met_when_every_member_is_covered(
    registry: Registry, reference: Reference
) -> None:
    agents = tuple(
        Coordinator(
            f"agent-{code}",
            PartyRef.municipality(code),
            CoordinatorTitle.ASSOCIATION_AGENT,
            dt.date(2024, 1, 1),
        )
        for code in MEMBERS
    )
    found = finding(
        registry, reference, Dataset(coordinators=agents), 2024, "pohjois_karjala.local-coverage"
    )
    assert found.status is Status.MET
    assert found.render("fi") == (
        "Kaikilla 13 jäsenkunnalla on paikallinen järjestöasiain neuvottelukunta "
        "(Paikallis-JANE) tai yhdistysagentti."
    )


def test_a_local_council_that_did_not_meet_does_not_cover(
    registry: Registry, reference: Reference
) -> None:
    idle = Structure(
        "pj",
        StructureKind.LOCAL_ORGANISATION_COUNCIL,
        PartyRef.municipality("167"),
        Name(fi="Paikallis-JANE"),
        ("a",),
        (dt.date(2023, 5, 1),),
    )
    ds = Dataset(organisations=FIELDS, structures=(idle,))
    assert finding(registry, reference, ds, 2023, "pohjois_karjala.local-coverage").status is (
        Status.PARTIAL
    )
    assert finding(registry, reference, ds, 2024, "pohjois_karjala.local-coverage").status is (
        Status.NOT_MET
    )


def test_thresholds_tighten_core_cooperation_structure_for_the_area(
    registry: Registry, reference: Reference
) -> None:
    rule = registry.rules["core.cooperation-structure"]
    assert registry.thresholds(rule, AREA, 2024) == {"min_meetings": 5}
    assert registry.thresholds(rule, PartyRef.area("08"), 2024) == {"min_meetings": 2}
    # A JANE that met four times: enough for core's two, not for the region's five.
    ds = Dataset(organisations=FIELDS, structures=(council(4),))
    assert finding(registry, reference, ds, 2024, rule.code).status is Status.PARTIAL
    assert finding(registry, reference, sample_dataset(), 2024, rule.code).status is Status.MET
    core_only = build_registry(get_plugin_manager(load_entrypoints=False))
    assert finding(core_only, reference, ds, 2024, rule.code).status is Status.MET
