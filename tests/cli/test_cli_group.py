"""The group: --version, --help on every command, reference tables, the console script."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from jarjesto_cli.cli import cli
from jarjesto_cli.commands import data
from jarjesto_core import model

Run = Callable[..., Result]


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"jarjesto, version {version('jarjesto')}\n"


@pytest.mark.parametrize("path", [(), *_commands(cli)], ids=lambda p: " ".join(p) or "jarjesto")
def test_every_command_has_help_with_examples(runner: CliRunner, path: tuple[str, ...]) -> None:
    result = runner.invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "jarjesto " + " ".join(path) in result.stdout


def test_an_unknown_command_is_a_usage_error(run: Run) -> None:
    result = run("frobnicate")
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.stderr


# -- reference ---------------------------------------------------------------------


def test_reference_municipalities_of_an_area(run: Run) -> None:
    result = run("reference", "municipalities", "--year", "2024", "--area", "Pohjois-Karjala")
    assert result.exit_code == 0
    assert "Municipalities 2024 (13)" in result.stdout
    assert "│ 167  │ Joensuu " in result.stdout
    assert "Vaasa" not in result.stdout


def test_reference_parties_lists_the_datasets_joint_authorities_and_funders(run: Run) -> None:
    result = run("reference", "parties")
    assert result.exit_code == 0
    assert "Joint authorities (1)" in result.stdout
    assert "│ joint:siun-sote │ Siun sote │" in result.stdout
    assert "Other funders (1)" in result.stdout
    assert "funder:stea" in result.stdout


def test_reference_municipalities_by_year(run: Run) -> None:
    # Pertunmaa (588) merged into Mäntyharju on 2025-01-01.
    assert "Pertunmaa" in run("reference", "municipalities", "--year", "2024").stdout
    assert "Pertunmaa" not in run("reference", "municipalities", "--year", "2025").stdout


def test_reference_bilingual_municipalities(run: Run) -> None:
    result = run("reference", "municipalities", "--bilingual", "--area", "17", "--year", "2025")
    assert result.exit_code == 0
    assert "Malax" in result.stdout
    assert "bilingual, Swedish majority" in result.stdout
    assert "│ Finnish " not in result.stdout


def test_reference_unknown_area_is_a_usage_error(run: Run) -> None:
    result = run("reference", "municipalities", "--area", "Atlantis")
    assert result.exit_code == 2
    assert "no wellbeing area is called or numbered 'Atlantis'" in result.stderr


def test_reference_areas(run: Run) -> None:
    result = run("reference", "areas")
    assert result.exit_code == 0
    assert "Wellbeing areas (23)" in result.stdout
    assert "Pohjois-Karjalan hyvinvointialue" in result.stdout
    assert "Österbottens välfärdsområde" in result.stdout


def test_tables_have_no_colour_codes_off_a_terminal(run: Run) -> None:
    assert "\x1b[" not in run("reference", "areas").stdout


# -- the installed console script ------------------------------------------------------


def _script() -> Path:
    script = Path(sys.executable).with_name("jarjesto")
    assert script.exists(), f"the console script is not installed next to {sys.executable}"
    return script


def test_the_installed_console_script(tmp_path: Path) -> None:
    env = {**os.environ, "LANG": "en_GB.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    path = tmp_path / "region.json"
    done = subprocess.run(
        [_script(), "new", str(path)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    csv_file = tmp_path / "o.csv"
    csv_file.write_bytes(b"id;name_fi;languages;scope;municipalities\r\nx;X;fi;moon;167\r\n")
    done = subprocess.run(
        [_script(), "import", str(path), "organisations", str(csv_file)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"{csv_file}: row 2: scope: unknown value 'moon': "
        "allowed values are local, regional, national\n"
    )
    done = subprocess.run(
        [_script(), "validate", "--no-such-option"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_the_cli_knows_every_collection() -> None:
    assert tuple(model.COLLECTIONS) == data.COLLECTIONS


def test_help_imports_nothing_heavy() -> None:
    """``jarjesto --help`` must start fast: rich, cattrs, flask, babel, jinja2 and the
    storage layer stay unimported until a command runs. (The model does load: listing
    plugin commands builds the plugin manager, which registers the built-in rules.)"""
    code = (
        "import sys\n"
        "from jarjesto_cli.cli import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='jarjesto')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'rich', 'cattrs', 'flask', 'babel', 'jinja2', 'sqlalchemy', 'alembic'}\n"
        "heavy &= set(sys.modules)\n"
        "print(sorted(heavy), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr == "[]\n"


def _stderr_on_a_terminal(args: list[str]) -> tuple[int, str, bytes]:
    """Run the console script with stderr on a pseudo-terminal; return its output."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    # Wide enough that a long temporary path still leaves the bar room to draw.
    env["COLUMNS"] = "240"
    process = subprocess.Popen(
        [_script(), "--lang", "en", *args], stdout=subprocess.PIPE, stderr=slave, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other end has closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.stdout is not None
    out = process.stdout.read().decode()
    process.stdout.close()
    return process.wait(), out, b"".join(chunks)


def test_a_progress_bar_for_thousands_of_rows_on_a_terminal_only(tmp_path: Path) -> None:
    path = tmp_path / "region.json"
    subprocess.run([_script(), "new", str(path)], check=True, capture_output=True)
    orgs = tmp_path / "o.csv"
    orgs.write_text("id;name_fi;languages;scope;municipalities\norg-a;A;fi;local;167\n")
    subprocess.run(
        [_script(), "import", str(path), "organisations", str(orgs)],
        check=True,
        capture_output=True,
    )
    rows = ["id;organisation;name_fi;kind"]
    rows += [f"svc-{i};org-a;Palvelu {i};peer_support" for i in range(1500)]
    many = tmp_path / "many.csv"
    many.write_text("\n".join(rows) + "\n")
    code, out, err = _stderr_on_a_terminal(["import", str(path), "services", str(many)])
    assert code == 0
    assert out.startswith(f"added 1500 services to {path}: svc-0, svc-1,")
    assert f"{many} ".encode() in err
    assert "━".encode() in err
    few = tmp_path / "few.csv"
    few.write_text("\n".join(["id;organisation;name_fi;kind", "svc-x;org-a;X;clubhouse"]) + "\n")
    code, out, err = _stderr_on_a_terminal(["import", str(path), "services", str(few)])
    assert code == 0
    assert err == b""
