"""``jarjesto export --format hsds|360giving|popolo`` and ``jarjesto import --format hsds``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner, Result

from jarjesto_cli.cli import cli
from jarjesto_cli.commands.data import OPEN_DATA_FORMATS
from jarjesto_core.files import read_dataset, sample_dataset, write_dataset
from jarjesto_core.model import Dataset
from jarjesto_core.opendata import EXPORTERS, Filter
from jarjesto_core.opendata.validation import validate_export
from jarjesto_core.reference import bundled_reference

Run = Callable[..., Result]

FILTERS: dict[str, tuple[tuple[str, ...], int | None, Filter | None]] = {
    "whole": ((), None, None),
    "area by name, year": (
        ("--area", "Pohjois-Karjala", "--year", "2024"),
        2024,
        Filter.for_area("14"),
    ),
    "municipality by name": (("--municipality", "Joensuu"), None, Filter.for_municipality("167")),
    "municipality by code, year": (
        ("--municipality", "837", "--year", "2022"),
        2022,
        Filter.for_municipality("837"),
    ),
}


def files_in(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_the_cli_offers_every_exporter() -> None:
    assert set(OPEN_DATA_FORMATS) == set(EXPORTERS)


@pytest.mark.parametrize("fmt", OPEN_DATA_FORMATS)
@pytest.mark.parametrize("name", FILTERS)
def test_export_of_the_sample_validates_and_honours_the_filter(
    fmt: str, name: str, tmp_path: Path, run: Run
) -> None:
    args, year, scope = FILTERS[name]
    out = tmp_path / "out"

    result = run("export", "--format", fmt, "--output", str(out), *args)

    assert result.exit_code == 0, result.output
    files = files_in(out)
    assert validate_export(fmt, files) == []
    expected = EXPORTERS[fmt].export(sample_dataset(), bundled_reference(), year=year, scope=scope)
    assert files == dict(expected.files)
    noun = "file" if len(files) == 1 else "files"
    assert result.stdout == f"wrote {len(files)} {fmt} {noun} to {out}\n"
    assert result.stderr == "".join(f"{w.render('en')}\n" for w in expected.warnings)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_a_filter_really_narrows_the_export(tmp_path: Path, run: Run) -> None:
    whole, part = tmp_path / "whole", tmp_path / "part"
    assert run("export", "--format", "hsds", "-o", str(whole)).exit_code == 0
    assert run("export", "--format", "hsds", "-o", str(part), "--area", "14").exit_code == 0

    def ids(directory: Path) -> set[str]:
        page = json.loads((directory / "organizations.json").read_text("utf-8"))
        return {o["jarjesto"]["id"] for o in page["contents"]}

    assert ids(part) < ids(whole)
    orgs = {o.id: o for o in sample_dataset().organisations}
    territory = Filter.for_area("14").territory(bundled_reference(), None)
    assert all(set(orgs[i].municipalities) & territory for i in ids(part) - {"org-none"})


def test_export_warnings_go_to_stderr_in_the_chosen_language(
    tmp_path: Path, runner: CliRunner
) -> None:
    out = tmp_path / "grants"
    result = runner.invoke(cli, ["--lang", "sv", "export", "--format", "360giving", "-o", str(out)])
    assert result.exit_code == 0
    warnings = EXPORTERS["360giving"].export(sample_dataset(), bundled_reference()).warnings
    assert warnings, "the sample has a grant without a decision date"
    assert result.stderr.splitlines() == [w.render("sv") for w in warnings]
    assert len(result.stderr.splitlines()) == 2, "once per export, not once per grant"
    assert result.stdout == f"skrev 1 360giving-fil till {out}\n"


def test_export_json_and_csv_refuse_a_filter(tmp_path: Path, run: Run) -> None:
    for fmt in ("json", "csv"):
        result = run(
            "export", "--format", fmt, "-o", str(tmp_path / fmt), "--area", "14", "--year", "2024"
        )
        assert result.exit_code == 2
        assert result.stderr.endswith(
            "Error: --area, --year: only the open-data formats (hsds, 360giving, popolo) "
            f"export a part of a dataset; --format {fmt} writes all of it\n"
        )
        assert not (tmp_path / fmt).exists()


def test_export_open_data_usage_errors(tmp_path: Path, run: Run) -> None:
    out = str(tmp_path / "out")
    result = run("export", "--format", "hsds", "-o", out, "--area", "14", "--municipality", "167")
    assert result.exit_code == 2
    assert "Error: give --area or --municipality, not both" in result.stderr
    result = run("export", "--format", "popolo", "-o", out, "--area", "Atlantis")
    assert result.exit_code == 2
    assert "Invalid value for --area: no wellbeing area Atlantis" in result.stderr
    result = run("export", "--format", "popolo", "-o", out, "--municipality", "Atlantis")
    assert result.exit_code == 2
    assert "Invalid value for --municipality: no municipality Atlantis" in result.stderr
    a_file = tmp_path / "file.json"
    a_file.write_text("{}")
    result = run("export", "--format", "hsds", "-o", str(a_file))
    assert result.exit_code == 2
    assert "hsds export writes one or more files: give a directory" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_merged_municipality_is_found_without_a_year(tmp_path: Path, run: Run) -> None:
    # Pertunmaa merged into Mäntyharju in 2025; without --year it is still a territory.
    out = tmp_path / "out"
    result = run("export", "--format", "popolo", "-o", str(out), "--municipality", "Pertunmaa")
    assert result.exit_code == 0, result.output
    result = run(
        "export", "--format", "popolo", "-o", str(out), "--municipality", "Pertunmaa",
        "--year", "2025",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "no municipality Pertunmaa in 2025" in result.stderr


def test_export_of_an_empty_grant_list_is_an_error_not_a_file(tmp_path: Path, run: Run) -> None:
    empty = tmp_path / "empty.json"
    assert run("new", str(empty)).exit_code == 0
    result = run("export", str(empty), "--format", "360giving", "-o", str(tmp_path / "g"))
    assert result.exit_code == 1
    assert result.stderr != ""
    assert not (tmp_path / "g" / "grants.json").exists()


# -- HSDS round trips ----------------------------------------------------------


def organisations_and_services(dataset: Dataset) -> Dataset:
    """The part of a dataset HSDS carries: organisations and services."""
    return Dataset(organisations=dataset.organisations, services=dataset.services)


def test_hsds_export_import_into_a_new_dataset_export_is_byte_identical(
    tmp_path: Path, run: Run
) -> None:
    source = tmp_path / "source.json"
    write_dataset(source, organisations_and_services(sample_dataset()))
    first, second = tmp_path / "first", tmp_path / "second"
    fresh = tmp_path / "fresh.json"
    assert run("export", str(source), "--format", "hsds", "-o", str(first)).exit_code == 0
    assert run("new", str(fresh)).exit_code == 0

    result = run("import", str(fresh), "--format", "hsds", str(first))

    sample = sample_dataset()
    orgs, services = len(sample.organisations), len(sample.services)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"imported {first} into {fresh}: {orgs} organisations, {services} services added, "
        "no records replaced\n"
    )
    assert run("export", str(fresh), "--format", "hsds", "-o", str(second)).exit_code == 0
    assert files_in(second) == files_in(first)
    # The same records, in the export's order (by id).
    imported, original = read_dataset(fresh), read_dataset(source)
    for name in ("organisations", "services"):
        by_id = sorted(original.collection(name), key=lambda r: r.id)
        assert list(imported.collection(name)) == by_id


def test_hsds_import_of_the_same_export_changes_nothing(tmp_path: Path, run: Run) -> None:
    sample = tmp_path / "sample.json"
    write_dataset(sample, sample_dataset())
    before = sample.read_bytes()
    out = tmp_path / "hsds"
    assert run("export", str(sample), "--format", "hsds", "-o", str(out)).exit_code == 0

    result = run("import", str(sample), "--format", "hsds", str(out))

    assert result.exit_code == 0, result.output
    assert result.stdout == f"imported {out} into {sample}: no records added, no records replaced\n"
    assert sample.read_bytes() == before


def test_hsds_import_replaces_a_record_with_the_same_id(tmp_path: Path, run: Run) -> None:
    sample = sample_dataset()
    changed = attrs.evolve(sample.organisations[0], members=4321)
    source = tmp_path / "source.json"
    write_dataset(source, attrs.evolve(sample, organisations=(changed, *sample.organisations[1:])))
    target = tmp_path / "target.json"
    write_dataset(target, sample)
    out = tmp_path / "hsds"
    assert run("export", str(source), "--format", "hsds", "-o", str(out)).exit_code == 0

    dry = run("import", str(target), "--format", "hsds", str(out), "--dry-run")
    assert dry.exit_code == 0
    assert dry.stdout == (
        f"dry run: from {out}, {target} would get no records added, 1 organisations replaced\n"
    )
    assert read_dataset(target) == sample

    result = run("import", str(target), "--format", "hsds", str(out))
    assert result.exit_code == 0, result.output
    assert read_dataset(target).organisations[0].members == 4321
    assert read_dataset(target) == read_dataset(source)


def test_hsds_import_errors_name_file_record_and_field_and_write_nothing(
    tmp_path: Path, run: Run
) -> None:
    out = tmp_path / "hsds"
    assert run("export", "--format", "hsds", "-o", str(out)).exit_code == 0
    page = json.loads((out / "organizations.json").read_text("utf-8"))
    record = page["contents"][3]
    del record["jarjesto"]["scope"]
    (out / "organizations.json").write_text(json.dumps(page), encoding="utf-8")
    target = tmp_path / "target.json"
    assert run("new", str(target)).exit_code == 0
    before = target.read_bytes()

    result = run("import", str(target), "--format", "hsds", str(out))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{out / 'organizations.json'}: organizations[3] ({record['jarjesto']['id']})"
        ".jarjesto.scope: required field is missing\n"
    )
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_hsds_import_that_would_make_the_dataset_invalid_writes_nothing(
    tmp_path: Path, run: Run
) -> None:
    # The target's service works in a municipality the imported version of its
    # organisation leaves: valid on either side, invalid together.
    sample = sample_dataset()
    org = attrs.evolve(sample.organisations[0], municipalities=("167", "276"))
    service = attrs.evolve(
        next(s for s in sample.services if s.organisation == org.id),
        municipalities=("276",),
        location="276",
    )
    elsewhere = "167"
    source = tmp_path / "source.json"
    write_dataset(source, Dataset(organisations=(attrs.evolve(org, municipalities=(elsewhere,)),)))
    target = tmp_path / "target.json"
    write_dataset(target, Dataset(organisations=(org,), services=(service,)))
    before = target.read_bytes()
    out = tmp_path / "hsds"
    assert run("export", str(source), "--format", "hsds", "-o", str(out)).exit_code == 0

    result = run("import", str(target), "--format", "hsds", str(out))

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{target}: services[0] ({service.id}).location: the service runs in "
        f"municipality {service.location}, where its organisation {org.id} does not work: "
        f"expected one of {elsewhere}"
    )
    assert target.read_bytes() == before


def test_hsds_import_usage_errors(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "hsds"
    assert run("export", "--format", "hsds", "-o", str(out)).exit_code == 0
    target = tmp_path / "t.json"
    assert run("new", str(target)).exit_code == 0
    hsds_usage = (
        "Error: import --format hsds takes DATASET DIRECTORY, or --workspace and DIRECTORY "
        "(the directory an HSDS export wrote)\n"
    )
    result = run("import", str(target), "organisations", "--format", "hsds", str(out))
    assert result.exit_code == 2
    assert result.stderr.endswith(hsds_usage)
    result = run("import", "--format", "hsds", str(out))
    assert result.exit_code == 2
    assert result.stderr.endswith(hsds_usage)
    result = run("import", str(target), "--format", "hsds", str(out / "organizations.json"))
    assert result.exit_code == 2
    assert "is a file" in result.stderr
    result = run("import", str(target), "--format", "hsds", str(out), "--encoding", "cp1252")
    assert result.exit_code == 2
    assert "Error: --encoding applies to CSV files; HSDS is UTF-8 JSON" in result.stderr
    result = run("import", str(target), "--format", "xml", str(out))
    assert result.exit_code == 2
