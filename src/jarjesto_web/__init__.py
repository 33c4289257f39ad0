"""jarjesto's web UI: a thin Flask app over :mod:`jarjesto_core`.

:func:`create_app` builds the app: configuration (defaults, environment,
then a test override), the plugin registry in ``app.extensions["jarjesto"]``,
the process-wide cache of the dataset and what the pages derive from it
(:mod:`jarjesto_web.cache`), language selection, CSRF protection, the
built-in blueprints, plugin blueprints under ``/plugins/<name>/`` and the
error handlers. Views read the data through :func:`jarjesto_web.context.dataset`
(the cached snapshot) and write through :func:`jarjesto_web.context.workspace`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flask import Flask

if TYPE_CHECKING:
    import pluggy

__all__ = ["ConfigError", "create_app"]


class ConfigError(RuntimeError):
    """The app cannot start: the message says which setting to give."""


def _from_environment() -> dict[str, Any]:
    config: dict[str, Any] = {}
    for key in ("SECRET_KEY", "WORKSPACE"):
        value = os.environ.get(f"JARJESTO_{key}")
        if value:
            config[key] = value
    hops = os.environ.get("JARJESTO_PROXY_HOPS")
    if hops:
        if not (hops.isascii() and hops.isdigit() and 1 <= int(hops) <= 10):
            raise ConfigError("JARJESTO_PROXY_HOPS must be a number from 1 to 10")
        config["PROXY_HOPS"] = int(hops)
    for key in ("PUBLIC", "BEHIND_PROXY", "WARM"):
        flag = os.environ.get(f"JARJESTO_{key}")
        if flag is not None:
            config[key] = flag.strip().lower() in ("1", "true", "yes", "on")
    return config


#: Room in a confirmation request for the form's other fields and multipart framing.
FORM_OVERHEAD = 64 * 1024


def upload_request_limit(upload_limit: int) -> int:
    """The request size that lets a file of ``upload_limit`` bytes be confirmed (base64)."""
    return -(-upload_limit // 3) * 4 + FORM_OVERHEAD


def create_app(
    test_config: Mapping[str, Any] | None = None, *, pm: pluggy.PluginManager | None = None
) -> Flask:
    """Build the app over the workspace in ``WORKSPACE`` (config or ``JARJESTO_WORKSPACE``).

    Outside debug and testing, ``SECRET_KEY`` (``JARJESTO_SECRET_KEY``) is
    required: sessions and CSRF tokens are signed with it.
    """
    from flask_wtf.csrf import CSRFProtect

    from jarjesto_core.plugins import get_plugin_manager
    from jarjesto_core.registry import build_registry
    from jarjesto_web import auth, cache, errors, i18n, security
    from jarjesto_web.views import api, edit, gaps, hsds_api, pages, publisher, transfer

    app = Flask(__name__)
    app.config.from_mapping(
        WORKSPACE=None,
        SECRET_KEY=None,
        # Anyone may read the register and the assessments without logging in.
        PUBLIC=False,
        PAGE_SIZE=20,
        # Records per page of an edit list (a national dataset has 270,000 agreements).
        EDIT_PAGE_SIZE=100,
        # Rows of an area's or a municipality's funding table per page: a national
        # area has 2,000 (municipality, service) pairs, half a megabyte of HTML.
        FUNDING_ROWS=200,
        # The largest CSV file an upload takes. Its preview carries it back base64-encoded
        # (4/3 the size) for the confirmation, so the request limit is derived from it
        # (unless MAX_CONTENT_LENGTH is given): whatever previews can also be confirmed.
        UPLOAD_LIMIT=6 * 1024 * 1024,
        MAX_CONTENT_LENGTH=None,
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Behind a TLS-terminating reverse proxy: trust its X-Forwarded-* headers,
        # and send the session cookie only over HTTPS (see security.py).
        BEHIND_PROXY=False,
        # How many proxies stand in front (each appends to X-Forwarded-For); the
        # client is the address the outermost one saw (JARJESTO_PROXY_HOPS).
        PROXY_HOPS=1,
        # Failed logins allowed per client address, and per account, within LOGIN_WINDOW
        # seconds; counted in the workspace, so every server process shares the count.
        LOGIN_ATTEMPTS=10,
        LOGIN_WINDOW=300,
        # Read the workspace and assess before returning the app (JARJESTO_WARM=1), as
        # ``jarjesto serve`` does, so that under waitress-serve the first reader does not wait.
        WARM=False,
    )
    app.config.update(_from_environment())
    if test_config is not None:
        app.config.update(test_config)
    if app.config["MAX_CONTENT_LENGTH"] is None:
        app.config["MAX_CONTENT_LENGTH"] = upload_request_limit(app.config["UPLOAD_LIMIT"])
    if not app.config["WORKSPACE"]:
        raise ConfigError("no workspace: pass --workspace or set JARJESTO_WORKSPACE")
    if not app.config["SECRET_KEY"]:
        if not (app.debug or app.testing):
            raise ConfigError(
                "JARJESTO_SECRET_KEY is not set: sessions and CSRF tokens are signed with it. "
                "Set it to a long random value, for example: "
                'export JARJESTO_SECRET_KEY="$(python -c "import secrets; '
                'print(secrets.token_hex(32))")"'
            )
        app.config["SECRET_KEY"] = os.urandom(32).hex()

    pm = pm if pm is not None else get_plugin_manager()
    app.extensions["jarjesto"] = build_registry(pm)
    cache.init_app(app)
    csrf = CSRFProtect(app)
    csrf.exempt(api.bp)  # writes there need a bearer token, never a cookie
    i18n.init_app(app)
    auth.init_app(app)
    for module in (pages, gaps, edit, transfer, auth, api, hsds_api, publisher):
        app.register_blueprint(module.bp)
    for blueprints in pm.hook.register_blueprints():
        for blueprint in blueprints or ():
            app.register_blueprint(blueprint, url_prefix=f"/plugins/{blueprint.name}")
    errors.init_app(app)
    security.init_app(app)
    from jarjesto_web import context

    app.teardown_appcontext(context.close_workspace)
    if app.config["WARM"]:
        from jarjesto_web.warm import warm

        warm(app)
    return app
