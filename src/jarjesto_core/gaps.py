"""The blind-spot view's figures: funding rows filtered, counted by place and kind.

Built on the resolver's funding rows (:func:`jarjesto_core.resolver.resolve`,
an assessment's ``funding``), so that every status the resolver knows shows
up here without a change: a new status is a new column of counts, not a
new view. Pure: rows in, figures out; the web UI and the CLI only render.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal

from attrs import frozen

from jarjesto_core.i18n import NP_, Plural, translate
from jarjesto_core.model import Agreement, PartyRef
from jarjesto_core.resolver import FundingRow, FundingStatus

__all__ = [
    "ORDER",
    "PROBLEMS",
    "Cell",
    "Funding",
    "GapFilter",
    "ToAgree",
    "counts_by_party",
    "matrix",
    "present",
    "status_count",
    "to_agree",
]

#: The statuses that need someone's attention: every status but "in order".
PROBLEMS: frozenset[FundingStatus] = frozenset(
    s for s in FundingStatus if s is not FundingStatus.OK
)


@frozen
class GapFilter:
    """What the reader chose: no kinds or places means all; no statuses, every problem."""

    statuses: frozenset[FundingStatus] = PROBLEMS
    kinds: frozenset[str] = frozenset()
    municipalities: frozenset[str] = frozenset()

    @classmethod
    def parse(
        cls, statuses: Iterable[str], kinds: Iterable[str], municipalities: Iterable[str]
    ) -> GapFilter:
        """From query values; unknown statuses are ignored, so an old link still opens."""
        known = {s.value: s for s in FundingStatus}
        chosen = frozenset(known[s] for s in statuses if s in known)
        return cls(chosen or PROBLEMS, frozenset(kinds) - {""}, frozenset(municipalities) - {""})

    def keeps(self, row: FundingRow) -> bool:
        return (
            row.status in self.statuses
            and (not self.kinds or row.kind in self.kinds)
            and (not self.municipalities or row.municipality in self.municipalities)
        )

    def rows(self, rows: Iterable[FundingRow]) -> list[FundingRow]:
        return [r for r in rows if self.keeps(r)]


@frozen
class Cell:
    """One (municipality, kind) cell: how many pairs have each status, worst first."""

    municipality: str
    kind: str
    counts: Mapping[FundingStatus, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def worst(self) -> FundingStatus | None:
        """The status the cell is coloured by: the first in :data:`ORDER` it has."""
        return next((s for s in ORDER if self.counts.get(s)), None)


_RANK = {"blind_spot": 0, "unfunded": 1, "mismatch": 2, "ok": 9}
#: Worst first (a status added later comes before "in order"): a cell with a blind spot
#: is a blind-spot cell whatever else it holds.
ORDER: tuple[FundingStatus, ...] = tuple(sorted(FundingStatus, key=lambda s: _RANK.get(s.value, 5)))


def matrix(rows: Iterable[FundingRow]) -> dict[tuple[str, str], Cell]:
    """The (municipality, kind) cells of ``rows`` (already filtered), with their counts."""
    counts: defaultdict[tuple[str, str], Counter[FundingStatus]] = defaultdict(Counter)
    for r in rows:
        counts[(r.municipality, r.kind)][r.status] += 1
    return {key: Cell(key[0], key[1], dict(c)) for key, c in counts.items()}


def counts_by_party(rows: Iterable[FundingRow]) -> dict[PartyRef, Counter[FundingStatus]]:
    """Pairs per status for each municipality and each area the rows lie in."""
    found: defaultdict[PartyRef, Counter[FundingStatus]] = defaultdict(Counter)
    for r in rows:
        found[PartyRef.municipality(r.municipality)][r.status] += 1
        found[PartyRef.area(r.area)][r.status] += 1
    return dict(found)


@frozen
class Funding:
    """A funding agreement covering a pair: who pays and how much a year (None: not recorded)."""

    agreement: str
    funder: PartyRef
    annual_amount_eur: Decimal | None


@frozen
class ToAgree:
    """A kind with services in a municipality and nobody responsible: what to agree on."""

    municipality: str
    area: str
    kind: str
    rows: tuple[FundingRow, ...]
    funding: Mapping[str, tuple[Funding, ...]]
    """Each row's service id -> the agreements funding it now."""


def to_agree(
    rows: Iterable[FundingRow], agreements: Mapping[str, Agreement] | Sequence[Agreement]
) -> list[ToAgree]:
    """Per (municipality, kind): the pairs with a problem and no responsibility assignment.

    Sorted by municipality code and kind; the rows keep the resolver's order.
    """
    by_id: Mapping[str, Agreement] = (
        agreements if isinstance(agreements, Mapping) else {a.id: a for a in agreements}
    )
    grouped: defaultdict[tuple[str, str, str], list[FundingRow]] = defaultdict(list)
    for r in rows:
        if r.responsible is None and r.status is not FundingStatus.OK:
            grouped[(r.municipality, r.area, r.kind)].append(r)
    out = []
    for (municipality, area, kind), found in sorted(grouped.items()):
        funding = {
            r.service: tuple(
                Funding(a.id, a.party, a.annual_amount_eur)
                for a in (by_id.get(i) for i in r.agreements)
                if a is not None
            )
            for r in found
        }
        out.append(ToAgree(municipality, area, kind, tuple(found), funding))
    return out


def present(rows: Collection[FundingRow]) -> list[FundingStatus]:
    """The statuses ``rows`` hold, worst first."""
    have = {r.status for r in rows}
    return [s for s in ORDER if s in have]


#: "2 blind spots": a cell's or a subject's count of one status, by its plural rules.
STATUS_COUNTS: Mapping[str, Plural] = {
    "blind_spot": NP_("%(count)d blind spot", "%(count)d blind spots"),
    "unfunded": NP_("%(count)d unfunded", "%(count)d unfunded"),
    "mismatch": NP_("%(count)d with the wrong funder", "%(count)d with the wrong funder"),
    "ok": NP_("%(count)d in order", "%(count)d in order"),
}
#: A status added later, until it has a message of its own.
OTHER_COUNT: Plural = NP_("%(label)s: %(count)d pair", "%(label)s: %(count)d pairs")


def status_count(status: FundingStatus, count: int, lang: str) -> str:
    """``count`` pairs of ``status`` in words, in ``lang``."""
    from jarjesto_core.resolver import FUNDING_STATUS_LABELS

    message = STATUS_COUNTS.get(status.value)
    if message is None:
        label = translate(FUNDING_STATUS_LABELS.get(status, status.value), lang)
        return translate(OTHER_COUNT, lang, {"count": count, "label": label})
    return translate(message, lang, {"count": count})
