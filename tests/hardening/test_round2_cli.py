"""Round two of hardening (issue 28): the command line and the core, finding by finding.

Each test names its finding; each failed on the main of 2026-12-06 and passes now.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from jarjesto_cli.cli import cli
from jarjesto_core.files import sample_dataset, write_dataset


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["--lang", "en", *args], input=input)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "region.json"
    write_dataset(path, sample_dataset())
    return path


# -- finding 1: -o PATH replaces whatever is at PATH -----------------------------------


def _char_device(tmp_path: Path) -> Path:
    """A character device to write to: a private null device as root, else /dev/null.

    As root the test must not touch the machine's /dev/null (the bug replaced it).
    """
    if os.geteuid() == 0:
        node = tmp_path / "null"
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        return node
    return Path("/dev/null")


@pytest.mark.parametrize(
    "command",
    [
        ("assess", "{dataset}", "-o", "{out}"),
        ("export", "{dataset}", "--format", "json", "-o", "{out}"),
    ],
)
def test_finding_1_a_character_device_is_written_to_not_replaced(
    tmp_path: Path, dataset: Path, command: tuple[str, ...]
) -> None:
    device = _char_device(tmp_path)
    args = [a.format(dataset=dataset, out=device) for a in command]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert not list(device.parent.glob(f".{device.name}.*"))


def test_finding_1_a_fifo_is_written_to(tmp_path: Path, dataset: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = run("export", str(dataset), "--format", "json", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and got[0].startswith(b"{")


def test_finding_1_a_symlink_is_followed_and_its_target_replaced(
    tmp_path: Path, dataset: Path
) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    result = run("assess", str(dataset), "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert target.read_text() != "old"


def test_finding_1_a_directory_is_refused_clearly(tmp_path: Path) -> None:
    from jarjesto_core.files import OutputError, write_output

    with pytest.raises(OutputError, match="is a directory"):
        write_output(tmp_path, b"x")
    result = run("export", "--format", "json", "-o", str(tmp_path))
    assert result.exit_code in (1, 2)
    assert "directory" in result.output
    assert "Traceback" not in result.output


def test_finding_1_mode_follows_the_umask_and_an_existing_mode_is_kept(
    tmp_path: Path, dataset: Path
) -> None:
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.json"
        assert run("export", "--format", "json", "-o", str(fresh)).exit_code == 0
        assert stat.S_IMODE(os.stat(fresh).st_mode) == 0o644
        os.chmod(dataset, 0o640)
        csv_file = tmp_path / "o.csv"
        csv_file.write_text("id;name_fi;languages;scope;municipalities\nnew-org;Uusi ry;fi;local;Joensuu\n")
        result = run("import", str(dataset), "organisations", str(csv_file))
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(os.stat(dataset).st_mode) == 0o640
    finally:
        os.umask(old)


def test_finding_1_dash_is_standard_output(tmp_path: Path) -> None:
    script = (
        "from jarjesto_core.files import write_output; write_output('-', b'hello\\n')"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True)
    assert done.stdout == b"hello\n"
    assert not (tmp_path / "-").exists()
