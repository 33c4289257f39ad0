"""Round two of hardening (issue 28): the web UI, the API and ``jarjesto serve``, by finding.

Each test names its finding; each failed on the main of 2026-12-06 and passes now.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from threads import at_once

from .conftest import PASSWORD, create, make_workspace
from .server import cli, free_port, request

ORG = {
    "id": "uusi",
    "name": {"fi": "Uusi ry"},
    "languages": ["fi"],
    "scope": "local",
    "municipalities": ["167"],
}


@pytest.fixture
def fresh(tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A workspace of this test's own: logins and sessions are kept in the workspace."""
    path = str(tmp_path / "ws.db")
    return path, make_workspace(path)


def _login(client: FlaskClient, name: str, password: str = PASSWORD, **kw: Any) -> int:
    return client.post("/login", data={"name": name, "password": password}, **kw).status_code


def _app(path: str, **config: Any) -> Flask:
    return create(path, WTF_CSRF_ENABLED=False, **config)


# -- finding 2: a lone surrogate through the API --------------------------------------------


@pytest.mark.parametrize("bad", ["\ud800", "\x00", "\x1b[2J"])
def test_finding_2_the_api_refuses_invalid_text(
    fresh: tuple[str, dict[str, str]], bad: str
) -> None:
    import json

    path, tokens = fresh
    client = _app(path).test_client()
    body = json.dumps({"record": {**ORG, "name": {"fi": f"Uusi{bad} ry"}}})  # "\ud800" escaped
    answer = client.post(
        "/api/v1/organisations",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {tokens['editor']}"},
    )
    assert answer.status_code == 400
    assert "name" in answer.get_data(as_text=True)
    for url in ("/organisations/uusi", "/edit/organisations", "/download/organisations.csv"):
        client.get(url)  # nothing stored: nothing to break
    assert client.get("/api/v1/organisations/uusi").status_code in (401, 404)


# -- finding 3: the login limiter behind a proxy -----------------------------------------


def test_finding_3_behind_a_proxy_one_client_cannot_lock_out_the_others(
    fresh: tuple[str, dict[str, str]],
) -> None:
    app = _app(fresh[0], BEHIND_PROXY=True, LOGIN_ATTEMPTS=3)
    attacker = app.test_client()
    for n in range(5):
        _login(attacker, f"guess{n}", "wrong-password", headers={"X-Forwarded-For": "203.0.113.9"})
    assert _login(attacker, "guess9", "wrong", headers={"X-Forwarded-For": "203.0.113.9"}) == 429
    other = app.test_client()
    assert _login(other, "eeva", headers={"X-Forwarded-For": "198.51.100.7"}) == 302


def test_finding_3_the_limit_is_per_account_too(fresh: tuple[str, dict[str, str]]) -> None:
    app = _app(fresh[0], BEHIND_PROXY=True, LOGIN_ATTEMPTS=3)
    client = app.test_client()
    for n in range(3):
        address = {"X-Forwarded-For": f"192.0.2.{n}"}
        assert _login(client, "aino", "wrong-password", headers=address) == 401
    assert _login(client, "aino", "wrong", headers={"X-Forwarded-For": "192.0.2.99"}) == 429


def test_finding_3_concurrent_guesses_are_counted_atomically(
    fresh: tuple[str, dict[str, str]],
) -> None:
    app = _app(fresh[0], LOGIN_ATTEMPTS=10)
    statuses: list[int] = []

    def guess(n: int) -> None:
        statuses.append(_login(app.test_client(), "vera", f"wrong-{n}"))

    at_once(60, guess, timeout=120)
    assert statuses.count(401) == 10
    assert statuses.count(429) == 50


def test_finding_3_the_count_is_shared_between_processes(
    fresh: tuple[str, dict[str, str]],
) -> None:
    first = _app(fresh[0], LOGIN_ATTEMPTS=3).test_client()
    second = _app(fresh[0], LOGIN_ATTEMPTS=3).test_client()  # another server process's app
    for _ in range(3):
        assert _login(first, "vera", "wrong-password") == 401
    answer = second.post("/login", data={"name": "vera", "password": PASSWORD})
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) > 0


# -- finding 5: slowloris ------------------------------------------------------------------


@pytest.mark.slow
def test_finding_5_idle_connections_are_closed_and_others_answered(
    fresh: tuple[str, dict[str, str]],
) -> None:
    port = free_port()
    proc = cli(
        "serve", "-w", fresh[0], "--host", "127.0.0.1", "--port", str(port),
        "--connection-limit", "50", "--channel-timeout", "2",
    )  # fmt: skip
    idle: list[socket.socket] = []
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if request(f"{base}/api/v1/openapi.json", timeout=5)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        for _ in range(120):  # a slowloris: connections that never finish a request
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
            idle.append(sock)
        started = time.monotonic()
        status, _ = request(f"{base}/api/v1/openapi.json", timeout=30)
        assert status == 200
        assert time.monotonic() - started < 15
    finally:
        for sock in idle:
            sock.close()
        proc.terminate()
        proc.communicate(timeout=30)


def test_finding_5_serve_has_connection_limit_and_timeout_options() -> None:
    from click.testing import CliRunner

    from jarjesto_cli.cli import cli as jarjesto

    text = CliRunner().invoke(jarjesto, ["serve", "--help"]).output
    assert "--connection-limit" in text
    assert "--channel-timeout" in text
    assert "--proxy-hops" in text


# -- finding 6: the PostgreSQL password on the start-up line ----------------------------


def test_finding_6_the_start_up_line_masks_the_password() -> None:
    from jarjesto_cli.commands.web import startup_line

    line = startup_line("127.0.0.1", 8000, "postgresql://jarjesto:s3cr3t@db.example:5432/region")
    assert "s3cr3t" not in line
    assert "postgresql://jarjesto:***@db.example:5432/region" in line


# -- finding 9 (web): clear 400s, never 500 ------------------------------------------------


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/?year=%C2%B2", {400}),
        ("/organisations?page=%C2%B2", {404}),
        ("/areas/14?funding_page=%C2%B2", {404}),
        ("/?year=" + "9" * 5000, {400}),
        ("/organisations?page=" + "9" * 5000, {404}),
        ("/language/fi?next=/%0d%0aSet-Cookie:%20x=1", {302}),
    ],
)
def test_finding_9_odd_parameters_are_clear_errors(
    fresh: tuple[str, dict[str, str]], url: str, allowed: set[int]
) -> None:
    client = _app(fresh[0], PUBLIC=True).test_client()
    answer = client.get(url)
    assert answer.status_code in allowed
    assert "\r" not in answer.headers.get("Location", "")
    assert "\n" not in answer.headers.get("Location", "")


def test_finding_9_login_next_with_crlf_stays_on_the_site(
    fresh: tuple[str, dict[str, str]],
) -> None:
    client = _app(fresh[0]).test_client()
    answer = client.post(
        "/login?next=/%0d%0aLocation:%20http://evil.example/",
        data={"name": "eeva", "password": PASSWORD},
    )
    assert answer.status_code == 302
    assert "evil" not in answer.headers["Location"]


def test_finding_9_versions_that_are_not_numbers(fresh: tuple[str, dict[str, str]]) -> None:
    path, tokens = fresh
    app = _app(path)
    api = app.test_client()
    auth = {"Authorization": f"Bearer {tokens['editor']}"}
    for version in ("%C2%B2", "9" * 5000):
        answer = api.delete(f"/api/v1/organisations/pk-klubitalo?version={version}", headers=auth)
        assert answer.status_code == 400
    ui = app.test_client()
    assert _login(ui, "eeva") == 302
    for version in ("²", "9" * 5000):
        assert (
            ui.post(
                "/edit/organisations/pk-klubitalo/delete", data={"version": version}
            ).status_code
            == 400
        )
        assert (
            ui.post("/edit/organisations/pk-klubitalo", data={"version": version}).status_code
            == 400
        )
    update = {"record": {**ORG, "id": "pk-klubitalo"}, "version": True}
    assert (
        api.put("/api/v1/organisations/pk-klubitalo", json=update, headers=auth).status_code == 400
    )


@pytest.mark.parametrize(
    "body",
    [
        '{"record": ' + '{"a": ' * 100_000 + "1" + "}" * 100_001,
        '{"record": {"id": "uusi", "members": 100000000000000000000}}',
        '{"record": {"id": "uusi", "members": ' + "9" * 5000 + "}}",
        '{"record": {"id": "uusi", "id": "toinen"}}',
        '{"record": {"id": "uusi", "members": 1e20}}',
    ],
)
def test_finding_9_api_bodies_that_broke_the_server(
    fresh: tuple[str, dict[str, str]], body: str
) -> None:
    path, tokens = fresh
    client = _app(path).test_client()
    answer = client.post(
        "/api/v1/organisations",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {tokens['editor']}"},
    )
    assert answer.status_code == 400
    assert answer.get_json()["error"]["problems"]


def test_finding_9_members_too_large_names_the_field(fresh: tuple[str, dict[str, str]]) -> None:
    path, tokens = fresh
    client = _app(path).test_client()
    answer = client.post(
        "/api/v1/organisations",
        json={"record": {**ORG, "members": 10**20}},
        headers={"Authorization": f"Bearer {tokens['editor']}"},
    )
    assert answer.status_code == 400
    assert any("members" in p for p in answer.get_json()["error"]["problems"])


# -- finding 13: uploads that preview can be confirmed -----------------------------------


def _upload(client: FlaskClient, data: bytes) -> Any:
    """POST a file to /upload, closing the spooled request body the test client leaves open."""
    import io

    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(
        path="/upload",
        method="POST",
        data={"collection": "organisations", "file": (io.BytesIO(data), "o.csv")},
        content_type="multipart/form-data",
    )
    environ = builder.get_environ()
    builder.close()
    try:
        answer = client.open(environ)
        answer.get_data()
        answer.close()
        return answer
    finally:
        environ["wsgi.input"].close()


def test_finding_13_an_upload_that_previews_can_be_confirmed(
    fresh: tuple[str, dict[str, str]],
) -> None:
    import base64
    import re

    app = _app(fresh[0])
    client = app.test_client()
    assert _login(client, "eeva") == 302
    limit = app.config["UPLOAD_LIMIT"]
    header = "id;name_fi;languages;scope;municipalities\n"
    filler = "pitkä nimi " * 400  # few, long rows: the file is large, the import quick
    row = "org-{n:07d};Yhdistys {n} " + filler + "ry;fi;local;Joensuu\n"
    rows = []
    size = len(header)
    n = 0
    while size + len(row.format(n=n).encode()) * 2 < limit:  # close to the limit
        line = row.format(n=n)
        rows.append(line)
        size += len(line.encode())
        n += 1
    data = (header + "".join(rows)).encode()
    assert len(data) > limit - 2 * len(row.encode()) - 100
    preview = _upload(client, data)
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    payload = re.search(r'name="payload" value="([^"]+)"', preview.get_data(as_text=True))
    assert payload
    assert base64.b64decode(payload.group(1)) == data
    confirmed = client.post(
        "/upload/confirm",
        data={"collection": "organisations", "payload": payload.group(1), "filename": "o.csv"},
    )
    assert confirmed.status_code == 302
    # One byte more than the limit is refused at the preview, not after it.
    big = data + b"x" * (limit - len(data) + 1)
    refused = _upload(client, big)
    assert refused.status_code == 413


# -- finding 14: logout ends the session on the server --------------------------------


def test_finding_14_a_session_cookie_does_not_work_after_logout(
    fresh: tuple[str, dict[str, str]],
) -> None:
    app = _app(fresh[0])
    client = app.test_client()
    assert _login(client, "eeva") == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert client.get("/edit/").status_code == 200
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    answer = thief.get("/edit/")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]
    assert thief.get("/api/v1/organisations").status_code == 401


def test_finding_14_removing_a_user_ends_their_sessions_and_tokens(
    fresh: tuple[str, dict[str, str]],
) -> None:
    from jarjesto_core.workspace import open_workspace
    from jarjesto_core.workspace.users import remove_user

    path, tokens = fresh
    app = _app(path)
    client = app.test_client()
    assert _login(client, "eeva") == 302
    with open_workspace(path) as ws:
        remove_user(ws, "eeva")
    assert client.get("/edit/").status_code == 302
    auth = {"Authorization": f"Bearer {tokens['editor']}"}
    assert (
        client.post("/api/v1/organisations", json={"record": ORG}, headers=auth).status_code == 401
    )


# -- finding 12: a write no longer empties what the server keeps -----------------------


def test_finding_12_a_write_through_the_server_is_kept_not_read_back(
    fresh: tuple[str, dict[str, str]],
) -> None:
    from jarjesto_web.cache import data_cache

    path, tokens = fresh
    app = _app(path, PUBLIC=True)
    client = app.test_client()
    assert client.get("/organisations").status_code == 200
    cache = data_cache(app)
    loads = cache.loads
    answer = client.post(
        "/api/v1/organisations",
        json={"record": ORG},
        headers={"Authorization": f"Bearer {tokens['editor']}"},
    )
    assert answer.status_code == 201
    page = client.get("/organisations?q=Uusi")
    assert page.status_code == 200
    assert client.get("/api/v1/organisations/uusi").status_code == 200
    assert "uusi" in {o.id for o in cache.current().dataset.organisations}
    assert cache.loads == loads  # the server kept what it wrote; it did not read it all again


def test_finding_12_a_write_checks_what_it_touches_as_a_full_check_would() -> None:
    """Restricted validation (validate(only=affected(...))) finds exactly what validate finds,
    for the deletion and the change of every organisation and service of the sample."""
    import attrs

    from jarjesto_core.files import sample_dataset
    from jarjesto_core.reference import bundled_reference
    from jarjesto_core.validation import affected, validate

    sample = sample_dataset()
    reference = bundled_reference()
    assert validate(sample, reference) == ()
    for name in ("organisations", "services"):
        records = sample.collection(name)
        for record in records:
            changes = {
                "deleted": tuple(r for r in records if r is not record),
                "changed": tuple(
                    attrs.evolve(r, municipalities=r.municipalities[:1] or ("091",))
                    if r is record
                    else r
                    for r in records
                ),
            }
            for how, changed in changes.items():
                after = attrs.evolve(sample, **{name: changed})
                full = validate(after, reference)
                only = affected(after, {name: {record.id}})
                assert validate(after, reference, only=only) == full, (name, record.id, how)
