"""The web's cache: read once per data version, never stale, never one user's page for another.

Pages are compared by what a reader sees; the cache's ``loads`` counter
says how many times the dataset was read from the workspace.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import attrs
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core.files import sample_dataset
from jarjesto_core.model import Name
from jarjesto_core.workspace import open_workspace
from jarjesto_web.cache import Snapshot, data_cache
from jarjesto_web.pagination import page_window
from jarjesto_web.warm import warm
from threads import at_once

from .conftest import create, csrf_token, login

AREA = "/areas/14"
ORGANISATION = "pk-klubitalo"


def _text(client: FlaskClient, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return answer.get_data(as_text=True)


def _rename_in_workspace(location: str, name: str) -> None:
    with open_workspace(location) as ws:
        found = ws.get("organisations", ORGANISATION)
        renamed = attrs.evolve(found.record, name=Name(fi=name))
        ws.update("organisations", renamed, found.version, actor="test")


@pytest.fixture
def public(workspace_path: str) -> Flask:
    return create(workspace_path, PUBLIC=True)


def test_the_dataset_is_read_once_for_many_requests(public: Flask) -> None:
    client = public.test_client()
    for url in ("/", AREA, "/municipalities/167", "/organisations", AREA, "/"):
        _text(client, url)
    assert data_cache(public).loads == 1


def test_a_write_in_the_workspace_is_shown_on_the_next_request(
    public: Flask, workspace_path: str
) -> None:
    client = public.test_client()
    assert "Vanha nimi ry" not in _text(client, "/municipalities/167")

    _rename_in_workspace(workspace_path, "Vanha nimi ry")

    assert "Vanha nimi ry" in _text(client, "/municipalities/167")
    assert "Vanha nimi ry" in _text(client, f"/organisations/{ORGANISATION}")
    assert data_cache(public).loads == 2


def test_an_edit_through_the_web_form_is_shown_at_once(editor: FlaskClient) -> None:
    before = _text(editor, "/municipalities/167")
    assert "Uusi nimi ry" not in before
    page = _text(editor, f"/edit/organisations/{ORGANISATION}")
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    data = {
        "csrf_token": csrf_token(editor, f"/edit/organisations/{ORGANISATION}"),
        "version": version.group(1),
        "name_fi": "Uusi nimi ry",
        "languages": "fi",
        "scope": "local",
        "municipalities": "167",
    }
    assert editor.post(f"/edit/organisations/{ORGANISATION}", data=data).status_code == 302

    assert "Uusi nimi ry" in _text(editor, "/municipalities/167")
    assert "Uusi nimi ry" in _text(editor, "/organisations?q=uusi")


def test_an_api_write_is_shown_at_once(public: Flask, tokens: dict[str, str]) -> None:
    client = public.test_client()
    assert "Rajapinnan nimi ry" not in _text(client, "/municipalities/167")
    auth = {"Authorization": f"Bearer {tokens['editor']}"}
    found = client.get(f"/api/v1/organisations/{ORGANISATION}", headers=auth).get_json()
    record = {**found["record"], "name": {"fi": "Rajapinnan nimi ry"}}
    answer = client.put(
        f"/api/v1/organisations/{ORGANISATION}",
        json={"record": record, "version": found["version"]},
        headers=auth,
    )
    assert answer.status_code == 200, answer.get_json()

    assert "Rajapinnan nimi ry" in _text(client, "/municipalities/167")
    listed = client.get("/api/v1/organisations").get_json()["records"]
    assert {"fi": "Rajapinnan nimi ry"} in [r["name"] for r in listed]


def test_a_cli_import_from_another_process_is_shown(
    public: Flask, workspace_path: str, tmp_path: Path
) -> None:
    client = public.test_client()
    assert "Prosessin yhdistys ry" not in _text(client, "/municipalities/167")
    csv_file = tmp_path / "orgs.csv"
    csv_file.write_text(
        "id;name_fi;languages;scope;municipalities\r\n"
        "org-prosessi;Prosessin yhdistys ry;fi;local;Joensuu\r\n",
        encoding="utf-8",
    )
    subprocess.run(
        [sys.executable, "-m", "jarjesto_cli", "import", "-w", workspace_path,
         "organisations", str(csv_file)],
        check=True, capture_output=True,
    )  # fmt: skip

    assert "Prosessin yhdistys ry" in _text(client, "/municipalities/167")


def test_concurrent_first_requests_read_the_workspace_once(public: Flask) -> None:
    pages: list[str] = []
    clients = [public.test_client() for _ in range(8)]

    def reader(n: int) -> None:
        pages.append(_text(clients[n], AREA))

    at_once(8, reader)

    assert len(pages) == 8
    assert len(set(pages)) == 1
    assert data_cache(public).loads == 1


def test_one_users_page_never_reaches_another(public: Flask) -> None:
    anonymous, editor, viewer = (public.test_client() for _ in range(3))
    login(editor, "eeva")
    login(viewer, "vera")

    for url in ("/", AREA, "/municipalities/167"):
        mine = _text(editor, url)
        theirs = _text(viewer, url)
        nobody = _text(anonymous, url)
        token = re.search(r'name="csrf_token" value="([^"]+)"', mine)
        other_token = re.search(r'name="csrf_token" value="([^"]+)"', theirs)
        assert token
        assert other_token
        assert token.group(1) != other_token.group(1)
        assert "eeva (editor)" in mine
        assert 'href="/edit/"' in mine
        assert "vera (viewer)" in theirs
        for page, strangers in ((theirs, ("eeva",)), (nobody, ("eeva", "vera"))):
            assert token.group(1) not in page
            assert 'href="/edit/"' not in page
            for name in strangers:
                assert f"{name} (" not in page
        assert "csrf_token" not in nobody
        assert "/login?next=" in nobody
        # The same body for everyone: only the header differs.
        assert mine.split('<main id="main">')[1] == nobody.split('<main id="main">')[1]


def test_each_language_and_year_has_its_own_page(public: Flask) -> None:
    client = public.test_client()
    finnish = _text(client, "/?lang=fi")
    swedish = _text(client, "/?lang=sv")
    assert "Kunnat" in finnish
    assert "Kommuner" not in finnish
    assert "Kommuner" in swedish
    assert client.get(AREA, headers={"Accept-Language": "sv"}).status_code == 200
    assert "Kommuner" in _text(client, "/?lang=sv")
    earlier = _text(client, f"{AREA}?year=2023")
    assert '<option value="2023" selected>' in earlier
    assert '<option value="2023" selected>' not in _text(client, AREA)


def test_warming_reads_and_renders_before_the_first_request(public: Flask) -> None:
    warmed = warm(public)
    assert (warmed.organisations, warmed.year) == (len(sample_dataset().organisations), 2024)
    assert warmed.version == data_cache(public).current().version
    assert data_cache(public).loads == 1

    _text(public.test_client(), "/")

    assert data_cache(public).loads == 1


def test_jarjesto_warm_warms_the_app_as_it_is_made(
    workspace_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JARJESTO_WARM", "1")
    app = create(workspace_path, PUBLIC=True)
    assert data_cache(app).loads == 1
    _text(app.test_client(), "/")
    assert data_cache(app).loads == 1
    monkeypatch.setenv("JARJESTO_WARM", "0")
    assert data_cache(create(workspace_path)).loads == 0


def test_a_snapshot_computes_each_value_once() -> None:
    from jarjesto_core.model import Dataset

    snapshot = Snapshot(1, Dataset())
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return 42

    def ask(_: int) -> None:
        assert snapshot.value(("answer",), compute) == 42

    at_once(6, ask)
    assert calls == [1]


def test_a_snapshot_keeps_a_bounded_amount_of_html() -> None:
    from jarjesto_core.model import Dataset

    snapshot = Snapshot(1, Dataset(), fragment_chars=25)
    rendered: list[str] = []

    def render(text: str) -> str:
        rendered.append(text)
        return text

    snapshot.fragment("a", lambda: render("a" * 10))
    snapshot.fragment("b", lambda: render("b" * 10))
    snapshot.fragment("a", lambda: render("a" * 10))  # kept, and now the most recent
    snapshot.fragment("c", lambda: render("c" * 10))  # over the limit: "b" goes
    snapshot.fragment("a", lambda: render("a" * 10))
    snapshot.fragment("b", lambda: render("b" * 10))

    assert rendered == ["a" * 10, "b" * 10, "c" * 10, "b" * 10]


def test_serve_warms_the_cache_before_it_listens(workspace_path: str) -> None:
    import os
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    process = subprocess.Popen(
        [sys.executable, "-m", "jarjesto_cli", "--lang", "en", "serve", "-w", workspace_path,
         "--public", "--port", str(port)],
        env={**os.environ, "JARJESTO_SECRET_KEY": "warm-test",
             "JARJESTO_DISABLE_PLUGIN_AUTOLOAD": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        warmed = process.stdout.readline()
        listening = process.stdout.readline()
        organisations = len(sample_dataset().organisations)
        assert re.fullmatch(
            rf"Read the workspace \(data version \d+, {organisations} organisations\) "
            r"and assessed 2024 in \d+\.\d s\.\n",
            warmed,
        ), warmed
        assert listening == f"jarjesto: http://127.0.0.1:{port}/ (workspace {workspace_path})\n"
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    assert "Pohjois-Karjala" in answer.read().decode()
                break
            except OSError:
                threading.Event().wait(0.1)
        else:
            raise AssertionError("the server did not answer")
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


@given(pages=st.integers(1, 2000), data=st.data())
def test_the_register_links_a_window_of_pages(pages: int, data: st.DataObject) -> None:
    page = data.draw(st.integers(1, pages))
    window = page_window(page, pages)
    numbers = [p for p in window if p is not None]
    assert numbers == sorted(set(numbers))
    assert {1, page, pages} <= set(numbers)
    assert set(range(max(1, page - 3), min(pages, page + 3) + 1)) <= set(numbers)
    assert window[0] == 1
    assert window[-1] == pages
    # A gap stands for at least one page left out, and never two gaps in a row.
    for before, gap, after in zip(window, window[1:], window[2:], strict=False):
        if gap is None:
            assert before is not None
            assert after is not None
            assert after > before + 1
    if pages <= 11:
        assert window == list(range(1, pages + 1))
    assert len(window) <= 15


def test_a_long_register_links_nearby_pages_and_the_ends(workspace_path: str) -> None:
    client = create(workspace_path, PAGE_SIZE=1, PUBLIC=True).test_client()
    count = len(sample_dataset().organisations)
    page = _text(client, "/organisations?page=8&lang=en")
    linked = [int(p) for p in re.findall(r'href="/organisations\?[^"]*page=(\d+)"', page)]
    nav = page.split('class="pages">')[1]
    assert linked == [1, 2, *range(5, 12), count - 1, count]
    assert nav.count("…") == 2
    assert 'page=8" aria-current="page"' in page


def test_a_long_funding_table_is_shown_a_page_at_a_time(workspace_path: str) -> None:
    client = create(workspace_path, FUNDING_ROWS=1, PUBLIC=True).test_client()
    whole = _text(create(workspace_path, PUBLIC=True).test_client(), f"{AREA}?lang=en")
    rows = re.findall(r'<tr class="funding-[a-z_]+">.*?</tr>', whole, re.S)
    assert len(rows) == 3
    first = _text(client, f"{AREA}?lang=en")
    assert re.findall(r'<tr class="funding-[a-z_]+">.*?</tr>', first, re.S) == rows[:1]
    assert (
        "Rows 1–1 of 3 organisation services; every row is in the assessment downloads."
    ) in first
    assert 'href="/areas/14?lang=en&amp;funding_page=2"' in first
    second = _text(client, f"{AREA}?lang=en&funding_page=2")
    assert re.findall(r'<tr class="funding-[a-z_]+">.*?</tr>', second, re.S) == rows[1:2]
    assert "Rows 2–2 of 3" in second
    # Another year starts from the table's first page.
    assert 'name="funding_page"' not in second
    assert "Rows " not in whole
    assert client.get(f"{AREA}?funding_page=4").status_code == 404
    assert client.get(f"{AREA}?funding_page=x").status_code == 404


def test_a_page_kept_for_readers_not_logged_in_is_never_given_to_a_user(public: Flask) -> None:
    first = public.test_client()
    kept = _text(first, AREA)
    assert "Log out" not in _text(first, f"{AREA}?lang=en")
    editor = public.test_client()
    login(editor, "eeva")

    mine = _text(editor, AREA)

    assert "eeva (editor)" in mine
    assert 'name="csrf_token"' in mine
    assert mine != kept
    assert _text(public.test_client(), AREA) == kept


def test_a_message_waiting_for_a_reader_is_shown_to_them_alone(public: Flask) -> None:
    editor = public.test_client()
    login(editor, "eeva")
    _text(editor, "/?lang=en")  # the page for readers not logged in is not kept for them...
    _text(public.test_client(), "/?lang=en")  # ...but is for this one
    token = csrf_token(editor, "/edit/organisations/new")
    data = {
        "csrf_token": token,
        "id": "org-viesti",
        "name_fi": "Viestin yhdistys ry",
        "languages": "fi",
        "scope": "local",
        "municipalities": "167",
    }
    assert editor.post("/edit/organisations/new?lang=en", data=data).status_code == 302
    with editor.session_transaction() as session:
        session.pop("sid")  # logged out, the message still waiting

    page = _text(editor, "/?lang=en")

    assert "Saved Viestin yhdistys ry." in page
    assert "Log out" not in page
    assert "Saved Viestin yhdistys ry." not in _text(editor, "/?lang=en")
    assert "Saved Viestin yhdistys ry." not in _text(public.test_client(), "/?lang=en")


def test_a_refused_render_keeps_nothing() -> None:
    from jarjesto_core.model import Dataset

    snapshot = Snapshot(1, Dataset())

    def refuse() -> str:
        raise LookupError("no such page")

    with pytest.raises(LookupError):
        snapshot.fragment("missing", refuse)
    assert snapshot.fragment("missing", lambda: "found") == "found"


def test_values_carried_through_edits_are_those_of_a_fresh_read(
    public: Flask, workspace_path: str, tokens: dict[str, str]
) -> None:
    """Edits through this server carry the year counts, grant totals and coverage index
    into the next version; every page then reads as a server that starts afresh shows it."""
    from jarjesto_core.dated import DatedCounts
    from jarjesto_core.query import grant_totals
    from jarjesto_core.serialise import unstructure_record

    client = public.test_client()
    pages = (
        "/",
        AREA,
        "/municipalities/167",
        "/api/v1/assessment?party=area:14",
        "/organisations?q=uusi",
        "/organisations?kind=clubhouse",
    )
    for url in pages:
        _text(client, url)
    auth = {"Authorization": f"Bearer {tokens['editor']}"}
    data = sample_dataset()
    grant = next(
        a
        for a in data.agreements
        if a.kind.funds and a.annual_amount_eur is not None and a.party.code == "167"
    )
    hearing = data.hearings[0]
    cover = data.coverage[0]

    def put(collection: str, record: dict[str, object]) -> None:
        url = f"/api/v1/{collection}/{record['id']}"
        version = client.get(url, headers=auth).get_json()["version"]
        answer = client.put(url, json={"record": record, "version": version}, headers=auth)
        assert answer.status_code == 200, answer.get_json()

    def delete(collection: str, record_id: str) -> None:
        url = f"/api/v1/{collection}/{record_id}"
        version = client.get(url, headers=auth).get_json()["version"]
        answer = client.delete(f"{url}?version={version}", headers=auth)
        assert answer.status_code == 204, answer.get_data(as_text=True)

    # (edit, whether the grant totals are carried: not when the years charted move)
    edits = [
        # A grant's amount: its funder's totals are summed again, the rest kept.
        (
            lambda: put(
                "agreements", {**unstructure_record(grant), "annual_amount_eur": "123456.78"}
            ),
            True,
        ),
        # Its end moves past every year the data touched: the years move, all is summed again.
        (lambda: put("agreements", {**unstructure_record(grant), "end": "2030-12-31"}), False),
        # A new grant of another funder.
        (
            lambda: client.post(
                "/api/v1/agreements",
                json={"record": {**unstructure_record(grant), "id": "uusi", "party": "area:14"}},
                headers=auth,
            ),
            True,
        ),
        (lambda: delete("hearings", hearing.id), True),
        # An organisation renamed: the register's search index is built again.
        (
            lambda: put(
                "organisations",
                {**unstructure_record(data.organisations[0]), "name": {"fi": "Uusi nimi ry"}},
            ),
            True,
        ),
        # Coverage: the coverage index is built again, not carried.
        (
            lambda: put("coverage", {**unstructure_record(cover), "members": not cover.members}),
            True,
        ),
    ]
    for edit, carried in edits:
        edit()
        snapshot = data_cache(public).current()
        ds = snapshot.dataset
        assert snapshot.kept(("dated",)) == DatedCounts.of(ds)
        kept = snapshot.kept(("grant_ledger",))
        assert (kept is not None) is carried
        if kept is not None:
            assert kept.years == ds.years()
            sums = {funder: kept.totals(funder) for funder in kept.funders()}
            assert sums == grant_totals(ds, ds.years())
        fresh = create(workspace_path, PUBLIC=True).test_client()
        for url in pages:
            assert _text(client, url) == _text(fresh, url), url
    assert data_cache(public).loads == 1
