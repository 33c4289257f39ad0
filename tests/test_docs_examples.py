"""Every example in docs/ runs, so the documentation cannot promise what the code does not do.

Per page, in a fresh directory holding the files of ``docs/examples/``:

- ```` ```python ```` blocks run in order in one namespace (a page builds up);
- ```` ```pycon ```` blocks are doctests (their output is checked);
- ```` ```console ```` blocks are command lines: each ``$ jarjesto ...`` line
  runs the real CLI, and the lines after it, up to the next ``$``, are its
  output (standard output and error), checked exactly; a line ``...`` stands
  for any lines. ``[exit N]`` as the last output line expects exit code N,
  otherwise 0. Pages under ``docs/fi/`` and ``docs/sv/`` run with that
  language in ``LANG``, as an official's machine would; others in English.

Blocks in other languages (``sh``, ``toml``, plain) are not run: they show
commands that need a server or a terminal (``jarjesto serve``, ``pg_dump``).
"""

from __future__ import annotations

import doctest
import re
import shlex
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from jarjesto_cli.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
RUN = ("python", "pycon", "console")
PAGES = sorted(
    p for p in DOCS.rglob("*.md") if any(b[0] in RUN for b in FENCE.findall(p.read_text("utf-8")))
)


def blocks(page: Path) -> Iterator[tuple[str, str, int]]:
    """(language, code, line number) of each runnable fenced block."""
    text = page.read_text("utf-8")
    for match in FENCE.finditer(text):
        if match.group(1) in RUN:
            yield match.group(1), match.group(2), text.count("\n", 0, match.start()) + 2


def console_steps(code: str) -> list[tuple[str, list[str]]]:
    """The commands of a console block and the output lines each expects."""
    steps: list[tuple[str, list[str]]] = []
    for line in code.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
        elif line.strip():
            raise ValueError(f"console block starts with output, not a command: {line!r}")
    return steps


def output_matches(expected: list[str], actual: list[str]) -> bool:
    """Exact lines, where a line ``...`` matches any number of lines."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + r"\n" for line in expected
    )
    return re.fullmatch(pattern, "".join(f"{line}\n" for line in actual)) is not None


def lang_of(page: Path) -> str:
    parts = page.relative_to(DOCS).parts
    return {"fi": "fi_FI.UTF-8", "sv": "sv_FI.UTF-8"}.get(parts[0], "en_GB.UTF-8")


def run_console(code: str, where: str, env: dict[str, str]) -> None:
    runner = CliRunner()
    for command, expected in console_steps(code):
        argv = shlex.split(command)
        assert argv[0] == "jarjesto", f"{where}: only jarjesto commands run here: {command}"
        exit_code = 0
        if expected and (m := re.fullmatch(r"\[exit (\d+)\]", expected[-1])):
            exit_code = int(m.group(1))
            expected = expected[:-1]
        result = runner.invoke(cli, argv[1:], env=env, prog_name="jarjesto")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{where}: {command}") from result.exception
        actual = [line.rstrip() for line in result.output.splitlines()]
        assert result.exit_code == exit_code, f"{where}: {command}\n{result.output}"
        assert output_matches([e.rstrip() for e in expected], actual), (
            f"{where}: {command}\nexpected:\n" + "\n".join(expected) + "\ngot:\n" + result.output
        )


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for example in EXAMPLES.iterdir():
        shutil.copy(example, tmp_path / example.name)
    monkeypatch.chdir(tmp_path)
    # The plugin guide's test example imports a plugin from the repository.
    for src in sorted((ROOT / "plugins").glob("jarjesto-*/src")):
        monkeypatch.syspath_prepend(str(src))
    return tmp_path


def test_pages_with_examples_are_found() -> None:
    names = {p.relative_to(DOCS).as_posix() for p in PAGES}
    assert {"library.md", "cli.md", "fi/cli.md", "sv/cli.md", "plugins.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_examples_run(page: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"LANG": lang_of(page), "LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": ""}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace: dict[str, object] = {"__name__": "docs_example", "__file__": str(page)}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for language, code, line in blocks(page):
        where = f"{page.relative_to(ROOT)}:{line}"
        if language == "python":
            exec(compile(code, where, "exec"), namespace)
        elif language == "pycon":
            test = parser.get_doctest(code, namespace, where, str(page), line)
            result = runner.run(test, out=sys.stdout.write, clear_globs=False)
            assert result.failed == 0, f"{where}: {result.failed} doctest example(s) failed"
            namespace.update(test.globs)  # DocTest copies the globals; later blocks build on them
        else:
            run_console(code, where, env)


def test_console_steps_and_ellipsis() -> None:
    steps = console_steps("$ jarjesto new a.json\ncreated\n$ jarjesto validate a.json\n...\nok\n")
    assert steps == [
        ("jarjesto new a.json", ["created"]),
        ("jarjesto validate a.json", ["...", "ok"]),
    ]
    assert output_matches(["...", "ok"], ["a", "b", "ok"])
    assert output_matches(["...", "ok"], ["ok"])
    assert not output_matches(["ok"], ["ok", "extra"])
    assert not output_matches(["a", "..."], ["b"])
    with pytest.raises(ValueError, match="starts with output"):
        console_steps("created\n$ jarjesto new a.json\n")


def _exec_start() -> list[str]:
    text = (DOCS / "web.md").read_text("utf-8")
    (line,) = [x for x in text.splitlines() if x.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


def test_web_guide_service_runs_waitress_with_the_proxy_trusted() -> None:
    from waitress.adjustments import Adjustments

    argv = _exec_start()
    assert argv[0] == "/opt/jarjesto/bin/waitress-serve"
    options, targets = Adjustments.parse_args(argv[1:])
    assert targets == ["jarjesto_web:create_app"]
    assert options["call"] is True
    adjustments = Adjustments(**{k: v for k, v in options.items() if k not in ("call", "help")})
    assert adjustments.trusted_proxy == "127.0.0.1"
    assert adjustments.trusted_proxy_headers == {
        "x-forwarded-proto",
        "x-forwarded-host",
        "x-forwarded-for",
    }
    assert [
        (host, port) for _family, _socktype, _proto, (host, port, *_rest) in adjustments.listen
    ] == [("127.0.0.1", 8000)]


def test_web_guide_app_factory_runs_from_the_environment_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``waitress-serve --call jarjesto_web:create_app`` does, with the guide's env file."""
    import pkgutil

    from jarjesto_web import ConfigError

    workspace = str(tmp_path / "region.db")
    result = CliRunner().invoke(cli, ["--lang", "en", "db", "init", "-w", workspace])
    assert result.exit_code == 0, result.output
    factory = pkgutil.resolve_name(_exec_start()[-1])
    monkeypatch.setenv("JARJESTO_WORKSPACE", workspace)
    monkeypatch.delenv("JARJESTO_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="JARJESTO_SECRET_KEY is not set"):
        factory()
    monkeypatch.setenv("JARJESTO_SECRET_KEY", "0" * 64)
    app = factory()
    assert app.config["WORKSPACE"] == workspace
    assert app.test_client().get("/login").status_code == 200
