"""Quality warnings on an imported list: what parses but is probably not meant.

A published grant list holds rows that are valid data and still wrong as
grants to organisations: refused applications at 0 €, budget pools
("kansliapäällikön käytettäväksi"), the same organisation twice under two
spellings, an amount a hundred times the others. None stops an import: each
names its row, and the official decides. The summary says in one line what
the file holds, so a wrong year or funder shows before anything is written.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from attrs import frozen

from jarjesto_core.errors import Problem
from jarjesto_core.i18n import N_, NP_, format_money, translate
from jarjesto_core.ids import id_from_name
from jarjesto_core.model import Coverage, PartyRef
from jarjesto_core.reference import Reference

if TYPE_CHECKING:
    from jarjesto_core.importing import Outcome

__all__ = ["BUDGET_LINE", "Summary", "coverage_text", "summary_text", "warnings_for"]

#: Words of a budget line or a pool, not of an organisation's name (fi, sv).
BUDGET_LINE: Final = re.compile(
    r"käytettäväksi|määräraha|harkinnanvarai|talousarvio|varaus\b|avustukset\b|"
    r"till förfogande|anslag|reservering|bidragen\b|budjettikohta",
    re.IGNORECASE,
)
#: An amount this many times above or below the file's median stands out.
FAR: Final = 20
#: Fewer amounts than this have no range to stand out from.
ENOUGH: Final = 5


@frozen
class Summary:
    """What a file holds: its years, funders, kinds and total euros."""

    records: int
    years: tuple[int, ...]
    parties: tuple[PartyRef, ...]
    kinds: tuple[str, ...]
    total: Decimal | None


def _row(outcome: Outcome, record_id: str) -> int | None:
    return outcome.rows.get(record_id)


def warnings_for(
    outcome: Outcome,
    before: Any,
    raw_rows: Sequence[tuple[int, Mapping[str, str]]],
    reference: Reference,
) -> tuple[list[Problem], Summary]:
    """Every warning, in row order, and the file's summary."""
    where: dict[str, Any] = {"file": outcome.file, "sheet": outcome.sheet}
    records = (*outcome.added, *outcome.updated, *outcome.unchanged)
    found: list[Problem] = []
    # Budget lines: the name as the file wrote it.
    for number, cells in raw_rows:
        for column in ("organisation", "name_fi", "name_sv", "name_en"):
            text = cells.get(column, "")
            if text and BUDGET_LINE.search(text):
                found.append(
                    Problem(
                        N_(
                            "%(value)s looks like a budget line or a pool, not an "
                            "organisation: leave the row out unless it is one"
                        ),
                        {"value": repr(text.strip())},
                        field=column,
                        row=number,
                        **where,
                    )
                )
                break
    amounts = [
        (r.id, r.annual_amount_eur)
        for r in records
        if getattr(r, "annual_amount_eur", None) is not None
    ]
    for rid, amount in amounts:
        if amount == 0:
            found.append(
                Problem(
                    N_(
                        "0 €: a refused application is not a grant; leave the row out "
                        "unless the agreement exists without money"
                    ),
                    field="annual_amount_eur",
                    row=_row(outcome, rid),
                    **where,
                )
            )
    positive = [a for _, a in amounts if a > 0]
    if len(positive) >= ENOUGH:
        median = Decimal(statistics.median(positive)).quantize(Decimal(1))
        for rid, amount in amounts:
            if amount > 0 and (amount > median * FAR or amount * FAR < median):
                found.append(
                    Problem(
                        N_(
                            "%(value)s € is far from the file's other amounts (median "
                            "%(median)s €): check for a missing or extra digit"
                        ),
                        {"value": amount, "median": median},
                        field="annual_amount_eur",
                        row=_row(outcome, rid),
                        **where,
                    )
                )
    found.extend(_duplicates(outcome, before))
    found.sort(key=lambda p: p.row or 0)
    return found, _summary(records)


def _duplicates(outcome: Outcome, before: Any) -> list[Problem]:
    """Two organisations with one Business ID, or with one name but for its legal form."""
    if outcome.collection == "organisations":
        new = {r.id: r for r in (*outcome.added, *outcome.updated)}
    else:
        new = {r.id: r for r in outcome.created}
    if not new:
        return []
    everyone = {r.id: r for r in before.organisations}
    everyone.update(new)
    by_business: dict[str, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for record in everyone.values():
        if record.business_id:
            by_business.setdefault(record.business_id, []).append(record.id)
        for name in {id_from_name(n) for n in record.name.as_dict().values()}:
            by_name.setdefault(name, []).append(record.id)
    rows_of: dict[str, int | None] = {}
    for rid in new:
        rows_of[rid] = outcome.rows.get(rid)
        if rows_of[rid] is None:  # created from an agreement's row
            rows_of[rid] = next(
                (
                    outcome.rows.get(r.id)
                    for r in (*outcome.added, *outcome.updated, *outcome.unchanged)
                    if getattr(r, "organisation", None) == rid
                ),
                None,
            )
    out: list[Problem] = []
    reported: set[frozenset[str]] = set()
    for groups, message in (
        (by_business, N_("organisations %(ids)s have the same Business ID %(value)s")),
        (by_name, N_("organisations %(ids)s have the same name %(value)s")),
    ):
        for value, ids in groups.items():
            if len(ids) < 2 or not new.keys() & set(ids) or frozenset(ids) in reported:
                continue
            reported.add(frozenset(ids))
            first = next(i for i in ids if i in new)
            shown = value if groups is by_business else everyone[first].name.pick("fi")
            out.append(
                Problem(
                    message,
                    {"ids": ", ".join(sorted(ids)), "value": repr(shown)},
                    field="business_id" if groups is by_business else "name",
                    file=outcome.file,
                    sheet=outcome.sheet,
                    row=rows_of.get(first),
                )
            )
    return out


def _summary(records: Sequence[Any]) -> Summary:
    years: set[int] = set()
    parties: set[PartyRef] = set()
    kinds: set[str] = set()
    total: Decimal | None = None
    for record in records:
        start = getattr(record, "start", None) or getattr(record, "date", None)
        end = getattr(record, "end", None)
        if start is not None:
            years.update(range(start.year, (end.year if end is not None else start.year) + 1))
        party = getattr(record, "party", None)
        if isinstance(party, PartyRef):
            parties.add(party)
        kind = getattr(record, "kind", None) or getattr(record, "title", None)
        if kind is not None:
            kinds.add(str(kind))
        amount = getattr(record, "annual_amount_eur", None)
        if amount is not None:
            total = (total or Decimal(0)) + amount
    return Summary(
        records=len(records),
        years=tuple(sorted(years)),
        parties=tuple(sorted(parties)),
        kinds=tuple(sorted(kinds)),
        total=total,
    )


def summary_text(outcome: Outcome, reading: str) -> str:
    """What the file holds, in one line in the reader's language (the web preview's too)."""
    from jarjesto_core.reference import bundled_reference
    from jarjesto_core.reports import collection_label

    summary = outcome.summary
    reference = bundled_reference()
    year = summary.years[-1] if summary.years else max(reference.years)
    parties = []
    for party in summary.parties:
        try:
            parties.append(reference.party_name(party, year).pick(reading))
        except (KeyError, LookupError, ValueError):
            parties.append(str(party))
    kinds = [_kind_word(outcome.collection, k, reading) for k in summary.kinds]
    total = format_money(summary.total, reading) if summary.total is not None else "-"
    return translate(
        NP_(
            "the file holds %(count)d record (%(collection)s); years: %(years)s; funders: "
            "%(parties)s; kinds: %(kinds)s; total: %(total)s",
            "the file holds %(count)d records (%(collection)s); years: %(years)s; funders: "
            "%(parties)s; kinds: %(kinds)s; total: %(total)s",
        ),
        reading,
        {
            # The collection in the reader's words ("sopimukset"), never its code.
            "collection": collection_label(outcome.collection, reading),
            "count": summary.records,
            "years": ", ".join(str(y) for y in summary.years) or "-",
            "parties": ", ".join(parties) or "-",
            "kinds": ", ".join(kinds) or "-",
            "total": total,
        },
    )


def _kind_word(collection: str, value: str, reading: str) -> str:
    """A kind in the reader's words (the aliases' first Finnish or Swedish word)."""
    from jarjesto_core.aliases import VOCABULARIES, VOCABULARY_OF

    vocabulary = VOCABULARY_OF.get((collection, "kind")) or VOCABULARY_OF.get((collection, "title"))
    if vocabulary is None:
        return value
    if reading not in ("fi", "sv"):
        from jarjesto_core.forms import VALUE_LABELS

        label = VALUE_LABELS.get(vocabulary, {}).get(value)
        return translate(label, reading) if label else value.replace("_", " ")
    words = VOCABULARIES[vocabulary].get(value) or ()
    index = 0 if reading == "fi" else 1
    return words[index] if len(words) > index else value


def coverage_text(record: Coverage, reading: str, *, dry_run: bool = False) -> str:
    """What a complete file records, in one line: collections, bodies by name, years, source."""
    from jarjesto_core.reference import bundled_reference
    from jarjesto_core.reports import collection_label

    reference = bundled_reference()
    year = min(record.end.year, max(reference.years))
    parties = []
    for party in record.parties:
        try:
            parties.append(reference.party_name(party, year).pick(reading))
        except (KeyError, LookupError, ValueError):
            parties.append(str(party))
    first, last = record.start.year, record.end.year
    params = {
        "collections": ", ".join(collection_label(c, reading) for c in record.collections),
        "parties": ", ".join(parties),
        "years": str(first) if first == last else f"{first}–{last}",
        "source": record.source or "-",
    }
    if dry_run:
        message = N_(
            "dry run: coverage would be recorded: the data include all %(collections)s of "
            "%(parties)s for %(years)s (source: %(source)s)"
        )
    else:
        message = N_(
            "coverage recorded: the data include all %(collections)s of %(parties)s for "
            "%(years)s (source: %(source)s)"
        )
    return translate(message, reading, params)
