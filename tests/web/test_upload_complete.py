"""The web upload's "the file is complete": the same coverage as ``import --complete``."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient
from tests.web.conftest import csrf_token

from jarjesto_core.model import PartyRef
from jarjesto_core.workspace import open_workspace

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
