"""``jarjesto serve --sample`` as a newcomer meets it: a real process, over HTTP.

Started, logged into with the login it prints, read, stopped; bounded in
time and on the loopback address only.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from jarjesto_cli.cli import cli

LOGIN = re.compile(r"Log in as (\S+) with the password (\S+) \(this run only\)\.")
WORKSPACE = re.compile(r"jarjesto: (http://127\.0\.0\.1:\d+)/ \(workspace (.+)\)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lines_until(process: subprocess.Popen[str], pattern: re.Pattern[str]) -> re.Match[str]:
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError("the server stopped:\n" + "".join(seen))
        seen.append(line)
        found = pattern.search(line)
        if found:
            return found
    raise AssertionError("no such line within 60 s:\n" + "".join(seen))


def _read(opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None) -> str:
    with opener.open(url, data=data, timeout=30) as answer:
        return str(answer.read().decode())


def test_serve_sample_starts_logs_in_and_cleans_up() -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JARJESTO_")}
    env.update(LANG="en_GB.UTF-8", LC_ALL="", LC_MESSAGES="")
    env["JARJESTO_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-m", "jarjesto_cli", "serve", "--sample", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        name, password = _lines_until(process, LOGIN).groups()
        url, workspace = _lines_until(process, WORKSPACE).groups()
        assert Path(workspace).exists()
        assert len(password) >= 16
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # Bound to the loopback address, not to every interface.
        listening = Path("/proc/net/tcp").read_text()
        assert f"0100007F:{port:04X}" in listening
        assert f"00000000:{port:04X}" not in listening

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = _read(opener, f"{url}/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
        assert token is not None
        body = urllib.parse.urlencode(
            {"csrf_token": token.group(1), "name": name, "password": password}
        ).encode()
        with opener.open(f"{url}/login", data=body, timeout=30) as answer:
            assert answer.status == 200
            assert "/login" not in answer.url
        page = _read(opener, f"{url}/organisations")
        assert "Esimerkkiklubitalo ry" in page  # the sample, in the default language
        assert name in page  # logged in as the printed editor

        # A wrong password is refused: the login is the printed one, nothing else.
        with contextlib.suppress(urllib.error.HTTPError):
            _read(opener, f"{url}/logout", b"")
        form = _read(opener, f"{url}/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
        assert token is not None
        wrong = urllib.parse.urlencode(
            {"csrf_token": token.group(1), "name": name, "password": password + "x"}
        ).encode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            _read(opener, f"{url}/login", wrong)
        assert refused.value.code == 401
        refused.value.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == 0
    assert not Path(workspace).parent.exists()


def test_serve_sample_refuses_another_host_or_workspace(tmp_path: Path) -> None:
    runner = CliRunner(env={"LANG": "en_GB.UTF-8", "JARJESTO_WORKSPACE": ""})
    for extra in (["--host", "0.0.0.0"], ["-w", str(tmp_path / "w.db")]):
        result = runner.invoke(cli, ["serve", "--sample", *extra])
        assert result.exit_code == 2
        assert "--sample runs on this computer only" in result.output
        assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_serve_without_a_workspace_says_what_to_give() -> None:
    runner = CliRunner(env={"LANG": "en_GB.UTF-8", "JARJESTO_WORKSPACE": ""})
    result = runner.invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert "--sample" in result.output
