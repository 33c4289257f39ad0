"""The workspace commands, through click's CliRunner, on a SQLite workspace."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import attrs
import click
import pytest
from click.testing import CliRunner, Result

from jarjesto_cli.cli import cli
from jarjesto_cli.sources import load_source
from jarjesto_core.model import Dataset
from jarjesto_core.serialise import dump_dataset
from jarjesto_core.workspace import head_revision, open_workspace

ENV = {"LANG": "en_GB.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "COLUMNS": "200"}


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env={**ENV, **(env or {})}, catch_exceptions=False)


@pytest.fixture
def dataset_file(tmp_path: Path, dataset: Dataset) -> Path:
    path = tmp_path / "region.json"
    path.write_text(dump_dataset(dataset), encoding="utf-8")
    return path


@pytest.fixture
def loaded(tmp_path: Path, dataset_file: Path) -> str:
    location = str(tmp_path / "region.db")
    assert run("db", "init", "-w", location).exit_code == 0
    assert run("workspace", "load", "-w", location, str(dataset_file)).exit_code == 0
    return location


def test_db_init_creates_a_workspace_and_refuses_a_second_time(tmp_path: Path) -> None:
    location = str(tmp_path / "region.db")

    result = run("db", "init", "--workspace", location)

    assert result.exit_code == 0
    assert result.output == (
        f"Created the workspace {location} at schema revision {head_revision()}.\n"
    )
    again = run("db", "init", "--workspace", location)
    assert again.exit_code == 1
    assert f"Error: {location} is already a jarjesto workspace" in again.stderr


def test_the_workspace_can_come_from_the_environment(tmp_path: Path) -> None:
    location = str(tmp_path / "env.db")

    result = run("db", "init", env={"JARJESTO_WORKSPACE": location})

    assert result.exit_code == 0
    assert Path(location).is_file()


def test_a_command_without_a_workspace_is_a_usage_error() -> None:
    result = run("db", "status")

    assert result.exit_code == 2
    assert "Missing option '--workspace'" in result.stderr


def test_db_status_shows_revision_and_counts(loaded: str) -> None:
    result = run("db", "status", "-w", loaded)

    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"Workspace: {loaded} (sqlite)"
    assert lines[1] == f"Schema revision: {head_revision()}, up to date"
    assert any(line.split() == ["│", "agreements", "│", "3", "│"] for line in lines)
    assert any(line.split()[1:4] == ["audit", "log", "entries"] for line in lines if line)


def test_db_status_of_an_old_workspace_says_to_upgrade_and_db_upgrade_does(
    tmp_path: Path,
) -> None:
    location = str(tmp_path / "old.db")
    open_workspace(location).init("0001")

    status = run("db", "status", "-w", location)
    assert f"Schema revision: 0001, needs jarjesto db upgrade (latest is {head_revision()})" in (
        status.output
    )
    refused = run("workspace", "dump", "-w", location)
    assert refused.exit_code == 1
    assert "take a backup, then run jarjesto db upgrade" in refused.stderr

    upgraded = run("db", "upgrade", "-w", location)
    assert upgraded.exit_code == 0
    assert upgraded.output == (
        f"Upgraded the workspace {location} from schema revision 0001 to {head_revision()}.\n"
    )
    assert "already at the latest schema revision" in run("db", "upgrade", "-w", location).output


def test_db_backup_copies_a_sqlite_workspace(loaded: str, tmp_path: Path, dataset: Dataset) -> None:
    target = tmp_path / "backup.db"

    result = run("db", "backup", "-w", loaded, str(target))

    assert result.exit_code == 0
    assert result.output == f"Backed up {loaded} to {target}.\n"
    assert open_workspace(str(target)).dataset() == dataset


def test_db_backup_of_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    result = run("db", "backup", "-w", "postgresql://u:secret@db.example/region", "x.dump")

    assert result.exit_code == 1
    assert "pg_dump --format=custom --file=x.dump region" in result.stderr
    assert "secret" not in result.stderr


def test_workspace_load_then_dump_gives_back_the_file(loaded: str, dataset_file: Path) -> None:
    result = run("workspace", "dump", "-w", loaded)

    assert result.exit_code == 0
    assert result.output == dataset_file.read_text(encoding="utf-8")


def test_workspace_load_reports_what_changed(
    loaded: str, dataset_file: Path, dataset: Dataset
) -> None:
    edited = attrs.evolve(dataset, hearings=())
    dataset_file.write_text(dump_dataset(edited), encoding="utf-8")

    result = run("workspace", "load", "-w", loaded, str(dataset_file))

    assert result.exit_code == 0
    assert result.output == (
        f"Loaded {dataset_file} into {loaded}: 0 added, 0 changed, 1 removed, 11 unchanged.\n"
    )


def test_workspace_load_of_a_broken_file_changes_nothing(loaded: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "jarjesto-dataset", "version": 1, "services": [{"id": 5}]}')
    before = run("workspace", "dump", "-w", loaded).output

    result = run("workspace", "load", "-w", loaded, str(broken))

    assert result.exit_code == 1
    assert "services[0]" in result.stderr
    assert run("workspace", "dump", "-w", loaded).output == before


def test_workspace_dump_to_a_file(loaded: str, tmp_path: Path, dataset: Dataset) -> None:
    out = tmp_path / "out.json"

    result = run("workspace", "dump", "-w", loaded, str(out))

    assert result.exit_code == 0
    assert result.output == f"Wrote the workspace {loaded} to {out}.\n"
    assert out.read_text(encoding="utf-8") == dump_dataset(dataset)


def test_log_shows_who_changed_what_as_a_table(loaded: str, dataset: Dataset) -> None:
    ws = open_workspace(loaded)
    ws.update("services", attrs.evolve(dataset.services[1], participants_per_year=42), 1, "maija")
    ws.close()

    result = run("log", "-w", loaded, "--record", "klubi")

    assert result.exit_code == 0
    rows = [line for line in result.output.splitlines() if "services/klubi" in line]
    assert len(rows) == 2
    assert getpass.getuser() in rows[0]
    assert " load " in rows[0]
    assert "added" in rows[0]
    assert "maija" in rows[1]
    assert " update " in rows[1]
    assert "participants_per_year: - → 42" in rows[1]


def test_log_filters_by_date_and_prints_json(loaded: str) -> None:
    assert run("log", "-w", loaded, "--since", "2999-01-01").output == "No changes match.\n"

    result = run("log", "-w", loaded, "--since", "2000-01-01", "--json", "--collection", "hearings")

    assert result.exit_code == 0
    (entry,) = json.loads(result.output)
    assert entry["record"] == "kuuleminen-2024"
    assert entry["action"] == "load"
    assert entry["actor"] == getpass.getuser()
    assert entry["before"] is None
    assert entry["after"]["topic"] == "Hyvinvointisuunnitelma"


def test_a_missing_sqlite_workspace_is_a_clear_error(tmp_path: Path) -> None:
    location = str(tmp_path / "nope.db")

    result = run("log", "-w", location)

    assert result.exit_code == 1
    assert result.stderr == f"Error: no workspace at {location}: create one with jarjesto db init\n"
    assert not Path(location).exists()


def test_load_source_reads_a_workspace(loaded: str, dataset: Dataset) -> None:
    assert load_source(None, workspace=loaded) == dataset


def test_load_source_lets_a_named_file_win_over_the_environment(
    loaded: str, dataset_file: Path, dataset: Dataset
) -> None:
    seen: list[Dataset] = []

    @click.command()
    @click.argument("path", required=False)
    @click.option("--workspace", envvar="JARJESTO_WORKSPACE")
    def show(path: str | None, workspace: str | None) -> None:
        seen.append(load_source(path, workspace=workspace))

    other = attrs.evolve(dataset, hearings=())
    dataset_file.write_text(dump_dataset(other), encoding="utf-8")
    runner = CliRunner()

    assert (
        runner.invoke(show, [str(dataset_file)], env={"JARJESTO_WORKSPACE": loaded}).exit_code == 0
    )
    assert runner.invoke(show, [], env={"JARJESTO_WORKSPACE": loaded}).exit_code == 0
    both = runner.invoke(show, [str(dataset_file), "--workspace", loaded])
    assert both.exit_code == 2
    assert "give a dataset file or --workspace, not both" in both.stderr
    assert seen == [other, dataset]
