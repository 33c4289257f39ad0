"""The one exception family the Python API raises for user errors.

A user error (bad data, a bad plugin) never ends in a traceback in the CLI or
the web UI: both catch :class:`JarjestoError` and show its problems.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from attrs import field, frozen

from jarjesto_core.i18n import N_, translate

__all__ = [
    "DatasetError",
    "JarjestoError",
    "PluginError",
    "Problem",
    "RecordNotFoundError",
    "StaleVersionError",
    "WorkspaceError",
]


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
    #: The sheet of an Excel workbook the row is on.
    sheet: str | None = None

    def location(self, lang: str = "en") -> str:
        """Where, as a path a person can follow: ``services[3] (svc-club).kind``."""
        parts: list[str] = []
        if self.file is not None:
            parts.append(self.file)
        if self.sheet is not None:
            parts.append(translate(N_("sheet %(sheet)s"), lang, {"sheet": self.sheet}))
        if self.line is not None:
            parts.append(
                translate(
                    N_("line %(line)s, column %(column)s"),
                    lang,
                    {"line": self.line, "column": self.column},
                )
            )
        if self.row is not None:
            parts.append(translate(N_("row %(row)s"), lang, {"row": self.row}))
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
        where = self.location(lang)
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


class WorkspaceError(JarjestoError):
    """A workspace cannot do what was asked: missing, not initialised, out of date, unreachable.

    ``message`` is a gettext msgid with ``%(name)s`` placeholders, so the CLI
    and the web UI show it in the reader's language through :meth:`render`.
    """

    def __init__(self, message: str, params: Mapping[str, Any] | None = None) -> None:
        self.message = message
        self.params: Mapping[str, Any] = dict(params or {})
        super().__init__(self.render("en"))

    def render(self, lang: str = "en") -> str:
        return translate(self.message, lang, self.params)


class RecordNotFoundError(WorkspaceError):
    """No record of this id in the collection: the reader's mistake, not the workspace's.

    A subclass of :class:`WorkspaceError`, so callers that catch that still
    catch it; the web answers it 404, while every other workspace error (not
    initialised, out of date, unreachable) is 503.
    """

    def __init__(self, collection: str, record_id: str) -> None:
        self.collection = collection
        self.record_id = record_id
        super().__init__(
            N_("%(collection)s has no record %(id)s"), {"collection": collection, "id": record_id}
        )


class StaleVersionError(WorkspaceError):
    """An update or delete was based on a version of a record that is no longer current.

    Someone else changed (or deleted) the record after it was read; the
    change is refused rather than silently overwriting theirs. ``current`` is
    None when the record no longer exists.
    """

    def __init__(self, collection: str, record_id: str, expected: int, current: int | None) -> None:
        self.collection = collection
        self.record_id = record_id
        self.expected = expected
        self.current = current
        params = {
            "collection": collection,
            "id": record_id,
            "expected": expected,
            "current": current,
        }
        if current is None:
            message = N_(
                "%(collection)s record %(id)s was deleted after you read version "
                "%(expected)s; nothing was changed"
            )
        else:
            message = N_(
                "%(collection)s record %(id)s was changed by someone else: you edited version "
                "%(expected)s, the workspace has version %(current)s; nothing was changed, "
                "reload the record and make your change again"
            )
        super().__init__(message, params)
