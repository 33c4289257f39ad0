"""The year index answers exactly what a scan of the dataset answers, in record order."""

from __future__ import annotations

import datetime as dt

from engine_support import agreement, coordinator, dataset, org, svc
from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core.index import YearIndex
from jarjesto_core.model import Dataset, Organisation, PartyRef, Service, in_force
from jarjesto_core.reference import bundled_reference

REF = bundled_reference()
YEAR = 2024
CODES = ["167", "309", "837"]
codes = st.lists(st.sampled_from(CODES), max_size=3)  # repeats on purpose


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    orgs = [
        org(
            f"o{i}",
            *draw(codes.filter(bool)),
            languages=tuple(draw(st.lists(st.sampled_from(["fi", "sv", "en"]), max_size=2))),
            dissolved=draw(st.none() | st.dates(dt.date(2022, 1, 1), dt.date(2026, 1, 1))),
        )
        for i in range(draw(st.integers(1, 4)))
    ]
    owners = [o.id for o in orgs] + ["nobody"]
    services = [
        svc(f"s{i}", draw(st.sampled_from(owners)), municipalities=tuple(draw(codes)))
        for i in range(draw(st.integers(0, 8)))
    ]
    return dataset(organisations=orgs, services=services)


def _where(s: Service, active: dict[str, Organisation]) -> set[str]:
    return set(s.municipalities or active[s.organisation].municipalities)


territories = st.lists(st.sampled_from(CODES), min_size=1, max_size=3).map(frozenset)


@given(datasets(), territories)
def test_services_and_organisations_working_in_a_territory_equal_a_scan(
    ds: Dataset, territory: frozenset[str]
) -> None:
    index = YearIndex(ds, REF, YEAR)
    active = {o.id: o for o in ds.organisations if o.active_in(YEAR)}
    assert index.active == active
    services = [
        s for s in ds.services if s.organisation in active and _where(s, active) & territory
    ]
    assert list(index.services_working_in(territory)) == services
    organisations = {oid for oid, o in active.items() if set(o.municipalities) & territory}
    organisations |= {s.organisation for s in services if set(s.municipalities) & territory}
    assert index.organisations_working_in(territory) == organisations
    worked_in = {c for o in active.values() for c in o.municipalities}
    worked_in |= {c for s in ds.services if s.organisation in active for c in s.municipalities}
    assert index.municipalities_worked_in() == worked_in


@given(datasets(), st.sampled_from(["fi", "sv", "en"]))
def test_organisations_speaking_a_language_equal_a_scan(ds: Dataset, language: str) -> None:
    index = YearIndex(ds, REF, YEAR)
    expected = {o.id for o in ds.organisations if o.active_in(YEAR) and language in o.languages}
    assert index.organisations_speaking(language) == expected
    assert index.organisations_speaking(language) is index.organisations_speaking(language)


#: Helsinki is named two ways (area:90 is municipality:091), Joensuu once.
PARTIES = ["area:90", "municipality:091", "municipality:167", "area:14"]


@st.composite
def party_records(draw: st.DrawFn) -> Dataset:
    agreements = [
        agreement(
            f"a{i}",
            draw(st.sampled_from(["operating_grant", "premises", "service_purchase"])),
            draw(st.sampled_from(PARTIES)),
            "o1",
            start=(start := draw(st.integers(2022, 2025))),
            end=draw(st.none() | st.integers(start, 2026)),
        )
        for i in range(draw(st.integers(0, 12)))
    ]
    coordinators = [
        coordinator(f"c{i}", draw(st.sampled_from(PARTIES)), "organisation_coordinator")
        for i in range(draw(st.integers(0, 4)))
    ]
    return dataset(agreements=agreements, coordinators=coordinators)


@given(party_records(), st.sampled_from(PARTIES))
def test_a_bodys_records_equal_a_scan_whichever_name_it_goes_by(ds: Dataset, text: str) -> None:
    index = YearIndex(ds, REF, YEAR)
    party = PartyRef.parse(text)
    assert list(index.of(index.agreements_in_force, party)) == [
        a for a in ds.agreements if in_force(a.start, a.end, YEAR) and REF.same_body(a.party, party)
    ]
    assert list(index.of(index.coordinators, party)) == [
        c for c in ds.coordinators if REF.same_body(c.party, party)
    ]
    named = [*ds.agreements, *ds.coordinators]
    assert index.is_party(party) == any(REF.same_body(r.party, party) for r in named)
    assert index.parties == {REF.canonical(r.party) for r in named}
