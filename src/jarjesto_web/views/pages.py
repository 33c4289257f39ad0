"""The read-only pages: overview, area, municipality, register, organisation, rules."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    abort,
    current_app,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from markupsafe import Markup
from werkzeug.wrappers import Response

from jarjesto_core import gaps
from jarjesto_core.assessment import Assessment, touched_subjects
from jarjesto_core.continuity import grant_history
from jarjesto_core.i18n import SUPPORTED
from jarjesto_core.model import (
    Agreement,
    Dataset,
    Hearing,
    PartyKind,
    PartyRef,
    Service,
    Structure,
)
from jarjesto_core.query import GrantLedger, RegisterIndex, filter_organisations
from jarjesto_core.reference import Reference
from jarjesto_core.resolver import FundingStatus
from jarjesto_web import svg
from jarjesto_web.auth import _safe_next
from jarjesto_web.context import (
    anonymous_page,
    assessed,
    cached,
    dataset,
    dated,
    fragment,
    reference,
    registry,
    year,
    year_index,
)
from jarjesto_web.pagination import Page, page_of, page_window

if TYPE_CHECKING:
    from jarjesto_core.workspace.writing import Change
    from jarjesto_web.cache import Snapshot

__all__ = [
    "Page",
    "bp",
    "page_of",
    "page_window",
    "register_index",
    "warm_pages",
]

bp = Blueprint("pages", __name__)


def _assess(subjects: Iterable[PartyRef]) -> Assessment:
    """The assessment of ``subjects`` in this request's year, computed once per data version."""
    return assessed(year(), tuple(subjects))


def _page(template: str, body: str, **context: Any) -> str:
    """``template`` around a cached ``body``: the per-user parts are rendered for each user."""
    return anonymous_page(lambda: render_template(template, body=Markup(body), **context))


@bp.route("/language/<code>")
def language(code: str) -> Response:
    """Switch the language for the rest of the session, and go back where the reader was."""
    if code not in SUPPORTED:
        abort(404)
    session["lang"] = code
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/")
def overview() -> str:
    """The map of municipalities and areas coloured by assessment score, with a table."""
    return _page("overview.html", fragment(_overview_body))


def warm_pages() -> None:
    """Compute what every page shares, and render the overview, as the first requests would.

    The overview in this request's language; the yearly grant totals of the
    area pages, the register's search index and each organisation's
    records, which do not depend on the language.
    """
    fragment(_overview_body)
    _grant_ledger()
    register_index()
    _related_index()


def _overview_subjects(data: Dataset, ref: Reference, y: int) -> tuple[PartyRef, ...]:
    touched = touched_subjects(data, ref, y, index=year_index(y))
    areas = {
        PartyRef.area(a)
        for p in touched
        if p.kind is PartyKind.MUNICIPALITY and (a := ref.area_of(p.code, y)) is not None
    }
    return tuple(sorted(set(touched) | areas))


def _overview_body() -> str:
    data, ref, y = dataset(), reference(), year()
    result = _assess(cached(("overview", y), lambda: _overview_subjects(data, ref, y)))
    # Maps and rankings show core scores only, and "too little data" (no colour) where fewer
    # than half of the applicable rules could be judged (criteria.md, "Scores").
    scores = {
        (s.party.kind, s.party.code): None if s.too_little_data else s.score
        for s in result.subjects
    }
    ranked = {
        kind.value: sorted(
            (s for s in result.subjects if s.party.kind is kind),
            key=lambda s: (s.score is None or s.too_little_data, -(s.score or 0), s.party),
        )
        for kind in PartyKind
    }
    width, height = svg.size()
    problems = gaps.counts_by_party(result.funding)
    return render_template(
        "_overview_body.html",
        problems=problems,
        blind_spot=FundingStatus.BLIND_SPOT,
        unfunded=FundingStatus.UNFUNDED,
        result=result,
        year=y,
        scores=scores,
        ranked=ranked,
        municipality_shapes=svg.map_shapes("municipalities"),
        area_shapes=svg.map_shapes("areas"),
        map_width=width,
        map_height=height,
        colour=svg.colour,
        bins=svg.BINS,
        top_colour=svg.TOP_COLOUR,
        no_score=svg.NO_SCORE,
        years=ref.years,
    )


def _grants_by_funder(funders: Iterable[PartyRef], years: range) -> list[dict[str, Any]]:
    ledger = _grant_ledger()
    charts = []
    for funder in funders:
        totals = ledger.totals(funder)
        if totals:
            charts.append({"party": funder, "totals": totals, **svg.bar_chart(totals, years)})
    return charts


def _years() -> range:
    """The years the dataset's records touch (kept as counts through edits)."""
    return dated().years()


def _grant_ledger() -> GrantLedger:
    """The yearly grant totals of every funder; an edit updates them by its agreements."""

    def carry(kept: GrantLedger, change: Change, after: Snapshot) -> GrantLedger | None:
        counts = after.kept(("dated",))
        if counts is None or counts.years() != kept.years:  # the charts' years moved
            return None
        return kept.changed((r for _c, r in change.removed), (r for _c, r in change.added))

    years = _years()
    return cached(("grant_ledger",), lambda: GrantLedger.of(dataset(), years), carry)


def _funding_rows(rows: tuple[Any, ...]) -> dict[str, Any]:
    """One page of a funding table (``?funding_page=``): the rows, and where they are.

    The whole table stays one click away, in the assessment downloads.
    """
    page = page_of(rows, current_app.config["FUNDING_ROWS"], "funding_page")
    args = {**(request.view_args or {}), **request.args}
    args.pop("funding_page", None)
    return {
        "rows": page.items,
        "first": page.first,
        "last": page.last,
        "total": page.total,
        "page": page.number,
        "links": [
            (p, None if p is None else url_for(request.endpoint or "", **args, funding_page=p))
            for p in (page_window(page.number, page.pages) if page.pages > 1 else [])
        ],
    }


@bp.route("/areas/<code>")
def area(code: str) -> str:
    """An area: members, findings, the funding matrix and the grants by funder."""
    found = reference().area(code)
    if found is None:
        abort(404)
    y = year()

    def body() -> str:
        members = reference().members(code, y)
        result = _assess([found.party])
        member_parties = [PartyRef.municipality(m.code) for m in members]
        return render_template(
            "_area_body.html",
            area=found,
            year=y,
            members=members,
            subject=result.subjects[0],
            result=result,
            funding=_funding_rows(result.funding),
            charts=_grants_by_funder([found.party, *member_parties], _years()),
            years=reference().years,
        )

    return _page("area.html", fragment(body), area=found)


@bp.route("/municipalities/<code>")
def municipality(code: str) -> str:
    """A municipality: findings, funding and the organisations working there."""
    ref, y = reference(), year()
    found = ref.municipality(code, y)
    if found is None:
        abort(404)

    def body() -> str:
        result = _assess([PartyRef.municipality(code)])
        organisations = [o for o in dataset().organisations if code in o.municipalities]
        return render_template(
            "_municipality_body.html",
            municipality=found,
            area=ref.area(found.area),
            year=y,
            subject=result.subjects[0],
            result=result,
            funding=_funding_rows(result.funding),
            organisations=organisations,
            years=ref.years,
        )

    return _page("municipality.html", fragment(body), municipality=found)


def register_index() -> RegisterIndex:
    """The :class:`RegisterIndex` of this request's dataset, built once per data version and
    kept through edits that change no organisation or service (it reads nothing else)."""

    def carry(kept: RegisterIndex, change: Change, _after: Snapshot) -> RegisterIndex | None:
        touched = {c for c, _r in (*change.removed, *change.added)}
        return None if touched & {"organisations", "services"} else kept

    return cached(("register",), lambda: RegisterIndex(dataset()), carry)


@bp.route("/organisations")
def register() -> str:
    """The organisation register, searchable and filtered, a page at a time."""
    data, ref, y, index = dataset(), reference(), year(), register_index()
    found = filter_organisations(data, ref, y, request.args, index=index)
    page = page_of(found, current_app.config["PAGE_SIZE"])
    return render_template(
        "register.html",
        organisations=page.items,
        total=page.total,
        page=page.number,
        pages=page.pages,
        page_links=page_window(page.number, page.pages),
        args={k: v for k, v in request.args.items() if k != "page"},
        municipalities=ref.municipalities_in(y),
        areas=ref.areas,
        languages=index.languages,
        kinds=sorted(registry().service_kinds),
        year=y,
    )


class _Related:
    """One organisation's services, agreements, bodies and hearings, in dataset order."""

    def __init__(self) -> None:
        self.services: list[Service] = []
        self.agreements: list[Agreement] = []
        self.bodies: list[Structure] = []
        self.hearings: list[Hearing] = []


def _related(data: Dataset) -> dict[str, _Related]:
    """Every organisation's records, grouped in one pass over each collection."""
    by_org: dict[str, _Related] = {o.id: _Related() for o in data.organisations}

    def of(org_id: str) -> _Related:
        return by_org.setdefault(org_id, _Related())

    for s in data.services:
        of(s.organisation).services.append(s)
    for a in data.agreements:
        of(a.organisation).agreements.append(a)
    for body in data.structures:
        for member in dict.fromkeys(body.members):
            of(member).bodies.append(body)
    for h in data.hearings:
        for org_id in dict.fromkeys(h.organisations):
            of(org_id).hearings.append(h)
    return by_org


def _related_index() -> dict[str, _Related]:
    return cached(("related",), lambda: _related(dataset()))


@bp.route("/organisations/<org_id>")
def organisation(org_id: str) -> str:
    """Everything about one organisation: services, agreements, grants, bodies, hearings."""
    data, ref = dataset(), reference()
    org = cached(("organisations",), lambda: {o.id: o for o in data.organisations}).get(org_id)
    if org is None:
        abort(404)
    related = _related_index()[org_id]
    own = Dataset(agreements=tuple(related.agreements))  # all that grant_history reads
    return render_template(
        "organisation.html",
        org=org,
        services=related.services,
        agreements=related.agreements,
        grants=grant_history(own, _years(), organisation=org_id),
        bodies=related.bodies,
        hearings=related.hearings,
        year=year(),
        reference=ref,
    )


@bp.route("/rules")
def rules() -> str:
    """Every rule the registry holds, with its sources and the plugin that brought it."""
    reg = registry()
    return render_template(
        "rules.html",
        rules=[(code, rule, reg.rule_plugins.get(code, "")) for code, rule in reg.rules.items()],
        kinds=sorted(reg.service_kinds.items()),
        kind_plugins=reg.kind_plugins,
    )


@bp.app_template_global()
def cited(citations: tuple[str, ...] | list[str]) -> list[tuple[str, str | None]]:
    """Each citation's text in the reader's language and its checked link, if any."""
    from jarjesto_web.i18n import lang

    return registry().sources.rendered(citations, lang())


@bp.app_template_global()
def party_label(party: PartyRef | str) -> str:
    """A party's name in the reader's language, e.g. "Joensuu" for ``municipality:167``."""
    from jarjesto_core.resolver import party_name
    from jarjesto_web.i18n import pick

    ref = reference()
    if isinstance(party, str):
        party = PartyRef.parse(party)
    return pick(party_name(party, dataset(), ref, year()))


@bp.app_template_global()
def party_url(party: PartyRef) -> str:
    from flask import url_for

    if party.kind is PartyKind.AREA:
        return url_for("pages.area", code=party.code)
    return url_for("pages.municipality", code=party.code)


@bp.app_template_filter()
def money(value: Decimal | None) -> str:
    """Euros by the reader's conventions: fi/sv "14 000 €", en "€14,000"."""
    from jarjesto_core.i18n import format_money
    from jarjesto_web.i18n import lang

    if value is None:
        return "–"
    return format_money(value, lang())


@bp.app_template_filter()
def number(value: int | float | Decimal) -> str:
    """A count or figure by the reader's conventions: fi/sv "2 055", en "2,055"."""
    from jarjesto_core.i18n import format_number
    from jarjesto_web.i18n import lang

    return format_number(value, lang())


@bp.app_template_filter()
def percent(value: float | Decimal) -> str:
    """A score on 0–100 as a percentage: fi/sv "57,7 %", en "57.7%"."""
    from jarjesto_core.i18n import format_percent
    from jarjesto_web.i18n import lang

    return format_percent(Decimal(str(value)) / 100, lang())


@bp.app_template_filter()
def vocab(value: object, vocabulary: str) -> str:
    """A vocabulary's code as its label in the reader's language ("operating grant")."""
    from jarjesto_core.forms import VALUE_LABELS
    from jarjesto_web.i18n import t

    code = str(getattr(value, "value", value))
    msgid = VALUE_LABELS.get(vocabulary, {}).get(code)
    return t(msgid) if msgid else code.replace("_", " ")


@bp.app_template_filter()
def vocab_list(values: Iterable[object], vocabulary: str) -> str:
    return ", ".join(vocab(v, vocabulary) for v in values)


@bp.app_template_filter("date")
def date_filter(value: object) -> str:
    """A date as people write it: fi/sv "1.2.2024", en "1 February 2024"; none: "–"."""
    import datetime as dt

    from jarjesto_core.i18n import format_date
    from jarjesto_web.i18n import lang

    if not isinstance(value, dt.date):
        return "–"
    return format_date(value, lang())


def _names() -> Any:
    from flask import g

    from jarjesto_core.names import Names

    if "names" not in g:
        g.names = Names(dataset(), reference(), year())
    return g.names


@bp.app_template_global()
def record_name(key: str) -> str:
    """What an id is called in the reader's language: an organisation, a service, a body …"""
    from jarjesto_web.i18n import lang

    return str(_names().of(key, lang()))


@bp.app_template_global()
def service_name(key: str) -> str:
    """A service's own name in the reader's language, without its organisation's."""
    from jarjesto_web.i18n import lang

    return str(_names().service(key, lang()))


@bp.app_template_global()
def finding_view(finding: Any) -> dict[str, Any]:
    """A finding for people: its rule's title, evidence by name and summarised."""
    from jarjesto_core.reports import finding_view as view
    from jarjesto_web.i18n import lang

    return view(finding, lang(), _names())


#: The pages whose content depends on the year: their links carry the reader's ``?year=``.
YEAR_PAGES = frozenset(
    {
        "pages.overview",
        "pages.area",
        "pages.municipality",
        "pages.register",
        "pages.organisation",
        "gaps.area",
        "gaps.municipality",
    }
)


@bp.app_url_defaults
def _keep_year(endpoint: str, values: dict[str, Any]) -> None:
    """A year the reader picked stays picked from page to page (issue 25: it was dropped)."""
    if endpoint in YEAR_PAGES and "year" not in values and has_request_context():
        asked = request.args.get("year")
        if asked:
            values["year"] = asked


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    from jarjesto_core.reports import RESPONSIBLE_LABELS
    from jarjesto_core.resolver import FUNDING_STATUS_LABELS

    return {"status_labels": FUNDING_STATUS_LABELS, "responsible_labels": RESPONSIBLE_LABELS}
