"""The rules of criteria.md v2 that judge what the organisations ask, on small datasets.

met and partial rest on records that are there; where a verdict would rest on
a record not being there, the answer is unknown ("not recorded") until the
data says where it is complete. Every message names what it found and what
is missing, by name.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from engine_support import (
    JOENSUU,
    KARJALA,
    PORVOO,
    agreement,
    commitment,
    d,
    dataset,
    org,
    party,
    structure,
    svc,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataset_strategies import datasets
from jarjesto_core.assessment import assess
from jarjesto_core.model import (
    Appropriation,
    Hearing,
    WelfareReport,
    WelfareReportKind,
)
from jarjesto_core.reference import Reference
from jarjesto_core.registry import Registry
from jarjesto_core.rules.base import Finding, Status
from jarjesto_core.rules.demands import hearing_gaps

M = f"municipality:{JOENSUU}"
A = f"area:{KARJALA}"


@pytest.fixture
def judge(registry: Registry, reference: Reference) -> Any:
    def run(ds: Any, subject: str, code: str, year: int = 2024) -> Finding:
        result = assess(ds, year, [party(subject)], registry=registry, reference=reference)
        found = [f for f in result.subjects[0].findings if f.rule == code]
        if not found:  # a rule not asked about this kind of subject
            return Finding(code, Status.NOT_APPLICABLE, "", {}, (), ())
        return found[0]

    return run


def heard(
    id: str,
    who: str = M,
    *,
    orgs: tuple[str, ...] = ("o1",),
    bodies: tuple[str, ...] = (),
    **kw: Any,
) -> Hearing:
    return Hearing(id, party(who), d(2024, 3, 1), "Palveluverkko", orgs, bodies, **kw)


GOOD = {
    "decision": "Kunnanhallitus 12.4.2024 § 45",
    "decision_date": d(2024, 4, 12),
    "deadline": d(2024, 3, 20),
    "response_published": True,
}


# -- core.influence-bodies ---------------------------------------------------------


COUNCILS = [
    structure("nuva", "youth_council", M),
    structure("vanhus", "older_people_council", M),
    structure("vammais", "disability_council", M),
]


def test_influence_bodies_met_when_all_three_exist_and_each_was_heard(judge: Any) -> None:
    ds = dataset(
        structures=[*COUNCILS],
        hearings=[
            heard("h1", orgs=(), bodies=("nuva", "vanhus")),
            heard("h2", bodies=("vammais",)),
        ],
    )
    found = judge(ds, M, "core.influence-bodies")
    assert found.status is Status.MET
    assert set(found.evidence) == {"nuva", "vanhus", "vammais", "h1", "h2"}
    assert "each was heard in 2024: nuva, vanhus, vammais" in found.render("en")


def test_councils_that_exist_but_were_never_heard_are_partial(judge: Any) -> None:
    ds = dataset(structures=COUNCILS, hearings=[heard("h1", bodies=("nuva",))])
    found = judge(ds, M, "core.influence-bodies")
    assert found.status is Status.PARTIAL
    assert found.render("en") == (
        "The three influence bodies exist, but no hearing of vanhus, vammais is recorded for 2024."
    )
    assert "vanhus, vammais" in found.render("fi")


def test_influence_bodies_partial_when_only_some_exist_naming_the_others(judge: Any) -> None:
    ds = dataset(structures=COUNCILS[:1], hearings=[heard("h1", bodies=("nuva",))])
    found = judge(ds, M, "core.influence-bodies")
    assert found.status is Status.PARTIAL
    assert found.render("en") == (
        "One of the three influence bodies exists: nuva (heard in 2024: nuva). Not recorded: "
        "the council for older people, the disability council."
    )
    two = judge(dataset(structures=COUNCILS[:2]), M, "core.influence-bodies")
    assert two.render("en").startswith("2 of the three influence bodies exist: nuva, vanhus")


def test_influence_bodies_unknown_when_none_is_recorded(judge: Any) -> None:
    found = judge(dataset(organisations=[org("o1")]), M, "core.influence-bodies")
    assert found.status is Status.UNKNOWN
    assert found.render("en") == (
        "Not recorded in the data for 2024: the youth council, the council for older people, "
        "the disability council."
    )


# -- core.hearing ------------------------------------------------------------------


def test_a_hearing_before_a_named_decision_with_14_days_and_a_response_is_met(
    judge: Any,
) -> None:
    ds = dataset(organisations=[org("o1"), org("o2"), org("o3")], hearings=[heard("h1", **GOOD)])
    found = judge(ds, M, "core.hearing")
    assert found.status is Status.MET
    assert found.render("en") == (
        "Organisations were heard on Palveluverkko before Kunnanhallitus 12.4.2024 § 45, "
        "with 19 days to respond, and the response was published."
    )


def test_a_hearing_with_no_decision_recorded_is_at_most_partial(judge: Any) -> None:
    ds = dataset(organisations=[org("o1")], hearings=[heard("h1")])
    found = judge(ds, M, "core.hearing")
    assert found.status is Status.PARTIAL
    assert found.render("en") == (
        "Organisations were heard in 2024 (one hearing: Palveluverkko), but its record does "
        "not show the decision it prepared, that it was held before the decision, at least "
        "14 days to respond, a published response."
    )


@pytest.mark.parametrize(
    ("change", "gap"),
    [
        ({"decision_date": d(2024, 2, 1)}, "before"),  # decided before it was heard
        ({"deadline": d(2024, 3, 10)}, "days"),  # nine days
        ({"response_published": False}, "response"),
        ({"response_published": None}, "response"),  # unknown is not shown either
        ({"decision": None}, "decision"),
    ],
)
def test_each_missing_quality_is_named(judge: Any, change: dict[str, Any], gap: str) -> None:
    hearing = heard("h1", **(GOOD | change))
    assert hearing_gaps(hearing) == [gap]
    found = judge(dataset(organisations=[org("o1")], hearings=[hearing]), M, "core.hearing")
    assert found.status is Status.PARTIAL


def test_members_of_a_body_heard_count_as_heard_and_an_area_is_held_to_no_share(
    judge: Any,
) -> None:
    orgs = [org(f"o{i}", JOENSUU) for i in range(10)]
    council = structure("jane", "organisation_council", A, members=("o1",))
    ds = dataset(
        organisations=orgs,
        structures=[council],
        hearings=[heard("h1", A, orgs=(), bodies=("jane",), **GOOD)],
    )
    assert judge(ds, A, "core.hearing").status is Status.MET


def test_a_municipality_hearing_under_a_quarter_is_partial(judge: Any) -> None:
    orgs = [org(f"o{i}") for i in range(10)]
    ds = dataset(organisations=orgs, hearings=[heard("h1", orgs=("o1",), **GOOD)])
    found = judge(ds, M, "core.hearing")
    assert found.status is Status.PARTIAL
    assert "heard only one of the 10 organisations working here (10 %" in found.render("en")


def test_no_hearing_recorded_is_unknown_not_no(judge: Any) -> None:
    found = judge(dataset(organisations=[org("o1")]), M, "core.hearing")
    assert found.status is Status.UNKNOWN
    assert found.render("fi").startswith("Aineistoon ei ole kirjattu vuodelta 2024")


# -- core.grants --------------------------------------------------------------------


def test_grants_met_with_sum_per_resident_and_the_small_organisations_share(
    judge: Any,
) -> None:
    ds = dataset(
        organisations=[org("small", members=40), org("big", members=400), org("nobody")],
        agreements=[
            agreement("g1", "operating_grant", M, "small", amount="3000"),
            agreement("g2", "operating_grant", M, "big", amount="9000"),
            agreement("g3", "project_grant", M, "nobody", amount="0"),  # refused
        ],
    )
    found = judge(ds, M, "core.grants")
    assert found.status is Status.MET
    assert found.evidence == ("g1", "g2")
    text = found.render("en")
    assert text.startswith("2 grants in 2024: €12,000, €0.15 per resident; €3,000 (25 %)")


def test_only_project_grants_is_partial_and_zero_euros_is_no_grant(judge: Any) -> None:
    ds = dataset(
        organisations=[org("o1")],
        agreements=[agreement("p1", "project_grant", M, "o1", amount="500")],
    )
    found = judge(ds, M, "core.grants")
    assert found.status is Status.PARTIAL
    assert "no operating grant is recorded" in found.render("en")
    zero = dataset(
        organisations=[org("o1")],
        agreements=[agreement("z", "operating_grant", M, "o1", amount="0")],
    )
    assert judge(zero, M, "core.grants").status is Status.UNKNOWN


def test_grants_a_change_between_years_is_not_a_cut_without_coverage(judge: Any) -> None:
    ds = dataset(
        organisations=[org("o1")],
        agreements=[
            agreement("y1", "operating_grant", M, "o1", start=2023, end=2023, amount="10000"),
            agreement("y2", "operating_grant", M, "o1", start=2024, end=2024, amount="1000"),
        ],
    )
    assert judge(ds, M, "core.grants").status is Status.MET


# -- core.appropriation -------------------------------------------------------------


def line(reserved: str | None, *, hyte: bool | None = True, who: str = M) -> Appropriation:
    return Appropriation(
        "hyte-2024",
        party(who),
        2024,
        "Hyvinvoinnin edistäminen",
        Decimal("100000"),
        hyte=hyte,
        grants_reserved_eur=Decimal(reserved) if reserved is not None else None,
    )


@pytest.mark.parametrize(
    ("record", "status", "text"),
    [
        (
            line("25000"),
            Status.MET,
            "Hyvinvoinnin edistäminen of 2024 reserves €25,000 of €100,000 for organisation "
            "grants.",
        ),
        (
            line("0"),
            Status.PARTIAL,
            "Hyvinvoinnin edistäminen of 2024 (€100,000) reserves nothing for organisation grants.",
        ),
        (
            line(None),
            Status.UNKNOWN,
            "Hyvinvoinnin edistäminen of 2024 (€100,000) is recorded, but not the part reserved "
            "for organisation grants.",
        ),
        (
            line("25000", hyte=None),
            Status.UNKNOWN,
            "Not recorded in the data for 2024: a health and wellbeing promotion appropriation.",
        ),
    ],
)
def test_appropriation(judge: Any, record: Appropriation, status: Status, text: str) -> None:
    found = judge(dataset(appropriations=[record]), M, "core.appropriation")
    assert (found.status, found.render("en")) == (status, text)


def test_appropriation_of_another_year_says_nothing(judge: Any) -> None:
    ds = dataset(appropriations=[line("25000")])
    assert judge(ds, M, "core.appropriation", year=2025).status is Status.UNKNOWN


# -- core.strategy -------------------------------------------------------------------


ALL_SIX = (
    "services_link",
    "partnership_structure",
    "grant_continuation",
    "funding_principles",
    "premises_use",
    "participation_channels",
)


@pytest.mark.parametrize("who", [M, A])
def test_strategy_of_either_kind_met_on_six_topics(judge: Any, who: str) -> None:
    found = judge(dataset(commitments=[commitment("s", who, *ALL_SIX)]), who, "core.strategy")
    assert found.status is Status.MET
    assert (
        found.render("en") == "Strategia covers all six topics of cooperation with organisations."
    )


def test_strategy_partial_names_the_missing_topics(judge: Any) -> None:
    ds = dataset(commitments=[commitment("s", M, *ALL_SIX[:4])])
    found = judge(ds, M, "core.strategy")
    assert found.status is Status.PARTIAL
    assert found.render("en").endswith(
        "it does not cover organisations' use of premises, participation channels."
    )
    assert "osallistumis" in found.render("fi")


def test_strategy_covering_none_is_not_met_and_none_recorded_unknown(judge: Any) -> None:
    ds = dataset(commitments=[commitment("s", M, "procurement_lots")])
    assert judge(ds, M, "core.strategy").status is Status.NOT_MET
    assert judge(dataset(), M, "core.strategy").status is Status.UNKNOWN


# -- core.small-producers ------------------------------------------------------------


def test_small_producers_reads_the_strategy_topics(judge: Any) -> None:
    pledged = dataset(commitments=[commitment("s", A, "procurement_lots", "vouchers_and_budgets")])
    assert judge(pledged, A, "core.small-producers").status is Status.MET
    half = dataset(
        organisations=[org("o1")],
        commitments=[commitment("s", A, "procurement_lots")],
    )
    found = judge(half, A, "core.small-producers")
    assert found.status is Status.PARTIAL
    assert found.render("en") == (
        "Procurements divided into lots: in the strategy; vouchers or budgets: not recorded."
    )
    assert judge(dataset(), A, "core.small-producers").status is Status.UNKNOWN
    assert judge(pledged, M, "core.small-producers").status is Status.NOT_APPLICABLE


# -- core.knowledge-management -------------------------------------------------------


def report(**kw: Any) -> WelfareReport:
    return WelfareReport("hk", party(M), WelfareReportKind.REPORT, d(2022), d(2025, 5, 31), **kw)


@pytest.mark.parametrize(
    ("kw", "status"),
    [
        ({"includes_organisations": True, "organisations_heard": True}, Status.MET),
        ({"includes_organisations": True}, Status.PARTIAL),
        ({"organisations_heard": True, "includes_organisations": False}, Status.PARTIAL),
        ({"includes_organisations": False, "organisations_heard": False}, Status.NOT_MET),
        ({}, Status.UNKNOWN),
    ],
)
def test_knowledge_management_reads_the_welfare_report_first(
    judge: Any, kw: dict[str, Any], status: Status
) -> None:
    found = judge(dataset(welfare_reports=[report(**kw)]), M, "core.knowledge-management")
    assert found.status is status
    assert found.evidence == ("hk",)


def test_knowledge_management_without_a_report_falls_back_on_participants(judge: Any) -> None:
    ds = dataset(
        organisations=[org("o1")],
        services=[svc("s1", "o1", participants_per_year=30)],
    )
    found = judge(ds, M, "core.knowledge-management")
    assert found.status is Status.PARTIAL
    assert found.render("en").startswith("No welfare report is recorded for 2024, but")
    none = dataset(organisations=[org("o1")], services=[svc("s1", "o1")])
    assert judge(none, M, "core.knowledge-management").status is Status.UNKNOWN


# -- core.cooperation-structure, core.bilingual-inclusion, core.forums ---------------


def test_an_areas_family_centre_network_is_a_cooperation_body(judge: Any) -> None:
    network = structure(
        "pk", "family_centre_network", A, members=("o1",), meetings=(d(2024, 2), d(2024, 9))
    )
    ds = dataset(organisations=[org("o1")], structures=[network])
    assert judge(ds, A, "core.cooperation-structure").status is Status.MET
    as_municipality = dataset(
        organisations=[org("o1")],
        structures=[
            structure("pk", "family_centre_network", M, members=("o1",), meetings=(d(2024, 2),) * 2)
        ],
    )
    assert judge(as_municipality, M, "core.cooperation-structure").status is not Status.MET


def test_bilingual_inclusion_counts_hearings_held_in_the_minority_language(judge: Any) -> None:
    porvoo = f"municipality:{PORVOO}"
    swedish = org("svenska", PORVOO, languages=("sv",))
    in_finnish = Hearing(
        "h", party(porvoo), d(2024, 3), "Budjetti", ("svenska",), languages=("fi",)
    )
    in_swedish = Hearing("h", party(porvoo), d(2024, 3), "Budget", ("svenska",), languages=("sv",))
    only_finnish = judge(
        dataset(organisations=[swedish], hearings=[in_finnish]), porvoo, "core.bilingual-inclusion"
    )
    with_swedish = judge(
        dataset(organisations=[swedish], hearings=[in_swedish]), porvoo, "core.bilingual-inclusion"
    )
    assert only_finnish.evidence == ()
    assert with_swedish.evidence == ("h",)


def test_forums_are_judged_for_areas_too(judge: Any) -> None:
    panel = structure("raati", "resident_panel", A)
    assert judge(dataset(structures=[panel]), A, "core.forums").status is Status.MET


# -- the grants of a year come from the index, as a scan of every agreement would find them


@given(datasets(), st.data())
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_the_grants_of_a_year_are_those_a_scan_finds(ds: Any, data: Any) -> None:
    """core.grants takes the assessed year's and the year before's grants from the year
    index's lists by body (a scan per subject made a national assessment quadratic): the
    same agreements, in the same order, as looking at every agreement."""
    from jarjesto_core.model import in_force
    from jarjesto_core.reference import bundled_reference
    from jarjesto_core.rules.base import Context
    from jarjesto_core.rules.demands import GRANT_KINDS, _grants_of

    reference = bundled_reference()
    # One of the subject's grants ends the year before the assessed one (a cut compares the
    # two years): the index must give it for the year before though not for the year.
    import datetime as dt

    import attrs

    from jarjesto_core.model import AgreementKind

    subject, year = party(M), 2023
    if ds.agreements:
        chosen = data.draw(st.sampled_from(ds.agreements))
        ended = attrs.evolve(
            chosen,
            kind=AgreementKind.OPERATING_GRANT,
            end=dt.date(chosen.start.year, 12, 31),
            annual_amount_eur=None,
        )
        ds = attrs.evolve(ds, agreements=(*ds.agreements, ended))
        subject, year = ended.party, ended.start.year + 1
    ctx = Context(ds, reference, year, subject, {}, (), (), {})
    for wanted in (year, year - 1, year - 2):
        scanned = [
            a
            for a in ds.agreements
            if a.kind in GRANT_KINDS
            and in_force(a.start, a.end, wanted)
            and ctx.is_subject(a.party)
            and (a.annual_amount_eur is None or a.annual_amount_eur > 0)
        ]
        assert _grants_of(ctx, wanted) == scanned
