"""The JSON report: exactly the document of ``criteria.md`` ("The report")."""

from __future__ import annotations

from jarjesto_core.assessment import Assessment
from jarjesto_core.perf import indented_json


def render(assessment: Assessment, lang: str) -> str:
    return indented_json(assessment.as_json(lang)) + "\n"
