"""Every error handler, in one place: JSON under ``/api/``, an HTML page elsewhere.

A :class:`~jarjesto_core.errors.DatasetError` is the user's to fix (400, with
every problem); a :class:`~jarjesto_core.errors.RecordNotFoundError` is 404; a
:class:`~jarjesto_core.errors.StaleVersionError` is a conflict (409); every
other workspace error (not initialised, out of date, unreachable) is 503.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from jarjesto_core.errors import (
    DatasetError,
    RecordNotFoundError,
    StaleVersionError,
    WorkspaceError,
)
from jarjesto_core.i18n import N_
from jarjesto_web.i18n import lang, t

__all__ = ["init_app"]

TITLES = {
    400: N_("Bad request"),
    401: N_("Log in needed"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("The file is too large"),
    429: N_("Too many attempts"),
    503: N_("The workspace is not available"),
}
EXPLANATIONS = {
    400: N_("The request could not be understood."),
    401: N_("Log in to see this page."),
    403: N_("Your role does not allow this."),
    404: N_("There is no such page or record."),
    405: N_("This address does not accept that method."),
    413: N_("Upload a smaller file."),
    429: N_("Too many failed logins from your address: wait a few minutes and try again."),
}


def _wants_json() -> bool:
    """The JSON APIs: ``/api/`` and the HSDS API (its profile page is HTML)."""
    path = request.path
    return path.startswith("/api/") or (
        path.startswith("/hsds/") and not path.startswith("/hsds/profile/")
    )


def _answer(status: int, problems: list[str], detail: str | None = None) -> Any:
    title = t(TITLES.get(status, N_("Error")))
    if _wants_json():
        body: dict[str, Any] = {"error": {"status": status, "title": title}}
        if problems:
            body["error"]["problems"] = problems
        if detail:
            body["error"]["detail"] = detail
        return body, status
    return render_template(
        "error.html", status=status, title=title, problems=problems, detail=detail
    ), status


def _http(exc: HTTPException) -> Any:
    status = exc.code or 500
    explanation = EXPLANATIONS.get(status)
    body, code = _answer(status, [], t(explanation) if explanation else None)
    response = make_response(body, code)
    # Keep the exception's own headers: Allow on 405, Retry-After on 429.
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _csrf(exc: CSRFError) -> Any:
    return _answer(
        400,
        [],
        t(
            N_(
                "The form has expired or did not come from this site: "
                "reload the page and try again."
            )
        ),
    )


def _dataset(exc: DatasetError) -> Any:
    return _answer(400, [p.render(lang()) for p in exc.problems])


def _stale(exc: StaleVersionError) -> Any:
    return _answer(409, [exc.render(lang())])


def _missing(exc: RecordNotFoundError) -> Any:
    return _answer(404, [exc.render(lang())])


def _workspace(exc: WorkspaceError) -> Any:
    return _answer(503, [exc.render(lang())])


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(DatasetError, _dataset)
    app.register_error_handler(StaleVersionError, _stale)
    app.register_error_handler(RecordNotFoundError, _missing)
    app.register_error_handler(WorkspaceError, _workspace)
