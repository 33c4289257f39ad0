"""CliRunner tests of assess, gaps, grants and plugins: output and exit codes."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pluggy
import pytest
from click.testing import CliRunner, Result

from jarjesto_cli.cli import cli
from jarjesto_core.files import write_dataset
from jarjesto_core.hookspecs import hookimpl
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Coordinator,
    CoordinatorTitle,
    Coverage,
    Dataset,
    Name,
    Organisation,
    PartyRef,
    Scope,
    Service,
)
from jarjesto_core.plugins import get_plugin_manager
from jarjesto_core.reports import BUILTIN_FORMATS
from jarjesto_core.rules.base import Context, Rule, Status, Verdict

JOENSUU = PartyRef.municipality("167")


def _dataset() -> Dataset:
    return Dataset(
        organisations=(
            Organisation("org-a", Name(fi="Yhdistys A"), ("fi",), Scope.LOCAL, ("167", "309")),
        ),
        services=(
            Service("svc-club", "org-a", Name(fi="Klubitalo"), "clubhouse"),
            Service("svc-culture", "org-a", Name(fi="Kuoro"), "culture"),
        ),
        agreements=(
            Agreement(
                "ag-1",
                AgreementKind.OPERATING_GRANT,
                JOENSUU,
                "org-a",
                dt.date(2021, 1, 1),
                end=dt.date(2022, 12, 31),
                annual_amount_eur=Decimal("1234.50"),
            ),
            Agreement(
                "ag-2",
                AgreementKind.OPERATING_GRANT,
                PartyRef.municipality("309"),
                "org-a",
                dt.date(2023, 1, 1),
                end=dt.date(2023, 12, 31),
                services=("svc-culture",),
                annual_amount_eur=Decimal("500"),
            ),
        ),
        coordinators=(
            Coordinator(
                "co-1",
                JOENSUU,
                CoordinatorTitle.ASSOCIATION_AGENT,
                dt.date(2021, 1, 1),
                end=dt.date(2023, 12, 31),
            ),
        ),
        # Every record of area 14 and its members (Joensuu, Outokumpu) is here.
        coverage=(
            Coverage(
                "cov-14",
                ("agreements", "coordinators", "structures", "hearings"),
                (PartyRef.area("14"),),
                dt.date(2021, 1, 1),
                dt.date(2024, 12, 31),
                members=True,
            ),
        ),
    )


@pytest.fixture
def path(tmp_path: Path) -> str:
    target = tmp_path / "region.json"
    write_dataset(target, _dataset())
    return str(target)


@pytest.fixture
def pm() -> pluggy.PluginManager:
    return get_plugin_manager(load_entrypoints=False)


@pytest.fixture
def run(pm: pluggy.PluginManager) -> Any:
    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        environment = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "en_GB.UTF-8", **(env or {})}
        return CliRunner().invoke(cli, list(args), obj={"pm": pm}, env=environment)

    return invoke


# -- assess --------------------------------------------------------------------------


def test_assess_json_is_the_criteria_document(run: Any, path: str) -> None:
    result = run("assess", path, "--format", "json", "--municipality", "Joensuu")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    # The latest year with a record in force: 2023.
    assert (doc["format"], doc["version"], doc["year"]) == ("jarjesto-assessment", 2, 2023)
    assert [s["party"] for s in doc["subjects"]] == ["municipality:167"]
    coordinator = next(f for f in doc["subjects"][0]["findings"] if f["rule"] == "core.coordinator")
    assert coordinator == {
        "rule": "core.coordinator",
        "title": "Coordinator for cooperation with organisations",
        "status": "partial",
        "message": "Only an association agent or a hyte coordinator without a remit for "
        "organisation cooperation is in post.",
        "evidence": ["co-1"],
        "missing": ["an organisation coordinator in post"],
        "coverage": "cov-14",
        "sources": [
            "soste-kuntavaalit-2021#toimenpiteet.4",
            "soste-aluevaalit-2022#tavoite-2",
            "vslj-mll-kannanotto-2022#jarjestokoordinaattori",
            "pohjois-pohjanmaa-jarjestoystavallinen-kunta#kohta-3",
            "jarjestamislaki-612-2021#6",
        ],
    }
    assert doc["interruptions"] == [
        {
            "organisation": "org-a",
            "party": "municipality:167",
            "year": 2023,
            "kind": "interruption",
            "reform_gap": True,
        }
    ]


def test_assess_every_touched_subject_by_default(run: Any, path: str) -> None:
    doc = json.loads(run("assess", path, "--format", "json", "--year", "2022").output)
    assert [s["party"] for s in doc["subjects"]] == ["municipality:167", "municipality:309"]
    assert doc["interruptions"] == []
    later = json.loads(run("assess", path, "--format", "json", "--year", "2024").output)
    assert later["interruptions"] == [
        {
            "organisation": "org-a",
            "party": "municipality:309",
            "year": 2024,
            "kind": "interruption",
            "reform_gap": False,
        }
    ]


def test_assess_area_by_name_and_code(run: Any, path: str) -> None:
    by_name = json.loads(
        run("assess", path, "--format", "json", "--area", "Pohjois-Karjala").output
    )
    by_code = json.loads(run("assess", path, "--format", "json", "--area", "14").output)
    assert by_name == by_code
    assert [s["party"] for s in by_name["subjects"]] == ["area:14"]
    assert {r["municipality"] for r in by_name["funding"]} == {"167", "309"}


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--municipality", "Atlantis", "no municipality Atlantis in 2023"),
        ("--area", "99", "no wellbeing area 99"),
        ("--format", "pdf", "unknown report format pdf; choose from json, text, markdown, html"),
        ("--disable-plugin", "nope", "no plugin named nope is loaded"),
        ("--lang", "de", "'de' is not one of 'fi', 'sv', 'en'"),
    ],
)
def test_assess_usage_errors_exit_2(
    run: Any, path: str, option: str, value: str, message: str
) -> None:
    result = run("assess", path, option, value)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize("fmt", [f.name for f in BUILTIN_FORMATS])
def test_assess_formats(run: Any, path: str, fmt: str) -> None:
    result = run("assess", path, "--format", fmt, "--municipality", "167", "--lang", "en")
    assert result.exit_code == 0
    # JSON keeps the rule codes for programs; the others show the rule titles.
    shown = (
        "core.coordinator" if fmt == "json" else "Coordinator for cooperation with organisations"
    )
    assert shown in result.output
    if fmt != "json":
        assert "core.coordinator" not in result.output
        assert "municipality:167" not in result.output
    assert "\x1b[" not in result.output


def test_assess_language_from_the_locale(run: Any, path: str) -> None:
    result = run("assess", path, "--format", "html", env={"LANG": "sv_FI.UTF-8"})
    assert '<html lang="sv">' in result.output
    result = run("assess", path, "--format", "html", env={"LANG": "C"})
    assert '<html lang="fi">' in result.output


def test_assess_output_file(run: Any, path: str, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run("assess", path, "--format", "html", "-o", str(out))
    assert (result.exit_code, result.output) == (0, "")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_assess_fail_on(run: Any, path: str, tmp_path: Path) -> None:
    assert run("assess", path, "--fail-on", "not_met").exit_code == 1
    empty = tmp_path / "empty.json"
    write_dataset(empty, Dataset(organisations=_dataset().organisations))
    # Nothing can be judged without records: unknown findings never fail.
    result = run("assess", str(empty), "--year", "2024", "--fail-on", "partial")
    assert result.exit_code == 0, result.output


def test_assess_refuses_to_disable_core(run: Any, path: str) -> None:
    """Without core every finding list was empty, and exit 0 said all was well."""
    result = run("assess", path, "--format", "json", "--disable-plugin", "core")
    assert result.exit_code == 2
    assert "the core criteria cannot be disabled" in result.output
    assert "{" not in result.output
    finnish = run("assess", path, "--lang", "fi", "--disable-plugin", "core")
    assert finnish.exit_code == 2
    assert "yhteisiä kriteerejä ei voi poistaa käytöstä" in finnish.output


def test_assess_disable_plugin(run: Any, path: str, pm: pluggy.PluginManager) -> None:
    class Everywhere(Rule):
        code = "region.everywhere"

        def judge(self, ctx: Context) -> Verdict:
            return Verdict(Status.MET, "Met.")

    class Region:
        @hookimpl
        def register_rules(self) -> list[Rule]:
            return [Everywhere()]

    pm.register(Region(), name="region")

    def rules(*args: str) -> set[str]:
        result = run("assess", path, "--format", "json", *args)
        assert result.exit_code == 0, result.output
        return {f["rule"] for s in json.loads(result.output)["subjects"] for f in s["findings"]}

    assert "region.everywhere" in rules()
    without = rules("--disable-plugin", "region")
    assert without
    assert "region.everywhere" not in without


def test_assess_bad_dataset_exits_1(run: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}', encoding="utf-8")
    assert run("assess", str(bad)).exit_code == 1
    missing = run("assess", str(tmp_path / "missing.json"))
    assert missing.exit_code == 1
    assert "no such file" in missing.output


def test_assess_needs_a_year_for_an_undated_dataset(run: Any, tmp_path: Path) -> None:
    undated = tmp_path / "undated.json"
    write_dataset(undated, Dataset())
    result = run("assess", str(undated))
    assert result.exit_code == 2
    assert "give the year with --year" in result.output


def test_assess_without_a_dataset_uses_the_sample(run: Any) -> None:
    result = run("assess", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["format"] == "jarjesto-assessment"
    # The sample's last year; its subjects are the places docs/sample.md names.
    assert report["year"] == 2024  # the year with the most records in force
    assert {"area:14", "municipality:837", "area:05", "municipality:475"} <= {
        s["party"] for s in report["subjects"]
    }


# -- gaps, grants, plugins -----------------------------------------------------------------


def test_gaps_lists_blind_spots_first(run: Any, path: str) -> None:
    result = run("gaps", path, "--year", "2023")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if "Yhdistys A" in line]
    assert ["blind spot" in line for line in lines] == [True, True, False, False]
    assert "Joensuu" in result.output
    assert "svc-" not in result.output  # services by name, not id
    assert "clubhouse" in result.output  # the kind's label


def test_gaps_colours_the_status_only_on_a_terminal(
    pm: pluggy.PluginManager, run: Any, path: str
) -> None:
    env = {"LANG": "en_GB.UTF-8"}
    args = ["gaps", path, "--year", "2023"]
    coloured = CliRunner().invoke(cli, args, obj={"pm": pm}, env=env, color=True)
    assert "\x1b[31m\x1b[1mblind spot\x1b[0m" in coloured.output
    plain = run(*args)
    assert "\x1b[" not in plain.output
    # Colour codes take no room: the columns line up the same with and without.
    bare = re.sub("\x1b\\[[0-9;]*m", "", coloured.output)
    assert bare == plain.output


def test_gaps_filters_by_municipality(run: Any, path: str) -> None:
    result = run("gaps", path, "--municipality", "Outokumpu", "--year", "2023")
    assert result.exit_code == 0
    assert "Outokumpu" in result.output
    assert "Joensuu" not in result.output
    assert run("gaps", path, "--area", "Nowhere").exit_code == 2


@pytest.mark.parametrize(
    "question",
    [
        ["--area", "Pohjois-Karjala", "--year", "2023"],
        ["--municipality", "Outokumpu", "--year", "2023"],
        ["--municipality", "167"],  # the year the data open on, counted by the database
        ["--area", "14", "--year", "2022"],
    ],
)
def test_gaps_of_one_area_from_a_workspace_read_only_its_records_alike(
    run: Any, path: str, tmp_path: Path, question: list[str]
) -> None:
    """A one-area question reads the area's records from a workspace, not the whole
    dataset; the answer is the one the whole file gives."""
    location = str(tmp_path / "ws.db")
    assert run("db", "init", "-w", location).exit_code == 0
    assert run("workspace", "load", "-w", location, path).exit_code == 0
    from_file = run("gaps", path, *question)
    assert from_file.exit_code == 0, from_file.output
    assert run("gaps", "-w", location, *question).output == from_file.output


def test_grants_marks_interruptions_and_reform_gaps(run: Any, path: str) -> None:
    result = run("grants", path, "--from", "2021", "--to", "2024", "--lang", "fi")
    assert result.exit_code == 0, result.output
    assert "1\xa0234,50\xa0€" in result.output
    assert "500\xa0€" in result.output  # a whole sum without cents
    assert "sote-uudistukseen liittyvä katkos" in result.output  # "reform gap", in Finnish
    assert "Yhdistys A" in result.output  # organisations by name
    assert "org-a" not in result.output
    assert "katkesi" in result.output  # 2024: the 2023 grant was not continued


def test_grants_filters_and_errors(run: Any, path: str) -> None:
    result = run("grants", path, "--party", "municipality:837")
    assert (result.exit_code, "No grants in these years." in result.output) == (0, True)
    assert run("grants", path, "--organisation", "org-a").exit_code == 0
    bad = run("grants", path, "--party", "city:1")
    assert bad.exit_code == 2
    assert "not a party reference: city:1" in bad.output
    assert run("grants", path, "--from", "2024", "--to", "2021").exit_code == 2


def test_plugins_table_and_json(run: Any) -> None:
    table = run("plugins")
    assert table.exit_code == 0
    assert "core_reports" in table.output
    assert "core.coordinator" in table.output
    info = json.loads(run("plugins", "--json").output)
    assert [p["name"] for p in info] == ["core", "core_reports"]
    assert info[0]["service_kinds"][:2] == ["carer_support", "clubhouse"]


def test_report_writes_the_board_summary(run: Any, tmp_path: Path) -> None:
    pdf = tmp_path / "summary.pdf"
    result = run("report", "--area", "14", "--year", "2025", "--lang", "sv", "-o", str(pdf))
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes()[:5] == b"%PDF-"
    html = run("report", "--municipality", "Joensuu", "--year", "2025", "--lang", "fi")
    assert html.exit_code == 0, html.output
    assert "Järjestöyhteistyö: yhteenveto hallitukselle" in html.output
    assert "Joensuu, 2025" in html.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "14", "--format", "pdf"], "a PDF needs a file"),
        (["--area", "14", "--municipality", "167"], "name one municipality"),
        ([], "name one municipality"),
    ],
)
def test_report_usage_errors_exit_2(run: Any, args: list[str], message: str) -> None:
    result = run("report", "--lang", "en", *args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize("command", ["assess", "gaps", "grants", "report", "plugins"])
def test_every_command_has_help_with_examples(run: Any, command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert f"jarjesto {command}" in result.output


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from jarjesto_cli.cli import cli\n"
        "CliRunner().invoke(cli, ['--help'])\n"
        "print(sorted(m for m in ('rich', 'tabulate', 'babel', 'jinja2', 'flask',"
        " 'jarjesto_core.reports.html')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_the_core_imports_neither_click_nor_flask() -> None:
    code = (
        "import sys, jarjesto_core\n"
        "print(sorted(m for m in ('click', 'flask', 'pluggy', 'babel') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
