"""Web security: who may reach what, CSRF, XSS, cookies, headers, login brake, uploads, secrets."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import EnvironBuilder, TestResponse

from jarjesto_web import ConfigError
from jarjesto_web.security import CSP

from .conftest import PASSWORD, ROOT, USERS, create

ROLES = ("anonymous", "viewer", "editor", "admin", "public")
READERS = frozenset({"viewer", "editor", "admin", "public"})
EDITORS = frozenset({"editor", "admin"})
ADMINS = frozenset({"admin"})
EVERYONE = frozenset(ROLES)

#: endpoint -> (example path, {method: roles allowed}). Every route must be here:
#: a new route without an entry fails test_every_route_is_in_the_matrix.
MATRIX: dict[str, tuple[str, dict[str, frozenset[str]]]] = {
    "static": ("/static/style.css", {"GET": EVERYONE}),
    "pages.language": ("/language/sv", {"GET": EVERYONE}),
    "pages.overview": ("/", {"GET": READERS}),
    "pages.area": ("/areas/14", {"GET": READERS}),
    "pages.municipality": ("/municipalities/167", {"GET": READERS}),
    "pages.register": ("/organisations", {"GET": READERS}),
    "pages.organisation": ("/organisations/pk-klubitalo", {"GET": READERS}),
    "pages.rules": ("/rules", {"GET": READERS}),
    "gaps.area": ("/areas/14/blind-spots", {"GET": READERS}),
    "gaps.municipality": ("/municipalities/167/blind-spots", {"GET": READERS}),
    "edit.index": ("/edit/", {"GET": EDITORS}),
    "edit.records": ("/edit/hearings", {"GET": EDITORS}),
    "edit.new": ("/edit/hearings/new", {"GET": EDITORS, "POST": EDITORS}),
    "edit.record": ("/edit/hearings/no-such-id", {"GET": EDITORS, "POST": EDITORS}),
    "edit.delete": ("/edit/hearings/no-such-id/delete", {"GET": EDITORS, "POST": EDITORS}),
    "transfer.upload": ("/upload", {"GET": EDITORS, "POST": EDITORS}),
    "transfer.confirm": ("/upload/confirm", {"POST": EDITORS}),
    "transfer.organisations": ("/download/organisations.csv", {"GET": READERS}),
    "transfer.open_data": ("/download/opendata/popolo", {"GET": READERS}),
    "transfer.assessment": ("/download/assessment/area:14.json", {"GET": READERS}),
    "transfer.summary": ("/download/summary/area:14.html", {"GET": READERS}),
    "auth.login": ("/login", {"GET": EVERYONE, "POST": EVERYONE}),
    "auth.logout": ("/logout", {"POST": EVERYONE}),
    "api.list_records": ("/api/v1/hearings", {"GET": READERS, "POST": EDITORS}),
    "api.create_record": ("/api/v1/hearings", {"POST": EDITORS}),
    "api.get_record": (
        "/api/v1/hearings/no-such-id",
        {"GET": READERS, "PUT": EDITORS, "DELETE": EDITORS},
    ),
    "api.update_record": ("/api/v1/hearings/no-such-id", {"PUT": EDITORS}),
    "api.delete_record": ("/api/v1/hearings/no-such-id?version=1", {"DELETE": EDITORS}),
    "api.assessment": ("/api/v1/assessment?party=area:14", {"GET": READERS}),
    "api.openapi": ("/api/v1/openapi.json", {"GET": EVERYONE}),
    "hsds.index": ("/hsds/", {"GET": READERS}),
    "hsds.organizations": ("/hsds/organizations", {"GET": READERS}),
    "hsds.organization": ("/hsds/organizations/no-such-id", {"GET": READERS}),
    "hsds.services": ("/hsds/services?page=2", {"GET": READERS}),
    "hsds.service": ("/hsds/services/no-such-id", {"GET": READERS}),
    "hsds.openapi": ("/hsds/openapi.json", {"GET": READERS}),
    "hsds.profile": ("/hsds/profile/", {"GET": EVERYONE}),
    "hsds.profile_file": ("/hsds/profile/service.json", {"GET": EVERYONE}),
    "publisher.settings": ("/publisher", {"GET": ADMINS, "POST": ADMINS}),
}


def _csrf(client: FlaskClient, url: str = "/login") -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def _login(client: FlaskClient, name: str, password: str = PASSWORD) -> TestResponse:
    return client.post(
        "/login", data={"name": name, "password": password, "csrf_token": _csrf(client)}
    )


def _client(seeded: tuple[str, dict[str, str]], role: str) -> tuple[FlaskClient, dict[str, str]]:
    """A client acting as ``role``: a UI session and, for the API, the user's token."""
    path, tokens = seeded
    app = create(path, PUBLIC=role == "public", WTF_CSRF_ENABLED=True)
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    headers: dict[str, str] = {}
    if role in ("viewer", "editor", "admin"):
        name = {r: n for n, r in USERS}[role]
        assert _login(client, name).status_code == 302
        headers["Authorization"] = f"Bearer {tokens[role]}"
    return client, headers


def _allowed(answer: TestResponse) -> bool:
    assert answer.status_code < 500, answer.get_data(as_text=True)
    if answer.status_code in (401, 403):
        return False
    location = answer.headers.get("Location", "")
    return not (answer.status_code == 302 and "/login" in location)


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    routes = {
        rule.endpoint: rule.methods - {"HEAD", "OPTIONS"} for rule in app.url_map.iter_rules()
    }
    assert set(routes) == set(MATRIX), "add the new route to MATRIX with who may use it"
    for endpoint, methods in routes.items():
        for method in methods:
            assert any(
                method in m for e, (_, m) in MATRIX.items() if MATRIX[e][0] == MATRIX[endpoint][0]
            ), (endpoint, method)


@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(
    role: str, seeded: tuple[str, dict[str, str]], figures: dict[str, Any]
) -> None:
    client, headers = _client(seeded, role)
    checked = 0
    for endpoint, (path, methods) in MATRIX.items():
        for method, allowed in methods.items():
            data: dict[str, Any] = {}
            if method == "POST" and not path.startswith("/api/"):
                data["csrf_token"] = _csrf(client)
            if endpoint == "auth.logout":
                continue  # would end the session mid-test; checked last, below
            answer = client.open(
                path,
                method=method,
                data=data if data else None,
                json={"record": {}}
                if path.startswith("/api/") and method in ("POST", "PUT")
                else None,
                headers=headers if path.startswith("/api/") else {},
            )
            answer.close()
            assert _allowed(answer) == (role in allowed), (role, method, path, answer.status_code)
            checked += 1
    answer = client.post("/logout", data={"csrf_token": _csrf(client)})
    assert answer.status_code == 302
    figures.setdefault("security", {}).setdefault("route_checks", {})[role] = checked + 1


def test_every_form_needs_a_csrf_token(seeded: tuple[str, dict[str, str]]) -> None:
    client, _ = _client(seeded, "editor")
    forms = [(e, p) for e, (p, m) in MATRIX.items() if "POST" in m and not p.startswith("/api/")]
    for endpoint, path in forms:
        answer = client.post(path, data={"name": "eeva", "password": PASSWORD})
        assert answer.status_code == 400, endpoint
        assert "did not come from this site" in answer.get_data(as_text=True), endpoint
    # Every POST form in the templates carries the token.
    templates = Path(__file__).parents[2] / "src/jarjesto_web/templates"
    for template in templates.glob("*.html"):
        for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", template.read_text(), re.S):
            assert "csrf_token" in form, template.name


XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "{{ 7*7 }}<style>body{display:none}</style>",
]


def test_xss_payloads_render_inert(
    seeded: tuple[str, dict[str, str]], figures: dict[str, Any]
) -> None:
    from jarjesto_core.csvio import columns
    from jarjesto_core.model import COLLECTIONS

    client, headers = _client(seeded, "editor")
    rendered = 0
    for payload in XSS:
        # Every field of every form, echoed back with its problems.
        for collection in COLLECTIONS:
            cells = dict.fromkeys(columns(collection), payload)
            cells["csrf_token"] = _csrf(client)
            page = client.post(f"/edit/{collection}/new", data=cells).get_data(as_text=True)
            assert payload not in page, (collection, payload)
            assert 'href="javascript:' not in page
            rendered += 1
        # A stored record whose free text is the payload, on every page that shows it.
        record_id = f"xss-{hashlib.sha1(payload.encode()).hexdigest()[:8]}"
        record = {
            "id": record_id,
            "name": {"fi": payload, "sv": payload, "en": payload},
            "languages": ["fi"],
            "scope": "local",
            "municipalities": ["167"],
            "register_number": payload,
        }
        answer = client.post("/api/v1/organisations", json={"record": record}, headers=headers)
        assert answer.status_code == 201, answer.get_json()
        for url in (
            f"/organisations/{record_id}",
            "/organisations?q=xss",
            f"/edit/organisations/{record_id}",
            "/edit/organisations",
            "/municipalities/167",
        ):
            page = client.get(url).get_data(as_text=True)
            assert payload not in page, (url, payload)
            rendered += 1
        assert client.get(f"/api/v1/organisations/{record_id}").mimetype == "application/json"
    figures.setdefault("security", {})["xss"] = {"payloads": len(XSS), "renders": rendered}


def test_session_cookie_flags(seeded: tuple[str, dict[str, str]]) -> None:
    client = create(seeded[0]).test_client()
    cookie = _login(client, "vera").headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on 127.0.0.1 would lose the session
    proxied = create(seeded[0], BEHIND_PROXY=True).test_client()
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "jarjesto.example.fi"}
    page = proxied.get("/login", headers=https).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token
    answer = proxied.post(
        "/login?next=/rules",
        data={"name": "vera", "password": PASSWORD, "csrf_token": token.group(1)},
        headers={**https, "Referer": "https://jarjesto.example.fi/login"},
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    cookie = answer.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000"
    with proxied.application.test_request_context(headers=https):
        from flask import url_for

        assert url_for("pages.rules", _external=True).startswith("https://")


def test_security_headers_everywhere(seeded: tuple[str, dict[str, str]]) -> None:
    client, headers = _client(seeded, "viewer")
    for url in ("/", "/login", "/no-such-page", "/static/style.css", "/api/v1/hearings"):
        answer = client.get(url, headers=headers)
        csp = answer.headers["Content-Security-Policy"]
        assert csp == CSP, url
        assert "unsafe-inline" not in csp
        assert "script-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in answer.headers
        answer.close()


def test_templates_have_no_inline_script_or_style() -> None:
    templates = Path(__file__).parents[2] / "src/jarjesto_web/templates"
    for template in templates.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script|<style|\sstyle=|\son[a-z]+=|javascript:", text), template


def test_the_html_report_allows_exactly_its_own_styles(seeded: tuple[str, dict[str, str]]) -> None:
    client, _ = _client(seeded, "viewer")
    answer = client.get("/download/assessment/area:14.html")
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert "<script" not in body
    styles = re.findall(r"<style>(.*?)</style>", body, re.S)
    assert styles
    expected = [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in styles
    ]
    csp = answer.headers["Content-Security-Policy"]
    assert f"style-src 'self' {' '.join(expected)};" in csp
    assert "unsafe-inline" not in csp
    assert "script-src 'none'" in csp


def test_failed_logins_are_braked_per_address_and_account(
    seeded: tuple[str, dict[str, str]], figures: dict[str, Any]
) -> None:
    client = create(seeded[0], LOGIN_ATTEMPTS=3).test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for _ in range(3):
        assert _login(client, "vera", "väärin").status_code == 401
    refused = _login(client, "vera")  # the right password, after the limit
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 300
    assert "Too many failed logins" in refused.get_data(as_text=True)
    assert client.get("/", follow_redirects=False).status_code == 302  # not logged in
    other = client.application.test_client()
    other.environ_base.update(REMOTE_ADDR="192.0.2.7")
    assert _login(other, "eeva").status_code == 302  # another address, another account
    elsewhere = client.application.test_client()
    elsewhere.environ_base.update(REMOTE_ADDR="192.0.2.8")
    assert _login(elsewhere, "vera").status_code == 429  # the account is braked too
    figures.setdefault("security", {})["login_attempts_before_429"] = 3


def test_login_limiter_window(tmp_path: Path) -> None:
    from jarjesto_core.workspace import logins, open_workspace

    with open_workspace(str(tmp_path / "ws.db")) as ws:
        ws.init()
        now = 1000.0

        def reserve(key: str) -> logins.Reservation:
            return logins.reserve(ws, [key], attempts=2, window=60, now=now)

        assert reserve("a").granted
        assert reserve("a").granted
        assert reserve("a").retry_after == 60
        assert reserve("b").granted
        now += 30
        assert reserve("a").retry_after == 30
        now += 30
        assert reserve("a").granted
        # A right password releases its attempt: it is not a failure.
        logins.release(ws, reserve("a"))
        assert reserve("a").granted
        # Old attempts are forgotten, so the table stays bounded by the window.
        now += 61
        reserve("e")
        with ws.engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT count(*) FROM login_attempts").scalar()
        assert rows == 1


def _upload(client: FlaskClient, name: str, data: bytes) -> TestResponse:
    builder = EnvironBuilder(
        path="/upload",
        method="POST",
        data={
            "collection": "hearings",
            "csrf_token": _csrf(client, "/upload"),
            "file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    environ = builder.get_environ()
    builder.close()
    try:
        answer = client.open(environ)
        answer.get_data()
        answer.close()
        return answer
    finally:
        environ["wsgi.input"].close()  # a large body is spooled to a file the client leaves open


def test_uploads_are_limited_in_size_and_type(seeded: tuple[str, dict[str, str]]) -> None:
    client, _ = _client(seeded, "editor")
    big = _upload(client, "big.csv", b"id;party\n" + b"x" * (9 * 1024 * 1024))
    assert big.status_code == 413
    assert "The file is too large" in big.get_data(as_text=True)
    image = _upload(client, "kuva.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert image.status_code == 400
    assert "kuva.png is not a CSV file: upload a .csv file." in image.get_data(as_text=True)
    binary = _upload(client, "data.csv", b"\x00\x01\x02\xff\xfe" * 50)
    assert binary.status_code == 400
    assert "data.csv" in binary.get_data(as_text=True)
    small = create(seeded[0], MAX_CONTENT_LENGTH=1024).test_client()
    assert _login(small, "eeva").status_code == 302
    assert _upload(small, "h.csv", b"id;party\n" + b"y" * 2048).status_code == 413


SECRET_PATTERNS = [
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"AKIA[0-9A-Z]{16}"),
    # A key written into the code; "$(...)" is the documented way to make one.
    re.compile(r"""SECRET_KEY['"]?\s*[:=]\s*['"][^'"$]{4,}['"]"""),
    re.compile(r"""(?i)password\s*=\s*['"][^'"]{6,}['"]"""),
]


def test_no_secrets_or_default_keys_in_the_repository() -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.split(b"\0")
    found = []
    for name in filter(None, (f.decode() for f in files)):
        if name.startswith("tests/") or "/tests/" in name:
            continue  # test fixtures use throwaway passwords on purpose
        path = ROOT / name
        if not path.is_file() or path.suffix in (".png", ".mo", ".db", ".gz", ".zip"):
            continue
        text = path.read_text("utf-8", errors="replace")
        found += [(name, p.pattern) for p in SECRET_PATTERNS if p.search(text)]
    assert found == []


def test_no_default_secret_key_outside_testing(seeded: tuple[str, dict[str, str]]) -> None:
    from jarjesto_core.plugins import get_plugin_manager
    from jarjesto_web import create_app

    with pytest.raises(ConfigError, match="JARJESTO_SECRET_KEY is not set"):
        create_app({"WORKSPACE": seeded[0]}, pm=get_plugin_manager(load_entrypoints=False))


def test_behind_proxy_from_the_environment_and_the_cli(
    seeded: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from jarjesto_cli.cli import cli

    monkeypatch.setenv("JARJESTO_BEHIND_PROXY", "1")
    app = create(seeded[0])
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["PREFERRED_URL_SCHEME"] == "https"
    monkeypatch.setenv("JARJESTO_BEHIND_PROXY", "0")
    assert create(seeded[0]).config["SESSION_COOKIE_SECURE"] is False
    help_text = CliRunner().invoke(cli, ["serve", "--help"]).output
    assert "--behind-proxy" in help_text
