"""The plugin system: one ``test_hook_<name>`` per hook spec, and meta-tests that demand them."""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pluggy
import pytest
from click.testing import CliRunner

from jarjesto_core import hookimpl, hookspecs
from jarjesto_core.assessment import assess
from jarjesto_core.errors import PluginError
from jarjesto_core.i18n import DOMAIN, LOCALE_DIR
from jarjesto_core.model import (
    Coverage,
    Dataset,
    Domain,
    Name,
    Organisation,
    PartyRef,
    Scope,
    Service,
    Structure,
    StructureKind,
)
from jarjesto_core.plugins import DEFAULT_PLUGINS, get_plugin_manager, plugin_info
from jarjesto_core.reference import bundled_reference
from jarjesto_core.registry import build_registry
from jarjesto_core.resolver import FundingStatus, resolve
from jarjesto_core.rules.base import Context, Rule, Status, Verdict
from jarjesto_core.sources import Source, SourceKind

ROOT = Path(__file__).parent.parent
PLUGINS = Path(__file__).parent / "plugins"
REF = bundled_reference()


def load_test_plugin(name: str) -> ModuleType:
    """Import ``tests/plugins/<name>.py`` under a private module name, whatever the rootdir."""
    module_name = f"jarjesto_test_plugins.{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, PLUGINS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def pm() -> pluggy.PluginManager:
    return get_plugin_manager(load_entrypoints=False)


@pytest.fixture
def region(pm: pluggy.PluginManager) -> pluggy.PluginManager:
    pm.register(load_test_plugin("testregion"), name="testregion")
    pm.check_pending()
    return pm


def hook_names() -> list[str]:
    return sorted(
        name
        for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(fn, "jarjesto_spec")
    )


# -- one test per hook -------------------------------------------------------------


def test_hook_register_rules(region: pluggy.PluginManager) -> None:
    registry = build_registry(region)
    assert registry.rule_plugins["testregion.sauna-evenings"] == "testregion"
    assert registry.rule_plugins["core.coordinator"] == "core"
    ds = Dataset(
        services=(Service("sauna", "o1", Name(fi="Sauna"), "sauna_evening", ("167",)),),
    )
    result = assess(ds, 2024, [PartyRef.municipality("167")], registry=registry, reference=REF)
    finding = next(f for f in result.subjects[0].findings if f.rule == "testregion.sauna-evenings")
    # Positive evidence meets a rule, whoever is party to what (criteria.md v2).
    assert (finding.status, finding.evidence) == (Status.MET, ("sauna",))
    nothing = assess(
        Dataset(), 2024, [PartyRef.municipality("167")], registry=registry, reference=REF
    )
    finding = next(f for f in nothing.subjects[0].findings if f.rule == "testregion.sauna-evenings")
    assert (finding.status, finding.render("en")) == (
        Status.UNKNOWN,
        "Not recorded in the data for 2024: sauna evenings.",
    )
    assert finding.sources == ("testregion-programme-2024#saunas", "kuntalaki-410-2015#22")


def test_hook_register_sources(region: pluggy.PluginManager) -> None:
    registry = build_registry(region)
    assert registry.source_plugins["testregion-programme-2024"] == "testregion"
    assert registry.source_plugins["kuntalaki-410-2015"] == "core"
    cited = "testregion-programme-2024#saunas"
    assert registry.sources.render(cited, "sv") == (
        "Testlandskapet: Samarbetsprogram 2024, bastukvällar"
    )
    assert registry.sources.render(cited, "en") == (
        "Test region: Yhteistyöohjelma 2024 [Cooperation programme 2024], sauna evenings"
    )
    assert registry.sources.link(cited, "sv") == "https://example.org/ohjelma"


def test_a_source_key_is_registered_once(pm: pluggy.PluginManager) -> None:
    class Copycat:
        @hookimpl
        def register_sources(self) -> list[Source]:
            return [Source(key="kuntalaki-410-2015", kind=SourceKind.LAW, title=Name(fi="x"))]

    pm.register(Copycat(), name="copycat")
    with pytest.raises(
        PluginError, match="source 'kuntalaki-410-2015' is already registered by 'core'"
    ):
        build_registry(pm)


@pytest.mark.parametrize(
    ("cited", "problem"),
    [
        ("nobody-registered-this", "cites no registered source"),
        ("kuntalaki-410-2015#99", "has no part '99'"),
        ("seed 002 (Målsättning 2)", "is not a citation"),
    ],
)
def test_a_rule_citing_what_no_plugin_registers_is_refused(
    pm: pluggy.PluginManager, cited: str, problem: str
) -> None:
    class Vague(Rule):
        """Cites something no one can trace."""

        code = "vague.rule"
        sources = (cited,)

    class VaguePlugin:
        @hookimpl
        def register_rules(self) -> list[Rule]:
            return [Vague()]

    pm.register(VaguePlugin(), name="vague")
    with pytest.raises(PluginError, match=f"plugin 'vague': rule vague.rule: .*{problem}"):
        build_registry(pm)


def test_hook_register_service_kinds(region: pluggy.PluginManager) -> None:
    registry = build_registry(region)
    assert registry.service_kinds["sauna_evening"] is Domain.PREVENTION
    assert registry.kind_plugins["sauna_evening"] == "testregion"
    assert registry.service_kinds["clubhouse"] is Domain.PREVENTION


def test_hook_default_responsible_party(region: pluggy.PluginManager) -> None:
    registry = build_registry(region)
    ds = Dataset(
        organisations=(Organisation("o1", Name(fi="o1"), ("fi",), Scope.LOCAL, ("167", "837")),),
        services=(Service("sauna", "o1", Name(fi="Sauna"), "sauna_evening"),),
    )
    rows = resolve(
        ds, REF, 2024, registry.service_kinds, default_party=registry.default_responsible
    )
    by = {r.municipality: r for r in rows}
    # Joensuu is in area 14, where the plugin answers; Tampere (area 08) gets core's nobody.
    assert (by["167"].responsible, by["167"].status) == ("municipality", FundingStatus.UNFUNDED)
    assert (by["837"].responsible, by["837"].status) == (None, FundingStatus.BLIND_SPOT)


def test_hook_default_responsible_party_refuses_nonsense(pm: pluggy.PluginManager) -> None:
    class Confused:
        @hookimpl
        def default_responsible_party(self) -> str:
            return "the state"

    pm.register(Confused(), name="confused")
    with pytest.raises(PluginError, match="plugin 'confused': default_responsible_party returned"):
        build_registry(pm).default_responsible("167", "14", "clubhouse", 2024)


def _jane(meetings: int) -> Dataset:
    import datetime as dt

    return Dataset(
        structures=(
            Structure(
                "jane",
                StructureKind.ORGANISATION_COUNCIL,
                PartyRef.area("14"),
                Name(fi="JANE"),
                ("o1",),
                tuple(dt.date(2024, m, 1) for m in range(1, meetings + 1)),
            ),
        ),
        # Every body of the area is here: too few meetings are a fact, not a gap in the data.
        coverage=(
            Coverage(
                "all-bodies",
                ("structures",),
                (PartyRef.area("14"),),
                dt.date(2024, 1, 1),
                dt.date(2024, 12, 31),
            ),
        ),
    )


def test_hook_rule_thresholds(region: pluggy.PluginManager) -> None:
    registry = build_registry(region)
    rule = registry.rules["core.cooperation-structure"]
    assert registry.thresholds(rule, PartyRef.area("14"), 2024) == {"min_meetings": 5}
    assert registry.thresholds(rule, PartyRef.area("08"), 2024) == {"min_meetings": 2}
    result = assess(_jane(3), 2024, [PartyRef.area("14")], registry=registry, reference=REF)
    finding = next(f for f in result.subjects[0].findings if f.rule == rule.code)
    assert finding.status is Status.PARTIAL
    assert "fewer than 5 times" in finding.render("en")


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"min_meetings": 1}, "plugin 'loose': may only tighten core.cooperation-structure"),
        ({"max_meetings": 9}, "plugin 'loose': rule core.cooperation-structure has no threshold"),
    ],
)
def test_hook_rule_thresholds_only_tighten(
    pm: pluggy.PluginManager, answer: dict[str, float], error: str
) -> None:
    class Loose:
        @hookimpl
        def rule_thresholds(self, rule: str) -> dict[str, float] | None:
            return answer if rule == "core.cooperation-structure" else None

    pm.register(Loose(), name="loose")
    with pytest.raises(PluginError, match=re.escape(error)):
        assess(_jane(2), 2024, [PartyRef.area("14")], registry=build_registry(pm), reference=REF)


def test_hook_register_report_formats(region: pluggy.PluginManager) -> None:
    registry = build_registry(region)
    assert registry.format_plugins["testregion-csv"] == "testregion"
    result = assess(Dataset(), 2024, [PartyRef.area("14")], registry=registry, reference=REF)
    assert (
        registry.report_formats["testregion-csv"].render(result, "fi") == "party,score\narea:14,\n"
    )


def test_hook_register_commands(region: pluggy.PluginManager) -> None:
    from jarjesto_cli.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["testregion-hello", "Paikallis-JANE"], obj={"pm": region})
    assert (result.exit_code, result.output) == (0, "Hello, Paikallis-JANE!\n")
    listing = runner.invoke(cli, ["--help"], obj={"pm": region})
    assert "testregion-hello" in listing.output
    # Loaded per invocation: a manager without the plugin has no such command.
    plain = runner.invoke(
        cli, ["testregion-hello"], obj={"pm": get_plugin_manager(load_entrypoints=False)}
    )
    assert plain.exit_code == 2


def test_hook_register_blueprints(region: pluggy.PluginManager) -> None:
    import flask

    blueprints = [bp for bps in region.hook.register_blueprints() for bp in bps]
    assert [bp.name for bp in blueprints] == ["testregion"]
    app = flask.Flask("t")
    app.register_blueprint(blueprints[0], url_prefix="/plugins/testregion")
    assert app.test_client().get("/plugins/testregion/jane").text == "organisation_council"


# -- contributions refused -----------------------------------------------------------


class _Rule(Rule):
    def __init__(self, code: str) -> None:
        self.code = code  # type: ignore[misc]

    def judge(self, ctx: Context) -> Verdict:
        return Verdict(Status.MET, "ok")


def _plugin(**hooks: Any) -> object:
    namespace = {name: hookimpl(lambda value=value: value) for name, value in hooks.items()}
    return type("Plugin", (), {k: staticmethod(v) for k, v in namespace.items()})


@pytest.mark.parametrize(
    ("hooks", "message"),
    [
        (
            {"register_rules": [_Rule("core.coordinator")]},
            "rule code 'core.coordinator' is already contributed by 'core'",
        ),
        (
            {"register_rules": [_Rule("core.new-rule")]},
            "rule code 'core.new-rule' is outside the plugin's namespace 'region.*'",
        ),
        ({"register_rules": [_Rule("other.rule")]}, "outside the plugin's namespace"),
        ({"register_rules": [_Rule("region.Bad Code")]}, "is not 'namespace.kebab-name'"),
        ({"register_rules": ["not a rule"]}, "is not a jarjesto_core.rules.base.Rule"),
        (
            {"register_service_kinds": {"clubhouse": "prevention"}},
            "service kind 'clubhouse' is already contributed by 'core'",
        ),
        (
            {"register_service_kinds": {"choir": "leisure"}},
            "service kind 'choir' has unknown domain 'leisure'",
        ),
        (
            {
                "register_report_formats": [
                    __import__("jarjesto_core.reports").reports.BUILTIN_FORMATS[0]
                ]
            },
            "report format 'json' is already contributed by 'core_reports'",
        ),
    ],
)
def test_bad_contributions_are_refused_naming_the_plugin(
    pm: pluggy.PluginManager, hooks: dict[str, Any], message: str
) -> None:
    pm.register(_plugin(**hooks), name="region")
    with pytest.raises(PluginError, match=re.escape(message)) as info:
        build_registry(pm)
    assert info.value.plugin == "region"
    assert str(info.value).startswith("plugin 'region': ")


def test_a_plugin_can_contribute_in_its_namespace(pm: pluggy.PluginManager) -> None:
    pm.register(_plugin(register_rules=[_Rule("region.new-rule")]), name="region")
    assert build_registry(pm).rule_plugins["region.new-rule"] == "region"


# -- the manager -----------------------------------------------------------------------


def test_manager_registers_the_built_ins_by_name(pm: pluggy.PluginManager) -> None:
    assert {name for name, _ in pm.list_name_plugin()} == set(DEFAULT_PLUGINS)
    assert pm.get_plugin("core").__name__ == "jarjesto_core.rules.core"


def test_blocked_plugins_are_not_loaded() -> None:
    pm = get_plugin_manager(load_entrypoints=False, blocked=["core"])
    registry = build_registry(pm)
    assert registry.rules == {}
    assert set(registry.report_formats) == {"json", "text", "markdown", "html"}


def test_check_pending_refuses_an_unknown_hook(pm: pluggy.PluginManager) -> None:
    class Typo:
        @hookimpl
        def register_rule(self) -> list[Rule]:
            return []

    pm.register(Typo(), name="typo")
    with pytest.raises(pluggy.PluginValidationError, match="register_rule"):
        pm.check_pending()


@pytest.fixture
def installed_plugin(tmp_path: Path) -> Iterator[Path]:
    """A real installed distribution with a ``jarjesto`` entry point (found by importlib)."""
    (tmp_path / "jarjesto_ep_region.py").write_text(
        "from jarjesto_core import hookimpl\n\n"
        "@hookimpl\n"
        "def register_service_kinds():\n"
        "    return {'ep_kind': 'municipal'}\n",
        encoding="utf-8",
    )
    dist = tmp_path / "jarjesto_ep_region-1.2.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: jarjesto-ep-region\nVersion: 1.2.3\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(
        "[jarjesto]\nep_region = jarjesto_ep_region\n", encoding="utf-8"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("jarjesto_ep_region", None)


def test_entry_points_are_loaded_unless_disabled(
    installed_plugin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JARJESTO_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    pm = get_plugin_manager()
    registry = build_registry(pm)
    assert registry.kind_plugins["ep_kind"] == "ep_region"
    info = {p["name"]: p for p in plugin_info(pm, registry)}
    assert info["ep_region"]["version"] == "1.2.3"
    assert info["ep_region"]["service_kinds"] == ["ep_kind"]
    assert get_plugin_manager(blocked=["ep_region"]).get_plugin("ep_region") is None
    monkeypatch.setenv("JARJESTO_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert get_plugin_manager().get_plugin("ep_region") is None


def test_trace_plugins_writes_hook_calls_to_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JARJESTO_TRACE_PLUGINS", "1")
    pm = get_plugin_manager(load_entrypoints=False)
    build_registry(pm).default_responsible("167", "14", "clubhouse", 2024)
    assert "default_responsible_party" in capsys.readouterr().err


#: The hooks an assessment calls: the three contributions, then the two questions.
ASSESSMENT_HOOKS = (
    "register_service_kinds",
    "register_rules",
    "register_report_formats",
    "default_responsible_party",
    "rule_thresholds",
)


def test_the_trace_shows_every_hook_of_an_assessment(region: pluggy.PluginManager) -> None:
    """Every call goes through pluggy, so its trace (JARJESTO_TRACE_PLUGINS) shows them all."""
    lines: list[str] = []
    region.trace.root.setwriter(lines.append)
    region.enable_tracing()
    ds = Dataset(
        organisations=(Organisation("o1", Name(fi="o1"), ("fi",), Scope.LOCAL, ("167",)),),
        services=(Service("sauna", "o1", Name(fi="Sauna"), "sauna_evening"),),
        structures=_jane(5).structures,
    )
    assess(ds, 2024, [PartyRef.area("14")], registry=build_registry(region), reference=REF)
    called = {hook for hook in ASSESSMENT_HOOKS if any(hook in line for line in lines)}
    assert called == set(ASSESSMENT_HOOKS)
    # Each plugin's contribution is its own call: core's and the test region's rules.
    assert sum("register_rules" in line and "finish" not in line for line in lines) >= 2


def test_a_hook_monitor_sees_the_threshold_answers(region: pluggy.PluginManager) -> None:
    seen: list[tuple[str, list[str]]] = []
    undo = region.add_hookcall_monitoring(
        lambda name, impls, kwargs: seen.append((name, [i.plugin_name for i in impls])),
        lambda outcome, name, impls, kwargs: None,
    )
    try:
        registry = build_registry(region)
        registry.thresholds(registry.rules["core.cooperation-structure"], PartyRef.area("14"), 2024)
    finally:
        undo()
    assert ("rule_thresholds", ["testregion"]) in seen


@pytest.mark.parametrize("hook", ["register_rules", "register_service_kinds", "rule_thresholds"])
def test_wrapper_implementations_are_refused_where_each_answer_is_checked(
    pm: pluggy.PluginManager, hook: str
) -> None:
    def wrapper(self: object) -> Iterator[None]:
        return (yield)

    wrapping = type("Wrapping", (), {hook: hookimpl(wrapper=True)(wrapper)})
    pm.register(wrapping(), name="wrapping")
    with pytest.raises(PluginError, match=f"plugin 'wrapping': {hook} takes no wrapper"):
        build_registry(pm)


def test_a_wrapper_of_a_question_pluggy_asks_whole_works(pm: pluggy.PluginManager) -> None:
    """default_responsible_party is one pluggy call, so a wrapper wraps every answer."""

    class Wrapping:
        @hookimpl(wrapper=True)
        def default_responsible_party(self) -> Iterator[str | None]:
            answer = yield
            return answer or "shared"

    pm.register(Wrapping(), name="wrapping")
    assert build_registry(pm).default_responsible("167", "14", "clubhouse", 2024) == "shared"


def test_a_rule_translates_from_the_catalogue_of_its_plugin(region: pluggy.PluginManager) -> None:
    registry = build_registry(region)
    core = registry.rules["core.cooperation-structure"]
    assert (core.i18n_domain, core.localedir) == (DOMAIN, LOCALE_DIR)
    # The test region is loaded as jarjesto_test_plugins.testregion, a package not
    # imported as such: its rules fall back to the core's catalogue.
    sauna = registry.rules["testregion.sauna-evenings"]
    assert sauna.i18n_domain == DOMAIN


def test_plugin_info_lists_contributions(region: pluggy.PluginManager) -> None:
    info = {p["name"]: p for p in plugin_info(region)}
    assert info["testregion"]["rules"] == ["testregion.sauna-evenings"]
    assert info["testregion"]["report_formats"] == ["testregion-csv"]
    assert "register_blueprints" in info["testregion"]["hooks"]
    assert len(info["core"]["rules"]) == 16


# -- meta-tests ----------------------------------------------------------------------------


def test_every_hook_has_a_test() -> None:
    missing = [name for name in hook_names() if f"test_hook_{name}" not in globals()]
    assert missing == []
    assert len(hook_names()) == 8


def test_every_hook_is_documented() -> None:
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^### `(\w+)\(", docs, re.M))
    assert sorted(set(hook_names()) - headings) == []
    assert sorted(headings - set(hook_names())) == []


def test_every_hook_spec_is_typed_and_has_a_docstring() -> None:
    for name in hook_names():
        fn = getattr(hookspecs, name)
        assert fn.__doc__, name
        assert fn.__doc__.strip(), name
        assert "return" in fn.__annotations__, name


def test_test_plugin_implements_every_hook() -> None:
    module = load_test_plugin("testregion")
    assert (
        sorted(n for n in hook_names() if hasattr(getattr(module, n, None), "jarjesto_impl"))
        == hook_names()
    )


def test_commands_hook_spec_types_only_under_type_checking() -> None:
    source = inspect.getsource(hookspecs)
    assert "import click" in source
    assert re.search(r"^import (click|flask)", source, re.M) is None
    assert isinstance(click, ModuleType)
