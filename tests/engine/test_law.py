"""The law of the year and the place (domain.md v2, "Time and law"), each on a small dataset,
and the resolver against its plain reading (tests/engine/plain_resolver.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from engine_support import (
    HELSINKI,
    JOENSUU,
    KARJALA,
    OUTOKUMPU,
    agreement,
    dataset,
    org,
    responsibility,
    svc,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from plain_resolver import plain_table

from jarjesto_core.assessment import assess
from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import (
    Dataset,
    Domain,
    Funder,
    FunderKind,
    JointAuthority,
    Name,
    PartyRef,
    ResponsibleParty,
)
from jarjesto_core.reference import bundled_reference
from jarjesto_core.registry import Registry
from jarjesto_core.resolver import FundingStatus, resolve
from jarjesto_core.rules.base import ALAND_RULES, Status
from jarjesto_core.validation import validate

REF = bundled_reference()
KINDS = CORE_SERVICE_KINDS
MARIEHAMN = "478"
PERTUNMAA, MANTYHARJU = "588", "507"
MALAX, TURKU, PARGAS = "475", "853", "445"

SIUN_SOTE = JointAuthority(
    id="siun-sote",
    name=Name(fi="Siun sote"),
    members=(JOENSUU, OUTOKUMPU),
    start=dt.date(2017, 1, 1),
    end=dt.date(2022, 12, 31),
    organises=(Domain.SOTE,),
)
STEA = Funder(id="stea", name=Name(fi="STEA"), kind=FunderKind.STATE)


def table(ds: Dataset, year: int) -> dict[tuple[str, str], Any]:
    return {(r.municipality, r.service): r for r in resolve(ds, REF, year, KINDS)}


def findings(ds: Dataset, subject: str, year: int, registry: Registry) -> dict[str, Status]:
    result = assess(ds, year, [PartyRef.parse(subject)], registry=registry, reference=REF)
    return {f.rule: f.status for f in result.subjects[0].findings}


# -- before 2023 -------------------------------------------------------------------


def test_2022_has_no_blind_spot_and_sote_is_the_joint_authoritys_where_one_is_given() -> None:
    ds = dataset(
        organisations=[org("o1", JOENSUU, "837")],
        services=[
            svc("housing", "o1", "sote_service"),
            svc("club", "o1", "clubhouse"),
            svc("youth", "o1", "youth_work"),
        ],
        agreements=[
            agreement("g", "operating_grant", "joint:siun-sote", "o1", services=("housing",))
        ],
        joint_authorities=[SIUN_SOTE],
    )
    rows = table(ds, 2022)
    assert not [r for r in rows.values() if r.status is FundingStatus.BLIND_SPOT]
    joensuu = rows[(JOENSUU, "housing")]
    assert (joensuu.responsible, joensuu.bodies, joensuu.basis, joensuu.status) == (
        ResponsibleParty.JOINT,
        (PartyRef.joint("siun-sote"),),
        "siun-sote",
        FundingStatus.OK,
    )
    # Tampere had no joint authority in the dataset: the municipality organised sote.
    tampere = rows[("837", "housing")]
    assert (tampere.responsible, tampere.status) == (
        ResponsibleParty.MUNICIPALITY,
        FundingStatus.UNFUNDED,
    )
    assert rows[(JOENSUU, "club")].responsible is ResponsibleParty.MUNICIPALITY
    assert rows[(JOENSUU, "youth")].responsible is ResponsibleParty.MUNICIPALITY
    # From 2023 the same service is the area's.
    assert table(ds, 2023)[(JOENSUU, "housing")].responsible is ResponsibleParty.AREA


def test_an_area_is_not_applicable_on_every_rule_in_2022(registry: Registry) -> None:
    ds = dataset(
        organisations=[org("o1")],
        services=[svc("club", "o1")],
        agreements=[agreement("g", "operating_grant", f"area:{KARJALA}", "o1", start=2022)],
    )
    found = findings(ds, f"area:{KARJALA}", 2022, registry)
    assert found
    assert set(found.values()) == {Status.NOT_APPLICABLE}
    assert set(findings(ds, f"area:{KARJALA}", 2023, registry).values()) != {Status.NOT_APPLICABLE}


# -- Helsinki and Åland ------------------------------------------------------------


def test_helsinki_city_funded_middle_ground_services_are_ok() -> None:
    ds = dataset(
        organisations=[org("o1", HELSINKI)],
        services=[svc("peer", "o1", "peer_support"), svc("club", "o1", "clubhouse")],
        agreements=[
            agreement(
                "g1", "operating_grant", f"municipality:{HELSINKI}", "o1", services=("peer",)
            ),
            agreement("g2", "operating_grant", "area:90", "o1", services=("club",)),
        ],
    )
    for year in (2022, 2024):
        rows = table(ds, year)
        assert {r.status for r in rows.values()} == {FundingStatus.OK}, year
        assert {r.bodies for r in rows.values()} == {(PartyRef.municipality(HELSINKI),)}


def test_aland_is_outside_the_reform_and_its_split_rules_do_not_apply(
    registry: Registry,
) -> None:
    ds = dataset(
        organisations=[org("o1", MARIEHAMN)],
        services=[svc("housing", "o1", "sote_service"), svc("peer", "o1", "peer_support")],
        agreements=[agreement("g", "operating_grant", f"municipality:{MARIEHAMN}", "o1")],
    )
    rows = table(ds, 2024)
    assert {r.status for r in rows.values()} == {FundingStatus.OUTSIDE_REFORM}
    assert {r.responsible for r in rows.values()} == {None}
    found = findings(ds, f"municipality:{MARIEHAMN}", 2024, registry)
    for rule, status in found.items():
        if rule.startswith("core.") and rule not in ALAND_RULES:
            assert status is Status.NOT_APPLICABLE, rule
    assert found["core.grants"] is not Status.NOT_APPLICABLE
    assert set(findings(ds, "area:91", 2024, registry).values()) == {Status.NOT_APPLICABLE}


# -- catchments --------------------------------------------------------------------


def test_a_national_service_bought_by_two_areas() -> None:
    """The seeds' Swedish-language aftercare home in Malax, bought by each client's area."""
    ds = dataset(
        organisations=[org("home", MALAX)],
        services=[
            svc(
                "aftercare",
                "home",
                "sote_service",
                municipalities=(MALAX, TURKU, PARGAS, JOENSUU),
                location=MALAX,
            )
        ],
        agreements=[
            agreement("buy-17", "service_purchase", "area:17", "home"),
            agreement("buy-05", "service_purchase", "area:05", "home"),
        ],
    )
    assert validate(ds, REF) == ()
    rows = table(ds, 2024)
    assert {m: r.status for (m, _), r in rows.items()} == {
        JOENSUU: FundingStatus.UNFUNDED,
        PARGAS: FundingStatus.OK,
        MALAX: FundingStatus.OK,
        TURKU: FundingStatus.OK,
    }
    assert rows[(TURKU, "aftercare")].funders == (PartyRef.area("05"),)


# -- mergers -----------------------------------------------------------------------


def test_pertunmaa_across_its_merger_is_valid_and_funded_in_both_years() -> None:
    ds = dataset(
        organisations=[org("o1", PERTUNMAA)],
        services=[svc("library", "o1", "library")],
        agreements=[
            agreement(
                "g", "operating_grant", f"municipality:{PERTUNMAA}", "o1", start=2024, end=2025
            )
        ],
    )
    assert validate(ds, REF) == ()
    before, after = table(ds, 2024), table(ds, 2025)
    assert before[(PERTUNMAA, "library")].status is FundingStatus.OK
    # After the merger the code means Mäntyharju, and Pertunmaa's grant is Mäntyharju's.
    row = after[(MANTYHARJU, "library")]
    assert (row.status, row.funders) == (
        FundingStatus.OK,
        (PartyRef.municipality(MANTYHARJU),),
    )
    # The successor's grant in 2025 funds the service recorded with the old code too.
    successor = attrs.evolve(
        ds,
        agreements=(
            agreement("g2", "operating_grant", f"municipality:{MANTYHARJU}", "o1", start=2025),
        ),
    )
    assert table(successor, 2025)[(MANTYHARJU, "library")].status is FundingStatus.OK


# -- other funders -----------------------------------------------------------------


def test_a_stea_only_peer_support_group_is_a_blind_spot_whose_funders_list_stea() -> None:
    ds = dataset(
        organisations=[org("o1")],
        services=[svc("peer", "o1", "peer_support")],
        agreements=[agreement("p", "project_grant", "funder:stea", "o1", amount="40000")],
        funders=[STEA],
    )
    row = table(ds, 2024)[(JOENSUU, "peer")]
    assert (row.status, row.funders) == (FundingStatus.BLIND_SPOT, (PartyRef.funder("stea"),))
    # Shared by agreement, and still only STEA pays: unfunded, never ok.
    shared = attrs.evolve(
        ds, responsibilities=(responsibility("r", JOENSUU, KARJALA, peer_support="shared"),)
    )
    assert table(shared, 2024)[(JOENSUU, "peer")].status is FundingStatus.UNFUNDED


def test_shared_and_unpaid_is_not_met(registry: Registry) -> None:
    ds = dataset(
        organisations=[org("o1")],
        services=[svc("peer", "o1", "peer_support")],
        agreements=[agreement("p", "project_grant", "funder:stea", "o1")],
        responsibilities=[responsibility("r", JOENSUU, KARJALA, peer_support="shared")],
        funders=[STEA],
    )
    for subject in (f"municipality:{JOENSUU}", f"area:{KARJALA}"):
        assert findings(ds, subject, 2024, registry)["core.funding-responsibility"] is not (
            Status.MET
        )


# -- properties --------------------------------------------------------------------

POOL = [JOENSUU, OUTOKUMPU, HELSINKI, MARIEHAMN, PERTUNMAA, MANTYHARJU, TURKU, MALAX]
AREAS = ["14", "90", "91", "05", "17", "12"]
PARTIES = (
    [f"municipality:{m}" for m in POOL]
    + [f"area:{a}" for a in AREAS]
    + ["joint:j0", "joint:j1", "funder:stea"]
)
SOME_KINDS = ["sote_service", "clubhouse", "peer_support", "library"]
FUNDING = ["operating_grant", "project_grant", "service_purchase", "premises", "cooperation"]


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    codes = st.lists(st.sampled_from(POOL), min_size=1, max_size=3, unique=True)
    orgs = [org(f"o{i}", *draw(codes)) for i in range(draw(st.integers(1, 3)))]
    services = [
        svc(
            f"s{i}",
            draw(st.sampled_from(orgs)).id,
            draw(st.sampled_from(SOME_KINDS)),
            municipalities=tuple(draw(st.lists(st.sampled_from(POOL), max_size=3, unique=True))),
        )
        for i in range(draw(st.integers(0, 4)))
    ]
    agreements = [
        agreement(
            f"a{i}",
            draw(st.sampled_from(FUNDING)),
            draw(st.sampled_from(PARTIES)),
            draw(st.sampled_from(orgs)).id,
            start=draw(st.integers(2020, 2026)),
            end=draw(st.none() | st.integers(2021, 2026)),
            amount=draw(st.sampled_from([None, "0", "1000"])),
            services=tuple(
                draw(st.lists(st.sampled_from([s.id for s in services] or ["x"]), max_size=1))
            ),
        )
        for i in range(draw(st.integers(0, 6)))
    ]
    joints = [
        JointAuthority(
            id=f"j{i}",
            name=Name(fi=f"J{i}"),
            members=tuple(draw(codes)),
            start=dt.date(draw(st.integers(2015, 2022)), 1, 1),
            end=draw(st.sampled_from([None, dt.date(2021, 12, 31), dt.date(2022, 12, 31)])),
            organises=tuple(
                draw(
                    st.lists(
                        st.sampled_from([Domain.SOTE, Domain.PREVENTION]),
                        min_size=1,
                        max_size=2,
                        unique=True,
                    )
                )
            ),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    responsibilities = [
        responsibility(
            f"r{i}",
            m,
            REF.area_of(m, 2024) or "12",
            start=draw(st.integers(2021, 2026)),
            **draw(
                st.dictionaries(
                    st.sampled_from(SOME_KINDS),
                    st.sampled_from(["municipality", "area", "shared"]),
                    max_size=2,
                )
            ),
        )
        for i, m in enumerate(draw(st.lists(st.sampled_from(POOL), max_size=2)))
    ]
    return dataset(
        organisations=orgs,
        services=services,
        agreements=agreements,
        responsibilities=responsibilities,
        joint_authorities=joints,
        funders=[STEA],
    )


def _plainly(ds: Dataset, year: int) -> dict[tuple[str, str], Any]:
    return {
        key: (
            r.responsible.value if r.responsible is not None else None,
            tuple(str(f) for f in r.funders),
            r.status.value,
        )
        for key, r in table(ds, year).items()
    }


@settings(max_examples=200, deadline=None)
@given(datasets(), st.integers(2021, 2026))
def test_the_resolver_agrees_with_its_plain_reading(ds: Dataset, year: int) -> None:
    assert _plainly(ds, year) == plain_table(ds, REF, year, KINDS)


@settings(max_examples=200, deadline=None)
@given(datasets(), st.sampled_from([2021, 2022]))
def test_no_year_before_2023_has_a_blind_spot(ds: Dataset, year: int) -> None:
    assert not [r for r in resolve(ds, REF, year, KINDS) if r.status is FundingStatus.BLIND_SPOT]


def _renamed(ds: Dataset, old: str, new: str) -> Dataset:
    def code(c: str) -> str:
        return new if c == old else c

    def party(p: PartyRef) -> PartyRef:
        return PartyRef.municipality(new) if str(p) == f"municipality:{old}" else p

    return attrs.evolve(
        ds,
        organisations=tuple(
            attrs.evolve(o, municipalities=tuple(map(code, o.municipalities)))
            for o in ds.organisations
        ),
        services=tuple(
            attrs.evolve(s, municipalities=tuple(map(code, s.municipalities))) for s in ds.services
        ),
        agreements=tuple(attrs.evolve(a, party=party(a.party)) for a in ds.agreements),
        responsibilities=tuple(
            attrs.evolve(r, municipality=code(r.municipality)) for r in ds.responsibilities
        ),
        joint_authorities=tuple(
            attrs.evolve(j, members=tuple(map(code, j.members))) for j in ds.joint_authorities
        ),
    )


@settings(max_examples=200, deadline=None)
@given(datasets(), st.integers(2025, 2026))
def test_renaming_a_merged_code_to_its_successor_changes_no_status_after_the_merger(
    ds: Dataset, year: int
) -> None:
    renamed = _renamed(ds, PERTUNMAA, MANTYHARJU)
    assert {k: r.status for k, r in table(renamed, year).items()} == {
        k: r.status for k, r in table(ds, year).items()
    }


# -- continuity across the reform and the mergers --------------------------------------


def _interruptions(ds: Dataset, year: int) -> list[tuple[str, str, bool]]:
    """Interruptions in ``year`` with every funder's grants covered: an ended grant is then
    known to have ended (criteria.md v2), and these tests are about who continued it."""
    from jarjesto_core.continuity import interruptions
    from jarjesto_core.testing import cover

    covered = cover(ds, *sorted({a.party for a in ds.agreements}), collections=("agreements",))
    return [
        (i.organisation, str(i.party), i.reform_gap)
        for i in interruptions(covered, REF, [year], KINDS)
    ]


def test_a_joint_authoritys_2022_grant_taken_over_by_the_area_is_no_gap() -> None:
    ds = dataset(
        organisations=[org("o1")],
        services=[svc("housing", "o1", "sote_service")],
        agreements=[
            agreement("siun", "operating_grant", "joint:siun-sote", "o1", start=2021, end=2022),
            agreement("area", "service_purchase", f"area:{KARJALA}", "o1", start=2023),
        ],
        joint_authorities=[SIUN_SOTE],
    )
    assert _interruptions(ds, 2023) == []
    # Without the area's purchase the joint authority's grant ended: an interruption,
    # but not the reform gap, which is about a municipality's grant.
    alone = attrs.evolve(ds, agreements=ds.agreements[:1])
    assert _interruptions(alone, 2023) == [("o1", "joint:siun-sote", False)]


def test_aland_has_no_reform_gap() -> None:
    ds = dataset(
        organisations=[org("o1", MARIEHAMN)],
        services=[svc("peer", "o1", "peer_support")],
        agreements=[
            agreement(
                "g", "operating_grant", f"municipality:{MARIEHAMN}", "o1", start=2021, end=2022
            )
        ],
    )
    assert _interruptions(ds, 2023) == [("o1", f"municipality:{MARIEHAMN}", False)]


def test_pertunmaas_grant_continued_by_mantyharju_is_no_interruption() -> None:
    ds = dataset(
        organisations=[org("o1", PERTUNMAA)],
        services=[svc("library", "o1", "library")],
        agreements=[
            agreement(
                "p", "operating_grant", f"municipality:{PERTUNMAA}", "o1", start=2023, end=2024
            ),
            agreement("m", "operating_grant", f"municipality:{MANTYHARJU}", "o1", start=2025),
        ],
    )
    assert _interruptions(ds, 2025) == []
