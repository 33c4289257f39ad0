"""CSV and .xlsx upload with a preview, and downloads of the register and the assessments.

The upload runs the CLI's import steps (:mod:`jarjesto_core.importing`), with
an optional mapping file (TOML) as ``jarjesto import --map`` takes: a file
with any bad row is refused whole, each problem naming its row. A good file
is shown first (the first rows as mapped, the warnings, what it holds); the
confirm form carries the file and the mapping back (base64) and they are
imported again against the workspace as it is then.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import zipfile
from typing import Any

import attrs
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from jarjesto_core.csvio import cells_from_record, columns, write_csv
from jarjesto_core.errors import DatasetError
from jarjesto_core.i18n import N_, NP_
from jarjesto_core.model import COLLECTIONS, PartyRef
from jarjesto_core.query import filter_organisations
from jarjesto_core.serialise import unstructure_record
from jarjesto_web.auth import current_user, require
from jarjesto_web.context import assessed, cached, dataset, reference, registry, workspace, year
from jarjesto_web.i18n import lang, t
from jarjesto_web.security import CSP, style_hashes
from jarjesto_web.views.edit import COLLECTION_TITLES
from jarjesto_web.views.pages import register_index

__all__ = ["bp"]

bp = Blueprint("transfer", __name__)

#: What the upload accepts by name; the content is then parsed as CSV or as an
#: Excel workbook, row by row. The file and the mapping together are capped by
#: UPLOAD_LIMIT, so that the confirmation can carry them back (MAX_CONTENT_LENGTH).
UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx")


def _import(
    collection: str, data: bytes, filename: str, mapping: bytes, complete: bool, source: str
) -> Any:
    """The import steps of ``jarjesto import``; ``complete`` and ``source`` as ``--complete
    --source`` (a complete list records its coverage)."""
    from jarjesto_core.importing import import_table, read_table
    from jarjesto_core.mapping import ImportMap, load_map, with_complete

    rules = (
        load_map(mapping, file="mapping.toml", collection=collection)
        if mapping.strip()
        else ImportMap(collection=collection)
    )
    if complete:
        rules = with_complete(rules, source or None)
    table = read_table(data, file=filename, sheet=rules.sheet)
    return import_table(
        dataset(),
        table,
        rules,
        reference=reference(),
        service_kinds=registry().service_kinds,
    )


def _form(problems: list[str], collection: str) -> Any:
    return render_template(
        "upload.html",
        titles=COLLECTION_TITLES,
        problems=problems,
        chosen=collection,
        complete=request.form.get("complete") == "1",
        source=request.form.get("source", ""),
        saved=_saved_maps(),
        saved_chosen=request.form.get("saved_mapping", ""),
    ), 400


def _saved_maps() -> list[str]:
    """The names of the import mappings saved in the workspace."""
    return list(workspace().import_maps())


def _complete_fields() -> tuple[bool, str]:
    """The form's "the file is complete" box and the list's source."""
    return request.form.get("complete") == "1", request.form.get("source", "").strip()


@bp.route("/upload", methods=["GET", "POST"])
@require("editor")
def upload() -> Any:
    """Upload a collection's CSV or .xlsx file (and a mapping) and see what it would add."""
    if request.method == "GET":
        return render_template(
            "upload.html", titles=COLLECTION_TITLES, problems=None, saved=_saved_maps()
        )
    collection = request.form.get("collection", "")
    if collection not in COLLECTIONS:
        abort(400)
    file = request.files.get("file")
    if file is None or not file.filename:
        return _form([t(N_("Choose a CSV file to upload."))], collection)
    if not file.filename.lower().endswith(UPLOAD_SUFFIXES):
        return _form(
            [t(N_("%(file)s is not a CSV file: upload a .csv file."), file=file.filename)],
            collection,
        )
    mapping_file = request.files.get("mapping")
    mapping = mapping_file.read() if mapping_file is not None and mapping_file.filename else b""
    saved_name = request.form.get("saved_mapping", "")
    if not mapping and saved_name:
        saved = workspace().import_maps()
        if saved_name not in saved:
            return _form([t(N_("No mapping of that name is saved in the workspace."))], collection)
        mapping = saved[saved_name].encode("utf-8")
    limit = current_app.config["UPLOAD_LIMIT"]
    data = file.read(limit + 1)
    if len(data) + len(mapping) > limit:
        abort(413)  # larger than its confirmation could carry
    complete, source = _complete_fields()
    try:
        outcome = _import(collection, data, file.filename, mapping, complete, source)
    except DatasetError as exc:
        return _form([p.render(lang()) for p in exc.problems], collection)
    from jarjesto_core.quality import coverage_text, summary_text

    return render_template(
        "upload_preview.html",
        collection=collection,
        title=COLLECTION_TITLES[collection],
        columns=columns(collection),
        rows=[
            (outcome.rows.get(r.id), cells_from_record(collection, r))
            for r in outcome.added[:PREVIEW_ROWS]
        ],
        count=len(outcome.added),
        created=[o.name.pick(lang()) for o in outcome.created],
        warnings=[w.render(lang()) for w in outcome.warnings],
        summary=summary_text(outcome, lang()),
        coverage=[coverage_text(c, lang()) for c in outcome.coverage],
        complete=complete,
        source=source,
        save_as=saved_name,
        payload=base64.b64encode(data).decode("ascii"),
        mapping=base64.b64encode(mapping).decode("ascii"),
        filename=file.filename,
    )


def _map_to_keep(collection: str, mapping: bytes, complete: bool) -> str:
    """The mapping as next year's list of the same shape needs it: a complete list's
    ``[complete]`` without this list's years and source (as ``jarjesto import --save-map``
    keeps it)."""
    from jarjesto_core.mapping import dump_map, load_map, with_complete

    rules = load_map(mapping, file="mapping.toml", collection=collection)
    if complete:
        rules = with_complete(rules)
    if rules.complete is not None:
        rules = attrs.evolve(rules, complete=attrs.evolve(rules.complete, years=(), source=None))
    return dump_map(rules)


#: Rows the preview shows; the count says how many the file has.
PREVIEW_ROWS = 20


@bp.route("/upload/confirm", methods=["POST"])
@require("editor")
def confirm() -> Any:
    """Add the previewed file's records, audited under the user's name."""
    collection = request.form.get("collection", "")
    if collection not in COLLECTIONS:
        abort(400)
    try:
        data = base64.b64decode(request.form.get("payload", ""), validate=True)
        mapping = base64.b64decode(request.form.get("mapping", ""), validate=True)
    except (binascii.Error, ValueError):
        abort(400)
    filename = request.form.get("filename", "upload.csv")
    from jarjesto_core.importing import write_to_workspace

    ws = workspace()
    version = ws.data_version()
    complete, source = _complete_fields()
    outcome = _import(collection, data, filename, mapping, complete, source)
    user = current_user()
    assert user is not None
    save_as = request.form.get("save_as", "").strip()
    keep = _map_to_keep(collection, mapping, complete) if save_as and mapping.strip() else None
    if keep is not None:
        from jarjesto_core.workspace.import_maps import check_import_map

        check_import_map(save_as, keep)  # before anything is written: a bad name adds nothing
    write_to_workspace(ws, outcome, user.name, version)
    added = NP_("Added one record.", "Added %(count)d records.")
    flash(t(added, count=len(outcome.added) + len(outcome.created)))
    if keep is not None:
        ws.save_import_map(save_as, keep, user.name)
        flash(t(N_("Saved the mapping in the workspace as %(name)s."), name=save_as))
    return redirect(url_for("edit.records", collection=collection))


@bp.route("/download/organisations.<fmt>")
def organisations(fmt: str) -> Response:
    """The register as filtered on its page, as CSV or JSON."""
    found = filter_organisations(
        dataset(), reference(), year(), request.args, index=register_index()
    )
    if fmt == "csv":
        return Response(
            write_csv("organisations", found),
            mimetype="text/csv",
            headers={"Content-Disposition": "attachment; filename=organisations.csv"},
        )
    if fmt == "json":
        body = json.dumps([unstructure_record(o) for o in found], ensure_ascii=False, indent=2)
        return Response(
            body,
            mimetype="application/json",
            headers={"Content-Disposition": "attachment; filename=organisations.json"},
        )
    abort(404)


@bp.route("/download/opendata/<fmt>")
def open_data(fmt: str) -> Response:
    """The register as filtered on its page, in an open-data standard.

    The register's filters choose the organisations (and with them their
    services and agreements); an area or municipality filter and the year
    also limit bodies and posts, as ``jarjesto export --format`` does. HSDS
    is several JSON files, so it comes as a zip.
    """
    from jarjesto_core.opendata import EXPORTERS, Filter

    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        abort(404)
    data, ref, y = dataset(), reference(), year()
    found = filter_organisations(data, ref, y, request.args, index=register_index())
    keep = {o.id for o in found}
    chosen = attrs.evolve(
        data,
        organisations=tuple(found),
        services=tuple(s for s in data.services if s.organisation in keep),
        agreements=tuple(a for a in data.agreements if a.organisation in keep),
    )
    municipality = request.args.get("municipality", "").strip()
    area = request.args.get("area", "").strip()
    scope = (
        Filter.for_municipality(municipality)
        if municipality
        else Filter.for_area(area)
        if area
        else None
    )
    # dateModified and last_modified from the audit log, as a workspace export has them.
    changed = workspace().last_changed()
    files = exporter.export(chosen, ref, year=y, scope=scope, changed=changed).files
    if len(files) == 1:
        ((name, body),) = files.items()
        return Response(
            body,
            mimetype="application/json",
            headers={"Content-Disposition": f"attachment; filename={fmt}-{name}"},
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name])
    return Response(
        buffer.getvalue(),
        mimetype="application/zip",
        headers={"Content-Disposition": f"attachment; filename={fmt}.zip"},
    )


@bp.route("/download/assessment/<party>.<fmt>")
def assessment(party: str, fmt: str) -> Response:
    """One subject's assessment as HTML, Markdown or JSON, in the reader's language."""
    reg = registry()
    if fmt not in ("html", "markdown", "json") or fmt not in reg.report_formats:
        abort(404)
    try:
        subject = PartyRef.parse(party)
    except ValueError:
        abort(404)
    y = year()
    if not reference().party_exists(subject, y):
        abort(404)
    # The same key as the area and municipality pages: their download link is instant.
    result = assessed(y, (subject,))
    report = reg.report_formats[fmt]
    filename = f"assessment-{subject.kind.value}-{subject.code}-{y}.{report.extension}"
    body = report.render(result, lang())
    headers = {"Content-Disposition": f"inline; filename={filename}"}
    if fmt == "html":
        # The standalone report styles itself inline; allow exactly its own styles.
        headers["Content-Security-Policy"] = CSP.replace(
            "style-src 'self'", " ".join(["style-src 'self'", *style_hashes(body)])
        )
    return Response(body, mimetype=report.media_type.split(";")[0], headers=headers)


@bp.route("/download/summary/<party>.<fmt>")
def summary(party: str, fmt: str) -> Response:
    """One subject's board summary (jarjesto report) as a printable HTML page or a PDF."""
    from jarjesto_core.reports.board import render_html, render_pdf, summarise_board

    if fmt not in ("html", "pdf"):
        abort(404)
    try:
        subject = PartyRef.parse(party)
    except ValueError:
        abort(404)
    y = year()
    if not reference().party_exists(subject, y):
        abort(404)
    result = cached(
        ("board", y, subject),
        lambda: summarise_board(dataset(), y, subject, registry=registry(), reference=reference()),
    )
    filename = f"summary-{subject.kind.value}-{subject.code}-{y}.{fmt}"
    headers = {"Content-Disposition": f"inline; filename={filename}"}
    if fmt == "pdf":
        return Response(render_pdf(result, lang()), mimetype="application/pdf", headers=headers)
    body = render_html(result, lang())
    # The page styles itself inline (its charts are data: images); allow exactly its own styles.
    headers["Content-Security-Policy"] = CSP.replace(
        "style-src 'self'", " ".join(["style-src 'self'", *style_hashes(body)])
    )
    return Response(body, mimetype="text/html", headers=headers)
