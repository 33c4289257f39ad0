"""Standalone HTML report: one page, inline CSS, no scripts, everything escaped by Jinja2."""

from __future__ import annotations

from jarjesto_core.assessment import Assessment
from jarjesto_core.reports import view


def render(assessment: Assessment, lang: str) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("jarjesto_core.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html").render(**view(assessment, lang))
