"""``import --complete``: a complete list records coverage, so absence counts there only.

The real list is Helsinki's City Board general grants for 2023 as transcribed
in ``tests/realdata/`` (source and reading date in its README), written back
into the two columns the publication has (``Hakija``, ``euroa``). That list is
*not* every agreement of Helsinki (other boards grant too), so it is imported
without ``--complete`` as it should be; the import with ``--complete`` is the
counterfactual "if this were every grant of Helsinki in 2023", made only to
check what coverage changes, and written to a temporary file.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from jarjesto_core.files import read_dataset
from jarjesto_core.mapping import dump_map, load_map
from jarjesto_core.model import PartyRef

Run = Callable[..., Result]

REAL = Path(__file__).parents[1] / "realdata" / "helsinki-yleisavustukset-2023.json"
#: Where the transcribed list was read (tests/realdata/README.md).
REAL_SOURCE = (
    "https://victoriamedia.site/helsinki-helsingin-kaupunginhallitus-paatti-"
    "ensi-vuoden-yleisavustuksista-katso-lista/"
)

MAPPING = """\
collection = "agreements"
[columns]
"Hakija" = "organisation"
"euroa" = "annual_amount_eur"
[set]
party = "Helsinki"
kind = "yleisavustus"
start = "2023"
[organisations]
create = true
scope = "local"
municipalities = "Helsinki"
"""

#: Rules that judge agreements: the only ones a grants list may turn into "no".
AGREEMENT_RULES = {"core.grants", "core.premises", "core.grant-continuity"}


def _real_list(tmp_path: Path) -> Path:
    """The transcription as the published two-column table: applicant; euros."""
    data = json.loads(REAL.read_text(encoding="utf-8"))
    names = {o["id"]: next(iter(o["name"].values())) for o in data["organisations"]}
    lines = ["Hakija;euroa"]
    lines += [f"{names[a['organisation']]};{a['annual_amount_eur']}" for a in data["agreements"]]
    path = tmp_path / "helsinki-yleisavustukset-2023.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "helsinki.toml").write_text(MAPPING, encoding="utf-8")
    return path


def _new(tmp_path: Path, run: Run, name: str) -> Path:
    path = tmp_path / name
    assert run("new", str(path)).exit_code == 0
    return path


def _helsinki_2023(run: Run, dataset: Path) -> dict[str, Any]:
    result = run(
        "assess", str(dataset), "--municipality", "Helsinki", "--year", "2023", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def test_a_real_list_judges_grants_only_where_it_is_complete(tmp_path: Path, run: Run) -> None:
    table = _real_list(tmp_path)
    mapping = str(tmp_path / "helsinki.toml")
    partial = _new(tmp_path, run, "partial.json")
    complete = _new(tmp_path, run, "complete.json")
    result = run("import", str(partial), "--map", mapping, str(table))
    assert result.exit_code == 0, result.output
    assert "coverage" not in result.stdout
    result = run(
        "import", str(complete), "--map", mapping, str(table), "--complete", "--source", REAL_SOURCE
    )
    assert result.exit_code == 0, result.output
    assert (
        "coverage recorded: the data include all agreements of Helsinki for 2023 "
        f"(source: {REAL_SOURCE})"
    ) in result.stdout

    (coverage,) = read_dataset(complete).coverage
    assert coverage.collections == ("agreements",)
    assert coverage.parties == (PartyRef.municipality("091"),)
    assert (coverage.start.isoformat(), coverage.end.isoformat()) == ("2023-01-01", "2023-12-31")
    assert coverage.source == REAL_SOURCE
    assert read_dataset(partial).coverage == ()

    before = _helsinki_2023(run, partial)
    after = _helsinki_2023(run, complete)
    statuses = [
        {f["rule"]: f["status"] for f in doc["subjects"][0]["findings"]} for doc in (before, after)
    ]
    # Without coverage the list is evidence of grants, and silent on everything else.
    assert Counter(statuses[0].values()) == {"met": 1, "unknown": 13}
    assert statuses[0]["core.grants"] == "met"
    # Complete, it also says no premises agreement exists: a "no" about agreements only.
    assert Counter(statuses[1].values()) == {"met": 1, "not_met": 1, "unknown": 12}
    negative = {rule for rule, status in statuses[1].items() if status in ("not_met", "partial")}
    assert negative == {"core.premises"}
    assert negative <= AGREEMENT_RULES
    changed = {rule for rule in statuses[0] if statuses[0][rule] != statuses[1][rule]}
    assert changed == {"core.premises"}
    premises = next(f for f in after["subjects"][0]["findings"] if f["rule"] == "core.premises")
    assert premises["coverage"] == coverage.id
    assert after["coverage"][0]["source"] == REAL_SOURCE
    # 2022 is not in the list: whether grants continued stays unknown.
    assert statuses[1]["core.grant-continuity"] == "unknown"
    assert after["subjects"][0]["judged"] == before["subjects"][0]["judged"] + 1


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fi", "kattavuus kirjattu: aineisto kattaa kaikki sopimukset vuodelta 2023 (koskee: "),
        ("sv", "täckning registrerad: materialet omfattar alla avtal för Helsingfors år 2023"),
    ],
)
def test_the_coverage_line_in_finnish_and_swedish(
    tmp_path: Path, runner: Any, lang: str, line: str
) -> None:
    from jarjesto_cli.cli import cli

    table = _real_list(tmp_path)
    target = tmp_path / "h.json"
    assert runner.invoke(cli, ["new", str(target)]).exit_code == 0
    result = runner.invoke(
        cli,
        [
            "--lang",
            lang,
            "import",
            str(target),
            "--map",
            str(tmp_path / "helsinki.toml"),
            str(table),
            "--complete",
        ],
    )
    assert result.exit_code == 0, result.output
    assert line in result.stdout
    assert "agreements" not in result.stdout.split(line)[1].splitlines()[0]


GRANTS = "Järjestö;Myönnetty;Alkaa;Päättyy\n{rows}"


def _grants(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(GRANTS.format(rows="\n".join(rows) + "\n"), encoding="utf-8")
    return path


KAINUU = """\
collection = "agreements"
[set]
party = "Kajaanin kaupunki"
kind = "toiminta-avustus"
[organisations]
create = true
scope = "local"
municipalities = "Kajaani"
"""


def test_lists_for_years_one_and_three_say_nothing_of_year_two(tmp_path: Path, run: Run) -> None:
    """Coverage of 2018 and 2020 only: 2019 stays unknown, nobody is "interrupted" in it."""
    target = _new(tmp_path, run, "kajaani.json")
    (tmp_path / "kajaani.toml").write_text(KAINUU, encoding="utf-8")
    rows = ["Kajaanin Reumayhdistys ry;1 000;{y};{y}", "Kajaanin Kuntoklubi ry;2 000;{y};{y}"]
    both = _grants(
        tmp_path,
        "2018-2020.csv",
        [r.format(y=2018) for r in rows] + [rows[0].format(y=2020)],
    )
    result = run(
        "import", str(target), "--map", str(tmp_path / "kajaani.toml"), str(both), "--complete"
    )
    assert result.exit_code == 0, result.output
    periods = [(c.start.year, c.end.year) for c in read_dataset(target).coverage]
    assert periods == [(2018, 2018), (2020, 2020)]
    assert result.stdout.count("coverage recorded") == 2
    grants = run("grants", str(target), "--from", "2018", "--to", "2020")
    assert grants.exit_code == 0, grants.output
    assert "interrupted" not in grants.stdout
    # With 2019's complete list too, the grant that did not come back is interrupted.
    middle = _grants(tmp_path, "2019.csv", [rows[0].format(y=2019)])
    result = run(
        "import", str(target), "--map", str(tmp_path / "kajaani.toml"), str(middle), "--complete"
    )
    assert result.exit_code == 0, result.output
    grants = run("grants", str(target), "--from", "2018", "--to", "2020")
    (line,) = [line for line in grants.stdout.splitlines() if "interrupted" in line]
    assert line.startswith("Kajaanin Kuntoklubi ry")


def test_a_multi_year_grant_in_a_yearly_list_covers_its_first_year_only(
    tmp_path: Path, run: Run
) -> None:
    target = _new(tmp_path, run, "kajaani.json")
    (tmp_path / "kajaani.toml").write_text(KAINUU, encoding="utf-8")
    table = _grants(
        tmp_path,
        "2023.csv",
        ["Kajaanin Reumayhdistys ry;1 000;1.1.2023;31.12.2025", "Kajaanin Kuntoklubi ry;500;2023;"],
    )
    mapping = str(tmp_path / "kajaani.toml")
    result = run("import", str(target), "--map", mapping, str(table), "--complete", "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "dry run: coverage would be recorded: the data include all agreements of Kajaani "
        "for 2023 (source: 2023.csv)"
    ) in result.stdout
    assert read_dataset(target).coverage == ()
    result = run("import", str(target), "--map", mapping, str(table), "--complete")
    assert result.exit_code == 0, result.output
    (coverage,) = read_dataset(target).coverage
    assert (coverage.start.year, coverage.end.year) == (2023, 2023)
    assert coverage.source == "2023.csv"
    assert coverage.id == "kajaani-agreements-2023"
    # The same list again with --update records nothing twice.
    result = run("import", str(target), "--map", mapping, str(table), "--complete", "--update")
    assert result.exit_code == 0, result.output
    assert len(read_dataset(target).coverage) == 1


def test_a_mappings_complete_names_parties_and_years_for_organisations(
    tmp_path: Path, run: Run
) -> None:
    target = _new(tmp_path, run, "joensuu.json")
    table = tmp_path / "yhdistykset.csv"
    table.write_text(
        "Nimi;Kunnat;Toiminta-alue;Kielet\nJoensuun Klubitalo ry;Joensuu;paikallinen;suomi\n",
        encoding="utf-8",
    )
    without = tmp_path / "without.toml"
    without.write_text('collection = "organisations"\n[complete]\n', encoding="utf-8")
    result = run("import", str(target), "--map", str(without), str(table))
    assert result.exit_code == 1
    assert "parties in the mapping's [complete]" in result.output
    assert "years in the mapping's [complete]" in result.output
    assert read_dataset(target).organisations == ()
    given = tmp_path / "given.toml"
    given.write_text(
        'collection = "organisations"\n[complete]\nparties = "Joensuun kaupunki"\nyears = [2024]\n'
        'source = "Joensuun yhdistysluettelo 2024"\n',
        encoding="utf-8",
    )
    result = run("import", str(target), "--map", str(given), str(table))
    assert result.exit_code == 0, result.output
    (coverage,) = read_dataset(target).coverage
    assert coverage.collections == ("organisations",)
    assert coverage.parties == (PartyRef.municipality("167"),)
    assert coverage.source == "Joensuun yhdistysluettelo 2024"


def test_bad_uses_are_refused_and_write_nothing(tmp_path: Path, run: Run) -> None:
    target = _new(tmp_path, run, "kajaani.json")
    (tmp_path / "kajaani.toml").write_text(KAINUU, encoding="utf-8")
    table = _grants(tmp_path, "2023.csv", ["Kajaanin Reumayhdistys ry;1 000;2023;"])
    result = run(
        "import", str(target), "--map", str(tmp_path / "kajaani.toml"), str(table), "--source", "x"
    )
    assert result.exit_code == 2
    assert "--source goes with --complete" in result.output
    coverage_csv = tmp_path / "coverage.csv"
    coverage_csv.write_text(
        "id;collections;parties;start;end\nc;agreements;Kajaani;2023;2023\n", encoding="utf-8"
    )
    result = run("import", str(target), "coverage", str(coverage_csv), "--complete")
    assert result.exit_code == 1
    assert "cannot be recorded as complete" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text(KAINUU + '[complete]\nyears = "vuosi"\nparties = "Atlantis"\n')
    result = run("import", str(target), "--map", str(bad), str(table))
    assert result.exit_code == 1
    assert "'vuosi' is not a year" in result.output
    assert read_dataset(target).agreements == ()
    assert read_dataset(target).coverage == ()
    bad.write_text(KAINUU + '[complete]\nparties = "Atlantis"\n')
    result = run("import", str(target), "--map", str(bad), str(table))
    assert result.exit_code == 1
    assert "'Atlantis' is not a party" in result.output


def test_save_map_keeps_complete_but_not_this_years_years_and_source(
    tmp_path: Path, run: Run
) -> None:
    target = _new(tmp_path, run, "kajaani.json")
    (tmp_path / "kajaani.toml").write_text(
        KAINUU + '[complete]\nparties = "Kajaani"\nyears = 2023\n', encoding="utf-8"
    )
    table = _grants(tmp_path, "2023.csv", ["Kajaanin Reumayhdistys ry;1 000;2023;"])
    saved = tmp_path / "saved.toml"
    result = run(
        "import",
        str(target),
        "--map",
        str(tmp_path / "kajaani.toml"),
        str(table),
        "--source",
        "https://example.invalid/2023",
        "--complete",
        "--save-map",
        str(saved),
    )
    assert result.exit_code == 0, result.output
    assert read_dataset(target).coverage[0].source == "https://example.invalid/2023"
    mapping = load_map(saved.read_bytes(), file="saved.toml")
    assert mapping.complete is not None
    assert mapping.complete.parties == ("Kajaani",)
    assert (mapping.complete.years, mapping.complete.source) == ((), None)
    again = load_map(dump_map(mapping).encode(), file="again.toml")
    assert again == mapping


def test_a_complete_list_into_a_workspace_is_audited(tmp_path: Path, run: Run) -> None:
    from jarjesto_core.workspace import open_workspace

    ws = str(tmp_path / "helsinki.db")
    assert run("db", "init", "-w", ws).exit_code == 0
    table = _real_list(tmp_path)
    result = run(
        "import", "-w", ws, "--map", str(tmp_path / "helsinki.toml"), str(table), "--complete"
    )
    assert result.exit_code == 0, result.output
    with open_workspace(ws) as opened:
        (coverage,) = opened.dataset().coverage
        assert coverage.source == "helsinki-yleisavustukset-2023.csv"
        log = opened.log(collection="coverage", record_id=coverage.id)
        assert [e.action for e in log] == ["insert"]
