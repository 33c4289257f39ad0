"""Report formats: what a people-facing report shows, translated.

A format (:class:`~jarjesto_core.reports.base.ReportFormat`) is a name and a
function ``render(assessment, lang) -> str``; the built-in ones are
registered by the ``core_reports`` plugin, :mod:`jarjesto_core.reports.formats`.
:func:`view` is the one place that turns an assessment into translated
strings for the people-facing formats.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from jarjesto_core.i18n import N_, NP_, Plural, format_date, format_percent, translate
from jarjesto_core.model import Coverage, Dataset, Domain, PartyRef, ResponsibleParty
from jarjesto_core.names import Names, summarise
from jarjesto_core.reference import bundled_reference
from jarjesto_core.reports.base import ReportFormat
from jarjesto_core.reports.formats import BUILTIN_FORMATS
from jarjesto_core.resolver import FUNDING_STATUS_LABELS, FundingRow, FundingStatus
from jarjesto_core.rules.base import Finding, Status
from jarjesto_core.sources import Sources

if TYPE_CHECKING:
    from jarjesto_core.assessment import Assessment

__all__ = ["BUILTIN_FORMATS", "ReportFormat", "finding_view", "view"]

DOMAIN_LABELS: Final = {
    Domain.SOTE: N_("social welfare and health care services"),
    Domain.PREVENTION: N_("prevention (the middle ground)"),
    Domain.MUNICIPAL: N_("municipal tasks"),
}
RESPONSIBLE_LABELS: Final = {
    ResponsibleParty.MUNICIPALITY: N_("municipality"),
    ResponsibleParty.AREA: N_("county"),
    ResponsibleParty.SHARED: N_("shared (municipality and county)"),
    ResponsibleParty.JOINT: N_("joint municipal authority"),
}
HEADINGS: Final = {
    "title": N_("Assessment of cooperation with organisations, %(year)d"),
    "coverage": N_("What the data covers"),
    "coverage_not_recorded": N_(
        "The data does not record what it covers. A record that is missing means the "
        "matter is not known, not that it does not exist."
    ),
    "score": N_("Score"),
    "no_score": N_("– (no criterion could be judged)"),
    "judged_of_applicable": NP_(
        "%(judged)d of %(count)d applicable criterion judged",
        "%(judged)d of %(count)d applicable criteria judged",
    ),
    "rule": N_("Criterion"),
    "status": N_("Status"),
    "finding": N_("Finding"),
    "evidence": N_("Evidence"),
    "sources": N_("Sources"),
    "missing": N_("Missing:"),
    "funding": N_("Funding responsibility"),
    "municipality": N_("Municipality"),
    "service": N_("Service"),
    "organisation": N_("Organisation"),
    "kind": N_("Service kind"),
    "domain": N_("Sector"),
    "responsible": N_("Responsible"),
    "funders": N_("Funders"),
    "interruptions": N_("Interruptions of operating grants"),
    "funder": N_("Funder"),
    "year": N_("Year"),
    "reform_gap": N_("Reform gap"),
    "yes": N_("yes"),
    "no": N_("no"),
    "nobody": N_("no one responsible"),
    "no_funder": N_("no funder"),
    "no_pairs": N_("The data has no organisation services working here."),
    "no_interruptions": N_("No operating grant ended."),
    "funded_only_by": N_("funded only by %(funders)s"),
    "no_subjects": N_("No subjects to assess."),
    "coverage_column": N_("Coverage"),
    "not_covered": N_("Not covered for this subject (a missing record is “not recorded”)"),
    "too_little_data": N_("too little data"),
    "plugin_score": N_("Regional score"),
    "not_found": N_("Not found"),
    "interruption_kind": N_("Kind"),
}

#: The collections by name, for "what the data cover" (no codes in a sentence).
COLLECTION_LABELS: Final = {
    "organisations": N_("organisations"),
    "services": N_("services"),
    "agreements": N_("agreements"),
    "responsibilities": N_("responsibility agreements"),
    "structures": N_("bodies"),
    "coordinators": N_("coordinators"),
    "hearings": N_("hearings"),
    "commitments": N_("commitments"),
    "welfare_reports": N_("welfare reports and plans"),
    "appropriations": N_("appropriations"),
    "joint_authorities": N_("joint municipal authorities"),
    "funders": N_("other funders"),
    "coverage": N_("coverage records"),
}


def coverage_lines(records: Iterable[Coverage], names: Names, lang: str) -> list[str]:
    """Each coverage record as a reader's line: what, of whom, which years, from where."""
    return [
        translate(
            COVERAGE_LINE,
            lang,
            {
                "collections": ", ".join(collection_label(n, lang) for n in c.collections),
                "parties": ", ".join(names.party(p, lang) for p in c.parties),
                "start": str(c.start.year)
                if (c.start.month, c.start.day) == (1, 1)
                else format_date(c.start, lang),
                "end": str(c.end.year)
                if (c.end.month, c.end.day) == (12, 31)
                else format_date(c.end, lang),
                "source": c.source or "–",
            },
        )
        for c in records
    ]


def collection_label(collection: str, lang: str) -> str:
    """A collection in the reader's words ("sopimukset"), never its code."""
    return translate(COLLECTION_LABELS.get(collection, collection), lang)


INTERRUPTION_KINDS: Final = {
    "interruption": N_("interruption"),
    "cut": N_("cut of 30 per cent or more"),
    "late": N_("decided more than 30 days late"),
}
COVERAGE_LINE: Final = N_("%(collections)s of %(parties)s, %(start)s–%(end)s; source: %(source)s")


def _is_other_region(finding: Finding) -> bool:
    """A plugin's rule about another region: it has nothing to say to this subject."""
    return finding.status is Status.NOT_APPLICABLE and not finding.rule.startswith("core.")


def finding_view(
    finding: Finding, lang: str, names: Names, sources: Sources | None = None
) -> dict[str, Any]:
    """One finding for people: its title, status, message, evidence by name and sources by
    title (with their checked links) in the reader's language."""
    evidence = names.all_of(finding.evidence, lang)
    cited = (sources or Sources()).rendered(finding.sources, lang)
    return {
        "rule": finding.rule,
        "title": finding.title_text(lang),
        "status": finding.status.value,
        "status_label": finding.status.label(lang),
        "message": finding.render(lang),
        "evidence": summarise(evidence, lang),
        "evidence_all": evidence,
        "sources": "; ".join(text for text, _link in cited),
        "source_links": [{"text": text, "link": link} for text, link in cited],
        # An unknown finding's message names what is not recorded already.
        "missing": ""
        if finding.status is Status.UNKNOWN
        else ", ".join(finding.missing_texts(lang)),
        # Whether a coverage record made an absence count (which one: the report's opening).
        "coverage": translate(N_("yes"), lang) if finding.coverage else "–",
    }


def view(assessment: Assessment, lang: str) -> dict[str, Any]:
    """Everything a people-facing report shows, translated into ``lang``, with names not ids."""
    from jarjesto_core.labels import SERVICE_KIND_LABELS, label

    names = assessment.names or Names(Dataset(), bundled_reference(), assessment.year)
    t = {
        key: translate(msgid, lang)
        for key, msgid in HEADINGS.items()
        if not isinstance(msgid, Plural)
    }
    t["title"] = translate(HEADINGS["title"], lang, {"year": assessment.year})
    subjects = []

    coverage = coverage_lines(assessment.coverage, names, lang)
    for s in assessment.subjects:
        findings = [f for f in s.findings if not _is_other_region(f)]
        score = s.score
        subjects.append(
            {
                "party": str(s.party),
                "name": names.party(s.party, lang),
                "score": (
                    t["too_little_data"]
                    if score is not None and s.too_little_data
                    else format_percent(score / 100, lang)
                    if score is not None
                    else t["no_score"]
                ),
                "plugin_scores": [
                    f"{name}: "
                    + (format_percent(value / 100, lang) if value is not None else t["no_score"])
                    for name, value in s.plugin_scores.items()
                ],
                "not_covered": ", ".join(collection_label(c, lang) for c in s.uncovered)
                if s.uncovered
                else "",
                "judged_line": translate(
                    HEADINGS["judged_of_applicable"],
                    lang,
                    {"judged": s.judged, "count": s.applicable},
                ),
                "findings": [finding_view(f, lang, names, assessment.sources) for f in findings],
            }
        )
    funding = [
        {
            "municipality": names.party(PartyRef.municipality(r.municipality), lang),
            "service": names.service(r.service, lang),
            "organisation": names.organisation(r.organisation, lang),
            "kind": label(r.kind, SERVICE_KIND_LABELS, lang),
            "domain": translate(DOMAIN_LABELS[r.domain], lang) if r.domain else "–",
            "responsible": (
                translate(RESPONSIBLE_LABELS[r.responsible], lang) if r.responsible else t["nobody"]
            ),
            "funders": _funders(names, r, lang) or t["no_funder"],
            "status": r.status.value,
            "status_label": translate(FUNDING_STATUS_LABELS[r.status], lang),
            "blind_spot": r.status is FundingStatus.BLIND_SPOT,
        }
        for r in assessment.funding
    ]
    interruptions = [
        {
            "organisation": names.organisation(i.organisation, lang),
            "funder": names.party(i.party, lang),
            "year": str(i.year),
            "kind": translate(INTERRUPTION_KINDS.get(i.kind, i.kind), lang),
            "reform_gap": t["yes"] if i.reform_gap else t["no"],
            "is_gap": i.reform_gap,
        }
        for i in assessment.interruptions
    ]
    return {
        "t": t,
        "lang": lang,
        "coverage": coverage,
        "subjects": subjects,
        "funding": funding,
        "interruptions": interruptions,
    }


def _funders(names: Names, row: FundingRow, lang: str) -> str:
    """The funders by name; for a pair nobody responsible pays, who keeps it alive today."""
    text = ", ".join(names.party(p, lang) for p in row.funders)
    if text and row.uncovered:
        return translate(HEADINGS["funded_only_by"], lang, {"funders": text})
    return text
