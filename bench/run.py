"""What users wait for, measured as whole processes at one or more sizes, with the floors.

Run with ``nox -s bench`` or ``python bench/run.py``; never part of the test run.
``--organisations 2000`` gives a quick look; 20,000 (the default) is national
scale, which is what the targets of issue 26 are about. ``--sizes 2000,20000``
measures both and reports the growth (10x the data at most 12x the time).

Every figure is a process a user would start (``jarjesto assess``, ``jarjesto
validate``, ``jarjesto workspace load``...), timed from its start to its exit,
with its peak resident memory from the kernel (``wait4``'s ``ru_maxrss``). The
floors run in the same rounds: ``python -c "import json; json.load(open(FILE))"``
for a command that reads a dataset file, a Python process asking SQLite one
table's rows for a one-area question, ``python -c pass`` for start-up. Each
command runs ``--repeat`` times, round by round (every command once a round,
so that a slow spell of this shared machine slows a command and its floor
alike), and the median is reported with every run kept in the JSON.

The web: ``jarjesto serve`` on the national workspace, timed from its start to
its first answer; then edits of one agreement through the edit form (logged in,
with its CSRF token) and through the API (a bearer token), each followed by a
read of the area page the agreement belongs to. ``--load`` also runs the
reliability load test (50 clients, 90 % reads, 10 % writes, 60 s at 5,000
organisations, SQLite and PostgreSQL) and takes its figures.

Results go to ``bench/results.md`` and ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from common import free_port, memory_total, peak_mb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AREA = "14"
MUNICIPALITY = "167"
YEAR = 2023
#: The editor the web measurement logs in as: a new password each run.
PASSWORD = secrets.token_urlsafe(16)

#: (target, limit, unit): the targets of issue 26; a ratio's limit is to its floor.
TARGETS: dict[str, tuple[str, float]] = {
    "assess_file": ("ratio", 2.5),
    "validate_file": ("ratio", 1.5),
    "gaps_area": ("seconds", 0.5),
    "assess_municipality": ("seconds", 0.5),
    "gaps_area_no_year": ("seconds", 0.5),
    "assess_municipality_no_year": ("seconds", 0.5),
    "workspace_load": ("seconds", 8.0),
    "help": ("seconds", 0.3),
    "serve_first_answer": ("seconds", 3.0),
}
PEAK_LIMIT_MB = 1024


# -- whole processes ---------------------------------------------------------------


def _jarjesto() -> list[str]:
    script = Path(sys.executable).parent / "jarjesto"
    return [str(script)] if script.exists() else [sys.executable, "-m", "jarjesto_cli"]


def _env() -> dict[str, str]:
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("JARJESTO_WORKSPACE", None)
    env.setdefault("JARJESTO_SECRET_KEY", secrets.token_hex(32))
    return env


def run_process(command: Sequence[str], *, cwd: Path, timeout: float) -> dict[str, Any]:
    """Seconds from start to exit and peak resident memory (MB) of one process.

    The child's output goes to a file, not a pipe, so nothing it writes can stall
    it; ``wait4`` gives that child's own ``ru_maxrss``.
    """
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(command), cwd=cwd, env=_env(), stdout=out, stderr=subprocess.STDOUT
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"error": f"timed out after {timeout:.0f} s"}
            time.sleep(0.002)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            tail = out.read().decode("utf-8", "replace").strip().splitlines()[-3:]
            return {"error": f"exit {proc.returncode}: {' / '.join(tail)}"}
    return {"seconds": round(seconds, 4), "peak_mb": round(usage.ru_maxrss / 1024, 1)}


def _commands(data: Path, db: Path, out: Path) -> dict[str, list[str]]:
    j, py = _jarjesto(), sys.executable
    return {
        "floor_json_load": [py, "-c", f"import json; json.load(open({str(data)!r}))"],
        "assess_file": [*j, "assess", str(data), "--year", str(YEAR), "--format", "json",
                        "-o", str(out)],
        "validate_file": [*j, "validate", str(data)],
        "floor_python": [py, "-c", "pass"],
        "help": [*j, "--help"],
        "floor_sqlite_area": [
            py, "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('SELECT * FROM agreements WHERE party = ?', ('area:' + sys.argv[2],))"
            ".fetchall()",
            str(db), AREA,
        ],
        "gaps_area": [*j, "gaps", "-w", str(db), "--area", AREA, "--year", str(YEAR)],
        "assess_municipality": [*j, "assess", "-w", str(db), "--municipality", MUNICIPALITY,
                                "--year", str(YEAR), "--format", "json", "-o", str(out)],
        # As the issue writes them: without --year, the year the data open on.
        "gaps_area_no_year": [*j, "gaps", "-w", str(db), "--area", AREA],
        "assess_municipality_no_year": [*j, "assess", "-w", str(db), "--municipality",
                                        MUNICIPALITY, "--format", "json", "-o", str(out)],
        "validate_workspace": [*j, "validate", "-w", str(db)],
    }  # fmt: skip


#: Which floor each command is compared with.
FLOORS = {
    "assess_file": "floor_json_load",
    "validate_file": "floor_json_load",
    "workspace_load": "floor_json_load",
    "help": "floor_python",
    "gaps_area": "floor_sqlite_area",
    "assess_municipality": "floor_sqlite_area",
    "gaps_area_no_year": "floor_sqlite_area",
    "assess_municipality_no_year": "floor_sqlite_area",
    "validate_workspace": "floor_json_load",
}


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    failed = [r for r in runs if "error" in r]
    if failed:
        return failed[0]
    seconds = [r["seconds"] for r in runs]
    return {
        "seconds": round(statistics.median(seconds), 4),
        "min": min(seconds),
        "runs": seconds,
        "peak_mb": max(r["peak_mb"] for r in runs),
    }


def _load_workspace(data: Path, db: Path, timeout: float) -> dict[str, Any]:
    """``jarjesto workspace load`` into a new SQLite workspace (``db init`` first, untimed)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    subprocess.run(
        [*_jarjesto(), "db", "init", "-w", str(db)], env=_env(), check=True, capture_output=True
    )
    return run_process(
        [*_jarjesto(), "workspace", "load", "-w", str(db), str(data)], cwd=db.parent,
        timeout=timeout,
    )  # fmt: skip


def measure_commands(
    data: Path, workdir: Path, repeat: int, timeout: float, only: set[str] | None
) -> dict[str, Any]:
    db = workdir / "workspace.db"
    out = workdir / "report.json"
    commands = _commands(data, db, out)
    names = [n for n in ["workspace_load", *commands] if only is None or n in only or
             n.startswith("floor_")]  # fmt: skip
    runs: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    if "workspace_load" not in names:
        _load_workspace(data, db, timeout)
    for round_ in range(1, repeat + 1):
        for name in names:
            print(f"  {name} ({round_}/{repeat}) ...", file=sys.stderr, flush=True)
            if name == "workspace_load":
                result = _load_workspace(data, db, timeout)
            else:
                result = run_process(commands[name], cwd=workdir, timeout=timeout)
            print(f"     {result}", file=sys.stderr, flush=True)
            runs[name].append(result)
    return {name: _summary(r) for name, r in runs.items()}


# -- the web -----------------------------------------------------------------------


def _setup_users(db: Path) -> tuple[str, str]:
    """An editor (for the form) and its API token, in the workspace; returns (name, token)."""
    code = (
        "import sys\n"
        "from jarjesto_core.workspace import open_workspace\n"
        "from jarjesto_core.workspace.users import add_user, create_token\n"
        "with open_workspace(sys.argv[1]) as ws:\n"
        "    try:\n"
        "        add_user(ws, 'penkki', sys.argv[2], 'editor')\n"
        "    except Exception:\n"
        "        pass\n"
        "    print(create_token(ws, 'penkki'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db), PASSWORD], capture_output=True, text=True,
        check=True, env=_env(),
    )  # fmt: skip
    return "penkki", done.stdout.strip().splitlines()[-1]


def _pick_agreement(db: Path) -> dict[str, Any]:
    """An agreement of a municipality in the area (file form), and the area page it shows on."""
    code = (
        "import json, sys\n"
        "from jarjesto_core.reference import bundled_reference\n"
        "from jarjesto_core.serialise import unstructure_record\n"
        "from jarjesto_core.workspace import open_workspace\n"
        "ref = bundled_reference()\n"
        f"codes = {{m.code for m in ref.municipalities_in({YEAR}) if m.area == {AREA!r}}}\n"
        "with open_workspace(sys.argv[1]) as ws:\n"
        "    for a in ws.dataset().agreements:\n"
        "        if a.party.code in codes and a.annual_amount_eur is not None:\n"
        "            print(json.dumps(unstructure_record(a)))\n"
        "            break\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True,
        env=_env(),
    )  # fmt: skip
    record: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return record


def _form_cells(record: dict[str, Any]) -> dict[str, str]:
    code = (
        "import json, sys\n"
        "from jarjesto_core.csvio import cells_from_record\n"
        "from jarjesto_core.serialise import structure_record\n"
        "from jarjesto_core.model import Agreement\n"
        "r = structure_record(json.loads(sys.argv[1]), Agreement)\n"
        "print(json.dumps(cells_from_record('agreements', r)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(record)], capture_output=True, text=True,
        check=True, env=_env(),
    )  # fmt: skip
    cells: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return cells


class _Client:
    """urllib with a cookie jar; answers, errors included, as (status, body, ms)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )

    def send(
        self,
        path: str,
        *,
        form: dict[str, str] | None = None,
        body: Any = None,
        method: str | None = None,
        token: str | None = None,
        timeout: float = 120,
    ) -> tuple[int, str, float]:
        headers = {"Accept-Language": "en"}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.base + path, data, headers, method=method)
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=timeout) as answer:
                status, text = answer.status, answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode("utf-8", "replace")
            exc.close()
        return status, text, (time.perf_counter() - start) * 1000


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A form's redirect after saving is the save's answer; the next page is a read of its own."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    if found is None:
        raise RuntimeError(f"no {name} in the page")
    return found.group(1)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def measure_web(db: Path, edits: int, timeout: float) -> dict[str, Any]:
    """Start-up to the first answer, then ``edits`` saves through the form and the API."""
    name, token = _setup_users(db)
    record = _pick_agreement(db)
    cells = _form_cells(record)
    port = free_port()
    command = [*_jarjesto(), "serve", "-w", str(db), "--public", "--host", "127.0.0.1"]
    command += ["--port", str(port)]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    start = time.perf_counter()
    server = subprocess.Popen(command, env=_env(), stdout=log, stderr=subprocess.STDOUT)
    result: dict[str, Any] = {}
    try:
        client = _Client(f"http://127.0.0.1:{port}")
        first = None
        while time.perf_counter() - start < timeout:
            if server.poll() is not None:
                log.seek(0)
                return {"error": "serve exited: " + log.read().decode()[-300:]}
            try:
                status, _, _ = client.send("/", timeout=timeout)
            except OSError:
                time.sleep(0.02)
                continue
            if status >= 500 or status == 200:  # an answer, even an error, ends the wait
                first = time.perf_counter() - start
                result["serve_first_status"] = status
                break
            time.sleep(0.02)
        if first is None:
            return {"error": "serve did not answer"}
        result["serve_first_answer"] = {"seconds": round(first, 3)}
        page = client.send("/login")[1]
        status, _, _ = client.send(
            "/login",
            form={"csrf_token": _hidden(page, "csrf_token"), "name": name, "password": PASSWORD},
        )
        if status not in (302, 303):
            return {**result, "error": f"login answered {status}"}
        area_page = f"/areas/{AREA}"
        client.send(area_page)  # the area's first reader is measured by bench/stages.py
        path = f"/edit/agreements/{urllib.parse.quote(record['id'])}"
        timings: dict[str, list[float]] = {"form": [], "api": [], "read_after": []}
        statuses: list[str] = []
        amount = 1000
        for i in range(edits):
            for via in ("form", "api"):
                amount += 1
                if via == "form":
                    page = client.send(path)[1]
                    form = dict(cells, annual_amount_eur=f"{amount}.00")
                    form["csrf_token"] = _hidden(page, "csrf_token")
                    form["version"] = _hidden(page, "version")
                    status, _, ms = client.send(path, form=form)
                    ok = status in (302, 303)
                else:
                    status, text, _ = client.send(
                        f"/api/v1/agreements/{urllib.parse.quote(record['id'])}", token=token
                    )
                    version = json.loads(text)["version"]
                    body = {"record": dict(record, annual_amount_eur=f"{amount}.00"),
                            "version": version}  # fmt: skip
                    status, _, ms = client.send(
                        f"/api/v1/agreements/{urllib.parse.quote(record['id'])}",
                        body=body, method="PUT", token=token,
                    )  # fmt: skip
                    ok = status == 200
                if not ok:
                    statuses.append(f"{via} {status}")
                    continue
                timings[via].append(ms)
                status, _, read_ms = client.send(area_page)
                if status == 200:
                    timings["read_after"].append(read_ms)
            print(
                f"  edit {i + 1}/{edits}: form {timings['form'][-1:]} api {timings['api'][-1:]}"
                f" read {timings['read_after'][-2:]}",
                file=sys.stderr,
                flush=True,
            )
        for key, values in timings.items():
            if values:
                result[f"edit_{key}"] = {
                    "median_ms": round(statistics.median(values), 1),
                    "p99_ms": _percentile(values, 0.99),
                    "max_ms": round(max(values), 1),
                    "n": len(values),
                }
        if statuses:
            result["edit_failures"] = statuses
        result["server_peak_mb"] = peak_mb(server.pid)
        return result
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def measure_load(timeout: float) -> dict[str, Any]:
    """The reliability load test (tests/hardening/test_load.py), its figures as it records them."""
    with tempfile.TemporaryDirectory(prefix="jarjesto-bench-load-") as tmp:
        figures = Path(tmp) / "figures.json"
        env = dict(_env(), JARJESTO_RELIABILITY_FIGURES=str(figures))
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/hardening/test_load.py", "-m", "slow", "-q",
             "-p", "no:cacheprovider"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
        found: dict[str, Any] = (
            json.loads(figures.read_text("utf-8")).get("load", {}) if figures.exists() else {}
        )
        if done.returncode != 0:
            found["failed"] = done.stdout.strip().splitlines()[-1:] or ["pytest failed"]
        return found


# -- the table ---------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "memory": memory_total(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in load],
    }


def _generate(organisations: int, years: int, path: Path) -> None:
    subprocess.run(
        [*_jarjesto(), "demo", "generate", "--organisations", str(organisations),
         "--years", str(years), "--seed", "1", "--output", str(path)],
        check=True, capture_output=True, env=_env(),
    )  # fmt: skip


def _verdict(name: str, value: float | None, floor: float | None) -> str:
    if name not in TARGETS or value is None:
        return ""
    unit, limit = TARGETS[name]
    if unit == "ratio":
        if not floor:
            return ""
        return "met" if value / floor <= limit else f"missed (≤ {limit}x)"
    return "met" if value <= limit else f"missed (≤ {limit} s)"


def table(size: dict[str, Any]) -> str:
    results = size["commands"]
    lines = [
        "| what | median (runs) | floor | ratio | peak memory | target |",
        "|---|---|---|---|---|---|",
    ]
    for name, got in results.items():
        if name.startswith("floor_"):
            continue
        if "error" in got:
            lines.append(f"| {name} | error: {got['error']} | | | | |")
            continue
        floor_name = FLOORS.get(name)
        floor = results.get(floor_name, {}).get("seconds") if floor_name else None
        ratio = f"{got['seconds'] / floor:.1f}x" if floor else ""
        runs = ", ".join(f"{s:.2f}" for s in got["runs"])
        verdict = _verdict(name, got["seconds"], floor)
        if got["peak_mb"] >= PEAK_LIMIT_MB:
            verdict += " (memory over 1 GB)"
        lines.append(
            f"| {name} | {got['seconds']:.3f} s ({runs}) | "
            + (f"{floor:.3f} s {floor_name}" if floor else "")
            + f" | {ratio} | {got['peak_mb']:.0f} MB | {verdict} |"
        )
    for name, got in results.items():
        if name.startswith("floor_") and "error" not in got:
            lines.append(
                f"| {name} | {got['seconds']:.3f} s "
                f"({', '.join(f'{s:.2f}' for s in got['runs'])}) | | | {got['peak_mb']:.0f} MB | |"
            )
    web = size.get("web")
    if web:
        if "error" in web:
            lines.append(f"| web | error: {web['error']} | | | | |")
        if "serve_first_answer" in web:
            s = web["serve_first_answer"]["seconds"]
            lines.append(
                f"| serve_first_answer | {s:.2f} s | | | {web.get('server_peak_mb')} MB "
                f"(server, after the edits) | {_verdict('serve_first_answer', s, None)} |"
            )
        for key, label, limit in (
            ("edit_form", "edit through the form", (150, 400)),
            ("edit_api", "edit through the API", (150, 400)),
            ("edit_read_after", "area page read after an edit", (100, None)),
        ):
            got = web.get(key)
            if got:
                met = got["median_ms"] <= limit[0] and (
                    limit[1] is None or got["p99_ms"] <= limit[1]
                )
                lines.append(
                    f"| {label} | median {got['median_ms']} ms, p99 {got['p99_ms']} ms "
                    f"({got['n']} edits) | | | | {'met' if met else 'missed'} |"
                )
        if web.get("edit_failures"):
            lines.append(f"| edit failures | {', '.join(web['edit_failures'][:5])} | | | | |")
    return "\n".join(lines) + "\n"


def _load_table(load: dict[str, Any]) -> str:
    lines = [
        "| backend | requests/s | 5xx | lost writes | p50 / p99 ms | target |",
        "|---|---|---|---|---|---|",
    ]
    for backend, got in load.items():
        if not isinstance(got, dict):
            continue
        met = (
            got["requests_per_second"] >= 50
            and got["server_errors"] == 0
            and not got["lost_writes"]
        )
        lines.append(
            f"| {backend} | {got['requests_per_second']} | {got['server_errors']} | "
            f"{got['lost_writes']} | {got['latency_ms_p50']} / {got['latency_ms_p99']} | "
            f"{'met' if met else 'missed (≥ 50 req/s, 0 5xx, none lost)'} |"
        )
    return "\n".join(lines) + "\n"


def _growth(sizes: list[dict[str, Any]]) -> str:
    if len(sizes) < 2:
        return ""
    a, b = sizes[0], sizes[-1]
    factor = b["organisations"] / a["organisations"]
    parts = []
    for name, got in b["commands"].items():
        small = a["commands"].get(name, {})
        if "seconds" in got and small.get("seconds"):
            parts.append(f"{name} {got['seconds'] / small['seconds']:.1f}x")
    for key in ("edit_form", "edit_api", "edit_read_after"):
        big, small = (b.get("web") or {}).get(key), (a.get("web") or {}).get(key)
        if big and small:
            parts.append(f"{key} {big['median_ms'] / small['median_ms']:.1f}x")
    return (
        f"\nGrowth from {a['organisations']} to {b['organisations']} organisations "
        f"({factor:.0f}x the data; target at most {factor * 1.2:.0f}x the time): "
        + ", ".join(parts)
        + ".\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", "--organisations", dest="sizes", default="20000",
        help="organisations, comma-separated (20000: national scale; 2000: a quick look)",
    )  # fmt: skip
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--data", type=Path, help="use this dataset file (one size only)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command; median")
    parser.add_argument("--edits", type=int, default=20, help="web edits per path; 0: no web")
    parser.add_argument("--only", help="measure only these commands (comma-separated)")
    parser.add_argument("--load", action="store_true", help="also run the 50-client load test")
    parser.add_argument("--timeout", type=float, default=600, help="per process")
    parser.add_argument("--output", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    only = set(args.only.split(",")) if args.only else None
    report: dict[str, Any] = {"machine": _machine(), "year": YEAR, "sizes": []}
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    with tempfile.TemporaryDirectory(prefix="jarjesto-bench-") as tmp:
        for organisations in sizes:
            workdir = Path(tmp) / str(organisations)
            workdir.mkdir()
            data = args.data or workdir / "data.json"
            if args.data is None:
                print(f"generating {organisations} organisations ...", file=sys.stderr)
                _generate(organisations, args.years, data)
            size: dict[str, Any] = {"organisations": organisations, "file_mb": round(
                data.stat().st_size / 2**20, 1)}  # fmt: skip
            print(f"{organisations} organisations: commands", file=sys.stderr, flush=True)
            size["commands"] = measure_commands(data, workdir, args.repeat, args.timeout, only)
            if args.edits and (only is None or "web" in only):
                print(f"{organisations} organisations: web", file=sys.stderr, flush=True)
                if not (workdir / "workspace.db").exists():
                    _load_workspace(data, workdir / "workspace.db", args.timeout)
                size["web"] = measure_web(
                    workdir / "workspace.db", args.edits, min(args.timeout, 300)
                )
            report["sizes"].append(size)
    if args.load:
        print("load test (50 clients, 60 s, SQLite and PostgreSQL) ...", file=sys.stderr)
        report["load"] = measure_load(args.timeout + 600)
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    machine = report["machine"]
    text = (
        f"Measured {started} on {machine['cpus']} CPUs, {machine['memory']} memory, Python "
        f"{machine['python']}, {machine['platform']}; load average "
        f"{machine['load_average_at_start']} at the start, {machine['load_average_at_end']} at "
        f"the end. Medians of {args.repeat} runs, round by round. Year {YEAR}, area {AREA}, "
        f"municipality {MUNICIPALITY}.\n"
    )
    for size in report["sizes"]:
        text += f"\n### {size['organisations']} organisations ({size['file_mb']} MB file)\n\n"
        text += table(size)
    text += _growth(report["sizes"])
    if report.get("load"):
        text += "\n### 50 clients, 90 % reads, 60 s, 5,000 organisations\n\n"
        text += _load_table(report["load"])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    args.output.with_suffix(".md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
