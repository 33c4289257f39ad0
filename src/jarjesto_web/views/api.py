"""The JSON API under ``/api/v1/``: read every collection and the assessment; write with a token.

Reads follow the UI (public mode, a session, or a token); writes need an
``Authorization: Bearer TOKEN`` of an editor and never a cookie, which is
why this blueprint is exempt from CSRF tokens. Records are in the dataset
file's form; an update or delete names the version it is based on.
"""

from __future__ import annotations

from typing import Any

import attrs
from flask import Blueprint, abort, current_app, g, request, url_for

from jarjesto_core.assessment import assess
from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_
from jarjesto_core.model import COLLECTIONS, PartyRef
from jarjesto_core.serialise import INT_MAX, decode_json, parse_record, unstructure_record
from jarjesto_core.workspace.users import User, user_for_token
from jarjesto_web.auth import session_user
from jarjesto_web.context import assessed, dataset, reference, registry, workspace, year
from jarjesto_web.i18n import lang
from jarjesto_web.params import whole_number

__all__ = ["bp", "openapi_document"]

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _token_user() -> User | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = user_for_token(workspace(), header[7:].strip())
        if user is None:
            abort(401)
        return user
    return None


@bp.before_request
def _authenticate() -> None:
    g.api_user = _token_user()
    if request.endpoint == "api.openapi":
        return
    if request.method in ("GET", "HEAD"):
        if g.api_user is None and not current_app.config["PUBLIC"] and session_user() is None:
            abort(401)
        return
    if g.api_user is None:
        abort(401)
    if not g.api_user.can("editor"):
        abort(403)


def _collection(name: str) -> str:
    if name not in COLLECTIONS:
        abort(404)
    return name


@bp.get("/<collection>")
def list_records(collection: str) -> Any:
    """A collection's records."""
    return {
        "records": [unstructure_record(r) for r in dataset().collection(_collection(collection))]
    }


@bp.get("/<collection>/<record_id>")
def get_record(collection: str, record_id: str) -> Any:
    """One record and its version (404 when there is none; 503 when the workspace cannot say)."""
    found = workspace().get(_collection(collection), record_id)
    return {"record": unstructure_record(found.record), "version": found.version}


def _payload(collection: str) -> dict[str, Any]:
    """The request's JSON object, read as a dataset file is (duplicate keys, depth, size)."""
    try:
        text = request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError:
        text = None
    payload, problem = (None, None) if text is None else decode_json(text)
    if problem is not None:
        # Named by collection like every other API problem; a body has no lines to speak of.
        raise DatasetError([attrs.evolve(problem, collection=collection, line=None, column=None)])
    if not isinstance(payload, dict) or not isinstance(payload.get("record"), dict):
        raise DatasetError(
            [Problem(N_('expected a JSON object {"record": {...}}'), collection=collection)]
        )
    return payload


def _body(collection: str) -> Any:
    """The body's record, checked field by field as a dataset file's record is."""
    return parse_record(_payload(collection)["record"], collection)


@bp.post("/<collection>")
def create_record(collection: str) -> Any:
    """Add a record (editor token)."""
    record = _body(_collection(collection))
    workspace().add(collection, [record], actor=g.api_user.name)
    version = workspace().version_of(collection, record.id)
    return {"record": unstructure_record(record), "version": version}, 201


@bp.put("/<collection>/<record_id>")
def update_record(collection: str, record_id: str) -> Any:
    """Replace a record; ``version`` in the body is the one the change is based on."""
    record = _body(_collection(collection))
    version = _payload(collection).get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not 0 <= version <= INT_MAX:
        abort(400, description="version")
    if record.id != record_id:
        abort(400, description="id")
    new_version = workspace().update(collection, record, version, actor=g.api_user.name)
    return {"record": unstructure_record(record), "version": new_version}


@bp.delete("/<collection>/<record_id>")
def delete_record(collection: str, record_id: str) -> Any:
    """Delete a record; ``?version=`` is the one the deletion is based on."""
    version = whole_number(request.args.get("version"))
    if version is None:
        abort(400, description="version")
    workspace().delete(_collection(collection), record_id, version, actor=g.api_user.name)
    return "", 204


@bp.get("/assessment")
def assessment() -> Any:
    """The assessment document of criteria.md; ``?party=area:14`` limits it to one subject."""
    subjects = None
    party = request.args.get("party")
    if party:
        try:
            subjects = [PartyRef.parse(party)]
        except ValueError:
            abort(400)
    y = year()
    # Kept per data version for every subject, or one that exists (a key a client
    # chose must not grow the cache); the pages share the one-subject entries.
    if subjects is None or reference().party_exists(subjects[0], y):
        result = assessed(y, None if subjects is None else tuple(subjects))
    else:
        result = assess(dataset(), y, subjects, registry=registry(), reference=reference())
    return result.as_json(lang())


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3.1 description of this API."""
    return openapi_document(url_for("api.openapi", _external=False).rsplit("/", 1)[0])


def openapi_document(base: str) -> dict[str, Any]:
    record = {"type": "object", "description": "A record in the dataset file's form."}
    versioned = {
        "type": "object",
        "properties": {"record": record, "version": {"type": "integer"}},
        "required": ["record", "version"],
    }
    error = {"$ref": "#/components/schemas/Error"}
    collection = {
        "name": "collection",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": list(COLLECTIONS)},
    }
    record_id = {"name": "record_id", "in": "path", "required": True, "schema": {"type": "string"}}

    def answer(schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    errors = {
        "400": answer(error, "Invalid input; every problem is listed."),
        "401": answer(error, "Not logged in, or no valid token."),
        "403": answer(error, "The token's user is not an editor."),
        "404": answer(error, "No such collection or record."),
        "409": answer(error, "The record changed since the given version."),
        "503": answer(error, "The workspace cannot answer: not initialised, out of date or down."),
    }
    write: list[dict[str, list[str]]] = [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "jarjesto API", "version": "1"},
        "servers": [{"url": base}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "status": {"type": "integer"},
                                "title": {"type": "string"},
                                "detail": {"type": "string"},
                                "problems": {"type": "array", "items": {"type": "string"}},
                            },
                            "required": ["status", "title"],
                        }
                    },
                    "required": ["error"],
                }
            },
        },
        "paths": {
            "/{collection}": {
                "parameters": [collection],
                "get": {
                    "summary": "A collection's records",
                    "responses": {
                        "200": answer(
                            {
                                "type": "object",
                                "properties": {"records": {"type": "array", "items": record}},
                            },
                            "The records.",
                        ),
                        **errors,
                    },
                },
                "post": {
                    "summary": "Add a record",
                    "security": write,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"record": record},
                                    "required": ["record"],
                                }
                            }
                        },
                    },
                    "responses": {"201": answer(versioned, "Added."), **errors},
                },
            },
            "/{collection}/{record_id}": {
                "parameters": [collection, record_id],
                "get": {
                    "summary": "One record and its version",
                    "responses": {"200": answer(versioned, "The record."), **errors},
                },
                "put": {
                    "summary": "Replace a record based on a version",
                    "security": write,
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": versioned}},
                    },
                    "responses": {"200": answer(versioned, "Replaced."), **errors},
                },
                "delete": {
                    "summary": "Delete a record based on a version",
                    "security": write,
                    "parameters": [
                        {
                            "name": "version",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {"204": {"description": "Deleted."}, **errors},
                },
            },
            "/assessment": {
                "get": {
                    "summary": "The assessment document of criteria.md",
                    "parameters": [
                        {"name": "party", "in": "query", "schema": {"type": "string"}},
                        {"name": "year", "in": "query", "schema": {"type": "integer"}},
                        {"name": "lang", "in": "query", "schema": {"enum": ["fi", "sv", "en"]}},
                    ],
                    "responses": {
                        "200": answer({"type": "object"}, "The assessment."),
                        **errors,
                    },
                }
            },
        },
    }
