"""gc_paused: the collector is left as found, and what was built is not walked again."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from importlib.resources import files

import pytest
from click.testing import CliRunner

from jarjesto_cli.cli import cli
from jarjesto_core.hookspecs import hookimpl
from jarjesto_core.model import PartyRef
from jarjesto_core.perf import gc_paused
from jarjesto_core.plugins import get_plugin_manager
from jarjesto_core.rules.base import Context, Rule, Status, Verdict
from jarjesto_core.serialise import parse_dataset
from jarjesto_core.testing import Jarjesto
from jarjesto_core.validation import validate


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


# -- where the collector is paused: at the edges, never inside the library -----------------


class _Probe:
    """A plugin whose rule notes whether the collector runs while the engine judges."""

    def __init__(self) -> None:
        self.seen: list[bool] = []
        probe = self

        class Gc(Rule):
            code = "probe.gc"
            own_records = False

            def judge(self, ctx: Context) -> Verdict:
                probe.seen.append(gc.isenabled())
                return Verdict(Status.MET, "noted")

        self.rule = Gc()

    @hookimpl
    def register_rules(self) -> list[Rule]:
        return [self.rule]


def test_the_library_leaves_the_collector_running(collector: None, jarjesto: Jarjesto) -> None:
    """Parsing, validating and assessing collect as usual unless the caller pauses."""
    collections: list[str] = []

    def note(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(phase)

    text = (files("jarjesto_core") / "data" / "sample.json").read_text()
    threshold = gc.get_threshold()
    # A low threshold, so that whether a collection runs depends on the pause alone,
    # not on how many objects earlier tests left counted.
    gc.set_threshold(10)
    gc.callbacks.append(note)
    try:
        dataset = parse_dataset(text).dataset
        validate(dataset, jarjesto.reference)
    finally:
        gc.callbacks.remove(note)
        gc.set_threshold(*threshold)
    assert collections, "the collector never ran while the sample was read and validated"
    probe = _Probe()
    jarjesto.use(probe, name="probe").assess(dataset, 2024, [PartyRef.area("14")])
    assert probe.seen == [True]
    assert gc.isenabled()


def test_a_command_pauses_the_collector_and_restores_it(collector: None) -> None:
    probe = _Probe()
    pm = get_plugin_manager(load_entrypoints=False)
    pm.register(probe, name="probe")
    result = CliRunner().invoke(
        cli, ["assess", "--area", "14", "--year", "2024", "--format", "json"], obj={"pm": pm}
    )
    assert result.exit_code == 0, result.output
    assert probe.seen == [False]
    assert gc.isenabled()
