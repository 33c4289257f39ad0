"""A fresh plugin manager per test: core plus this plugin, and nothing else installed."""

from __future__ import annotations

import pytest
from jarjesto_core.plugins import get_plugin_manager
from jarjesto_core.reference import Reference, bundled_reference
from jarjesto_core.registry import Registry, build_registry

import jarjesto_varsinais_suomi as plugin


@pytest.fixture
def registry() -> Registry:
    pm = get_plugin_manager(load_entrypoints=False)
    pm.register(plugin, name="varsinais_suomi")
    pm.check_pending()
    return build_registry(pm)


@pytest.fixture(scope="session")
def reference() -> Reference:
    return bundled_reference()
