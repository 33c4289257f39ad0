"""The funding-responsibility resolver: examples from domain.md, then invariants."""

from __future__ import annotations

import random
from typing import Any

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

from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import Dataset, Domain, ResponsibleParty
from jarjesto_core.reference import Reference, bundled_reference
from jarjesto_core.resolver import FundingStatus, resolve

REF = bundled_reference()
KINDS = CORE_SERVICE_KINDS


def table(ds: Dataset, year: int = 2024, **kw: Any) -> dict[tuple[str, str], Any]:
    return {(r.municipality, r.service): r for r in resolve(ds, REF, year, KINDS, **kw)}


def test_statuses_of_domain_md(reference: Reference) -> None:
    ds = dataset(
        organisations=[org("o1", JOENSUU, OUTOKUMPU)],
        services=[
            svc("housing", "o1", "sote_service"),
            svc("youth", "o1", "youth_work"),
            svc("club", "o1", "clubhouse"),
            svc("peer", "o1", "peer_support"),
        ],
        agreements=[
            agreement("buy", "service_purchase", f"area:{KARJALA}", "o1", services=("housing",)),
            agreement(
                "grant",
                "operating_grant",
                f"municipality:{JOENSUU}",
                "o1",
                services=("youth", "peer", "club"),
            ),
            agreement("rooms", "premises", f"municipality:{OUTOKUMPU}", "o1"),
        ],
        responsibilities=[
            responsibility("r1", JOENSUU, KARJALA, peer_support="area", clubhouse="shared"),
        ],
    )
    rows = table(ds)
    assert rows[(JOENSUU, "housing")].status is FundingStatus.OK
    assert rows[(JOENSUU, "youth")].status is FundingStatus.OK
    assert rows[(JOENSUU, "club")].status is FundingStatus.OK  # shared: either party
    peer = rows[(JOENSUU, "peer")]
    assert (peer.status, peer.responsible, peer.basis) == (
        FundingStatus.MISMATCH,
        ResponsibleParty.AREA,
        "r1",
    )
    assert [str(p) for p in peer.funders] == [f"municipality:{JOENSUU}"]
    # Outokumpu has no agreement: premises do not fund, its club is a blind spot.
    assert rows[(OUTOKUMPU, "club")].status is FundingStatus.BLIND_SPOT
    assert rows[(OUTOKUMPU, "club")].funders == ()
    assert rows[(OUTOKUMPU, "youth")].status is FundingStatus.UNFUNDED
    assert rows[(OUTOKUMPU, "housing")].status is FundingStatus.OK  # the area covers it
    assert rows[(OUTOKUMPU, "housing")].as_json() == {
        "municipality": OUTOKUMPU,
        "service": "housing",
        "kind": "sote_service",
        "domain": "sote",
        "responsible": "area",
        "funders": [f"area:{KARJALA}"],
        "status": "ok",
    }


def test_funders_are_ordered_by_kind_then_code() -> None:
    # Heinävesi (090) is in North Karelia (14): "090" sorts before "14" as text,
    # but an area comes before a municipality.
    ds = dataset(
        organisations=[org("o", "090")],
        services=[svc("s", "o")],
        agreements=[
            agreement("a1", "operating_grant", "municipality:090", "o"),
            agreement("a2", "service_purchase", "area:14", "o"),
            agreement("a3", "project_grant", "municipality:090", "o"),
        ],
    )
    (row,) = resolve(ds, REF, 2024, KINDS)
    assert [str(p) for p in row.funders] == ["area:14", "municipality:090"]
    assert row.agreements == ("a1", "a2", "a3")


def test_helsinki_is_its_own_area() -> None:
    ds = dataset(
        organisations=[org("o1", HELSINKI)],
        services=[svc("housing", "o1", "sote_service")],
        agreements=[agreement("buy", "service_purchase", f"municipality:{HELSINKI}", "o1")],
    )
    row = table(ds)[(HELSINKI, "housing")]
    assert (row.area, row.status) == ("90", FundingStatus.OK)


def test_regional_default_answers_only_without_an_agreement() -> None:
    ds = dataset(
        organisations=[org("o1")],
        services=[svc("club", "o1")],
        agreements=[agreement("g", "operating_grant", f"municipality:{JOENSUU}", "o1")],
    )
    calls = []

    def default(municipality: str, area: str, kind: str, year: int) -> ResponsibleParty | None:
        calls.append((municipality, area, kind, year))
        return ResponsibleParty.MUNICIPALITY

    row = table(ds, default_party=default)[(JOENSUU, "club")]
    assert (row.status, row.basis) == (FundingStatus.OK, "default")
    assert calls == [(JOENSUU, KARJALA, "clubhouse", 2024)]


def test_dissolved_organisations_and_lapsed_agreements_do_not_count() -> None:
    ds = dataset(
        organisations=[org("gone", dissolved=__import__("datetime").date(2022, 5, 1)), org("o1")],
        services=[svc("a", "gone"), svc("b", "o1", "culture")],
        agreements=[agreement("g", "operating_grant", f"municipality:{JOENSUU}", "o1", end=2023)],
    )
    rows = table(ds)
    assert list(rows) == [(JOENSUU, "b")]
    assert rows[(JOENSUU, "b")].status is FundingStatus.UNFUNDED


# -- properties ----------------------------------------------------------------

MUNICIPALITIES = [JOENSUU, OUTOKUMPU, "837", HELSINKI, "638"]
PARTIES = [f"municipality:{m}" for m in MUNICIPALITIES] + [
    "area:14",
    "area:08",
    "area:01",
    "area:90",
]
FUNDING_KINDS = [
    "operating_grant",
    "project_grant",
    "service_purchase",
    "service_voucher",
    "personal_budget",
    "premises",
    "cooperation",
]


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    orgs = [
        org(
            f"o{i}",
            *draw(st.lists(st.sampled_from(MUNICIPALITIES), min_size=1, max_size=3, unique=True)),
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    services = [
        svc(
            f"s{i}",
            draw(st.sampled_from(orgs)).id,
            draw(st.sampled_from(sorted(KINDS))),
            municipalities=tuple(
                draw(st.lists(st.sampled_from(MUNICIPALITIES), max_size=2, unique=True))
            ),
        )
        for i in range(draw(st.integers(0, 5)))
    ]
    agreements = [
        agreement(
            f"a{i}",
            draw(st.sampled_from(FUNDING_KINDS)),
            draw(st.sampled_from(PARTIES)),
            draw(st.sampled_from(orgs)).id,
            start=draw(st.integers(2021, 2025)),
            services=tuple(
                draw(st.lists(st.sampled_from([s.id for s in services] or ["x"]), max_size=2))
            ),
        )
        for i in range(draw(st.integers(0, 6)))
    ]
    responsibilities = [
        responsibility(
            f"r{i}",
            m,
            REF.area_of(m, 2024) or "14",
            start=draw(st.integers(2021, 2025)),
            **draw(
                st.dictionaries(
                    st.sampled_from(sorted(KINDS)),
                    st.sampled_from(["municipality", "area", "shared"]),
                    max_size=3,
                )
            ),
        )
        for i, m in enumerate(draw(st.lists(st.sampled_from(MUNICIPALITIES), max_size=3)))
    ]
    return dataset(
        organisations=orgs,
        services=services,
        agreements=agreements,
        responsibilities=responsibilities,
    )


def blind_spots(ds: Dataset) -> set[tuple[str, str]]:
    return {k for k, r in table(ds).items() if r.status is FundingStatus.BLIND_SPOT}


@settings(max_examples=150, deadline=None)
@given(
    datasets(),
    st.sampled_from(MUNICIPALITIES),
    st.sampled_from(sorted(KINDS)),
    st.sampled_from(["municipality", "area", "shared"]),
    st.integers(2021, 2024),
)
def test_adding_a_responsibility_never_adds_blind_spots(
    ds: Dataset, municipality: str, kind: str, who: str, start: int
) -> None:
    area = REF.area_of(municipality, 2024)
    assert area is not None
    extra = responsibility("added", municipality, area, start=start, **{kind: who})
    more = dataset(**{**_collections(ds), "responsibilities": [*ds.responsibilities, extra]})
    assert blind_spots(more) <= blind_spots(ds)


@settings(max_examples=150, deadline=None)
@given(datasets())
def test_sote_and_municipal_services_are_never_blind_spots(ds: Dataset) -> None:
    for row in table(ds).values():
        if row.domain in (Domain.SOTE, Domain.MUNICIPAL):
            assert row.status is not FundingStatus.BLIND_SPOT


@settings(max_examples=150, deadline=None)
@given(datasets())
def test_without_agreements_nothing_is_ok(ds: Dataset) -> None:
    bare = dataset(**{**_collections(ds), "agreements": []})
    assert all(r.status is not FundingStatus.OK for r in table(bare).values())


@settings(max_examples=150, deadline=None)
@given(datasets(), st.randoms(use_true_random=False))
def test_record_order_changes_nothing(ds: Dataset, rnd: random.Random) -> None:
    shuffled = {}
    for name, records in _collections(ds).items():
        items = list(records)
        rnd.shuffle(items)
        shuffled[name] = items
    assert resolve(dataset(**shuffled), REF, 2024, KINDS) == resolve(ds, REF, 2024, KINDS)


def _collections(ds: Dataset) -> dict[str, Any]:
    return {
        "organisations": ds.organisations,
        "services": ds.services,
        "agreements": ds.agreements,
        "responsibilities": ds.responsibilities,
    }


@settings(max_examples=150, deadline=None)
@given(datasets())
def test_funders_are_the_covering_agreements_bodies_each_once_in_order(ds: Dataset) -> None:
    by_id = {a.id: a for a in ds.agreements}
    for row in resolve(ds, REF, 2024, KINDS):
        assert list(row.agreements) == sorted(set(row.agreements))
        bodies = {Reference.canonical(by_id[i].party) for i in row.agreements}
        assert row.funders == tuple(sorted(bodies))
