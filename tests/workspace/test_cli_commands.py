"""``assess``, ``gaps``, ``grants``, ``export``, ``validate`` and ``import`` on a SQLite workspace.

Each reading command must give on a workspace exactly what it gives on the
same dataset as a file; ``import`` changes a workspace all or nothing, audited.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner, Result

from jarjesto_cli.cli import cli
from jarjesto_core.files import sample_dataset, write_dataset
from jarjesto_core.model import Dataset
from jarjesto_core.workspace import open_workspace

ENV = {"LANG": "en_GB.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "COLUMNS": "200"}

ORGANISATIONS_CSV = (
    "id;name_fi;languages;scope;municipalities\r\n"
    "org-a;Joensuun uusi yhdistys ry;fi;local;Joensuu\r\n"
    "org-b;Outokummun uusi yhdistys ry;fi;local;Outokumpu\r\n"
)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env={**ENV, **(env or {})})


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "sample.json"
    write_dataset(path, sample_dataset())
    return path


@pytest.fixture
def sample_ws(tmp_path: Path, sample_file: Path) -> str:
    location = str(tmp_path / "sample.db")
    assert run("db", "init", "-w", location).exit_code == 0
    assert run("workspace", "load", "-w", location, str(sample_file)).exit_code == 0
    return location


@pytest.fixture
def empty_ws(tmp_path: Path) -> str:
    location = str(tmp_path / "empty.db")
    assert run("db", "init", "-w", location).exit_code == 0
    return location


def state(location: str) -> tuple[Dataset, dict[str, int], int]:
    """What a failed change must leave as it was: the records, their counts, the audit log."""
    with open_workspace(location) as ws:
        status = ws.status()
        return ws.dataset(), dict(status.counts), status.audit_entries


# -- reading commands: the same output as on the file ---------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("assess", "--year", "2024"),
        ("assess", "--format", "json", "--area", "Pohjois-Karjala", "--year", "2023"),
        ("gaps", "--year", "2024"),
        ("gaps", "--municipality", "Tampere", "--year", "2023"),
        ("grants", "--from", "2021", "--to", "2025"),
        ("export", "--format", "json", "--output", "-"),
    ],
    ids=" ".join,
)
def test_a_reading_command_gives_the_same_on_a_workspace_as_on_the_file(
    args: tuple[str, ...], sample_file: Path, sample_ws: str
) -> None:
    on_file = run(*args[:1], str(sample_file), *args[1:])
    on_ws = run(*args[:1], "--workspace", sample_ws, *args[1:])
    on_env = run(*args, env={"JARJESTO_WORKSPACE": sample_ws})

    assert on_file.exit_code == 0, on_file.output
    assert on_ws.exit_code == 0, on_ws.output
    assert on_ws.stdout == on_file.stdout
    assert on_env.stdout == on_file.stdout
    assert on_ws.stdout.strip() != ""


def test_assess_fail_on_works_on_a_workspace(sample_ws: str) -> None:
    result = run("assess", "-w", sample_ws, "--year", "2024", "--fail-on", "not_met")
    assert result.exit_code == 1


def test_validate_a_workspace(sample_ws: str) -> None:
    result = run("validate", "-w", sample_ws)
    assert result.exit_code == 0
    sample = sample_dataset()
    counts = ", ".join(
        f"{len(sample.collection(name))} {name}"
        for name in (
            "organisations",
            "services",
            "agreements",
            "responsibilities",
            "structures",
            "coordinators",
            "hearings",
            "commitments",
            "welfare_reports",
            "appropriations",
            "coverage",
            "joint_authorities",
            "funders",
        )
    )
    # The console wraps a line this long at its width: compare the words.
    assert result.stdout.split() == f"{sample_ws} is valid: {counts}".split()


@pytest.mark.parametrize("fmt", ["hsds", "360giving", "popolo"])
def test_open_data_export_of_a_workspace_equals_that_of_the_file(
    fmt: str, sample_file: Path, sample_ws: str, tmp_path: Path
) -> None:
    from_file, from_ws = tmp_path / "file", tmp_path / "ws"
    result = run("export", "-w", sample_ws, "--format", fmt, "-o", str(from_ws), "--area", "14")
    assert result.exit_code == 0, result.output
    on_file = run("export", str(sample_file), "--format", fmt, "-o", str(from_file), "--area", "14")
    assert on_file.exit_code == 0
    assert result.stderr == on_file.stderr
    ws_files, file_files = _tree(from_ws), _tree(from_file)
    # Only the workspace has an audit log: it adds when each record last changed.
    assert {n: _without_changes(d) for n, d in ws_files.items()} == file_files
    if fmt != "popolo":
        assert ws_files != file_files


_CHANGE_KEYS = frozenset({"dateModified", "modified", "last_modified"})


def _tree(directory: Path) -> dict[str, object]:
    return {
        p.relative_to(directory).as_posix(): json.loads(p.read_bytes())
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _without_changes(doc: object) -> object:
    if isinstance(doc, dict):
        return {k: _without_changes(v) for k, v in doc.items() if k not in _CHANGE_KEYS}
    if isinstance(doc, list):
        return [_without_changes(v) for v in doc]
    return doc


def test_a_file_and_a_workspace_on_the_command_line_is_a_usage_error(
    sample_file: Path, sample_ws: str, tmp_path: Path
) -> None:
    for args in (
        ("validate", str(sample_file), "-w", sample_ws),
        ("assess", str(sample_file), "-w", sample_ws),
        ("export", str(sample_file), "-w", sample_ws, "--format", "json", "-o", "-"),
    ):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "Error: give a dataset file or --workspace, not both" in result.stderr


def test_a_missing_workspace_is_a_clear_error(tmp_path: Path) -> None:
    location = str(tmp_path / "nowhere.db")
    result = run("gaps", "-w", location)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no workspace at {location}: create one with jarjesto db init\n"
    )


# -- import into a workspace ---------------------------------------------------------


def test_import_csv_into_a_workspace_is_audited_under_the_os_user(
    sample_ws: str, tmp_path: Path
) -> None:
    csv_file = tmp_path / "orgs.csv"
    csv_file.write_bytes(ORGANISATIONS_CSV.encode("utf-8"))
    _, counts, entries = state(sample_ws)

    result = run("import", "-w", sample_ws, "organisations", str(csv_file))

    assert result.exit_code == 0, result.output
    assert result.stdout == f"added 2 organisations to {sample_ws}: org-a, org-b\n"
    after, new_counts, new_entries = state(sample_ws)
    assert new_counts == {**counts, "organisations": counts["organisations"] + 2}
    assert new_entries == entries + 2
    assert [o.id for o in after.organisations[-2:]] == ["org-a", "org-b"]
    with open_workspace(sample_ws) as ws:
        log = ws.log(collection="organisations")
    added = [e for e in log if e.record_id in ("org-a", "org-b")]
    assert [(e.action, e.actor) for e in added] == [("insert", getpass.getuser())] * 2


def test_import_csv_dry_run_leaves_the_workspace_unchanged(sample_ws: str, tmp_path: Path) -> None:
    csv_file = tmp_path / "orgs.csv"
    csv_file.write_bytes(ORGANISATIONS_CSV.encode("utf-8"))
    before = state(sample_ws)
    result = run("import", "-w", sample_ws, "organisations", str(csv_file), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        f"dry run: 2 organisations would be added to {sample_ws}: org-a, org-b"
    )
    assert state(sample_ws) == before


def test_import_csv_with_errors_leaves_the_workspace_unchanged(
    sample_ws: str, tmp_path: Path
) -> None:
    csv_file = tmp_path / "grants.csv"
    header = "id;kind;party;organisation;start;annual_amount_eur\n"
    good = "g1;operating_grant;Joensuu;pk-klubitalo;1.1.2024;100\n"
    before = state(sample_ws)
    # Rows that do not parse.
    csv_file.write_text(
        header + good + "g2;operating_grant;Atlantis;pk-klubitalo;1.1.2024;100\n"
        "g3;operating_grant;Joensuu;pk-klubitalo;30.2.2024;100\n",
        encoding="utf-8",
    )
    result = run("import", "-w", sample_ws, "agreements", str(csv_file))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{csv_file}: row 3: party: 'Atlantis' is not a party: write municipality:CODE, "
        "area:CODE, joint:ID, funder:ID or the name of a municipality, wellbeing area, "
        "joint authority or funder",
        f"{csv_file}: row 4: start: '30.2.2024' is not a real date",
    ]
    assert state(sample_ws) == before
    # A row that parses but does not fit the workspace's dataset.
    csv_file.write_text(
        header + good + "g3;operating_grant;Joensuu;nobody;1.1.2024;100\n", encoding="utf-8"
    )
    result = run("import", "-w", sample_ws, "agreements", str(csv_file))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{csv_file}: row 3: agreements[{len(before[0].agreements) + 1}] (g3).organisation: "
        "organisation nobody does not exist: no organisation has this id\n"
    )
    assert state(sample_ws) == before


def test_import_hsds_into_an_empty_workspace_then_again(empty_ws: str, tmp_path: Path) -> None:
    # HSDS carries organisations and services (and agreements only as funding notes).
    sample = sample_dataset()
    source = tmp_path / "source.json"
    write_dataset(source, Dataset(organisations=sample.organisations, services=sample.services))
    out = tmp_path / "hsds"
    assert run("export", str(source), "--format", "hsds", "-o", str(out)).exit_code == 0

    result = run("import", "-w", empty_ws, "--format", "hsds", str(out))

    orgs, services = len(sample.organisations), len(sample.services)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"imported {out} into {empty_ws}: {orgs} organisations, {services} services added, "
        "no records replaced\n"
    )
    data, counts, entries = state(empty_ws)
    assert (counts["organisations"], counts["services"], entries) == (
        orgs,
        services,
        orgs + services,
    )
    with open_workspace(empty_ws) as ws:
        assert {e.actor for e in ws.log()} == {getpass.getuser()}
    assert sorted(data.organisations, key=lambda o: o.id) == sorted(
        sample.organisations, key=lambda o: o.id
    )
    # The same export again: nothing new, nothing changed.
    again = run("import", "-w", empty_ws, "--format", "hsds", str(out))
    assert again.exit_code == 0
    assert again.stdout == (
        f"imported {out} into {empty_ws}: no records added, no records replaced\n"
    )
    assert state(empty_ws) == (data, counts, entries)
    # And the workspace exports exactly what it was given, plus when it changed.
    back = tmp_path / "back"
    assert run("export", "-w", empty_ws, "--format", "hsds", "-o", str(back)).exit_code == 0
    assert {n: _without_changes(d) for n, d in _tree(back).items()} == _tree(out)


def test_import_hsds_never_overwrites_a_workspace_record(sample_ws: str, tmp_path: Path) -> None:
    sample = sample_dataset()
    changed = attrs.evolve(sample.organisations[0], members=4321)
    source = tmp_path / "changed.json"
    write_dataset(source, attrs.evolve(sample, organisations=(changed, *sample.organisations[1:])))
    out = tmp_path / "hsds"
    assert run("export", str(source), "--format", "hsds", "-o", str(out)).exit_code == 0
    page = json.loads((out / "organizations.json").read_text("utf-8"))
    index = [o["jarjesto"]["id"] for o in page["contents"]].index(changed.id)
    before = state(sample_ws)

    result = run("import", "-w", sample_ws, "--format", "hsds", str(out))

    assert result.exit_code == 1
    assert result.stderr == (
        f"{out / 'organizations.json'}: organizations[{index}] ({changed.id}): already in the "
        "workspace with other values; an import into a workspace only adds records (change "
        "it there, or use jarjesto workspace load)\n"
    )
    assert state(sample_ws) == before


def test_import_hsds_that_fails_validation_adds_neither_organisations_nor_services(
    empty_ws: str, tmp_path: Path
) -> None:
    # One organisation fails validation: neither it, nor the other organisations,
    # nor any service is added (organisations and services are one transaction).
    sample = sample_dataset()
    bad = sample.organisations[0]
    out = tmp_path / "hsds"
    good = tmp_path / "good.json"
    write_dataset(good, Dataset(organisations=sample.organisations, services=sample.services))
    assert run("export", str(good), "--format", "hsds", "-o", str(out)).exit_code == 0
    page = json.loads((out / "organizations.json").read_text("utf-8"))
    for org in page["contents"]:
        if org["jarjesto"]["id"] == bad.id:
            org["jarjesto"]["municipalities"] = ["999"]
    (out / "organizations.json").write_text(json.dumps(page), encoding="utf-8")
    before = state(empty_ws)

    result = run("import", "-w", empty_ws, "--format", "hsds", str(out))

    assert result.exit_code == 1
    assert "municipality 999 does not exist" in result.stderr
    assert state(empty_ws) == before


def test_import_usage_with_a_workspace(sample_file: Path, sample_ws: str, tmp_path: Path) -> None:
    csv_file = tmp_path / "orgs.csv"
    csv_file.write_bytes(ORGANISATIONS_CSV.encode("utf-8"))
    result = run("import", str(sample_file), "-w", sample_ws, "organisations", str(csv_file))
    assert result.exit_code == 2
    assert "Error: give a dataset file or --workspace, not both" in result.stderr
    result = run("import", "-w", sample_ws, str(csv_file))
    assert result.exit_code == 2
    assert "or --workspace and COLLECTION FILE" in result.stderr
    # A workspace from the environment gives way to a file named on the command line.
    before = state(sample_ws)
    target = tmp_path / "target.json"
    assert run("new", str(target)).exit_code == 0
    result = run(
        "import",
        str(target),
        "organisations",
        str(csv_file),
        env={"JARJESTO_WORKSPACE": sample_ws},
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"added 2 organisations to {target}: org-a, org-b\n"
    assert state(sample_ws) == before
    # ... and is used when no file is named.
    result = run("import", "organisations", str(csv_file), env={"JARJESTO_WORKSPACE": sample_ws})
    assert result.exit_code == 0, result.output
    assert state(sample_ws)[1]["organisations"] == before[1]["organisations"] + 2
