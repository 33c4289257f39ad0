from __future__ import annotations

import pluggy
import pytest

from jarjesto_core.plugins import get_plugin_manager
from jarjesto_core.reference import Reference, bundled_reference
from jarjesto_core.registry import Registry, build_registry


@pytest.fixture
def pm() -> pluggy.PluginManager:
    return get_plugin_manager(load_entrypoints=False)


@pytest.fixture
def registry(pm: pluggy.PluginManager) -> Registry:
    return build_registry(pm)


@pytest.fixture(scope="session")
def reference() -> Reference:
    return bundled_reference()
