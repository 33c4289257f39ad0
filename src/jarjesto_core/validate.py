"""Semantic validation of a structured dataset (placeholder: filled by the validation work)."""

from __future__ import annotations

from collections.abc import Mapping

from jarjesto_core.errors import Problem
from jarjesto_core.model import Dataset, Domain
from jarjesto_core.reference import Reference

__all__ = ["validate"]


def validate(
    dataset: Dataset,
    reference: Reference,
    *,
    service_kinds: Mapping[str, Domain] | None = None,
    broken: Mapping[str, frozenset[str]] | None = None,
) -> tuple[Problem, ...]:
    """Every semantic problem of ``dataset``; ``broken`` ids failed structuring already."""
    return ()
