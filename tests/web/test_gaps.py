"""The blind-spot view (issue 25, item 1): reached from the overview, filtered in the URL,
ending at a responsibility-agreement form that makes the blind spot go when saved."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient

from .conftest import csrf_token, login


def _get(client: FlaskClient, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return answer.get_data(as_text=True)


def _text(page: str) -> str:
    """What a reader sees: the body's text without tags, scripts or attributes."""
    body = page.split("<main", 1)[1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def _matrix(page: str) -> dict[str, dict[str, str]]:
    """The matrix as {municipality: {kind: cell text}}."""
    table = re.search(r'<table class="matrix">(.*?)</table>', page, re.S)
    assert table, page
    heads = [html.unescape(h) for h in re.findall(r'<th scope="col">([^<]*)</th>', table.group(1))][
        1:
    ]
    found = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table.group(1), re.S):
        name = html.unescape(re.sub(r"<[^>]+>", "", row.split("</th>")[0]))
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c))
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        found[name] = dict(zip(heads, cells, strict=True))
    return found


def test_the_overview_links_each_subjects_blind_spots_in_one_click(editor: FlaskClient) -> None:
    page = _get(editor, "/?lang=en&year=2024")
    assert '<th scope="col">Blind spots</th>' in page
    # Southwest Finland has two blind spots in 2024 (Turku's meeting place, Pargas's peer support)
    link = re.search(r'<a href="(/areas/05/blind-spots[^"]*)" aria-label="2 blind spots in ', page)
    assert link, page
    assert "year=2024" in link.group(1)
    assert _matrix(_get(editor, html.unescape(link.group(1))))


def test_the_area_view_counts_blind_spots_by_municipality_and_kind(editor: FlaskClient) -> None:
    page = _get(editor, "/areas/05/blind-spots?lang=en&year=2024")
    assert _matrix(page) == {
        "Pargas": {"meeting place": "", "peer support": "1 blind spot"},
        "Turku": {"meeting place": "1 blind spot", "peer support": ""},
    }
    text = _text(page)
    # 5 pairs: the two blind spots, Turku's family club, and the after-care home in Malax
    # that Southwest Finland buys for residents of Turku and Pargas (its catchment).
    assert "2 of 5 (municipality, service) pairs shown." in text
    # names, never ids or codes
    assert "svc-tku-kohtaamo" not in text
    assert "meeting_place" not in text
    assert "Turku Example Meeting Place Association (example)" in text
    # the map colours the two municipalities and names their counts
    assert "<title>Turku: 1 blind spot</title>" in page


def test_filters_live_in_the_url(editor: FlaskClient) -> None:
    page = _get(editor, "/areas/05/blind-spots?lang=en&year=2024&kind=meeting_place")
    assert _matrix(page) == {"Turku": {"meeting place": "1 blind spot"}}
    page = _get(editor, "/areas/05/blind-spots?lang=en&year=2024&municipality=445")
    assert list(_matrix(page)) == ["Pargas"]
    # a status chosen: only the pairs in order (the family club in Turku, the after-care
    # home bought for residents of Turku and Pargas)
    page = _get(editor, "/areas/05/blind-spots?lang=en&year=2024&status=ok")
    care = "social welfare or health care service"
    assert _matrix(page) == {
        "Pargas": {"family activities": "", care: "1 in order"},
        "Turku": {"family activities": "1 in order", care: "1 in order"},
    }
    # each cell's link keeps the filter and narrows to its municipality and kind
    page = _get(editor, "/areas/05/blind-spots?lang=en&year=2024&status=blind_spot")
    assert (
        'href="/areas/05/blind-spots?year=2024&amp;status=blind_spot&amp;municipality=853'
        '&amp;kind=meeting_place#services"' in page
    )
    # an unknown status is ignored: the default view, not an error
    assert _matrix(_get(editor, "/areas/05/blind-spots?lang=en&year=2024&status=nonsense"))


def test_a_municipality_has_its_own_view(editor: FlaskClient) -> None:
    page = _get(editor, "/municipalities/853/blind-spots?lang=en&year=2024")
    assert _matrix(page) == {"Turku": {"meeting place": "1 blind spot"}}
    assert 'name="municipality"' not in page  # no municipality filter for one municipality
    assert editor.get("/municipalities/999/blind-spots").status_code == 404
    assert editor.get("/areas/77/blind-spots").status_code == 404


def test_what_to_agree_on_links_a_prefilled_form_that_removes_the_blind_spot(
    editor: FlaskClient,
) -> None:
    page = _get(editor, "/areas/05/blind-spots?lang=en&year=2024&kind=meeting_place")
    text = _text(page)
    assert "Turku: meeting place" in text
    assert "Turku €9,000 a year" in text  # its current funder and amount
    form_url = html.unescape(
        re.search(r'<a class="button" href="(/edit/responsibilities/new\?[^"]+)">', page).group(1)
    )
    form = _get(editor, form_url)
    assert '<option value="853" selected>Turku</option>' in form
    assert re.search(r'<option value="05" selected>[^<]+</option>', form)
    assert 'name="start" value="1.1.2024"' in form
    # the kind to agree on comes first, before the other kinds (folded away)
    first = form.index('name="assignments__')
    assert form[first:].startswith('name="assignments__meeting_place"')
    token = csrf_token(editor, form_url)
    answer = editor.post(
        "/edit/responsibilities/new",
        data={
            "csrf_token": token,
            "id": "resp-turku-2024",
            "municipality": "853",
            "area": "05",
            "start": "1.1.2024",
            "assignments__meeting_place": "municipality",
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    after = _get(editor, "/areas/05/blind-spots?lang=en&year=2024")
    assert _matrix(after) == {"Pargas": {"peer support": "1 blind spot"}}


def test_swedish_view_speaks_swedish(editor: FlaskClient) -> None:
    text = _text(_get(editor, "/areas/05/blind-spots?lang=sv&year=2024"))
    assert "blind spot" not in text
    assert "meeting place" not in text
    assert "Vad som borde avtalas" in text
    assert "Åbo: 1 blind fläck" in text or "1 blind fläck" in text


def test_the_year_stays_in_the_links(editor: FlaskClient) -> None:
    page = _get(editor, "/areas/05?lang=en&year=2025")
    assert 'href="/municipalities/853?year=2025"' in page
    assert 'href="/areas/05/blind-spots?year=2025"' in page
    overview = _get(editor, "/?lang=en&year=2023")
    assert 'href="/areas/05?year=2023"' in overview
    # without a year in the URL, links carry none (the default year applies)
    assert 'href="/areas/05"' in _get(editor, "/?lang=en")


def test_scores_are_formatted_for_the_reader(client: FlaskClient) -> None:
    login(client, "vera")
    fi = _text(_get(client, "/?lang=fi&year=2024"))
    sv = _text(_get(client, "/?lang=sv&year=2024"))
    en = _text(_get(client, "/?lang=en&year=2024"))
    # fi/sv: decimal comma and a (no-break) space before the sign; en: a point and no space
    assert re.search(r"\d,\d\s%", fi), fi
    assert re.search(r"\d,\d\s%", sv), sv
    assert not re.search(r"\d\.\d ?%", fi + sv)
    assert re.search(r"\d\.\d%", en), en
