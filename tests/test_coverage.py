"""The coverage collection end to end: model, JSON, CSV, workspace, validation, the query."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jarjesto_cli.cli import cli
from jarjesto_core import load_dataset, validate
from jarjesto_core.coverage import CoverageIndex
from jarjesto_core.csvio import import_csv, write_csv
from jarjesto_core.model import Coverage, Dataset, PartyRef
from jarjesto_core.reference import bundled_reference
from jarjesto_core.serialise import dump_dataset, structure_dataset
from jarjesto_core.workspace import open_workspace

REF = bundled_reference()


def doc(**record: Any) -> dict[str, Any]:
    coverage = {
        "id": "cov-1",
        "collections": ["agreements"],
        "parties": ["area:20"],
        "start": "2023-01-01",
        "end": "2023-12-31",
        "source": "Aluehallitus 14.2.2023 § 12 (example)",
        **record,
    }
    return {"format": "jarjesto-dataset", "version": 1, "coverage": [coverage]}


def problems(document: dict[str, Any]) -> list[str]:
    parsed = structure_dataset(document)
    found = [*parsed.problems, *validate(parsed.dataset, REF, broken=parsed.broken)]
    return [p.render("en") for p in found]


def test_a_version_1_dataset_without_coverage_still_loads() -> None:
    dataset = load_dataset(json.dumps({"format": "jarjesto-dataset", "version": 1}))
    assert dataset.coverage == ()


def test_coverage_round_trips_through_json() -> None:
    dataset = load_dataset(json.dumps(doc(members=True)))
    (record,) = dataset.coverage
    assert record.parties == (PartyRef.area("20"),)
    assert record.members is True
    assert load_dataset(dump_dataset(dataset)) == dataset


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"collections": ["agreement"]},
            "coverage[0] (cov-1).collections[0]: unknown collection 'agreement': expected one of",
        ),
        (
            {"parties": ["area:99"]},
            "coverage[0] (cov-1).parties[0]: wellbeing area 99 does not exist",
        ),
        (
            {"parties": ["municipality:999"]},
            "coverage[0] (cov-1).parties[0]: municipality 999 does not exist",
        ),
        (
            {"start": "2023-12-31", "end": "2023-01-01"},
            "coverage[0] (cov-1).end: the end 2023-01-01 is before the start 2023-12-31",
        ),
        ({"parties": ["Helsinki"]}, "coverage[0] (cov-1).parties[0]: 'Helsinki' is not a party"),
        ({"end": None}, "coverage[0] (cov-1).end:"),
    ],
)
def test_bad_coverage_is_refused_naming_record_field_and_value(
    change: dict[str, Any], message: str
) -> None:
    found = problems(doc(**change))
    assert any(p.startswith(message) for p in found), found


def test_coverage_round_trips_through_csv_and_takes_names() -> None:
    text = (
        "id;collections;parties;members;start;end;source\n"
        "cov-1;agreements, structures;Kainuu, Joensuu;kyllä;1.1.2023;31.12.2023;list\n"
    )
    imported = import_csv(Dataset(), "coverage", text.encode(), file="coverage.csv")
    (record,) = imported.dataset.coverage
    assert record.parties == (PartyRef.area("20"), PartyRef.municipality("167"))
    assert record.collections == ("agreements", "structures")
    again = import_csv(
        Dataset(), "coverage", write_csv("coverage", [record]).encode(), file="again.csv"
    )
    assert again.dataset.coverage == (record,)


def test_coverage_round_trips_through_a_workspace(tmp_path: Path) -> None:
    dataset = load_dataset(json.dumps(doc(members=True)))
    with open_workspace(str(tmp_path / "ws.db")) as ws:
        ws.init()
        ws.load(dataset, "test")
        assert ws.dataset().coverage == dataset.coverage


# -- the query: is collection C of party P covered in year Y --------------------------------


def index(*records: Coverage) -> CoverageIndex:
    return CoverageIndex(Dataset(coverage=records), REF)


def cov(*parties: str, members: bool | None = None, start: str = "2023-01-01") -> Coverage:
    return Coverage(
        "c",
        ("agreements", "services"),
        tuple(PartyRef.parse(p) for p in parties),
        dt.date.fromisoformat(start),
        dt.date(2023, 12, 31),
        members=members,
    )


def test_a_party_is_covered_in_the_whole_years_only() -> None:
    found = index(cov("area:14"))
    assert found.covered("agreements", PartyRef.area("14"), 2023)
    assert not found.covered("agreements", PartyRef.area("14"), 2022)
    assert not found.covered("structures", PartyRef.area("14"), 2023)
    assert not index(cov("area:14", start="2023-06-01")).covered(
        "agreements", PartyRef.area("14"), 2023
    )


def test_members_extends_an_areas_records_to_its_municipalities() -> None:
    joensuu = PartyRef.municipality("167")
    assert not index(cov("area:14")).covered("agreements", joensuu, 2023)
    assert index(cov("area:14", members=True)).covered("agreements", joensuu, 2023)
    assert not index(cov("area:14", members=True)).covered(
        "agreements", PartyRef.municipality("091"), 2023
    )


def test_organisations_and_services_are_covered_by_territory() -> None:
    """Every service working in area 14 is every service working in Joensuu too."""
    found = index(cov("area:14"))
    assert found.covered("services", PartyRef.municipality("167"), 2023)
    assert not found.covered("services", PartyRef.area("18"), 2023)


def test_helsinki_city_and_area_are_one_body() -> None:
    found = index(cov("municipality:091"))
    assert found.covered("agreements", PartyRef.area("90"), 2023)


# -- 0 € agreements -------------------------------------------------------------------------


def test_a_zero_euro_grant_is_warned_about_on_import_naming_the_record(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "region.json"
    assert runner.invoke(cli, ["new", str(path)]).exit_code == 0
    orgs = tmp_path / "organisations.csv"
    orgs.write_text(
        "id;name_fi;languages;scope;municipalities\nyhd;Yhdistys;fi;local;Joensuu\n", "utf-8"
    )
    assert runner.invoke(cli, ["import", str(path), "organisations", str(orgs)]).exit_code == 0
    grants = tmp_path / "grants.csv"
    grants.write_text(
        "id;kind;party;organisation;start;end;annual_amount_eur\n"
        "ok;operating_grant;Joensuu;yhd;1.1.2024;31.12.2024;1000\n"
        "refused;operating_grant;Joensuu;yhd;1.1.2024;31.12.2024;0\n",
        "utf-8",
    )
    result = runner.invoke(cli, ["--lang", "en", "import", str(path), "agreements", str(grants)])
    assert result.exit_code == 0
    # The import names the row; validation names the record.
    assert "row 3: annual_amount_eur: 0 €: a refused application is not a grant" in result.stderr
    validated = runner.invoke(cli, ["--lang", "fi", "validate", str(path)])
    assert validated.exit_code == 0
    assert "varoitus: agreements (refused).annual_amount_eur: summa on 0 €" in validated.stderr
