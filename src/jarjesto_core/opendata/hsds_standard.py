"""HSDS records without the jarjesto profile, and edits to the standard fields of profiled ones.

Another publisher's HSDS has no ``jarjesto`` object, so what a jarjesto
record needs is derived from HSDS's own fields: working languages from the
services' ``languages``, municipalities from ``service_areas`` (a
``municipality_code``, else a name matched to Statistics Finland's names) and
from the addresses' ``city``, the scope from how many municipalities and
wellbeing areas those are. Whatever had to be assumed (the language of a
name, a service's kind, a place name that matches no municipality, a scope
without any municipality) becomes a note the importer reports.

For records that do carry the profile, the standard fields a person may have
edited (``name``, a service's ``languages`` and ``service_areas``) are applied
over the profile's values; ``year_incorporated`` that disagrees with the
founding date is refused with a message, since a year alone is no date.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from jarjesto_core.errors import Problem
from jarjesto_core.i18n import N_
from jarjesto_core.model import ID_PATTERN, LANGUAGES
from jarjesto_core.reference import Reference

__all__ = [
    "ASSUMED_KIND",
    "edited_organisation",
    "edited_service",
    "match_municipalities",
    "standard_organisation",
    "standard_service",
]

#: The kind a service from another publisher gets: HSDS's taxonomies do not map
#: to jarjesto's kinds, so the import says it assumed this one.
ASSUMED_KIND: Final = "other_municipal"
_LANGUAGE_CODE: Final = re.compile(r"^[a-z]{2}$")


def dataset_id(hsds_id: Any, fallback: str) -> str:
    """A dataset id for an HSDS id: the id itself (UUIDs are valid ids), else a slug of it."""
    text = str(hsds_id).strip().lower() if hsds_id is not None else ""
    if ID_PATTERN.match(text):
        return text
    slug = re.sub(r"[^a-z0-9_.-]+", "-", text).strip("-._")
    if slug and ID_PATTERN.match(slug):
        return slug
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"hsds:{fallback}:{text}"))


def match_municipalities(
    names: Iterable[str], codes: Iterable[str], reference: Reference
) -> tuple[list[str], list[str]]:
    """Municipality codes for HSDS place names (Finnish or Swedish, any year we know).

    ``codes`` (the profile's ``municipality_code``) are taken as they are when
    they exist. Returns the codes in first-seen order and the names that
    matched no municipality.
    """
    found: list[str] = []
    unmatched: list[str] = []
    years = sorted(reference.years, reverse=True)
    for code in codes:
        if any(reference.exists(code, y) for y in years) and code not in found:
            found.append(code)
    for name in names:
        match = None
        for year in years:
            match = reference.find_municipality(name, year)
            if match is not None:
                break
        if match is None:
            if name not in unmatched:
                unmatched.append(name)
        elif match.code not in found:
            found.append(match.code)
    return found, unmatched


def _list(value: Any) -> list[Any]:
    """A JSON list, or nothing: a string or number where HSDS has a list is not one."""
    return value if isinstance(value, list) else []


def _strings(items: Any, key: str) -> list[str]:
    out: list[str] = []
    for item in items if isinstance(items, list) else []:
        value = item.get(key) if isinstance(item, Mapping) else None
        if isinstance(value, str) and value.strip():
            out.append(value.strip())
    return out


def _cities(record: Mapping[str, Any]) -> list[str]:
    """The ``city`` of every address of the record's locations (and its services' locations)."""
    locations = list(_list(record.get("locations")))
    for sal in _list(record.get("service_at_locations")):
        if isinstance(sal, Mapping) and isinstance(sal.get("location"), Mapping):
            locations.append(sal["location"])
    cities: list[str] = []
    for location in locations:
        if isinstance(location, Mapping):
            cities += _strings(location.get("addresses"), "city")
    return cities


def _places(record: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(place names, municipality codes) a record's service areas and addresses give."""
    areas = record.get("service_areas")
    return _strings(areas, "name") + _cities(record), _strings(areas, "municipality_code")


def service_languages(record: Mapping[str, Any]) -> list[str]:
    codes: list[str] = []
    for code in _strings(record.get("languages"), "code"):
        code = code.lower()
        if _LANGUAGE_CODE.match(code) and code not in codes:
            codes.append(code)
    return codes


def _note(message: str, base: Mapping[str, Any], field: str, **params: Any) -> Problem:
    return Problem(message, params, field=field, **base)


def _name(record: Mapping[str, Any], lang: str) -> Any:
    name = record.get("name")
    return {lang: name} if isinstance(name, str) and name.strip() else name


def standard_service(
    item: Mapping[str, Any],
    organisation: str,
    reference: Reference,
    lang: str,
    base: Mapping[str, Any],
    notes: list[Problem],
) -> dict[str, Any]:
    """The dataset fields of an HSDS service without the profile."""
    names, codes = _places(item)
    municipalities, unmatched = match_municipalities(names, codes, reference)
    for place in unmatched:
        notes.append(
            _note(
                N_("%(found)s matches no municipality: left out of the service's municipalities"),
                base,
                "service_areas",
                found=repr(place[:80]),
            )
        )
    notes.append(
        _note(
            N_("the service's kind is not in HSDS: assumed %(expected)s"),
            base,
            "kind",
            expected=ASSUMED_KIND,
        )
    )
    return {
        "id": dataset_id(item.get("id"), "services"),
        "organisation": organisation,
        "name": _name(item, lang),
        "kind": ASSUMED_KIND,
        "municipalities": municipalities,
        "languages": service_languages(item),
    }


def standard_organisation(
    item: Mapping[str, Any],
    services: Sequence[Mapping[str, Any]],
    reference: Reference,
    lang: str,
    base: Mapping[str, Any],
    notes: list[Problem],
) -> dict[str, Any]:
    """The dataset fields of an HSDS organisation without the profile, from it and its services."""
    languages: list[str] = []
    names: list[str] = _cities(item)
    codes: list[str] = []
    for service in services:
        languages += [c for c in service_languages(service) if c not in languages]
        more_names, more_codes = _places(service)
        names += more_names
        codes += more_codes
    municipalities, unmatched = match_municipalities(names, codes, reference)
    notes.append(
        _note(
            N_("the name's language is not in HSDS: assumed %(expected)s"),
            base,
            "name",
            expected=lang,
        )
    )
    if languages:
        notes.append(
            _note(
                N_("working languages taken from its services: %(found)s"),
                base,
                "languages",
                found=", ".join(languages),
            )
        )
    for place in unmatched:
        notes.append(
            _note(
                N_(
                    "%(found)s matches no municipality: left out of the organisation's "
                    "municipalities"
                ),
                base,
                "municipalities",
                found=repr(place[:80]),
            )
        )
    scope = _scope(municipalities, reference)
    if not municipalities:
        notes.append(
            _note(
                N_("no municipality is known: the scope is assumed %(expected)s"),
                base,
                "scope",
                expected=scope,
            )
        )
    data: dict[str, Any] = {
        "id": dataset_id(item.get("id"), "organisations"),
        "name": _name(item, lang),
        "languages": languages,
        "municipalities": municipalities,
        "scope": scope,
    }
    return data


def _scope(municipalities: Sequence[str], reference: Reference) -> str:
    """One municipality: local; several in one wellbeing area: regional; else national."""
    if len(municipalities) <= 1:
        return "local"
    year = reference.years.stop - 1
    areas = set()
    for code in municipalities:
        for y in (year, *sorted(reference.years, reverse=True)):
            found = reference.municipality(code, y)
            if found is not None:
                areas.add(found.area)
                break
    return "regional" if len(areas) <= 1 else "national"


def _primary_language(names: Mapping[str, Any], languages: Sequence[str]) -> str:
    """The language of the name an export writes in ``name`` (its first working language)."""
    first = list(languages[:1]) if isinstance(languages, (list, tuple)) and languages else ["fi"]
    for code in (*first, *LANGUAGES):
        if code in names:
            return code
    return next(iter(names), "fi")


def edited_name(
    item: Mapping[str, Any], data: dict[str, Any], *, languages: Sequence[str] | None = None
) -> None:
    """A ``name`` that is none of ``names`` was edited: it replaces the name it stood for."""
    name, names = item.get("name"), data.get("name")
    if not isinstance(name, str) or not name.strip() or not isinstance(names, Mapping):
        return
    if name in names.values():
        return
    primary = _primary_language(
        names, languages if languages is not None else data.get("languages") or []
    )
    data["name"] = {**names, primary: name}


def edited_organisation(
    item: Mapping[str, Any], data: dict[str, Any], base: Mapping[str, Any], problems: list[Problem]
) -> None:
    """Apply the standard fields edited in a profiled organisation, or refuse them."""
    edited_name(item, data)
    year = item.get("year_incorporated")
    founded = data.get("founded")
    known = founded[:4] if isinstance(founded, str) else None
    if year is not None and str(year) != known:
        problems.append(
            _note(
                N_(
                    "year_incorporated %(found)s differs from the founding date %(expected)s: "
                    "a year is no date, so change jarjesto.founded instead"
                ),
                base,
                "year_incorporated",
                found=repr(year),
                expected=founded or "—",
            )
        )


def edited_service(
    item: Mapping[str, Any],
    data: dict[str, Any],
    organisation: Mapping[str, Any] | None,
    reference: Reference,
    base: Mapping[str, Any],
    problems: list[Problem],
) -> None:
    """Apply a profiled service's edited ``languages`` and ``service_areas``.

    The export writes the effective values (the service's own, else its
    organisation's); when they differ from those, the file's become the
    service's own.
    """
    own = organisation or {}
    effective_languages = _list(data.get("languages")) or own.get("languages") or []
    if "languages" in item:
        languages = service_languages(item)
        if languages != list(effective_languages):
            data["languages"] = languages
    effective_places = _list(data.get("municipalities")) or own.get("municipalities") or []
    if "service_areas" in item:
        codes = _strings(item.get("service_areas"), "municipality_code")
        # A profiled area names its code; a name is matched only where the code is missing.
        areas = [a for a in _list(item.get("service_areas")) if isinstance(a, Mapping)]
        uncoded = [
            a["name"]
            for a in areas
            if not a.get("municipality_code") and isinstance(a.get("name"), str)
        ]
        found, unmatched = match_municipalities(uncoded, codes, reference)
        for place in unmatched:
            problems.append(
                _note(
                    N_("%(found)s matches no municipality"),
                    base,
                    "service_areas",
                    found=repr(place[:80]),
                )
            )
        if not unmatched and found != list(effective_places):
            data["municipalities"] = found
