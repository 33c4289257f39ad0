"""The built-in ``core_reports`` plugin: json, text, markdown and html.

Each imports its renderer only when used, so registering them costs nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from jarjesto_core.hookspecs import hookimpl
from jarjesto_core.i18n import N_
from jarjesto_core.reports.base import Render, ReportFormat

if TYPE_CHECKING:
    from jarjesto_core.assessment import Assessment

__all__ = ["BUILTIN_FORMATS", "register_report_formats"]


def _lazy(module: str) -> Render:
    def render(assessment: Assessment, lang: str) -> str:
        function: Render = importlib.import_module(module).render
        return function(assessment, lang)

    return render


BUILTIN_FORMATS: Final[Sequence[ReportFormat]] = (
    ReportFormat(
        "json",
        _lazy("jarjesto_core.reports.json_report"),
        "json",
        "application/json",
        N_("The assessment document of criteria.md, for programs."),
    ),
    ReportFormat(
        "text",
        _lazy("jarjesto_core.reports.text"),
        "txt",
        "text/plain; charset=utf-8",
        N_("Plain-text tables for a terminal."),
    ),
    ReportFormat(
        "markdown",
        _lazy("jarjesto_core.reports.markdown"),
        "md",
        "text/markdown; charset=utf-8",
        N_("Markdown, for wikis and issue trackers."),
    ),
    ReportFormat(
        "html",
        _lazy("jarjesto_core.reports.html"),
        "html",
        "text/html; charset=utf-8",
        N_("A standalone HTML page with no external assets."),
    ),
)


@hookimpl
def register_report_formats() -> Sequence[ReportFormat]:
    return BUILTIN_FORMATS
