"""Check an export against the standards' own JSON Schemas, offline.

The schemas ship in ``schemas/`` (package data, with their licences and
PROVENANCE.md), so validation needs no network and no ``../shared``.
Format checking is always on: 360Giving's dates are
``oneOf[{format: date-time}, {pattern: YYYY-MM-DD}]``, and without a checker
that really enforces ``date-time`` a plain date matches both branches and
``oneOf`` rejects it. jsonschema enforces ``date-time`` only with
``rfc3339-validator`` installed and ``uri`` only with ``rfc3986-validator``
(the ``jsonschema[format-nongpl]`` extra), so :func:`format_checker` refuses
to run without them rather than pass everything silently.

jsonschema is imported lazily: ``import jarjesto_core`` stays light, and
only validation needs the ``opendata`` extra.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from jsonschema import FormatChecker
    from referencing import Registry

__all__ = [
    "GIVING360_SCHEMA",
    "HSDS_BASE",
    "POPOLO_BASE",
    "format_checker",
    "merge_patch",
    "schema_dir",
    "validate_export",
]

HSDS_BASE: Final = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
#: Hierarchical (relative $refs must resolve) and under the reserved .invalid
#: domain, so nothing ever tries to fetch it.
PROFILE_BASE: Final = "https://jarjesto.invalid/hsds-profile/1.0/schema/"
GIVING360_SCHEMA: Final = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json"
#: The package schema's items still point at the 1.4.2 URL (see PROVENANCE.md).
GIVING360_SCHEMA_142: Final = GIVING360_SCHEMA.replace("1.4.3", "1.4.2")
GIVING360_PACKAGE: Final = "360-giving-package-schema.json"
POPOLO_BASE: Final = "http://www.popoloproject.com/schemas/"


def schema_dir() -> Traversable:
    return resources.files("jarjesto_core.opendata").joinpath("schemas")


def _load(*parts: str) -> Any:
    return json.loads(schema_dir().joinpath(*parts).read_text(encoding="utf-8"))


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: how an HSDS profile modifies a schema."""
    if not isinstance(patch, Mapping):
        return patch
    result = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def format_checker() -> FormatChecker:
    """A Draft 2020-12 checker that really checks ``date-time`` and ``uri``."""
    from jsonschema import Draft202012Validator

    checker = Draft202012Validator.FORMAT_CHECKER
    probes = {"date-time": "2024-01-01", "uri": "not a uri", "uuid": "x", "date": "2024-13-01"}
    missing = [f for f, bad in probes.items() if checker.conforms(bad, f)]
    if missing:
        raise RuntimeError(
            "format checking is not enforced for "
            + ", ".join(missing)
            + ": install jsonschema[format-nongpl] (rfc3339-validator, rfc3986-validator)"
        )
    return checker


@functools.cache
def _hsds_registry(profile: bool) -> Registry:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    base = PROFILE_BASE if profile else HSDS_BASE
    resources_: list[tuple[str, Resource]] = []
    for entry in schema_dir().joinpath("hsds-3.0").iterdir():
        if not entry.name.endswith(".json") or entry.name == "openapi.json":
            continue
        schema = _load("hsds-3.0", entry.name)
        patch = schema_dir().joinpath("jarjesto-hsds-profile", entry.name)
        if profile and patch.is_file():
            schema = merge_patch(schema, _load("jarjesto-hsds-profile", entry.name))
        # The HSDS files carry no $id; give each its URI so relative $refs resolve.
        schema = {**schema, "$id": base + entry.name}
        resources_.append(
            (base + entry.name, Resource.from_contents(schema, default_specification=DRAFT202012))
        )
    return Registry().with_resources(resources_)


@functools.cache
def _giving_registry() -> Registry:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    grant = Resource.from_contents(_load("360giving-1.4.3", "360-giving-schema.json"), DRAFT202012)
    package = Resource.from_contents(_load("360giving-1.4.3", GIVING360_PACKAGE), DRAFT202012)
    return Registry().with_resources(
        [
            (GIVING360_SCHEMA, grant),
            (GIVING360_SCHEMA_142, grant),
            (GIVING360_SCHEMA.replace("360-giving-schema.json", GIVING360_PACKAGE), package),
        ]
    )


@functools.cache
def _popolo_registry() -> Registry:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT3

    pairs = []
    for entry in schema_dir().joinpath("popolo").iterdir():
        if entry.name.endswith(".json"):
            resource = Resource.from_contents(_load("popolo", entry.name), DRAFT3)
            pairs.append((POPOLO_BASE + entry.name, resource))
    return Registry().with_resources(pairs)


def _errors(validator: Any, instance: Any, where: str) -> list[str]:
    out = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in error.absolute_path)
        out.append(f"{where}{'/' + path if path else ''}: {error.message}")
    return out


def _check(
    cls: Any, ref: str, registry: Registry, instances: Iterable[tuple[str, Any]]
) -> list[str]:
    validator = cls({"$ref": ref}, registry=registry, format_checker=format_checker())
    out: list[str] = []
    for where, instance in instances:
        out.extend(_errors(validator, instance, where))
    return out


def validate_export(fmt: str, files: Mapping[str, bytes], *, profile: bool = True) -> list[str]:
    """Every schema error of an export's files, as ``file/json/path: message``; [] when valid.

    For HSDS, ``profile=True`` checks against the HSDS schemas merged with
    the jarjesto profile (stricter: the profile's fields are typed too);
    ``profile=False`` against plain HSDS 3.0.
    """
    from jsonschema import Draft3Validator, Draft202012Validator

    docs = {name: json.loads(data) for name, data in files.items()}
    if fmt == "hsds":
        registry = _hsds_registry(profile)
        base = PROFILE_BASE if profile else HSDS_BASE
        openapi = _load("hsds-3.0", "openapi.json")
        index_schema = openapi["paths"]["/"]["get"]["responses"]["200"]["content"][
            "application/json"
        ]["schema"]
        page_schema = openapi["components"]["schemas"]["Page"]
        errors = _errors(
            Draft202012Validator(index_schema, format_checker=format_checker()),
            docs["index.json"],
            "index.json",
        )
        for name, schema in (("organizations.json", "organization"), ("services.json", "service")):
            errors += _errors(
                Draft202012Validator(page_schema, format_checker=format_checker()),
                docs[name],
                name,
            )
            errors += _check(
                Draft202012Validator,
                f"{base}{schema}.json",
                registry,
                ((f"{name}/contents/{i}", r) for i, r in enumerate(docs[name]["contents"])),
            )
        # One file a record (``organizations/{id}.json``, ``services/{id}.json``).
        for directory, schema in (("organizations/", "organization"), ("services/", "service")):
            errors += _check(
                Draft202012Validator,
                f"{base}{schema}.json",
                registry,
                ((n, d) for n, d in sorted(docs.items()) if n.startswith(directory)),
            )
        return errors
    if fmt == "360giving":
        package = GIVING360_SCHEMA.replace("360-giving-schema.json", GIVING360_PACKAGE)
        return _check(
            Draft202012Validator,
            package,
            _giving_registry(),
            [("grants.json", docs["grants.json"])],
        )
    if fmt == "popolo":
        doc = docs["popolo.json"]
        errors = []
        for collection, schema in (
            ("organizations", "organization"),
            ("memberships", "membership"),
            ("posts", "post"),
        ):
            errors += _check(
                Draft3Validator,
                f"{POPOLO_BASE}{schema}.json",
                _popolo_registry(),
                ((f"popolo.json/{collection}/{i}", r) for i, r in enumerate(doc[collection])),
            )
        return errors
    raise KeyError(fmt)
