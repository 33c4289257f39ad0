"""Questions both frontends ask: a subject by name, the register's search, grant totals.

The web's pages and the command line call these, so a search or a sum means
the same wherever it is asked; the frontends only read their arguments and
show the answers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import Any

from jarjesto_core.errors import JarjestoError
from jarjesto_core.i18n import N_, translate
from jarjesto_core.model import Agreement, Dataset, Organisation, PartyRef
from jarjesto_core.reference import Reference, fold

__all__ = [
    "RegisterIndex",
    "SubjectNotFound",
    "filter_organisations",
    "find_area",
    "find_municipality",
    "grant_totals",
    "grant_totals_changed",
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


def grant_totals(
    data: Dataset, years: range, funders: Collection[PartyRef] | None = None
) -> dict[PartyRef, dict[int, Decimal]]:
    """Amounts of funding agreements by funder (as a body) and year, in one pass.

    The same sums as :func:`~jarjesto_core.continuity.grant_history`'s rows
    per party, which scans every agreement once per funder: a national area
    page has fifteen funders and 270,000 agreements. The web's area and
    municipality pages chart them. ``funders`` (bodies, as
    :meth:`Reference.canonical` names them) limits the sums to those: what
    an edit of their agreements changes (:func:`grant_totals_changed`).
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
        funder = Reference.canonical(a.party)
        if funders is not None and funder not in funders:
            continue
        by_year = totals.setdefault(funder, {})
        for y in range(first, last + 1):
            by_year[y] = by_year.get(y, Decimal(0)) + a.annual_amount_eur
    return totals


def grant_totals_changed(
    totals: Mapping[PartyRef, dict[int, Decimal]],
    data: Dataset,
    years: range,
    changed: Iterable[object],
) -> dict[PartyRef, dict[int, Decimal]]:
    """``totals`` (of ``years``) once the ``changed`` records were removed or added to make
    ``data``: the sums of the funders of changed agreements summed again, the rest kept."""
    funders = {
        Reference.canonical(r.party)
        for r in changed
        if isinstance(r, Agreement) and r.kind.funds and r.annual_amount_eur is not None
    }
    if not funders:
        return dict(totals)
    again = grant_totals(data, years, funders)
    kept = {funder: by_year for funder, by_year in totals.items() if funder not in funders}
    return {**kept, **again}
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
