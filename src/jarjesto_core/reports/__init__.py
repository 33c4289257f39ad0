"""Report formats: what a people-facing report shows, translated.

A format (:class:`~jarjesto_core.reports.base.ReportFormat`) is a name and a
function ``render(assessment, lang) -> str``; the built-in ones are
registered by the ``core_reports`` plugin, :mod:`jarjesto_core.reports.formats`.
:func:`view` is the one place that turns an assessment into translated
strings for the people-facing formats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from jarjesto_core.i18n import N_, NP_, Plural, format_percent, translate
from jarjesto_core.model import Dataset, Domain, PartyRef, ResponsibleParty
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
}


def _is_other_region(finding: Finding) -> bool:
    """A plugin's rule about another region: it has nothing to say to this subject."""
    return finding.status is Status.NOT_APPLICABLE and not finding.rule.startswith("core.")


def finding_view(
    finding: Finding, lang: str, names: Names, sources: Sources | None = None
) -> dict[str, Any]:
    """One finding for people: its title, status, message, evidence by name and sources by
    title (with their checked links) in the reader's language."""
    evidence = names.all_of(finding.evidence, lang)
    missing = getattr(finding, "missing", None) or ()
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
        "missing": ", ".join(str(m) for m in missing),
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
    for s in assessment.subjects:
        findings = [f for f in s.findings if not _is_other_region(f)]
        applicable = sum(1 for f in findings if f.status is not Status.NOT_APPLICABLE)
        score = s.score
        subjects.append(
            {
                "party": str(s.party),
                "name": names.party(s.party, lang),
                "score": (
                    format_percent(score / 100, lang) if score is not None else t["no_score"]
                ),
                "judged_line": translate(
                    HEADINGS["judged_of_applicable"],
                    lang,
                    {"judged": s.judged, "count": applicable},
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
            "reform_gap": t["yes"] if i.reform_gap else t["no"],
            "is_gap": i.reform_gap,
        }
        for i in assessment.interruptions
    ]
    return {
        "t": t,
        "lang": lang,
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
