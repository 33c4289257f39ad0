"""Core plus this plugin, and nothing else installed, through jarjesto's shipped test helper."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from jarjesto_core.reference import Reference
from jarjesto_core.registry import Registry

import jarjesto_tampere as plugin

if TYPE_CHECKING:  # imported by pytest first, as a plugin, so that its asserts are rewritten
    from jarjesto_core.testing import Jarjesto

pytest_plugins = ["jarjesto_core.testing"]


@pytest.fixture
def registry(jarjesto: Jarjesto) -> Registry:
    return jarjesto.use(plugin).registry


@pytest.fixture
def reference(jarjesto: Jarjesto) -> Reference:
    return jarjesto.reference
