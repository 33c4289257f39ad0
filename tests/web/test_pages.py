"""Flask test-client tests for every route: pages, auth, edits, uploads, downloads, errors."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from flask.testing import FlaskClient

from jarjesto_core.files import sample_dataset
from jarjesto_core.workspace import open_workspace
from jarjesto_web import ConfigError, create_app

from .conftest import PASSWORD, create, csrf_token, login

XSS = "<script>alert(1)</script>"


def _text(client: FlaskClient, url: str, status: int = 200) -> str:
    answer = client.get(url)
    assert answer.status_code == status, (url, answer.status_code)
    return answer.get_data(as_text=True)


def _blind_rows(page: str) -> list[str]:
    return re.findall(r'<tr class="funding-blind_spot">(.*?)</tr>', page, re.S)


# -- the factory -----------------------------------------------------------------


def test_outside_debug_a_secret_key_is_required(workspace_path: str) -> None:
    with pytest.raises(ConfigError, match="JARJESTO_SECRET_KEY is not set"):
        create_app({"WORKSPACE": workspace_path})


def test_a_workspace_is_required() -> None:
    with pytest.raises(ConfigError, match="no workspace"):
        create_app({"TESTING": True})


# -- reading ---------------------------------------------------------------------


def test_without_public_mode_a_visitor_is_sent_to_log_in(client: FlaskClient) -> None:
    answer = client.get("/organisations")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/login?next=/organisations")


def test_overview_draws_the_map_and_the_score_table(editor: FlaskClient) -> None:
    page = _text(editor, "/?lang=en")
    assert page.count('class="muni"') == 308
    assert page.count('class="area"') >= 21
    assert 'href="/areas/14"' in page
    assert "<table>" in page
    assert "Joensuu" in page
    assert "http://" not in page.split("<body>")[1].replace("http://www.w3.org", "")


def test_area_page_shows_members_findings_matrix_and_grants(editor: FlaskClient) -> None:
    page = _text(editor, "/areas/05?lang=en&year=2025")
    assert "Member municipalities" in page
    assert "Turku" in page
    assert "core.coordinator" not in page  # the rule's title, not its code
    assert "Organisation coordinator" in page or "organisation coordinator" in page
    rows = _blind_rows(page)
    assert len(rows) == 2
    assert any("Meeting place (example)" in r for r in rows)
    assert not any("svc-tku-kohtaamo" in r or "meeting_place" in r for r in rows)
    assert '<rect x="' in page
    assert "Grants by year and funder" in page


def test_municipality_page(editor: FlaskClient) -> None:
    page = _text(editor, "/municipalities/167?lang=en")
    assert "Joensuu" in page
    assert "pk-klubitalo" in page
    assert "Findings" in page


@pytest.mark.parametrize(
    "url", ["/areas/99", "/municipalities/999", "/organisations/nobody", "/organisations?page=9"]
)
def test_unknown_things_are_404(editor: FlaskClient, url: str) -> None:
    page = _text(editor, url + ("&" if "?" in url else "?") + "lang=en", 404)
    assert "Not found" in page


def test_a_bad_year_is_400(editor: FlaskClient) -> None:
    assert editor.get("/?year=1800").status_code == 400
    assert editor.get("/areas/14?year=abc").status_code == 400


def test_register_searches_filters_and_pages(workspace_path: str) -> None:
    client = create(workspace_path, PAGE_SIZE=5, PUBLIC=True).test_client()
    page = _text(client, "/organisations?lang=en")
    assert f"{len(sample_dataset().organisations)} organisations" in page
    assert re.search(r'href="/organisations\?[^"]*page=3"', page)
    page = _text(client, "/organisations?q=klubitalo&lang=en")
    assert "1 organisation ·" in page
    assert "pk-klubitalo" in page
    page = _text(client, "/organisations?area=14&kind=clubhouse&lang=en")
    assert "1 organisation ·" in page
    page = _text(client, "/organisations?language=sv&scope=local&lang=en")
    assert "pk-klubitalo" not in page


def test_organisation_page_joins_everything(editor: FlaskClient) -> None:
    page = _text(editor, "/organisations/pk-klubitalo?lang=en")
    for heading in ("Services", "Agreements", "Grant timeline", "Bodies", "Hearings"):
        assert f"<h2>{heading}</h2>" in page


def test_rules_page_lists_every_rule_with_sources_and_plugin(editor: FlaskClient) -> None:
    page = _text(editor, "/rules")
    assert page.count("<td>core.") >= 15
    assert "<td>core</td>" in page


def test_language_switch_keeps_the_choice(editor: FlaskClient) -> None:
    answer = editor.get("/language/sv?next=/rules")
    assert answer.headers["Location"] == "/rules"
    assert "<h1>Kriterier</h1>" in _text(editor, "/rules")
    assert "Kommuner enligt bedömningspoäng" in _text(editor, "/")
    editor.get("/language/fi?next=https://evil.example/")
    assert "Yleiskuva" in _text(editor, "/")
    assert editor.get("/language/de").status_code == 404


def test_accept_language_chooses_swedish(editor: FlaskClient) -> None:
    page = editor.get("/", headers={"Accept-Language": "sv-FI,sv;q=0.9"}).get_data(as_text=True)
    assert '<html lang="sv">' in page


# -- logging in ------------------------------------------------------------------


def test_wrong_password_is_refused(client: FlaskClient) -> None:
    token = csrf_token(client, "/login")
    answer = client.post(
        "/login?lang=en", data={"name": "eeva", "password": "wrong", "csrf_token": token}
    )
    assert answer.status_code == 401
    assert "Wrong user name or password." in answer.get_data(as_text=True)


def test_login_never_redirects_off_site(client: FlaskClient) -> None:
    token = csrf_token(client, "/login")
    answer = client.post(
        "/login?next=//evil.example/",
        data={"name": "eeva", "password": PASSWORD, "csrf_token": token},
    )
    assert answer.headers["Location"] == "/"


def test_a_post_without_a_csrf_token_is_refused(editor: FlaskClient) -> None:
    answer = editor.post("/edit/organisations/new?lang=en", data={"id": "x"})
    assert answer.status_code == 400
    assert "did not come from this site" in answer.get_data(as_text=True)


def test_logout(editor: FlaskClient) -> None:
    token = csrf_token(editor, "/")
    assert editor.post("/logout", data={"csrf_token": token}).status_code == 302
    assert editor.get("/organisations").status_code == 302


def test_a_viewer_cannot_edit(client: FlaskClient) -> None:
    login(client, "vera")
    assert client.get("/organisations").status_code == 200
    assert client.get("/edit/").status_code == 403
    assert client.get("/upload").status_code == 403


# -- editing ---------------------------------------------------------------------


def test_a_responsibility_agreement_removes_a_blind_spot(
    editor: FlaskClient, workspace_path: str
) -> None:
    assert editor.get("/edit/").status_code == 200
    assert editor.get("/edit/responsibilities").status_code == 200
    token = csrf_token(editor, "/edit/responsibilities/new")
    answer = editor.post(
        "/edit/responsibilities/new",
        data={
            "csrf_token": token,
            "id": "resp-turku-kohtaamo",
            "municipality": "Turku",
            "area": "05",
            "start": "1.1.2025",
            "assignments": "meeting_place=municipality",
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    rows = _blind_rows(_text(editor, "/areas/05?year=2025"))
    assert len(rows) == 1
    assert not any("Turku Example Meeting Place" in r for r in rows)
    with open_workspace(workspace_path) as ws:
        (entry,) = ws.log(record_id="resp-turku-kohtaamo")
    assert (entry.actor, entry.action) == ("eeva", "insert")


def test_errors_are_shown_beside_their_fields(editor: FlaskClient) -> None:
    token = csrf_token(editor, "/edit/agreements/new")
    answer = editor.post(
        "/edit/agreements/new?lang=en",
        data={
            "csrf_token": token,
            "id": "a-new",
            "kind": "operating_grant",
            "party": "municipality:167",
            "organisation": "pk-klubitalo",
            "start": "31.2.2025",
        },
    )
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    match = re.search(r'<span class="field-error" id="e-start">([^<]+)</span>', page)
    assert match, page
    assert 'value="31.2.2025"' in page


def test_a_reference_to_an_unknown_organisation_is_named(editor: FlaskClient) -> None:
    token = csrf_token(editor, "/edit/services/new")
    answer = editor.post(
        "/edit/services/new?lang=en",
        data={
            "csrf_token": token,
            "id": "svc-x",
            "organisation": "nobody",
            "name_fi": "Palvelu",
            "kind": "peer_support",
        },
    )
    assert answer.status_code == 400
    assert re.search(r'id="e-organisation">[^<]*nobody', answer.get_data(as_text=True))


def test_edit_and_delete_an_organisation(editor: FlaskClient, workspace_path: str) -> None:
    page = _text(editor, "/edit/organisations/pk-klubitalo")
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    token = csrf_token(editor, "/edit/organisations/pk-klubitalo")
    data = {
        "csrf_token": token,
        "version": version.group(1),
        "name_fi": "Uusi nimi ry",
        "languages": "fi",
        "scope": "local",
        "municipalities": "167",
    }
    assert editor.post("/edit/organisations/pk-klubitalo", data=data).status_code == 302
    assert "Uusi nimi ry" in _text(editor, "/organisations/pk-klubitalo")
    # The same (now stale) version again: a conflict, nothing changed.
    data["name_fi"] = "Toinen"
    stale = editor.post("/edit/organisations/pk-klubitalo?lang=en", data=data)
    assert stale.status_code == 409
    conflict = stale.get_data(as_text=True)
    assert "Someone else saved this record while you were editing it" in conflict
    # the reader's input stays, what the other saved is shown beside it
    assert 'name="name_fi" value="Toinen"' in conflict
    row = '<th scope="row">Name in Finnish</th><td>Uusi nimi ry</td><td>Toinen</td>'
    assert row in conflict
    newer = re.search(r'name="version" value="(\d+)"', conflict)
    assert newer
    assert newer.group(1) != version.group(1)
    assert "Uusi nimi ry" in _text(editor, "/organisations/pk-klubitalo")  # nothing overwritten
    # saving again with the newer version keeps the reader's value
    data["version"] = newer.group(1)
    assert editor.post("/edit/organisations/pk-klubitalo", data=data).status_code == 302
    assert "Toinen" in _text(editor, "/organisations/pk-klubitalo")
    # Still referred to by services and agreements: the deletion is refused.
    refused = editor.post("/edit/organisations/pk-klubitalo/delete", data={"csrf_token": token})
    assert refused.status_code == 400
    assert editor.get("/edit/nothing").status_code == 404
    assert editor.get("/edit/organisations/nobody").status_code == 404


def test_a_new_organisation_can_be_deleted(editor: FlaskClient) -> None:
    token = csrf_token(editor, "/edit/organisations/new")
    data = {
        "csrf_token": token,
        "id": "tmp",
        "name_fi": "T",
        "languages": "fi",
        "scope": "local",
        "municipalities": "167",
    }
    assert editor.post("/edit/organisations/new", data=data).status_code == 302
    answer = editor.post("/edit/organisations/tmp/delete", data={"csrf_token": token})
    assert answer.status_code == 302
    assert editor.get("/organisations/tmp").status_code == 404


def test_an_organisation_named_like_a_script_is_text_everywhere(editor: FlaskClient) -> None:
    token = csrf_token(editor, "/edit/organisations/new")
    data = {
        "csrf_token": token,
        "id": "xss",
        "name_fi": XSS,
        "languages": "fi",
        "scope": "local",
        "municipalities": "167",
    }
    assert editor.post("/edit/organisations/new", data=data).status_code == 302
    for url in (
        "/organisations",
        "/organisations/xss",
        "/municipalities/167",
        "/edit/organisations",
        "/edit/organisations/xss",
    ):
        page = _text(editor, url)
        assert XSS not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


# -- CSV upload and downloads ---------------------------------------------------


def test_upload_names_the_bad_row_and_adds_nothing(editor: FlaskClient) -> None:
    assert editor.get("/upload").status_code == 200
    token = csrf_token(editor, "/upload")
    csv = (
        "id;organisation;name_fi;kind\n"
        "svc-a;pk-klubitalo;A;peer_support\n"
        "svc-b;pk-klubitalo;B;no_such_kind\n"
    )
    answer = editor.post(
        "/upload?lang=en",
        data={
            "csrf_token": token,
            "collection": "services",
            "file": (io.BytesIO(csv.encode()), "services.csv"),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "services.csv: row 3" in page
    assert "no_such_kind" in page
    assert editor.get("/organisations/pk-klubitalo").get_data(as_text=True).count("<td>A</td>") == 0


def test_upload_previews_then_adds_on_confirm(editor: FlaskClient, workspace_path: str) -> None:
    token = csrf_token(editor, "/upload")
    csv = "id;organisation;name_fi;kind\nsvc-a;pk-klubitalo;Uusi ryhmä;support_group\n"
    answer = editor.post(
        "/upload?lang=en",
        data={
            "csrf_token": token,
            "collection": "services",
            "file": (io.BytesIO(csv.encode()), "services.csv"),
        },
        content_type="multipart/form-data",
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Uusi ryhmä" in page
    payload = re.search(r'name="payload" value="([^"]+)"', page)
    assert payload
    confirm = editor.post(
        "/upload/confirm",
        data={
            "csrf_token": token,
            "collection": "services",
            "filename": "services.csv",
            "payload": payload.group(1),
        },
    )
    assert confirm.status_code == 302
    with open_workspace(workspace_path) as ws:
        (entry,) = ws.log(record_id="svc-a")
    assert entry.actor == "eeva"
    bad = editor.post(
        "/upload/confirm", data={"csrf_token": token, "collection": "services", "payload": "!!"}
    )
    assert bad.status_code == 400
    assert editor.post("/upload", data={"csrf_token": token, "collection": "x"}).status_code == 400


def test_download_the_filtered_register(editor: FlaskClient) -> None:
    answer = editor.get("/download/organisations.csv?area=14")
    lines = answer.get_data(as_text=True).splitlines()
    assert lines[0].startswith("id;name_fi;")
    assert all(";" in line for line in lines[1:])
    assert len(lines) > 1
    data = editor.get("/download/organisations.json?q=klubitalo").get_json()
    assert [o["id"] for o in data] == ["pk-klubitalo"]
    assert editor.get("/download/organisations.xml").status_code == 404


@pytest.mark.parametrize(
    ("fmt", "inside"),
    [("hsds", "pk-klubitalo"), ("360giving", "ag-pk-klubitalo"), ("popolo", "structure/jane")],
)
def test_download_the_filtered_register_as_open_data(
    editor: FlaskClient, fmt: str, inside: str
) -> None:
    """The register page links each standard with its filters, and what comes is valid."""
    from jarjesto_core.opendata.validation import validate_export

    page = _text(editor, "/organisations?area=14&lang=en")
    assert f"/download/opendata/{fmt}?area=14" in page
    answer = editor.get(f"/download/opendata/{fmt}?area=14&year=2024")
    assert answer.status_code == 200
    if answer.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(answer.data)) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
    else:
        files = {answer.headers["Content-Disposition"].split(f"{fmt}-")[1]: answer.data}
    assert validate_export(fmt, files) == []
    text = b"".join(files.values()).decode()
    assert inside in text  # North Karelia's clubhouse, its grant, JANE
    assert "tre-nuoret" not in text  # Tampere is outside area 14
    assert editor.get("/download/opendata/xml").status_code == 404


@pytest.mark.parametrize(
    ("fmt", "marker"), [("html", "<html"), ("markdown", "# "), ("json", '"jarjesto-assessment"')]
)
def test_download_the_assessment(editor: FlaskClient, fmt: str, marker: str) -> None:
    answer = editor.get(f"/download/assessment/area:14.{fmt}?year=2025")
    assert answer.status_code == 200
    assert marker in answer.get_data(as_text=True)


def test_the_board_summary_is_one_click_from_the_area_and_municipality_pages(
    editor: FlaskClient,
) -> None:
    for page, party in (("/areas/14", "area:14"), ("/municipalities/167", "municipality:167")):
        body = editor.get(f"{page}?year=2025&lang=sv").get_data(as_text=True)
        link = f"/download/summary/{party}.html?year=2025"
        assert link in body
        summary = editor.get(link + "&lang=sv")
        assert summary.status_code == 200
        text = summary.get_data(as_text=True)
        assert "Sammanfattning för styrelsen".lower() in text.lower()
        assert "data:image/svg+xml;base64," in text  # the charts travel inside the page
        assert "unsafe-inline" not in summary.headers["Content-Security-Policy"]
        pdf = editor.get(f"/download/summary/{party}.pdf?year=2025")
        assert (pdf.status_code, pdf.mimetype, pdf.data[:5]) == (200, "application/pdf", b"%PDF-")
    assert editor.get("/download/summary/area:77.html").status_code == 404
    assert editor.get("/download/summary/area:14.docx").status_code == 404


def test_download_of_an_unknown_party_is_404(editor: FlaskClient) -> None:
    assert editor.get("/download/assessment/area:77.html").status_code == 404
    assert editor.get("/download/assessment/nonsense.html").status_code == 404
    assert editor.get("/download/assessment/area:14.pdf").status_code == 404


def test_an_unknown_url_is_an_html_404(client: FlaskClient) -> None:
    answer = client.get("/no/such/page")
    assert answer.status_code == 404
    assert answer.mimetype == "text/html"


def test_an_edit_list_comes_a_page_at_a_time_and_can_be_searched(
    workspace_path: str,
) -> None:
    services = [s.id for s in sample_dataset().services]
    editor = create(workspace_path, EDIT_PAGE_SIZE=3).test_client()
    login(editor, "eeva")

    def listed(page: str, collection: str = "services") -> list[str]:
        return [x for x in re.findall(rf'href="/edit/{collection}/([^"/]+)"', page) if x != "new"]

    first = _text(editor, "/edit/services?lang=en")
    assert listed(first) == services[:3]
    assert f"Records 1–3 of {len(services)}" in first
    pages = -(-len(services) // 3)
    assert f'href="/edit/services?page={pages}"' in first
    last = _text(editor, f"/edit/services?page={pages}&lang=en")
    assert listed(last) == services[(pages - 1) * 3 :]
    for bad in ("0", str(pages + 1), "x"):
        assert editor.get(f"/edit/services?page={bad}").status_code == 404
    # By id or by name, case and accents folded.
    by_id = _text(editor, "/edit/organisations?q=KLUBITALO&lang=en")
    assert listed(by_id, "organisations") == ["pk-klubitalo"]
    assert "Records 1–1 of 1" in by_id
    nothing = _text(editor, "/edit/agreements?q=no-such-thing&lang=en")
    assert listed(nothing, "agreements") == []
    assert "Records" not in nothing
    # The page links keep the search.
    many = _text(editor, "/edit/services?q=svc&lang=en")
    assert 'href="/edit/services?q=svc&amp;page=2"' in many


def test_upload_an_xlsx_list_with_a_mapping_warns_then_adds(
    editor: FlaskClient, workspace_path: str
) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Hakija", "euroa"])
    sheet.append(["Uusi Kyläyhdistys ry", 1500])
    sheet.append(["Harkinnanvaraiset avustukset, johtajan käytettäväksi", 900])
    buffer = io.BytesIO()
    workbook.save(buffer)
    mapping = (
        b'[columns]\n"Hakija" = "organisation"\n"euroa" = "annual_amount_eur"\n'
        b'[set]\nparty = "Joensuu"\nkind = "toiminta-avustus"\nstart = "2025"\n'
        b'[organisations]\ncreate = true\nscope = "local"\nmunicipalities = "Joensuu"\n'
    )
    token = csrf_token(editor, "/upload")
    answer = editor.post(
        "/upload?lang=fi",
        data={
            "csrf_token": token,
            "collection": "agreements",
            "file": (io.BytesIO(buffer.getvalue()), "avustukset.xlsx"),
            "mapping": (io.BytesIO(mapping), "avustukset.toml"),
        },
        content_type="multipart/form-data",
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200, page
    assert "rivi 3" in page  # the budget line's warning names its row
    assert "tiedostossa on 2 tietuetta (sopimukset); vuodet: 2025; rahoittajat: Joensuu" in page
    assert "Uusi Kyläyhdistys ry" in page
    fields = dict(re.findall(r'name="(payload|mapping|filename)" value="([^"]*)"', page))
    confirm = editor.post(
        "/upload/confirm",
        data={"csrf_token": token, "collection": "agreements", **fields},
    )
    assert confirm.status_code == 302
    with open_workspace(workspace_path) as ws:
        assert ws.get("organisations", "uusi-kylayhdistys").record.scope.value == "local"
        assert ws.get("agreements", "uusi-kylayhdistys-2025").record.annual_amount_eur == 1500
        (entry,) = ws.log(record_id="uusi-kylayhdistys-2025")
    assert entry.actor == "eeva"
