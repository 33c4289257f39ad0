"""Grant continuity: interruptions, take-overs, dissolutions and the reform gap."""

from __future__ import annotations

from engine_support import JOENSUU, KARJALA, agreement, covered, d, dataset, org, svc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jarjesto_core.continuity import Interruption, grant_history, interruptions
from jarjesto_core.demo import generate
from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import Dataset, PartyRef
from jarjesto_core.reference import bundled_reference

REF = bundled_reference()
M = f"municipality:{JOENSUU}"
A = f"area:{KARJALA}"


#: Every party these tests pay grants from, covered in every year unless a test says not.
COVERED = ("municipality:167", "municipality:309", "area:14", "area:90", "municipality:091")
#: Every wellbeing area, with its members: a generated dataset covered everywhere.
EVERYWHERE = tuple(f"area:{code:02d}" for code in (*range(1, 22), 90, 91))


def found(ds: Dataset, *years: int, cover: bool = True) -> list[Interruption]:
    if cover:
        ds = covered(ds, *COVERED, collections=("agreements",))
    return list(interruptions(ds, REF, years, CORE_SERVICE_KINDS))


def test_an_operating_grant_that_stops_is_an_interruption() -> None:
    ds = dataset(
        organisations=[org("o1")],
        services=[svc("culture", "o1", "culture")],
        agreements=[agreement("g1", "operating_grant", M, "o1", start=2020, end=2023)],
    )
    assert found(ds, 2023) == []
    assert found(ds, 2024) == [Interruption("o1", PartyRef.parse(M), 2024, False, ("g1",))]
    assert found(ds, 2024)[0].as_json() == {
        "organisation": "o1",
        "party": M,
        "year": 2024,
        "kind": "interruption",
        "reform_gap": False,
    }


def test_take_over_by_another_party_is_not_an_interruption() -> None:
    ds = dataset(
        organisations=[org("o1")],
        services=[svc("culture", "o1", "culture")],
        agreements=[
            agreement("g1", "operating_grant", M, "o1", start=2020, end=2023),
            agreement("g2", "operating_grant", "municipality:309", "o1", start=2024),
        ],
    )
    assert found(ds, 2024) == []


def test_a_take_over_counts_when_only_the_first_party_is_asked_about() -> None:
    ds = dataset(
        organisations=[org("o1"), org("o2")],
        services=[svc("culture", "o1", "culture")],
        agreements=[
            agreement("g1", "operating_grant", M, "o1", start=2020, end=2023),
            agreement("g2", "operating_grant", "municipality:309", "o1", start=2024),
            agreement("g3", "operating_grant", M, "o2", start=2020, end=2023),
        ],
    )
    ds = covered(ds, *COVERED, collections=("agreements",))
    asked = interruptions(ds, REF, [2024], CORE_SERVICE_KINDS, parties=[PartyRef.parse(M)])
    assert asked == (Interruption("o2", PartyRef.parse(M), 2024, False, ("g3",)),)


def test_dissolved_organisations_are_not_flagged() -> None:
    ds = dataset(
        organisations=[org("o1", dissolved=d(2023, 6, 30))],
        agreements=[agreement("g1", "operating_grant", M, "o1", start=2020, end=2023)],
    )
    assert found(ds, 2024) == []


def test_reform_gap() -> None:
    ds = dataset(
        organisations=[org("o1"), org("o2"), org("o3")],
        services=[
            svc("club", "o1"),
            svc("culture", "o2", "culture"),
            svc("peer", "o3", "peer_support"),
        ],
        agreements=[
            agreement("g1", "operating_grant", M, "o1", start=2020, end=2022),
            agreement("g2", "operating_grant", M, "o2", start=2020, end=2022),
            agreement("g3", "operating_grant", M, "o3", start=2020, end=2022),
            # The area continues o3's operating grant: no gap, and a take-over.
            agreement("g4", "operating_grant", A, "o3", start=2023),
            # The area buys o1's services: a take-over, but the operating grant is gone.
            agreement("b1", "service_purchase", A, "o1", start=2023),
        ],
    )
    assert [(i.organisation, i.reform_gap) for i in found(ds, 2023)] == [
        ("o1", True),
        ("o2", False),
    ]


def test_helsinki_city_and_area_are_one_funder() -> None:
    ds = dataset(
        organisations=[org("o1", "091")],
        services=[svc("club", "o1")],
        agreements=[
            agreement("g1", "operating_grant", "municipality:091", "o1", start=2020, end=2022),
            agreement("g2", "operating_grant", "area:90", "o1", start=2023),
        ],
    )
    assert found(ds, 2023) == []


def test_grant_history_sums_by_year_and_funder() -> None:
    ds = dataset(
        agreements=[
            agreement("g1", "operating_grant", M, "o1", start=2022, end=2023, amount="1000"),
            agreement("g2", "project_grant", M, "o1", start=2023, end=2023, amount="500.50"),
            agreement("p1", "premises", M, "o1", start=2022),
        ]
    )
    rows = grant_history(ds, range(2022, 2025), organisation="o1")
    assert [(r.year, str(r.amount), r.agreements) for r in rows] == [
        (2022, "1000", ("g1",)),
        (2023, "1500.50", ("g1", "g2")),
    ]
    assert grant_history(ds, [2023], party=PartyRef.parse("municipality:309")) == ()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    year=st.integers(2022, 2025),
    picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=4),
)
def test_asking_for_some_parties_finds_exactly_their_interruptions(
    seed: int, year: int, picks: list[int]
) -> None:
    """The shortcut for named parties must not change a single answer."""
    ds = covered(
        generate(REF, organisations=80, years=5, seed=seed),
        *EVERYWHERE,
        collections=("agreements",),
    )
    everyone = interruptions(ds, REF, [year], CORE_SERVICE_KINDS)
    named = sorted({a.party for a in ds.agreements})
    parties = [named[i % len(named)] for i in picks]
    # Helsinki's area:90 is the city: asking for either names the same body.
    bodies = {REF.canonical(p) for p in parties}
    some = interruptions(ds, REF, [year], CORE_SERVICE_KINDS, parties=parties)
    assert some == tuple(i for i in everyone if REF.canonical(i.party) in bodies)


# -- the optimised search against the module's definition, written as plainly as it reads --

PARTIES = ["municipality:167", "municipality:309", "area:14", "area:90", "municipality:091"]
KINDS = ["clubhouse", "sote_service", "culture", "sports"]


@st.composite
def funding_histories(draw: st.DrawFn) -> Dataset:
    orgs = [
        org(f"o{i}", dissolved=draw(st.none() | st.sampled_from([d(2022), d(2023, 6)])))
        for i in range(draw(st.integers(1, 2)))
    ]
    services = [
        svc(f"s{i}", draw(st.sampled_from(orgs)).id, draw(st.sampled_from(KINDS)))
        for i in range(draw(st.integers(0, 5)))
    ]
    agreements = []
    for i in range(draw(st.integers(0, 10))):
        start = draw(st.integers(2021, 2023))
        agreements.append(
            agreement(
                f"a{i}",
                draw(st.sampled_from(["operating_grant", "service_purchase", "project_grant"])),
                draw(st.sampled_from(PARTIES)),
                draw(st.sampled_from(orgs)).id,
                start=start,
                end=draw(st.none() | st.integers(start, 2024)),
                # Any service, another organisation's too: the search must not assume otherwise.
                services=tuple(
                    draw(st.lists(st.sampled_from([s.id for s in services]), max_size=2))
                )
                if services
                else (),
            )
        )
    return dataset(organisations=orgs, services=services, agreements=agreements)


def _plainly(ds: Dataset, year: int) -> list[Interruption]:
    """The module docstring's definition, record by record."""
    body = REF.canonical
    at_risk = {
        s.id for s in ds.services if CORE_SERVICE_KINDS[s.kind].value in ("sote", "prevention")
    }
    runs_at_risk = {s.organisation for s in ds.services if s.id in at_risk}

    def in_force(a: object, y: int) -> bool:
        return a.start.year <= y and (a.end is None or a.end.year >= y)  # type: ignore[attr-defined]

    grants = [a for a in ds.agreements if a.kind.value == "operating_grant"]
    funding = [a for a in ds.agreements if a.kind.value in ("operating_grant", "service_purchase")]
    found = []
    for o in ds.organisations:
        if o.dissolved is not None and o.dissolved.year < year:
            continue
        for b in sorted({body(a.party) for a in grants if a.organisation == o.id}):
            before = [
                a
                for a in grants
                if a.organisation == o.id and body(a.party) is b and in_force(a, year - 1)
            ]
            now = [
                a
                for a in grants
                if a.organisation == o.id and body(a.party) is b and in_force(a, year)
            ]
            if not before or now:
                continue
            others = [
                a
                for a in funding
                if a.organisation == o.id and in_force(a, year) and body(a.party) is not b
            ]
            gap = False
            if year == 2023 and b.kind.value == "municipality":
                area = REF.area_of(b.code, 2023)
                area_grant = area is not None and any(
                    a.organisation == o.id
                    and body(a.party) is body(PartyRef.area(area))
                    and in_force(a, year)
                    for a in grants
                )
                gap = not area_grant and any(
                    bool(at_risk & set(a.services)) if a.services else o.id in runs_at_risk
                    for a in before
                )
            if others and not gap:
                continue
            found.append(Interruption(o.id, b, year, gap, tuple(sorted(a.id for a in before))))
    return sorted(found, key=lambda i: (i.year, i.organisation, i.party))


@settings(max_examples=400, deadline=None)
@given(funding_histories(), st.sampled_from([2022, 2023, 2023, 2024]))
def test_interruptions_are_what_the_definition_says(ds: Dataset, year: int) -> None:
    assert found(ds, year) == _plainly(ds, year)


# -- only on covered years (domain.md, "Grant continuity") ---------------------------------


def _years_one_and_three() -> Dataset:
    """A grant list for 2021 and one for 2023, and nothing recorded for 2022."""
    return dataset(
        organisations=[org("o1")],
        agreements=[
            agreement("g21", "operating_grant", M, "o1", start=2021, end=2021, amount="1000"),
            agreement("g23", "operating_grant", M, "o1", start=2023, end=2023, amount="1000"),
        ],
    )


def test_a_year_without_data_is_no_interruption() -> None:
    ds = _years_one_and_three()
    assert found(ds, 2022, cover=False) == []
    only_2021 = covered(ds, M, collections=("agreements",), start=2021, end=2021)
    assert found(only_2021, 2022, cover=False) == []


def test_with_both_years_covered_the_missing_grant_is_an_interruption() -> None:
    ds = covered(_years_one_and_three(), M, collections=("agreements",), start=2021, end=2022)
    assert found(ds, 2022, cover=False) == [
        Interruption("o1", PartyRef.parse(M), 2022, False, ("g21",))
    ]


def test_a_zero_euro_grant_is_not_a_grant() -> None:
    """A refused application (0 €) neither continues a grant nor starts one."""
    ds = dataset(
        organisations=[org("o1")],
        agreements=[
            agreement("g1", "operating_grant", M, "o1", start=2022, end=2022, amount="5000"),
            agreement("g0", "operating_grant", M, "o1", start=2023, end=2023, amount="0"),
        ],
    )
    assert found(ds, 2023) == [Interruption("o1", PartyRef.parse(M), 2023, False, ("g1",))]
    without = dataset(organisations=ds.organisations, agreements=ds.agreements[:1])
    assert found(ds, 2023) == found(without, 2023)


def test_a_cut_of_thirty_percent_or_more_on_covered_years() -> None:
    def grants(now: str) -> Dataset:
        return dataset(
            organisations=[org("o1")],
            agreements=[
                agreement("g1", "operating_grant", M, "o1", start=2022, end=2022, amount="1000"),
                agreement("g2", "operating_grant", M, "o1", start=2023, end=2023, amount=now),
            ],
        )

    assert [i.kind for i in found(grants("700"), 2023)] == ["cut"]
    assert found(grants("700"), 2023)[0].previous == ("g1", "g2")
    assert found(grants("701"), 2023) == []
    assert found(grants("700"), 2023, cover=False) == []


def test_a_late_decision_is_evidence_without_coverage() -> None:
    late = agreement(
        "g1", "operating_grant", M, "o1", start=2023, end=2023, amount="100", decided=d(2023, 3, 2)
    )
    on_time = agreement(
        "g2", "operating_grant", M, "o1", start=2023, end=2023, amount="100", decided=d(2023, 1, 31)
    )
    ds = dataset(organisations=[org("o1")], agreements=[late, on_time])
    assert found(ds, 2023, cover=False) == [
        Interruption("o1", PartyRef.parse(M), 2023, False, ("g1",), "late")
    ]
