"""The Järjestöedustamo, its 17 categories and two-year terms, on the sample and on small data."""

from __future__ import annotations

import datetime as dt
from importlib import metadata

import pytest
from jarjesto_core.plugin import Name, Organisation, PartyRef, Status, Structure, StructureKind
from jarjesto_core.testing import Jarjesto

from jarjesto_tampere import CATEGORIES, FIELD_CATEGORIES, categories_of, term_end

TAMPERE = PartyRef.municipality("837")
BODY = "tampere.jarjestoedustamo"
CATEGORY = "tampere.categories"
TERM = "tampere.term"


def org(jarjesto: Jarjesto, oid: str, *fields: str) -> Organisation:
    """An organisation of Tampere."""
    return jarjesto.organisation(oid, *fields, municipalities=["837"])


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
        (2021, BODY, "met"),
        (2024, BODY, "met"),
        (2022, CATEGORY, "met"),
        (2023, CATEGORY, "partial"),
        (2025, CATEGORY, "partial"),
        (2022, TERM, "met"),
        (2023, TERM, "not_met"),
        (2024, TERM, "not_met"),
    ],
)
def test_statuses_on_the_sample(jarjesto: Jarjesto, year: int, rule: str, status: str) -> None:
    found = jarjesto.finding(jarjesto.sample(), year, TAMPERE, rule, covered=True)
    assert (found.status, found.evidence) == (Status(status), ("jarjestoedustamo",))


def test_uncovered_categories_are_named_in_the_readers_language(jarjesto: Jarjesto) -> None:
    found = jarjesto.finding(jarjesto.sample(), 2024, TAMPERE, CATEGORY, covered=True)
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


def test_members_count_only_while_active(jarjesto: Jarjesto) -> None:
    found = jarjesto.finding(jarjesto.sample(), 2022, TAMPERE, BODY, covered=True)
    assert found.params == {"members": 7}
    found = jarjesto.finding(jarjesto.sample(), 2023, TAMPERE, BODY, covered=True)
    assert found.render("en") == (
        "The Järjestöedustamo is active as a representation body with 4 member organisations."
    )


def test_term_message(jarjesto: Jarjesto) -> None:
    found = jarjesto.finding(jarjesto.sample(), 2023, TAMPERE, TERM, covered=True)
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
    jarjesto: Jarjesto, established: dt.date | None, year: int, status: Status
) -> None:
    ds = jarjesto.dataset(org(jarjesto, "a", "youth"), body(("a",), established))
    assert jarjesto.finding(ds, year, TAMPERE, TERM, covered=True).status is status


def test_a_newly_elected_composition_is_a_new_record(jarjesto: Jarjesto) -> None:
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
    ds = jarjesto.dataset(org(jarjesto, "a", "youth"), old, new)
    found = jarjesto.finding(ds, 2024, TAMPERE, TERM, covered=True)
    assert (found.status, found.evidence) == (Status.MET, ("edustamo-2023",))


def test_term_leap_day() -> None:
    assert term_end(dt.date(2024, 2, 29)) == dt.date(2026, 3, 1)


def test_without_a_body(jarjesto: Jarjesto) -> None:
    other = Structure("yv", StructureKind.YOUTH_COUNCIL, TAMPERE, Name(fi="Nuorisovaltuusto"), ())
    ds = jarjesto.dataset(other)
    statuses = {
        rule: jarjesto.finding(ds, 2024, TAMPERE, rule, covered=True).status
        for rule in (BODY, CATEGORY, TERM)
    }
    assert statuses == {
        BODY: Status.NOT_MET,
        CATEGORY: Status.NOT_MET,
        TERM: Status.NOT_APPLICABLE,
    }


def test_a_body_without_members_is_partial(jarjesto: Jarjesto) -> None:
    found = jarjesto.finding(jarjesto.dataset(body(())), 2024, TAMPERE, BODY, covered=True)
    assert found.status is Status.PARTIAL


def test_all_categories_met_and_none_covered(jarjesto: Jarjesto) -> None:
    everyone = [org(jarjesto, f"o{i}", c) for i, c in enumerate(CATEGORIES)]
    ds = jarjesto.dataset(*everyone, body(tuple(o.id for o in everyone)))
    found = jarjesto.finding(ds, 2024, TAMPERE, CATEGORY, covered=True)
    assert found.status is Status.MET
    assert found.render("fi") == "Järjestöedustamon jäsenet edustavat kaikkia 17 järjestöryhmää."
    ds = jarjesto.dataset(org(jarjesto, "a", "knitting"), body(("a",)))
    assert jarjesto.finding(ds, 2024, TAMPERE, CATEGORY, covered=True).status is Status.NOT_MET


def test_other_municipalities_are_not_its_concern(jarjesto: Jarjesto) -> None:
    """Another municipality's report never lists Tampere's rules (criteria.md, "Scores")."""
    result = jarjesto.assess(jarjesto.sample(), 2024, [PartyRef.municipality("309")])
    assert not [f for f in result.subjects[0].findings if f.rule.startswith("tampere.")]
    assert "tampere" not in result.subjects[0].plugin_scores


@pytest.mark.parametrize("rule", [BODY, CATEGORY, TERM])
def test_without_coverage_nothing_recorded_is_unknown(jarjesto: Jarjesto, rule: str) -> None:
    """Absence without coverage is "not recorded", never "no" (criteria.md v2)."""
    found = jarjesto.finding(jarjesto.dataset(), 2024, TAMPERE, rule)
    assert found.status is Status.UNKNOWN
    assert "Not recorded" in found.render("en")
    assert "ei ole kirjattu" in found.render("fi")
    assert found.missing_texts("en")
