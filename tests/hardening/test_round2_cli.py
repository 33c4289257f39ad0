"""Round two of hardening (issue 28): the command line and the core, finding by finding.

Each test names its finding; each failed on the main of 2026-12-06 and passes now.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from jarjesto_cli.cli import cli
from jarjesto_core.files import sample_dataset, write_dataset


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["--lang", "en", *args], input=input)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "region.json"
    write_dataset(path, sample_dataset())
    return path


# -- finding 1: -o PATH replaces whatever is at PATH -----------------------------------


def _char_device(tmp_path: Path) -> Path:
    """A character device to write to: a private null device as root, else /dev/null.

    As root the test must not touch the machine's /dev/null (the bug replaced it).
    """
    if os.geteuid() == 0:
        node = tmp_path / "null"
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        return node
    return Path("/dev/null")


@pytest.mark.parametrize(
    "command",
    [
        ("assess", "{dataset}", "-o", "{out}"),
        ("export", "{dataset}", "--format", "json", "-o", "{out}"),
    ],
)
def test_finding_1_a_character_device_is_written_to_not_replaced(
    tmp_path: Path, dataset: Path, command: tuple[str, ...]
) -> None:
    device = _char_device(tmp_path)
    args = [a.format(dataset=dataset, out=device) for a in command]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert not list(device.parent.glob(f".{device.name}.*"))


def test_finding_1_a_fifo_is_written_to(tmp_path: Path, dataset: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    # A daemon: if the FIFO were replaced by a file, nobody would ever write to it.
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("export", str(dataset), "--format", "json", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got
    assert got[0].startswith(b"{")


def test_finding_1_a_symlink_is_followed_and_its_target_replaced(
    tmp_path: Path, dataset: Path
) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    result = run("assess", str(dataset), "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert target.read_text() != "old"


def test_finding_1_a_directory_is_refused_clearly(tmp_path: Path) -> None:
    from jarjesto_core.files import OutputError, write_output

    with pytest.raises(OutputError, match="is a directory"):
        write_output(tmp_path, b"x")
    result = run("export", "--format", "json", "-o", str(tmp_path))
    assert result.exit_code in (1, 2)
    assert "directory" in result.output
    assert "Traceback" not in result.output


def test_finding_1_mode_follows_the_umask_and_an_existing_mode_is_kept(
    tmp_path: Path, dataset: Path
) -> None:
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.json"
        assert run("export", "--format", "json", "-o", str(fresh)).exit_code == 0
        assert stat.S_IMODE(os.stat(fresh).st_mode) == 0o644
        os.chmod(dataset, 0o640)
        csv_file = tmp_path / "o.csv"
        csv_file.write_text(
            "id;name_fi;languages;scope;municipalities\nnew-org;Uusi ry;fi;local;Joensuu\n"
        )
        result = run("import", str(dataset), "organisations", str(csv_file))
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(os.stat(dataset).st_mode) == 0o640
    finally:
        os.umask(old)


def test_finding_1_dash_is_standard_output(tmp_path: Path) -> None:
    script = "from jarjesto_core.files import write_output; write_output('-', b'hello\\n')"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True)
    assert done.stdout == b"hello\n"
    assert not (tmp_path / "-").exists()


# -- finding 2: lone surrogates and control characters in text ---------------------------

ORG_HEADER = "id;name_fi;languages;scope;municipalities;business_id\n"


def _org_json(name: str, rid: str = "uusi") -> str:
    import json

    doc = {
        "format": "jarjesto-dataset",
        "version": 1,
        "organisations": [
            {
                "id": rid,
                "name": {"fi": name},
                "languages": ["fi"],
                "scope": "local",
                "municipalities": ["167"],
            }
        ],
    }
    return json.dumps(doc)  # ensure_ascii: "\ud800" stays an escape, as an attacker writes it


@pytest.mark.parametrize("bad", ["x\ud800y", "x\x00y", "x\x1by"])
def test_finding_2_a_dataset_file_with_invalid_text_is_refused(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(_org_json(bad), "ascii")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "organisations[0] (uusi).name" in result.output
    assert "Traceback" not in result.output


def test_finding_2_tab_and_line_breaks_stay_allowed_in_text(tmp_path: Path) -> None:
    path = tmp_path / "ok.json"
    path.write_text(_org_json("rivi 1\nrivi 2\tsarake"), "ascii")
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output


def test_finding_2_a_csv_cell_with_nul_is_refused_naming_the_row(
    tmp_path: Path, dataset: Path
) -> None:
    csv_file = tmp_path / "o.csv"
    csv_file.write_bytes((ORG_HEADER + "uusi;Uusi\x00 ry;fi;local;Joensuu;\n").encode())
    result = run("import", str(dataset), "organisations", str(csv_file))
    assert result.exit_code == 1
    assert "row 2" in result.output
    assert "U+0000" in result.output


def test_finding_2_repair_text_cleans_a_poisoned_workspace(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from jarjesto_core.serialise import dump_dataset
    from jarjesto_core.workspace import open_workspace

    db = tmp_path / "ws.db"
    with open_workspace(str(db)) as ws:
        ws.init()
        ws.load(sample_dataset(), actor="setup")
        # What an older jarjesto let the API store.
        with ws.engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE organisations SET name = :name WHERE id = 'pk-klubitalo'"),
                {"name": '{"fi": "Klubi\\ud800talo\\u0001 ry"}'},
            )
        with pytest.raises(UnicodeEncodeError):
            dump_dataset(ws.dataset()).encode("utf-8")
    assert run("validate", "-w", str(db)).exit_code == 1
    result = run("workspace", "repair-text", "-w", str(db))
    assert result.exit_code == 0, result.output
    assert "organisations pk-klubitalo: name" in result.output
    with open_workspace(str(db)) as ws:
        org = next(o for o in ws.dataset().organisations if o.id == "pk-klubitalo")
        assert org.name.fi == "Klubi\ufffdtalo ry"
        assert ws.log(record_id="pk-klubitalo")[-1].action == "update"
    assert run("workspace", "dump", "-w", str(db), str(tmp_path / "d.json")).exit_code == 0
    assert run("validate", "-w", str(db)).exit_code == 0


# -- finding 4: two imports into one JSON file ----------------------------------------


def test_finding_4_concurrent_imports_into_one_file_keep_every_row(tmp_path: Path) -> None:
    target = tmp_path / "ds.json"
    assert run("new", str(target)).exit_code == 0
    files = []
    for batch in range(2):
        rows = "".join(
            f"org-{batch}-{i};Yhdistys {batch} {i};fi;local;Joensuu;\n" for i in range(50)
        )
        path = tmp_path / f"b{batch}.csv"
        path.write_text(ORG_HEADER + rows)
        files.append(path)
    for _trial in range(3):
        write_dataset(target, sample_dataset().__class__())
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jarjesto_cli",
                    "--lang",
                    "en",
                    "import",
                    str(target),
                    "organisations",
                    str(f),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for f in files
        ]
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode()
        from jarjesto_core.files import read_dataset

        assert len(read_dataset(target).organisations) == 100


# -- finding 7: formula injection --------------------------------------------------------


def test_finding_7_csv_export_neutralises_formulas_and_import_restores_them(
    tmp_path: Path,
) -> None:
    import attrs

    from jarjesto_core.files import read_dataset
    from jarjesto_core.model import Name

    sample = sample_dataset()
    names = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "'=kept", "-12"]
    orgs = tuple(
        attrs.evolve(o, name=Name(fi=n)) for o, n in zip(sample.organisations, names, strict=False)
    )
    data = attrs.evolve(sample, organisations=orgs + sample.organisations[len(names) :])
    source = tmp_path / "src.json"
    write_dataset(source, data)
    out = tmp_path / "csv"
    assert run("export", str(source), "--format", "csv", "-o", str(out)).exit_code == 0
    text = (out / "organisations.csv").read_text("utf-8-sig")
    cells = [line.split(";")[1].strip('"') for line in text.splitlines()[1 : len(names) + 1]]
    assert cells[:6] == [
        '\'=HYPERLINK(""http://x"")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "''=kept",
    ]
    assert cells[6] == "-12"  # a number is not a formula
    # Round trip: the imported names are the exported ones.
    target = tmp_path / "back.json"
    assert run("new", str(target)).exit_code == 0
    result = run("import", str(target), "organisations", str(out / "organisations.csv"))
    assert result.exit_code == 0, result.output
    back = {o.id: o.name.fi for o in read_dataset(target).organisations}
    assert [back[o.id] for o in orgs[: len(names)]] == names


# -- finding 8: validate -w validates -----------------------------------------------------


def test_finding_8_validate_workspace_finds_what_a_file_would(tmp_path: Path) -> None:

    from jarjesto_core.workspace import open_workspace

    db = tmp_path / "ws.db"
    with open_workspace(str(db)) as ws:
        ws.init()
        ws.load(sample_dataset(), actor="setup")
    import sqlite3

    raw = sqlite3.connect(db)  # around the API: no foreign keys, no validation
    raw.execute(
        "UPDATE agreements SET annual_amount_eur = '-5.00', organisation = 'ghost'"
        " WHERE id = 'ag-joensuu-klubitalo'"
    )
    raw.execute("UPDATE organisations SET municipalities = '[\"999\"]' WHERE id = 'okp-kohtaamo'")
    raw.commit()
    raw.close()
    result = run("validate", "-w", str(db))
    assert result.exit_code == 1, result.output
    assert "ghost" in result.output
    assert "999" in result.output
    assert "annual_amount_eur" in result.output
    dump = tmp_path / "dump.json"
    assert run("workspace", "dump", "-w", str(db), str(dump)).exit_code == 0
    assert run("validate", str(dump)).exit_code == 1


# -- finding 9 (CLI) and 10: clear errors, bounded years --------------------------------


def test_finding_9_deep_json_nesting_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "nested too deeply" in result.output


def test_finding_9_huge_integers_in_json_and_csv(tmp_path: Path, dataset: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"format": "jarjesto-dataset", "version": 1, "x": ' + "9" * 5000 + "}")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "digits" in result.output
    csv_file = tmp_path / "o.csv"
    csv_file.write_text(
        "id;name_fi;languages;scope;municipalities;members\n"
        f"uusi;Uusi ry;fi;local;Joensuu;{'9' * 5000}\n"
    )
    result = run("import", str(dataset), "organisations", str(csv_file))
    assert result.exit_code == 1
    assert "row 2: organisations.members" in result.output or "row 2" in result.output
    assert "too large" in result.output


def test_finding_9_members_1e20_into_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(
        _org_json("Iso ry").replace('"scope"', '"members": 100000000000000000000, "scope"')
    )
    db = tmp_path / "ws.db"
    assert run("db", "init", "-w", str(db)).exit_code == 0
    result = run("workspace", "load", "-w", str(db), str(path))
    assert result.exit_code == 1
    assert "members" in result.output
    assert "too large" in result.output
    assert "Traceback" not in result.output


def test_finding_9_encoding_base64_is_a_usage_error(tmp_path: Path, dataset: Path) -> None:
    csv_file = tmp_path / "o.csv"
    csv_file.write_text(ORG_HEADER)
    result = run("import", str(dataset), "organisations", str(csv_file), "--encoding", "base64")
    assert result.exit_code == 2
    assert "not a text encoding" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("assess", "--year", "0"),
        ("gaps", "--year", "0"),
        ("grants", "--from", "1"),
        ("grants", "--from", "1", "--to", "999999999"),
        ("grants", "--to", "99999"),
    ],
)
def test_finding_9_and_10_years_are_bounded(args: tuple[str, ...]) -> None:
    """In a process of its own with 2 GiB of address space and a minute: before the fix,
    ``grants --from 1 --to 999999999`` grew until the kernel killed it at 24 GB."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    done = subprocess.run(
        [sys.executable, "-m", "jarjesto_cli", "--lang", "en", *args],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
        check=False,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert "not a year jarjesto handles" in done.stderr


def test_finding_9_a_postgresql_url_with_a_bad_port() -> None:
    result = run("db", "status", "-w", "postgresql://user:secret@localhost:notaport/db")
    assert result.exit_code in (1, 2), result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "port" in result.output
    assert "secret" not in result.output


def test_finding_9_a_hand_corrupted_workspace_cell(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from jarjesto_core.workspace import open_workspace

    db = tmp_path / "ws.db"
    with open_workspace(str(db)) as ws:
        ws.init()
        ws.load(sample_dataset(), actor="setup")
        with ws.engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE organisations SET founded = 'not a date' WHERE id = 'pk-klubitalo'")
            )
    for args in (("validate", "-w", str(db)), ("assess", "-w", str(db))):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit), result.exception
        assert "pk-klubitalo" in result.output


@pytest.fixture(scope="module")
def sample_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from jarjesto_core.workspace import open_workspace

    db = tmp_path_factory.mktemp("corrupt") / "ws.db"
    with open_workspace(str(db)) as ws:
        ws.init()
        ws.load(sample_dataset(), actor="setup")
    return db


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("name", "'{not json'"),  # a JSON column that does not parse: named only since then
        ("name", "x'80ff'"),  # bytes that are not UTF-8: named only since then
        ("founded", "'31.2.2024'"),
        ("members", "'many'"),
        ("scope", "'galactic'"),
        ("municipalities", "'[1, 2]'"),
    ],
)
@pytest.mark.parametrize(
    "command",
    [("validate",), ("assess",), ("workspace", "dump"), ("export", "--format", "json", "-o", "-")],
)
def test_finding_9_hand_corrupted_cells_name_record_and_field_in_every_command(
    tmp_path: Path, sample_workspace: Path, column: str, cell: str, command: tuple[str, ...]
) -> None:
    """A cell edited by hand around jarjesto, in each kind of column, read by each command
    that reads the whole workspace: exit 1 naming the record and the column, no traceback."""
    import shutil
    import sqlite3

    db = tmp_path / "ws.db"
    shutil.copy(sample_workspace, db)
    with sqlite3.connect(db) as connection:
        connection.execute(f"UPDATE organisations SET {column} = {cell} WHERE id = 'pk-klubitalo'")
    result = run(*command, "-w", str(db))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert f"organisations (pk-klubitalo).{column}" in result.output
    assert "Traceback" not in result.output


def test_finding_9_deep_nesting_and_huge_integers_loaded_into_a_workspace(tmp_path: Path) -> None:
    """The JSON cases through the command that writes a SQLite workspace, not only validate."""
    db = tmp_path / "ws.db"
    assert run("db", "init", "-w", str(db)).exit_code == 0
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    huge = tmp_path / "huge.json"
    huge.write_text(
        _org_json("Iso ry").replace('"scope"', '"members": ' + "9" * 5000 + ', "scope"')
    )
    for path, expected in ((deep, "nested too deeply"), (huge, "digits")):
        result = run("workspace", "load", "-w", str(db), str(path))
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit), result.exception
        assert expected in result.output
    assert "valid: no records" in run("validate", "-w", str(db)).output  # nothing written


def test_finding_9_members_too_large_from_a_csv_into_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "ws.db"
    assert run("db", "init", "-w", str(db)).exit_code == 0
    rows = tmp_path / "o.csv"
    for members in ("1e20", "100000000000000000000"):
        rows.write_text(
            "id;name_fi;languages;scope;municipalities;members\n"
            f"uusi;Uusi ry;fi;local;Joensuu;{members}\n"
        )
        result = run("import", "-w", str(db), "organisations", str(rows))
        assert result.exit_code == 1, result.output
        assert "row 2: members" in result.output
    assert "valid: no records" in run("validate", "-w", str(db)).output


@pytest.mark.parametrize(
    "command",
    [
        ("assess", "-w", "{url}"),
        ("workspace", "dump", "-w", "{url}"),
        ("import", "-w", "{url}", "organisations", "{csv}"),
        ("serve", "-w", "{url}"),
    ],
)
def test_finding_9_a_postgresql_url_with_a_bad_port_in_every_command(
    tmp_path: Path, command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JARJESTO_SECRET_KEY", "x" * 64)
    rows = tmp_path / "o.csv"
    rows.write_text(ORG_HEADER)
    url = "postgresql://user:secret@localhost:notaport/db"
    result = run(*(a.format(url=url, csv=rows) for a in command))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "its port is not a number" in result.output
    assert "secret" not in result.output


# -- finding 11: mixed encodings ----------------------------------------------------------


def test_finding_11_a_utf8_file_with_one_windows_1252_row_is_refused(
    tmp_path: Path, dataset: Path
) -> None:
    csv_file = tmp_path / "o.csv"
    csv_file.write_bytes(
        ORG_HEADER.encode()
        + "uusi-1;Järjestö ry;fi;local;Joensuu;\n".encode()
        + b"uusi-2;Yhdistys ry;fi;local;Joensuu;\n"
        + "uusi-3;Förening rf;sv;local;Joensuu;\n".encode("cp1252")
    )
    result = run("import", str(dataset), "organisations", str(csv_file))
    assert result.exit_code == 1
    assert "row 4" in result.output
    assert "UTF-8" in result.output
    assert "row 2" not in result.output
    # A file wholly in Windows-1252 is still read.
    csv_file.write_bytes((ORG_HEADER + "uusi-3;Förening rf;sv;local;Joensuu;\n").encode("cp1252"))
    assert run("import", str(dataset), "organisations", str(csv_file)).exit_code == 0


# -- finding 15: control characters in ids ------------------------------------------------


def test_finding_15_an_id_with_a_trailing_newline_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nl.json"
    path.write_text(_org_json("Uusi ry", rid="uusi\n"))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "not a valid id" in result.output


def test_finding_15_an_actor_with_control_characters_is_refused(tmp_path: Path) -> None:
    from jarjesto_core.errors import WorkspaceError
    from jarjesto_core.workspace import open_workspace

    with open_workspace(str(tmp_path / "ws.db")) as ws:
        ws.init()
        with pytest.raises(WorkspaceError, match="control character"):
            ws.load(sample_dataset(), actor="eeva\n")


# -- finding 16: duplicate keys, "version": true ------------------------------------------


def test_finding_16_a_duplicate_key_is_refused_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text(
        '{\n  "format": "jarjesto-dataset",\n  "version": 1,\n  "organisations": [\n'
        '    {"id": "a", "id": "b"}\n  ]\n}\n'
    )
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "line 5" in result.output
    assert "'id'" in result.output


def test_finding_16_version_true_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    path.write_text('{"format": "jarjesto-dataset", "version": true}')
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "version" in result.output


# -- finding 17: terminal escapes ---------------------------------------------------------


def test_finding_17_escape_codes_from_data_are_escaped_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "esc.json"
    path.write_text(_org_json("Uusi ry", rid="\x1b]0;pwned\x07\x1b[2J"))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "\x07" not in result.output
    assert "\\x1b" in result.output


# -- finding 18: every row checked semantically -------------------------------------------


def test_finding_18_csv_reports_semantic_problems_beside_structural_ones(
    tmp_path: Path, dataset: Path
) -> None:
    csv_file = tmp_path / "o.csv"
    csv_file.write_text(
        "id;name_fi;languages;scope;municipalities;business_id;founded\n"
        "ok-1;Hyvä ry;fi;local;Joensuu;;\n"
        "bad-ytunnus;Väärä ry;fi;local;Joensuu;1234567-2;\n"
        "ok-2;Hyvä kaksi ry;fi;local;Joensuu;;\n"
        "bad-place;Paikaton ry;fi;local;Atlantis;;\n"
        "ok-3;Hyvä kolme ry;fi;local;Joensuu;;\n"
        "bad-date;Päivätön ry;fi;local;Joensuu;;31.2.2020\n"
    )
    result = run("import", str(dataset), "organisations", str(csv_file))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert any("row 3" in line and "business_id" in line for line in lines), result.output
    assert any("row 5" in line and "municipalities" in line for line in lines), result.output
    assert any("row 7" in line and "founded" in line for line in lines), result.output


def test_finding_18_json_reports_semantic_problems_beside_structural_ones(
    tmp_path: Path,
) -> None:
    import json

    doc = json.loads(_org_json("Hyvä ry", rid="ok"))
    good = doc["organisations"][0]
    doc["organisations"] = [
        {**good, "id": "bad-ytunnus", "business_id": "1234567-2"},
        {**good, "id": "bad-date", "founded": "2020-02-31"},
        {**good, "id": "bad-scope", "scope": "galactic"},
    ]
    path = tmp_path / "ds.json"
    path.write_text(json.dumps(doc))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "bad-ytunnus).business_id" in result.output
    assert "bad-date).founded" in result.output
    assert "bad-scope).scope" in result.output


def test_finding_18_hsds_import_reports_semantic_problems_beside_structural_ones(
    tmp_path: Path, dataset: Path
) -> None:
    import json

    out = tmp_path / "hsds"
    assert run("export", str(dataset), "--format", "hsds", "-o", str(out)).exit_code == 0
    path = out / "organizations.json"
    doc = json.loads(path.read_text("utf-8"))
    records = doc["contents"] if isinstance(doc, dict) else doc
    records[0]["organization_identifiers"] = [
        {"identifier_scheme": "FI-PRO", "identifier": "1234567-2"}
    ]
    records[1]["jarjesto"]["scope"] = "galactic"
    path.write_text(json.dumps(doc), "utf-8")
    target = tmp_path / "new.json"
    assert run("new", str(target)).exit_code == 0
    result = run("import", str(target), "--format", "hsds", str(out))
    assert result.exit_code == 1
    assert "scope" in result.output
    assert "business_id" in result.output, result.output


def test_finding_7_xlsx_export_neutralises_formulas_and_import_restores_them(
    tmp_path: Path,
) -> None:
    import attrs
    import openpyxl

    from jarjesto_core.files import read_dataset
    from jarjesto_core.model import Name

    sample = sample_dataset()
    names = ["=1+1", "@SUM(A1)", "-2+3", "'=kept"]
    orgs = tuple(
        attrs.evolve(o, name=Name(fi=n)) for o, n in zip(sample.organisations, names, strict=False)
    )
    source = tmp_path / "src.json"
    write_dataset(source, attrs.evolve(sample, organisations=orgs + sample.organisations[4:]))
    out = tmp_path / "x"
    assert run("export", str(source), "--format", "xlsx", "-o", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out / "organisations.xlsx").active
    assert sheet is not None
    cells = [sheet.cell(row=r, column=2) for r in range(2, 6)]
    assert [c.data_type for c in cells] == ["s"] * 4  # text, never a formula
    assert [c.value for c in cells] == ["'=1+1", "'@SUM(A1)", "'-2+3", "''=kept"]
    target = tmp_path / "back.json"
    assert run("new", str(target)).exit_code == 0
    result = run("import", str(target), "organisations", str(out / "organisations.xlsx"))
    assert result.exit_code == 0, result.output
    back = {o.id: o.name.fi for o in read_dataset(target).organisations}
    assert [back[o.id] for o in orgs[:4]] == names


def test_finding_1_every_command_writes_files_through_write_output() -> None:
    """One writer for every path a user names: a command that called atomic_write itself
    would rename over a device again."""
    root = Path(__file__).resolve().parents[2] / "src" / "jarjesto_cli"
    offenders = [p.name for p in root.rglob("*.py") if "atomic_write" in p.read_text("utf-8")]
    assert offenders == []
