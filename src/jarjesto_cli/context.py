"""The command line's plugin manager and registry, one per invocation, kept in ``ctx.obj``.

Tests pass their own manager with ``CliRunner().invoke(cli, args, obj={"pm": pm})``;
a normal run builds one on first use (entry points included).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import pluggy

    from jarjesto_core.registry import Registry

__all__ = ["language", "obj", "plugin_manager", "registry"]


def obj(ctx: click.Context) -> dict[str, Any]:
    root = ctx.find_root()
    if root.obj is None:
        root.obj = {}
    if not isinstance(root.obj, dict):
        raise click.UsageError("ctx.obj must be a dict")
    data: dict[str, Any] = root.obj
    return data


def plugin_manager(ctx: click.Context) -> pluggy.PluginManager:
    data = obj(ctx)
    if data.get("pm") is None:
        from jarjesto_core.plugins import get_plugin_manager

        data["pm"] = get_plugin_manager()
    pm: pluggy.PluginManager = data["pm"]
    return pm


def registry(ctx: click.Context, disabled: tuple[str, ...] = ()) -> Registry:
    """The registry of this invocation, without the plugins named in ``--disable-plugin``."""
    from jarjesto_core.i18n import N_, translate
    from jarjesto_core.registry import CORE_PLUGIN, build_registry

    pm = plugin_manager(ctx)
    for name in disabled:
        if name == CORE_PLUGIN:  # without it every finding list is empty, and exit 0 misleads
            raise click.BadParameter(
                translate(
                    N_(
                        "the core criteria cannot be disabled: without them there is nothing "
                        "to assess against; disable a regional plugin instead"
                    ),
                    language(ctx),
                ),
                param_hint="--disable-plugin",
            )
        if pm.get_plugin(name) is None and not pm.is_blocked(name):
            raise click.BadParameter(
                translate(N_("no plugin named %(name)s is loaded"), language(ctx), {"name": name}),
                param_hint="--disable-plugin",
            )
        pm.set_blocked(name)
    return build_registry(pm)


def language(ctx: click.Context, lang: str | None = None) -> str:
    """``--lang``, else the locale (``LANG=sv_FI.UTF-8`` gives sv), else Finnish."""
    from jarjesto_core.i18n import language_from_env

    chosen = lang or obj(ctx).get("lang") or language_from_env(os.environ)
    obj(ctx)["lang"] = chosen
    return str(chosen)
