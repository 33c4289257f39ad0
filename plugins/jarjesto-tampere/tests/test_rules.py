"""The Järjestöedustamo, its 17 categories and two-year terms, on the sample and on small data."""

from __future__ import annotations

import datetime as dt
from importlib import metadata

import pytest
from jarjesto_core import sample_dataset
from jarjesto_core.assessment import assess
from jarjesto_core.model import (
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
from jarjesto_core.testing import cover

from jarjesto_tampere import CATEGORIES, FIELD_CATEGORIES, categories_of, term_end

TAMPERE = PartyRef.municipality("837")


def finding(
    registry: Registry,
    reference: Reference,
    dataset: Dataset,
    year: int,
    rule: str,
    subject: PartyRef = TAMPERE,
    *,
    covered: bool = True,
) -> Finding:
    """The rule's finding; the subject is covered unless ``covered=False``."""
    if covered:
        dataset = cover(dataset, subject)
    result = assess(dataset, year, [subject], registry=registry, reference=reference)
    return next(f for f in result.subjects[0].findings if f.rule == rule)


def org(oid: str, *fields: str) -> Organisation:
    return Organisation(oid, Name(fi=oid), ("fi",), Scope.LOCAL, ("837",), fields=fields)


def body(
    members: tuple[str, ...], established: dt.date | None = None, sid: str = "edustamo"
) -> Structure:
    return Structure(
        sid,
        StructureKind.REPRESENTATION_BODY,
        TAMPERE,
        Name(fi="Järjestöedustamo"),
        members,
        established=established,
    )


def test_the_entry_point_names_the_plugin() -> None:
    points = metadata.entry_points(group="jarjesto", name="tampere")
    assert [p.value for p in points] == ["jarjesto_tampere"]


def test_seventeen_categories_each_its_own_tag() -> None:
    assert len(CATEGORIES) == 17
    assert set(FIELD_CATEGORIES.values()) == set(CATEGORIES)
    assert categories_of(["sports", "arts", "knitting"]) == {"sport", "culture"}


@pytest.mark.parametrize(
    ("year", "rule", "status"),
    [
        (2021, "tampere.jarjestoedustamo", "met"),
        (2024, "tampere.jarjestoedustamo", "met"),
        (2022, "tampere.categories", "met"),
        (2023, "tampere.categories", "partial"),
        (2025, "tampere.categories", "partial"),
        (2022, "tampere.term", "met"),
        (2023, "tampere.term", "not_met"),
        (2024, "tampere.term", "not_met"),
    ],
)
def test_statuses_on_the_sample(
    registry: Registry, reference: Reference, year: int, rule: str, status: str
) -> None:
    found = finding(registry, reference, sample_dataset(), year, rule)
    assert (found.status, found.evidence) == (Status(status), ("jarjestoedustamo",))


def test_uncovered_categories_are_named_in_the_readers_language(
    registry: Registry, reference: Reference
) -> None:
    found = finding(registry, reference, sample_dataset(), 2024, "tampere.categories")
    assert found.render("en") == (
        "The members of the Järjestöedustamo cover 4 of the 17 organisation categories; not "
        "covered: general, public health, patient, carers, sport, employment, culture, "
        "multicultural, human rights, neighbourhood, older people, child and family, "
        "environment."
    )
    assert found.render("fi") == (
        "Järjestöedustamon jäsenet edustavat 17 järjestöryhmästä 4:tä; puuttuu: yleiset, "
        "kansanterveys, potilas, omaishoitajat, liikunta, työllisyys, kulttuuri, "
        "monikulttuurisuus, ihmisoikeudet, asukastoiminta, ikäihmiset, lapset ja perheet, "
        "ympäristö."
    )
    assert found.render("sv").endswith("barn och familjer, miljö.")


def test_members_count_only_while_active(registry: Registry, reference: Reference) -> None:
    found = finding(registry, reference, sample_dataset(), 2022, "tampere.jarjestoedustamo")
    assert found.params == {"members": 7}
    found = finding(registry, reference, sample_dataset(), 2023, "tampere.jarjestoedustamo")
    assert found.render("en") == (
        "The Järjestöedustamo is active as a representation body with 4 member organisations."
    )


def test_term_message(registry: Registry, reference: Reference) -> None:
    found = finding(registry, reference, sample_dataset(), 2023, "tampere.term")
    assert found.render("en") == (
        "The composition of the Järjestöedustamo dates from 1 January 2021: it is older than "
        "its 2-year term."
    )
    assert found.render("fi") == (
        "Järjestöedustamon nykyinen kokoonpano on asetettu 1.1.2021, ja sen 2-vuotinen "
        "toimikausi on päättynyt."
    )
    assert found.render("sv") == (
        "Järjestöedustamos nuvarande sammansättning tillsattes 1.1.2021, och dess 2-åriga "
        "mandatperiod har löpt ut."
    )


@pytest.mark.parametrize(
    ("established", "year", "status"),
    [
        (dt.date(2023, 1, 1), 2024, Status.MET),
        (dt.date(2023, 1, 1), 2025, Status.NOT_MET),
        (dt.date(2023, 6, 1), 2025, Status.NOT_MET),
        (dt.date(2024, 2, 29), 2025, Status.MET),
        (None, 2024, Status.UNKNOWN),
    ],
)
def test_term_of_a_composition(
    registry: Registry,
    reference: Reference,
    established: dt.date | None,
    year: int,
    status: Status,
) -> None:
    ds = Dataset(organisations=(org("a", "youth"),), structures=(body(("a",), established),))
    assert finding(registry, reference, ds, year, "tampere.term").status is status


def test_a_newly_elected_composition_is_a_new_record(
    registry: Registry, reference: Reference
) -> None:
    old = Structure(
        "edustamo-2021",
        StructureKind.REPRESENTATION_BODY,
        TAMPERE,
        Name(fi="Järjestöedustamo 2021–2022"),
        ("a",),
        established=dt.date(2021, 1, 1),
        dissolved=dt.date(2022, 12, 31),
    )
    new = body(("a",), dt.date(2023, 1, 1), sid="edustamo-2023")
    ds = Dataset(organisations=(org("a", "youth"),), structures=(old, new))
    found = finding(registry, reference, ds, 2024, "tampere.term")
    assert (found.status, found.evidence) == (Status.MET, ("edustamo-2023",))


def test_term_leap_day() -> None:
    assert term_end(dt.date(2024, 2, 29)) == dt.date(2026, 3, 1)


def test_without_a_body(registry: Registry, reference: Reference) -> None:
    other = Structure("yv", StructureKind.YOUTH_COUNCIL, TAMPERE, Name(fi="Nuorisovaltuusto"), ())
    ds = Dataset(structures=(other,))
    statuses = {
        rule: finding(registry, reference, ds, 2024, rule).status
        for rule in ("tampere.jarjestoedustamo", "tampere.categories", "tampere.term")
    }
    assert statuses == {
        "tampere.jarjestoedustamo": Status.NOT_MET,
        "tampere.categories": Status.NOT_MET,
        "tampere.term": Status.NOT_APPLICABLE,
    }


def test_a_body_without_members_is_partial(registry: Registry, reference: Reference) -> None:
    ds = Dataset(structures=(body(()),))
    found = finding(registry, reference, ds, 2024, "tampere.jarjestoedustamo")
    assert found.status is Status.PARTIAL


def test_all_categories_met_and_none_covered(registry: Registry, reference: Reference) -> None:
    everyone = tuple(org(f"o{i}", c) for i, c in enumerate(CATEGORIES))
    ds = Dataset(organisations=everyone, structures=(body(tuple(o.id for o in everyone)),))
    found = finding(registry, reference, ds, 2024, "tampere.categories")
    assert found.status is Status.MET
    assert found.render("fi") == "Järjestöedustamon jäsenet edustavat kaikkia 17 järjestöryhmää."
    ds = Dataset(organisations=(org("a", "knitting"),), structures=(body(("a",)),))
    assert finding(registry, reference, ds, 2024, "tampere.categories").status is Status.NOT_MET


def test_other_municipalities_are_not_its_concern(registry: Registry, reference: Reference) -> None:
    """Another municipality's report never lists Tampere's rules (criteria.md, "Scores")."""
    result = assess(
        sample_dataset(),
        2024,
        [PartyRef.municipality("309")],
        registry=registry,
        reference=reference,
    )
    assert not [f for f in result.subjects[0].findings if f.rule.startswith("tampere.")]
    assert "tampere" not in result.subjects[0].plugin_scores


@pytest.mark.parametrize("rule", ["tampere.jarjestoedustamo", "tampere.categories", "tampere.term"])
def test_without_coverage_nothing_recorded_is_unknown(
    registry: Registry, reference: Reference, rule: str
) -> None:
    """Absence without coverage is "not recorded", never "no" (criteria.md v2)."""
    found = finding(registry, reference, Dataset(), 2024, rule, covered=False)
    assert found.status is Status.UNKNOWN
    assert "Not recorded" in found.render("en")
    assert "ei ole kirjattu" in found.render("fi")
    assert found.missing_texts("en")
