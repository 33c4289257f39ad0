"""Assess subjects in a year: every applicable rule, the funding table, the interruptions.

Which subjects "the dataset touches" when none are named: every municipality
or area that is party to a record (agreements, structures, coordinators,
hearings, commitments, and both sides of a responsibility agreement), and
every municipality where an organisation active in the year, or one of its
services, works. Areas are not added merely because an organisation works in
a member municipality: an area with no records would show mostly ``unknown``.
Helsinki appears once, as ``municipality:091`` (the city is also area 90).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import Any, Final

from attrs import field, frozen

from jarjesto_core.continuity import Interruption, interruptions
from jarjesto_core.i18n import N_
from jarjesto_core.index import YearIndex
from jarjesto_core.model import (
    Appropriation,
    Dataset,
    Name,
    PartyKind,
    PartyRef,
    Structure,
    party_order,
)
from jarjesto_core.names import Names
from jarjesto_core.reference import Reference, bundled_reference
from jarjesto_core.registry import Registry
from jarjesto_core.resolver import FundingRow, rows_by_municipality
from jarjesto_core.rules.base import Context, Finding, Status
from jarjesto_core.sources import Sources

__all__ = [
    "YEAR_MIN",
    "Assessment",
    "SubjectResult",
    "assess",
    "default_year",
    "touched_subjects",
    "year_max",
    "year_problem",
]

#: The first year anyone asks about: the welfare state's records begin well after it.
YEAR_MIN: Final = 1900


def year_max(today: dt.date | None = None) -> int:
    """The last year anyone asks about: ten years ahead (grants are decided a few years ahead).

    Every year a user gives (``--year``, ``--from``/``--to``, ``?year=``) lies in
    ``YEAR_MIN..year_max()``: a table of years is built per year, and a range
    from 1 to 999,999,999 once grew until the kernel killed the process.
    """
    return (today or dt.date.today()).year + 10


def year_problem(year: int, today: dt.date | None = None) -> tuple[str, dict[str, int]] | None:
    """Why ``year`` is not a year to ask about (a msgid and its parameters), or None."""
    if YEAR_MIN <= year <= year_max(today):
        return None
    return (
        N_("%(year)s is not a year jarjesto handles: give a year from %(first)s to %(last)s"),
        {"year": year, "first": YEAR_MIN, "last": year_max(today)},
    )


@frozen
class SubjectResult:
    party: PartyRef
    name: Name
    findings: tuple[Finding, ...]

    def count(self, status: Status) -> int:
        return sum(1 for f in self.findings if f.status is status)

    @property
    def judged(self) -> int:
        return sum(1 for f in self.findings if f.status.judged)

    @property
    def score(self) -> float | None:
        """Percent of judged rules (met 1, partial ½); None when nothing could be judged."""
        if not self.judged:
            return None
        points = sum(f.status.points for f in self.findings)
        return round(100 * points / self.judged, 1)


@frozen
class Assessment:
    year: int
    subjects: tuple[SubjectResult, ...]
    funding: tuple[FundingRow, ...]
    interruptions: tuple[Interruption, ...]
    #: Names of the municipalities in the funding table, for people-facing reports.
    municipality_names: Mapping[str, Name] = field(factory=dict)
    #: What every id and party reference is called, for people-facing reports.
    names: Names | None = field(default=None, eq=False, repr=False)
    #: The registered sources, so that reports render the findings' citations.
    sources: Sources = field(factory=Sources)

    def statuses(self) -> set[Status]:
        return {f.status for s in self.subjects for f in s.findings}

    def as_json(self, lang: str = "fi") -> dict[str, Any]:
        """The report document of ``criteria.md``, keys in its order, messages in ``lang``."""
        return {
            "format": "jarjesto-assessment",
            "version": 1,
            "year": self.year,
            "subjects": [
                {
                    "party": str(s.party),
                    "name": s.name.as_dict(),
                    "score": s.score,
                    "judged": s.judged,
                    "unknown": s.count(Status.UNKNOWN),
                    "not_applicable": s.count(Status.NOT_APPLICABLE),
                    "findings": [
                        {
                            "rule": f.rule,
                            "status": f.status.value,
                            "message": f.render(lang),
                            "evidence": list(f.evidence),
                            "sources": list(f.sources),
                        }
                        for f in s.findings
                    ],
                }
                for s in self.subjects
            ],
            "funding": [r.as_json() for r in self.funding],
            "interruptions": [i.as_json() for i in self.interruptions],
        }


def default_year(dataset: Dataset, today: dt.date | None = None) -> int | None:
    """The year a command or page opens on: the latest year with the most records in force.

    One core answer for the CLI and the web. Counting records per year (not
    asking whether any record is in force) keeps a single grant saved for next
    year, or open-ended records, from moving everyone to a year the data does
    not yet cover: data ending in 2025 opens on 2025 even in 2026. The year is
    never past the current one, unless every record begins later, when the
    same count runs over those future years. Events (hearings) count only
    when nothing else is dated. None when no record is dated.
    """
    current = (today or dt.date.today()).year
    spans: list[tuple[int, int | None]] = []
    events: list[tuple[int, int | None]] = []
    for _name, record in dataset.records():
        start = getattr(record, "start", None)
        if isinstance(start, dt.date):
            end = getattr(record, "end", None)
            spans.append((start.year, end.year if isinstance(end, dt.date) else None))
        elif isinstance(record, Appropriation):
            spans.append((record.year, record.year))
        elif isinstance(record, Structure):
            span = _structure_span(record)
            if span is not None:
                spans.append(span)
        elif isinstance(date := getattr(record, "date", None), dt.date):
            # A hearing is an event, not in force over a period: three hearings
            # in one year must not outweigh the grants of the next.
            events.append((date.year, date.year))
    spans = spans or events
    if not spans:
        return None
    if min(first for first, _last in spans) > current:
        current = max(first for first, _last in spans)
    # A running sum over where spans begin and end: linear in the records.
    change: dict[int, int] = {}
    for first, last in spans:
        stop = current if last is None else min(last, current)
        if first <= stop:
            change[first] = change.get(first, 0) + 1
            change[stop + 1] = change.get(stop + 1, 0) - 1
    best, best_count, running = None, 0, 0
    for year in range(min(change), max(change)):
        running += change.get(year, 0)
        if running > 0 and running >= best_count:
            best, best_count = year, running
    return best


def _structure_span(structure: Structure) -> tuple[int, int | None] | None:
    """The years a structure is in force: from its establishment (or first meeting)
    to its dissolution, or to its last meeting when only meetings date it."""
    years = sorted({d.year for d in structure.meetings})
    if structure.established is not None:
        first = structure.established.year
    elif years:
        first = years[0]
    else:
        return None
    if structure.dissolved is not None:
        return first, structure.dissolved.year
    return first, (None if structure.established is not None else years[-1])


def touched_subjects(
    dataset: Dataset, reference: Reference, year: int, *, index: YearIndex | None = None
) -> tuple[PartyRef, ...]:
    """Every subject the dataset touches in ``year`` (see the module docstring).

    ``index`` is the year's index when the caller has built it already.
    """
    if index is None:
        index = YearIndex(dataset, reference, year)
    found = set(index.parties)
    found.update(PartyRef.municipality(code) for code in index.municipalities_worked_in())
    return tuple(sorted((p for p in found if reference.party_exists(p, year)), key=party_order))


def _subject_territory(reference: Reference, subject: PartyRef, year: int) -> frozenset[str]:
    return reference.territory(subject, year)


def _interruptions_by_body(
    found: Sequence[Interruption], reference: Reference, year: int
) -> dict[PartyRef, list[Interruption]]:
    """Each interruption under its party's body and, for a municipality, under its area too.

    A subject's interruptions are then one lookup, not a scan: an area answers
    for its member municipalities' interruptions too.
    """
    grouped: dict[PartyRef, list[Interruption]] = {}
    for i in found:
        body = reference.canonical(i.party)
        grouped.setdefault(body, []).append(i)
        if i.party.kind is PartyKind.MUNICIPALITY:
            area = reference.area_of(i.party.code, year)
            if area is not None:
                as_area = PartyRef.area(area)
                if reference.canonical(as_area) != body:
                    grouped.setdefault(as_area, []).append(i)
    return grouped


def _interruptions_of(
    subject: PartyRef, grouped: Mapping[PartyRef, Sequence[Interruption]], reference: Reference
) -> tuple[Interruption, ...]:
    """The subject's interruptions, in the order found."""
    mine = list(grouped.get(reference.canonical(subject), ()))
    if subject.kind is PartyKind.AREA and reference.canonical(subject) != subject:
        # Helsinki's area:90 is the city, and also the area of municipality 091.
        mine += [i for i in grouped.get(subject, ()) if i not in mine]
    return tuple(mine)


def assess(
    dataset: Dataset,
    year: int,
    subjects: Sequence[PartyRef] | None = None,
    *,
    registry: Registry | None = None,
    reference: Reference | None = None,
) -> Assessment:
    """Assess ``subjects`` (default: every subject the dataset touches) in ``year``.

    ``registry`` defaults to one built from a fresh plugin manager, entry points included.
    """
    return _assess(dataset, year, subjects, registry=registry, reference=reference)


def _assess(
    dataset: Dataset,
    year: int,
    subjects: Sequence[PartyRef] | None,
    *,
    registry: Registry | None,
    reference: Reference | None,
) -> Assessment:
    if registry is None:
        from jarjesto_core.plugins import default_registry

        registry = default_registry()
    reference = reference or bundled_reference()
    index = YearIndex(dataset, reference, year)
    chosen = (
        tuple(subjects)
        if subjects is not None
        else touched_subjects(dataset, reference, year, index=index)
    )
    territory: set[str] = set()
    for subject in chosen:
        territory |= _subject_territory(reference, subject, year)
    rows_in = rows_by_municipality(
        dataset,
        reference,
        year,
        registry.service_kinds,
        default_party=registry.default_responsible,
        municipalities=territory,
        agreements=index.in_force,
        organisations=index.active,
        # Named subjects: only the services working in their territory can make a pair.
        services=None if subjects is None else index.services_working_in(territory),
    )
    # Named subjects: only their interruptions are reported, so only theirs are looked
    # for (a municipality's are reported under its area too).
    found = interruptions(
        dataset,
        reference,
        [year],
        registry.service_kinds,
        agreements=index.recent_agreements,
        parties=None
        if subjects is None
        else [*chosen, *(PartyRef.municipality(code) for code in territory)],
    )
    by_body = _interruptions_by_body(found, reference, year)
    results = []
    reported: set[Interruption] = set()
    for subject in chosen:
        here = _subject_territory(reference, subject, year)
        mine = _interruptions_of(subject, by_body, reference)
        # A subject's rows are its municipalities' rows in code order, as a filter would give.
        local = tuple(chain.from_iterable(rows_in.get(code, ()) for code in sorted(here)))
        reported.update(mine)
        findings = []
        for rule in registry.rules.values():
            if subject.kind not in rule.subjects:
                continue
            ctx = Context(
                dataset=dataset,
                reference=reference,
                year=year,
                subject=subject,
                service_kinds=registry.service_kinds,
                funding=local,
                interruptions=mine,
                thresholds=registry.thresholds(rule, subject, year),
                year_index=index,
                subject_territory=here,
            )
            findings.append(rule.evaluate(ctx))
        results.append(SubjectResult(subject, reference.party_name(subject, year), tuple(findings)))
    codes = sorted(rows_in)
    return Assessment(
        year=year,
        subjects=tuple(results),
        funding=tuple(chain.from_iterable(rows_in[code] for code in codes)),
        interruptions=tuple(sorted(reported, key=lambda i: (i.year, i.organisation, i.party))),
        municipality_names={
            code: reference.party_name(PartyRef.municipality(code), year) for code in codes
        },
        names=Names(dataset, reference, year),
        sources=registry.sources,
    )
