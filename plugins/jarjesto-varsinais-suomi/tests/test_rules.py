"""The family centre network with organisations and parishes, its agreements, the coordinator."""

from __future__ import annotations

import datetime as dt
from importlib import metadata

import pytest
from jarjesto_core.plugin import (
    Agreement,
    AgreementKind,
    Coordinator,
    CoordinatorTitle,
    Name,
    Organisation,
    PartyRef,
    Status,
    Structure,
    StructureKind,
)
from jarjesto_core.testing import Jarjesto

from jarjesto_varsinais_suomi import is_parish

AREA = PartyRef.area("05")
NETWORK = "varsinais_suomi.family-centre-network"
AGREEMENTS = "varsinais_suomi.cooperation-agreements"
COORDINATOR = "varsinais_suomi.coordinator"


def org(jarjesto: Jarjesto, oid: str, *fields: str) -> Organisation:
    """An organisation of Turku."""
    return jarjesto.organisation(
        oid, *fields, municipalities=["853"], name=Name(fi=oid, en=oid.upper())
    )


def network(*members: str) -> Structure:
    return Structure(
        "net", StructureKind.FAMILY_CENTRE_NETWORK, AREA, Name(fi="Perhekeskusverkosto"), members
    )


def cooperation(oid: str) -> Agreement:
    return Agreement(f"ag-{oid}", AgreementKind.COOPERATION, AREA, oid, dt.date(2024, 1, 1))


def post(title: CoordinatorTitle) -> Coordinator:
    return Coordinator("post", AREA, title, dt.date(2024, 1, 1), covers_organisations=True)


def test_the_entry_point_names_the_plugin() -> None:
    points = metadata.entry_points(group="jarjesto", name="varsinais_suomi")
    assert [p.value for p in points] == ["jarjesto_varsinais_suomi"]


def test_a_parish_is_an_organisation_tagged_parish(jarjesto: Jarjesto) -> None:
    assert is_parish(org(jarjesto, "p", "parish", "child_family"))
    assert not is_parish(org(jarjesto, "o", "child_family"))


@pytest.mark.parametrize(
    ("year", "rule", "status"),
    [
        (2022, NETWORK, "not_applicable"),  # an area before 2023 (criteria.md v2)
        (2023, NETWORK, "partial"),
        (2024, NETWORK, "met"),
        (2022, AGREEMENTS, "not_applicable"),  # an area before 2023 (criteria.md v2)
        (2024, AGREEMENTS, "partial"),
        (2025, AGREEMENTS, "met"),
        (2022, COORDINATOR, "not_applicable"),  # an area before 2023 (criteria.md v2)
        (2024, COORDINATOR, "met"),
    ],
)
def test_statuses_on_the_sample(jarjesto: Jarjesto, year: int, rule: str, status: str) -> None:
    found = jarjesto.finding(jarjesto.sample(), year, AREA, rule, covered=True)
    assert found.status is Status(status)


def test_network_message(jarjesto: Jarjesto) -> None:
    found = jarjesto.finding(jarjesto.sample(), 2024, AREA, NETWORK, covered=True)
    assert found.evidence == ("vs-perhekeskusverkosto",)
    assert (
        found.render("en") == "The family centre network includes 2 organisations and one parish."
    )
    assert found.render("fi") == "Perhekeskusverkostossa on mukana 2 järjestöä ja yksi seurakunta."
    assert (
        found.render("sv") == "I familjecentralsnätverket ingår 2 organisationer och en församling."
    )


def test_agreements_name_the_organisations_without_one(jarjesto: Jarjesto) -> None:
    found = jarjesto.finding(jarjesto.sample(), 2024, AREA, AGREEMENTS, covered=True)
    assert found.evidence == ("ag-vs-familj-yhteistyo", "vs-perhekeskusverkosto")
    assert found.render("sv") == (
        "Välfärdsområdet har ett samarbetsavtal med 1 av de 2 medlemsorganisationerna i "
        "familjecentralsnätverket; utan avtal: Exempelföreningen för kamratstöd i Pargas rf."
    )
    assert found.render("en").endswith(
        "without one: Example Peer Support Association in Parainen (example)."
    )


def test_parishes_only_and_no_agreement(jarjesto: Jarjesto) -> None:
    ds = jarjesto.dataset(org(jarjesto, "p", "parish"), network("p"))
    assert jarjesto.finding(ds, 2024, AREA, NETWORK, covered=True).status is Status.PARTIAL
    found = jarjesto.finding(ds, 2024, AREA, AGREEMENTS, covered=True)
    assert found.status is Status.NOT_MET
    assert found.render("en") == (
        "The family centre network has no organisation members to agree with."
    )


def test_agreements_leave_parishes_out(jarjesto: Jarjesto) -> None:
    ds = jarjesto.dataset(
        org(jarjesto, "a"), org(jarjesto, "p", "parish"), network("a", "p"), cooperation("a")
    )
    found = jarjesto.finding(ds, 2024, AREA, AGREEMENTS, covered=True)
    assert (found.status, found.params["total"]) == (Status.MET, 1)
    ds = jarjesto.dataset(org(jarjesto, "a"), network("a"))
    assert jarjesto.finding(ds, 2024, AREA, AGREEMENTS, covered=True).status is Status.NOT_MET


@pytest.mark.parametrize(
    ("title", "status"),
    [
        (CoordinatorTitle.ORGANISATION_COORDINATOR, Status.MET),
        (CoordinatorTitle.HYTE_COORDINATOR, Status.PARTIAL),
        (CoordinatorTitle.ASSOCIATION_AGENT, Status.PARTIAL),
    ],
)
def test_coordinator_titles(jarjesto: Jarjesto, title: CoordinatorTitle, status: Status) -> None:
    ds = jarjesto.dataset(post(title))
    assert jarjesto.finding(ds, 2024, AREA, COORDINATOR, covered=True).status is status


def test_stricter_than_core(jarjesto: Jarjesto) -> None:
    """A hyte coordinator with the organisation remit satisfies core, not the region."""
    ds = jarjesto.dataset(post(CoordinatorTitle.HYTE_COORDINATOR))
    assert jarjesto.finding(ds, 2024, AREA, "core.coordinator", covered=True).status is Status.MET
    assert jarjesto.finding(ds, 2024, AREA, COORDINATOR, covered=True).status is Status.PARTIAL


def test_other_areas_are_not_its_concern(jarjesto: Jarjesto) -> None:
    """Another area's report never lists Varsinais-Suomi's rules (criteria.md, "Scores")."""
    result = jarjesto.assess(jarjesto.sample(), 2024, [PartyRef.area("14")])
    assert not [f for f in result.subjects[0].findings if f.rule.startswith("varsinais_suomi.")]


@pytest.mark.parametrize("rule", [NETWORK, AGREEMENTS, COORDINATOR])
def test_without_coverage_nothing_recorded_is_unknown(jarjesto: Jarjesto, rule: str) -> None:
    """Absence without coverage is "not recorded", never "no" (criteria.md v2)."""
    found = jarjesto.finding(jarjesto.dataset(), 2024, AREA, rule)
    assert found.status is Status.UNKNOWN
    assert "Not recorded" in found.render("en")
    assert "ei ole kirjattu" in found.render("fi")
    assert found.missing_texts("en")


@pytest.mark.parametrize("rule", [NETWORK, AGREEMENTS, COORDINATOR])
def test_with_coverage_nothing_recorded_is_not_met(jarjesto: Jarjesto, rule: str) -> None:
    found = jarjesto.finding(jarjesto.dataset(), 2024, AREA, rule, covered=True)
    assert found.status is Status.NOT_MET
    assert found.coverage == ("cov-0",)
