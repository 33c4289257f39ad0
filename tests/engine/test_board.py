"""The board summary (``jarjesto report``): its figures, its words, and its two A4 pages."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from jarjesto_core.files import sample_dataset
from jarjesto_core.model import PartyRef
from jarjesto_core.reference import Reference
from jarjesto_core.registry import Registry
from jarjesto_core.reports.board import BoardSummary, render_html, render_pdf, summarise_board

LANGS = ("fi", "sv", "en")
#: What must never show in a sentence a person reads (issue 23, "Done when").
CODES = re.compile(
    r"\b(?:municipality|area|joint|funder):\d+|\bsvc-|\bcore\.[a-z]|\b[a-z]+_[a-z_]+\b|\(s\)"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)


@pytest.fixture(scope="module")
def summary() -> BoardSummary:
    from jarjesto_core.plugins import get_plugin_manager
    from jarjesto_core.reference import bundled_reference
    from jarjesto_core.registry import build_registry

    registry = build_registry(get_plugin_manager(load_entrypoints=False))
    return summarise_board(
        sample_dataset(),
        2025,
        PartyRef.area("14"),
        registry=registry,
        reference=bundled_reference(),
    )


def visible_text(html: str) -> str:
    """The page's words: no markup, no embedded pictures, no style sheet."""
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    html = re.sub(r'src="data:[^"]*"', " ", html)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_figures_of_north_karelia_2025(summary: BoardSummary) -> None:
    assert (summary.organisations, summary.services) == (3, 3)
    assert summary.years == (2021, 2022, 2023, 2024, 2025)
    funders = [str(g.funder) for g in summary.grants]
    assert funders == ["area:14", "municipality:167", "municipality:309"]
    # Joensuu's grant went to the county in the reform; the county pays from 2023 on.
    county = summary.grants[0].amounts
    assert sorted(county) == [2023, 2024, 2025]
    assert all(kind in ("interruption", "cut") for _y, _i, kind in summary.marks)


@pytest.mark.parametrize(
    ("lang", "headings"),
    [
        ("fi", ["Mitä aineisto kattaa", "Pisteet (yhteiset kriteerit)", "Katvealueet",
                "Avustukset vuosittain", "Kriteerit, jotka eivät täyty", "Mistä pitäisi sopia"]),
        ("sv", ["Vad materialet omfattar", "Poäng (gemensamma kriterier)", "Blinda fläckar",
                "Bidrag per år", "Kriterier som inte är uppfyllda", "Vad som borde avtalas"]),
        ("en", ["What the data covers", "Score (core criteria)", "Blind spots",
                "Grants by year and funder", "Criteria not met", "What to agree on"]),
    ],
)  # fmt: skip
def test_the_page_says_it_in_order_and_in_words(
    summary: BoardSummary, lang: str, headings: list[str]
) -> None:
    html = render_html(summary, lang)
    assert f'<html lang="{lang}">' in html
    text = visible_text(html)
    positions = [text.find(h) for h in headings]
    assert -1 not in positions, (headings, positions)
    assert positions == sorted(positions)
    assert not CODES.findall(text), CODES.findall(text)
    # 50: 16 rules judged; the STEA-only peer support of Outokumpu is unfunded (funding
    # responsibility partial), and no hearing or appropriation of 2025 is recorded (not met).
    assert "50\xa0%" in text if lang != "en" else "50%" in text
    # Nothing is fetched: the charts and the map travel inside the page.
    assert not re.search(r"""(src|href)=["']?(https?:|//)|@import|url\(""", html)
    assert html.count("data:image/svg+xml;base64,") == 2


def test_plurals_for_one_and_many(summary: BoardSummary) -> None:
    from attrs import evolve

    one = evolve(summary, organisations=1, services=1, agreements=1)
    assert "Täällä toimii yksi järjestö." in visible_text(render_html(one, "fi"))
    assert "En organisation verkar här." in visible_text(render_html(one, "sv"))
    assert "One organisation works here." in visible_text(render_html(one, "en"))
    assert "Täällä toimii 3 järjestöä." in visible_text(render_html(summary, "fi"))
    assert "3 organisationer verkar här." in visible_text(render_html(summary, "sv"))


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_is_at_most_two_a4_pages(summary: BoardSummary, lang: str, tmp_path: Path) -> None:
    pdf = tmp_path / f"summary-{lang}.pdf"
    pdf.write_bytes(render_pdf(summary, lang))
    # Read back by poppler, an independent reader.
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert 1 <= pages <= 2
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M), info
    words = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert not CODES.findall(words), CODES.findall(words)


def test_a_subject_without_data_still_gets_a_summary(
    registry: Registry, reference: Reference
) -> None:
    from jarjesto_core.model import Dataset

    empty = summarise_board(Dataset(), 2025, PartyRef.municipality("475"), registry=registry,
                            reference=reference)  # fmt: skip
    text = visible_text(render_html(empty, "en"))
    assert "Malax" in text
    assert "The data has no organisation services working here." in text
    assert "– (no criterion could be judged)" in text or "judged" in text


@pytest.mark.parametrize(
    ("lang", "covered", "not_recorded"),
    [
        (
            "fi",
            "Pohjois-Karjalan hyvinvointialue, 2021–2025; lähde: keksitty esimerkkiaineisto",
            "Aineistoon ei ole kirjattu, mitä se kattaa.",
        ),
        (
            "en",
            "of North Karelia wellbeing services county, 2021–2025; source: keksitty",
            "The data does not record what it covers.",
        ),
    ],
)
def test_the_page_says_what_the_data_covers_for_the_subject(
    summary: BoardSummary, registry: Registry, reference: Reference, lang: str, covered: str,
    not_recorded: str,
) -> None:  # fmt: skip
    """The sample covers area 14's records: the page names that coverage and its source, and
    not another area's (Pohjanmaa's agreements); a dataset without coverage says so."""
    text = visible_text(render_html(summary, lang))
    assert covered in text
    assert not_recorded not in text
    assert "Pohjanmaa" not in text
    assert "Österbotten" not in text
    from jarjesto_core.model import Dataset

    empty = summarise_board(Dataset(), 2025, PartyRef.area("14"), registry=registry,
                            reference=reference)  # fmt: skip
    assert not_recorded in visible_text(render_html(empty, lang))
