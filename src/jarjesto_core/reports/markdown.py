"""Markdown report, with table cells escaped so data cannot break the tables."""

from __future__ import annotations

from collections.abc import Sequence

from jarjesto_core.assessment import Assessment
from jarjesto_core.reports import view


def _cell(text: object) -> str:
    """Text as a table cell or line: Markdown's special characters escaped, one line."""
    escaped = str(text).replace("\\", "\\\\").replace("\n", " ")
    for char in "|*_`[]<>#":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


class Strong(str):
    """A cell shown in bold: escaped first, then wrapped, so the emphasis is real."""


def _render_cell(text: object) -> str:
    return f"**{_cell(text)}**" if isinstance(text, Strong) else _cell(text)


def _table(headings: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in headings) + " |"]
    lines.append("|" + "|".join(" --- " for _ in headings) + "|")
    lines.extend("| " + " | ".join(_render_cell(c) for c in row) + " |" for row in rows)
    return lines


def _sources(links: list[dict[str, str | None]]) -> str:
    """Each source's citation, linked where its address is checked."""
    parts = []
    for item in links:
        text = str(item["text"])  # a gloss in brackets is balanced: allowed in link text
        parts.append(f"[{text}]({item['link']})" if item["link"] else text)
    return "; ".join(parts) or "–"


def render(assessment: Assessment, lang: str) -> str:
    v = view(assessment, lang)
    t = v["t"]
    lines = [f"# {_cell(t['title'])}", "", f"## {_cell(t['coverage'])}", ""]
    lines += [f"- {_cell(c)}" for c in v["coverage"]] or [_cell(t["coverage_not_recorded"])]
    lines.append("")
    if not v["subjects"]:
        lines += [_cell(t["no_subjects"]), ""]
    for s in v["subjects"]:
        lines += [f"## {_cell(s['name'])}", ""]
        lines += [f"**{_cell(t['score'])}:** {_cell(s['score'])} ({_cell(s['judged_line'])})", ""]
        lines += [f"**{_cell(t['plugin_score'])}:** {_cell(p)}" for p in s["plugin_scores"]]
        if s["not_covered"]:
            lines += [f"**{_cell(t['not_covered'])}:** {_cell(s['not_covered'])}", ""]
        lines += _table(
            [
                t["rule"],
                t["status"],
                t["finding"],
                t["evidence"],
                t["coverage_column"],
                t["sources"],
            ],
            [
                [
                    f["title"],
                    f["status_label"],
                    f["message"] + (f" {t['missing']} {f['missing']}" if f["missing"] else ""),
                    f["evidence"],
                    f["coverage"],
                    _sources(f["source_links"]),
                ]
                for f in s["findings"]
            ],
        )
        lines.append("")
    lines += [f"## {_cell(t['funding'])}", ""]
    if v["funding"]:
        columns = ("municipality", "service", "organisation", "kind", "domain", "responsible",
                   "funders")  # fmt: skip
        lines += _table(
            [t[k] for k in (*columns, "status")],
            [
                [
                    *(r[c] for c in columns),
                    Strong(r["status_label"]) if r["blind_spot"] else r["status_label"],
                ]
                for r in v["funding"]
            ],
        )
    else:
        lines.append(_cell(t["no_pairs"]))
    lines += ["", f"## {_cell(t['interruptions'])}", ""]
    if v["interruptions"]:
        lines += _table(
            [t[k] for k in ("organisation", "funder", "year", "interruption_kind", "reform_gap")],
            [
                [
                    i["organisation"],
                    i["funder"],
                    i["year"],
                    i["kind"],
                    Strong(i["reform_gap"]) if i["is_gap"] else i["reform_gap"],
                ]
                for i in v["interruptions"]
            ],
        )
    else:
        lines.append(_cell(t["no_interruptions"]))
    return "\n".join(lines) + "\n"
