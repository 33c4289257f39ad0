# mypy: disable-error-code="empty-body"
"""Every hook a jarjesto plugin can implement, with the two markers.

Contribution hooks are verbs and return lists (or mappings) that the registry
joins, once, tying each contribution to its plugin. Question hooks are nouns
and return ``X | None``. A plugin implements a hook by defining a function of
the same name marked ``@jarjesto_core.hookimpl``; it may take fewer arguments
than the spec lists (pluggy's opt-in arguments), so specs can grow.
``docs/plugins.md`` explains each hook with an example.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click
    import flask

    from jarjesto_core.model import Domain, PartyRef, ResponsibleParty
    from jarjesto_core.reports.base import ReportFormat
    from jarjesto_core.rules.base import Rule
    from jarjesto_core.sources import Source

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "jarjesto"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -- domain ------------------------------------------------------------------


@hookspec
def register_rules() -> Sequence[Rule]:
    """Contribute assessment rules.

    Each rule's code must be in the plugin's namespace: ``<plugin>.kebab-name``
    (``core.*`` belongs to the core rules). A duplicate code is refused.

    :returns: rule instances.
    """


@hookspec
def register_sources() -> Sequence[Source]:
    """Contribute citable sources: documents, regional examples, web pages, acts.

    Rules cite them by key (``"pohjois-karjala-jane"``) or key and part
    (``"soste-kuntavaalit-2021#hyvat-kaytannot"``); reports render the title,
    publisher, date and link in the reader's language. A key another plugin
    already registers is refused, and so is a rule citing a key or part that
    no plugin registers. Keys are kebab-case and never change.

    :returns: :class:`jarjesto_core.sources.Source` objects.
    """


@hookspec
def register_service_kinds() -> Mapping[str, Domain | str]:
    """Contribute service kinds, each with its domain (``sote``, ``prevention``, ``municipal``).

    The domain decides who is responsible for funding the kind unless a
    responsibility agreement says otherwise. A kind another plugin already
    contributes, or an unknown domain, is refused.

    :returns: a mapping of kind name to domain.
    """


@hookspec(firstresult=True)
def default_responsible_party(
    municipality: str, area: str, service_kind: str, year: int
) -> ResponsibleParty | str | None:
    """Who is responsible for a prevention-domain kind when no responsibility agreement says.

    The resolver asks this only for ``prevention`` kinds with no agreement in
    force. A regional plugin answers for its own municipalities and returns
    None elsewhere. The core fallback (``trylast``) answers None: nobody, a
    blind spot. The answer must depend on the arguments alone: the resolver
    asks once per (municipality, area, kind, year) and reuses the answer for
    every service of that kind there.

    :param municipality: the municipality code, ``"167"``.
    :param area: its wellbeing area's code, ``"14"`` (Helsinki: ``"90"``).
    :param service_kind: the service kind.
    :param year: the assessed year.
    :returns: ``"municipality"``, ``"area"``, ``"shared"`` or None.

    Stops at first non-None result.
    """


@hookspec
def rule_thresholds(
    rule: str, subject: PartyRef, year: int, defaults: Mapping[str, float]
) -> Mapping[str, float] | None:
    """Tighten a rule's thresholds for a subject.

    Every threshold is a minimum (meetings a year, a share of organisations);
    a plugin may raise it, never lower it, and may only name thresholds the
    rule has. Otherwise the assessment fails with an error naming the plugin.
    When several plugins answer, the tightest value wins.

    :param rule: the rule code, ``"core.cooperation-structure"``.
    :param subject: the assessed municipality or area.
    :param year: the assessed year.
    :param defaults: the rule's own thresholds.
    :returns: the thresholds to raise, or None.
    """


@hookspec
def register_report_formats() -> Sequence[ReportFormat]:
    """Contribute report formats (``jarjesto assess --format NAME``).

    A format name already taken is refused.

    :returns: :class:`jarjesto_core.reports.ReportFormat` objects.
    """


# -- CLI ---------------------------------------------------------------------


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``jarjesto`` command line (loaded on first use).

    :param cli: the ``jarjesto`` click group; call ``cli.add_command(...)``.
    """


# -- web ---------------------------------------------------------------------


@hookspec
def register_blueprints() -> Sequence[flask.Blueprint]:
    """Contribute Flask blueprints; the web app mounts them under ``/plugins/<plugin>/``.

    :returns: blueprints.
    """
