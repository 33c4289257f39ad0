"""The bundled sample shows what docs/sample.md promises, in fi, sv and en.

The sample is the first thing a newcomer assesses: if a change to the engine
or to the sample loses a funding status, the reform gap or a rule status,
these tests say which.
"""

from __future__ import annotations

import pytest

import jarjesto_core as j
from jarjesto_core.assessment import Assessment
from jarjesto_core.registry import Registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    return j.build_registry(j.get_plugin_manager(load_entrypoints=False))


@pytest.fixture(scope="module")
def assessments(registry: Registry) -> dict[int, Assessment]:
    sample = j.sample_dataset()
    return {year: j.assess(sample, year, registry=registry) for year in range(2021, 2026)}


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_every_funding_status_shows_in_each_year_after_the_reform(
    assessments: dict[int, Assessment], year: int
) -> None:
    statuses = {row.status.value for row in assessments[year].funding}
    assert statuses == {"ok", "blind_spot", "mismatch", "unfunded"}


def test_the_reform_gap_and_the_ordinary_interruption(assessments: dict[int, Assessment]) -> None:
    found = {
        (year, i.organisation, str(i.party), i.kind, i.reform_gap)
        for year, a in assessments.items()
        for i in a.interruptions
    }
    assert found == {
        # Joensuu decided the 2021 grant on 15 February: 45 days after it began.
        (2021, "pk-klubitalo", "municipality:167", "late", False),
        (2023, "okp-vertaistuki", "municipality:309", "interruption", True),
        (2024, "tre-nuoret", "municipality:837", "interruption", False),
    }


def test_take_overs_and_the_dissolved_organisation_are_not_interruptions(
    assessments: dict[int, Assessment],
) -> None:
    interrupted = {
        i.organisation
        for a in assessments.values()
        for i in a.interruptions
        if i.kind == "interruption"
    }
    assert not interrupted & {"pk-klubitalo", "tku-familj", "tre-lakannut"}


def test_every_rule_status_shows(assessments: dict[int, Assessment]) -> None:
    statuses = {f.status.value for s in assessments[2025].subjects for f in s.findings}
    assert statuses == {"met", "partial", "not_met", "unknown", "not_applicable"}


@pytest.mark.parametrize(
    ("lang", "blind_spot", "reform_gap"),
    [
        ("fi", "katvealue", "sote-uudistukseen liittyvä katkos"),
        ("sv", "blind fläck", "avbrott i samband med vårdreformen"),
        ("en", "blind spot", "reform gap"),
    ],
)
def test_the_report_names_them_in_three_languages(
    assessments: dict[int, Assessment],
    registry: Registry,
    lang: str,
    blind_spot: str,
    reform_gap: str,
) -> None:
    text = registry.report_formats["markdown"].render(assessments[2023], lang).lower()
    assert blind_spot in text
    assert reform_gap in text
