"""Labels a person reads for the codes in the data (terminology.md, section 1).

Every kind in a dataset (service, agreement, structure, coordinator title,
strategy topic, premises terms, funder) is a code in the data and a label in
a report: never ``peer_support`` in a Finnish table. The tables here are
msgids; :func:`label` translates one, and a plugin's own service kinds get
theirs through the plugin's catalogue (``domain``). Tables are keyed by the
code's text, so kinds added later need only a row here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

from jarjesto_core.i18n import DOMAIN, LOCALE_DIR, N_, translate

__all__ = [
    "AGREEMENT_KIND_LABELS",
    "COORDINATOR_TITLE_LABELS",
    "FUNDER_KIND_LABELS",
    "PREMISES_TERMS_LABELS",
    "SERVICE_KIND_LABELS",
    "STRUCTURE_KIND_LABELS",
    "TOPIC_LABELS",
    "label",
]

SERVICE_KIND_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "sote_service": N_("social welfare or health care service"),
        "peer_support": N_("peer support"),
        "support_group": N_("support group"),
        "self_care_support": N_("self-care support"),
        "low_threshold_counselling": N_("low-threshold counselling"),
        "crisis_centre": N_("crisis centre"),
        "clubhouse": N_("clubhouse"),
        "meeting_place": N_("meeting place"),
        "family_activity": N_("family activities"),
        "volunteer_help": N_("volunteer help"),
        "carer_support": N_("support for carers"),
        "culture": N_("culture"),
        "youth_work": N_("youth work"),
        "sports": N_("sport and physical activity"),
        "education": N_("education"),
        "library": N_("library"),
        "employment": N_("employment services"),
        "other_municipal": N_("other municipal task"),
    }
)

AGREEMENT_KIND_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "operating_grant": N_("operating grant"),
        "project_grant": N_("project grant"),
        "premises": N_("premises agreement"),
        "service_purchase": N_("service purchase"),
        "service_voucher": N_("service voucher"),
        "personal_budget": N_("personal budget"),
        "cooperation": N_("cooperation agreement"),
    }
)

STRUCTURE_KIND_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "organisation_council": N_("regional organisation council"),
        "local_organisation_council": N_("local organisation council"),
        "representation_body": N_("joint body of the municipality and organisations"),
        "association_forum": N_("association forum"),
        "digital_channel": N_("digital channel"),
        "family_centre_network": N_("family centre network"),
        "youth_council": N_("youth council"),
        "older_people_council": N_("council for older people"),
        "disability_council": N_("disability council"),
        "resident_panel": N_("resident panel"),
    }
)

COORDINATOR_TITLE_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "organisation_coordinator": N_("organisation coordinator"),
        "hyte_coordinator": N_("health and wellbeing promotion coordinator (hyte coordinator)"),
        "association_agent": N_("association agent"),
    }
)

TOPIC_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "services_link": N_("organisations' work linked into services"),
        "partnership_structure": N_("partnership and cooperation structure"),
        "grant_continuation": N_("continuation of grants without interruption"),
        "funding_principles": N_("principles for funding organisations"),
        "premises_use": N_("use of premises"),
        "participation_channels": N_("participation and influence channels"),
        "knowledge_management": N_("knowledge-based management"),
        "procurement_lots": N_("division of procurements into lots"),
        "vouchers_and_budgets": N_("service vouchers and personal budgets"),
    }
)

PREMISES_TERMS_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "free": N_("free of charge"),
        "subsidised": N_("subsidised rent"),
        "market": N_("market rent"),
    }
)

FUNDER_KIND_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "state": N_("state"),
        "eu": N_("EU"),
        "foundation": N_("foundation"),
        "parish": N_("parish"),
        "company": N_("company"),
        "other": N_("other"),
    }
)


def label(
    code: str,
    table: Mapping[str, str],
    lang: str,
    *,
    domain: str = DOMAIN,
    localedir: Path = LOCALE_DIR,
) -> str:
    """The label of ``code`` from ``table`` in ``lang``.

    A code the table lacks (a plugin's kind without a label) is shown with
    its underscores as spaces rather than failing a report.
    """
    msgid = table.get(code)
    if msgid is None:
        return code.replace("_", " ")
    return translate(msgid, lang, domain=domain, localedir=localedir)
