"""Finding 3 on the real path: browsers, a reverse proxy, ``jarjesto serve --behind-proxy``.

The tests of ``test_round2_web.py`` give the app ``X-Forwarded-For`` through
Flask's test client, past waitress. Here every request crosses the layers a
deployment has (docs/web.md): a client with an address of its own (127.0.0.2,
127.0.0.3: Linux answers on all of 127.0.0.0/8), a reverse proxy that appends
the client's address to ``X-Forwarded-For`` and says ``https`` as nginx does,
then waitress, ProxyFix and the login limiter. This failed while waitress
dropped the ``X-Forwarded-*`` headers as untrusted before ProxyFix saw them:
every client then had the proxy's address, and ten wrong passwords from one
locked out everyone.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .conftest import PASSWORD, make_workspace
from .server import serving

SITE = "jarjesto.example.fi"
ATTACKER = "127.0.0.2"
OTHER = "127.0.0.3"
#: Hop-by-hop headers a proxy does not pass on (RFC 9110, 7.6.1).
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"}


class _Proxy(BaseHTTPRequestHandler):
    """What nginx's ``proxy_set_header`` lines in docs/web.md do, for every method."""

    backend: tuple[str, int]

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        seen = self.headers.get("X-Forwarded-For")  # $proxy_add_x_forwarded_for
        client = self.client_address[0]
        headers["X-Forwarded-For"] = f"{seen}, {client}" if seen else client
        headers["X-Forwarded-Proto"] = "https"
        headers["X-Forwarded-Host"] = SITE
        headers["Host"] = SITE
        upstream = http.client.HTTPConnection(*self.backend, timeout=60)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP | {"content-length", "server", "date"}:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        finally:
            upstream.close()

    do_GET = do_POST = _forward

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def reverse_proxy(backend: str) -> Iterator[int]:
    """A reverse proxy on 127.0.0.1 (all loopback addresses) in front of ``backend``."""
    host, port = backend.removeprefix("http://").split(":")
    handler = type("Proxy", (_Proxy,), {"backend": (host, int(port))})
    server = ThreadingHTTPServer(("0.0.0.0", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


class Browser:
    """A browser at one address: keeps its session cookie, sends the Referer HTTPS pages need."""

    def __init__(self, address: str, proxy_port: int) -> None:
        self.address = address
        self.port = proxy_port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, **extra: str
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
        )
        headers = {"Accept-Language": "en", "Referer": f"https://{SITE}/login", **extra}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            from urllib.parse import urlencode

            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
            for value in answer.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, text
        finally:
            connection.close()

    def log_in(self, name: str, password: str, **extra: str) -> tuple[int, dict[str, str]]:
        status, _, page = self.request("GET", "/login")
        assert status == 200, page[:500]
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token, page[:2000]
        form = {"csrf_token": token.group(1), "name": name, "password": password}
        status, headers, _ = self.request("POST", "/login", form, **extra)
        return status, headers


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``jarjesto serve --behind-proxy`` on a workspace of its own, behind the proxy; its port."""
    path = str(tmp_path_factory.mktemp("proxied") / "ws.db")
    make_workspace(path)
    with (
        serving(path, env={"JARJESTO_BEHIND_PROXY": "1"}) as (base, _),
        reverse_proxy(base) as port,
    ):
        yield port


def test_finding_3_through_a_real_proxy_one_client_cannot_lock_out_another(
    proxied: int,
) -> None:
    attacker = Browser(ATTACKER, proxied)
    statuses = [attacker.log_in("eeva", f"guess-{n}")[0] for n in range(10)]
    assert statuses == [401] * 10
    assert attacker.log_in("eeva-typo", "guess")[0] == 429  # this address is spent
    other = Browser(OTHER, proxied)
    status, headers = other.log_in("aino", PASSWORD)
    assert status == 302, headers
    assert "Secure" in headers["set-cookie"]  # the session cookie travels only over HTTPS
    # The proxy said https and the site's name: links the app makes for others point there.
    status, _, body = other.request("GET", "/hsds/")
    assert status == 200, body[:500]
    assert json.loads(body)["profile"] == f"https://{SITE}/hsds/profile/"


def test_finding_3_a_client_cannot_forge_its_address_past_the_proxy(proxied: int) -> None:
    """The proxy appends the real address; one hop is trusted, so a forged
    ``X-Forwarded-For`` sent by the client itself is ignored."""
    forger = Browser("127.0.0.4", proxied)
    statuses = [
        forger.log_in("vera", f"guess-{n}", **{"X-Forwarded-For": f"198.51.100.{n}"})[0]
        for n in range(10)
    ]
    assert statuses == [401] * 10
    assert forger.log_in("vera-typo", "x", **{"X-Forwarded-For": "198.51.100.99"})[0] == 429


def test_the_proxy_path_is_what_docs_web_md_configures() -> None:
    """The headers the proxy above sets are the ones docs/web.md's nginx sets."""
    web = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text("utf-8")
    for line in (
        "proxy_set_header Host $host;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Forwarded-Host $host;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    ):
        assert line in web
