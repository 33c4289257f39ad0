"""Markdown report, with table cells escaped so data cannot break the tables."""

from __future__ import annotations

from collections.abc import Sequence

from jarjesto_core.assessment import Assessment
from jarjesto_core.reports import view


def _cell(text: object) -> str:
    return (
        str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("*", "\\*")
    )


def _table(headings: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in headings) + " |"]
    lines.append("|" + "|".join(" --- " for _ in headings) + "|")
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return lines


def render(assessment: Assessment, lang: str) -> str:
    v = view(assessment, lang)
    t = v["t"]
    lines = [f"# {_cell(t['title'])}", ""]
    if not v["subjects"]:
        lines += [t["no_subjects"], ""]
    for s in v["subjects"]:
        lines += [f"## {_cell(s['name'])} ({s['party']})", ""]
        lines += [f"**{_cell(t['score'])}:** {_cell(s['score'])} ({_cell(s['counts'])})", ""]
        lines += _table(
            [t["rule"], t["status"], t["finding"], t["evidence"], t["sources"]],
            [
                [f"`{f['rule']}`", f["status_label"], f["message"], f["evidence"], f["sources"]]
                for f in s["findings"]
            ],
        )
        lines.append("")
    lines += [f"## {_cell(t['funding'])}", ""]
    if v["funding"]:
        lines += _table(
            [
                t[k]
                for k in (
                    "municipality",
                    "service",
                    "kind",
                    "domain",
                    "responsible",
                    "funders",
                    "status",
                )
            ],
            [
                [
                    r["municipality"],
                    r["service"],
                    r["kind"],
                    r["domain"],
                    r["responsible"],
                    r["funders"],
                    f"**{r['status_label']}**" if r["blind_spot"] else r["status_label"],
                ]
                for r in v["funding"]
            ],
        )
    else:
        lines.append(t["no_pairs"])
    lines += ["", f"## {_cell(t['interruptions'])}", ""]
    if v["interruptions"]:
        lines += _table(
            [t[k] for k in ("organisation", "party", "year", "reform_gap")],
            [
                [
                    i["organisation"],
                    i["party"],
                    i["year"],
                    f"**{i['reform_gap']}**" if i["is_gap"] else i["reform_gap"],
                ]
                for i in v["interruptions"]
            ],
        )
    else:
        lines.append(t["no_interruptions"])
    return "\n".join(lines) + "\n"
