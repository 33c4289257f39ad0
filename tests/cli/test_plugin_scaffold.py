"""``jarjesto plugin new``: the generated plugin installs and passes its own tests unchanged.

The plugin is installed into a throwaway virtual environment in ``tmp_path``
that sees this environment's packages (jarjesto, pytest, pip, hatchling)
through a ``.pth`` file, so nothing is downloaded and this environment is
never modified: ``pip install --no-deps --no-build-isolation`` writes only
into the throwaway one, whose entry points then include the new plugin.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

from jarjesto_cli.cli import cli
from jarjesto_cli.commands.plugin import create_plugin, plugin_names


def throwaway_venv(where: Path) -> Path:
    """A venv without pip of its own that sees this environment's packages; its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    # addsitedir, not a bare path: it also runs our .pth files (editable installs).
    lines = [f"import site; site.addsitedir({path!r})" for path in sorted(ours)]
    Path(purelib, "_jarjesto_test_parent.pth").write_text("\n".join(lines) + "\n", "utf-8")
    return python


def clean_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JARJESTO_", "PYTHON", "PIP_", "VIRTUAL_ENV"))
    }


def test_new_plugin_installs_and_passes_its_own_tests(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--lang", "en", "plugin", "new", "pohjois-savo", "--directory", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    plugin = tmp_path / "jarjesto-pohjois-savo"
    assert result.output.splitlines()[0] == (
        f"created the plugin jarjesto-pohjois-savo in {plugin}: rules pohjois_savo.*, "
        "entry point pohjois_savo"
    )
    python = throwaway_venv(tmp_path / "venv")
    env = clean_env()
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", str(plugin)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    listed = subprocess.run(
        [str(python), "-m", "jarjesto_cli", "plugins", "--json"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert '"pohjois_savo.organisation-council"' in listed.stdout, listed.stderr
    tests = subprocess.run(
        [str(python), "-m", "pytest", "-q"], cwd=plugin, capture_output=True, text=True, env=env
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout
    assert "failed" not in tests.stdout
    # This environment did not get the plugin.
    with pytest.raises(ModuleNotFoundError):
        __import__("jarjesto_pohjois_savo")


def test_names() -> None:
    names = plugin_names("pohjois_savo")
    assert (names.slug, names.namespace, names.package, names.distribution) == (
        "pohjois-savo",
        "pohjois_savo",
        "jarjesto_pohjois_savo",
        "jarjesto-pohjois-savo",
    )


@pytest.mark.parametrize("bad", ["", "Lappi", "2lappi", "lappi-", "la ppi", "lappi--x", "../x"])
def test_bad_names_are_refused_and_nothing_is_written(tmp_path: Path, bad: str) -> None:
    result = CliRunner().invoke(cli, ["--lang", "en", "plugin", "new", bad, "-d", str(tmp_path)])
    assert result.exit_code == 2
    assert f"Invalid value for 'NAME': {bad!r} is not a plugin name" in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_existing_directory_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "jarjesto-lappi").mkdir()
    (tmp_path / "jarjesto-lappi" / "mine.txt").write_text("keep")
    result = CliRunner().invoke(
        cli, ["--lang", "fi", "plugin", "new", "lappi", "-d", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "on jo olemassa" in result.output
    assert [p.name for p in (tmp_path / "jarjesto-lappi").iterdir()] == ["mine.txt"]


def test_generated_files(tmp_path: Path) -> None:
    plugin = create_plugin("lappi", tmp_path)
    pyproject = (plugin / "pyproject.toml").read_text("utf-8")
    assert '[project.entry-points.jarjesto]\nlappi = "jarjesto_lappi"' in pyproject
    assert (plugin / "src/jarjesto_lappi/locale/sv/LC_MESSAGES/jarjesto_lappi.mo").is_file()
    assert 'code = "lappi.organisation-council"' in (
        plugin / "src/jarjesto_lappi/__init__.py"
    ).read_text("utf-8")
    assert not list(tmp_path.glob(".*"))
