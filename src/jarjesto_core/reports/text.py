"""Plain-text report: rich tables rendered without colour, for a terminal or a file."""

from __future__ import annotations

import io

from jarjesto_core.assessment import Assessment
from jarjesto_core.reports import view


def render(assessment: Assessment, lang: str) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    v = view(assessment, lang)
    t = v["t"]
    out = io.StringIO()
    console = Console(file=out, width=120, no_color=True, force_terminal=False, highlight=False)
    console.print(t["title"], markup=False)
    console.print()
    if not v["subjects"]:
        console.print(t["no_subjects"], markup=False)
    for s in v["subjects"]:
        console.print(f"{s['name']} ({s['party']}): {t['score']} {s['score']}", markup=False)
        console.print(s["counts"], markup=False)
        for f in s["findings"]:
            console.print(f"  [{f['status_label']}] {f['rule']}", markup=False)
            console.print(f"      {f['message']}", markup=False, soft_wrap=True)
            console.print(f"      {t['evidence']}: {f['evidence']}", markup=False, soft_wrap=True)
            console.print(f"      {t['sources']}: {f['sources']}", markup=False, soft_wrap=True)
        console.print()
    console.print(t["funding"], markup=False)
    if v["funding"]:
        table = Table(box=box.SIMPLE)
        for heading in (
            "municipality",
            "service",
            "kind",
            "domain",
            "responsible",
            "funders",
            "status",
        ):
            table.add_column(t[heading])
        for r in v["funding"]:
            table.add_row(
                r["municipality"],
                r["service"],
                r["kind"],
                r["domain"],
                r["responsible"],
                r["funders"],
                r["status_label"],
            )
        console.print(table)
    else:
        console.print(t["no_pairs"], markup=False)
    console.print(t["interruptions"], markup=False)
    if v["interruptions"]:
        table = Table(box=box.SIMPLE)
        for heading in ("organisation", "party", "year", "reform_gap"):
            table.add_column(t[heading])
        for i in v["interruptions"]:
            table.add_row(i["organisation"], i["party"], str(i["year"]), i["reform_gap"])
        console.print(table)
    else:
        console.print(t["no_interruptions"], markup=False)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"
