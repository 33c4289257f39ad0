"""Logging in and out, who the current user is, and what each role may do.

Roles: a viewer reads, an editor also changes records, an admin also
manages users. With ``PUBLIC`` on, anyone may read the register and the
assessments; changes always need a logged-in editor (or an API token).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired

from jarjesto_core.i18n import N_
from jarjesto_core.workspace.users import authenticate, get_user
from jarjesto_web.context import current_user, workspace
from jarjesto_web.i18n import t

__all__ = ["bp", "current_user", "init_app", "require"]

bp = Blueprint("auth", __name__)

F = TypeVar("F", bound=Callable[..., Any])

#: Endpoints anyone may reach, logged in or not.
OPEN_ENDPOINTS = frozenset({"auth.login", "auth.logout", "static", "pages.language"})


def _load_user() -> None:
    g.user = None
    name = session.get("user")
    if name:
        g.user = get_user(workspace(), name)
        if g.user is None:
            session.pop("user", None)


def _gate() -> Response | None:
    """Without PUBLIC, everything but login needs a logged-in user (the API: a token)."""
    if request.endpoint is None or request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.blueprint in ("api", "hsds"):
        return None  # the APIs answer for themselves, in JSON
    _load_user()
    if current_user() is None and not current_app.config["PUBLIC"]:
        return redirect(url_for("auth.login", next=request.full_path))
    return None


def require(role: str) -> Callable[[F], F]:
    """Refuse the view (403) unless the user has ``role``; send a visitor to log in."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return redirect(url_for("auth.login", next=request.full_path))
            if not user.can(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


class LoginForm(FlaskForm):  # type: ignore[misc]
    name = StringField(N_("User name"), validators=[InputRequired()])
    password = PasswordField(N_("Password"), validators=[InputRequired()])


def _safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would help phishing."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("pages.overview")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Log in with a user name and password."""
    from jarjesto_web.security import limiter

    form = LoginForm()
    error = None
    if request.method == "POST":
        # Refused before the password is even checked: a guess after the limit tells nothing.
        wait = limiter().retry_after(request.remote_addr or "")
        if wait:
            abort(429, retry_after=wait)
    if form.validate_on_submit():
        user = authenticate(workspace(), form.name.data or "", form.password.data or "")
        if user is not None:
            session.clear()
            session["user"] = user.name
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")))
        limiter().failed(request.remote_addr or "")
        error = t(N_("Wrong user name or password."))
    status = 401 if error else 200
    return render_template("login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Log out (a POST, so that a link on another site cannot log anyone out)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("pages.overview"))


def init_app(app: Flask) -> None:
    app.before_request(_gate)
    app.jinja_env.globals.update(current_user=current_user)
