"""Forms to create, edit and delete records of every collection.

A form has the same fields as a CSV row and is parsed by the same code
(:func:`jarjesto_core.csvio.record_from_cells`), then the workspace validates
the whole dataset as it would a file; every problem is shown beside its
field. Each write is audited under the logged-in user's name, and an edit
carries the version it started from, so a concurrent change is refused.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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

from jarjesto_core.csvio import cells_from_record, columns, record_from_cells
from jarjesto_core.errors import DatasetError, Problem, RecordNotFoundError, StaleVersionError
from jarjesto_core.forms import PICKER_COLLECTIONS, Match, find, form_fields, picker_names
from jarjesto_core.i18n import N_
from jarjesto_core.ids import id_from_name, unique_id
from jarjesto_core.model import COLLECTIONS, Dataset, PartyRef, ResponsibleParty
from jarjesto_core.names import Names
from jarjesto_core.reference import fold
from jarjesto_core.reports import RESPONSIBLE_LABELS
from jarjesto_web.auth import current_user, require
from jarjesto_web.context import cached, dataset, reference, registry, workspace
from jarjesto_web.i18n import lang, pick, t
from jarjesto_web.pagination import page_of, page_window
from jarjesto_web.params import whole_number

if TYPE_CHECKING:
    from jarjesto_core.workspace.writing import Change
    from jarjesto_web.cache import Snapshot

__all__ = ["COLLECTION_TITLES", "bp"]

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
    "coverage": N_("Coverage"),
    "joint_authorities": N_("Joint authorities"),
    "funders": N_("Other funders"),
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


def _form(
    collection: str,
    cells: dict[str, str],
    *,
    picks: dict[str, tuple[Match, ...]] | None = None,
    **context: Any,
) -> str:
    """The form of ``collection`` with the reader's ``cells``, generated from the model."""
    ref, data = reference(), dataset()
    fields = form_fields(collection, registry().service_kinds)
    language = lang()
    widgets = {f.widget for f in fields}
    options: dict[str, Any] = {}
    if "municipality" in widgets:
        current = ref.years[-1]
        options["municipalities"] = sorted(
            ((m.code, pick(m.name)) for m in ref.municipalities_in(current)),
            key=lambda m: fold(m[1]),
        )
    if "area" in widgets or "party" in widgets:
        options["areas"] = [(a.code, pick(a.name)) for a in ref.areas]
    if "party" in widgets:
        current = ref.years[-1]
        options["party_names"] = sorted(
            {pick(a.name) for a in ref.areas}
            | {pick(m.name) for m in ref.municipalities_in(current)}
            | {j.name.pick(language) for j in data.joint_authorities}
            | {f.name.pick(language) for f in data.funders},
            key=fold,
        )
    if "organisation" in widgets and len(data.organisations) <= DATALIST_LIMIT:
        options["organisation_names"] = sorted(
            {o.name.pick(language) for o in data.organisations}, key=fold
        )
    assigned = _assignments(cells.get("assignments", "")) if "assignments" in widgets else {}
    return render_template(
        "edit_form.html",
        collection=collection,
        title=COLLECTION_TITLES[collection],
        fields=fields,
        cells=_shown(collection, cells, data),
        picks=picks or {},
        options=options,
        assigned=assigned,
        responsible=[(r.value, RESPONSIBLE_LABELS[r]) for r in ResponsibleParty],
        **context,
    )


#: A picker offers the dataset's names as the browser's own suggestions up to this many.
DATALIST_LIMIT = 2000


def _assignments(text: str) -> dict[str, str]:
    """``meeting_place=municipality, clubhouse=`` as {kind: party}; a kind with no party is ''."""
    found: dict[str, str] = {}
    for part in text.split(","):
        kind, _, party = part.partition("=")
        if kind.strip():
            found[kind.strip()] = party.strip()
    return found


def _shown(collection: str, cells: dict[str, str], data: Dataset) -> dict[str, str]:
    """Cells as a reader types them: names where the record holds ids."""
    shown = dict(cells)
    names = Names(data, reference(), reference().years[-1])
    language = lang()
    for f in form_fields(collection):
        value = cells.get(f.name, "")
        if not value:
            continue
        if f.widget == "organisation" and value in _ids(data, "organisations"):
            shown[f.name] = names.organisation(value, language)
        elif f.widget in ("organisations", "services", "structures") and "; " not in value:
            ids = [v.strip() for v in value.split(",") if v.strip()]
            known = _ids(data, f.widget if f.widget != "organisations" else "organisations")
            if all(i in known for i in ids):
                shown[f.name] = "; ".join(_plain_name(data, f.widget, i, language) for i in ids)
        elif f.widget == "party" and ":" in value:
            with contextlib.suppress(ValueError):
                shown[f.name] = names.party(PartyRef.parse(value), language)
    return shown


def _ids(data: Dataset, collection: str) -> set[str]:
    return {str(getattr(r, "id")) for r in data.collection(collection)}  # noqa: B009


def _plain_name(data: Dataset, widget: str, record_id: str, language: str) -> str:
    collection = "organisations" if widget == "organisations" else widget
    for r in data.collection(collection):
        if getattr(r, "id") == record_id:  # noqa: B009  # every collection's records have one
            return str(getattr(r, "name").pick(language))  # noqa: B009
    return record_id


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


def _picker_names(widget: str) -> dict[str, set[str]]:
    """A picker's names, once per data version, kept through edits of other collections."""
    collection = PICKER_COLLECTIONS[widget]

    def carry(
        kept: dict[str, set[str]], change: Change, _after: Snapshot
    ) -> dict[str, set[str]] | None:
        touched = {c for c, _r in (*change.removed, *change.added)}
        return None if collection in touched else kept

    return cached(("picker", widget), lambda: picker_names(dataset(), widget), carry)


def _submitted(
    collection: str,
) -> tuple[dict[str, str], dict[str, list[str]], dict[str, tuple[Match, ...]]]:
    """The form's cells as a CSV row would give them, with names resolved to ids.

    Returns the cells, the pickers' problems by field (a name that is unknown or
    means several records) and, for those, the records the reader may have meant.
    """
    data, language = dataset(), lang()
    cells: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    picks: dict[str, tuple[Match, ...]] = {}
    for f in form_fields(collection, registry().service_kinds):
        if f.widget == "checkboxes":
            cells[f.name] = ", ".join(request.form.getlist(f.name))
        elif f.widget == "assignments":
            # A client may also post the CSV column itself ("meeting_place=municipality").
            cells[f.name] = request.form.get(f.name) or ", ".join(
                f"{kind}={party}"
                for kind, _label in f.choices
                if (party := request.form.get(f"assignments__{kind}", ""))
            )
        elif f.widget in ("organisation", "organisations", "services", "structures"):
            typed = request.form.get(f.name, "").strip()
            chosen = request.form.get(f"{f.name}__pick", "")
            if chosen:
                cells[f.name] = chosen
                continue
            cells[f.name] = typed
            if not typed:
                continue
            parts = [typed] if f.widget == "organisation" else _parts(typed)
            ids: list[str] = []
            problems: list[str] = []
            offered: list[Match] = []
            for part in parts:
                found, candidates = find(
                    data, f.widget, part, language, names=_picker_names(f.widget)
                )
                if found is not None:
                    ids.append(found)
                elif candidates:
                    problems.append(t(N_("Choose below which one “%(name)s” means."), name=part))
                    offered.extend(candidates)
                else:
                    problems.append(t(N_("Nothing is called “%(name)s”."), name=part))
            if problems:
                errors[f.name] = problems
                picks[f.name] = tuple(offered)
            else:
                cells[f.name] = ", ".join(ids)
        else:
            cells[f.name] = request.form.get(f.name, "")
    if "id" in cells and not cells["id"].strip():
        cells["id"] = _new_id(collection, cells, data)
    return cells, errors, picks


def _parts(text: str) -> list[str]:
    """A list typed as names: separated by semicolons, else by commas."""
    separator = ";" if ";" in text else ","
    return [p.strip() for p in text.split(separator) if p.strip()]


def _new_id(collection: str, cells: dict[str, str], data: Dataset) -> str:
    """An id made from the record's name, or from what it is about, unique in its collection."""
    name = cells.get("name_fi") or cells.get("name_sv") or cells.get("name_en")
    if not name:
        about = [
            cells.get(c, "")
            for c in (
                "kind",
                "title",
                "organisation",
                "party",
                "municipality",
                "document",
                "start",
                "date",
                "year",
            )
        ]
        name = " ".join(a.split(":")[-1] for a in about if a)
    return unique_id(id_from_name(name, fallback=collection.rstrip("s")), _ids(data, collection))


@bp.route("/<collection>/new", methods=["GET", "POST"])
@require("editor")
def new(collection: str) -> Any:
    """Create a record. A "Find" button asks for a picker's matches without saving."""
    _collection(collection)
    if request.method == "GET":
        # A link may fill fields in, e.g. the blind-spot view's "what to agree on".
        prefilled = {c: request.args[c] for c in columns(collection) if c in request.args}
        return _form(collection, prefilled, errors={}, general=[], version=None)
    cells, errors, picks = _submitted(collection)
    if request.form.get("_find"):
        return _form(collection, cells, picks=picks, errors=errors, general=[], version=None)
    record, problems = record_from_cells(collection, cells, reference(), dataset=dataset())
    if record is not None and not errors:
        try:
            workspace().add(collection, [record], actor=_actor())
        except DatasetError as exc:
            problems = list(exc.problems)
    if problems or errors:
        found, general = _errors(collection, problems)
        for field, texts in errors.items():
            found[field] = texts  # the picker's words are clearer than "no such id"
        return _form(
            collection, cells, picks=picks, errors=found, general=general, version=None
        ), 400
    flash(t(N_("Saved %(name)s."), name=_title(collection, record)))
    return redirect(url_for("edit.records", collection=collection))


def _title(collection: str, record: Any) -> str:
    """What a reader calls the record: its name, or what it is about."""
    if collection == "organisations":
        return pick(record.name)
    return Names(dataset(), reference(), reference().years[-1]).record(record, lang())


def _actor() -> str:
    user = current_user()
    assert user is not None  # @require saw to it
    return user.name


@bp.route("/<collection>/<record_id>", methods=["GET", "POST"])
@require("editor")
def record(collection: str, record_id: str) -> Any:
    """Edit a record; the form carries the version it was read at.

    When someone else saved the record meanwhile, the reader's input stays in
    the form, what the other person changed is shown beside it, and the form
    now carries the new version: saving again keeps the reader's values.
    """
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
    cells, errors, picks = _submitted(collection)
    cells["id"] = record_id
    version = whole_number(request.form.get("version"))
    if version is None:
        abort(400)
    context: dict[str, Any] = {"record_id": record_id, "picks": picks}
    if request.form.get("_find"):
        return _form(collection, cells, errors=errors, general=[], version=version, **context)
    record, problems = record_from_cells(collection, cells, reference(), dataset=dataset())
    if record is not None and not errors:
        try:
            ws.update(collection, record, version, actor=_actor())
        except DatasetError as exc:
            problems = list(exc.problems)
        except StaleVersionError:
            return _conflict(collection, record_id, cells, context)
    if problems or errors:
        found, general = _errors(collection, problems)
        found.update(errors)
        return _form(
            collection, cells, errors=found, general=general, version=version, **context
        ), 400
    flash(t(N_("Saved %(name)s."), name=_title(collection, record)))
    return redirect(url_for("edit.records", collection=collection))


def _conflict(
    collection: str, record_id: str, cells: dict[str, str], context: dict[str, Any]
) -> tuple[str, int]:
    """The form again with the reader's input, what changed meanwhile, and the new version."""
    try:
        current = _get(collection, record_id)
    except RecordNotFoundError:
        general = [t(N_("Someone else deleted this record while you were editing it."))]
        return _form(collection, cells, errors={}, general=general, version=None, **context), 409
    theirs = _shown(collection, cells_from_record(collection, current.record), dataset())
    mine = _shown(collection, cells, dataset())
    changes = [
        (f.label, theirs.get(f.name, ""), mine.get(f.name, ""))
        for f in form_fields(collection, registry().service_kinds)
        if f.name != "id" and _same(theirs.get(f.name, "")) != _same(mine.get(f.name, ""))
    ]
    return _form(
        collection,
        cells,
        errors={},
        general=[],
        version=current.version,
        conflict=changes,
        **context,
    ), 409


def _same(value: str) -> str:
    return " ".join(value.split())


def _get(collection: str, record_id: str) -> Any:
    """The record and its version: a missing one is 404, an unusable workspace 503 (errors.py)."""
    return workspace().get(collection, record_id)


@bp.route("/<collection>/<record_id>/delete", methods=["GET", "POST"])
@require("editor")
def delete(collection: str, record_id: str) -> Any:
    """Ask, then delete a record (refused when others still refer to it)."""
    _collection(collection)
    found = _get(collection, record_id)
    if request.method == "GET":
        return render_template(
            "edit_delete.html",
            collection=collection,
            title=COLLECTION_TITLES[collection],
            record_id=record_id,
            name=_title(collection, found.record),
            version=found.version,
        )
    version = whole_number(request.form.get("version", str(found.version)))
    if version is None:
        abort(400)
    name = _title(collection, found.record)
    workspace().delete(collection, record_id, version, actor=_actor())
    flash(t(N_("Deleted %(name)s."), name=name))
    return redirect(url_for("edit.records", collection=collection))
