"""Development sessions: ``nox`` runs tests, plugins, lint, typecheck and docs; ``nox -s i18n``
the catalogues."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import nox

nox.options.sessions = ["tests", "plugins", "reliability", "lint", "typecheck", "docs"]
nox.options.default_venv_backend = "uv" if shutil.which("uv") else "venv"
nox.options.reuse_existing_virtualenvs = True

LOCALE = Path("src/jarjesto_core/locale")
POT = LOCALE / "jarjesto.pot"
LANGUAGES = ("fi", "sv", "en")
EXTRACT = (
    "pybabel",
    "extract",
    "-F",
    "babel.cfg",
    "--project=jarjesto",
    "--sort-output",
    # File names without line numbers: moving code does not change the catalogues.
    "--add-location=file",
)


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite; pytest's exit code 5 (no tests collected) fails it too."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs, success_codes=[0])


@nox.session
def reliability(session: nox.Session) -> None:
    """Fuzzing, web security, faults (kill -9, full disk, locks, a PostgreSQL restart) and load.

    All of tests/hardening, the slow tests included (the ``tests`` session
    leaves those out); the figures go to build/reliability.json, from which
    docs/reliability.md is written. Under CI=true the PostgreSQL test must run.
    """
    session.install("-e", ".[test]")
    session.run(
        "pytest", "tests/hardening", "-m", "slow or not slow", *session.posargs,
        env={"JARJESTO_RELIABILITY_FIGURES": "build/reliability.json"},
        success_codes=[0],
    )  # fmt: skip


#: The regional plugins, each its own distribution (``plugins/jarjesto-*``).
PLUGINS = sorted(str(p) for p in Path("plugins").glob("jarjesto-*") if p.is_dir())


@nox.session
def plugins(session: nox.Session) -> None:
    """Install jarjesto and every plugin for real, then run each plugin's tests and the integration.

    A real (not editable) install, so that entry points are found as a user's
    ``pip install`` finds them. Each plugin's tests run with its own pytest
    configuration and are type-checked strictly, as an author would.
    """
    session.install(".", *PLUGINS, "pytest", "mypy")
    for plugin in PLUGINS:
        session.run("pytest", plugin, success_codes=[0])
        session.run("mypy", "--strict", f"{plugin}/src", f"{plugin}/tests")
    session.run("pytest", "plugins/tests_integration", success_codes=[0])


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy, strict on jarjesto_core, jarjesto_cli and jarjesto_web (pyproject.toml)."""
    # The optional extras too: mypy must see the libraries the optional parts import.
    session.install("-e", ".[test,opendata,postgresql]", "mypy", "types-tabulate", "types-openpyxl")
    session.run("mypy")


#: The documentation site's generator (MkDocs, strict) and its API reference plugin.
DOCS_REQUIREMENTS = (
    "mkdocs>=1.6",
    "mkdocs-material>=9.5",
    "mkdocstrings[python]>=0.26",
    "ruff",  # mkdocstrings formats long signatures with it
)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site from ``docs/`` into ``site/``; any warning (a broken link) fails it.

    jarjesto and every plugin are installed for real, so the generated rules
    reference lists the plugins' rules too. ``nox -s docs -- serve`` previews
    the site while you write. Nothing is fetched at build time.
    """
    session.install(".", *PLUGINS, *DOCS_REQUIREMENTS)
    # MkDocs 1.6 prints a banner about its future; it is not a warning about our site.
    session.env["NO_MKDOCS_2_WARNING"] = "1"
    if "serve" in session.posargs:
        session.run("mkdocs", "serve")
        return
    session.run("mkdocs", "build", "--strict", "--clean")


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "jarjesto.po"


@nox.session
def i18n(session: nox.Session) -> None:
    """Extract messages, update and compile the fi, sv and en catalogues.

    ``nox -s i18n -- --check`` changes nothing and fails when the catalogues
    are out of date: a message in the code missing from a .po file, or a
    compiled .mo that differs from its .po.
    """
    session.install("-e", ".")
    if "--check" not in session.posargs:
        LOCALE.mkdir(parents=True, exist_ok=True)
        session.run(*EXTRACT, "-o", str(POT), ".")
        for lang in LANGUAGES:
            command = "update" if _po(lang).exists() else "init"
            session.run(
                "pybabel", command, "-D", "jarjesto", "-i", str(POT), "-d", str(LOCALE), "-l", lang
            )
        session.run("pybabel", "compile", "-D", "jarjesto", "-d", str(LOCALE), "--statistics")
        return
    tmp = Path(session.create_tmp())
    fresh = tmp / "jarjesto.pot"
    session.run(*EXTRACT, "-o", str(fresh), ".")
    stale: list[str] = []
    for lang in LANGUAGES:
        po = _po(lang)
        if not po.exists():
            stale.append(f"{po} is missing")
            continue
        # Fails (exit 1) when the code has messages the .po file lacks.
        session.run(
            "pybabel", "update", "--check", "--ignore-pot-creation-date", "-D", "jarjesto",
            "-i", str(fresh), "-o", str(po), "-l", lang,
        )  # fmt: skip
        compiled = tmp / f"{lang}.mo"
        session.run("pybabel", "compile", "-i", str(po), "-o", str(compiled), "-l", lang)
        mo = po.with_suffix(".mo")
        if not mo.exists() or not filecmp.cmp(compiled, mo, shallow=False):
            stale.append(f"{mo} is not compiled from {po}")
    if stale:
        session.error("catalogues out of date (run `nox -s i18n`): " + "; ".join(stale))


@nox.session
def bench(session: nox.Session) -> None:
    """What users wait for, as whole processes with their floors: bench/results.md and .json.

    Not a default session and never part of the test run: national scale (the
    default) takes many minutes. ``nox -s bench -- --sizes 2000`` for a quick
    look; arguments go to bench/run.py (``--load`` adds the 50-client load test).
    """
    session.install("-e", ".")
    session.run("python", "bench/run.py", *session.posargs)
