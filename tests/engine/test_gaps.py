"""The blind-spot view's figures (jarjesto_core.gaps): counts that add up, whatever the filter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core import gaps
from jarjesto_core.model import Agreement, AgreementKind, PartyRef, ResponsibleParty
from jarjesto_core.resolver import FundingRow, FundingStatus

ROWS = st.builds(
    FundingRow,
    municipality=st.sampled_from(["853", "445", "167"]),
    area=st.just("05"),
    service=st.sampled_from(["s1", "s2", "s3", "s4"]),
    organisation=st.just("o"),
    kind=st.sampled_from(["meeting_place", "peer_support", "clubhouse"]),
    domain=st.none(),
    responsible=st.none() | st.sampled_from(list(ResponsibleParty)),
    funders=st.just(()),
    status=st.sampled_from(list(FundingStatus)),
)


@given(
    st.lists(ROWS, max_size=30),
    st.sets(st.sampled_from([s.value for s in FundingStatus])),
    st.sets(st.sampled_from(["meeting_place", "peer_support", "nonsense"])),
)
def test_the_matrix_counts_every_row_the_filter_keeps_once(
    rows: list[FundingRow], statuses: set[str], kinds: set[str]
) -> None:
    chosen = gaps.GapFilter.parse(statuses, kinds, [])
    kept = chosen.rows(rows)
    cells = gaps.matrix(kept)
    assert sum(c.total for c in cells.values()) == len(kept)
    for (m, k), cell in cells.items():
        assert cell.worst is not None
        assert cell.counts[cell.worst] > 0
        assert all(r.status in chosen.statuses for r in kept if (r.municipality, r.kind) == (m, k))
    if not statuses:
        # no status chosen: every problem, never the pairs in order
        assert all(r.status is not FundingStatus.OK for r in kept)


def test_blind_spots_are_worst_and_every_status_is_ordered() -> None:
    assert gaps.ORDER[0] is FundingStatus.BLIND_SPOT
    assert gaps.ORDER[-1] is FundingStatus.OK
    assert set(gaps.ORDER) == set(FundingStatus)
    assert set(FundingStatus) - {FundingStatus.OK} == gaps.PROBLEMS


def test_what_to_agree_on_names_current_funders_and_amounts() -> None:
    turku = PartyRef.municipality("853")
    agreement = Agreement(
        id="a1",
        kind=AgreementKind("operating_grant"),
        party=turku,
        organisation="o",
        start=dt.date(2024, 1, 1),
        annual_amount_eur=Decimal(9000),
    )
    blind = FundingRow(
        "853", "05", "s1", "o", "meeting_place", None, None, (turku,),
        FundingStatus.BLIND_SPOT, None, ("a1",),
    )  # fmt: skip
    ok = blind._replace(service="s2", responsible=ResponsibleParty.AREA, status=FundingStatus.OK)
    (item,) = gaps.to_agree([blind, ok], [agreement])
    assert (item.municipality, item.area, item.kind) == ("853", "05", "meeting_place")
    assert item.rows == (blind,)
    assert item.funding["s1"] == (gaps.Funding("a1", turku, Decimal(9000)),)


def test_counts_are_in_words_with_plural_forms() -> None:
    assert gaps.status_count(FundingStatus.BLIND_SPOT, 1, "en") == "1 blind spot"
    assert gaps.status_count(FundingStatus.BLIND_SPOT, 2, "fi") == "2 katvealuetta"
    assert gaps.status_count(FundingStatus.BLIND_SPOT, 2, "sv") == "2 blinda fläckar"
    assert gaps.status_count(FundingStatus.UNFUNDED, 3, "sv") == "3 ofinansierade"
