"""Load: 20 clients for 30 s against ``jarjesto serve`` on 127.0.0.1, reads and writes mixed.

Every client stops by itself (at the deadline or after a bounded number of
requests). Afterwards the workspace must hold exactly the writes that were
acknowledged: every created record once, every update's version, and one
audit entry per acknowledged write. No answer may be a 5xx.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from jarjesto_core.workspace import open_workspace

from .conftest import make_workspace
from .server import request, serving

pytestmark = pytest.mark.slow

CLIENTS = 20
SECONDS = 30.0
MAX_REQUESTS = 2000  # per client: the test is bounded in count as well as in time
READS = (
    "/api/v1/organisations",
    "/api/v1/hearings",
    "/api/v1/assessment?party=area:14",
    "/organisations",
    "/areas/14",
)


def test_twenty_clients_for_thirty_seconds(tmp_path: Path, figures: dict[str, Any]) -> None:
    location = str(tmp_path / "ws.db")
    tokens = make_workspace(location)
    with open_workspace(location) as ws:
        hearings_before, audit_before = ws.status().counts["hearings"], len(ws.log())
    statuses: Counter[str] = Counter()
    failures: list[str] = []
    created: list[str] = []
    versions: dict[str, int] = {}
    latencies: list[float] = []
    lock = threading.Lock()

    def client(number: int, base: str, deadline: float) -> None:
        rng = random.Random(number)
        mine: dict[str, int] = {}
        for i in range(MAX_REQUESTS):
            if time.monotonic() >= deadline:
                break
            roll = rng.random()
            started = time.monotonic()
            try:
                if roll < 0.6 or (roll >= 0.85 and not mine):
                    kind = "read"
                    status, body = request(base + rng.choice(READS), token=tokens["viewer"])
                    ok = status == 200
                elif roll < 0.85:
                    kind = "create"
                    record_id = f"load-{number:02d}-{i:05d}"
                    record = {
                        "id": record_id,
                        "party": "municipality:167",
                        "date": f"2024-04-{1 + i % 28:02d}",
                        "topic": "strategy",
                        "organisations": ["pk-klubitalo"],
                        "languages": ["fi"],
                    }
                    status, body = request(
                        base + "/api/v1/hearings", "POST", {"record": record}, tokens["editor"]
                    )
                    ok = status == 201
                    if ok:
                        mine[record_id] = body["version"]
                else:
                    kind = "update"
                    record_id = rng.choice(sorted(mine))
                    record = {
                        "id": record_id,
                        "party": "municipality:167",
                        # A new date each time: an unchanged update is (rightly) a no-op.
                        "date": f"2024-06-{1 + mine[record_id] % 28:02d}",
                        "topic": "budget",
                        "organisations": ["pk-klubitalo"],
                        "languages": ["fi", "sv"],
                    }
                    status, body = request(
                        f"{base}/api/v1/hearings/{record_id}",
                        "PUT",
                        {"record": record, "version": mine[record_id]},
                        tokens["editor"],
                    )
                    ok = status == 200
                    if ok:
                        mine[record_id] = body["version"]
            except OSError as exc:
                with lock:
                    failures.append(f"{kind}: {exc!r}")
                continue
            with lock:
                latencies.append(time.monotonic() - started)
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
            thread.join(timeout=SECONDS + 180)
        assert not any(thread.is_alive() for thread in threads)
        elapsed = time.monotonic() - started
        assert proc.poll() is None

    server_errors = sum(n for key, n in statuses.items() if key.split()[1].startswith("5"))
    assert server_errors == 0, statuses
    assert failures == []
    with open_workspace(location) as ws:
        rows = {h.id: h for h in ws.dataset().hearings}
        audit = ws.log()
        found_versions = {r: ws.version_of("hearings", r) for r in created}
    creates = statuses["create 201"]
    updates = statuses["update 200"]
    assert len(created) == len(set(created)) == creates
    assert len(rows) == hearings_before + creates  # nothing lost, nothing duplicated
    assert found_versions == versions  # every acknowledged update is the one stored
    assert len(audit) == audit_before + creates + updates
    load_audit = Counter(e.action for e in audit if e.record_id.startswith("load-"))
    assert sum(load_audit.values()) == creates + updates
    total = sum(statuses.values())
    latencies.sort()
    figures["load"] = {
        "clients": CLIENTS,
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "reads": sum(n for key, n in statuses.items() if key.startswith("read")),
        "creates": creates,
        "updates": updates,
        "server_errors": server_errors,
        "lost_or_duplicated_writes": 0,
        "audit_entries_added": len(audit) - audit_before,
        "latency_ms_median": round(statistics.median(latencies) * 1000),
        "latency_ms_p95": round(latencies[int(len(latencies) * 0.95)] * 1000),
    }
