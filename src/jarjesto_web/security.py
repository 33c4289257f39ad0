"""HTTP hardening: security headers, HTTPS behind a proxy, and a brake on password guessing.

Every response carries a Content-Security-Policy that allows scripts from
nowhere and styles only from this site (the templates have no inline
script or style), so an injected ``<script>`` or ``style=`` does nothing
even if escaping ever failed. Behind a TLS-terminating proxy
(``BEHIND_PROXY``), the app trusts one proxy's ``X-Forwarded-*`` headers,
builds https URLs, marks the session cookie ``Secure`` and sends HSTS.

Failed logins are counted per client address in this process
(:class:`LoginLimiter`): ``jarjesto serve`` is one waitress process, so a
counter in memory sees every attempt without a storage service, which is
what Flask-Limiter would otherwise need to be right. A successful login
does not reset the count, so guessing between one's own valid logins gains nothing.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
from collections import deque
from collections.abc import Callable

from flask import Flask, Response, current_app

__all__ = ["CSP", "LoginLimiter", "init_app", "limiter", "style_hashes"]

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


class LoginLimiter:
    """Failed logins per key within a sliding window; thread-safe (waitress has threads)."""

    def __init__(
        self, attempts: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.attempts = attempts
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]  # keep the table small: only keys with recent failures
            return deque()
        return failures

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again; 0 when it may try now."""
        with self._lock:
            now = self.clock()
            failures = self._recent(key, now)
            if len(failures) < self.attempts:
                return 0
            return max(1, int(failures[0] + self.window - now + 0.999))

    #: Above this many addresses, forget those whose failures are all old.
    PURGE_AT = 10_000

    def failed(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            if len(self._failures) >= self.PURGE_AT:
                for old in list(self._failures):
                    self._recent(old, now)
            failures = self._recent(key, now)
            failures.append(now)
            self._failures[key] = failures

    def __len__(self) -> int:
        """How many addresses have recent failures (memory stays bounded by the window)."""
        return len(self._failures)


def limiter() -> LoginLimiter:
    found: LoginLimiter = current_app.extensions["jarjesto_login_limiter"]
    return found


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

        # Exactly one proxy in front: trusting more would let a client forge its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    app.extensions["jarjesto_login_limiter"] = LoginLimiter(
        app.config["LOGIN_ATTEMPTS"], app.config["LOGIN_WINDOW"]
    )
    app.after_request(_headers)
