"""docs/reliability.md is what report.py renders from the recorded figures."""

from __future__ import annotations

import json

from .conftest import ROOT
from .report import render


def test_the_page_comes_from_the_recorded_figures() -> None:
    figures = json.loads((ROOT / "docs/reliability.json").read_text("utf-8"))
    assert (ROOT / "docs/reliability.md").read_text("utf-8") == render(figures), (
        "regenerate: python tests/hardening/report.py docs/reliability.json > docs/reliability.md"
    )
    for backend in ("sqlite", "postgresql"):
        load = figures["load"][backend]
        assert load["server_errors"] == load["lost_writes"] == 0
    assert all(fault["survived"] for fault in figures["faults"].values())
