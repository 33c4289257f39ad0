"""The frozen result of asking every plugin once: rules, service kinds, sources, report formats.

:func:`build_registry` is the one place where contributions are checked, so a
bad plugin fails early with a :class:`~jarjesto_core.errors.PluginError`
naming it. The engine then runs on the :class:`Registry` alone; the two
question hooks (regional defaults, thresholds) are asked through it.

Every hook is called through pluggy, so ``JARJESTO_TRACE_PLUGINS`` and any
hook-call monitor see each call. Where each plugin's answer is checked on its
own (the contributions, ``rule_thresholds``), each plugin's implementation is
its own pluggy call (:func:`each_plugin`); a wrapper implementation of such a
hook could wrap nothing but its own plugin, so it is refused.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, Final

from attrs import field, frozen

from jarjesto_core.errors import PluginError
from jarjesto_core.i18n import DOMAIN, LOCALE_DIR
from jarjesto_core.model import Domain, PartyRef, ResponsibleParty
from jarjesto_core.sources import Source, SourceError, Sources

if TYPE_CHECKING:
    import pluggy

    from jarjesto_core.reports.base import ReportFormat
    from jarjesto_core.rules.base import Rule

__all__ = ["CORE_PLUGIN", "Registry", "build_registry", "each_plugin", "plugin_catalogue"]

#: The plugin that owns the ``core.*`` namespace.
CORE_PLUGIN: Final = "core"
_CODE: Final = re.compile(r"^[a-z0-9_]+\.[a-z0-9]+(-[a-z0-9]+)*\Z")


@frozen
class Registry:
    rules: Mapping[str, Rule]
    service_kinds: Mapping[str, Domain]
    report_formats: Mapping[str, ReportFormat]
    #: Which plugin contributed each rule code, kind and format.
    rule_plugins: Mapping[str, str] = field(factory=dict)
    kind_plugins: Mapping[str, str] = field(factory=dict)
    format_plugins: Mapping[str, str] = field(factory=dict)
    #: Every registered citable source, and which plugin registered each.
    sources: Sources = field(factory=Sources)
    source_plugins: Mapping[str, str] = field(factory=dict)
    pm: pluggy.PluginManager | None = field(default=None, eq=False, repr=False)
    #: Each plugin's own caller of a question hook, made on first use.
    _each: dict[str, list[tuple[str, Callable[..., Any]]]] = field(
        factory=dict, init=False, eq=False, repr=False
    )

    def _callers(self, hook: str) -> list[tuple[str, Callable[..., Any]]]:
        assert self.pm is not None
        if hook not in self._each:
            self._each[hook] = each_plugin(self.pm, hook)
        return self._each[hook]

    def default_responsible(
        self, municipality: str, area: str, service_kind: str, year: int
    ) -> ResponsibleParty | None:
        """The first regional plugin's answer for a prevention kind without an agreement."""
        if self.pm is None:
            return None
        answer = self.pm.hook.default_responsible_party(
            municipality=municipality, area=area, service_kind=service_kind, year=year
        )
        if answer is None:
            return None
        try:
            return ResponsibleParty(answer)
        except ValueError:
            raise PluginError(
                _answering_plugin(self.pm, municipality, area, service_kind, year),
                f"default_responsible_party returned {answer!r}; "
                "expected 'municipality', 'area', 'shared' or None",
            ) from None

    def thresholds(self, rule: Rule, subject: PartyRef, year: int) -> Mapping[str, float]:
        """The rule's thresholds for this subject, raised by plugins and checked to only tighten."""
        defaults = dict(rule.thresholds)
        # Asked for every rule and subject: without a plugin that raises thresholds, a copy.
        callers = () if self.pm is None else self._callers("rule_thresholds")
        if not callers:
            return defaults
        result = dict(defaults)
        kwargs: dict[str, Any] = {
            "rule": rule.code,
            "subject": subject,
            "year": year,
            "defaults": MappingProxyType(defaults),
        }
        for plugin, call in callers:
            for answer in call(**kwargs):
                if not answer:
                    continue
                for name, value in dict(answer).items():
                    if name not in defaults:
                        raise PluginError(plugin, f"rule {rule.code} has no threshold {name!r}")
                    if not isinstance(value, int | float) or value < defaults[name]:
                        raise PluginError(
                            plugin,
                            f"may only tighten {rule.code} {name} (at least {defaults[name]}), "
                            f"not set it to {value!r}",
                        )
                    result[name] = max(result[name], float(value))
        return result


def _answering_plugin(
    pm: pluggy.PluginManager, municipality: str, area: str, kind: str, year: int
) -> str:
    kwargs = {"municipality": municipality, "area": area, "service_kind": kind, "year": year}
    # In call order: the first plugin that answers is the one whose answer was used.
    for name, call in each_plugin(pm, "default_responsible_party")[::-1]:
        if call(**kwargs) is not None:  # a firstresult hook: the answer, not a list
            return name
    return "?"


def _namespace_ok(plugin: str, code: str) -> bool:
    return code.split(".", 1)[0] == plugin


def each_plugin(pm: pluggy.PluginManager, hook: str) -> list[tuple[str, Callable[..., Any]]]:
    """Each plugin's implementation of ``hook`` as a pluggy call of its own, in registration order.

    The caller learns which plugin gave which answer, and pluggy still makes
    (and traces) every call. A wrapper implementation is refused with a
    :class:`PluginError`: here it could only wrap its own plugin's answer.
    """
    caller = getattr(pm.hook, hook)
    impls = caller.get_hookimpls()
    for impl in impls:
        if impl.hookwrapper or impl.wrapper:
            raise PluginError(
                impl.plugin_name,
                f"{hook} takes no wrapper implementations: each plugin's answer is checked "
                "on its own",
            )
    plugins = [impl.plugin for impl in impls]
    return [
        (
            impl.plugin_name,
            pm.subset_hook_caller(hook, [p for p in plugins if p is not impl.plugin]),
        )
        for impl in impls
    ]


def _results(pm: pluggy.PluginManager, hook: str) -> list[tuple[str, object, Any]]:
    """Call each implementation of a no-argument contribution hook, keeping its plugin."""
    out = []
    plugins = {impl.plugin_name: impl.plugin for impl in getattr(pm.hook, hook).get_hookimpls()}
    for name, call in each_plugin(pm, hook):
        for contributed in call() or [None]:
            out.append((name, plugins[name], contributed))
    return out


def plugin_catalogue(plugin: object) -> tuple[str, Path]:
    """The gettext domain and locale directory of a plugin: its package's name and ``locale/``.

    A plugin module ``jarjesto_tampere`` (or any module inside that package)
    translates from ``jarjesto_tampere/locale/<lang>/LC_MESSAGES/jarjesto_tampere.mo``;
    the core's own plugins from the core's catalogue.
    """
    name = plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__
    package = name.partition(".")[0]
    module = sys.modules.get(package)
    where = getattr(module, "__file__", None)
    if package == "jarjesto_core" or where is None:
        return DOMAIN, LOCALE_DIR
    return package, Path(where).parent / "locale"


def build_registry(pm: pluggy.PluginManager) -> Registry:
    """Ask every plugin for its contributions and check them once."""
    from jarjesto_core.rules.base import Rule

    each_plugin(pm, "rule_thresholds")  # a wrapper is refused now, not at the first question

    kinds: dict[str, Domain] = {}
    kind_plugins: dict[str, str] = {}
    for plugin, _obj, contributed in _results(pm, "register_service_kinds"):
        for kind, domain in dict(contributed or {}).items():
            if kind in kinds:
                raise PluginError(
                    plugin,
                    f"service kind {kind!r} is already contributed by {kind_plugins[kind]!r}",
                )
            try:
                kinds[kind] = Domain(domain)
            except ValueError:
                raise PluginError(
                    plugin,
                    f"service kind {kind!r} has unknown domain {domain!r}; "
                    "expected sote, prevention or municipal",
                ) from None
            kind_plugins[kind] = plugin

    found_sources: dict[str, Source] = {}
    source_plugins: dict[str, str] = {}
    for plugin, _obj, contributed in _results(pm, "register_sources"):
        for source in contributed or ():
            if not isinstance(source, Source):
                raise PluginError(plugin, f"{source!r} is not a jarjesto_core.sources.Source")
            if source.key in found_sources:
                raise PluginError(
                    plugin,
                    f"source {source.key!r} is already registered by "
                    f"{source_plugins[source.key]!r}",
                )
            found_sources[source.key] = source
            source_plugins[source.key] = plugin
    sources = Sources(found_sources)

    rules: dict[str, Rule] = {}
    rule_plugins: dict[str, str] = {}
    for plugin, obj, contributed in _results(pm, "register_rules"):
        for rule in contributed or ():
            if not isinstance(rule, Rule):
                raise PluginError(plugin, f"{rule!r} is not a jarjesto_core.rules.base.Rule")
            code = getattr(rule, "code", None)
            if not isinstance(code, str) or not _CODE.match(code):
                raise PluginError(plugin, f"rule code {code!r} is not 'namespace.kebab-name'")
            if code in rules:
                raise PluginError(
                    plugin, f"rule code {code!r} is already contributed by {rule_plugins[code]!r}"
                )
            if not _namespace_ok(plugin, code):
                raise PluginError(
                    plugin, f"rule code {code!r} is outside the plugin's namespace '{plugin}.*'"
                )
            if rule.i18n_domain is None:  # the rule's messages are its plugin's
                rule.i18n_domain, rule.localedir = plugin_catalogue(obj)
            for citation in rule.all_sources():
                try:
                    sources.resolve(citation)
                except SourceError as exc:
                    raise PluginError(plugin, f"rule {code}: {exc}") from None
            rules[code] = rule
            rule_plugins[code] = plugin

    formats: dict[str, ReportFormat] = {}
    format_plugins: dict[str, str] = {}
    for plugin, _obj, contributed in _results(pm, "register_report_formats"):
        for fmt in contributed or ():
            if fmt.name in formats:
                raise PluginError(
                    plugin,
                    f"report format {fmt.name!r} is already contributed by "
                    f"{format_plugins[fmt.name]!r}",
                )
            formats[fmt.name] = fmt
            format_plugins[fmt.name] = plugin

    return Registry(
        rules=MappingProxyType(rules),
        service_kinds=MappingProxyType(kinds),
        report_formats=MappingProxyType(formats),
        rule_plugins=MappingProxyType(rule_plugins),
        kind_plugins=MappingProxyType(kind_plugins),
        format_plugins=MappingProxyType(format_plugins),
        sources=sources,
        source_plugins=MappingProxyType(source_plugins),
        pm=pm,
    )
