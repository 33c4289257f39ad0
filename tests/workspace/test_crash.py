"""A writer killed with SIGKILL in the middle of a large import leaves the workspace as it was."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from jarjesto_core.model import Dataset
from jarjesto_core.serialise import dump_dataset
from jarjesto_core.workspace import open_workspace

RECORDS = 50_000

# Builds 50k services and adds them in one transaction; a hook just before
# COMMIT (after every service row and audit entry is written, whether by
# executemany or PostgreSQL's COPY) signals the parent through a marker file
# and then waits to be killed.
WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import sqlalchemy as sa
    from jarjesto_core.model import Name, Service
    from jarjesto_core.workspace import open_workspace

    location, marker, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    ws = open_workspace(location)

    @sa.event.listens_for(ws.engine, "commit")
    def inside(connection):
        marker.write_text("inside the transaction")
        while True:
            time.sleep(1)

    services = [
        Service(id=f"bulk-{n:06d}", organisation="klubitalo", name=Name(fi=f"Palvelu {n}"),
                kind="peer_support", participants_per_year=n)
        for n in range(count)
    ]
    ws.add("services", services, actor="bulk")
    print("committed: the test did not kill the writer in time", file=sys.stderr)
    """
)


def _snapshot(location: str) -> tuple[dict[str, int], list[object], str]:
    ws = open_workspace(location)
    status = ws.status()
    snapshot = (dict(status.counts), list(ws.log()), dump_dataset(ws.dataset()))
    ws.close()
    return snapshot


def test_sigkill_mid_import_leaves_the_workspace_unchanged_and_consistent(
    location: str, dataset: Dataset, tmp_path: Path
) -> None:
    ws = open_workspace(location)
    ws.init()
    ws.load(dataset, actor="loader")
    ws.close()
    before = _snapshot(location)
    marker = tmp_path / "inside"

    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, location, str(marker), str(RECORDS)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert writer.poll() is None, writer.communicate()[1]
            assert time.monotonic() < deadline, "the writer never reached its transaction"
            time.sleep(0.02)
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.communicate()
    assert writer.returncode == -signal.SIGKILL

    if "://" not in location:
        # The dead writer's uncommitted pages may be in the WAL; SQLite must ignore them.
        with sqlite3.connect(location) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert _snapshot(location) == before

    # And the workspace is usable at once: no lock left behind.
    ws = open_workspace(location)
    ws.delete("hearings", "kuuleminen-2024", 1, actor="after")
    assert ws.status().counts["hearings"] == 0
    ws.close()
