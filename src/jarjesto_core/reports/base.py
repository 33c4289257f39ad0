"""What a report format is: a name and a renderer, kept apart from the formats themselves.

The registry and the hook specifications need the type and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from attrs import frozen

if TYPE_CHECKING:
    from jarjesto_core.assessment import Assessment

__all__ = ["Render", "ReportFormat"]

Render = Callable[["Assessment", str], str]


@frozen
class ReportFormat:
    name: str
    render: Render
    #: What ``--output`` files of this format are usually called.
    extension: str = "txt"
    media_type: str = "text/plain; charset=utf-8"
    description: str = ""
