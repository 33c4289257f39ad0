"""The JSON report (version 2) validates against the JSON Schema the project ships."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

import jarjesto_core as j
from jarjesto_core.registry import Registry

SCHEMA: dict[str, Any] = json.loads(
    resources.files("jarjesto_core").joinpath("schemas/assessment-v2.json").read_text("utf-8")
)
REAL = "tests/realdata/helsinki-yleisavustukset-2023.json"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return j.build_registry(j.get_plugin_manager(load_entrypoints=False))


def test_the_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("year", [2021, 2023, 2024, 2025])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_sample_report_validates(registry: Registry, year: int, lang: str) -> None:
    result = j.assess(j.sample_dataset(), year, registry=registry)
    doc = json.loads(registry.report_formats["json"].render(result, lang))
    jsonschema.validate(doc, SCHEMA)
    assert doc["coverage"], "the sample says what it covers"


def test_a_report_without_coverage_validates(registry: Registry) -> None:
    result = j.assess(j.read_dataset(REAL), 2023, registry=registry)
    doc = json.loads(registry.report_formats["json"].render(result, "fi"))
    jsonschema.validate(doc, SCHEMA)
    assert doc["coverage"] == []
    assert {f["status"] for f in doc["subjects"][0]["findings"]} <= {"met", "unknown"}


def test_the_schema_refuses_a_negative_verdict_without_coverage(registry: Registry) -> None:
    result = j.assess(j.sample_dataset(), 2024, registry=registry)
    doc = json.loads(registry.report_formats["json"].render(result, "en"))
    finding = next(f for s in doc["subjects"] for f in s["findings"] if f["status"] == "not_met")
    finding["coverage"] = None
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)


def test_the_schema_refuses_version_1(registry: Registry) -> None:
    result = j.assess(j.sample_dataset(), 2024, registry=registry)
    doc = json.loads(registry.report_formats["json"].render(result, "en"))
    doc["version"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)
