"""``jarjesto validate | import | export | new``: every command, every exit code."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from jarjesto_cli.cli import cli
from jarjesto_core.files import read_dataset
from jarjesto_core.model import COLLECTIONS

Run = Callable[..., Result]

# -- new -------------------------------------------------------------------------


def test_new_writes_an_empty_valid_dataset(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "new.json"
    result = run("new", str(path))
    assert result.exit_code == 0
    assert result.stdout == f"created an empty dataset {path}\n"
    assert json.loads(path.read_text()) == {"format": "jarjesto-dataset", "version": 1}
    assert run("validate", str(path)).exit_code == 0


def test_new_refuses_to_overwrite_without_force(dataset: Path, run: Run) -> None:
    before = dataset.read_bytes()
    result = run("new", str(dataset))
    assert result.exit_code == 2
    assert "exists; add --force to replace it" in result.stderr
    assert dataset.read_bytes() == before
    assert run("new", str(dataset), "--force").exit_code == 0
    assert read_dataset(dataset).organisations == ()


def test_new_in_a_missing_directory_is_an_error_not_a_traceback(tmp_path: Path, run: Run) -> None:
    result = run("new", str(tmp_path / "nowhere" / "x.json"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No such file or directory")
    assert "Traceback" not in result.output


# -- validate ----------------------------------------------------------------------


def test_validate_a_valid_dataset(dataset: Path, run: Run) -> None:
    result = run("validate", str(dataset))
    assert result.exit_code == 0
    assert result.stdout == f"{dataset} is valid: 2 organisations\n"
    assert result.stderr == ""


def test_validate_lists_every_problem_on_its_own_line(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "bad.json"
    doc = {
        "format": "jarjesto-dataset",
        "version": 1,
        "organisations": [
            {"id": "a", "name": {"fi": "A"}, "languages": ["fi"], "scope": "galactic",
             "municipalities": ["167"]},
            {"id": "b", "name": {"fi": "B"}, "languages": ["fi"], "municipalities": ["167"]},
        ],
    }  # fmt: skip
    path.write_text(json.dumps(doc))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}: organisations[0] (a).scope: unknown value 'galactic': "
        "allowed values are local, regional, national",
        f"{path}: organisations[1] (b).scope: required field is missing",
    ]


def test_validate_malformed_json_names_line_and_column(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "jarjesto-dataset",\n  "version": 1,,}')
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert (
        result.stderr == f"{path}: line 2, column 16: malformed JSON: "
        "Expecting property name enclosed in double quotes\n"
    )


def test_validate_a_missing_file_is_a_usage_error(tmp_path: Path, run: Run) -> None:
    result = run("validate", str(tmp_path / "missing.json"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_problems_follow_the_chosen_language_option(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "something-else", "version": 1}')
    for lang in ("fi", "sv", "en"):
        result = runner.invoke(cli, ["--lang", lang, "validate", str(path)])
        assert result.exit_code == 1
        # The location is the same in every language; the message is translated
        # once the catalogues are compiled (English is the msgid fallback).
        assert result.stderr.startswith(f"{path}: format: ")
    result = runner.invoke(cli, ["--lang", "de", "validate", str(path)])
    assert result.exit_code == 2
    assert "'de' is not one of 'fi', 'sv', 'en'" in result.stderr


# -- import ------------------------------------------------------------------------

EXCEL_SERVICES = (
    "id;organisation;name_fi;name_sv;kind;municipalities;languages;in_service_path;"
    "participants_per_year\r\n"
    "svc-club;org-a;Klubitalo;Klubbhus;clubhouse;Joensuu;fi;kyllä;1 200\r\n"
    "svc-peer;org-b;Vertaistuki;Kamratstöd;peer_support;Malax, Korsholm;sv;ja;45\r\n"
    "svc-youth;org-b;Nuorisotyö;Ungdomsarbete;youth_work;499;sv, fi;0;\r\n"
)


def test_import_a_finnish_excel_file_in_cp1252(dataset: Path, tmp_path: Path, run: Run) -> None:
    csv_file = tmp_path / "palvelut.csv"
    csv_file.write_bytes(EXCEL_SERVICES.encode("cp1252"))
    result = run("import", str(dataset), "services", str(csv_file))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"added 3 services to {dataset}: svc-club, svc-peer, svc-youth\n"
    services = read_dataset(dataset).services
    assert [s.municipalities for s in services] == [("167",), ("475", "499"), ("499",)]
    assert [s.in_service_path for s in services] == [True, True, False]
    assert services[0].participants_per_year == 1200
    assert services[1].name.sv == "Kamratstöd"


def test_import_with_a_bom_and_grants_in_finnish_format(
    dataset: Path, tmp_path: Path, run: Run
) -> None:
    csv_file = tmp_path / "avustukset.csv"
    text = (
        "id;kind;party;organisation;start;end;annual_amount_eur\r\n"
        "g1;operating_grant;Joensuu;org-a;1.2.2024;31.12.2024;1\u00a0234,50\r\n"
        "g2;operating_grant;Malax;org-b;1.1.2024;;1 234,50\r\n"
        "g3;project_grant;Pohjanmaa;org-b;2024-03-01;;500\r\n"
    )
    csv_file.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = run("import", str(dataset), "agreements", str(csv_file))
    assert result.exit_code == 0, result.output
    grants = read_dataset(dataset).agreements
    assert [str(g.party) for g in grants] == ["municipality:167", "municipality:475", "area:17"]
    assert [str(g.annual_amount_eur) for g in grants] == ["1234.50", "1234.50", "500"]
    assert str(grants[0].start) == "2024-02-01"


def test_import_with_errors_in_three_rows_changes_nothing(
    dataset: Path,
    tmp_path: Path,
    run: Run,
) -> None:
    before = dataset.read_bytes()
    csv_file = tmp_path / "grants.csv"
    csv_file.write_bytes(
        (
            "id;kind;party;organisation;start;annual_amount_eur\r\n"
            "g1;operating_grant;Joensuu;org-a;1.1.2024;100\r\n"
            "g2;operating_grant;Atlantis;org-a;1.1.2024;100\r\n"
            "g3;operating_grant;Joensuu;org-a;30.2.2024;100\r\n"
            "g4;operating_grant;Joensuu;org-a;1.1.2024;noin sata\r\n"
        ).encode("cp1252")
    )
    result = run("import", str(dataset), "agreements", str(csv_file))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{csv_file}: row 3: party: 'Atlantis' is not a party: write municipality:CODE, "
        "area:CODE, joint:ID, funder:ID or the name of a municipality, wellbeing area, "
        "joint authority or funder",
        f"{csv_file}: row 4: start: '30.2.2024' is not a real date",
        f"{csv_file}: row 5: annual_amount_eur: 'noin sata' is not an amount: "
        "write 1234.50 or 1 234,50",
    ]
    assert dataset.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_import_dry_run_writes_nothing(dataset: Path, tmp_path: Path, run: Run) -> None:
    before = dataset.read_bytes()
    csv_file = tmp_path / "palvelut.csv"
    csv_file.write_bytes(EXCEL_SERVICES.encode("cp1252"))
    result = run("import", str(dataset), "services", str(csv_file), "--dry-run")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    # The first rows as they would be stored, then what would be added.
    assert lines[0] == "the first rows as they will be imported:"
    assert lines[1].startswith("  row 2: id=svc-club; organisation=org-a; name_fi=Klubitalo;")
    assert lines[-1] == (
        f"dry run: 3 services would be added to {dataset}: svc-club, svc-peer, svc-youth"
    )
    assert dataset.read_bytes() == before


def test_import_an_id_already_in_the_dataset(dataset: Path, tmp_path: Path, run: Run) -> None:
    csv_file = tmp_path / "more.csv"
    csv_file.write_text(
        "id,name_fi,languages,scope,municipalities\norg-c,C,fi,local,167\norg-a,A,fi,local,167\n"
    )
    result = run("import", str(dataset), "organisations", str(csv_file))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{csv_file}: row 3: id: id 'org-a' is already in the dataset (to replace the "
        "records a file has again, import with --update)\n"
    )
    assert [o.id for o in read_dataset(dataset).organisations] == ["org-a", "org-b"]


def test_import_with_an_explicit_encoding(dataset: Path, tmp_path: Path, run: Run) -> None:
    csv_file = tmp_path / "palvelut.csv"
    csv_file.write_bytes(EXCEL_SERVICES.encode("cp1252"))
    result = run("import", str(dataset), "services", str(csv_file), "--encoding", "utf-8")
    assert result.exit_code == 1
    assert "cannot read the file as utf-8" in result.stderr
    result = run("import", str(dataset), "services", str(csv_file), "--encoding", "latin-1")
    assert result.exit_code == 0, result.output


def test_import_usage_errors_exit_2(dataset: Path, tmp_path: Path, run: Run) -> None:
    csv_file = tmp_path / "x.csv"
    csv_file.write_text("id\n")
    result = run("import", str(dataset), "services", str(csv_file), "--encoding", "klingon")
    assert result.exit_code == 2
    assert "unknown encoding 'klingon'" in result.stderr
    result = run("import", str(dataset), "people", str(csv_file))
    assert result.exit_code == 2
    assert "'people' is not one of 'organisations'" in result.stderr
    result = run("import", str(dataset), "services", str(tmp_path / "missing.csv"))
    assert result.exit_code == 2
    result = run("import", str(dataset), "services")
    assert result.exit_code == 2
    assert (
        "Error: import takes DATASET COLLECTION FILE, or --workspace and COLLECTION FILE"
        in result.stderr
    )


def test_import_thousands_of_rows(dataset: Path, tmp_path: Path, run: Run) -> None:
    lines = ["id;organisation;name_fi;kind"]
    lines += [f"svc-{i};org-a;Palvelu {i};peer_support" for i in range(3000)]
    csv_file = tmp_path / "many.csv"
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("import", str(dataset), "services", str(csv_file))
    assert result.exit_code == 0, result.output
    assert len(read_dataset(dataset).services) == 3000


# -- export ------------------------------------------------------------------------


def test_export_json_to_a_file_and_to_stdout(dataset: Path, tmp_path: Path, run: Run) -> None:
    out = tmp_path / "copy.json"
    result = run("export", str(dataset), "--format", "json", "--output", str(out))
    assert result.exit_code == 0
    assert out.read_bytes() == dataset.read_bytes()
    result = run("export", str(dataset), "--format", "json", "--output", "-")
    assert result.exit_code == 0
    assert result.stdout == dataset.read_text(encoding="utf-8")


def test_export_csv_then_import_round_trips(dataset: Path, tmp_path: Path, run: Run) -> None:
    extra = tmp_path / "palvelut.csv"
    extra.write_bytes(EXCEL_SERVICES.encode("cp1252"))
    assert run("import", str(dataset), "services", str(extra)).exit_code == 0
    out = tmp_path / "csv"
    result = run("export", str(dataset), "--format", "csv", "--output", str(out))
    assert result.exit_code == 0
    assert result.stdout == f"wrote {len(COLLECTIONS)} CSV files to {out}\n"
    assert sorted(p.name for p in out.iterdir()) == [
        "agreements.csv",
        "appropriations.csv",
        "commitments.csv",
        "coordinators.csv",
        "coverage.csv",
        "funders.csv",
        "hearings.csv",
        "joint_authorities.csv",
        "organisations.csv",
        "responsibilities.csv",
        "services.csv",
        "structures.csv",
        "welfare_reports.csv",
    ]
    assert (out / "organisations.csv").read_bytes().startswith(b"\xef\xbb\xbfid;name_fi;")
    copy = tmp_path / "copy.json"
    assert run("new", str(copy)).exit_code == 0
    for name in ("organisations", "services"):
        result = run("import", str(copy), name, str(out / f"{name}.csv"))
        assert result.exit_code == 0, result.output
    assert copy.read_bytes() == dataset.read_bytes()


def test_export_usage_errors(dataset: Path, tmp_path: Path, run: Run) -> None:
    result = run("export", str(dataset), "--format", "xml", "--output", str(tmp_path / "x"))
    assert result.exit_code == 2
    result = run("export", str(dataset), "--format", "csv", "--output", str(dataset))
    assert result.exit_code == 2
    assert "give a directory" in result.stderr
    result = run("export", str(dataset), "--format", "json", "--output", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory" in result.stderr
    result = run("export", str(dataset), "--format", "json")
    assert result.exit_code == 2
    assert "Missing option '--output'" in result.stderr
