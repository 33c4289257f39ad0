"""The blind-spot view of an area or a municipality: where funding responsibility is missing.

One page answers "where are our blind spots, and what should we agree on":
a municipality × service-kind matrix of the pairs with a problem, a map
coloured the same way, the organisations behind each blind spot with their
current funders, and a link to a responsibility-agreement form filled in
for that municipality, area and kind. The filters (status, kind,
municipality) and the year live in the URL, so a view can be shared.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for

from jarjesto_core import gaps
from jarjesto_core.i18n import N_
from jarjesto_core.labels import SERVICE_KIND_LABELS, label
from jarjesto_core.model import PartyRef
from jarjesto_core.names import Names
from jarjesto_core.reports import RESPONSIBLE_LABELS
from jarjesto_core.reports.charts import STATUS_COLOURS
from jarjesto_core.resolver import FUNDING_STATUS_LABELS, FundingRow, FundingStatus
from jarjesto_web import svg
from jarjesto_web.context import cached, dataset, fragment, reference, year
from jarjesto_web.i18n import lang, t
from jarjesto_web.views.pages import _assess, _page

__all__ = ["bp"]

bp = Blueprint("gaps", __name__)


@bp.route("/areas/<code>/blind-spots")
def area(code: str) -> str:
    """An area's blind spots, by member municipality and service kind."""
    found = reference().area(code)
    if found is None:
        abort(404)
    return _page("gaps.html", fragment(lambda: _body(found.party)), subject_name=found.name)


@bp.route("/municipalities/<code>/blind-spots")
def municipality(code: str) -> str:
    """A municipality's blind spots, by service kind."""
    found = reference().municipality(code, year())
    if found is None:
        abort(404)
    party = PartyRef.municipality(code)
    return _page("gaps.html", fragment(lambda: _body(party)), subject_name=found.name)


def _body(party: PartyRef) -> str:
    y, language = year(), lang()
    result = _assess([party])
    rows = result.funding
    names = result.names or Names(dataset(), reference(), y)
    chosen = gaps.GapFilter.parse(
        request.args.getlist("status"),
        request.args.getlist("kind"),
        request.args.getlist("municipality"),
    )
    shown = chosen.rows(rows)
    # The choices offered, each with how many of the subject's pairs it would show.
    in_place = [
        r for r in rows if not chosen.municipalities or r.municipality in chosen.municipalities
    ]
    status_choices = [
        {
            "value": s.value,
            "label": t(FUNDING_STATUS_LABELS[s]),
            "count": sum(
                1
                for r in in_place
                if r.status is s and (not chosen.kinds or r.kind in chosen.kinds)
            ),
            "checked": s in chosen.statuses,
            "colour": STATUS_COLOURS.get(s.value, "#777"),
        }
        for s in gaps.ORDER
    ]

    def kind_label(kind: str) -> str:
        return label(kind, SERVICE_KIND_LABELS, language)

    def place(code: str) -> str:
        return names.party(PartyRef.municipality(code), language)

    kinds = sorted({r.kind for r in rows}, key=kind_label)
    places = sorted({r.municipality for r in rows}, key=place)
    kind_choices = [
        {"value": k, "label": kind_label(k), "selected": k in chosen.kinds} for k in kinds
    ]
    place_choices = [
        {"value": m, "label": place(m), "selected": m in chosen.municipalities} for m in places
    ]
    cells = gaps.matrix(shown)
    matrix_kinds = sorted({k for _m, k in cells}, key=kind_label)
    matrix_places = sorted({m for m, _k in cells}, key=place)
    args = _filter_args(chosen)

    def cell_url(municipality: str | None = None, kind: str | None = None) -> str:
        values: dict[str, Any] = dict(args)
        if municipality is not None and party.kind.value == "area":
            values["municipality"] = municipality
        if kind is not None:
            values["kind"] = kind
        return url_for(request.endpoint or "", code=party.code, **values) + "#services"

    matrix = [
        {
            "name": place(m),
            "url": cell_url(m),
            "cells": [_cell(cells.get((m, k)), cell_url(m, k), language) for k in matrix_kinds],
        }
        for m in matrix_places
    ]
    place_counts: defaultdict[str, Counter[FundingStatus]] = defaultdict(Counter)
    for r in shown:
        place_counts[r.municipality][r.status] += 1
    territory = sorted(reference().territory(party, y))
    shapes, box = svg.territory_shapes(territory)
    map_places = []
    for s in shapes:
        counts = place_counts.get(s.code)
        worst = next((st for st in gaps.ORDER if counts and counts[st]), None)
        map_places.append(
            {
                "shape": s,
                "name": place(s.code),
                "fill": STATUS_COLOURS.get(worst.value, "#777") if worst else svg.NO_SCORE,
                "text": ", ".join(
                    gaps.status_count(st, counts[st], language) for st in gaps.ORDER if counts[st]
                )
                if counts
                else t(N_("none shown")),
                "url": cell_url(s.code) if party.kind.value == "area" else None,
            }
        )
    agreements = cached(("agreements_by_id",), lambda: {a.id: a for a in dataset().agreements})
    kind_place = [
        r
        for r in rows
        if (not chosen.kinds or r.kind in chosen.kinds)
        and (not chosen.municipalities or r.municipality in chosen.municipalities)
    ]
    agree = [
        {
            "place": place(item.municipality),
            "kind": kind_label(item.kind),
            "rows": [_row(r, names, language, item.funding.get(r.service, ())) for r in item.rows],
            "form": url_for(
                "edit.new",
                collection="responsibilities",
                municipality=item.municipality,
                area=item.area,
                assignments=f"{item.kind}=",
                start=f"1.1.{y}",
            ),
        }
        for item in gaps.to_agree(kind_place, agreements)
    ]
    return render_template(
        "_gaps_body.html",
        party=party,
        subject=names.party(party, language),
        year=y,
        years=reference().years,
        is_area=party.kind.value == "area",
        status_choices=status_choices,
        kind_choices=kind_choices,
        place_choices=place_choices,
        kinds=[kind_label(k) for k in matrix_kinds],
        matrix=matrix,
        map_places=map_places,
        map_box=box,
        legend=[(c["colour"], c["label"]) for c in status_choices if c["checked"]],
        agree=agree,
        rows=[_row(r, names, language) for r in shown],
        shown=len(shown),
        total=len(rows),
    )


def _filter_args(chosen: gaps.GapFilter) -> dict[str, Any]:
    """The query of the current view, for links that narrow it further."""
    values: dict[str, Any] = {}
    if "year" in request.args:
        values["year"] = request.args["year"]
    if chosen.statuses != gaps.PROBLEMS:
        values["status"] = sorted(s.value for s in chosen.statuses)
    if chosen.kinds:
        values["kind"] = sorted(chosen.kinds)
    if chosen.municipalities:
        values["municipality"] = sorted(chosen.municipalities)
    return values


def _cell(cell: gaps.Cell | None, url: str, language: str) -> dict[str, Any]:
    if cell is None:
        return {"text": "", "url": None, "status": ""}
    parts = [
        gaps.status_count(s, cell.counts[s], language) for s in gaps.ORDER if cell.counts.get(s)
    ]
    worst = cell.worst
    return {
        "text": ", ".join(parts),
        "url": url,
        "status": worst.value if worst is not None else "",
        "colour": STATUS_COLOURS.get(worst.value, "#777") if worst is not None else "",
    }


def _row(
    r: FundingRow, names: Names, language: str, funding: tuple[gaps.Funding, ...] = ()
) -> dict[str, Any]:
    return {
        "municipality": names.party(PartyRef.municipality(r.municipality), language),
        "service": names.service(r.service, language),
        "organisation": names.organisation(r.organisation, language),
        "organisation_id": r.organisation,
        "kind": label(r.kind, SERVICE_KIND_LABELS, language),
        "responsible": t(RESPONSIBLE_LABELS[r.responsible])
        if r.responsible
        else t(N_("no one responsible")),
        "funders": [names.party(p, language) for p in r.funders],
        "status": r.status.value,
        "status_label": t(FUNDING_STATUS_LABELS[r.status]),
        "funding": [
            {"funder": names.party(f.funder, language), "amount": f.annual_amount_eur}
            for f in funding
        ],
    }
