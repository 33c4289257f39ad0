"""``jarjesto demo generate``: a file, a workspace, or both; the same options, the same bytes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from jarjesto_core.demo import generate
from jarjesto_core.files import read_dataset
from jarjesto_core.reference import bundled_reference
from jarjesto_core.serialise import dump_dataset
from jarjesto_core.workspace import open_workspace

Run = Callable[..., Result]


def test_generate_writes_the_generators_dataset(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "demo.json"
    result = run("demo", "generate", "-o", str(out), "--organisations", "30", "--seed", "4")
    assert result.exit_code == 0, result.output
    expected = generate(bundled_reference(), organisations=30, years=5, seed=4)
    assert out.read_text(encoding="utf-8") == dump_dataset(expected)
    assert result.stdout == (
        f"Wrote 30 organisations, {len(expected.services)} services and "
        f"{len(expected.agreements)} agreements to {out}.\n"
    )
    assert read_dataset(out) == expected


def test_generate_into_a_new_workspace(tmp_path: Path, run: Run) -> None:
    location = tmp_path / "demo.sqlite"
    result = run("demo", "generate", "-w", str(location), "--organisations", "12", "--years", "3")
    assert result.exit_code == 0, result.output
    assert "Loaded 12 organisations" in result.stdout
    with open_workspace(str(location)) as ws:
        assert ws.dataset() == generate(bundled_reference(), organisations=12, years=3, seed=0)


def test_generate_needs_somewhere_to_write(run: Run) -> None:
    result = run("demo", "generate")
    assert result.exit_code == 2
    assert "give --output FILE or --workspace PATH|URL" in result.output
