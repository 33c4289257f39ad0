"""The one exception family the Python API raises for user errors.

A user error (bad data, a bad plugin) never ends in a traceback in the CLI or
the web UI: both catch :class:`JarjestoError` and show its problems.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from attrs import field, frozen

from jarjesto_core.i18n import translate

__all__ = ["DatasetError", "JarjestoError", "PluginError", "Problem"]


@frozen
class Problem:
    """One thing wrong in a dataset, located as precisely as we can.

    ``message`` is an English gettext msgid with ``%(name)s`` placeholders
    filled from ``params``; :meth:`render` gives it in fi, sv or en.
    ``row`` is the 1-based CSV row (the header is row 1) when the data came
    from a spreadsheet.
    """

    message: str
    params: Mapping[str, Any] = field(factory=dict)
    collection: str | None = None
    index: int | None = None
    record_id: str | None = None
    field: str | None = None
    file: str | None = None
    row: int | None = None
    line: int | None = None
    column: int | None = None

    def location(self) -> str:
        """Where, as a path a person can follow: ``services[3] (svc-club).kind``."""
        parts: list[str] = []
        if self.file is not None:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}, column {self.column}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        path = ""
        if self.collection is not None:
            path = self.collection
            if self.index is not None:
                path += f"[{self.index}]"
            if self.record_id is not None:
                path += f" ({self.record_id})"
        if self.field is not None:
            path = f"{path}.{self.field}" if path else self.field
        if path:
            parts.append(path)
        return ": ".join(parts)

    def render(self, lang: str = "en") -> str:
        text = translate(self.message, lang, self.params)
        where = self.location()
        return f"{where}: {text}" if where else text

    def __str__(self) -> str:
        return self.render("en")


class JarjestoError(Exception):
    """Base of every error jarjesto raises for something a user can fix."""


class DatasetError(JarjestoError):
    """A dataset (file, CSV, workspace change) is invalid; ``problems`` lists every problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.render("en"))

    def render(self, lang: str = "en") -> str:
        return "\n".join(p.render(lang) for p in self.problems)


class PluginError(JarjestoError):
    """A plugin's contribution is refused; the message names the plugin."""

    def __init__(self, plugin: str, message: str) -> None:
        self.plugin = plugin
        super().__init__(f"plugin {plugin!r}: {message}")
