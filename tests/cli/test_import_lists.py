"""Importing published grant lists: mappings, Finnish headers, .xlsx, --update, templates."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result

from jarjesto_core.files import read_dataset
from jarjesto_core.mapping import load_map
from jarjesto_core.model import AgreementKind, PartyRef, Scope

Run = Callable[..., Result]

#: A wellbeing area's list as it might be published (made up for the test).
GRANTS_2023 = (
    "Järjestö;Avustuslaji;Myönnetty €\n"
    "Kuhmon Reumayhdistys ry;Toiminta-avustus;14 750 euroa\n"
    "Kajaanin Mielenterveysseura ry;Kumppanuusavustus;2 000\n"
    "Sotkamon Eläkkeensaajat ry;toiminta-avustus;0\n"
    "Harkinnanvaraiset avustukset, johtajan käytettäväksi;Toiminta-avustus;5 000\n"
)

MAPPING = """\
collection = "agreements"
[columns]
"Järjestö" = "organisation"
"Avustuslaji" = "kind"
"Myönnetty €" = "annual_amount_eur"
[set]
party = "Kainuun hyvinvointialue"
start = "2023"
[values.kind]
"Toiminta-avustus" = "operating_grant"
"Kumppanuusavustus" = "project_grant"
[organisations]
create = true
scope = "regional"
languages = "fi"
municipalities = "Kainuu"
"""


@pytest.fixture
def empty(tmp_path: Path, run: Run) -> Path:
    path = tmp_path / "kainuu.json"
    assert run("new", str(path)).exit_code == 0
    return path


def _check_2023(path: Path) -> None:
    data = read_dataset(path)
    by_org = {a.organisation: a for a in data.agreements}
    assert set(by_org) == {
        "kuhmon-reumayhdistys",
        "kajaanin-mielenterveysseura",
        "sotkamon-elakkeensaajat",
        "harkinnanvaraiset-avustukset-johtajan-kaytettavaksi",
    }
    kuhmo = by_org["kuhmon-reumayhdistys"]
    assert kuhmo.kind is AgreementKind.OPERATING_GRANT
    assert kuhmo.party == PartyRef.area("20")
    assert (kuhmo.start.isoformat(), kuhmo.end and kuhmo.end.isoformat()) == (
        "2023-01-01",
        "2023-12-31",
    )
    assert kuhmo.annual_amount_eur == Decimal("14750")
    assert by_org["kajaanin-mielenterveysseura"].kind is AgreementKind.PROJECT_GRANT
    org = next(o for o in data.organisations if o.id == "kuhmon-reumayhdistys")
    assert org.name.fi == "Kuhmon Reumayhdistys ry"
    assert org.scope is Scope.REGIONAL
    assert org.languages == ("fi",)
    # "Kainuu" is the wellbeing area: all its municipalities, Kajaani (205) among them.
    assert "205" in org.municipalities
    assert len(org.municipalities) == 8


def test_a_finnish_headed_csv_with_a_mapping(empty: Path, tmp_path: Path, run: Run) -> None:
    (tmp_path / "avustukset.csv").write_text(GRANTS_2023, encoding="utf-8")
    (tmp_path / "kainuu.toml").write_text(MAPPING, encoding="utf-8")
    result = run(
        "import", str(empty), "--map", str(tmp_path / "kainuu.toml"),
        str(tmp_path / "avustukset.csv"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    _check_2023(empty)
    # Warnings name the row and do not stop the import.
    assert "row 4: annual_amount_eur: 0 €" in result.stderr
    assert "row 5: organisation: 'Harkinnanvaraiset avustukset" in result.stderr
    assert "budget line" in result.stderr
    assert (
        "the file holds 4 records (agreements); years: 2023; funders: Kainuu wellbeing "
        "services county" in result.stdout
    )
    assert "total: €21,750" in result.stdout


def test_an_xlsx_sheet_with_a_mapping(empty: Path, tmp_path: Path, run: Run) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Ohje"
    first.append(["Tällä välilehdellä ei ole avustuksia"])
    sheet = workbook.create_sheet("Avustukset 2023")
    for line in GRANTS_2023.splitlines():
        cells: list[object] = line.split(";")
        if cells[2] == "2 000":
            cells[2] = 2000  # a number cell, as Excel keeps most amounts
        sheet.append(cells)
    workbook.save(tmp_path / "avustukset.xlsx")
    (tmp_path / "kainuu.toml").write_text(MAPPING, encoding="utf-8")
    result = run(
        "import", str(empty), "--map", str(tmp_path / "kainuu.toml"),
        "--sheet", "Avustukset 2023", str(tmp_path / "avustukset.xlsx"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    _check_2023(empty)
    assert "sheet Avustukset 2023: row 4" in result.stderr


def test_set_alone_with_finnish_headers_and_names(empty: Path, tmp_path: Path, run: Run) -> None:
    """No mapping: the headers are Finnish words, organisations named by name or Y-tunnus."""
    orgs = tmp_path / "jarjestot.csv"
    orgs.write_text(
        "Nimi;Y-tunnus;Kielet;Toiminta-alue;Kunnat\n"
        "Kuhmon Reumayhdistys ry;0242746-2;suomi;paikallinen;Kuhmo\n"
        "Kajaanin Mielenterveysseura ry;;Suomi, ruotsi;Alueellinen;Kajaanin kaupunki, Sotkamo\n",
        encoding="utf-8",
    )
    result = run("import", str(empty), "organisations", str(orgs))
    assert result.exit_code == 0, result.output
    grants = tmp_path / "avustukset.csv"
    grants.write_text(
        "Järjestö;Y-tunnus;Avustuslaji;Myönnetty;Vuosi\n"
        "Kajaanin Mielenterveysseura ry;;Toiminta-avustus;1 000 €;2024\n"
        "Kuhmon reumayhdistys;0242746-2;hankeavustus;2 500;2024\n",
        encoding="utf-8",
    )
    result = run(
        "import", str(empty), "agreements", str(grants), "--set", "party=Kajaanin kaupunki",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = read_dataset(empty)
    kajaani = next(o for o in data.organisations if o.id == "kajaanin-mielenterveysseura")
    assert kajaani.languages == ("fi", "sv")
    assert kajaani.scope is Scope.REGIONAL
    assert kajaani.municipalities == ("205", "765")
    agreements = {a.organisation: a for a in data.agreements}
    assert set(agreements) == {"kajaanin-mielenterveysseura", "kuhmon-reumayhdistys"}
    assert all(a.party == PartyRef.municipality("205") for a in data.agreements)
    assert agreements["kuhmon-reumayhdistys"].kind is AgreementKind.PROJECT_GRANT
    assert agreements["kuhmon-reumayhdistys"].end is not None
    assert agreements["kuhmon-reumayhdistys"].end.isoformat() == "2024-12-31"


def test_an_unknown_organisation_without_create_is_an_error(
    empty: Path, tmp_path: Path, run: Run
) -> None:
    grants = tmp_path / "avustukset.csv"
    grants.write_text("Järjestö;Myönnetty;Vuosi\nTuntematon yhdistys ry;100;2024\n")
    before = empty.read_bytes()
    result = run(
        "--lang", "fi", "import", str(empty), "agreements", str(grants),
        "--set", "party=Kainuu", "--set", "kind=operating_grant",
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"{grants}: rivi 2: organisation:" in result.stderr
    assert "'Tuntematon yhdistys ry'" in result.stderr
    assert empty.read_bytes() == before


def test_errors_name_the_row_in_the_readers_language(empty: Path, tmp_path: Path, run: Run) -> None:
    (tmp_path / "kainuu.toml").write_text(MAPPING, encoding="utf-8")
    grants = tmp_path / "turku.csv"
    grants.write_text(
        "Järjestö;Avustuslaji;Myönnetty €\n"
        "A ry;Toiminta-avustus;1 000\n"
        "B ry;Toiminta-avustus;360.615\n"
    )
    before = empty.read_bytes()
    for lang, row in (("fi", "rivi 3"), ("sv", "rad 3"), ("en", "row 3")):
        result = run(
            "--lang", lang, "import", str(empty), "--map", str(tmp_path / "kainuu.toml"),
            str(grants),
        )  # fmt: skip
        assert result.exit_code == 1
        assert f"{grants}: {row}: annual_amount_eur: '360.615'" in result.stderr
    assert empty.read_bytes() == before  # all or nothing: row 2 was not imported either


def test_dry_run_shows_rows_and_writes_nothing(empty: Path, tmp_path: Path, run: Run) -> None:
    (tmp_path / "avustukset.csv").write_text(GRANTS_2023, encoding="utf-8")
    (tmp_path / "kainuu.toml").write_text(MAPPING, encoding="utf-8")
    before = empty.read_bytes()
    result = run(
        "import", str(empty), "--map", str(tmp_path / "kainuu.toml"),
        str(tmp_path / "avustukset.csv"), "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "the first rows as they will be imported:"
    assert lines[1].startswith("  row 2: organisation=kuhmon-reumayhdistys; kind=operating_grant;")
    assert "row 4: annual_amount_eur: 0 €" in result.stderr
    assert "dry run: 4 agreements would be added to" in result.stdout
    assert empty.read_bytes() == before


def test_save_map_then_next_years_list_with_update(empty: Path, tmp_path: Path, run: Run) -> None:
    (tmp_path / "avustukset.csv").write_text(GRANTS_2023, encoding="utf-8")
    (tmp_path / "kainuu.toml").write_text(MAPPING, encoding="utf-8")
    saved = tmp_path / "saved.toml"
    result = run(
        "import", str(empty), "--map", str(tmp_path / "kainuu.toml"),
        str(tmp_path / "avustukset.csv"), "--save-map", str(saved),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    mapping = load_map(saved.read_bytes(), file=str(saved))
    assert mapping.collection == "agreements"
    assert mapping.columns["Järjestö"] == "organisation"
    assert mapping.set["party"] == "Kainuun hyvinvointialue"
    assert mapping.organisations.create
    # Next year: the same shape; one organisation new, one grant changed.
    (tmp_path / "avustukset-2024.csv").write_text(
        "Järjestö;Avustuslaji;Myönnetty €\n"
        "Kuhmon Reumayhdistys ry;Toiminta-avustus;15 000\n"
        "Kajaanin Mielenterveysseura ry;Kumppanuusavustus;2 000\n"
        "Paltamon Kyläyhdistys ry;Toiminta-avustus;800\n",
        encoding="utf-8",
    )
    result = run(
        "import", str(empty), "--map", str(saved), "--set", "start=2024",
        str(tmp_path / "avustukset-2024.csv"), "--update",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"agreements in {empty}: 3 added, 0 updated, 0 unchanged" in result.stdout
    assert "new organisations (1): paltamon-kylayhdistys" in result.stdout
    data = read_dataset(empty)
    assert len(data.agreements) == 7
    assert len(data.organisations) == 5  # the known four were found by name
    # The same list again with a corrected amount: updated, the rest unchanged.
    (tmp_path / "avustukset-2024.csv").write_text(
        "Järjestö;Avustuslaji;Myönnetty €\n"
        "Kuhmon Reumayhdistys ry;Toiminta-avustus;15 500\n"
        "Kajaanin Mielenterveysseura ry;Kumppanuusavustus;2 000\n"
        "Paltamon Kyläyhdistys ry;Toiminta-avustus;800\n",
        encoding="utf-8",
    )
    result = run(
        "import", str(empty), "--map", str(saved), "--set", "start=2024",
        str(tmp_path / "avustukset-2024.csv"), "--update",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"agreements in {empty}: 0 added, 1 updated, 2 unchanged" in result.stdout
    amounts = {a.id: a.annual_amount_eur for a in read_dataset(empty).agreements}
    assert amounts["kuhmon-reumayhdistys-2024"] == Decimal("15500")
    assert amounts["kuhmon-reumayhdistys-2023"] == Decimal("14750")


def test_organisations_update_by_business_id(dataset: Path, tmp_path: Path, run: Run) -> None:
    first = tmp_path / "orgs.csv"
    first.write_text(
        "id;name_fi;business_id;languages;scope;municipalities\n"
        "org-c;Kolmas ry;0242746-2;fi;local;Joensuu\n",
    )
    assert run("import", str(dataset), "organisations", str(first)).exit_code == 0
    again = tmp_path / "orgs-2.csv"
    again.write_text(
        "Nimi;Y-tunnus;Kielet;Toiminta-alue;Kunnat;Jäseniä\n"
        "Kolmas ry;0242746-2;suomi;paikallinen;Joensuu;40\n"
        "Neljäs ry;;suomi;paikallinen;Joensuu;\n",
    )
    result = run("import", str(dataset), "organisations", str(again), "--update")
    assert result.exit_code == 0, result.output
    assert f"organisations in {dataset}: 1 added, 1 updated, 0 unchanged" in result.stdout
    orgs = {o.id: o for o in read_dataset(dataset).organisations}
    assert orgs["org-c"].members == 40
    assert "neljas" in orgs


def test_update_in_a_workspace_goes_through_versions_and_the_audit_log(
    tmp_path: Path, run: Run
) -> None:
    from jarjesto_core.workspace import open_workspace

    ws = str(tmp_path / "kainuu.db")
    assert run("db", "init", "-w", ws).exit_code == 0
    (tmp_path / "avustukset.csv").write_text(GRANTS_2023, encoding="utf-8")
    (tmp_path / "kainuu.toml").write_text(MAPPING, encoding="utf-8")
    args = ("import", "-w", ws, "--map", str(tmp_path / "kainuu.toml"))
    result = run(*args, str(tmp_path / "avustukset.csv"))
    assert result.exit_code == 0, result.output
    (tmp_path / "korjattu.csv").write_text(GRANTS_2023.replace("14 750 euroa", "14 800"))
    result = run(*args, str(tmp_path / "korjattu.csv"), "--update")
    assert result.exit_code == 0, result.output
    assert "0 added, 1 updated, 3 unchanged" in result.stdout
    with open_workspace(ws) as opened:
        stored = opened.get("agreements", "kuhmon-reumayhdistys-2023")
        assert stored.record.annual_amount_eur == Decimal("14800")
        assert stored.version == 2
        log = opened.log(collection="agreements", record_id="kuhmon-reumayhdistys-2023")
        assert [e.action for e in log][-1] == "load"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_template_written_filled_and_imported_back(
    dataset: Path, tmp_path: Path, run: Run, lang: str
) -> None:
    path = tmp_path / f"agreements-{lang}.xlsx"
    result = run("template", "agreements", "--lang", lang, "-o", str(path))
    assert result.exit_code == 0, result.output
    # As it is: only the example row, which is not imported.
    result = run("import", str(dataset), "agreements", str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run: 0 agreements would be added" in result.stdout
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["agreements"]
    titles = [c.value for c in sheet[1]]
    expected = {"fi": "Avustuslaji", "sv": "Bidragsform", "en": "Kind"}[lang]
    assert expected in titles
    assert all(c.comment is not None for c in sheet[1])  # each column's meaning
    validated = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    kind_column = sheet.cell(row=1, column=titles.index(expected) + 1).column_letter
    assert f"{kind_column}2" in validated  # a dropdown of kinds
    words = {"fi": "toiminta-avustus", "sv": "verksamhetsbidrag", "en": "operating_grant"}
    party = {"fi": "Pohjois-Karjalan hyvinvointialue", "sv": "Norra Karelens välfärdsområde"}
    row = {
        "kind": words[lang],
        "party": party.get(lang, "area:11"),
        "organisation": "org-a",
        "start": "1.1.2024",
        "annual_amount_eur": "12 000",
    }
    from jarjesto_core.aliases import column_for

    sheet.append([row.get(column_for("agreements", str(t)) or "", "") for t in titles])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    result = run("import", str(dataset), "agreements", str(path))
    assert result.exit_code == 0, result.output
    (agreement,) = read_dataset(dataset).agreements
    assert agreement.kind is AgreementKind.OPERATING_GRANT
    assert agreement.party == PartyRef.area("12") or agreement.party.kind.value == "area"
    assert agreement.annual_amount_eur == Decimal("12000")


def test_xlsx_export_imports_back(dataset: Path, tmp_path: Path, run: Run) -> None:
    out = tmp_path / "x"
    result = run("export", str(dataset), "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir())[0] == "agreements.xlsx"
    copy = tmp_path / "copy.json"
    assert run("new", str(copy)).exit_code == 0
    result = run("import", str(copy), "organisations", str(out / "organisations.xlsx"))
    assert result.exit_code == 0, result.output
    assert read_dataset(copy).organisations == read_dataset(dataset).organisations


def test_a_bad_mapping_names_its_key(empty: Path, tmp_path: Path, run: Run) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('collection = "agreements"\n[columns]\n"Järjestö" = "organisaatio"\n')
    (tmp_path / "a.csv").write_text(GRANTS_2023)
    result = run("import", str(empty), "--map", str(bad), str(tmp_path / "a.csv"))
    assert result.exit_code == 1
    assert "unknown column 'organisaatio'" in result.stderr
    bad.write_text("collection = [")
    result = run("import", str(empty), "--map", str(bad), str(tmp_path / "a.csv"))
    assert result.exit_code == 1
    assert "the mapping is not valid TOML" in result.stderr


def test_the_docs_table_of_words_is_current() -> None:
    from jarjesto_core.aliases import markdown_tables

    page = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text("utf-8")
    start, end = "<!-- aliases:start -->\n", "<!-- aliases:end -->"
    assert page.split(start)[1].split(end)[0] == markdown_tables()
