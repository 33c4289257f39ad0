"""Run ``jarjesto serve`` (or a wrapped copy) as a real process on 127.0.0.1, and talk to it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Runs the CLI; with JARJESTO_TEST_HANG_ON set, every connection made in the
#: process hangs just before that statement, after writing the marker file,
#: so that the test can kill the process inside an open transaction; with
#: JARJESTO_TEST_HANG_REPLACE set, it hangs instead where a file would be
#: renamed over the old one (a dataset file fully written beside it).
LAUNCHER = """
import os, sys, time
from pathlib import Path
hang = os.environ.get("JARJESTO_TEST_HANG_ON")
if hang:
    import sqlalchemy as sa

    @sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
    def _hang(connection, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(hang):
            Path(os.environ["JARJESTO_TEST_MARKER"]).write_text("inside")
            while True:
                time.sleep(1)

if os.environ.get("JARJESTO_TEST_HANG_REPLACE"):
    def _replace(*args, **kwargs):
        Path(os.environ["JARJESTO_TEST_MARKER"]).write_text("inside")
        while True:
            time.sleep(1)

    os.replace = _replace

from jarjesto_cli.cli import main
sys.argv = ["jarjesto", *sys.argv[1:]]
main()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cli(*args: str, env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.Popen[str]:
    """The jarjesto CLI in a process of its own (killable), through the launcher."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, *args],
        env={
            **os.environ,
            "JARJESTO_SECRET_KEY": "x" * 64,
            "LC_MESSAGES": "en_GB.UTF-8",
            "LC_ALL": "",
            **(env or {}),
        },
        text=True,
        **kwargs,
    )


def request(
    url: str, method: str = "GET", body: Any = None, token: str | None = None, timeout: float = 60
) -> tuple[int, Any]:
    """(status, parsed JSON or text); an HTTP error status is an answer, not an exception."""
    headers = {"Accept-Language": "en"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            status, raw, kind = answer.status, answer.read(), answer.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        status, raw, kind = exc.code, exc.read(), exc.headers.get_content_type()
        exc.close()
    if kind == "application/json" and raw:
        return status, json.loads(raw)
    return status, raw.decode("utf-8", "replace")


@contextmanager
def serving(location: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, Any]]:
    """``jarjesto serve`` on a free port of 127.0.0.1; yields (base URL, process).

    The server's output goes to a file, not a pipe: under load waitress logs
    a line per queued request, and a pipe nobody reads fills up and stops the
    server's main thread (and with it every request) in ``write``.
    """
    port = free_port()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        proc = cli(
            "serve", "-w", location, "--host", "127.0.0.1", "--port", str(port),
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):  # bounded: about a minute
                if proc.poll() is not None:
                    log.seek(0)
                    raise AssertionError(f"serve exited: {log.read()}")
                try:
                    if request(f"{base}/api/v1/openapi.json", timeout=5)[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                raise AssertionError("serve did not start")
            yield base, proc
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
