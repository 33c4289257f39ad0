"""Plain-text report for a terminal or a file: lines, and tables drawn by tabulate.

Every cell is written whole, one row a line, however wide: a report of a
whole country has 60,000 funding rows, and a table that folds or crops its
cells to a terminal's width (and takes long to lay them out) would lose
the funders of exactly the rows that have most.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from jarjesto_core.assessment import Assessment
from jarjesto_core.reports import view


def plain_table(
    headings: Sequence[str], rows: Iterable[Sequence[str]], *, right: Collection[int] = ()
) -> str:
    """A table as text, one row a line, every cell whole; ``right`` columns aligned right.

    Shared with the command line's tables, which may colour cells with ANSI
    codes: tabulate measures the cells without them.
    """
    from tabulate import tabulate

    align = ["right" if i in right else "left" for i in range(len(headings))]
    # disable_numparse: a municipality code like "005" is text, not the number 5.
    return tabulate(
        list(rows),
        headers=list(headings),
        tablefmt="simple",
        colalign=align,
        disable_numparse=True,
    )


def _table(headings: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return plain_table(headings, rows).splitlines()


def render(assessment: Assessment, lang: str) -> str:
    v = view(assessment, lang)
    t = v["t"]
    lines = [t["title"], "", t["coverage"], ""]
    lines += [f"  {c}" for c in v["coverage"]] or [t["coverage_not_recorded"]]
    lines.append("")
    if not v["subjects"]:
        lines.append(t["no_subjects"])
    for s in v["subjects"]:
        lines.append(s["name"])
        lines.append(f"{t['score']}: {s['score']} ({s['judged_line']})")
        lines += [f"{t['plugin_score']} {p}" for p in s["plugin_scores"]]
        if s["not_covered"]:
            lines.append(f"{t['not_covered']}: {s['not_covered']}")
        for f in s["findings"]:
            lines.append(f"  [{f['status_label']}] {f['title']}")
            lines.append(f"      {f['message']}")
            if f["missing"]:
                lines.append(f"      {t['missing']} {f['missing']}")
            lines.append(f"      {t['evidence']}: {f['evidence']}")
            lines.append(f"      {t['coverage_column']}: {f['coverage']}")
            cited = "; ".join(
                f"{c['text']} <{c['link']}>" if c["link"] else str(c["text"])
                for c in f["source_links"]
            )
            lines.append(f"      {t['sources']}: {cited or '–'}")
        lines.append("")
    lines += [t["funding"], ""]
    if v["funding"]:
        columns = ("municipality", "service", "organisation", "kind", "domain", "responsible",
                   "funders")  # fmt: skip
        lines += _table(
            [t[c] for c in (*columns, "status")],
            [[*(r[c] for c in columns), r["status_label"]] for r in v["funding"]],
        )
    else:
        lines.append(t["no_pairs"])
    lines += ["", t["interruptions"], ""]
    if v["interruptions"]:
        lines += _table(
            [t[c] for c in ("organisation", "funder", "year", "interruption_kind", "reform_gap")],
            [
                [i["organisation"], i["funder"], i["year"], i["kind"], i["reform_gap"]]
                for i in v["interruptions"]
            ],
        )
    else:
        lines.append(t["no_interruptions"])
    return "\n".join(line.rstrip() for line in lines) + "\n"
