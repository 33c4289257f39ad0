"""domain.md's resolver written plainly, for property tests to compare the real one with.

No indexes, no caches: every pair asks every record. Slow and obviously
right is the point; :mod:`jarjesto_core.resolver` must agree with it.
"""

from __future__ import annotations

from collections.abc import Mapping

from jarjesto_core.model import (
    AgreementKind,
    Dataset,
    Domain,
    PartyKind,
    PartyRef,
    ResponsibleParty,
    in_force,
)
from jarjesto_core.reference import Reference

FUNDS = {
    AgreementKind.OPERATING_GRANT,
    AgreementKind.PROJECT_GRANT,
    AgreementKind.SERVICE_PURCHASE,
    AgreementKind.SERVICE_VOUCHER,
    AgreementKind.PERSONAL_BUDGET,
}

#: (municipality, service) -> (responsible, funders, status)
Plain = dict[tuple[str, str], tuple[str | None, tuple[str, ...], str]]


def meaning(ref: Reference, code: str, year: int) -> set[str]:
    """domain.md, "Mergers": the municipalities a code in a record means in ``year``."""
    if ref.exists(code, year):
        return {code} | {m.code for m in ref.mergers if m.into == code and year < m.year}
    for m in ref.mergers:
        if m.code == code and year >= m.year:
            return meaning(ref, m.into, year)
    return set()


def members(ds: Dataset, ref: Reference, joint: str, year: int) -> set[str]:
    out: set[str] = set()
    for j in ds.joint_authorities:
        if j.id == joint:
            for member in j.members:
                out |= meaning(ref, member, year)
    return out


def organiser(ds: Dataset, ref: Reference, m: str, domain: Domain, year: int) -> str | None:
    found = [
        j
        for j in ds.joint_authorities
        if in_force(j.start, j.end, year)
        and domain in j.organises
        and any(m in meaning(ref, c, year) for c in j.members)
    ]
    return max(found, key=lambda j: (j.start, j.id)).id if found else None


def city(party: PartyRef) -> PartyRef:
    return PartyRef.municipality("091") if str(party) == "area:90" else party


def plain_table(ds: Dataset, ref: Reference, year: int, kinds: Mapping[str, Domain]) -> Plain:
    out: Plain = {}
    for service in ds.services:
        orgs = [o for o in ds.organisations if o.id == service.organisation]
        if not orgs or not orgs[0].active_in(year):
            continue
        served: set[str] = set()
        for code in service.municipalities or orgs[0].municipalities:
            served |= meaning(ref, code, year)
        for m in served:
            place = ref.municipality(m, year)
            if place is None:
                continue
            domain = kinds.get(service.kind)
            # 1. who is responsible, as bodies
            responsible: str | None = None
            bodies: set[PartyRef] = set()
            outside = place.area == "91"
            if outside:
                pass
            elif m == "091":
                responsible, bodies = "municipality", {PartyRef.municipality(m)}
            elif year < 2023:
                joint = organiser(ds, ref, m, domain, year) if domain else None
                if domain is Domain.SOTE and joint is not None:
                    responsible, bodies = "joint", {PartyRef.joint(joint)}
                elif domain is not None:
                    responsible, bodies = "municipality", {PartyRef.municipality(m)}
                    if joint is not None:
                        bodies.add(PartyRef.joint(joint))
            elif domain is Domain.SOTE:
                responsible, bodies = "area", {city(PartyRef.area(place.area))}
            elif domain is Domain.MUNICIPAL:
                responsible, bodies = "municipality", {PartyRef.municipality(m)}
            elif domain is Domain.PREVENTION:
                agreed = [
                    r
                    for r in ds.responsibilities
                    if in_force(r.start, r.end, year)
                    and m in meaning(ref, r.municipality, year)
                    and r.area == place.area
                    and service.kind in r.assignments
                ]
                if agreed:
                    who = max(agreed, key=lambda r: (r.start, r.id)).assignments[service.kind]
                    responsible = who.value
                    if who in (ResponsibleParty.MUNICIPALITY, ResponsibleParty.SHARED):
                        bodies.add(PartyRef.municipality(m))
                    if who in (ResponsibleParty.AREA, ResponsibleParty.SHARED):
                        bodies.add(city(PartyRef.area(place.area)))
            # 2. the funders
            funders: set[PartyRef] = set()
            ok = False
            for a in ds.agreements:
                if (
                    a.kind not in FUNDS
                    or a.organisation != service.organisation
                    or not in_force(a.start, a.end, year)
                    or (a.annual_amount_eur is not None and a.annual_amount_eur <= 0)
                    or (a.services and service.id not in a.services)
                ):
                    continue
                p = a.party
                if p.kind is PartyKind.FUNDER:
                    covers, stands_for = True, set()
                elif p.kind is PartyKind.JOINT:
                    covers, stands_for = m in members(ds, ref, p.code, year), {p}
                elif p.kind is PartyKind.AREA:
                    area_members = {x.code for x in ref.members(p.code, year)}
                    covers, stands_for = m in area_members, {city(p)}
                else:
                    codes = meaning(ref, p.code, year)
                    covers = m in codes
                    stands_for = {PartyRef.municipality(c) for c in codes}
                if not covers:
                    continue
                if p.kind is PartyKind.MUNICIPALITY and not ref.exists(p.code, year):
                    (successor,) = meaning(ref, p.code, year)
                    funders.add(PartyRef.municipality(successor))
                else:
                    funders.add(city(p))
                ok = ok or bool(stands_for & bodies)
            # 3. the status
            if outside:
                status = "outside_reform"
            elif responsible is None:
                status = "blind_spot"
            elif not [f for f in funders if f.kind is not PartyKind.FUNDER]:
                status = "unfunded"
            else:
                status = "ok" if ok else "mismatch"
            out[(m, service.id)] = (responsible, tuple(str(f) for f in sorted(funders)), status)
    return out
