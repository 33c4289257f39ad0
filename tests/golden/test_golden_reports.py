"""Golden reports: every format in fi, sv and en for the sample's county 14 in 2025.

The files under ``tests/golden/reports/`` were read by a person (issue 23);
a change to a report shows here as a diff to read again. After an intended
change, write them anew with ``JARJESTO_UPDATE_GOLDEN=1 pytest tests/golden``
and read the diff. The prose checks hold for any data: no record id, party
reference, kind code, "(s)" or ISO date in what a person reads.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from jarjesto_core.assessment import Assessment, assess
from jarjesto_core.files import sample_dataset
from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import COLLECTIONS, AgreementKind, PartyRef, StructureKind
from jarjesto_core.plugins import get_plugin_manager
from jarjesto_core.reference import bundled_reference
from jarjesto_core.registry import Registry, build_registry

GOLDEN = Path(__file__).parent / "reports"
LANGS = ("fi", "sv", "en")
FORMATS = {"text": "txt", "markdown": "md", "html": "html", "json": "json"}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return build_registry(get_plugin_manager(load_entrypoints=False))


@pytest.fixture(scope="module")
def assessment(registry: Registry) -> Assessment:
    return assess(
        sample_dataset(),
        2025,
        [PartyRef.area("14")],
        registry=registry,
        reference=bundled_reference(),
    )


def render(registry: Registry, assessment: Assessment, fmt: str, lang: str) -> str:
    return registry.report_formats[fmt].render(assessment, lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_report_is_as_read(
    registry: Registry, assessment: Assessment, fmt: str, lang: str
) -> None:
    text = render(registry, assessment, fmt, lang)
    path = GOLDEN / f"area-14-2025.{lang}.{FORMATS[fmt]}"
    if os.environ.get("JARJESTO_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path} differs (see the module docstring)"


def forbidden(lang: str) -> re.Pattern[str]:
    """Ids of the sample's records, party references, kind codes, "(s)" and ISO dates.

    A one-word code ("premises", "culture") is also an English word: it is
    looked for in Finnish and Swedish only.
    """
    ids = {
        record.id  # type: ignore[attr-defined]
        for _name, record in sample_dataset().records()
    }
    codes = set(CORE_SERVICE_KINDS) | {k.value for k in AgreementKind}
    codes |= {k.value for k in StructureKind}
    codes |= set(COLLECTIONS)  # "welfare_reports" once stood in the coverage line
    if lang == "en":
        codes = {c for c in codes if "_" in c}
    words = "|".join(re.escape(w) for w in sorted(ids | codes, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w-])(?:{words})(?![\w-])|\b(?:municipality|area|joint|funder):\d+"
        r"|\bcore\.[a-z]|\(s\)|\(ies\)|\b\d{4}-\d{2}-\d{2}\b"
    )


def prose(fmt: str, text: str) -> str:
    """What a person reads: JSON's messages; the other formats without markup."""
    if fmt == "json":
        doc = json.loads(text)
        return "\n".join(f["message"] for s in doc["subjects"] for f in s["findings"])
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return text.replace("\\", "")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_id_code_or_iso_date_in_prose(
    registry: Registry, assessment: Assessment, fmt: str, lang: str
) -> None:
    words = prose(fmt, render(registry, assessment, fmt, lang))
    found = forbidden(lang).findall(words)
    assert not found, found


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        (
            "fi",
            "Järjestökoordinaattori on nimetty.",
            "Täällä toimivista 3 ehkäisevän toiminnan palvelusta 2 on liitetty palvelupolkuun",
        ),
        (
            "sv",
            "En organisationskoordinator är utsedd.",
            "2 av de 3 tjänsterna inom förebyggande verksamhet är kopplade till en servicestig",
        ),
        (
            "en",
            "An organisation coordinator is in post.",
            "2 of the 3 prevention services are linked into a service path",
        ),
    ],
)
def test_plurals_for_one_and_for_many(
    registry: Registry, assessment: Assessment, lang: str, one: str, many: str
) -> None:
    for fmt in ("text", "markdown", "html"):
        text = prose(fmt, render(registry, assessment, fmt, lang))
        assert one in text, (fmt, one)
        assert many in text, (fmt, many)
