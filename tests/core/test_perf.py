"""gc_paused: the collector is left as found, and what was built is not walked again."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from jarjesto_core.perf import gc_paused


@pytest.fixture
def collector() -> Iterator[None]:
    """Each test starts with the collector enabled and nothing frozen, and leaves it so."""
    was_enabled = gc.isenabled()
    gc.enable()
    gc.unfreeze()
    yield
    gc.unfreeze()
    if not was_enabled:
        gc.disable()


def test_built_objects_are_promoted_to_the_oldest_generation(collector: None) -> None:
    with gc_paused():
        assert not gc.isenabled()
        built = [(str(i), [i]) for i in range(20_000)]
    assert gc.isenabled()
    # Nothing left young to walk at the next allocation ...
    assert gc.get_count()[0] < 100
    # ... and the built objects are in the oldest generation, still collectable there.
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(built) in oldest
    assert all(id(pair) in oldest for pair in built[::1000])
    assert gc.get_freeze_count() == 0


def test_cycles_made_meanwhile_are_still_collected(collector: None) -> None:
    class Node:
        other: Node

    with gc_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        ids = {id(a), id(b)}
        del a, b
    gc.collect()
    assert not ids & {id(o) for o in gc.get_objects()}


def test_objects_the_application_froze_stay_frozen(collector: None) -> None:
    kept = [object() for _ in range(10)]
    gc.freeze()
    frozen = gc.get_freeze_count()
    with gc_paused():
        _ = [[i] for i in range(1000)]
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()
    del kept


def test_nested_and_disabled_uses_leave_the_collector_as_found(collector: None) -> None:
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()
    gc.enable()
