"""Fixtures for CLI tests: a runner and small datasets built through the CLI itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from jarjesto_cli.cli import cli

Run = Callable[..., Result]

ORGANISATIONS_CSV = (
    "id;name_fi;name_sv;languages;scope;municipalities;members\r\n"
    "org-a;Joensuun klubitalo ry;;fi;local;Joensuu;120\r\n"
    "org-b;Pohjanmaan yhdistys;Föreningen i Österbotten;sv, fi;regional;Malax, Korsholm;1 250\r\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def run(runner: CliRunner) -> Run:
    """Invoke ``jarjesto`` with English messages (``--lang en``) and the given args."""

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, ["--lang", "en", *args])

    return invoke


@pytest.fixture
def dataset(tmp_path: Path, run: Run) -> Path:
    """A dataset made by ``jarjesto new`` and ``jarjesto import``: two organisations."""
    path = tmp_path / "region.json"
    assert run("new", str(path)).exit_code == 0
    csv_file = tmp_path / "organisations.csv"
    csv_file.write_bytes(ORGANISATIONS_CSV.encode("utf-8"))
    result = run("import", str(path), "organisations", str(csv_file))
    assert result.exit_code == 0, result.output
    return path
