"""The core service kinds and their domains (``spec/domain.md``).

Plugins add kinds through the ``register_service_kinds`` hook; the registry
joins them with these.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from jarjesto_core.model import Domain

__all__ = ["CORE_SERVICE_KINDS"]

CORE_SERVICE_KINDS: Final[Mapping[str, Domain]] = MappingProxyType(
    {
        "sote_service": Domain.SOTE,
        "peer_support": Domain.PREVENTION,
        "support_group": Domain.PREVENTION,
        "self_care_support": Domain.PREVENTION,
        "low_threshold_counselling": Domain.PREVENTION,
        "crisis_centre": Domain.PREVENTION,
        "clubhouse": Domain.PREVENTION,
        "meeting_place": Domain.PREVENTION,
        "family_activity": Domain.PREVENTION,
        "volunteer_help": Domain.PREVENTION,
        # An organisation's support for carers, not the statutory informal-care support.
        "carer_support": Domain.PREVENTION,
        "culture": Domain.MUNICIPAL,
        "youth_work": Domain.MUNICIPAL,
        "sports": Domain.MUNICIPAL,
        "education": Domain.MUNICIPAL,
        "library": Domain.MUNICIPAL,
        # The municipalities' employment services (since 2025).
        "employment": Domain.MUNICIPAL,
        "other_municipal": Domain.MUNICIPAL,
    }
)
