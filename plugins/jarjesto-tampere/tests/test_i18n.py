"""Every message of the plugin is translated in fi, sv and en, and the .mo files are compiled."""

from __future__ import annotations

from pathlib import Path

from jarjesto_core.catalogues import catalogue_problems, marked_messages

import jarjesto_tampere as plugin

PACKAGE = Path(plugin.__file__).parent
DOMAIN = "jarjesto_tampere"


def test_the_plugin_has_messages() -> None:
    assert marked_messages(PACKAGE)


def test_rules_point_at_the_plugins_catalogue() -> None:
    for rule in plugin.register_rules():
        assert (rule.i18n_domain, rule.localedir) == (DOMAIN, PACKAGE / "locale")


def test_catalogues_are_complete_and_compiled() -> None:
    assert catalogue_problems(PACKAGE, DOMAIN) == []
