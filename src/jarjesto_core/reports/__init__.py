"""Report formats: what a people-facing report shows, translated.

A format (:class:`~jarjesto_core.reports.base.ReportFormat`) is a name and a
function ``render(assessment, lang) -> str``; the built-in ones are
registered by the ``core_reports`` plugin, :mod:`jarjesto_core.reports.formats`.
:func:`view` is the one place that turns an assessment into translated
strings for the people-facing formats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from jarjesto_core.i18n import N_, NP_, Plural, translate
from jarjesto_core.model import Domain, ResponsibleParty
from jarjesto_core.reports.base import ReportFormat
from jarjesto_core.reports.formats import BUILTIN_FORMATS
from jarjesto_core.resolver import FUNDING_STATUS_LABELS, FundingStatus

if TYPE_CHECKING:
    from jarjesto_core.assessment import Assessment

__all__ = ["BUILTIN_FORMATS", "ReportFormat", "view"]

DOMAIN_LABELS: Final = {
    Domain.SOTE: N_("social and health services"),
    Domain.PREVENTION: N_("prevention (the middle ground)"),
    Domain.MUNICIPAL: N_("municipal tasks"),
}
RESPONSIBLE_LABELS: Final = {
    ResponsibleParty.MUNICIPALITY: N_("municipality"),
    ResponsibleParty.AREA: N_("wellbeing area"),
    ResponsibleParty.SHARED: N_("shared"),
}
HEADINGS: Final = {
    "title": N_("Assessment of cooperation with organisations, %(year)d"),
    "score": N_("Score"),
    "score_value": N_("%(score)s %%"),
    "no_score": N_("no score: nothing could be judged"),
    "counts": N_("%(judged)d judged, %(unknown)d unknown, %(not_applicable)d not applicable"),
    "judged_of_applicable": NP_(
        "%(judged)d of %(count)d applicable criterion judged",
        "%(judged)d of %(count)d applicable criteria judged",
    ),
    "rule": N_("Rule"),
    "status": N_("Status"),
    "finding": N_("Finding"),
    "evidence": N_("Evidence"),
    "sources": N_("Sources"),
    "funding": N_("Funding responsibility"),
    "municipality": N_("Municipality"),
    "service": N_("Service"),
    "kind": N_("Kind"),
    "domain": N_("Domain"),
    "responsible": N_("Responsible"),
    "funders": N_("Funders"),
    "interruptions": N_("Interruptions of operating grants"),
    "organisation": N_("Organisation"),
    "party": N_("Party"),
    "year": N_("Year"),
    "reform_gap": N_("Reform gap"),
    "yes": N_("yes"),
    "no": N_("no"),
    "nobody": N_("nobody"),
    "none": N_("none"),
    "no_pairs": N_("No (municipality, service) pairs."),
    "no_interruptions": N_("No interruptions."),
    "no_subjects": N_("No subjects to assess."),
}


def view(assessment: Assessment, lang: str) -> dict[str, Any]:
    """Everything a people-facing report shows, translated into ``lang``."""
    from babel.numbers import format_decimal

    t = {
        key: translate(msgid, lang)
        for key, msgid in HEADINGS.items()
        if not isinstance(msgid, Plural)
    }
    t["title"] = translate(HEADINGS["title"], lang, {"year": assessment.year})
    subjects = []
    for s in assessment.subjects:
        score = s.score
        subjects.append(
            {
                "party": str(s.party),
                "name": s.name.pick(lang),
                "score": (
                    translate(
                        HEADINGS["score_value"], lang, {"score": format_decimal(score, locale=lang)}
                    )
                    if score is not None
                    else t["no_score"]
                ),
                "counts": translate(
                    HEADINGS["counts"],
                    lang,
                    {
                        "judged": s.judged,
                        "unknown": s.count(_status("unknown")),
                        "not_applicable": s.count(_status("not_applicable")),
                    },
                ),
                "judged_line": translate(
                    HEADINGS["judged_of_applicable"],
                    lang,
                    {
                        "judged": s.judged,
                        "count": len(s.findings) - s.count(_status("not_applicable")),
                    },
                ),
                "findings": [
                    {
                        "rule": f.rule,
                        "status": f.status.value,
                        "status_label": f.status.label(lang),
                        "message": f.render(lang),
                        "evidence": ", ".join(f.evidence) or "–",
                        "sources": "; ".join(f.sources),
                    }
                    for f in s.findings
                ],
            }
        )
    names = assessment.municipality_names
    funding = [
        {
            "municipality": (
                f"{r.municipality} {names[r.municipality].pick(lang)}"
                if r.municipality in names
                else r.municipality
            ),
            "service": r.service,
            "kind": r.kind,
            "domain": translate(DOMAIN_LABELS[r.domain], lang) if r.domain else "–",
            "responsible": (
                translate(RESPONSIBLE_LABELS[r.responsible], lang) if r.responsible else t["nobody"]
            ),
            "funders": ", ".join(str(p) for p in r.funders) or t["none"],
            "status": r.status.value,
            "status_label": translate(FUNDING_STATUS_LABELS[r.status], lang),
            "blind_spot": r.status is FundingStatus.BLIND_SPOT,
        }
        for r in assessment.funding
    ]
    interruptions = [
        {
            "organisation": i.organisation,
            "party": str(i.party),
            "year": i.year,
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


def _status(value: str) -> Any:
    from jarjesto_core.rules.base import Status

    return Status(value)
