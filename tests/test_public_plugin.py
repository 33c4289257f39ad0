"""A plugin written against ``jarjesto_core.plugin`` alone runs, translates, and is tested.

``tests/plugins/publicregion`` is written as a region would write its plugin:
one module importing only the public module, its own fi/sv/en catalogues and
no translation settings. Its tests use the shipped pytest plugin.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from types import ModuleType

import pytest

from jarjesto_core.plugin import Name, PartyRef, Status, Structure, StructureKind
from jarjesto_core.testing import Jarjesto

PLUGINS = Path(__file__).parent / "plugins"
SOURCE = PLUGINS / "publicregion" / "__init__.py"
RULE = "publicregion.council-fields"
JOENSUU = PartyRef.municipality("167")


@pytest.fixture
def publicregion(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(PLUGINS))
    import publicregion

    return publicregion


def council(*members: str) -> Structure:
    return Structure(
        "council",
        StructureKind.ORGANISATION_COUNCIL,
        JOENSUU,
        Name(fi="Järjestöneuvottelukunta"),
        members,
        (dt.date(2024, 3, 1),),
    )


def test_the_plugin_imports_nothing_of_the_core_but_the_public_module() -> None:
    imported = set()
    for node in ast.walk(ast.parse(SOURCE.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert {m for m in imported if m.startswith("jarjesto")} == {"jarjesto_core.plugin"}


def test_the_plugin_runs_and_translates_from_its_own_catalogue(
    jarjesto: Jarjesto, publicregion: ModuleType
) -> None:
    jarjesto.use(publicregion, name="publicregion")
    dataset = jarjesto.dataset(
        jarjesto.organisation("club", "sport", municipalities=["167"]), council("club")
    )
    found = jarjesto.finding(dataset, 2024, JOENSUU, RULE)
    assert (found.status, found.evidence) == (Status.PARTIAL, ("council",))
    assert found.render("en") == ("The organisation council lacks members from: culture, youth.")
    # The message and the Terms inside it both come from the plugin's catalogue.
    assert found.render("fi") == (
        "Järjestöasiain neuvottelukunnasta puuttuu jäseniä toimialoilta: kulttuuri, nuoriso."
    )
    assert found.render("sv") == "Organisationsdelegationen saknar medlemmar från: kultur, ungdom."
    rule = jarjesto.registry.rules[RULE]
    assert (rule.i18n_domain, rule.localedir) == ("publicregion", SOURCE.parent / "locale")


def test_the_core_keeps_its_words_for_what_the_plugin_did_not_judge(
    jarjesto: Jarjesto, publicregion: ModuleType
) -> None:
    jarjesto.use(publicregion, name="publicregion")
    found = jarjesto.finding(jarjesto.dataset(), 2024, JOENSUU, RULE)
    # Absence without coverage is "not recorded", in the core's words, naming what the
    # plugin looked for in the plugin's own words (Rule.absent).
    assert found.status is Status.UNKNOWN
    assert found.render("fi") == (
        "Aineistoon ei ole kirjattu vuodelta 2024: järjestöasiain neuvottelukunta."
    )


def test_the_plugins_catalogues_pass_the_shipped_check(
    jarjesto: Jarjesto, publicregion: ModuleType
) -> None:
    assert jarjesto.catalogue_problems(publicregion) == []
    jarjesto.check_catalogues(publicregion)


def test_a_plugin_without_messages_fails_the_shipped_check(
    jarjesto: Jarjesto, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "silentregion").mkdir()
    (tmp_path / "silentregion" / "__init__.py").write_text('"""Nothing to say."""\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    import silentregion

    problems = jarjesto.catalogue_problems(silentregion)
    assert problems[0].endswith("no message is marked with N_")
    assert any("missing" in p for p in problems[1:])


def test_the_shipped_pytest_plugin_runs_a_plugin_authors_tests(pytester: pytest.Pytester) -> None:
    """As in a plugin's own repository: a conftest naming the helper, tests using the fixture."""
    pytester.makeconftest(
        f"""
        import sys
        sys.path.insert(0, {str(PLUGINS)!r})
        pytest_plugins = ["jarjesto_core.testing"]
        """
    )
    pytester.makepyfile(
        test_region=f"""
        import publicregion
        import datetime as dt
        from jarjesto_core.plugin import (
            Coverage, Name, PartyRef, Status, Structure, StructureKind
        )

        def test_not_met_without_a_council(jarjesto):
            jarjesto.use(publicregion, name="publicregion")
            joensuu = PartyRef.municipality("167")
            forum = Structure(
                "forum", StructureKind.ASSOCIATION_FORUM, joensuu, Name(fi="Foorumi"), ()
            )
            # Every body of Joensuu is in the data: the missing council is a "no".
            every = Coverage(
                "all", ("structures",), (joensuu,), dt.date(2024, 1, 1), dt.date(2024, 12, 31)
            )
            found = jarjesto.finding(jarjesto.dataset(forum, every), 2024, joensuu, {RULE!r})
            assert found.status is Status.NOT_MET
            assert found.render("sv") == "Kommunen har ingen organisationsdelegation."

        def test_catalogues(jarjesto):
            jarjesto.check_catalogues(publicregion)

        def test_the_sample_is_at_hand(jarjesto):
            assert jarjesto.sample().organisations
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_the_public_module_has_what_every_plugin_imports() -> None:
    import jarjesto_core.plugin as public
    from jarjesto_core import model

    needed = {
        "hookimpl",
        "Rule",
        "Verdict",
        "Finding",
        "Context",
        "Status",
        "Terms",
        "ReportFormat",
        "N_",
        "NP_",
        "Source",
        "SourceKind",
        "in_force",
        "StructureKind",
        "CoordinatorTitle",
        "PartyKind",
        "PartyRef",
        "Name",
    }
    assert needed | set(model.__all__) <= set(public.__all__)
    assert all(hasattr(public, name) for name in public.__all__)


def test_the_plugins_under_test_are_named_once_in_the_pytest_configuration(
    pytester: pytest.Pytester,
) -> None:
    """``jarjesto_plugins`` names installed plugins by entry point; one that is not installed
    is an error saying so, before any test runs on core alone by mistake."""
    pytester.makeini(
        """
        [pytest]
        jarjesto_plugins = nosuchregion
        """
    )
    pytester.makeconftest('pytest_plugins = ["jarjesto_core.testing"]')
    pytester.makepyfile(
        test_region="""
        def test_core_and_the_region(jarjesto):
            assert jarjesto.registry.rules
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no jarjesto plugin is installed under the name 'nosuchregion'*"])
