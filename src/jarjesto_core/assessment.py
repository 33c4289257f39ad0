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
from jarjesto_core.coverage import COVERABLE, CoverageIndex
from jarjesto_core.dated import DatedCounts
from jarjesto_core.i18n import N_
from jarjesto_core.index import YearIndex
from jarjesto_core.model import (
    Coverage,
    Dataset,
    Name,
    PartyKind,
    PartyRef,
    in_force,
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


#: The prefix of the core rules' codes; every other prefix is a plugin's.
CORE: Final = "core"


def plugin_of(rule: str) -> str:
    """The rule set a rule code belongs to: ``core`` or the plugin's name."""
    return rule.split(".", 1)[0]


def _score(findings: Sequence[Finding]) -> float | None:
    """Percent of the judged findings (met 1, partial ½); None when none is judged."""
    judged = [f for f in findings if f.status.judged]
    if not judged:
        return None
    return round(100 * sum(f.status.points for f in judged) / len(judged), 1)


@frozen
class SubjectResult:
    """One subject's findings, and the core score with what it rests on (criteria.md, "Scores").

    Counts and :attr:`score` are over the core rules only; each plugin's rules
    give that plugin's own score (:attr:`plugin_scores`). Only core scores are
    compared between subjects, and only between subjects of the same kind.
    """

    party: PartyRef
    name: Name
    findings: tuple[Finding, ...]
    #: The collections the data do not cover for this subject in the year: there a missing
    #: record is "not recorded" (reports name them).
    uncovered: tuple[str, ...] = ()

    @property
    def core_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if plugin_of(f.rule) == CORE)

    def count(self, status: Status) -> int:
        """Core findings with ``status``."""
        return sum(1 for f in self.core_findings if f.status is status)

    @property
    def judged(self) -> int:
        """Core rules judged (met, partial or not met)."""
        return sum(1 for f in self.core_findings if f.status.judged)

    @property
    def applicable(self) -> int:
        """Core rules that concern the subject: judged and unknown."""
        return sum(1 for f in self.core_findings if f.status is not Status.NOT_APPLICABLE)

    @property
    def score(self) -> float | None:
        """The core score: percent of judged core rules; None when none could be judged."""
        return _score(self.core_findings)

    core_score = score

    @property
    def too_little_data(self) -> bool:
        """Fewer than half of the applicable core rules judged: shown as "too little data"."""
        return self.judged * 2 < self.applicable

    @property
    def plugin_scores(self) -> dict[str, float | None]:
        """Each plugin's own score over its rules for this subject (None: none judged)."""
        grouped: dict[str, list[Finding]] = {}
        for f in self.findings:
            if plugin_of(f.rule) != CORE:
                grouped.setdefault(plugin_of(f.rule), []).append(f)
        return {name: _score(found) for name, found in sorted(grouped.items())}


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
    #: The dataset's coverage records in force in the year or the year before (continuity
    #: compares the two): what the data covers, shown first in every report.
    coverage: tuple[Coverage, ...] = ()

    def statuses(self) -> set[Status]:
        return {f.status for s in self.subjects for f in s.findings}

    def as_json(self, lang: str = "fi") -> dict[str, Any]:
        """The report document of ``criteria.md`` (version 2), keys in its order, messages in
        ``lang``. ``schemas/assessment-v2.json`` is its JSON Schema."""
        return {
            "format": "jarjesto-assessment",
            "version": 2,
            "year": self.year,
            "subjects": [
                {
                    "party": str(s.party),
                    "name": s.name.as_dict(),
                    "core_score": s.score,
                    "judged": s.judged,
                    "applicable": s.applicable,
                    "unknown": s.count(Status.UNKNOWN),
                    "not_applicable": s.count(Status.NOT_APPLICABLE),
                    "too_little_data": s.too_little_data,
                    "plugin_scores": s.plugin_scores,
                    "findings": [
                        {
                            "rule": f.rule,
                            "title": f.title_text(lang),
                            "status": f.status.value,
                            "message": f.render(lang),
                            "evidence": list(f.evidence),
                            "missing": f.missing_texts(lang),
                            "coverage": f.coverage[0] if f.coverage else None,
                            "sources": list(f.sources),
                        }
                        for f in s.findings
                    ],
                }
                for s in self.subjects
            ],
            "coverage": [coverage_json(c) for c in self.coverage],
            "funding": [r.as_json() for r in self.funding],
            "interruptions": [i.as_json() for i in self.interruptions],
        }


def coverage_json(record: Coverage) -> dict[str, Any]:
    """A coverage record as the report shows it (criteria.md, "The report")."""
    return {
        "id": record.id,
        "collections": list(record.collections),
        "parties": [str(p) for p in record.parties],
        "members": bool(record.members),
        "start": record.start.isoformat(),
        "end": record.end.isoformat(),
        "source": record.source,
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
    return DatedCounts.of(dataset).default_year(today)


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
    index: YearIndex | None = None,
    coverage: CoverageIndex | None = None,
) -> Assessment:
    """Assess ``subjects`` (default: every subject the dataset touches) in ``year``.

    ``registry`` defaults to one built from a fresh plugin manager, entry points included.
    ``index`` and ``coverage``: the year's index and the coverage index of ``dataset``
    when the caller keeps them for several assessments (the web, per data version);
    building them is a pass over the whole dataset, whichever subjects are assessed.
    """
    if index is not None and (index.dataset is not dataset or index.year != year):
        raise ValueError("the year index given is of another dataset or year")
    return _assess(
        dataset,
        year,
        subjects,
        registry=registry,
        reference=reference,
        index=index,
        coverage=coverage,
    )


def _assess(
    dataset: Dataset,
    year: int,
    subjects: Sequence[PartyRef] | None,
    *,
    registry: Registry | None,
    reference: Reference | None,
    index: YearIndex | None = None,
    coverage: CoverageIndex | None = None,
) -> Assessment:
    if registry is None:
        from jarjesto_core.plugins import default_registry

        registry = default_registry()
    reference = reference or bundled_reference()
    if index is None:
        index = YearIndex(dataset, reference, year)
    if coverage is None:
        coverage = CoverageIndex(dataset, reference)
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
        coverage=coverage,
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
                coverage_index=coverage,
            )
            if plugin_of(rule.code) != CORE and not rule.applies(ctx):
                continue  # another region's rule: never listed (criteria.md, "Scores")
            findings.append(rule.evaluate(ctx))
        uncovered = tuple(c for c in COVERABLE if not coverage.covered(c, subject, year))
        results.append(
            SubjectResult(subject, reference.party_name(subject, year), tuple(findings), uncovered)
        )
    codes = sorted(rows_in)
    shown = tuple(
        c for c in dataset.coverage if in_force(c.start, c.end, year) or c.end.year == year - 1
    )
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
        coverage=shown,
    )
