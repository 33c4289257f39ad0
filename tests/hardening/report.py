"""Write docs/reliability.md from the figures a run of tests/hardening recorded.

    nox -s reliability
    cp build/reliability.json docs/reliability.json
    python tests/hardening/report.py docs/reliability.json > docs/reliability.md

test_report.py checks that the committed page is what this renders from
the committed figures, so the page cannot drift from a real run.
"""

from __future__ import annotations

import json
import sys
from typing import Any

FUZZ_LABELS = {
    "json_values_replaced": "JSON dataset, one value anywhere replaced by any JSON value",
    "json_cut_off": "JSON dataset cut off at any character",
    "json_arbitrary": "arbitrary text and JSON as a dataset",
    "csv_files": "CSV files: semicolon, comma, tab and pipe delimiters, five encodings, "
    "cut-off bytes, odd numbers and dates, 200 000-character cells",
    "csv_arbitrary_bytes": "arbitrary bytes as a CSV file",
    "api_requests": "API writes (POST/PUT) with arbitrary JSON and raw bodies",
    "cli_imports": "`jarjesto import` of arbitrary and cut-off files, end to end",
}

HEAD = """# Reliability and security

Public-sector data outlives its tools. This page gives the figures of the
last recorded run of `tests/hardening/` (the run's JSON is
`docs/reliability.json`) and how to reproduce them. Nothing here is
measured by hand: every number below comes from that file.

## Reproduce

```sh
nox -s reliability          # all of tests/hardening, the slow tests too (about 2 minutes)
cp build/reliability.json docs/reliability.json
python tests/hardening/report.py docs/reliability.json > docs/reliability.md
```

`nox` (and `.ci/run`) runs the `reliability` session with the others. The
fast part (fuzzing, web security) also runs in `nox -s tests`; the fault and
load tests are marked `slow` and run only in `reliability`. More fuzzing:
`HYPOTHESIS_PROFILE=ci nox -s reliability`.
"""

SECURITY = """
## Web security

What the tests check on every run (`tests/hardening/test_security.py`):

- **Who may do what**: every route of `app.url_map`, every method, for
  anonymous, viewer, editor, admin and public mode, against a matrix; a new
  route without an entry in the matrix fails the test.
- **CSRF**: every POST form refuses a request without its token (400).
- **XSS**: script, event-handler, SVG and style payloads in every field of
  every form and in stored names are rendered escaped, never as markup.
- **Cookies**: the session cookie is `HttpOnly` and `SameSite=Lax`; with
  `jarjesto serve --behind-proxy` (or `JARJESTO_BEHIND_PROXY=1`) behind a
  TLS-terminating proxy, it is also `Secure`, URLs are https and HSTS is sent.
  Trust exactly one proxy's `X-Forwarded-*` headers: run the proxy in front
  of `127.0.0.1`, never expose the port itself.
- **Headers**: every response has
  `Content-Security-Policy: {csp}`, `X-Content-Type-Options: nosniff` and
  `X-Frame-Options: DENY`. The templates have no inline script or style;
  the downloadable HTML report allows exactly its own `<style>` by hash.
- **Logins**: after `LOGIN_ATTEMPTS` (default 10) failed logins within
  `LOGIN_WINDOW` seconds (default 300) from one address, logins from it are
  refused with 429 and `Retry-After`, even with the right password. The
  counter lives in the server process (one waitress process serves
  jarjesto), so it needs no storage service.
- **Secrets**: no private keys, access keys, written-in `SECRET_KEY` or
  passwords in the repository; the app refuses to start outside testing
  without `JARJESTO_SECRET_KEY`.
- **Uploads**: at most `MAX_CONTENT_LENGTH` (8 MiB; 413 beyond), only
  `.csv`/`.txt` names, and the content must parse as CSV row by row.
"""


def render(figures: dict[str, Any]) -> str:
    from jarjesto_web.security import CSP

    out = [HEAD]
    fuzz = figures["fuzzing"]
    out.append("\n## Bad input (fuzzing)\n")
    out.append(
        "Every input ended as data or as a `DatasetError` whose every problem "
        "names where (file, row, record, field); no other exception, no 5xx.\n"
    )
    out.append("| input | tried |\n| --- | ---: |")
    for key, label in FUZZ_LABELS.items():
        out.append(f"| {label} | {fuzz[key]} |")
    out.append(f"| **all** | **{sum(fuzz[k] for k in FUZZ_LABELS)}** |")
    security = figures["security"]
    checks = security["route_checks"]
    out.append(SECURITY.format(csp=CSP).rstrip() + "\n")
    out.append("| check | figure |\n| --- | ---: |")
    out.append(f"| route × method checks, all five roles | {sum(checks.values())} |")
    out.append(f"| XSS payloads | {security['xss']['payloads']} |")
    out.append(f"| pages and forms rendered with a payload | {security['xss']['renders']} |")
    out.append(
        f"| failed logins before 429 (test setting) | {security['login_attempts_before_429']} |\n"
    )
    out.append("## Faults\n")
    out.append(
        "Each fault hits a real process; afterwards the rows, the audit log and "
        "the dataset are exactly as before, the error is one clear line (no "
        "traceback), and the next attempt succeeds "
        "(`tests/hardening/test_faults.py`).\n"
    )
    out.append("| fault | survived | how |\n| --- | --- | --- |")
    for name, fault in sorted(figures["faults"].items()):
        out.append(f"| {name} | {'yes' if fault['survived'] else 'NO'} | {fault['how']} |")
    out.append(
        "\nThe full disk is a 2 MiB tmpfs when the tests run as root (method "
        "`tmpfs`); otherwise a per-process file-size limit (`RLIMIT_FSIZE`, with "
        "SIGXFSZ ignored, so writes fail with EFBIG; `JARJESTO_TEST_NO_TMPFS=1` "
        "tries this as root too). A locked SQLite file waits "
        "for the busy timeout (10 s), then fails with `database is locked`: 503 "
        "in the web UI and API, exit code 1 in the CLI. While PostgreSQL is down, "
        "requests answer 503 with the workspace named, and the server recovers by "
        "itself when PostgreSQL is back.\n"
    )
    load = figures["load"]
    out.append("## Load\n")
    out.append(
        f"{load['clients']} clients for {load['seconds']} s against `jarjesto serve` on "
        "127.0.0.1 (waitress, SQLite, public mode), mixing API and page reads with "
        "API creates and versioned updates; each client stops by itself at the "
        "deadline or after 2000 requests (`tests/hardening/test_load.py`). "
        "Afterwards the rows and the audit entries are counted against the "
        "acknowledged writes.\n"
    )
    out.append("| figure | value |\n| --- | ---: |")
    for key, label in (
        ("requests", "requests"),
        ("requests_per_second", "requests per second"),
        ("reads", "reads"),
        ("creates", "creates acknowledged"),
        ("updates", "updates acknowledged"),
        ("audit_entries_added", "audit entries added"),
        ("server_errors", "5xx answers"),
        ("lost_or_duplicated_writes", "lost or duplicated writes"),
        ("latency_ms_median", "median latency (ms)"),
        ("latency_ms_p95", "95th percentile latency (ms)"),
    ):
        out.append(f"| {label} | {load[key]} |")
    out.append(
        "\nThe throughput and latencies are what one run on the CI machine gave, "
        "not a target; the test asserts only the correctness figures (no 5xx, "
        "nothing lost or duplicated).\n"
    )
    return "\n".join(out)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        sys.stdout.write(render(json.load(handle)))
