"""Open Referral HSDS 3.0: organisations and services out to a service directory, and back.

The export is three JSON documents, shaped as HSDS's own API responses so a
static directory can serve them: ``index.json`` (the ``/`` response naming
HSDS 3.0 and the jarjesto profile), ``organizations.json`` and
``services.json`` (each an API ``Page`` of fully nested records). HSDS ids
must be UUIDs: they are uuid5 over collection and dataset id, so a re-export
keeps them. What HSDS has no term for (the names in fi/sv/en, the jarjesto
record's own fields) travels in the *jarjesto HSDS profile*: a ``names``
object and a ``jarjesto`` object, added to the HSDS schemas by JSON Merge
Patch files in ``schemas/jarjesto-hsds-profile/`` (``docs/opendata.md``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
from attrs import frozen
from cattrs.errors import ClassValidationError

from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_, translate
from jarjesto_core.model import (
    LANGUAGES,
    Agreement,
    AgreementKind,
    Coverage,
    Dataset,
    Domain,
    Name,
    Organisation,
    Service,
)
from jarjesto_core.opendata.common import (
    BUSINESS_ID_SCHEME,
    Changed,
    ExportResult,
    Filter,
    Selection,
    dataset_language,
    dump_json,
    effective_languages,
    effective_municipalities,
    json_number,
    municipality_name,
    stable_uuid,
)
from jarjesto_core.reference import Reference
from jarjesto_core.serialise import (
    FieldError,
    _leaf_problems,
    structure_record,
    unstructure_record,
)
from jarjesto_core.validation import validate

__all__ = [
    "COVERAGE_COLLECTIONS",
    "HSDS_VERSION",
    "PROFILE_URI",
    "HsdsExporter",
    "HsdsImport",
    "import_hsds",
    "index_document",
    "merge_imported",
]

HSDS_VERSION: Final = "3.0"
#: The profile's URI in a file export, which has no web home of its own: the
#: live API (``/hsds/``) names the resolvable URL where the app serves the
#: profile instead, and a publisher that serves the files sets ``profile_uri``
#: (``jarjesto export --profile-url``) to where it serves the profile.
PROFILE_URI: Final = "urn:jarjesto:hsds-profile:1.2"
#: The collections an HSDS directory publishes (agreements as ``funding``):
#: the index carries the dataset's coverage of these, so that a consumer knows
#: where a missing organisation or grant means "none" and where "not recorded".
COVERAGE_COLLECTIONS: Final = ("organisations", "services", "agreements")
#: The per-record files of a file export, so that a static web server answers
#: HSDS's ``/services/{id}`` and ``/organizations/{id}`` (as ``{id}.json``).
SERVICE_DIR: Final = "services"
ORGANIZATION_DIR: Final = "organizations"

ORGANIZATIONS: Final = "organizations.json"
SERVICES: Final = "services.json"
INDEX: Final = "index.json"

BUSINESS_ID_TYPE: Final = "Y-tunnus (Finnish Business ID)"
#: org-id.guide lists no scheme for the Register of Associations; HSDS then
#: asks for a human-readable ``identifier_type`` alone.
REGISTER_NUMBER_TYPE: Final = "Yhdistysrekisterinumero (Finnish Register of Associations)"

#: Endonyms: a language's name as its speakers write it.
LANGUAGE_NAMES: Final[Mapping[str, str]] = {
    "fi": "suomi",
    "sv": "svenska",
    "en": "English",
    "se": "davvisámegiella",
    "ru": "русский",
    "et": "eesti",
    "de": "Deutsch",
    "fr": "français",
    "so": "Soomaali",
    "ar": "العربية",
}

KIND_LABELS: Final[Mapping[AgreementKind, str]] = {
    AgreementKind.OPERATING_GRANT: N_("Operating grant"),
    AgreementKind.PROJECT_GRANT: N_("Project grant"),
    AgreementKind.PREMISES: N_("Premises"),
    AgreementKind.SERVICE_PURCHASE: N_("Service purchase"),
    AgreementKind.SERVICE_VOUCHER: N_("Service voucher"),
    AgreementKind.PERSONAL_BUDGET: N_("Personal budget"),
    AgreementKind.COOPERATION: N_("Cooperation agreement"),
}

_ORG_FIELDS: Final = (
    "scope",
    "languages",
    "municipalities",
    "fields",
    "members",
    "volunteers",
    "founded",
    "dissolved",
)
_SERVICE_FIELDS: Final = (
    "kind",
    "municipalities",
    "languages",
    "in_service_path",
    "participants_per_year",
    "location",
)


def _page(contents: list[dict[str, Any]]) -> dict[str, Any]:
    """All records on one page of HSDS's API ``Page`` envelope."""
    return {
        "contents": contents,
        "empty": not contents,
        "first_page": True,
        "last_page": True,
        "page_number": 1,
        "size": len(contents),
        "total_items": len(contents),
        "total_pages": 1,
    }


def _primary_name(name: Name, languages: Sequence[str]) -> str:
    """The name in the record's first working language: Malax's association is Swedish."""
    return name.pick(languages[0] if languages else "fi")


def _jarjesto_fields(
    record: object, names: Sequence[str], required: Sequence[str] = ()
) -> dict[str, Any]:
    """The record's own fields, as in the dataset format, leaving out empty optional ones."""
    out: dict[str, Any] = {}
    for attr in names:
        value = getattr(record, attr)
        if value is None or (value == () and attr not in required):
            continue
        if isinstance(value, tuple):
            out[attr] = list(value)
        elif hasattr(value, "isoformat"):
            out[attr] = value.isoformat()
        elif hasattr(value, "value"):
            out[attr] = value.value
        else:
            out[attr] = value
    return out


@frozen
class HsdsExporter:
    """HSDS 3.0 with the jarjesto profile; ``lang`` (else the publisher's) is that of texts.

    ``records=False`` leaves out the per-record files (the live API builds
    its own answers and needs only the pages).
    """

    lang: str | None = None
    profile_uri: str = PROFILE_URI
    records: bool = True
    description: str = "HSDS 3.0: index.json, organizations.json, services.json, one file a record"

    def export(
        self,
        dataset: Dataset,
        reference: Reference,
        *,
        year: int | None = None,
        scope: Filter | None = None,
        changed: Changed | None = None,
    ) -> ExportResult:
        organizations, services = self.records_of(
            dataset, reference, year=year, scope=scope, changed=changed
        )
        index = index_document(dataset, reference, year=year, scope=scope)
        files = {
            INDEX: dump_json({"version": HSDS_VERSION, "profile": self.profile_uri, **index}),
            ORGANIZATIONS: dump_json(_page(organizations)),
            SERVICES: dump_json(_page(services)),
        }
        if self.records:
            for directory, records in ((ORGANIZATION_DIR, organizations), (SERVICE_DIR, services)):
                for record in records:
                    files[f"{directory}/{record['id']}.json"] = dump_json(record)
        return ExportResult(files)

    def records_of(
        self,
        dataset: Dataset,
        reference: Reference,
        *,
        year: int | None = None,
        scope: Filter | None = None,
        changed: Changed | None = None,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The organisations and services as HSDS records, sorted by dataset id."""
        lang = dataset_language(dataset, self.lang)
        changed = changed or {}
        chosen = Selection.of(dataset, reference, year, scope)
        orgs = {o.id: o for o in dataset.organisations}
        listed = {s.id for s in chosen.services}
        org_funding: dict[str, list[dict[str, Any]]] = {}
        service_funding: dict[str, list[dict[str, Any]]] = {}
        for agreement in chosen.agreements:
            if not agreement.kind.funds:
                continue
            if agreement.services:
                for sid in agreement.services:
                    if sid in listed:
                        row = self._funding(agreement, reference, year, lang, service=sid)
                        service_funding.setdefault(sid, []).append(row)
            elif agreement.organisation in orgs:
                row = self._funding(agreement, reference, year, lang)
                org_funding.setdefault(agreement.organisation, []).append(row)
        organizations = [
            self._organization(
                o, org_funding.get(o.id, []), reference, year, lang, changed.get(_key(o))
            )
            for o in chosen.organisations
        ]
        services = [
            self._service(
                s,
                orgs[s.organisation],
                reference,
                year,
                service_funding.get(s.id, []),
                lang,
                _latest(changed.get(_key(s)), changed.get(_key(orgs[s.organisation]))),
            )
            for s in chosen.services
        ]
        return organizations, services

    def _funding(
        self,
        agreement: Agreement,
        reference: Reference,
        year: int | None,
        lang: str,
        *,
        service: str | None = None,
    ) -> dict[str, Any]:
        ref_year = year if year is not None else agreement.start.year
        party = reference.party_name(agreement.party, ref_year).pick(lang)
        params = {
            "kind": translate(KIND_LABELS[agreement.kind], lang),
            "party": party,
            "ref": str(agreement.party),
            "start": agreement.start.isoformat(),
            "end": agreement.end.isoformat() if agreement.end else "",
        }
        if agreement.end is None:
            source = translate(
                N_("%(kind)s from %(party)s (%(ref)s), from %(start)s on"), lang, params
            )
        else:
            source = translate(
                N_("%(kind)s from %(party)s (%(ref)s), %(start)s – %(end)s"), lang, params
            )
        if agreement.annual_amount_eur is not None:
            source += translate(
                N_(", %(amount)s EUR a year"),
                lang,
                {"amount": json_number(agreement.annual_amount_eur)},
            )
        row: dict[str, Any] = {
            "id": stable_uuid("agreements", agreement.id, "funding", service or ""),
            "organization_id": stable_uuid("organisations", agreement.organisation),
            "source": source,
        }
        if service is not None:
            row["service_id"] = stable_uuid("services", service)
        return row

    def _organization(
        self,
        org: Organisation,
        funding: list[dict[str, Any]],
        reference: Reference,
        year: int | None,
        lang: str,
        modified: dt.datetime | None,
    ) -> dict[str, Any]:
        oid = stable_uuid("organisations", org.id)
        identifiers = []
        if org.business_id is not None:
            identifiers.append(
                {
                    "id": stable_uuid("organisations", org.id, "identifiers", "business_id"),
                    "organization_id": oid,
                    "identifier_scheme": BUSINESS_ID_SCHEME,
                    "identifier_type": BUSINESS_ID_TYPE,
                    "identifier": org.business_id,
                }
            )
        if org.register_number is not None:
            identifiers.append(
                {
                    "id": stable_uuid("organisations", org.id, "identifiers", "register_number"),
                    "organization_id": oid,
                    "identifier_type": REGISTER_NUMBER_TYPE,
                    "identifier": org.register_number,
                }
            )
        record: dict[str, Any] = {
            "id": oid,
            "name": _primary_name(org.name, org.languages),
            "names": org.name.as_dict(),
            # Required by HSDS; the dataset holds none, so a sentence says what it knows.
            "description": _organisation_sentence(org, reference, year, lang),
            "jarjesto": {
                "id": org.id,
                **_jarjesto_fields(org, _ORG_FIELDS, ("languages", "municipalities")),
            },
        }
        if org.founded is not None:
            record["year_incorporated"] = org.founded.year
        if modified is not None:
            record["last_modified"] = _timestamp(modified)
        if identifiers:
            record["organization_identifiers"] = identifiers
        if funding:
            record["funding"] = sorted(funding, key=lambda r: r["id"])
        return record

    def _service(
        self,
        service: Service,
        org: Organisation,
        reference: Reference,
        year: int | None,
        funding: list[dict[str, Any]],
        lang: str,
        modified: dt.datetime | None,
    ) -> dict[str, Any]:
        sid = stable_uuid("services", service.id)
        languages = effective_languages(service, org)
        name = _primary_name(service.name, languages)
        record: dict[str, Any] = {
            "id": sid,
            "organization_id": stable_uuid("organisations", org.id),
            "name": name,
            "names": service.name.as_dict(),
            "description": translate(
                N_("%(service)s, a service of %(organisation)s."),
                lang,
                {"service": name, "organisation": org.name.pick(lang)},
            ),
            "status": _status(org, year),
            "jarjesto": {"id": service.id, **_jarjesto_fields(service, _SERVICE_FIELDS)},
        }
        if languages:
            record["languages"] = [
                {
                    "id": stable_uuid("services", service.id, "languages", code),
                    "service_id": sid,
                    "code": code,
                    **({"name": LANGUAGE_NAMES[code]} if code in LANGUAGE_NAMES else {}),
                }
                for code in languages
            ]
        areas = effective_municipalities(service, org)
        if areas:
            record["service_areas"] = [
                {
                    "id": stable_uuid("services", service.id, "service_areas", code),
                    "service_id": sid,
                    "name": municipality_name(reference, code, year).pick("fi"),
                    "municipality_code": code,
                }
                for code in areas
            ]
        if funding:
            record["funding"] = sorted(funding, key=lambda r: r["id"])
        if modified is not None:
            record["last_modified"] = _timestamp(modified)
        return record


def _coverage_inside(
    record: Coverage, reference: Reference, year: int | None, scope: Filter | None
) -> bool:
    if year is not None and not (
        record.start <= dt.date(year, 12, 31) and record.end >= dt.date(year, 1, 1)
    ):
        return False
    if scope is None:
        return True
    wanted = scope.territory(reference, year)
    for party in record.parties:
        if scope.party_inside(party, reference, year):
            return True
        years = [year] if year is not None else list(reference.years)
        if any(reference.territory(party, y) & wanted for y in years):
            return True
    return False


def index_document(
    dataset: Dataset, reference: Reference, *, year: int | None = None, scope: Filter | None = None
) -> dict[str, Any]:
    """What the profile adds to HSDS's ``/``: ``{"jarjesto": {"coverage": [...]}}``.

    The dataset's coverage records (domain.md, "Coverage") about organisations,
    services and agreements, in the dataset format, limited to the export's
    year and territory; empty (nothing added) when the dataset records none.
    """
    found = [
        unstructure_record(c)
        for c in sorted(dataset.coverage, key=lambda c: c.id)
        if set(c.collections) & set(COVERAGE_COLLECTIONS)
        and _coverage_inside(c, reference, year, scope)
    ]
    return {"jarjesto": {"coverage": found}} if found else {}


def _key(record: Organisation | Service) -> tuple[str, str]:
    return ("organisations" if isinstance(record, Organisation) else "services", record.id)


def _latest(*times: dt.datetime | None) -> dt.datetime | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _timestamp(moment: dt.datetime) -> str:
    """HSDS asks for millisecond accuracy, in UTC."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _organisation_sentence(
    org: Organisation, reference: Reference, year: int | None, lang: str
) -> str:
    """A description from what the dataset knows: the name and where it works."""
    name = org.name.pick(lang)
    places = [municipality_name(reference, code, year).pick(lang) for code in org.municipalities]
    if not places:
        return translate(N_("%(organisation)s is an organisation."), lang, {"organisation": name})
    return translate(
        N_("%(organisation)s is an organisation working in %(places)s."),
        lang,
        {"organisation": name, "places": ", ".join(places)},
    )


def _status(org: Organisation, year: int | None) -> str:
    """``defunct`` once the organisation is dissolved (by the end of ``year``, when given)."""
    if org.dissolved is None or (year is not None and org.dissolved.year > year):
        return "active"
    return "defunct"


# -- import --------------------------------------------------------------------


@frozen
class HsdsImport:
    """Organisations and services read from HSDS, in file order, and what had to be assumed."""

    organisations: tuple[Organisation, ...]
    services: tuple[Service, ...]
    #: Assumptions and values left out (another publisher's HSDS): report them.
    notes: tuple[Problem, ...] = ()
    #: The coverage a jarjesto export's ``index.json`` carries (profile 1.2).
    coverage: tuple[Coverage, ...] = ()


def _load_page(
    files: Mapping[str, bytes], name: str, required: bool, problems: list[Problem]
) -> list[Any] | None:
    if name not in files:
        if required:
            problems.append(Problem(N_("the HSDS export has no %(found)s"), {"found": name}))
        return None
    try:
        doc = json.loads(files[name].decode("utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(Problem(N_("not UTF-8 text"), file=name))
        return None
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(
                N_("malformed JSON: %(found)s"),
                {"found": exc.msg},
                file=name,
                line=exc.lineno,
                column=exc.colno,
            )
        )
        return None
    if isinstance(doc, Mapping) and isinstance(doc.get("contents"), list):
        return list(doc["contents"])
    if isinstance(doc, list):
        return doc
    problems.append(
        Problem(
            N_("not an HSDS page: expected an object with a list of records in contents"),
            file=name,
        )
    )
    return None


def _structure(
    data: dict[str, Any],
    cls: type,
    base: dict[str, Any],
    field_paths: Mapping[str, str],
    problems: list[Problem],
) -> Any:
    """One record through the dataset format's own converter: the same messages as a file."""
    try:
        return structure_record(data, cls)
    except (ClassValidationError, FieldError) as exc:
        for p in _leaf_problems(exc, base):
            top = (p.field or "").split(".")[0].split("[")[0]
            where = field_paths.get(top, f"jarjesto.{top}") if top else "jarjesto"
            rest = (p.field or "")[len(top) :]
            problems.append(attrs.evolve(p, field=f"{where}{rest}"))
    except (TypeError, ValueError) as exc:
        problems.append(Problem(N_("invalid value: %(found)s"), {"found": str(exc)}, **base))
    return None


def _names(record: Mapping[str, Any]) -> Any:
    names = record.get("names")
    if names is None and isinstance(record.get("name"), str):
        return {"fi": record["name"]}
    return names


def _owner_uuid(item: Mapping[str, Any]) -> Any:
    """A service's organisation: HSDS's ``organization_id``, else the nested ``organization``."""
    owner = item.get("organization_id")
    if owner is None and isinstance(item.get("organization"), Mapping):
        owner = item["organization"].get("id")
    return owner


def _id_key(value: Any) -> str | None:
    """An id as a lookup key: only text is an id (a list or object in its place is not)."""
    return value if isinstance(value, str) else None


def import_hsds(
    files: Mapping[str, bytes],
    reference: Reference | None = None,
    *,
    lang: str = "fi",
    service_kinds: Mapping[str, Domain] | None = None,
) -> HsdsImport:
    """Read ``organizations.json`` and (optionally) ``services.json`` of HSDS 3.0 data.

    Records with the jarjesto profile's ``jarjesto`` object come back as they
    were, with edits to their standard fields applied (``name``, a service's
    ``languages`` and ``service_areas``) or refused with a message
    (``year_incorporated``). Records without it (another publisher's HSDS)
    become records too: :mod:`.hsds_standard` derives what they lack and the
    result's ``notes`` say what was assumed; ``lang`` is the language their
    names are taken to be in. Every problem is reported at once, as
    :class:`DatasetError`, naming file, record and field: when some records
    cannot be read, those that can are still checked semantically (a wrong
    Y-tunnus check digit), so one kind of error does not hide another;
    ``service_kinds`` are the kinds known then (default: the core's).
    """
    from jarjesto_core.opendata import hsds_standard as std
    from jarjesto_core.reference import bundled_reference

    reference = reference if reference is not None else bundled_reference()
    problems: list[Problem] = []
    notes: list[Problem] = []
    raw_orgs = _load_page(files, ORGANIZATIONS, True, problems)
    raw_services = _load_page(files, SERVICES, False, problems)
    services_of: dict[Any, list[Mapping[str, Any]]] = {}
    for item in raw_services or []:
        if isinstance(item, Mapping):
            services_of.setdefault(_id_key(_owner_uuid(item)), []).append(item)
    organisations: list[Organisation] = []
    org_rows: list[int] = []
    by_uuid: dict[str, str] = {}
    # Organisations that failed: their services are not reported as orphans too.
    broken: set[Any] = set()
    seen: set[str] = set()
    for index, item in enumerate(raw_orgs or []):
        base, extra = _record_base(item, ORGANIZATIONS, "organizations", index, problems)
        if base is None:
            broken.add(_id_key(item.get("id")) if isinstance(item, Mapping) else None)
            continue
        if extra is None:
            data = std.standard_organisation(
                item, services_of.get(_id_key(item.get("id")), []), reference, lang, base, notes
            )
        else:
            data = {"name": _names(item), **extra}
            std.edited_organisation(item, data, base, problems)
        identifiers = item.get("organization_identifiers")
        for ident in identifiers if isinstance(identifiers, list) else []:
            if not isinstance(ident, Mapping):
                continue
            if ident.get("identifier_scheme") == BUSINESS_ID_SCHEME:
                data["business_id"] = ident.get("identifier")
            elif ident.get("identifier_type") == REGISTER_NUMBER_TYPE:
                data["register_number"] = ident.get("identifier")
        paths = {
            "name": "names" if extra is not None else "name",
            "business_id": "organization_identifiers",
            "register_number": "organization_identifiers",
        }
        org = _structure(data, Organisation, base, paths, problems)
        if org is None:
            broken.add(_id_key(item.get("id")))
            continue
        if org.id in seen:
            problems.append(_duplicate(base))
            continue
        seen.add(org.id)
        organisations.append(org)
        org_rows.append(index)
        if extra is not None:
            written = {_organisation_sentence(org, reference, None, code) for code in LANGUAGES}
            _description_kept(item, written, base, notes)
        if isinstance(item.get("id"), str):
            by_uuid[item["id"]] = org.id
    owners = {o.id: o for o in organisations}
    services: list[Service] = []
    service_rows: list[int] = []
    seen = set()
    for index, item in enumerate((raw_services or []) if raw_orgs is not None else []):
        base, extra = _record_base(item, SERVICES, "services", index, problems)
        if base is None:
            continue
        owner_key = _id_key(_owner_uuid(item))
        owner = by_uuid.get(owner_key) if owner_key is not None else None
        if owner is None and owner_key is not None and owner_key in broken:
            continue
        if owner is None:
            problems.append(
                Problem(
                    N_("organisation %(found)s is not in %(file)s"),
                    {"found": repr(_owner_uuid(item)), "file": ORGANIZATIONS},
                    field="organization_id",
                    **base,
                )
            )
            continue
        if extra is None:
            data = std.standard_service(item, owner, reference, lang, base, notes)
        else:
            data = {"name": _names(item), "organisation": owner, **extra}
            org = owners[owner]
            effective = {
                "languages": list(org.languages),
                "municipalities": list(org.municipalities),
            }
            std.edited_name(item, data, languages=data.get("languages") or effective["languages"])
            std.edited_service(item, data, effective, reference, base, problems)
        paths = {"name": "names" if extra is not None else "name"}
        svc = _structure(data, Service, base, paths, problems)
        if svc is None:
            continue
        if svc.id in seen:
            problems.append(_duplicate(base))
            continue
        seen.add(svc.id)
        services.append(svc)
        service_rows.append(index)
        if extra is not None:
            _description_kept(item, _service_sentences(svc, owners[owner]), base, notes)
    coverage = _index_coverage(files, problems)
    if coverage:
        # Checked here, not only when merged: an inverted period names index.json.
        for p in validate(Dataset(coverage=coverage), reference):
            if p.collection == "coverage" and p.index is not None:
                p = attrs.evolve(p, file=INDEX, collection="jarjesto.coverage")
            problems.append(p)
    if problems:
        partial = Dataset(organisations=tuple(organisations), services=tuple(services))
        rows = {"organisations": (ORGANIZATIONS, org_rows), "services": (SERVICES, service_rows)}
        # Services of organisations that failed were left out above: nothing dangles.
        for p in validate(partial, reference, service_kinds=service_kinds):
            if p.collection in rows and p.index is not None:
                file, indices = rows[p.collection]
                p = attrs.evolve(p, file=file, index=indices[p.index])
            problems.append(p)
        raise DatasetError(problems)
    return HsdsImport(tuple(organisations), tuple(services), tuple(notes), coverage)


def _index_coverage(files: Mapping[str, bytes], problems: list[Problem]) -> tuple[Coverage, ...]:
    """The coverage records of ``index.json``'s ``jarjesto.coverage``; none without them."""
    if INDEX not in files:
        return ()
    try:
        doc = json.loads(files[INDEX].decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        problems.append(Problem(N_("not an HSDS index: expected a JSON object"), file=INDEX))
        return ()
    profile = doc.get("jarjesto") if isinstance(doc, Mapping) else None
    items = profile.get("coverage") if isinstance(profile, Mapping) else None
    if not isinstance(items, list):
        return ()
    found: list[Coverage] = []
    for index, item in enumerate(items):
        base: dict[str, Any] = {"file": INDEX, "collection": "jarjesto.coverage", "index": index}
        if not isinstance(item, Mapping):
            problems.append(
                Problem(
                    N_("%(found)s is not a record: expected an object"),
                    {"found": repr(item)},
                    **base,
                )
            )
            continue
        if isinstance(item.get("id"), str):
            base["record_id"] = item["id"]
        paths = {name: name for name in item}
        record = _structure(dict(item), Coverage, base, paths, problems)
        if record is not None:
            found.append(record)
    return tuple(found)


def _record_base(
    item: Any, file: str, collection: str, index: int, problems: list[Problem]
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Where a record is, and its profile object (None without the profile).

    The base is None when the record cannot be read at all.
    """
    base: dict[str, Any] = {"file": file, "collection": collection, "index": index}
    if not isinstance(item, Mapping):
        problems.append(
            Problem(
                N_("%(found)s is not a record: expected an object"), {"found": repr(item)}, **base
            )
        )
        return None, None
    profile = item.get("jarjesto")
    if isinstance(profile, Mapping) and isinstance(profile.get("id"), str):
        base["record_id"] = profile["id"]
    elif isinstance(item.get("id"), str):
        base["record_id"] = item["id"]
    if profile is None:
        return base, None
    if not isinstance(profile, Mapping):
        problems.append(
            Problem(
                N_("%(found)s is not a record: expected an object"),
                {"found": repr(profile)},
                field="jarjesto",
                **base,
            )
        )
        return None, None
    return base, dict(profile)


def _service_sentences(service: Service, org: Organisation) -> set[str]:
    """Every description the export may have written for ``service``, in each language."""
    return {
        translate(
            N_("%(service)s, a service of %(organisation)s."),
            code,
            {
                "service": _primary_name(service.name, effective_languages(service, org)),
                "organisation": org.name.pick(code),
            },
        )
        for code in LANGUAGES
    }


def _description_kept(
    item: Mapping[str, Any], written: set[str], base: Mapping[str, Any], notes: list[Problem]
) -> None:
    """A description other than the one jarjesto wrote has no field to go to: say so."""
    description = item.get("description")
    if isinstance(description, str) and description.strip() and description not in written:
        notes.append(
            Problem(
                N_(
                    "the description is not kept: a jarjesto record has no description, "
                    "and exports write a sentence from its fields"
                ),
                field="description",
                **base,
            )
        )


def _duplicate(base: Mapping[str, Any]) -> Problem:
    return Problem(
        N_("duplicate id %(found)s"),
        {"found": repr(base.get("record_id"))},
        field="jarjesto.id",
        **base,
    )


def merge_imported(dataset: Dataset, imported: HsdsImport) -> Dataset:
    """``dataset`` with the imported records: same id replaced in place, new ones appended."""

    def merge(old: tuple[Any, ...], new: tuple[Any, ...]) -> tuple[Any, ...]:
        fresh = {r.id: r for r in new}
        kept = [fresh.pop(r.id, r) for r in old]
        return (*kept, *(r for r in new if r.id in fresh))

    return attrs.evolve(
        dataset,
        organisations=merge(dataset.organisations, imported.organisations),
        services=merge(dataset.services, imported.services),
        coverage=merge(dataset.coverage, imported.coverage),
    )
