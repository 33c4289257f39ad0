"""Questions both frontends ask: a subject by name, the register's search, grant totals.

The web's pages and the command line call these, so a search or a sum means
the same wherever it is asked; the frontends only read their arguments and
show the answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from jarjesto_core.errors import JarjestoError
from jarjesto_core.i18n import N_, translate
from jarjesto_core.model import Agreement, Dataset, Organisation, PartyRef
from jarjesto_core.reference import Reference, fold

__all__ = [
    "GrantLedger",
    "RegisterIndex",
    "SubjectNotFound",
    "filter_organisations",
    "find_area",
    "find_municipality",
    "grant_totals",
]


class SubjectNotFound(JarjestoError):
    """No municipality or wellbeing area by the code or name given.

    ``option`` says which was asked for (``municipality`` or ``area``), so a
    frontend can point at its own field; :meth:`render` gives the message in
    fi, sv or en.
    """

    def __init__(self, option: str, message: str, params: Mapping[str, Any]) -> None:
        self.option = option
        self.message = message
        self.params: Mapping[str, Any] = dict(params)
        super().__init__(self.render("en"))

    def render(self, lang: str = "en") -> str:
        return translate(self.message, lang, self.params)


def find_municipality(reference: Reference, name: str, year: int | None = None) -> PartyRef:
    """A municipality by code or Finnish or Swedish name, as it was in ``year``.

    Without a year, the latest year it existed: a municipality that has since
    merged is still found by its old name.
    """
    years = [year] if year is not None else sorted(reference.years, reverse=True)
    for y in years:
        found = reference.find_municipality(name, y)
        if found is not None:
            return found.party
    raise SubjectNotFound(
        "municipality",
        N_("no municipality %(name)s in %(year)d"),
        {"name": name, "year": years[0]},
    )


def find_area(reference: Reference, name: str) -> PartyRef:
    """A wellbeing area by code or Finnish, Swedish or English name."""
    found = reference.find_area(name)
    if found is None:
        raise SubjectNotFound("area", N_("no wellbeing area %(name)s"), {"name": name})
    return found.party


class RegisterIndex:
    """What the register's search needs of each organisation, folded and grouped once.

    Built once per dataset (the web keeps one per data version): folding 20,000
    names and grouping 40,000 services on every search took most of its time.
    """

    def __init__(self, data: Dataset) -> None:
        kinds: dict[str, set[str]] = {}
        for s in data.services:
            kinds.setdefault(s.organisation, set()).add(s.kind)
        self.kinds: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in kinds.items()}
        self.texts: tuple[tuple[str, ...], ...] = tuple(
            tuple(fold(t) for t in (o.id, o.business_id or "", *o.name.as_dict().values()))
            for o in data.organisations
        )
        self.languages = sorted({lang for o in data.organisations for lang in o.languages})


def filter_organisations(
    data: Dataset, ref: Reference, y: int, args: Any, *, index: RegisterIndex | None = None
) -> list[Organisation]:
    """The register's search (``q``) and filters (municipality, area, language, kind, scope).

    ``args`` holds the filters by name (a web request's query arguments);
    absent or empty ones do not filter. ``index`` must be ``data``'s.
    """
    q = fold(args.get("q", "").strip())
    municipality = args.get("municipality", "").strip()
    area = args.get("area", "").strip()
    language = args.get("language", "").strip()
    kind = args.get("kind", "").strip()
    scope = args.get("scope", "").strip()
    area_members = {m.code for m in ref.members(area, y)} if area else set()
    index = index if index is not None else RegisterIndex(data)
    none: frozenset[str] = frozenset()
    found = []
    for org, texts in zip(data.organisations, index.texts, strict=True):
        if q and not any(q in text for text in texts):
            continue
        if municipality and municipality not in org.municipalities:
            continue
        if area and not area_members & set(org.municipalities):
            continue
        if language and language not in org.languages:
            continue
        if kind and kind not in index.kinds.get(org.id, none):
            continue
        if scope and org.scope.value != scope:
            continue
        found.append(org)
    return found


def grant_totals(data: Dataset, years: range) -> dict[PartyRef, dict[int, Decimal]]:
    """Amounts of funding agreements by funder (as a body) and year, in one pass.

    The same sums as :func:`~jarjesto_core.continuity.grant_history`'s rows
    per party, which scans every agreement once per funder: a national area
    page has fifteen funders and 270,000 agreements. The web's area and
    municipality pages chart them, from a :class:`GrantLedger`, which gives
    the same sums and follows edits.
    """
    totals: dict[PartyRef, dict[int, Decimal]] = {}
    if not years:
        return totals
    for a in data.agreements:
        if not a.kind.funds or a.annual_amount_eur is None:
            continue
        first = max(a.start.year, years.start)
        last = years.stop - 1 if a.end is None else min(a.end.year, years.stop - 1)
        if first > last:
            continue
        by_year = totals.setdefault(Reference.canonical(a.party), {})
        for y in range(first, last + 1):
            by_year[y] = by_year.get(y, Decimal(0)) + a.annual_amount_eur
    return totals


class _Sum:
    """One funder's grants in one year: their exact sum, how many, and their amounts'
    exponents (how many places each is written to)."""

    __slots__ = ("count", "exponents", "total")

    def __init__(self, total: Decimal, count: int, exponents: Counter[int]) -> None:
        self.total, self.count, self.exponents = total, count, exponents

    def copy(self) -> _Sum:
        return _Sum(self.total, self.count, Counter(self.exponents))

    def written(self) -> Decimal:
        """The sum as grant_totals writes it: ``Decimal(0)`` plus each amount, which has the
        least exponent of them all (and 0's); a term taken away may leave a larger one."""
        least = min(0, min(self.exponents))
        return self.total.quantize(Decimal(1).scaleb(least))


def _exponent(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


class GrantLedger:
    """:func:`grant_totals` kept so that an edit updates it exactly, by the agreements it
    removed and added rather than a pass over every agreement.

    Per funder and year it keeps the exact sum, how many agreements make it and
    their amounts' exponents: a sum of decimals is exact and written to the
    most places of its terms, so taking one term away may leave a sum written to
    more places than :func:`grant_totals` writes it; the exponents say how many
    to keep. Never changed once made: :meth:`changed` gives a new ledger sharing
    the funders it did not touch.
    """

    def __init__(self, years: range, sums: Mapping[PartyRef, Mapping[int, _Sum]]) -> None:
        self.years = years
        self._sums = sums

    @classmethod
    def of(cls, data: Dataset, years: range) -> GrantLedger:
        """The ledger of ``data``'s agreements: those of one funder and span summed first,
        then spread over their years (:meth:`changed` adds them one by one)."""
        if not years:
            return cls(years, {})
        start, stop = years.start, years.stop - 1
        spans: dict[tuple[PartyRef, int, int], _Sum] = {}
        for a in data.agreements:
            amount = a.annual_amount_eur
            if amount is None or not a.kind.funds:
                continue
            key = (
                a.party,
                max(a.start.year, start),
                stop if a.end is None else min(a.end.year, stop),
            )
            found = spans.get(key)
            if found is None:
                spans[key] = _Sum(amount, 1, Counter((_exponent(amount),)))
            else:
                found.total += amount
                found.count += 1
                found.exponents[_exponent(amount)] += 1
        sums: dict[PartyRef, dict[int, _Sum]] = {}
        for (party, first, last), part in spans.items():
            for y in range(first, last + 1):
                by_year = sums.setdefault(Reference.canonical(party), {})
                found = by_year.get(y)
                if found is None:
                    by_year[y] = part.copy()
                else:
                    found.total += part.total
                    found.count += part.count
                    found.exponents.update(part.exponents)
        return cls(years, sums)

    def _terms(self, a: object) -> tuple[PartyRef, range, Decimal] | None:
        """The funder, years and amount an agreement adds to the sums, or None."""
        if not isinstance(a, Agreement) or not a.kind.funds or a.annual_amount_eur is None:
            return None
        years = self.years
        if not years:
            return None
        first = max(a.start.year, years.start)
        last = years.stop - 1 if a.end is None else min(a.end.year, years.stop - 1)
        return Reference.canonical(a.party), range(first, last + 1), a.annual_amount_eur

    def changed(self, removed: Iterable[object], added: Iterable[object]) -> GrantLedger:
        """The ledger once the ``removed`` records are gone and the ``added`` are in."""
        # Copy on write: the funders touched get new tables; the old ledger stays as it was.
        touched: dict[PartyRef, dict[int, _Sum]] = {}
        for sign, records in ((-1, removed), (1, added)):
            for record in records:
                terms = self._terms(record)
                if terms is None:
                    continue
                funder, span, amount = terms
                by_year = touched.get(funder)
                if by_year is None:
                    old = self._sums.get(funder, {})
                    by_year = touched[funder] = {y: found.copy() for y, found in old.items()}
                exponent = _exponent(amount)
                for y in span:
                    found = by_year.get(y)
                    if found is None:
                        found = by_year[y] = _Sum(Decimal(0), 0, Counter())
                    found.total += sign * amount
                    found.count += sign
                    found.exponents[exponent] += sign
                    if found.count < 0 or found.exponents[exponent] < 0:
                        raise ValueError("removed an agreement the ledger did not hold")
                    if not found.exponents[exponent]:
                        del found.exponents[exponent]
                    if not found.count:
                        del by_year[y]
        sums = {**self._sums, **touched}
        for funder, by_year in touched.items():
            if not by_year:
                del sums[funder]
        return GrantLedger(self.years, sums)

    def totals(self, funder: PartyRef) -> dict[int, Decimal]:
        """``grant_totals(...)[funder]``: the funder's sums by year (empty when none)."""
        by_year = self._sums.get(Reference.canonical(funder), {})
        return {y: by_year[y].written() for y in sorted(by_year)}

    def funders(self) -> set[PartyRef]:
        return set(self._sums)
