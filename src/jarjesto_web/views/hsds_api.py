"""A live, read-only HSDS 3.0 API under ``/hsds/`` (Open Referral), with the jarjesto profile.

The records are the HSDS export's (:class:`jarjesto_core.opendata.HsdsExporter`),
built once per data version; each request only pages and filters them. The
endpoints are HSDS's own (``/``, ``/organizations``, ``/organizations/{id}``,
``/services``, ``/services/{id}``) with its paging (``page``, ``per_page``) and
the standard filters that cost nothing here (``search``, ``organization_id``,
``modified_after``). ``/`` names the profile by a URL this app serves:
``/hsds/profile/`` explains it and links its JSON files. Reads follow the
rest of the app: public mode, a session, or an API token.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any, Final

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)

from jarjesto_core.i18n import N_
from jarjesto_core.opendata.hsds import HSDS_VERSION, HsdsExporter, index_document
from jarjesto_core.opendata.validation import schema_dir
from jarjesto_core.workspace.users import user_for_token
from jarjesto_web.auth import session_user
from jarjesto_web.context import cached, dataset, reference, workspace
from jarjesto_web.i18n import t

__all__ = ["DEFAULT_PER_PAGE", "MAX_PER_PAGE", "PROFILE_FILES", "bp"]

bp = Blueprint("hsds", __name__, url_prefix="/hsds")

DEFAULT_PER_PAGE: Final = 50
MAX_PER_PAGE: Final = 1000
#: The profile's JSON Merge Patches to HSDS's schema files, served as they ship.
PROFILE_FILES: Final = ("organization.json", "service.json", "service_area.json")


@bp.before_request
def _may_read() -> None:
    """As ``/api/v1/``: public mode, a logged-in session, or a bearer token."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        if user_for_token(workspace(), header[7:].strip()) is None:
            abort(401)
        return
    if current_app.config["PUBLIC"] or request.endpoint in ("hsds.profile", "hsds.profile_file"):
        return
    if session_user() is None:  # a live session, as /api/v1/ checks it
        abort(401)


def _records() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every organisation and service as HSDS records, once per data version."""

    def build() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        changed = workspace().last_changed()
        return HsdsExporter(records=False).records_of(dataset(), reference(), changed=changed)

    return cached(("hsds-api",), build)


def _by_id(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records}


def _index() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    organizations, services = _records()
    return cached(("hsds-api-ids",), lambda: (_by_id(organizations), _by_id(services)))


def _positive(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1 or (maximum is not None and int(raw) > maximum):
        abort(400, description=name)
    return int(raw)


def _page(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """HSDS's ``Page``: ``page`` counts from 1; a page past the end is empty, not an error."""
    page = _positive("page", 1)
    per_page = _positive("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    total = len(records)
    pages = max(1, -(-total // per_page))
    contents = list(records[(page - 1) * per_page : page * per_page])
    return {
        "contents": contents,
        "empty": not contents,
        "first_page": page == 1,
        "last_page": page >= pages,
        "page_number": page,
        "size": len(contents),
        "total_items": total,
        "total_pages": pages,
    }


def _search() -> Callable[[dict[str, Any]], bool]:
    """``search``: every word in a name (any language) or the description, case-folded."""
    words = request.args.get("search", "").casefold().split()

    def matches(record: dict[str, Any]) -> bool:
        text = " ".join(
            [
                record.get("name", ""),
                record.get("description", ""),
                *record.get("names", {}).values(),
            ]
        ).casefold()
        return all(w in text for w in words)

    return matches


def _modified_after() -> dt.datetime | None:
    raw = request.args.get("modified_after", "")
    if not raw:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        abort(400, description="modified_after")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _json(document: Any) -> Response:
    return Response(
        json.dumps(document, ensure_ascii=False, sort_keys=True),
        mimetype="application/json",
    )


@bp.get("/")
def index() -> Response:
    """HSDS's ``/``: the version, the profile's URL and the OpenAPI document's."""
    return _json(
        {
            "version": HSDS_VERSION,
            "profile": url_for("hsds.profile", _external=True),
            "openapi_url": url_for("hsds.openapi", _external=True),
            # Where a missing record means "none" (the profile's coverage).
            **cached(("hsds-api-index",), lambda: index_document(dataset(), reference())),
        }
    )


@bp.get("/organizations")
def organizations() -> Response:
    """Organisations, a page at a time; ``search`` filters."""
    records, _services = _records()
    if request.args.get("search"):
        matches = _search()
        records = [r for r in records if matches(r)]
    return _json(_page(records))


@bp.get("/organizations/<record_id>")
def organization(record_id: str) -> Response:
    found = _index()[0].get(record_id)
    if found is None:
        abort(404)
    return _json(found)


@bp.get("/services")
def services() -> Response:
    """Services, a page at a time; ``search``, ``organization_id`` and ``modified_after`` filter."""
    _organizations, records = _records()
    owner = request.args.get("organization_id", "")
    if owner:
        records = [r for r in records if r["organization_id"] == owner]
    if request.args.get("search"):
        matches = _search()
        records = [r for r in records if matches(r)]
    after = _modified_after()
    if after is not None:
        records = [
            r
            for r in records
            if "last_modified" in r
            and dt.datetime.fromisoformat(r["last_modified"].replace("Z", "+00:00")) >= after
        ]
    return _json(_page(records))


@bp.get("/services/<record_id>")
def service(record_id: str) -> Response:
    found = _index()[1].get(record_id)
    if found is None:
        abort(404)
    return _json(found)


@bp.get("/openapi.json")
def openapi() -> Response:
    """HSDS 3.0's own OpenAPI document (CC BY-SA 4.0, Open Referral), as it ships."""
    text = schema_dir().joinpath("hsds-3.0", "openapi.json").read_text(encoding="utf-8")
    return Response(text, mimetype="application/json")


@bp.get("/profile/")
def profile() -> str:
    """A page that explains the jarjesto profile and links its files."""
    return render_template(
        "hsds_profile.html",
        files=[(name, url_for("hsds.profile_file", name=name)) for name in PROFILE_FILES],
        title=t(N_("The jarjesto HSDS profile")),
    )


@bp.get("/profile/<name>")
def profile_file(name: str) -> Response:
    """One of the profile's JSON Merge Patches to an HSDS schema file."""
    if name not in PROFILE_FILES:
        abort(404)
    text = schema_dir().joinpath("jarjesto-hsds-profile", name).read_text(encoding="utf-8")
    return Response(text, mimetype="application/json")
