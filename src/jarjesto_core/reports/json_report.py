"""The JSON report: exactly the document of ``criteria.md`` ("The report")."""

from __future__ import annotations

import json

from jarjesto_core.assessment import Assessment


def render(assessment: Assessment, lang: str) -> str:
    return json.dumps(assessment.as_json(lang), ensure_ascii=False, indent=2) + "\n"
