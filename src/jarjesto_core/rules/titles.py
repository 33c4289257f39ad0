"""The titles of core's rules, as a reader sees them instead of their codes (terminology.md 1.11).

A rule may set its own ``title``; core's come from here, so that one table
holds them beside each other for translators. A plugin's rule sets
``title = N_("...")`` and translates it in its own catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from jarjesto_core.i18n import N_

__all__ = ["CORE_RULE_TITLES"]

CORE_RULE_TITLES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "core.coordinator": N_("Coordinator for cooperation with organisations"),
        "core.cooperation-structure": N_("Cooperation body with organisations"),
        "core.influence-bodies": N_("Statutory influence bodies"),
        "core.hearing": N_("Hearing organisations"),
        "core.grants": N_("Grants to organisations"),
        "core.appropriation": N_(
            "Funds reserved for organisation grants in the health and wellbeing appropriation"
        ),
        "core.premises": N_("Premises for organisations"),
        "core.service-paths": N_("Organisations' services in service paths"),
        "core.funding-responsibility": N_("Funding responsibility for middle-ground services"),
        "core.grant-continuity": N_("Continuity of grants"),
        "core.bilingual-inclusion": N_("Organisations of both language groups included"),
        "core.forums": N_("Association forums and other participation channels"),
        "core.strategy": N_("Cooperation with organisations in the county strategy"),
        "core.small-producers": N_("Opportunities for small service providers"),
        "core.family-centre": N_("Organisations in the family centre"),
        "core.knowledge-management": N_("Organisations in knowledge-based management"),
    }
)
