"""A pytest plugin for testing jarjesto plugins, as ``pytester`` is for pytest's.

A plugin's ``tests/conftest.py`` says::

    pytest_plugins = ["jarjesto_core.testing"]

and its pytest configuration names the plugins under test by entry point::

    [tool.pytest.ini_options]
    jarjesto_plugins = ["pohjois_karjala"]

Its tests then get the fixture ``jarjesto``, a :class:`Jarjesto`: it builds
small datasets, assesses them with core and the plugins under test (never
with whatever else happens to be installed), and checks a plugin's
catalogues. Nothing here is loaded unless a test suite asks for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from importlib import metadata
from types import ModuleType
from typing import Any

import attrs
import pytest

from jarjesto_core.assessment import Assessment, assess
from jarjesto_core.catalogues import catalogue_problems, marked_messages
from jarjesto_core.files import sample_dataset
from jarjesto_core.model import (
    COLLECTIONS,
    Coverage,
    Dataset,
    Name,
    Organisation,
    PartyRef,
    Scope,
)
from jarjesto_core.plugins import ENTRY_POINT_GROUP, get_plugin_manager
from jarjesto_core.reference import Reference, bundled_reference
from jarjesto_core.registry import Registry, build_registry, plugin_catalogue
from jarjesto_core.rules.base import Finding

__all__ = ["COLLECTIONS_COVERED", "Jarjesto", "cover", "installed_name", "jarjesto"]

#: What :func:`cover` covers by default: the collections the regional rules look in.
COLLECTIONS_COVERED: tuple[str, ...] = (
    "organisations",
    "services",
    "agreements",
    "structures",
    "coordinators",
    "hearings",
    "commitments",
)


def cover(
    dataset: Dataset, *parties: PartyRef, collections: tuple[str, ...] = COLLECTIONS_COVERED
) -> Dataset:
    """``dataset`` with ``collections`` of ``parties`` (and their areas' members) covered in
    every year: there absence counts as "no" (criteria.md v2), so a test can reach not_met."""
    record = Coverage(
        f"cov-{len(dataset.coverage)}",
        collections,
        parties,
        dt.date(2000, 1, 1),
        dt.date(2030, 12, 31),
        members=True,
    )
    return attrs.evolve(dataset, coverage=(*dataset.coverage, record))


def _module_name(plugin: object) -> str:
    return plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__


def installed_name(plugin: object) -> str:
    """The name a plugin is installed under: its entry point's name in the ``jarjesto`` group."""
    module = _module_name(plugin)
    for point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if point.value.partition(":")[0] == module:
            return point.name
    raise LookupError(
        f"{module} is not installed as a jarjesto plugin (no entry point in the "
        f"{ENTRY_POINT_GROUP!r} group): install it, or pass name= to Jarjesto.use"
    )


class Jarjesto:
    """Core, the plugins a test names, the bundled reference data, and small datasets."""

    def __init__(self) -> None:
        self.reference: Reference = bundled_reference()
        self._plugins: list[tuple[str, object]] = []
        self._registry: Registry | None = None

    def use(self, plugin: object, name: str | None = None) -> Jarjesto:
        """Assess with ``plugin`` too, under its installed name unless ``name`` is given."""
        self._plugins.append((name or installed_name(plugin), plugin))
        self._registry = None
        return self

    def use_installed(self, name: str) -> Jarjesto:
        """Assess with the installed plugin whose entry point is ``name`` too."""
        points = metadata.entry_points(group=ENTRY_POINT_GROUP, name=name)
        if not points:
            raise LookupError(
                f"no jarjesto plugin is installed under the name {name!r} (no entry point in "
                f"the {ENTRY_POINT_GROUP!r} group): install it, for example pip install -e ."
            )
        return self.use(next(iter(points)).load(), name)

    @property
    def registry(self) -> Registry:
        """Core and the plugins in use, checked as ``jarjesto`` checks them; no entry points."""
        if self._registry is None:
            pm = get_plugin_manager(load_entrypoints=False)
            for name, plugin in self._plugins:
                pm.register(plugin, name=name)
            pm.check_pending()
            self._registry = build_registry(pm)
        return self._registry

    # -- datasets ---------------------------------------------------------------------

    def dataset(self, *records: object, name: Name | None = None) -> Dataset:
        """A dataset of ``records``, each put in the collection of its type, in the order given."""
        collections: dict[str, list[object]] = {}
        by_type = {cls: collection for collection, cls in COLLECTIONS.items()}
        for record in records:
            collection = by_type.get(type(record))
            if collection is None:
                raise TypeError(f"{record!r} is not a record of any collection")
            collections.setdefault(collection, []).append(record)
        fields: dict[str, Any] = {c: tuple(r) for c, r in collections.items()}
        return Dataset(name=name, **fields)

    def organisation(
        self,
        id: str,
        *fields: str,
        municipalities: Sequence[str] = ("091",),
        name: Name | None = None,
        scope: Scope = Scope.LOCAL,
        languages: Sequence[str] = ("fi",),
        **more: Any,
    ) -> Organisation:
        """An organisation with everything a test does not care about filled in."""
        return Organisation(
            id,
            name or Name(fi=id),
            tuple(languages),
            scope,
            tuple(municipalities),
            fields=fields,
            **more,
        )

    def sample(self) -> Dataset:
        """The bundled sample dataset (``jarjesto assess`` without a dataset)."""
        return sample_dataset()

    # -- assessing --------------------------------------------------------------------

    def assess(
        self, dataset: Dataset, year: int, subjects: Sequence[PartyRef] | None = None
    ) -> Assessment:
        """Assess as ``jarjesto assess`` does, with core and the plugins in use."""
        return assess(dataset, year, subjects, registry=self.registry, reference=self.reference)

    def finding(
        self, dataset: Dataset, year: int, subject: PartyRef, rule: str, *, covered: bool = False
    ) -> Finding:
        """One rule's finding for one subject; with ``covered``, the subject's records are
        :func:`cover`-ed first, so that what the dataset lacks counts as "no"."""
        if covered:
            dataset = cover(dataset, subject)
        (result,) = self.assess(dataset, year, [subject]).subjects
        for found in result.findings:
            if found.rule == rule:
                return found
        raise LookupError(f"no finding of {rule} for {subject}: is the rule registered?")

    # -- catalogues -------------------------------------------------------------------

    def catalogue_problems(self, plugin: object) -> list[str]:
        """Everything wrong with the plugin's fi, sv and en catalogues; empty when complete."""
        domain, localedir = plugin_catalogue(plugin)
        package = localedir.parent
        problems = catalogue_problems(package, domain)
        if not marked_messages(package):
            problems.insert(0, f"{package}: no message is marked with N_")
        return problems

    def check_catalogues(self, plugin: object) -> None:
        """Fail the test with every problem of the plugin's catalogues."""
        problems = self.catalogue_problems(plugin)
        if problems:
            pytest.fail("catalogues incomplete:\n" + "\n".join(problems), pytrace=False)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "jarjesto_plugins",
        "entry point names of the installed jarjesto plugins the jarjesto fixture assesses with",
        type="linelist",
        default=[],
    )


@pytest.fixture
def jarjesto(request: pytest.FixtureRequest) -> Jarjesto:
    """A fresh :class:`Jarjesto` per test: core, the plugins named by the ``jarjesto_plugins``
    setting, and those the test ``use``-s."""
    helper = Jarjesto()
    for name in request.config.getini("jarjesto_plugins"):
        helper.use_installed(name)
    return helper
