"""Everything a jarjesto plugin imports, in one module (what ``pytest`` is to ``_pytest``).

A plugin writes ``from jarjesto_core.plugin import ...`` and nothing else from
``jarjesto_core``: the names here are the stable surface for plugin authors,
while the modules behind them may move between releases. A plugin is one
module with:

- hook implementations marked with :data:`hookimpl` (``register_rules``,
  ``rule_thresholds``, ...; see ``docs/hooks.md``);
- rules subclassing :class:`Rule`, whose :meth:`Rule.judge` returns a
  :class:`Verdict`;
- messages marked with :func:`N_` (:func:`NP_` for plural ones), translated from the plugin's own
  catalogues in ``<package>/locale/<lang>/LC_MESSAGES/<package>.po``. The
  registry gives each rule the domain and locale directory of the plugin that
  contributed it, so a rule sets neither;
- absence judged through :meth:`Rule.absent`: ``not_met`` only where a
  ``coverage`` record says the data holds every such record, otherwise
  ``unknown`` with a "not recorded" message (criteria.md v2).

Its tests use the shipped pytest plugin, ``pytest_plugins = ["jarjesto_core.testing"]``.
"""

from __future__ import annotations

from jarjesto_core import model as _model
from jarjesto_core.hookspecs import hookimpl
from jarjesto_core.i18n import N_, NP_
from jarjesto_core.model import *  # noqa: F403 -- the records and enums, as the model grows
from jarjesto_core.reports.base import ReportFormat
from jarjesto_core.rules.base import Context, Counted, Finding, Rule, Status, Terms, Verdict
from jarjesto_core.sources import Source, SourceKind

__all__ = [
    "NP_",
    "N_",
    "Context",
    "Counted",
    "Finding",
    "ReportFormat",
    "Rule",
    "Source",
    "SourceKind",
    "Status",
    "Terms",
    "Verdict",
    "hookimpl",
]
__all__ += _model.__all__
