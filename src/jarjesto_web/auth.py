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
from jarjesto_core.workspace import logins, users
from jarjesto_core.workspace.users import User, authenticate
from jarjesto_web.context import current_user, workspace
from jarjesto_web.i18n import t

__all__ = ["bp", "current_user", "init_app", "require"]

bp = Blueprint("auth", __name__)

F = TypeVar("F", bound=Callable[..., Any])

#: Endpoints anyone may reach, logged in or not.
OPEN_ENDPOINTS = frozenset({"auth.login", "auth.logout", "static", "pages.language"})


def session_user() -> User | None:
    """The user of this request's session, if it is still live in the workspace."""
    token = session.get("sid")
    if not isinstance(token, str) or not token:
        return None
    user = users.session_user(workspace(), token)
    if user is None:
        session.pop("sid", None)  # ended by a logout elsewhere, or the user was removed
    return user


def _load_user() -> None:
    g.user = session_user()


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
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and target.isprintable()  # no CR/LF: a header cannot hold them
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("pages.overview")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Log in with a user name and password."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        name = form.name.data or ""
        # Counted before the password is even checked, per address and per account, in
        # the workspace: a guess past the limit tells nothing, whichever process gets it.
        reservation = logins.reserve(
            workspace(),
            [f"address:{request.remote_addr or ''}", f"account:{name.casefold()}"],
            attempts=current_app.config["LOGIN_ATTEMPTS"],
            window=current_app.config["LOGIN_WINDOW"],
        )
        if not reservation.granted:
            abort(429, retry_after=reservation.retry_after)
        user = authenticate(workspace(), name, form.password.data or "")
        if user is not None:
            logins.release(workspace(), reservation)
            session.clear()
            session["sid"] = users.start_session(workspace(), user.name)
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")))
        error = t(N_("Wrong user name or password."))
    status = 401 if error else 200
    return render_template("login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Log out (a POST, so that a link on another site cannot log anyone out)."""
    lang = session.get("lang")
    token = session.get("sid")
    if isinstance(token, str) and token:
        users.end_session(workspace(), token)  # a copy of the cookie ends with it
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("pages.overview"))


def init_app(app: Flask) -> None:
    app.before_request(_gate)
    app.jinja_env.globals.update(current_user=current_user)
