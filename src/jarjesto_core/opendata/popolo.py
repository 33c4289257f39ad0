"""Popolo: cooperation bodies, their member organisations and coordinator posts as civic data.

One JSON document with Popolo's collections (``organizations``,
``memberships``, ``posts``). A cooperation body (JANE, a youth council) is a
Popolo organization whose parent is the public body that set it up; each
member organisation holds a membership of it; a coordinator is a post in
the public body, never a person (the dataset holds no personal data).
"""

from __future__ import annotations

from typing import Any, Final

from attrs import frozen

from jarjesto_core.i18n import N_, translate
from jarjesto_core.model import (
    LANGUAGES,
    CoordinatorTitle,
    Dataset,
    Name,
    Organisation,
    PartyKind,
    PartyRef,
    Structure,
)
from jarjesto_core.opendata.common import (
    BUSINESS_ID_SCHEME,
    Changed,
    ExportResult,
    Filter,
    Selection,
    dump_json,
)
from jarjesto_core.opendata.hsds import REGISTER_NUMBER_TYPE
from jarjesto_core.reference import Reference

__all__ = ["FILE", "PopoloExporter"]

FILE: Final = "popolo.json"
TITLE_LABELS: Final = {
    CoordinatorTitle.ORGANISATION_COORDINATOR: N_("Organisation coordinator"),
    CoordinatorTitle.HYTE_COORDINATOR: N_("Health and wellbeing promotion coordinator"),
    CoordinatorTitle.ASSOCIATION_AGENT: N_("Association agent"),
}
CODE_SCHEMES: Final = {
    PartyKind.MUNICIPALITY: "Statistics Finland municipality code",
    PartyKind.AREA: "Statistics Finland wellbeing services county code",
}
PARTY_CLASSIFICATION: Final = {
    PartyKind.MUNICIPALITY: "municipality",
    PartyKind.AREA: "wellbeing_area",
}


def _names(name: Name, lang: str) -> tuple[str, list[dict[str, str]]]:
    """The primary name in ``lang``; the others as other_names noted with their language."""
    primary = name.pick(lang)
    texts = name.as_dict()
    others = [
        {"name": texts[code], "note": code}
        for code in LANGUAGES
        if code in texts and texts[code] != primary
    ]
    return primary, others


def _with_names(record: dict[str, Any], name: Name, lang: str) -> dict[str, Any]:
    primary, others = _names(name, lang)
    record["name"] = primary
    if others:
        record["other_names"] = others
    return record


@frozen
class PopoloExporter:
    """``lang`` picks the primary name and the post labels."""

    lang: str = "fi"
    description: str = "Popolo: popolo.json (organizations, memberships, posts)"

    @staticmethod
    def party_id(party: PartyRef, reference: Reference) -> str:
        canonical = reference.canonical(party)
        return f"{canonical.kind.value}/{canonical.code}"

    def export(
        self,
        dataset: Dataset,
        reference: Reference,
        *,
        year: int | None = None,
        scope: Filter | None = None,
        changed: Changed | None = None,
    ) -> ExportResult:
        chosen = Selection.of(dataset, reference, year, scope)
        orgs = {o.id: o for o in dataset.organisations}
        ref_year = year if year is not None else reference.years.stop - 1
        organizations: dict[str, dict[str, Any]] = {}
        memberships: list[dict[str, Any]] = []
        posts: list[dict[str, Any]] = []

        def add_party(party: PartyRef) -> str:
            pid = self.party_id(party, reference)
            if pid not in organizations:
                canonical = reference.canonical(party)
                organizations[pid] = _with_names(
                    {
                        "id": pid,
                        "classification": PARTY_CLASSIFICATION[canonical.kind],
                        "identifiers": [
                            {"scheme": CODE_SCHEMES[canonical.kind], "identifier": canonical.code}
                        ],
                    },
                    reference.party_name(canonical, ref_year),
                    self.lang,
                )
            return pid

        for body in chosen.structures:
            bid = f"structure/{body.id}"
            organizations[bid] = self._body(body, add_party(body.party))
            for member in sorted(set(body.members)):
                org = orgs.get(member)
                # With --year, an organisation dissolved before the year is no member in it.
                if org is None or (year is not None and not org.active_in(year)):
                    continue
                oid = f"organisation/{org.id}"
                organizations.setdefault(oid, self._organisation(org))
                memberships.append(_membership(body, org, bid, oid))
        for post in chosen.coordinators:
            record: dict[str, Any] = {
                "id": f"post/{post.id}",
                "label": translate(TITLE_LABELS[post.title], self.lang),
                "role": post.title.value,
                "organization_id": add_party(post.party),
                "start_date": post.start.isoformat(),
            }
            if post.end is not None:
                record["end_date"] = post.end.isoformat()
            posts.append(record)
        document = {
            "organizations": [organizations[k] for k in sorted(organizations)],
            "memberships": sorted(memberships, key=lambda m: m["id"]),
            "posts": sorted(posts, key=lambda p: p["id"]),
        }
        return ExportResult({FILE: dump_json(document)})

    def _body(self, body: Structure, parent: str) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": f"structure/{body.id}",
            "classification": body.kind.value,
            "parent_id": parent,
        }
        if body.established is not None:
            record["founding_date"] = body.established.isoformat()
        if body.dissolved is not None:
            record["dissolution_date"] = body.dissolved.isoformat()
        return _with_names(record, body.name, self.lang)

    def _organisation(self, org: Organisation) -> dict[str, Any]:
        record: dict[str, Any] = {"id": f"organisation/{org.id}", "classification": "organisation"}
        identifiers = []
        if org.business_id is not None:
            identifiers.append({"scheme": BUSINESS_ID_SCHEME, "identifier": org.business_id})
        if org.register_number is not None:
            identifiers.append({"scheme": REGISTER_NUMBER_TYPE, "identifier": org.register_number})
        if identifiers:
            record["identifiers"] = identifiers
        if org.founded is not None:
            record["founding_date"] = org.founded.isoformat()
        if org.dissolved is not None:
            record["dissolution_date"] = org.dissolved.isoformat()
        return _with_names(record, org.name, self.lang)


def _membership(body: Structure, org: Organisation, bid: str, oid: str) -> dict[str, Any]:
    """A membership runs while both the body and the organisation exist.

    The dataset records who is a member, not since when: the start is the
    later of the body's establishment and the organisation's founding, the
    end the earlier of their dissolutions; unknown ends are left out.
    """
    record: dict[str, Any] = {
        "id": f"membership/{body.id}/{org.id}",
        "organization_id": bid,
        "member": {"@type": "Organization", "id": oid},
        "role": "member",
    }
    starts = [d for d in (body.established, org.founded) if d is not None]
    ends = [d for d in (body.dissolved, org.dissolved) if d is not None]
    if starts:
        record["start_date"] = max(starts).isoformat()
    if ends:
        record["end_date"] = min(ends).isoformat()
    return record
