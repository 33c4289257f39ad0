"""Forms for people (issue 25, item 2): labels in the reader's language, selects, dates
as people write them, name pickers without JavaScript, every error at once, a delete
that asks first, and a stale edit that keeps the reader's input (test_pages)."""

from __future__ import annotations

import html
import re

import pytest
from flask.testing import FlaskClient

from jarjesto_core.files import sample_dataset
from jarjesto_core.forms import FIELD_LABELS, form_fields, label_of
from jarjesto_core.i18n import translate
from jarjesto_core.model import COLLECTIONS
from jarjesto_core.workspace import open_workspace

from .conftest import csrf_token


def _labels(page: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", m)).strip()
        for m in re.findall(
            r"<(?:label for=\"f-[^\"]+\"|legend)>(.*?)</(?:label|legend)>", page, re.S
        )
    ]


@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_every_field_of_every_collection_has_a_label_in_each_language(collection: str) -> None:
    for field in form_fields(collection):
        assert label_of(collection, field.name) != field.name, (collection, field.name)
        for lang in ("fi", "sv"):
            assert translate(field.label, lang) != field.label or field.label in (
                "Organisation",  # the same word in Swedish
            ), (collection, field.name, lang)
        for _value, choice in field.choices:
            same = choice == "EU"  # the same word in Finnish
            assert translate(choice, "fi") != choice or same, (collection, field.name, choice)


def test_a_vocabulary_is_a_select_a_list_of_words_check_boxes_and_yes_no_has_not_recorded() -> None:
    widgets = {f.name: f for f in form_fields("agreements")}
    assert widgets["kind"].widget == "select"
    assert ("operating_grant", "operating grant") in widgets["kind"].choices
    assert widgets["lots"].widget == "tristate"
    assert widgets["start"].widget == "date"
    assert widgets["organisation"].widget == "organisation"
    assert widgets["party"].widget == "party"
    organisations = {f.name: f for f in form_fields("organisations")}
    assert organisations["languages"].widget == "checkboxes"
    assert organisations["scope"].widget == "select"
    assert {f.name: f for f in form_fields("coordinators")}[
        "covers_organisations"
    ].widget == "yesno"
    assert set(FIELD_LABELS) >= {"id", "name_fi", "annual_amount_eur"}


def test_the_swedish_form_speaks_swedish(editor: FlaskClient) -> None:
    page = editor.get("/edit/agreements/new?lang=sv").get_data(as_text=True)
    labels = _labels(page)
    assert "Avtalstyp (obligatorisk)" in labels or "Avtalstyp" in " ".join(labels)
    assert "Finansiär" in " ".join(labels)
    for code in ("annual_amount_eur", "premises_terms", "kind", "party"):
        assert code not in labels
    assert '<option value="operating_grant">verksamhetsbidrag</option>' in page
    assert 'placeholder="1.2.2024"' in page
    assert '<datalist id="party-names">' in page


def _post_grant(client: FlaskClient, **fields: str) -> tuple[int, str]:
    token = csrf_token(client, "/edit/agreements/new")
    answer = client.post(
        "/edit/agreements/new?lang=en",
        data={"csrf_token": token, "kind": "operating_grant", "party": "Joensuu", **fields},
    )
    return answer.status_code, answer.get_data(as_text=True)


def test_every_error_comes_at_once_beside_its_field_and_names_are_offered(
    editor: FlaskClient,
) -> None:
    status, page = _post_grant(
        editor, organisation="klubitalo", start="31.2.2024", annual_amount_eur="lots"
    )
    assert status == 400
    errors = dict(re.findall(r'<span class="field-error" id="e-([a-z_]+)">([^<]+)</span>', page))
    assert set(errors) == {"organisation", "start", "annual_amount_eur"}
    assert "3 fields need fixing" in page
    # the picker found the organisation by part of its name and offers it to choose
    assert re.search(
        r'name="organisation__pick" value="pk-klubitalo"> Example Clubhouse Association', page
    )
    # what the reader typed stays
    assert 'value="31.2.2024"' in page
    assert 'value="klubitalo"' in page


def test_a_grant_entered_by_names_and_a_finnish_date_is_saved(
    editor: FlaskClient, workspace_path: str
) -> None:
    status, page = _post_grant(
        editor,
        organisation="Esimerkkiklubitalo ry",  # a whole name: no choice needed
        start="1.2.2024",
        annual_amount_eur="12 500",
    )
    assert status == 302, page
    with open_workspace(workspace_path) as ws:
        made = [a for a in ws.dataset().agreements if a.start.isoformat() == "2024-02-01"]
    (grant,) = made
    assert grant.organisation == "pk-klubitalo"
    assert str(grant.party) == "municipality:167"
    assert grant.id.startswith("operating-grant")  # made from what it is, not typed
    assert grant.lots is None  # not recorded, not "no"


def test_find_shows_the_matches_without_saving(editor: FlaskClient, workspace_path: str) -> None:
    token = csrf_token(editor, "/edit/services/new")
    answer = editor.post(
        "/edit/services/new?lang=fi",
        data={"csrf_token": token, "organisation": "outokummun", "_find": "organisation"},
    )
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    offered = re.findall(r'name="organisation__pick" value="([^"]+)"', page)
    assert offered == ["okp-kohtaamo", "okp-vertaistuki"]
    assert "Tarkoititko:" in page
    with open_workspace(workspace_path) as ws:
        assert len(ws.dataset().services) == len(sample_dataset().services)  # nothing saved
    token = csrf_token(editor, "/edit/services/new")
    answer = editor.post(
        "/edit/services/new",
        data={
            "csrf_token": token,
            "organisation": "outokummun",
            "organisation__pick": "okp-vertaistuki",
            "name_fi": "Uusi vertaisryhmä",
            "kind": "peer_support",
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    with open_workspace(workspace_path) as ws:
        (made,) = [s for s in ws.dataset().services if s.name.fi == "Uusi vertaisryhmä"]
    assert (made.id, made.organisation) == ("uusi-vertaisryhma", "okp-vertaistuki")


def test_delete_asks_first(editor: FlaskClient, workspace_path: str) -> None:
    token = csrf_token(editor, "/edit/organisations/new")
    editor.post(
        "/edit/organisations/new",
        data={
            "csrf_token": token,
            "id": "tmp",
            "name_fi": "Väliaikainen ry",
            "languages": ["fi", "sv"],
            "scope": "local",
            "municipalities": "Joensuu",
        },
    )
    form = editor.get("/edit/organisations/tmp?lang=en").get_data(as_text=True)
    assert 'href="/edit/organisations/tmp/delete"' in form
    assert '<button type="submit">Delete</button>' not in form  # no one-click delete
    ask = editor.get("/edit/organisations/tmp/delete?lang=fi").get_data(as_text=True)
    assert "Poistetaanko Väliaikainen ry?" in ask
    with open_workspace(workspace_path) as ws:
        assert ws.get("organisations", "tmp").record.languages == ("fi", "sv")
    token = csrf_token(editor, "/edit/organisations/tmp/delete")
    answer = editor.post("/edit/organisations/tmp/delete", data={"csrf_token": token})
    assert answer.status_code == 302
    assert editor.get("/organisations/tmp").status_code == 404
