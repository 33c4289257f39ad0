"""Funding responsibility: who should fund each (municipality, service) pair, and who does.

Pure: the dataset, the reference data, the service kinds and (optionally) a
regional default come in; a sorted table comes out. Record order never
matters: choices between records are made by (start, id).

The law depends on the year and the place (domain.md, "Time and law"), so
each pair goes through four named steps:

1. :func:`law_of`: which law holds there that year (Åland, Helsinki, before
   or after the 2023 reform);
2. :class:`Duties`: who is responsible under that law, as bodies;
3. :func:`covering`: which funding agreements in force cover the pair;
4. :func:`status_of`: the status those two give.

A municipality code in a record is read by year through the reference
data's mergers (:meth:`Reference.codes_in`). ``tests/engine/plain_resolver.py``
holds a plain implementation of domain.md that property tests compare with.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from enum import Enum, StrEnum
from itertools import chain
from operator import attrgetter
from typing import Final, NamedTuple

from jarjesto_core.i18n import N_
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Dataset,
    Domain,
    JointAuthority,
    Name,
    Organisation,
    PartyKind,
    PartyRef,
    Responsibility,
    ResponsibleParty,
    Service,
    in_force,
    party_order,
)
from jarjesto_core.perf import gc_paused
from jarjesto_core.reference import AREA_ALAND, HELSINKI, REFORM_YEAR, Reference

__all__ = [
    "FUNDING_STATUS_LABELS",
    "DefaultParty",
    "Duties",
    "FundingRow",
    "FundingStatus",
    "Law",
    "covering",
    "law_of",
    "party_name",
    "resolve",
    "responsible_parties",
    "rows_by_municipality",
    "serves",
    "status_of",
]

#: ``(municipality, area, service_kind, year) -> responsible party or None``.
DefaultParty = Callable[[str, str, str, int], ResponsibleParty | None]


class FundingStatus(StrEnum):
    OK = "ok"
    BLIND_SPOT = "blind_spot"
    MISMATCH = "mismatch"
    UNFUNDED = "unfunded"
    #: Åland: outside the reform, no municipality/area split to judge.
    OUTSIDE_REFORM = "outside_reform"


FUNDING_STATUS_LABELS: Final[Mapping[FundingStatus, str]] = {
    FundingStatus.OK: N_("in order"),
    FundingStatus.BLIND_SPOT: N_("blind spot"),
    FundingStatus.MISMATCH: N_("wrong funder"),
    FundingStatus.UNFUNDED: N_("unfunded"),
    FundingStatus.OUTSIDE_REFORM: N_("outside the reform"),
}


class Law(Enum):
    """Which rules of responsibility hold in a place in a year."""

    #: Åland's autonomy: no municipality/area split.
    OUTSIDE_REFORM = "outside_reform"
    #: Helsinki: the city organises everything itself.
    CITY = "city"
    #: Before 2023: municipalities, alone or through a joint authority.
    BEFORE_REFORM = "before_reform"
    #: From 2023: the wellbeing areas organise sote.
    REFORM = "reform"


def law_of(municipality: str, area: str, year: int) -> Law:
    """Step 1: the law of the year and the place (domain.md, "Time and law")."""
    if area == AREA_ALAND:
        return Law.OUTSIDE_REFORM
    if municipality == HELSINKI:
        return Law.CITY
    if year < REFORM_YEAR:
        return Law.BEFORE_REFORM
    return Law.REFORM


def party_name(party: PartyRef, dataset: Dataset, reference: Reference, year: int) -> Name:
    """A party's name: a public body's from the reference data, a joint authority's or
    funder's from the dataset (``Siun sote``, ``STEA``); the reference itself when unknown."""
    if party.kind.public_body:
        return reference.party_name(party, year)
    records = dataset.joint_authorities if party.kind is PartyKind.JOINT else dataset.funders
    for record in records:
        if record.id == party.code:
            return record.name
    return Name(fi=str(party))


class FundingRow(NamedTuple):
    """One (municipality, service) pair of the funding table.

    A named tuple, not an attrs class: a national table has 60,000 rows, and
    a tuple is built in a third of the time of a frozen attrs instance.
    """

    municipality: str
    area: str
    service: str
    organisation: str
    kind: str
    domain: Domain | None
    responsible: ResponsibleParty | None
    funders: tuple[PartyRef, ...]
    status: FundingStatus
    #: Where the responsibility comes from: a responsibility agreement's or joint
    #: authority's id, ``"default"``, or None (the law itself).
    basis: str | None = None
    #: The funding agreements covering the pair.
    agreements: tuple[str, ...] = ()
    #: The responsible bodies: the municipality, the area, the city, the joint authority.
    bodies: tuple[PartyRef, ...] = ()

    @property
    def uncovered(self) -> bool:
        """Nobody responsible pays: the funders listed (if any) keep it alive today."""
        return self.status in (FundingStatus.BLIND_SPOT, FundingStatus.UNFUNDED)

    def as_json(self) -> dict[str, object]:
        return {
            "municipality": self.municipality,
            "service": self.service,
            "kind": self.kind,
            "domain": self.domain.value if self.domain is not None else None,
            "responsible": self.responsible.value if self.responsible is not None else None,
            "funders": [str(p) for p in self.funders],
            "status": self.status.value,
        }


_FUNDING_KINDS: Final = frozenset(k for k in AgreementKind if k.funds)
#: Builds a named tuple from its fields in order, skipping its Python-level ``__new__``:
#: a national table has 60,000 rows.
_new: Final = tuple.__new__
#: No funders, no agreements.
_NOBODY: Final[tuple[tuple[PartyRef, ...], tuple[str, ...]]] = ((), ())


def responsible_parties(
    responsible: ResponsibleParty | None, municipality: str, area: str
) -> tuple[PartyRef, ...]:
    """The bodies a responsibility names in a place (a joint authority is named by its id,
    which only :class:`Duties` knows: none here)."""
    if responsible is ResponsibleParty.MUNICIPALITY:
        return (PartyRef.municipality(municipality),)
    if responsible is ResponsibleParty.AREA:
        return (PartyRef.area(area),)
    if responsible is ResponsibleParty.SHARED:
        return (PartyRef.municipality(municipality), PartyRef.area(area))
    return ()


class Duty(NamedTuple):
    """Who is responsible for a kind in a place, on what basis, as which bodies."""

    law: Law
    responsible: ResponsibleParty | None
    basis: str | None
    bodies: frozenset[PartyRef]
    #: ``bodies`` in reference order, for the row.
    listed: tuple[PartyRef, ...]


class Duties:
    """Step 2: who is responsible for a kind in a municipality in the year.

    Answers are kept per (kind, municipality): a table asks the same question
    for every service of a kind in a place.
    """

    def __init__(
        self,
        dataset: Dataset,
        reference: Reference,
        year: int,
        service_kinds: Mapping[str, Domain],
        default_party: DefaultParty | None,
    ) -> None:
        self.reference = reference
        self.year = year
        self.kinds = service_kinds
        self.default_party = default_party
        # Responsibility agreements in force, under each municipality the code means this year.
        self.agreed: defaultdict[tuple[str, str], list[Responsibility]] = defaultdict(list)
        for r in dataset.responsibilities:
            if in_force(r.start, r.end, year):
                for code in reference.codes_in(r.municipality, year):
                    self.agreed[(code, r.area)].append(r)
        # Joint authorities in force, under each member municipality and domain.
        self.joints: defaultdict[tuple[str, Domain], list[JointAuthority]] = defaultdict(list)
        for j in dataset.joint_authorities:
            if in_force(j.start, j.end, year):
                for member in j.members:
                    for code in reference.codes_in(member, year):
                        for domain in j.organises:
                            self.joints[(code, domain)].append(j)
        self._answers: dict[str | Domain, dict[str, Duty]] = {}
        self._answers_of: dict[str, dict[str, Duty]] = {}
        self._made_once: dict[
            tuple[Law, ResponsibleParty | None, str | None, tuple[PartyRef, ...]], Duty
        ] = {}

    def of(self, kind: str, municipality: str, area: str) -> Duty:
        found = self.table(kind).get(municipality)
        if found is None:
            found = self._answers_of[kind][municipality] = self._duty(kind, municipality, area)
        return found

    def table(self, kind: str) -> dict[str, Duty]:
        """The answers known for ``kind`` by municipality (a table looks here first).

        Only a prevention kind's answers depend on the kind: the others share their domain's.
        """
        found = self._answers_of.get(kind)
        if found is None:
            domain = self.kinds.get(kind)
            shared = kind if domain is Domain.PREVENTION or domain is None else domain
            found = self._answers_of[kind] = self._answers.setdefault(shared, {})
        return found

    def _duty(self, kind: str, municipality: str, area: str) -> Duty:
        law = law_of(municipality, area, self.year)
        domain = self.kinds.get(kind)
        here = PartyRef.municipality(municipality)
        if law is Law.OUTSIDE_REFORM:
            return self._made(law, None, None, ())
        if law is Law.CITY:
            return self._made(law, ResponsibleParty.MUNICIPALITY, None, (here,))
        if law is Law.BEFORE_REFORM:
            if domain is None:
                return self._made(law, None, None, ())
            joint = self._joint(municipality, domain)
            if domain is Domain.SOTE and joint is not None:
                return self._made(
                    law, ResponsibleParty.JOINT, joint.id, (PartyRef.joint(joint.id),)
                )
            # A joint authority that organised prevention for the municipality acts for it.
            acting = (PartyRef.joint(joint.id),) if joint is not None else ()
            return self._made(law, ResponsibleParty.MUNICIPALITY, None, (here, *acting))
        responsible, basis = self._after_reform(domain, kind, municipality, area)
        return self._made(
            law, responsible, basis, responsible_parties(responsible, municipality, area)
        )

    def _made(
        self,
        law: Law,
        responsible: ResponsibleParty | None,
        basis: str | None,
        bodies: tuple[PartyRef, ...],
    ) -> Duty:
        # The same answer recurs for every kind and service of a place: made once.
        key = (law, responsible, basis, bodies)
        found = self._made_once.get(key)
        if found is None:
            canonical = {self.reference.canonical(b) for b in bodies}
            found = Duty(law, responsible, basis, frozenset(canonical), tuple(sorted(canonical)))
            self._made_once[key] = found
        return found

    def _joint(self, municipality: str, domain: Domain) -> JointAuthority | None:
        """The joint authority organising ``domain`` for the municipality; the latest one."""
        candidates = self.joints.get((municipality, domain))
        return max(candidates, key=lambda j: (j.start, j.id)) if candidates else None

    def _after_reform(
        self, domain: Domain | None, kind: str, municipality: str, area: str
    ) -> tuple[ResponsibleParty | None, str | None]:
        if domain is Domain.SOTE:
            return ResponsibleParty.AREA, None
        if domain is Domain.MUNICIPAL:
            return ResponsibleParty.MUNICIPALITY, None
        if domain is Domain.PREVENTION:
            # The latest agreement in force that assigns the kind; adding one never
            # removes another's.
            assigning = [
                r for r in self.agreed.get((municipality, area), ()) if kind in r.assignments
            ]
            if assigning:
                chosen = max(assigning, key=lambda r: (r.start, r.id))
                assigned = chosen.assignments[kind]
                if type(assigned) is not ResponsibleParty:  # the model's are already members
                    assigned = ResponsibleParty(assigned)
                return assigned, chosen.id
            if self.default_party is not None:
                responsible = self.default_party(municipality, area, kind, self.year)
                return responsible, "default" if responsible is not None else None
        return None, None


class Funding(NamedTuple):
    """A funding agreement in force, with what every pair it might cover asks of it."""

    id: str
    #: The funder as a body (Helsinki's area is the city; a merged code its successor).
    funder: PartyRef
    #: The municipalities it covers; None: every municipality the service serves (``funder:``).
    territory: frozenset[str] | None
    #: The services it covers; None: all the organisation's.
    services: frozenset[str] | None
    #: The responsible bodies it stands for: none for a ``funder:``.
    acts_for: frozenset[PartyRef]
    #: ``(id,)`` and ``(funder,)``: a pair one agreement covers (most are) shares them.
    ids: tuple[str, ...] = ()
    funders: tuple[PartyRef, ...] = ()


class _Funders:
    """The funding agreements in force in the year, by organisation, each read once."""

    def __init__(self, dataset: Dataset, reference: Reference, year: int) -> None:
        self.reference = reference
        self.year = year
        self.members: defaultdict[str, set[str]] = defaultdict(set)
        for j in dataset.joint_authorities:
            for member in j.members:
                self.members[j.id] |= reference.codes_in(member, year)
        self._parties: dict[
            PartyRef,
            tuple[PartyRef, frozenset[str] | None, frozenset[PartyRef], tuple[PartyRef, ...]],
        ] = {}

    def read(self, a: Agreement) -> Funding:
        known = self._parties.get(a.party)
        if known is None:
            body, territory, acts_for = self._party(a.party)
            known = self._parties[a.party] = (body, territory, acts_for, (body,))
        body, territory, acts_for, funders = known
        covered = frozenset(a.services) if a.services else None
        return _new(Funding, (a.id, body, territory, covered, acts_for, (a.id,), funders))

    def _party(
        self, party: PartyRef
    ) -> tuple[PartyRef, frozenset[str] | None, frozenset[PartyRef]]:
        if party.kind is PartyKind.FUNDER:
            return party, None, frozenset()
        if party.kind is PartyKind.JOINT:
            return party, frozenset(self.members.get(party.code, ())), frozenset({party})
        body = self.reference.body(party, self.year)
        territory = self.reference.record_territory(party, self.year)
        if party.kind is PartyKind.MUNICIPALITY:
            # Before a merger the successor's code stands for its predecessors too.
            return body, territory, frozenset({body, *map(PartyRef.municipality, territory)})
        return body, territory, frozenset({body})


def covering(funding: Sequence[Funding], municipality: str, service: str) -> list[Funding]:
    """Step 3: the funding agreements that cover the pair (domain.md, resolver step 2)."""
    if len(funding) == 1:  # most organisations have one: no comprehension to run
        f = funding[0]
        if (f.territory is None or municipality in f.territory) and (
            f.services is None or service in f.services
        ):
            return [f]
        return []
    return [
        f
        for f in funding
        if (f.territory is None or municipality in f.territory)
        and (f.services is None or service in f.services)
    ]


def status_of(duty: Duty, found: Sequence[Funding]) -> FundingStatus:
    """Step 4: the status of a pair from who is responsible and who funds it."""
    if duty.law is Law.OUTSIDE_REFORM:
        return FundingStatus.OUTSIDE_REFORM
    if duty.responsible is None:
        return FundingStatus.BLIND_SPOT
    # A ``funder:`` is listed among the funders but never makes a pair ok, nor a mismatch:
    # a pair only STEA pays for is unfunded by the public bodies.
    public = False
    for f in found:
        if not duty.bodies.isdisjoint(f.acts_for):
            return FundingStatus.OK
        public = public or f.funder.kind is not PartyKind.FUNDER
    return FundingStatus.MISMATCH if public else FundingStatus.UNFUNDED


def _funders_of(found: Sequence[Funding]) -> tuple[tuple[PartyRef, ...], tuple[str, ...]]:
    """The funders (bodies, each once, in order) and agreement ids of a covered pair."""
    if len(found) == 1:
        return found[0].funders, found[0].ids
    return (
        tuple(sorted({f.funder for f in found}, key=party_order)),
        tuple(sorted(f.id for f in found)),
    )


@gc_paused()
def resolve(
    dataset: Dataset,
    reference: Reference,
    year: int,
    service_kinds: Mapping[str, Domain],
    *,
    default_party: DefaultParty | None = None,
    municipalities: Iterable[str] | None = None,
    agreements: Iterable[Agreement] | None = None,
) -> tuple[FundingRow, ...]:
    """The funding table of ``year``, sorted by municipality and service id.

    Pairs are the services of organisations active in the year, in every
    municipality they serve that exists in the year's classification (codes
    read through the mergers). ``municipalities`` limits the table (an
    assessment's subjects). ``default_party`` is asked once per (municipality,
    area, kind): it must be pure. ``agreements``, when given, replaces
    ``dataset.agreements``: it must hold at least every agreement in force in
    ``year`` (an assessment passes its year index's).
    """
    rows = rows_by_municipality(
        dataset,
        reference,
        year,
        service_kinds,
        default_party=default_party,
        municipalities=municipalities,
        agreements=agreements,
    )
    return tuple(chain.from_iterable(rows[code] for code in sorted(rows)))


@gc_paused()
def rows_by_municipality(
    dataset: Dataset,
    reference: Reference,
    year: int,
    service_kinds: Mapping[str, Domain],
    *,
    default_party: DefaultParty | None = None,
    municipalities: Iterable[str] | None = None,
    agreements: Iterable[Agreement] | None = None,
    organisations: Mapping[str, Organisation] | None = None,
    services: Iterable[Service] | None = None,
) -> dict[str, list[FundingRow]]:
    """:func:`resolve`'s rows, each municipality's sorted by service id, under its code.

    ``organisations``, when given, must be exactly those active in ``year``, by id
    (an assessment passes its year index's). ``services``, when given, replaces
    ``dataset.services``: it must hold at least every service working in
    ``municipalities`` (a one-area assessment passes the area's).
    """
    # The area of each municipality the table may hold.
    areas = {m.code: m.area for m in reference.municipalities_in(year)}
    if municipalities is not None:
        areas = {code: areas[code] for code in set(municipalities) if code in areas}
    if organisations is None:
        organisations = {o.id: o for o in dataset.organisations if o.active_in(year)}
    candidates = dataset.services if services is None else tuple(services)
    owners = None if services is None else {s.organisation for s in candidates}
    funding = _funding_in_force(dataset, reference, year, agreements, owners)
    duties = Duties(dataset, reference, year, service_kinds, default_party)
    catchments: dict[tuple[str, ...], list[str]] = {}
    rows_in: defaultdict[str, list[FundingRow]] = defaultdict(list)
    # Services in id order, so that each municipality's rows come out sorted.
    for service in sorted(candidates, key=attrgetter("id")):
        org = organisations.get(service.organisation)
        if org is None:
            continue
        domain = service_kinds.get(service.kind)
        known = duties.table(service.kind)
        funds = funding.get(service.organisation, ())
        codes = service.municipalities or org.municipalities
        served = catchments.get(codes)
        if served is None:
            served = catchments[codes] = _catchment(codes, reference, year)
        for municipality in served:
            area = areas.get(municipality)
            if area is None:
                continue
            duty = known.get(municipality) or duties.of(service.kind, municipality, area)
            found = covering(funds, municipality, service.id) if funds else []
            funders, ids = _funders_of(found) if found else _NOBODY
            rows_in[municipality].append(
                _new(
                    FundingRow,
                    (
                        municipality,
                        area,
                        service.id,
                        service.organisation,
                        service.kind,
                        domain,
                        duty.responsible,
                        funders,
                        status_of(duty, found),
                        duty.basis,
                        ids,
                        duty.listed,
                    ),
                )
            )
    return dict(rows_in)


def _funding_in_force(
    dataset: Dataset,
    reference: Reference,
    year: int,
    agreements: Iterable[Agreement] | None,
    owners: set[str] | None,
) -> dict[str, list[Funding]]:
    """The funding agreements above 0 € in force in the year, by organisation."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    reader = _Funders(dataset, reference, year)
    by_organisation: defaultdict[str, list[Funding]] = defaultdict(list)
    for a in dataset.agreements if agreements is None else agreements:
        if (
            a.kind in _FUNDING_KINDS
            and a.start <= last
            and (a.end is None or a.end >= first)
            and (owners is None or a.organisation in owners)
            # 0 € is not funding (a refused application); validation refuses a negative amount.
            and (a.annual_amount_eur is None or bool(a.annual_amount_eur))
        ):
            by_organisation[a.organisation].append(reader.read(a))
    return dict(by_organisation)


def serves(
    codes: Sequence[str], territory: Collection[str], reference: Reference, year: int
) -> bool:
    """Whether a service working in ``codes`` (its own, else its organisation's) makes a
    pair in ``territory``: whether its catchment in the year, read through the mergers,
    meets it. The rows of :func:`rows_by_municipality` for a territory come from these
    services alone."""
    return any(not reference.codes_in(code, year).isdisjoint(territory) for code in codes)


def _catchment(codes: Sequence[str], reference: Reference, year: int) -> list[str]:
    """The municipalities a service serves in the year, sorted: its own catchment, else
    where its organisation works, each code read through the mergers."""
    if len(codes) == 1:
        return sorted(reference.codes_in(codes[0], year))
    return sorted(set().union(*(reference.codes_in(code, year) for code in codes)))
