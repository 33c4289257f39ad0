"""The frozen result of asking every plugin once: rules, service kinds, sources, report formats.

:func:`build_registry` is the one place where contributions are checked, so a
bad plugin fails early with a :class:`~jarjesto_core.errors.PluginError`
naming it. The engine then runs on the :class:`Registry` alone; the two
question hooks (regional defaults, thresholds) are asked through it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from attrs import field, frozen

from jarjesto_core.errors import PluginError
from jarjesto_core.model import Domain, PartyRef, ResponsibleParty
from jarjesto_core.sources import Source, SourceError, Sources

if TYPE_CHECKING:
    import pluggy

    from jarjesto_core.reports.base import ReportFormat
    from jarjesto_core.rules.base import Rule

__all__ = ["CORE_PLUGIN", "Registry", "build_registry"]

#: The plugin that owns the ``core.*`` namespace.
CORE_PLUGIN: Final = "core"
_CODE: Final = re.compile(r"^[a-z0-9_]+\.[a-z0-9]+(-[a-z0-9]+)*$")


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
        impls = () if self.pm is None else self.pm.hook.rule_thresholds.get_hookimpls()
        if not impls:
            return defaults
        result = dict(defaults)
        kwargs: dict[str, Any] = {
            "rule": rule.code,
            "subject": subject,
            "year": year,
            "defaults": MappingProxyType(defaults),
        }
        for impl in impls:
            answer: Any = impl.function(*[kwargs[name] for name in impl.argnames])
            if not answer:
                continue
            for name, value in dict(answer).items():
                if name not in defaults:
                    raise PluginError(
                        impl.plugin_name, f"rule {rule.code} has no threshold {name!r}"
                    )
                if not isinstance(value, int | float) or value < defaults[name]:
                    raise PluginError(
                        impl.plugin_name,
                        f"may only tighten {rule.code} {name} (at least {defaults[name]}), "
                        f"not set it to {value!r}",
                    )
                result[name] = max(result[name], float(value))
        return result


def _answering_plugin(
    pm: pluggy.PluginManager, municipality: str, area: str, kind: str, year: int
) -> str:
    kwargs = {"municipality": municipality, "area": area, "service_kind": kind, "year": year}
    for impl in reversed(pm.hook.default_responsible_party.get_hookimpls()):
        if impl.function(*[kwargs[n] for n in impl.argnames]) is not None:
            return impl.plugin_name
    return "?"


def _namespace_ok(plugin: str, code: str) -> bool:
    return code.split(".", 1)[0] == plugin


def _results(pm: pluggy.PluginManager, hook: str) -> list[tuple[str, Any]]:
    """Call each implementation of a no-argument contribution hook, keeping its plugin name."""
    caller = getattr(pm.hook, hook)
    out = []
    # get_hookimpls() is in call order reversed; registration order reads better.
    for impl in caller.get_hookimpls():
        out.append((impl.plugin_name, impl.function()))
    return out


def build_registry(pm: pluggy.PluginManager) -> Registry:
    """Ask every plugin for its contributions and check them once."""
    from jarjesto_core.rules.base import Rule

    kinds: dict[str, Domain] = {}
    kind_plugins: dict[str, str] = {}
    for plugin, contributed in _results(pm, "register_service_kinds"):
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
    for plugin, contributed in _results(pm, "register_sources"):
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
    for plugin, contributed in _results(pm, "register_rules"):
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
            for citation in rule.all_sources():
                try:
                    sources.resolve(citation)
                except SourceError as exc:
                    raise PluginError(plugin, f"rule {code}: {exc}") from None
            rules[code] = rule
            rule_plugins[code] = plugin

    formats: dict[str, ReportFormat] = {}
    format_plugins: dict[str, str] = {}
    for plugin, contributed in _results(pm, "register_report_formats"):
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
