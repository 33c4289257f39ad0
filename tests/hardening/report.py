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
    "xlsx_cells": ".xlsx workbooks with cells changed to any value a cell holds, "
    "an extra first sheet",
    "xlsx_damaged": ".xlsx workbooks cut off or with a byte changed, and any bytes after a "
    "zip header",
    "mappings": "TOML mappings of any shape, files that are not TOML, any `--set` options",
    "api_fields": "API updates with any JSON value in each field of each collection",
}

HEAD = """# Reliability and security

Public-sector data outlives its tools. This page gives the figures of the
last recorded run of `tests/hardening/` (the run's JSON is
`docs/reliability.json`) and how to reproduce them. Nothing here is
measured by hand: every number below comes from that file.

## Reproduce

```sh
nox -s reliability          # all of tests/hardening, the slow tests too (about 10 minutes)
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
  `LOGIN_WINDOW` seconds (default 300) from one address, or for one account,
  further logins are refused with 429 and `Retry-After`, even with the right
  password. Attempts are counted in the workspace before the password is
  checked, atomically and for every server process (sixty concurrent
  guesses get exactly ten checks); behind `--behind-proxy` the address is
  the client's from `X-Forwarded-For` (`--proxy-hops`). Logging out ends
  the session on the server: a copied cookie stops working.
- **Secrets**: no private keys, access keys, written-in `SECRET_KEY` or
  passwords in the repository; the app refuses to start outside testing
  without `JARJESTO_SECRET_KEY`.
- **Uploads**: at most `UPLOAD_LIMIT` (6 MiB; 413 beyond), with the request
  limit derived from it so that what previews can be confirmed; only
  `.csv`/`.txt` names, and the content must parse as CSV row by row.
- **Slow clients**: `jarjesto serve` closes connections idle for
  `--channel-timeout` (30 s) and holds at most `--connection-limit` (200);
  docs/web.md has the nginx settings that keep slow clients at the proxy.
"""


ROUND_TWO = """
## What an outside attack found (issue 28)

An adversarial tester's 300 attempts broke seventeen things, and our own
checks one more. Each has a regression test in
`tests/hardening/test_round2_cli.py` or `test_round2_web.py`, named after
its finding, which failed before the fix:

| finding | now |
| --- | --- |
"""

#: (finding, what holds now), one row of the table above each.
ROUND_TWO_ROWS = (
    (
        "1. `-o` replaced `/dev/null`",
        "one writer for every `-o`: devices and FIFOs written to, symlink targets "
        "replaced, directories refused, modes kept",
    ),
    (
        "2. a lone surrogate poisoned a workspace",
        "text checked where it enters (JSON, CSV, .xlsx, forms, API); `workspace repair-text`",
    ),
    (
        "3. one client locked everyone out behind a proxy",
        "client address from `X-Forwarded-For`; limits per address and account, "
        "counted atomically in the workspace",
    ),
    (
        "4. two imports into one file lost rows",
        "imports into a JSON file take turns",
    ),
    (
        "5. slowloris",
        "`--connection-limit`, `--channel-timeout`; nginx settings in docs/web.md",
    ),
    (
        "6. the PostgreSQL password on the start-up line",
        "masked",
    ),
    (
        "7. formula injection",
        "a leading apostrophe in CSV and .xlsx exports, taken off on import",
    ),
    (
        "8. `validate -w` never validated",
        "the workspace checked as the file it dumps to",
    ),
    (
        "9. 500s and tracebacks from user input",
        "clear 400/404 and exit 1/2 naming the parameter or field",
    ),
    (
        "10. `grants --from 1 --to 999999999`",
        "years from 1900 to ten years ahead",
    ),
    (
        "11. silent mojibake",
        "mixed encodings refused by row",
    ),
    (
        "12. collapse under writes",
        "a write starts from the server's snapshot, checks only what it touches, and "
        "is kept, not read back (see Load)",
    ),
    (
        "13. uploads that preview but cannot be confirmed",
        "one upload limit, the request limit derived from it",
    ),
    (
        "14. cookies working after logout",
        "sessions ended on the server",
    ),
    (
        "15. control characters in ids",
        "refused",
    ),
    (
        '16. duplicate JSON keys, `"version": true`',
        "refused, naming the line",
    ),
    (
        "17. terminal escapes in messages",
        "escaped",
    ),
    (
        "18. one kind of error hid another",
        "every row checked semantically (CSV, .xlsx, JSON, HSDS)",
    ),
)

NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

LOAD_HEAD = """## Load

50 clients for 60 s against `jarjesto serve` on 127.0.0.1 (waitress, public
mode) over a workspace of the synthetic demo dataset at 5,000 organisations
(`jarjesto demo generate --organisations 5000`), once on SQLite and once on
PostgreSQL. Each request is a read (API lists, the assessment of an area,
register, area, municipality and overview pages) nine times in ten and a
write (an API create or a versioned update of a hearing) once in ten; a
client gives a request up after 120 s (a timeout, not an answer) and stops
by itself at the deadline (`tests/hardening/test_load.py`). Afterwards
every acknowledged write is looked up in the workspace with its version.
"""

LOAD_ROWS = (
    ("requests", "requests answered"),
    ("requests_per_second", "requests per second"),
    ("reads", "reads answered"),
    ("creates", "creates acknowledged"),
    ("updates", "updates acknowledged"),
    ("timeouts", "requests given up after 120 s"),
    ("server_errors", "5xx answers"),
    ("lost_writes", "acknowledged writes lost"),
    ("latency_ms_p50", "median latency (ms)"),
    ("latency_ms_p99", "99th percentile latency (ms)"),
    ("read_latency_ms_p50", "median read latency (ms)"),
    ("write_latency_ms_p50", "median write latency (ms)"),
)

LOAD_TAIL = """
The test asserts the correctness figures (no 5xx, no acknowledged write lost
or duplicated); throughput and latency are recorded as one run on the
development machine (two cores shared with other work) gave them. The
targets for them are issue 26's ("Fast where users wait"). A write through
the server starts from the snapshot the server holds (when no one else wrote
since), checks only the records it can affect, and the server keeps the
result instead of reading the workspace again; what is derived from the data
(assessments, pages) is still computed again once after each write.
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
    out.append(ROUND_TWO.rstrip())
    out.extend(f"| {finding} | {now} |" for finding, now in ROUND_TWO_ROWS)
    out.append("")
    out.append(LOAD_HEAD)
    load = figures["load"]
    backends = [b for b in ("sqlite", "postgresql") if b in load]
    out.append("| figure | " + " | ".join(NAMES[b] for b in backends) + " |")
    out.append("| --- |" + " ---: |" * len(backends))
    for key, label in LOAD_ROWS:
        cells = " | ".join("–" if load[b].get(key) is None else str(load[b][key]) for b in backends)
        out.append(f"| {label} | {cells} |")
    out.append(LOAD_TAIL)
    return "\n".join(out)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        sys.stdout.write(render(json.load(handle)))
