"""The web upload's "the file is complete": the same coverage as ``import --complete``."""

from __future__ import annotations

import html
import io
import re

from flask.testing import FlaskClient

from jarjesto_core.model import PartyRef
from jarjesto_core.workspace import open_workspace

from .conftest import csrf_token

LIST = "Hakija;euroa\nKontiolahden Kyläyhdistys ry;1 500\nLehmon Nuorisoseura ry;700\n"
MAPPING = (
    '[columns]\n"Hakija" = "organisation"\n"euroa" = "annual_amount_eur"\n'
    '[set]\nparty = "Kontiolahti"\nkind = "toiminta-avustus"\nstart = "2025"\n'
    '[organisations]\ncreate = true\nscope = "local"\nmunicipalities = "Kontiolahti"\n'
)
ORGANISATIONS = "Nimi;Kunnat;Toiminta-alue;Kielet\nUusi ry;Kontiolahti;paikallinen;suomi\n"
SOURCE = "https://example.invalid/kontiolahti/avustukset-2025"


def _upload(editor: FlaskClient, token: str, lang: str, **extra: str) -> tuple[int, str]:
    answer = editor.post(
        f"/upload?lang={lang}",
        data={
            "csrf_token": token,
            "collection": "agreements",
            "file": (io.BytesIO(LIST.encode()), "avustukset-2025.csv"),
            "mapping": (io.BytesIO(MAPPING.encode()), "avustukset.toml"),
            **extra,
        },
        content_type="multipart/form-data",
    )
    return answer.status_code, answer.get_data(as_text=True)


def test_a_complete_upload_previews_and_records_its_coverage(
    editor: FlaskClient, workspace_path: str
) -> None:
    token = csrf_token(editor, "/upload")
    assert 'name="complete"' in editor.get("/upload?lang=fi").get_data(as_text=True)
    status, page = _upload(editor, token, "sv", complete="1", source=SOURCE)
    assert status == 200, page
    assert (
        "täckning registrerad: materialet omfattar alla avtal för Kontiolax år 2025 "
        f"(källa: {SOURCE})"
    ) in page
    fields = dict(
        re.findall(r'name="(payload|mapping|filename|complete|source)" value="([^"]*)"', page)
    )
    assert fields["complete"] == "1"
    assert fields["source"] == SOURCE
    confirm = editor.post(
        "/upload/confirm", data={"csrf_token": token, "collection": "agreements", **fields}
    )
    assert confirm.status_code == 302
    with open_workspace(workspace_path) as ws:
        recorded = [c for c in ws.dataset().coverage if c.source == SOURCE]
        (coverage,) = recorded
        assert coverage.parties == (PartyRef.municipality("276"),)
        assert (coverage.start.isoformat(), coverage.end.isoformat()) == (
            "2025-01-01",
            "2025-12-31",
        )
        assert [e.actor for e in ws.log(collection="coverage", record_id=coverage.id)] == ["eeva"]


def test_an_upload_without_the_box_records_no_coverage(
    editor: FlaskClient, workspace_path: str
) -> None:
    token = csrf_token(editor, "/upload")
    with open_workspace(workspace_path) as ws:
        before = ws.dataset().coverage
    status, page = _upload(editor, token, "en")
    assert status == 200, page
    assert "coverage recorded" not in page
    fields = dict(re.findall(r'name="(payload|mapping|filename)" value="([^"]*)"', page))
    confirm = editor.post(
        "/upload/confirm", data={"csrf_token": token, "collection": "agreements", **fields}
    )
    assert confirm.status_code == 302
    with open_workspace(workspace_path) as ws:
        assert ws.dataset().coverage == before


def test_a_complete_organisation_list_without_parties_is_refused_by_name(
    editor: FlaskClient,
) -> None:
    token = csrf_token(editor, "/upload")
    answer = editor.post(
        "/upload?lang=fi",
        data={
            "csrf_token": token,
            "collection": "organisations",
            "file": (io.BytesIO(ORGANISATIONS.encode()), "jarjestot.csv"),
            "complete": "1",
        },
        content_type="multipart/form-data",
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "[complete]" in page
    assert 'name="complete" type="checkbox" value="1" checked' in page


# -- mappings saved in the workspace ---------------------------------------------


def test_a_mapping_saved_on_confirm_is_offered_for_next_years_list(
    editor: FlaskClient, workspace_path: str
) -> None:
    token = csrf_token(editor, "/upload")
    assert 'name="saved_mapping"' not in editor.get("/upload?lang=en").get_data(as_text=True)
    status, page = _upload(editor, token, "fi", complete="1", source=SOURCE)
    assert status == 200, page
    assert 'name="save_as"' in page
    fields = dict(
        re.findall(r'name="(payload|mapping|filename|complete|source)" value="([^"]*)"', page)
    )
    confirm = editor.post(
        "/upload/confirm",
        data={
            "csrf_token": token,
            "collection": "agreements",
            "save_as": "Kontiolahden avustukset",
            **fields,
        },
        follow_redirects=True,
    )
    assert confirm.status_code == 200
    assert "Kontiolahden avustukset" in confirm.get_data(as_text=True)
    with open_workspace(workspace_path) as ws:
        saved = ws.import_maps()
        assert list(saved) == ["Kontiolahden avustukset"]
        assert 'party = "Kontiolahti"' in saved["Kontiolahden avustukset"]
        # Next year's list is complete in the same way, for its own year and source.
        assert "[complete]" in saved["Kontiolahden avustukset"]
        assert SOURCE not in saved["Kontiolahden avustukset"]
        (entry,) = ws.log(record_id="import_map:Kontiolahden avustukset")
        assert entry.actor == "eeva"
        assert entry.action == "insert"
        coverage_before = len(ws.dataset().coverage)
    # Next year: the list alone (its year in a column), the saved mapping chosen by name.
    form = editor.get("/upload?lang=sv").get_data(as_text=True)
    assert '<option value="Kontiolahden avustukset">' in form
    next_year = "Hakija;euroa;Alkaa\nKontiolahden Kyläyhdistys ry;1 600;2026\n"
    answer = editor.post(
        "/upload?lang=en",
        data={
            "csrf_token": token,
            "collection": "agreements",
            "file": (io.BytesIO(next_year.encode()), "avustukset-2026.csv"),
            "saved_mapping": "Kontiolahden avustukset",
        },
        content_type="multipart/form-data",
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200, page
    assert "coverage recorded: the data include all agreements of Kontiolahti for 2026" in page
    fields = dict(re.findall(r'name="(payload|mapping|filename)" value="([^"]*)"', page))
    confirm = editor.post(
        "/upload/confirm", data={"csrf_token": token, "collection": "agreements", **fields}
    )
    assert confirm.status_code == 302
    with open_workspace(workspace_path) as ws:
        data = ws.dataset()
        assert len(data.coverage) == coverage_before + 1
        assert data.coverage[-1].source == "avustukset-2026.csv"
        assert any(a.id == "kontiolahden-kylayhdistys-2026" for a in data.agreements)


def test_a_bad_mapping_name_adds_nothing(editor: FlaskClient, workspace_path: str) -> None:
    token = csrf_token(editor, "/upload")
    status, page = _upload(editor, token, "en")
    assert status == 200, page
    fields = dict(re.findall(r'name="(payload|mapping|filename)" value="([^"]*)"', page))
    with open_workspace(workspace_path) as ws:
        before = ws.dataset()
    confirm = editor.post(
        "/upload/confirm?lang=en",
        data={"csrf_token": token, "collection": "agreements", "save_as": "x" * 81, **fields},
    )
    assert confirm.status_code == 400
    assert "a mapping's name is 1 to 80 characters of plain text" in html.unescape(
        confirm.get_data(as_text=True)
    )
    with open_workspace(workspace_path) as ws:
        assert ws.dataset() == before
        assert ws.import_maps() == {}


def test_an_unknown_saved_mapping_is_named(editor: FlaskClient) -> None:
    token = csrf_token(editor, "/upload")
    answer = editor.post(
        "/upload?lang=en",
        data={
            "csrf_token": token,
            "collection": "agreements",
            "file": (io.BytesIO(LIST.encode()), "avustukset.csv"),
            "saved_mapping": "ei ole",
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    assert "No mapping of that name is saved in the workspace." in answer.get_data(as_text=True)
