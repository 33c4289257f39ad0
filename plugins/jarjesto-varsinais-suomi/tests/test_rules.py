"""The family centre network with organisations and parishes, its agreements, the coordinator."""

from __future__ import annotations

import datetime as dt
from importlib import metadata

import pytest
from jarjesto_core import sample_dataset
from jarjesto_core.assessment import assess
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
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
from jarjesto_core.reference import Reference
from jarjesto_core.registry import Registry
from jarjesto_core.rules.base import Finding, Status

from jarjesto_varsinais_suomi import is_parish

AREA = PartyRef.area("05")
NETWORK = "varsinais_suomi.family-centre-network"
AGREEMENTS = "varsinais_suomi.cooperation-agreements"
COORDINATOR = "varsinais_suomi.coordinator"


def finding(
    registry: Registry,
    reference: Reference,
    dataset: Dataset,
    year: int,
    rule: str,
    subject: PartyRef = AREA,
) -> Finding:
    result = assess(dataset, year, [subject], registry=registry, reference=reference)
    return next(f for f in result.subjects[0].findings if f.rule == rule)


def org(oid: str, *fields: str) -> Organisation:
    return Organisation(
        oid, Name(fi=oid, en=oid.upper()), ("fi",), Scope.LOCAL, ("853",), fields=fields
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


def test_a_parish_is_an_organisation_tagged_parish() -> None:
    assert is_parish(org("p", "parish", "child_family"))
    assert not is_parish(org("o", "child_family"))


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
def test_statuses_on_the_sample(
    registry: Registry, reference: Reference, year: int, rule: str, status: str
) -> None:
    assert finding(registry, reference, sample_dataset(), year, rule).status is Status(status)


def test_network_message(registry: Registry, reference: Reference) -> None:
    found = finding(registry, reference, sample_dataset(), 2024, NETWORK)
    assert found.evidence == ("vs-perhekeskusverkosto",)
    assert (
        found.render("en") == "The family centre network includes 2 organisations and one parish."
    )
    assert found.render("fi") == "Perhekeskusverkostossa on mukana 2 järjestöä ja yksi seurakunta."
    assert (
        found.render("sv") == "I familjecentralsnätverket ingår 2 organisationer och en församling."
    )


def test_agreements_name_the_organisations_without_one(
    registry: Registry, reference: Reference
) -> None:
    found = finding(registry, reference, sample_dataset(), 2024, AGREEMENTS)
    assert found.evidence == ("ag-vs-familj-yhteistyo", "vs-perhekeskusverkosto")
    assert found.render("sv") == (
        "Välfärdsområdet har ett samarbetsavtal med 1 av de 2 medlemsorganisationerna i "
        "familjecentralsnätverket; utan avtal: Exempelföreningen för kamratstöd i Pargas rf."
    )
    assert found.render("en").endswith(
        "without one: Example Peer Support Association in Parainen (example)."
    )


def test_parishes_only_and_no_agreement(registry: Registry, reference: Reference) -> None:
    ds = Dataset(organisations=(org("p", "parish"),), structures=(network("p"),))
    assert finding(registry, reference, ds, 2024, NETWORK).status is Status.PARTIAL
    found = finding(registry, reference, ds, 2024, AGREEMENTS)
    assert found.status is Status.NOT_MET
    assert found.render("en") == (
        "The family centre network has no organisation members to agree with."
    )


def test_agreements_leave_parishes_out(registry: Registry, reference: Reference) -> None:
    ds = Dataset(
        organisations=(org("a"), org("p", "parish")),
        structures=(network("a", "p"),),
        agreements=(cooperation("a"),),
    )
    found = finding(registry, reference, ds, 2024, AGREEMENTS)
    assert (found.status, found.params["total"]) == (Status.MET, 1)
    ds = Dataset(organisations=(org("a"),), structures=(network("a"),))
    assert finding(registry, reference, ds, 2024, AGREEMENTS).status is Status.NOT_MET


@pytest.mark.parametrize(
    ("title", "status"),
    [
        (CoordinatorTitle.ORGANISATION_COORDINATOR, Status.MET),
        (CoordinatorTitle.HYTE_COORDINATOR, Status.PARTIAL),
        (CoordinatorTitle.ASSOCIATION_AGENT, Status.PARTIAL),
    ],
)
def test_coordinator_titles(
    registry: Registry, reference: Reference, title: CoordinatorTitle, status: Status
) -> None:
    ds = Dataset(coordinators=(post(title),))
    assert finding(registry, reference, ds, 2024, COORDINATOR).status is status


def test_stricter_than_core(registry: Registry, reference: Reference) -> None:
    """A hyte coordinator with the organisation remit satisfies core, not the region."""
    ds = Dataset(coordinators=(post(CoordinatorTitle.HYTE_COORDINATOR),))
    assert finding(registry, reference, ds, 2024, "core.coordinator").status is Status.MET
    assert finding(registry, reference, ds, 2024, COORDINATOR).status is Status.PARTIAL


def test_other_areas_are_not_its_concern(registry: Registry, reference: Reference) -> None:
    found = finding(registry, reference, sample_dataset(), 2024, NETWORK, PartyRef.area("14"))
    assert found.status is Status.NOT_APPLICABLE
