"""Every export validates against the standards' schemas (format checking on), and is stable."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from typing import Any

import attrs
import pytest
from jsonschema import Draft202012Validator

from jarjesto_core.errors import DatasetError
from jarjesto_core.files import sample_dataset
from jarjesto_core.model import Dataset
from jarjesto_core.opendata import EXPORTERS, IMPORTERS, Filter
from jarjesto_core.opendata.validation import (
    GIVING360_SCHEMA,
    _giving_registry,
    format_checker,
    validate_export,
)
from jarjesto_core.reference import Reference

SCOPES = [
    None,
    Filter.for_area("14"),
    Filter.for_municipality("167"),
    Filter.for_area("90"),
    Filter.for_area("17"),
]


def export_or_empty(fmt: str, dataset: Dataset, reference: Reference, **kw: Any) -> Any:
    """The files, or None when 360Giving has no grant to export (a package needs one)."""
    try:
        return EXPORTERS[fmt].export(dataset, reference, **kw).files
    except DatasetError as exc:
        message = str(exc)
    assert fmt == "360giving"
    assert "needs at least one operating or project grant" in message
    return None


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
@pytest.mark.parametrize("year", [None, 2023, 2024])
@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: str(s.party) if s else "all")
def test_small_dataset_exports_validate(
    small: Dataset, reference: Reference, fmt: str, year: int | None, scope: Filter | None
) -> None:
    files = export_or_empty(fmt, small, reference, year=year, scope=scope)
    if files is None:
        return
    assert validate_export(fmt, files) == []
    if fmt == "hsds":
        assert validate_export(fmt, files, profile=False) == []


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
@pytest.mark.parametrize("year", [None, 2025])
@pytest.mark.parametrize("scope", [None, Filter.for_area("14")], ids=["all", "area14"])
def test_synthetic_dataset_exports_validate(
    synthetic: Dataset, reference: Reference, fmt: str, year: int | None, scope: Filter | None
) -> None:
    files = EXPORTERS[fmt].export(synthetic, reference, year=year, scope=scope).files
    assert validate_export(fmt, files) == []


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_sample_dataset_exports_validate(reference: Reference, fmt: str) -> None:
    """Fails until the bundled sample dataset (another branch) is merged."""
    files = EXPORTERS[fmt].export(sample_dataset(), reference).files
    assert validate_export(fmt, files) == []


def test_synthetic_dataset_is_large_enough(synthetic: Dataset) -> None:
    assert len(synthetic.organisations) == 200
    assert len(synthetic.services) > 150
    assert len(synthetic.agreements) > 150


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_export_is_byte_stable_whatever_the_record_order(
    synthetic: Dataset, reference: Reference, fmt: str
) -> None:
    rng = random.Random(1)
    shuffled = attrs.evolve(
        synthetic,
        **{
            name: tuple(rng.sample(getattr(synthetic, name), len(getattr(synthetic, name))))
            for name in ("organisations", "services", "agreements", "structures", "coordinators")
        },
    )
    first = EXPORTERS[fmt].export(synthetic, reference)
    assert EXPORTERS[fmt].export(synthetic, reference) == first
    assert EXPORTERS[fmt].export(shuffled, reference).files == first.files


def test_format_checker_really_enforces_the_formats() -> None:
    checker = format_checker()
    assert not checker.conforms("2024-01-01", "date-time")
    assert checker.conforms("2024-01-01T12:00:00+02:00", "date-time")
    assert not checker.conforms("not a uri", "uri")
    assert not checker.conforms("1234", "uuid")


def test_360giving_plain_dates_need_format_checking(small: Dataset, reference: Reference) -> None:
    """PROVENANCE.md: without a date-time checker, 'YYYY-MM-DD' matches both oneOf branches."""
    package = json.loads(EXPORTERS["360giving"].export(small, reference).files["grants.json"])
    schema = {"$ref": GIVING360_SCHEMA}
    unchecked = Draft202012Validator(schema, registry=_giving_registry())
    checked = Draft202012Validator(
        schema, registry=_giving_registry(), format_checker=format_checker()
    )
    grant = package["grants"][0]
    assert any("awardDate" in e.json_path for e in unchecked.iter_errors(grant))
    assert list(checked.iter_errors(grant)) == []


def test_validation_catches_a_broken_export(small: Dataset, reference: Reference) -> None:
    files = dict(EXPORTERS["hsds"].export(small, reference).files)
    doc = json.loads(files["organizations.json"])
    doc["contents"][0]["id"] = "ry-1"
    del doc["contents"][1]["jarjesto"]["scope"]
    files["organizations.json"] = json.dumps(doc).encode()
    errors = validate_export("hsds", files)
    assert "organizations.json/contents/0/id: 'ry-1' is not a 'uuid'" in errors
    assert "organizations.json/contents/1/jarjesto: 'scope' is a required property" in errors
    # Plain HSDS knows nothing of the profile's fields, only of the uuid.
    assert validate_export("hsds", files, profile=False) == [
        "organizations.json/contents/0/id: 'ry-1' is not a 'uuid'"
    ]


def test_registries_expose_the_formats() -> None:
    assert sorted(EXPORTERS) == ["360giving", "hsds", "popolo"]
    assert sorted(IMPORTERS) == ["hsds"]
    assert all(e.description for e in EXPORTERS.values())


def test_exporters_do_not_import_jsonschema() -> None:
    code = (
        "import sys, jarjesto_core.opendata; "
        "print(sorted(m for m in ('jsonschema', 'click', 'flask') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
