"""The board summary: one subject and year on one or two A4 pages, with pictures.

What a coordinator takes to the county board or an official to the municipal
council (issue 23). In this order: what the data covers; the core score with
how many criteria could be judged; the blind spots and unfunded services as a
municipality × service kind table with a small map; grants by year and funder
on one chart with interruptions, cuts and the reform gap marked; the findings
not met or partly met, with what is missing; and what to agree on.

:func:`summarise_board` gathers the figures (no language), :func:`render_html`
writes a standalone page (inline CSS, the charts as SVG images, nothing
fetched), :func:`render_pdf` prints that page with WeasyPrint.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from attrs import frozen

from jarjesto_core.i18n import N_, NP_, format_money, format_percent, format_year_span, translate
from jarjesto_core.labels import SERVICE_KIND_LABELS, label
from jarjesto_core.model import AgreementKind, Dataset, PartyKind, PartyRef, in_force
from jarjesto_core.names import Names
from jarjesto_core.reference import Reference
from jarjesto_core.resolver import FUNDING_STATUS_LABELS, FundingRow, FundingStatus
from jarjesto_core.rules.base import Finding, Status

if TYPE_CHECKING:
    from jarjesto_core.assessment import Assessment
    from jarjesto_core.registry import Registry

__all__ = ["BoardSummary", "render_html", "render_pdf", "summarise_board"]

#: How many years of grants the chart shows, the assessed year last.
YEARS_SHOWN: Final = 5
#: A grant that falls by this share or more from one year to the next is a cut (the product's
#: definition, criteria.md).
CUT: Final = Decimal("0.3")
#: The first year of the health and social services reform.
REFORM_YEAR: Final = 2023
GRANT_KINDS: Final = frozenset({AgreementKind.OPERATING_GRANT, AgreementKind.PROJECT_GRANT})
#: Worst first: the order of a table cell's statuses.
STATUS_ORDER: Final = ("blind_spot", "unfunded", "mismatch", "outside_reform", "ok")

T: Final = {
    "title": N_("Cooperation with organisations: summary for the board"),
    "subtitle": N_("%(subject)s, %(year)d"),
    "coverage": N_("What the data covers"),
    "coverage_not_recorded": N_(
        "The data does not record what it covers. A record that is missing means the "
        "matter is not known, not that it does not exist."
    ),
    "score": N_("Score (core criteria)"),
    "no_score": N_("– (no criterion could be judged)"),
    "gaps": N_("Blind spots and unfunded services"),
    "gaps_none": N_("Every organisation service here has a responsible party that funds it."),
    "gaps_no_services": N_("The data has no organisation services working here."),
    "municipality": N_("Municipality"),
    "map_alt": N_("Map of the municipalities coloured by the funding status of their services"),
    "grants": N_("Grants by year and funder"),
    "grants_none": N_("The data has no operating or project grants here in %(years)s."),
    "chart_alt": N_("Bar chart of grants by year and funder"),
    "interruption": N_("interruption"),
    "cut": N_("cut (30%% or more)"),
    "reform": N_("health and social services reform"),
    "funder": N_("Funder"),
    "year": N_("Year"),
    "findings": N_("Criteria not met or partly met"),
    "findings_none": N_("Every criterion that could be judged is met."),
    "missing": N_("Missing:"),
    "agree": N_("What to agree on"),
    "agree_intro": N_(
        "Service kinds with organisation services here but no funding responsibility "
        "agreement that names who is responsible:"
    ),
    "agree_none": N_(
        "Every service kind with organisation services here has a party responsible for funding it."
    ),
    "funders": N_("current funders: %(funders)s"),
    "no_funder": N_("no funder"),
    "legend": N_("Legend"),
    "no_services": N_("no organisation services"),
    "made_with": N_("Made with jarjesto from the data of %(year)d."),
}
COUNTS: Final = {
    "organisations": NP_("One organisation works here.", "%(count)d organisations work here."),
    "services": NP_(
        "One organisation service works here.", "%(count)d organisation services work here."
    ),
    "agreements": NP_(
        "One agreement with organisations is in force in %(year)d.",
        "%(count)d agreements with organisations are in force in %(year)d.",
    ),
    "judged": NP_(
        "%(judged)d of %(count)d applicable criterion judged",
        "%(judged)d of %(count)d applicable criteria judged",
    ),
    "more_pairs": NP_("One more service is in order.", "%(count)d more services are in order."),
}


@frozen
class GrantSeries:
    funder: PartyRef
    amounts: Mapping[int, Decimal]


@frozen
class BoardSummary:
    """The figures of one subject's board summary; :func:`render_html` puts them into words."""

    subject: PartyRef
    year: int
    assessment: Assessment
    names: Names
    territory: tuple[str, ...]
    organisations: int
    services: int
    agreements: int
    rows: tuple[FundingRow, ...]
    years: tuple[int, ...]
    grants: tuple[GrantSeries, ...]
    #: (year, index into ``grants``, "interruption" or "cut").
    marks: tuple[tuple[int, int, str], ...]


def summarise_board(
    dataset: Dataset,
    year: int,
    subject: PartyRef,
    *,
    registry: Registry | None = None,
    reference: Reference | None = None,
) -> BoardSummary:
    """Assess ``subject`` in ``year`` and gather the summary's figures."""
    from jarjesto_core.assessment import assess
    from jarjesto_core.continuity import interruptions
    from jarjesto_core.index import YearIndex
    from jarjesto_core.reference import bundled_reference

    reference = reference or bundled_reference()
    assessment = assess(dataset, year, [subject], registry=registry, reference=reference)
    territory = tuple(sorted(reference.territory(subject, year)))
    index = YearIndex(dataset, reference, year)
    working = index.organisations_working_in(frozenset(territory))
    services = index.services_working_in(frozenset(territory))
    bodies = {subject, *(PartyRef.municipality(code) for code in territory)}
    if subject.kind is PartyKind.MUNICIPALITY:
        area = reference.area_of(subject.code, year)
        if area is not None:
            bodies.add(PartyRef.area(area))
    bodies = {Reference.canonical(b) for b in bodies}
    in_force_here = [
        a
        for a in dataset.agreements
        if in_force(a.start, a.end, year)
        and (Reference.canonical(a.party) in bodies or a.organisation in working)
    ]
    years = tuple(range(year - YEARS_SHOWN + 1, year + 1))
    by_funder: dict[PartyRef, dict[int, Decimal]] = defaultdict(dict)
    by_pair: dict[tuple[PartyRef, str], dict[int, Decimal]] = defaultdict(dict)
    for a in dataset.agreements:
        funder = Reference.canonical(a.party)
        if a.kind not in GRANT_KINDS or funder not in bodies or a.annual_amount_eur is None:
            continue
        # A county's grants count here when the organisation works here.
        county = funder.kind is PartyKind.AREA and subject.kind is PartyKind.MUNICIPALITY
        if county and a.organisation not in working:
            continue
        for y in years:
            if in_force(a.start, a.end, y):
                by_funder[funder][y] = by_funder[funder].get(y, Decimal(0)) + a.annual_amount_eur
                pair = by_pair[(funder, a.organisation)]
                pair[y] = pair.get(y, Decimal(0)) + a.annual_amount_eur
    funders = sorted(by_funder, key=lambda p: (p.kind is not PartyKind.AREA, p.code))
    series = tuple(GrantSeries(f, dict(by_funder[f])) for f in funders)
    position = {f: i for i, f in enumerate(funders)}
    marks: set[tuple[int, int, str]] = set()
    for (funder, _org), amounts in by_pair.items():
        for y in years[1:]:
            before, now = amounts.get(y - 1), amounts.get(y)
            if before and now and now <= before * (1 - CUT):
                marks.add((y, position[funder], "cut"))
    found = interruptions(
        dataset, reference, years, assessment_kinds(registry), parties=sorted(bodies, key=str)
    )
    for i in found:
        body = Reference.canonical(i.party)
        if body in position:
            marks.add((i.year, position[body], "interruption"))
    return BoardSummary(
        subject=subject,
        year=year,
        assessment=assessment,
        names=Names(dataset, reference, year),
        territory=territory,
        organisations=len(working),
        services=len(services),
        agreements=len(in_force_here),
        rows=assessment.funding,
        years=years,
        grants=series,
        marks=tuple(sorted(marks)),
    )


def assessment_kinds(registry: Registry | None) -> Mapping[str, Any]:
    if registry is None:
        from jarjesto_core.plugins import get_plugin_manager
        from jarjesto_core.registry import build_registry

        registry = build_registry(get_plugin_manager())
    return registry.service_kinds


def _core_findings(summary: BoardSummary) -> tuple[Finding, ...]:
    subject = summary.assessment.subjects[0]
    return tuple(f for f in subject.findings if f.rule.startswith("core."))


def _img(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def view(summary: BoardSummary, lang: str) -> dict[str, Any]:
    """Everything the page says, in ``lang``."""
    from jarjesto_core.reports import coverage_lines, finding_view
    from jarjesto_core.reports.charts import STATUS_COLOURS, grants_chart, municipality_map

    names = summary.names
    t = {key: translate(msgid, lang) for key, msgid in T.items()}
    subject_name = names.party(summary.subject, lang)
    t["subtitle"] = translate(T["subtitle"], lang, {"subject": subject_name, "year": summary.year})
    t["made_with"] = translate(T["made_with"], lang, {"year": summary.year})
    t["cut"] = translate(T["cut"], lang) % {}
    # What the data covers for this subject: the records its findings rest on, and any
    # that name it (the whole dataset's coverage is the full report's to list).
    used = {c for f in summary.assessment.subjects[0].findings for c in f.coverage}
    covered = coverage_lines(
        [c for c in summary.assessment.coverage if c.id in used or summary.subject in c.parties],
        names,
        lang,
    )
    coverage = [
        translate(COUNTS["organisations"], lang, {"count": summary.organisations}),
        translate(COUNTS["services"], lang, {"count": summary.services}),
        translate(COUNTS["agreements"], lang, {"count": summary.agreements, "year": summary.year}),
    ]
    findings = _core_findings(summary)
    applicable = [f for f in findings if f.status is not Status.NOT_APPLICABLE]
    judged = [f for f in applicable if f.status.judged]
    # Fewer than half of the applicable criteria judged: "too little data" (criteria.md).
    score = (
        translate(N_("too little data"), lang)
        if judged and len(judged) * 2 < len(applicable)
        else format_percent(sum(f.status.points for f in judged) / len(judged), lang)
        if judged
        else t["no_score"]
    )
    judged_line = translate(
        COUNTS["judged"], lang, {"judged": len(judged), "count": len(applicable)}
    )
    # The table: municipality × service kind, the worst status of each cell.
    cells: dict[tuple[str, str], list[FundingRow]] = defaultdict(list)
    for r in summary.rows:
        cells[(r.municipality, r.kind)].append(r)
    problem_cells = {
        k: v for k, v in cells.items() if any(r.status is not FundingStatus.OK for r in v)
    }
    kinds = sorted(
        {k for _m, k in problem_cells}, key=lambda k: label(k, SERVICE_KIND_LABELS, lang)
    )
    places = sorted(
        {m for m, _k in problem_cells}, key=lambda m: names.party(PartyRef.municipality(m), lang)
    )
    table = []
    for m in places:
        row = []
        for k in kinds:
            statuses = sorted(
                {r.status.value for r in cells.get((m, k), [])}, key=STATUS_ORDER.index
            )
            row.append(
                {
                    "status": statuses[0] if statuses else "",
                    "text": ", ".join(
                        translate(FUNDING_STATUS_LABELS[FundingStatus(s)], lang) for s in statuses
                    )
                    if statuses
                    else "–",
                }
            )
        table.append({"name": names.party(PartyRef.municipality(m), lang), "cells": row})
    ok_rows = sum(1 for v in cells.values() for r in v if r.status is FundingStatus.OK)
    worst: dict[str, str] = {}
    for (m, _k), rows in cells.items():
        for r in rows:
            now = worst.get(m)
            if now is None or STATUS_ORDER.index(r.status.value) < STATUS_ORDER.index(now):
                worst[m] = r.status.value
    fills = {code: STATUS_COLOURS.get(worst.get(code, ""), "#f0f0f0") for code in summary.territory}
    labels = {code: names.party(PartyRef.municipality(code), lang) for code in summary.territory}
    map_svg = municipality_map(fills, labels)
    legend = [
        {
            "colour": STATUS_COLOURS[s],
            "text": translate(FUNDING_STATUS_LABELS[FundingStatus(s)], lang),
        }
        for s in STATUS_ORDER
        if s in {r.status.value for r in summary.rows} or s in ("blind_spot", "unfunded", "ok")
        if s in FundingStatus._value2member_map_
    ] + [{"colour": "#f0f0f0", "text": t["no_services"]}]
    # Grants.
    chart = None
    if summary.grants:
        chart = grants_chart(
            summary.years,
            [(names.party(g.funder, lang), g.amounts) for g in summary.grants],
            money=lambda v: format_money(Decimal(round(v)), lang),
            marks=summary.marks,
            mark_labels={"interruption": t["interruption"], "cut": t["cut"]},
            reform_year=REFORM_YEAR,
            reform_label=t["reform"],
        )
    grant_rows = [
        {
            "funder": names.party(g.funder, lang),
            "amounts": [
                format_money(g.amounts[y], lang) if y in g.amounts else "–" for y in summary.years
            ],
        }
        for g in summary.grants
    ]
    t["grants_none"] = translate(
        T["grants_none"], lang, {"years": format_year_span(summary.years[0], summary.years[-1])}
    )
    # Findings not met or partly met.
    shown = [
        finding_view(f, lang, names)
        for f in findings
        if f.status in (Status.NOT_MET, Status.PARTIAL)
    ]
    # What to agree on: kinds with services here but nobody responsible.
    agree: dict[tuple[str, str], list[FundingRow]] = defaultdict(list)
    for r in summary.rows:
        if r.responsible is None and r.status is not FundingStatus.OK:
            agree[(r.municipality, r.kind)].append(r)
    to_agree = []
    for (m, k), rows in sorted(
        agree.items(), key=lambda item: (labels.get(item[0][0], item[0][0]), item[0][1])
    ):
        items = []
        for r in rows:
            funders = ", ".join(names.party(p, lang) for p in r.funders) or t["no_funder"]
            items.append(
                f"{names.organisation(r.organisation, lang)} "
                f"({translate(T['funders'], lang, {'funders': funders})})"
            )
        to_agree.append(
            {
                "place": names.party(PartyRef.municipality(m), lang),
                "kind": label(k, SERVICE_KIND_LABELS, lang),
                "organisations": "; ".join(items),
            }
        )
    return {
        "lang": lang,
        "t": t,
        "coverage": coverage,
        "covered": covered,
        "score": score,
        "judged_line": judged_line,
        "kinds": [label(k, SERVICE_KIND_LABELS, lang) for k in kinds],
        "table": table,
        "has_services": bool(summary.rows),
        "more_pairs": translate(COUNTS["more_pairs"], lang, {"count": ok_rows})
        if ok_rows and table
        else "",
        "map": _img(map_svg) if map_svg else None,
        "legend": legend,
        "chart": _img(chart) if chart else None,
        "years": [str(y) for y in summary.years],
        "grant_rows": grant_rows,
        "findings": shown,
        "to_agree": to_agree,
    }


def render_html(summary: BoardSummary, lang: str) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("jarjesto_core.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("board.html").render(**view(summary, lang))


def render_pdf(summary: BoardSummary, lang: str) -> bytes:
    """The page printed to A4 by WeasyPrint (Debian's Pango draws the text)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(summary, lang)).write_pdf()
    return pdf
