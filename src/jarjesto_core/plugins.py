"""The plugin manager: built by a factory, never at import.

Built-in behaviour is plugins like any other (``DEFAULT_PLUGINS``), registered
first, so that pluggy's LIFO order asks regional plugins before core.
Third-party plugins come from the entry-point group ``jarjesto``; the entry
point's name is the plugin's name, its rule namespace and what
``--disable-plugin`` takes.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable, Mapping
from importlib import metadata
from typing import Any, Final

import pluggy

from jarjesto_core import hookspecs
from jarjesto_core.registry import CORE_PLUGIN, Registry, build_registry

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "default_registry",
    "get_plugin_manager",
    "plugin_info",
]

ENTRY_POINT_GROUP: Final = "jarjesto"
#: Built-in plugins: name -> module path.
DEFAULT_PLUGINS: Final[Mapping[str, str]] = {
    CORE_PLUGIN: "jarjesto_core.rules.core",
    "core_reports": "jarjesto_core.reports.formats",
}
DISABLE_AUTOLOAD_ENV: Final = "JARJESTO_DISABLE_PLUGIN_AUTOLOAD"
TRACE_ENV: Final = "JARJESTO_TRACE_PLUGINS"


def get_plugin_manager(
    *, load_entrypoints: bool = True, blocked: Iterable[str] = ()
) -> pluggy.PluginManager:
    """A new manager: specs, built-ins, blocks, entry points (unless disabled), then checks.

    ``JARJESTO_DISABLE_PLUGIN_AUTOLOAD`` (any non-empty value) skips entry
    points, as ``PYTEST_DISABLE_PLUGIN_AUTOLOAD`` does for pytest.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    blocked = tuple(blocked)
    for name in blocked:
        pm.set_blocked(name)
    for name, module in DEFAULT_PLUGINS.items():
        if not pm.is_blocked(name):
            pm.register(importlib.import_module(module), name=name)
    if load_entrypoints and not os.environ.get(DISABLE_AUTOLOAD_ENV):
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    if os.environ.get(TRACE_ENV):
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    pm.check_pending()
    return pm


def default_registry() -> Registry:
    """The registry of a fresh manager, entry points included: what ``assess`` uses by default."""
    return build_registry(get_plugin_manager())


def _version(pm: pluggy.PluginManager, plugin: object, name: str) -> str | None:
    for p, dist in pm.list_plugin_distinfo():
        if p is plugin:
            return str(dist.version)
    if name in DEFAULT_PLUGINS:
        try:
            return metadata.version("jarjesto")
        except metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout
            return None
    return None


def plugin_info(pm: pluggy.PluginManager, registry: Registry | None = None) -> list[dict[str, Any]]:
    """Loaded plugins with versions, hooks, and the rules, kinds and formats each contributes."""
    registry = registry or build_registry(pm)
    info = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda item: item[0]):
        if plugin is None:
            continue
        info.append(
            {
                "name": name,
                "version": _version(pm, plugin, name),
                "module": getattr(plugin, "__name__", type(plugin).__name__),
                "hooks": sorted(h.name for h in pm.get_hookcallers(plugin) or ()),
                "rules": sorted(c for c, p in registry.rule_plugins.items() if p == name),
                "service_kinds": sorted(k for k, p in registry.kind_plugins.items() if p == name),
                "report_formats": sorted(
                    f for f, p in registry.format_plugins.items() if p == name
                ),
            }
        )
    return info
