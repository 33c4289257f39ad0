"""HTTP hardening: security headers, HTTPS behind a proxy, and a brake on password guessing.

Every response carries a Content-Security-Policy that allows scripts from
nowhere and styles only from this site (the templates have no inline
script or style), so an injected ``<script>`` or ``style=`` does nothing
even if escaping ever failed. Behind a TLS-terminating proxy
(``BEHIND_PROXY``), the app trusts one proxy's ``X-Forwarded-*`` headers,
builds https URLs, marks the session cookie ``Secure`` and sends HSTS.

Failed logins are counted per client address and per account in the
workspace (:mod:`jarjesto_core.workspace.logins`), atomically and for every
server process. Behind a proxy the client address is what ``ProxyFix``
takes from ``X-Forwarded-For`` (``PROXY_HOPS`` proxies deep), so one client
cannot lock out everyone behind the same proxy. A successful login does not
reset the count, so guessing between one's own valid logins gains nothing.
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response, current_app

__all__ = ["CSP", "init_app", "style_hashes"]

#: The policy of every page: nothing inline, nothing from elsewhere, no framing.
CSP = (
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def style_hashes(html: str) -> list[str]:
    """CSP hash sources for a standalone document's ``<style>`` blocks (the HTML report).

    The downloadable report must work when saved to disk, so its styles are
    inline; allowing exactly these hashes keeps every other inline style out.
    """
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
        for block in _STYLE.findall(html)
    ]


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["BEHIND_PROXY"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    if app.config["BEHIND_PROXY"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Exactly PROXY_HOPS proxies in front (default one): the client is the address the
        # outermost of them saw. Trusting more would let a client forge its address.
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    app.after_request(_headers)
