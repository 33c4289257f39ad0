"""PartyRef is one object per value: equality is identity, whatever made the reference."""

from __future__ import annotations

import copy
import gc
import pickle
import sys
import weakref
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core.model import PartyKind, PartyRef
from jarjesto_core.serialise import parse_dataset
from threads import at_once

values = st.tuples(
    st.sampled_from(list(PartyKind)), st.text(alphabet="0123456789", min_size=1, max_size=4)
)


def test_every_way_of_naming_a_body_gives_the_same_object() -> None:
    made = [
        PartyRef(PartyKind.MUNICIPALITY, "091"),
        PartyRef.municipality("091"),
        PartyRef.parse("municipality:091"),
        PartyRef("municipality", "091"),
        PartyRef(kind=PartyKind.MUNICIPALITY, code="".join(["09", "1"])),
    ]
    assert all(p is made[0] for p in made)
    assert made[0].kind is PartyKind.MUNICIPALITY
    assert PartyRef.area("091") is not made[0]


def test_parsed_records_share_the_object_the_caller_names() -> None:
    parsed = parse_dataset(
        """{"format": "jarjesto-dataset", "version": 1,
            "coordinators": [{"id": "c1", "party": "area:90",
                              "title": "organisation_coordinator", "start": "2023-01-01"}]}"""
    )
    assert not parsed.problems
    assert parsed.dataset.coordinators[0].party is PartyRef.area("90")


@given(st.lists(values, max_size=40))
def test_equal_values_hash_and_compare_equal_and_distinct_ones_do_not(
    pairs: list[tuple[PartyKind, str]],
) -> None:
    first = [PartyRef(kind, code) for kind, code in pairs]
    again = [PartyRef(kind, code) for kind, code in pairs]
    assert first == again
    assert len(set(first) | set(again)) == len(set(pairs))
    for p, (kind, code) in zip(first, pairs, strict=True):
        assert (p.kind, p.code, str(p)) == (kind, code, f"{kind.value}:{code}")


@given(st.lists(values, max_size=30))
def test_order_is_by_kind_then_code(pairs: list[tuple[PartyKind, str]]) -> None:
    parties = [PartyRef(kind, code) for kind, code in pairs]
    assert [(p.kind.value, p.code) for p in sorted(parties)] == sorted(
        (kind.value, code) for kind, code in pairs
    )
    if len(parties) >= 2:
        a, b = parties[0], parties[1]
        assert (a < b) == ((a.kind.value, a.code) < (b.kind.value, b.code))
        assert (a <= b) == ((a.kind.value, a.code) <= (b.kind.value, b.code))
        assert (a > b) == ((a.kind.value, a.code) > (b.kind.value, b.code))
        assert (a >= b) == ((a.kind.value, a.code) >= (b.kind.value, b.code))


def test_copies_and_unpickled_references_are_the_live_object() -> None:
    party = PartyRef.area("14")
    assert copy.copy(party) is party
    assert copy.deepcopy({"p": [party]})["p"][0] is party
    assert pickle.loads(pickle.dumps(party)) is party
    assert attrs.evolve(party, code="15") is PartyRef.area("15")


def test_references_are_immutable() -> None:
    party = PartyRef.area("14")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        party.code = "15"  # type: ignore[misc]


def test_a_code_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="party code is a string"):
        PartyRef(PartyKind.AREA, 14)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="county"):
        PartyRef("county", "14")


def test_references_nobody_holds_are_not_kept() -> None:
    # A web form can name any code: the table must not grow with every one ever seen.
    party = PartyRef.municipality("98765")
    alive = weakref.ref(party)
    del party
    gc.collect()
    assert alive() is None


@pytest.fixture
def eager_switching() -> Iterator[None]:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


@pytest.mark.usefixtures("eager_switching")
def test_threads_naming_new_bodies_at_once_get_one_object_each() -> None:
    codes = [f"7{n:05d}" for n in range(5000)]
    made: list[list[PartyRef]] = []

    def make(_: int) -> None:
        made.append([PartyRef.municipality(code) for code in codes])

    at_once(4, make)
    assert len(made) == 4
    split = [
        code for code, *objects in zip(codes, *made, strict=True) if len(set(map(id, objects))) > 1
    ]
    assert split == []
