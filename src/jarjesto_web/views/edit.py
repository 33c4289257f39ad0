"""Forms to create, edit and delete records of every collection.

A form has the same fields as a CSV row and is parsed by the same code
(:func:`jarjesto_core.csvio.record_from_cells`), then the workspace validates
the whole dataset as it would a file; every problem is shown beside its
field. Each write is audited under the logged-in user's name, and an edit
carries the version it started from, so a concurrent change is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from jarjesto_core.csvio import NAME_COLUMNS, cells_from_record, columns, record_from_cells
from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_
from jarjesto_core.model import COLLECTIONS
from jarjesto_core.reference import fold
from jarjesto_web.auth import current_user, require
from jarjesto_web.context import dataset, reference, workspace
from jarjesto_web.i18n import lang, t
from jarjesto_web.pagination import page_of, page_window
from jarjesto_web.params import whole_number

__all__ = ["COLLECTION_TITLES", "FIELD_HINTS", "bp"]

bp = Blueprint("edit", __name__, url_prefix="/edit")

COLLECTION_TITLES = {
    "organisations": N_("Organisations"),
    "services": N_("Services"),
    "agreements": N_("Agreements"),
    "responsibilities": N_("Responsibility agreements"),
    "structures": N_("Bodies"),
    "coordinators": N_("Coordinators"),
    "hearings": N_("Hearings"),
    "commitments": N_("Commitments"),
    "welfare_reports": N_("Welfare reports"),
    "appropriations": N_("Appropriations"),
    "joint_authorities": N_("Joint authorities"),
    "funders": N_("Other funders"),
}

#: How to write a field's value, for the hint beside it.
FIELD_HINTS = {
    "municipalities": N_("Municipality codes or names, separated by commas."),
    "languages": N_("Language codes separated by commas, e.g. fi, sv."),
    "party": N_(
        "municipality:CODE, area:CODE, joint:ID or funder:ID, or the name of a "
        "municipality, area, joint authority or funder."
    ),
    "assignments": N_("Service kind = municipality, area or shared, separated by commas."),
    "start": N_("A date: YYYY-MM-DD or D.M.YYYY."),
    "end": N_("A date: YYYY-MM-DD or D.M.YYYY; empty when open-ended."),
}


def _collection(name: str) -> str:
    if name not in COLLECTIONS:
        abort(404)
    return name


def _errors(
    collection: str, problems: list[Problem] | tuple[Problem, ...]
) -> tuple[dict[str, list[str]], list[str]]:
    """Problems by form field; those not tied to a field of the form go above it."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for p in problems:
        text = t(p.message, **p.params)
        name = "name_fi" if p.field == "name" else p.field
        if name is not None and name in columns(collection):
            by_field.setdefault(str(name), []).append(text)
        else:
            general.append(p.render(lang()))
    return by_field, general


def _form(collection: str, cells: dict[str, str], **context: Any) -> str:
    return render_template(
        "edit_form.html",
        collection=collection,
        title=COLLECTION_TITLES[collection],
        columns=columns(collection),
        name_columns=NAME_COLUMNS,
        hints=FIELD_HINTS,
        cells=cells,
        **context,
    )


@bp.route("/")
@require("editor")
def index() -> str:
    """The collections, with how many records each has."""
    data = dataset()
    counts = {name: len(data.collection(name)) for name in COLLECTIONS}
    return render_template("edit_index.html", counts=counts, titles=COLLECTION_TITLES)


@bp.route("/<collection>")
@require("editor")
def records(collection: str) -> str:
    """A collection's records, each with a link to its form, a page at a time.

    A national dataset has 270,000 agreements: one list of them all was tens
    of megabytes of HTML. ``q`` finds records by id or name (case and accents
    folded), ``page`` picks a page of ``EDIT_PAGE_SIZE``.
    """
    _collection(collection)
    found: Sequence[Any] = dataset().collection(collection)
    q = request.args.get("q", "").strip()
    if q:
        needle = fold(q)
        found = [r for r in found if any(needle in fold(text) for text in _texts(r))]
    page = page_of(found, current_app.config["EDIT_PAGE_SIZE"])
    return render_template(
        "edit_list.html",
        collection=collection,
        title=COLLECTION_TITLES[collection],
        records=page.items,
        first=page.first,
        last=page.last,
        total=page.total,
        page=page.number,
        pages=page.pages,
        page_links=page_window(page.number, page.pages),
        args={"q": q} if q else {},
    )


def _texts(record: Any) -> tuple[str, ...]:
    """What the list's search looks in: the id, and the name in each language."""
    name = getattr(record, "name", None)
    return (record.id, *(name.as_dict().values() if name is not None else ()))


def _submitted(collection: str) -> dict[str, str]:
    return {c: request.form.get(c, "") for c in columns(collection)}


@bp.route("/<collection>/new", methods=["GET", "POST"])
@require("editor")
def new(collection: str) -> Any:
    """Create a record."""
    _collection(collection)
    if request.method == "GET":
        return _form(collection, {}, errors={}, general=[], version=None)
    cells = _submitted(collection)
    record, problems = record_from_cells(collection, cells, reference(), dataset=dataset())
    if record is not None:
        try:
            workspace().add(collection, [record], actor=_actor())
        except DatasetError as exc:
            problems = list(exc.problems)
    if problems:
        errors, general = _errors(collection, problems)
        return _form(collection, cells, errors=errors, general=general, version=None), 400
    flash(t(N_("Saved %(id)s."), id=record.id))
    return redirect(url_for("edit.records", collection=collection))


def _actor() -> str:
    user = current_user()
    assert user is not None  # @require saw to it
    return user.name


@bp.route("/<collection>/<record_id>", methods=["GET", "POST"])
@require("editor")
def record(collection: str, record_id: str) -> Any:
    """Edit a record; the form carries the version it was read at."""
    _collection(collection)
    ws = workspace()
    if request.method == "GET":
        found = _get(collection, record_id)
        return _form(
            collection,
            cells_from_record(collection, found.record),
            errors={},
            general=[],
            version=found.version,
            record_id=record_id,
        )
    cells = _submitted(collection)
    cells["id"] = record_id
    version = whole_number(request.form.get("version"))
    if version is None:
        abort(400)
    record, problems = record_from_cells(collection, cells, reference(), dataset=dataset())
    if record is not None:
        try:
            ws.update(collection, record, version, actor=_actor())
        except DatasetError as exc:
            problems = list(exc.problems)
    if problems:
        errors, general = _errors(collection, problems)
        return _form(
            collection,
            cells,
            errors=errors,
            general=general,
            version=version,
            record_id=record_id,
        ), 400
    flash(t(N_("Saved %(id)s."), id=record_id))
    return redirect(url_for("edit.records", collection=collection))


def _get(collection: str, record_id: str) -> Any:
    """The record and its version: a missing one is 404, an unusable workspace 503 (errors.py)."""
    return workspace().get(collection, record_id)


@bp.route("/<collection>/<record_id>/delete", methods=["POST"])
@require("editor")
def delete(collection: str, record_id: str) -> Response:
    """Delete a record (refused when others still refer to it)."""
    _collection(collection)
    found = _get(collection, record_id)
    version = whole_number(request.form.get("version", str(found.version)))
    if version is None:
        abort(400)
    workspace().delete(collection, record_id, version, actor=_actor())
    flash(t(N_("Deleted %(id)s."), id=record_id))
    return redirect(url_for("edit.records", collection=collection))
