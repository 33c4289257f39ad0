"""Load: 50 clients for 60 s against ``jarjesto serve``, 90 % reads and 10 % writes, at 5,000
organisations, on SQLite and on PostgreSQL.

Every client stops by itself (at the deadline or after a bounded number of
requests). Afterwards the workspace must hold every write that was
acknowledged: every created record, every update's version, one audit entry
each. No answer may be a 5xx. The throughput and latencies are recorded as
they are (docs/reliability.md), not asserted: issue 26 owns their targets.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jarjesto_core.demo import generate
from jarjesto_core.reference import bundled_reference
from jarjesto_core.workspace import open_workspace
from jarjesto_core.workspace.users import add_user, create_token

from .conftest import PASSWORD, USERS
from .server import request, serving

pytestmark = pytest.mark.slow

CLIENTS = 50
SECONDS = 60.0
ORGANISATIONS = 5000
WRITE_SHARE = 0.10
MAX_REQUESTS = 5000  # per client: the test is bounded in count as well as in time
#: A request that takes longer is given up and counted as timed out (not as an answer).
TIMEOUT = 120.0
READS = (
    "/api/v1/hearings",
    "/api/v1/assessment?party=area:14",
    "/organisations",
    "/organisations?page=7",
    "/areas/14",
    "/municipalities/167",
    "/",
)


def _seed(location: str) -> dict[str, str]:
    """A workspace with a 5,000-organisation demo dataset and one user per role."""
    data = generate(bundled_reference(), organisations=ORGANISATIONS, years=5)
    with open_workspace(location) as ws:
        ws.init()
        ws.load(data, actor="setup")
        tokens = {}
        for name, role in USERS:
            add_user(ws, name, PASSWORD, role)
            tokens[role] = create_token(ws, name)
    return tokens


@contextlib.contextmanager
def _postgresql() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a Unix socket; yields a workspace URL."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("the PostgreSQL load test needs Debian's postgresql package under CI=true")
        pytest.skip("needs Debian's postgresql package (apt-get install postgresql)")
    bindir = found[-1].parent
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base_dir = Path(socket_dir := tempfile.mkdtemp(prefix="jarjesto-load-pg-"))
    if prefix:
        shutil.chown(base_dir, "postgres", "postgres")
    data = base_dir / "data"
    run: dict[str, Any] = {"check": True, "capture_output": True}
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
         "--no-sync", "-E", "UTF8", "--locale=C"], **run,
    )  # fmt: skip
    options = (
        f"-c listen_addresses='' -c unix_socket_directories='{socket_dir}' -c fsync=off "
        "-c max_connections=200"
    )
    pg_ctl = [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base_dir / "log"), "-w"]
    subprocess.run([*pg_ctl, "-o", options, "start"], **run)
    try:
        subprocess.run(
            [*prefix, str(bindir / "createdb"), "-h", socket_dir, "-U", "postgres", "load"], **run
        )
        yield f"postgresql://postgres@/load?host={socket_dir}"
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base_dir, ignore_errors=True)


@contextlib.contextmanager
def _workspace(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(tmp_path / "ws.db")
    else:
        with _postgresql() as url:
            yield url


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_fifty_clients_for_sixty_seconds(
    backend: str, tmp_path: Path, figures: dict[str, Any]
) -> None:
    with _workspace(backend, tmp_path) as location:
        _run(backend, location, figures)


def _run(backend: str, location: str, figures: dict[str, Any]) -> None:
    tokens = _seed(location)
    with open_workspace(location) as ws:
        hearings_before, audit_before = ws.status().counts["hearings"], len(ws.log())
        organisations = [o.id for o in ws.dataset().organisations[:200]]
    statuses: Counter[str] = Counter()
    failures: list[str] = []
    timeouts: Counter[str] = Counter()
    created: list[str] = []
    versions: dict[str, int] = {}
    latencies: dict[str, list[float]] = {"read": [], "write": []}
    lock = threading.Lock()

    def client(number: int, base: str, deadline: float) -> None:
        rng = random.Random(number)
        mine: dict[str, int] = {}
        for i in range(MAX_REQUESTS):
            if time.monotonic() >= deadline:
                break
            write = rng.random() < WRITE_SHARE
            kind = "read" if not write else ("update" if mine and rng.random() < 0.5 else "create")
            started = time.monotonic()
            try:
                if kind == "read":
                    status, body = request(
                        base + rng.choice(READS), token=tokens["viewer"], timeout=TIMEOUT
                    )
                    ok = status == 200
                elif kind == "create":
                    record_id = f"load-{number:02d}-{i:05d}"
                    record = {
                        "id": record_id,
                        "party": "municipality:167",
                        "date": f"2024-04-{1 + i % 28:02d}",
                        "topic": "strategy",
                        "organisations": [rng.choice(organisations)],
                        "languages": ["fi"],
                    }
                    status, body = request(
                        base + "/api/v1/hearings",
                        "POST",
                        {"record": record},
                        tokens["editor"],
                        timeout=TIMEOUT,
                    )
                    ok = status == 201
                    if ok:
                        mine[record_id] = body["version"]
                else:
                    record_id = rng.choice(sorted(mine))
                    record = {
                        "id": record_id,
                        "party": "municipality:167",
                        # A new date each time: an unchanged update is (rightly) a no-op.
                        "date": f"2024-06-{1 + mine[record_id] % 28:02d}",
                        "topic": "budget",
                        "organisations": [rng.choice(organisations)],
                        "languages": ["fi", "sv"],
                    }
                    status, body = request(
                        f"{base}/api/v1/hearings/{record_id}",
                        "PUT",
                        {"record": record, "version": mine[record_id]},
                        tokens["editor"],
                        timeout=TIMEOUT,
                    )
                    ok = status == 200
                    if ok:
                        mine[record_id] = body["version"]
            except OSError as exc:
                timed_out = isinstance(exc, TimeoutError) or isinstance(
                    getattr(exc, "reason", None), TimeoutError
                )
                with lock:
                    if timed_out:
                        timeouts[kind] += 1
                    else:
                        failures.append(f"{kind}: {exc!r}")
                continue
            with lock:
                latencies["read" if kind == "read" else "write"].append(time.monotonic() - started)
                statuses[f"{kind} {status}"] += 1
                if not ok:
                    failures.append(f"{kind}: {status} {str(body)[:200]}")
        with lock:
            created.extend(mine)
            versions.update(mine)

    with serving(location, env={"JARJESTO_PUBLIC": "1"}) as (base, proc):
        started = time.monotonic()
        deadline = started + SECONDS
        threads = [
            threading.Thread(target=client, args=(n, base, deadline)) for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SECONDS + TIMEOUT + 60)
        assert not any(thread.is_alive() for thread in threads)
        elapsed = time.monotonic() - started
        assert proc.poll() is None

    server_errors = sum(n for key, n in statuses.items() if key.split()[1].startswith("5"))
    with open_workspace(location) as ws:
        rows = {h.id: h for h in ws.dataset().hearings}
        audit = ws.log()
        found_versions = {r: ws.version_of("hearings", r) for r in created}
    creates = statuses["create 201"]
    updates = statuses["update 200"]
    # An acknowledged write must be there, as acknowledged; a write whose answer timed
    # out may or may not be (it is counted, not judged).
    lost = sum(1 for r in created if r not in rows) + sum(
        1 for r, v in versions.items() if found_versions.get(r) != v
    )
    all_latencies = sorted(latencies["read"] + latencies["write"])
    total = sum(statuses.values())

    def ms(values: list[float], share: float) -> int | None:
        ordered = sorted(values)
        return (
            round(ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000)
            if ordered
            else None
        )

    figures.setdefault("load", {})[backend] = {
        "clients": CLIENTS,
        "organisations": ORGANISATIONS,
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "reads": sum(n for key, n in statuses.items() if key.startswith("read")),
        "creates": creates,
        "updates": updates,
        "timeouts": sum(timeouts.values()),
        "server_errors": server_errors,
        "lost_writes": lost,
        "audit_entries_added": len(audit) - audit_before,
        "latency_ms_p50": round(statistics.median(all_latencies) * 1000) if all_latencies else None,
        "latency_ms_p99": ms(all_latencies, 0.99),
        "read_latency_ms_p50": ms(latencies["read"], 0.5),
        "write_latency_ms_p50": ms(latencies["write"], 0.5),
    }
    assert server_errors == 0, statuses
    assert failures == []
    assert lost == 0
    assert len(created) == len(set(created)) == creates
    # Nothing duplicated: rows and audit entries grew by at least what was acknowledged,
    # at most by that plus the writes whose answers timed out.
    assert creates <= len(rows) - hearings_before <= creates + timeouts["create"]
    added = len(audit) - audit_before
    assert creates + updates <= added <= creates + updates + sum(timeouts.values())
