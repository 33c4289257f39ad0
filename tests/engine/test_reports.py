"""The people-facing reports: same content as JSON, escaped, standalone, money per locale."""

from __future__ import annotations

import re

import pytest
from engine_support import JOENSUU, agreement, covered, dataset, org, party, svc

from jarjesto_core.assessment import Assessment, assess
from jarjesto_core.model import Name, Organisation, Scope
from jarjesto_core.reference import Reference
from jarjesto_core.registry import Registry

M = f"municipality:{JOENSUU}"


@pytest.fixture
def result(registry: Registry, reference: Reference) -> Assessment:
    ds = dataset(
        organisations=[
            org("o1"),
            Organisation("o2", Name(fi="<b>x</b>"), ("fi",), Scope.LOCAL, (JOENSUU,)),
        ],
        services=[svc("club|1", "o1"), svc("<script>", "o2")],
        agreements=[
            agreement("g1", "operating_grant", M, "o1", start=2020, end=2022, amount="1234.5"),
            agreement("g2", "operating_grant", M, "o2", start=2023, amount="1234.5"),
        ],
    )
    ds = covered(ds, M, collections=("agreements",))
    return assess(ds, 2023, [party(M)], registry=registry, reference=reference)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_human_formats_show_findings_funding_and_interruptions(
    registry: Registry, result: Assessment, fmt: str
) -> None:
    out = registry.report_formats[fmt].render(result, "en")
    assert "Joensuu" in out
    assert "Continuity of grants" in out  # the rule's title, not its code
    assert "core.grant-continuity" not in out
    assert "municipality:" not in out
    assert "grant in 2023" in out
    assert "€1,234.50" in out
    assert "Funding responsibility" in out
    assert "blind spot" in out
    assert "Interruptions of operating grants" in out
    assert "Reform gap" in out


def test_money_is_formatted_per_locale(registry: Registry, result: Assessment) -> None:
    assert "1\xa0234,50\xa0€" in registry.report_formats["markdown"].render(result, "fi")
    assert "1\xa0234,50\xa0€" in registry.report_formats["markdown"].render(result, "sv")


def test_html_is_standalone_and_escaped(registry: Registry, result: Assessment) -> None:
    html = registry.report_formats["html"].render(result, "en")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    # No external assets; links to the sources a reader may follow are not assets.
    assert not re.search(r"""src=|<link|@import|url\(""", html)
    assert all(a.startswith('<a href="https://') for a in re.findall(r"<a [^>]*>", html))


def test_markdown_escapes_table_cells(registry: Registry, result: Assessment) -> None:
    md = registry.report_formats["markdown"].render(result, "en")
    assert "club\\|1" in md
    rows = [line for line in md.splitlines() if line.startswith("| Joensuu")]
    assert len(rows) == 2
    assert all(line.count(" | ") == 7 for line in rows)
    # A blind spot is emphasised for real, its asterisks not escaped.
    assert "| **blind spot** |" in md
    assert "\\*" not in md


def test_text_report_has_no_colour_codes(registry: Registry, result: Assessment) -> None:
    assert "\x1b[" not in registry.report_formats["text"].render(result, "fi")


def test_text_report_writes_every_funding_cell_whole(
    registry: Registry, result: Assessment
) -> None:
    """One line per pair, nothing folded or cropped, however wide the table."""
    out = registry.report_formats["text"].render(result, "en")
    names = {"club|1": "club|1", "<script>": "<script>"}
    for row in result.funding:
        table = [x for x in out.splitlines() if x.startswith("Joensuu ")]
        (line,) = [x for x in table if f" {names[row.service]} " in x]
        assert ("Joensuu" if row.funders else "no funder") in line.split(names[row.service])[1]
    assert "…" not in out
