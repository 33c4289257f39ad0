"""party_order is PartyRef's own order, usable as a sort key."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core.model import PartyKind, PartyRef, party_order

parties = st.builds(
    PartyRef,
    st.sampled_from(list(PartyKind)),
    st.text(alphabet="0123456789", min_size=2, max_size=3),
)


@given(st.lists(parties, max_size=30))
def test_sorting_by_party_order_equals_sorting_parties(items: list[PartyRef]) -> None:
    assert sorted(items, key=party_order) == sorted(items)


def test_areas_come_before_municipalities_whatever_their_codes() -> None:
    items = [PartyRef.municipality("090"), PartyRef.area("14"), PartyRef.municipality("005")]
    assert [str(p) for p in sorted(items, key=party_order)] == [
        "area:14",
        "municipality:005",
        "municipality:090",
    ]
