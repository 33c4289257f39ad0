"""The dataset's records: immutable attrs classes, no I/O.

The data contract is ``spec/domain.md``. Closed vocabularies are enums; a
service ``kind`` stays a string because plugins contribute kinds.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from functools import total_ordering
from operator import attrgetter
from typing import Final

from attrs import Attribute, field, frozen

from jarjesto_core.perf import shared_text

__all__ = [
    "LANGUAGES",
    "Agreement",
    "AgreementKind",
    "Appropriation",
    "Commitment",
    "Coordinator",
    "CoordinatorTitle",
    "Coverage",
    "Dataset",
    "Domain",
    "Funder",
    "FunderKind",
    "Hearing",
    "JointAuthority",
    "Name",
    "Organisation",
    "PartyKind",
    "PartyRef",
    "PremisesTerms",
    "Publisher",
    "Responsibility",
    "ResponsibleParty",
    "Scope",
    "Service",
    "Structure",
    "StructureKind",
    "Topic",
    "WelfareReport",
    "WelfareReportKind",
    "in_force",
    "party_order",
    "touched_years",
    "years_of",
]

#: The languages jarjesto speaks to people in, in fallback order.
LANGUAGES: Final = ("fi", "sv", "en")

ID_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9_.-]*\Z")


class Scope(StrEnum):
    LOCAL = "local"
    REGIONAL = "regional"
    NATIONAL = "national"


class AgreementKind(StrEnum):
    OPERATING_GRANT = "operating_grant"
    PROJECT_GRANT = "project_grant"
    PREMISES = "premises"
    SERVICE_PURCHASE = "service_purchase"
    SERVICE_VOUCHER = "service_voucher"
    PERSONAL_BUDGET = "personal_budget"
    COOPERATION = "cooperation"

    @property
    def funds(self) -> bool:
        """Premises and cooperation agreements support an organisation but do not fund it."""
        return self not in (AgreementKind.PREMISES, AgreementKind.COOPERATION)


class PremisesTerms(StrEnum):
    FREE = "free"
    SUBSIDISED = "subsidised"
    MARKET = "market"


class ResponsibleParty(StrEnum):
    MUNICIPALITY = "municipality"
    AREA = "area"
    SHARED = "shared"
    #: A joint municipal authority that organised sote for the municipality (before 2023).
    JOINT = "joint"


class StructureKind(StrEnum):
    ORGANISATION_COUNCIL = "organisation_council"
    LOCAL_ORGANISATION_COUNCIL = "local_organisation_council"
    REPRESENTATION_BODY = "representation_body"
    ASSOCIATION_FORUM = "association_forum"
    DIGITAL_CHANNEL = "digital_channel"
    FAMILY_CENTRE_NETWORK = "family_centre_network"
    YOUTH_COUNCIL = "youth_council"
    OLDER_PEOPLE_COUNCIL = "older_people_council"
    DISABILITY_COUNCIL = "disability_council"
    RESIDENT_PANEL = "resident_panel"


class CoordinatorTitle(StrEnum):
    ORGANISATION_COORDINATOR = "organisation_coordinator"
    HYTE_COORDINATOR = "hyte_coordinator"
    ASSOCIATION_AGENT = "association_agent"


class Topic(StrEnum):
    SERVICES_LINK = "services_link"
    PARTNERSHIP_STRUCTURE = "partnership_structure"
    GRANT_CONTINUATION = "grant_continuation"
    FUNDING_PRINCIPLES = "funding_principles"
    PREMISES_USE = "premises_use"
    PARTICIPATION_CHANNELS = "participation_channels"
    KNOWLEDGE_MANAGEMENT = "knowledge_management"
    PROCUREMENT_LOTS = "procurement_lots"
    VOUCHERS_AND_BUDGETS = "vouchers_and_budgets"


class WelfareReportKind(StrEnum):
    """The welfare report for a council term (hyvinvointikertomus), the plan, the yearly report."""

    REPORT = "report"
    PLAN = "plan"
    ANNUAL_REPORT = "annual_report"


class Domain(StrEnum):
    """Who is responsible for funding a service kind unless an agreement says otherwise."""

    SOTE = "sote"
    PREVENTION = "prevention"
    MUNICIPAL = "municipal"


class PartyKind(StrEnum):
    MUNICIPALITY = "municipality"
    AREA = "area"
    #: A joint municipal authority of the dataset's ``joint_authorities``.
    JOINT = "joint"
    #: Any other funder of the dataset's ``funders``: funds, never responsible.
    FUNDER = "funder"

    @property
    def public_body(self) -> bool:
        """Reference data defines municipalities and areas; the dataset defines the rest."""
        return self in (PartyKind.MUNICIPALITY, PartyKind.AREA)


class FunderKind(StrEnum):
    STATE = "state"
    EU = "eu"
    FOUNDATION = "foundation"
    PARISH = "parish"
    COMPANY = "company"
    OTHER = "other"


_PARTY_RE: Final = re.compile(r"^(municipality|area):([0-9]+)\Z|^(joint|funder):(.+)\Z")


@total_ordering  # from __lt__ and identity, which is equality here
@frozen(eq=False, init=False)
class PartyRef:
    """One party named as text: ``municipality:167``, ``area:14``, ``joint:siun-sote``
    or ``funder:stea`` (the last two are records of the dataset, by id).

    Codes are kept as written (zero-padded: ``municipality:091``); whether
    the body exists in a year is the reference data's question, not ours.

    One object per value while any is alive: ``PartyRef(kind, code)`` returns
    that object, so equality is identity and hashing is done in C. Indexes put
    references in dicts and sets hundreds of thousands of times per national
    assessment, where attrs' Python-level ``__eq__`` and ``__hash__`` cost a
    tenth of it. A few hundred bodies exist; the table holds them weakly.
    The code is shared too, with the reference data's and the dataset's codes.
    """

    kind: PartyKind
    code: str

    def __new__(cls, kind: PartyKind | str, code: str) -> PartyRef:
        if type(kind) is not PartyKind:
            kind = PartyKind(kind)
        if not isinstance(code, str):
            raise TypeError(f"a party code is a string, not {type(code).__name__}")
        key = (kind, code)
        found = _PARTIES.get(key)
        if found is None:
            with _PARTIES_LOCK:  # two threads must not both make one
                found = _PARTIES.get(key)
                if found is None:
                    found = object.__new__(cls)
                    object.__setattr__(found, "kind", kind)
                    object.__setattr__(found, "code", shared_text(str(code)))
                    _PARTIES[key] = found
        return found

    def __reduce__(self) -> tuple[type[PartyRef], tuple[PartyKind, str]]:
        # Unpickled and copied references are the live object too.
        return PartyRef, (self.kind, self.code)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartyRef):
            return NotImplemented
        return (self.kind, self.code) < (other.kind, other.code)

    @classmethod
    def parse(cls, text: str) -> PartyRef:
        """Parse ``kind:code``; raise ``ValueError`` naming what was expected."""
        match = _PARTY_RE.match(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(
                f"{text!r} is not a party reference: expected 'municipality:CODE' "
                "(3 digits), 'area:CODE' (2 digits), 'joint:ID' or 'funder:ID'"
            )
        if match.group(3) is not None:
            kind, code = match.group(3), match.group(4)
            if not ID_PATTERN.match(code):
                raise ValueError(f"{text!r} is not a party reference: {code!r} is not an id")
            return cls(PartyKind(kind), code)
        kind, code = match.group(1), match.group(2)
        width = 3 if kind == "municipality" else 2
        if len(code) != width:
            raise ValueError(f"{text!r} is not a party reference: a {kind} code has {width} digits")
        return cls(PartyKind(kind), code)

    @classmethod
    def municipality(cls, code: str) -> PartyRef:
        return cls(PartyKind.MUNICIPALITY, code)

    @classmethod
    def area(cls, code: str) -> PartyRef:
        return cls(PartyKind.AREA, code)

    @classmethod
    def joint(cls, rid: str) -> PartyRef:
        return cls(PartyKind.JOINT, rid)

    @classmethod
    def funder(cls, rid: str) -> PartyRef:
        return cls(PartyKind.FUNDER, rid)

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.code}"


#: The live party references, by value (see :class:`PartyRef`).
_PARTIES: Final[weakref.WeakValueDictionary[tuple[PartyKind, str], PartyRef]] = (
    weakref.WeakValueDictionary()
)
_PARTIES_LOCK: Final = threading.Lock()

#: PartyRef's own order as a sort key written in C: ``sorted(parties, key=party_order)``
#: equals ``sorted(parties)``, without two Python-level calls per comparison.
party_order: Final = attrgetter("kind", "code")


def _at_least_one(instance: Name, attribute: Attribute[str | None], value: str | None) -> None:
    if instance.fi is None and instance.sv is None and instance.en is None:
        raise ValueError("a name needs at least one of fi, sv, en")


@frozen
class Name:
    """A name in up to three languages, at least one given."""

    fi: str | None = field(default=None, validator=_at_least_one)
    sv: str | None = None
    en: str | None = None

    def pick(self, lang: str) -> str:
        """The name in ``lang``; else Finnish, Swedish, English in that order.

        A Swedish reader of a Finnish-only organisation still sees its name:
        a name is never translated, only chosen.
        """
        order = (lang, *LANGUAGES) if lang in LANGUAGES else LANGUAGES
        texts = self.as_dict()
        for code in order:
            if texts.get(code):
                return texts[code]
        raise AssertionError("unreachable: a Name always has one language")

    def as_dict(self) -> dict[str, str]:
        texts = {"fi": self.fi, "sv": self.sv, "en": self.en}
        return {k: v for k, v in texts.items() if v is not None}


def _tuple(value: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(value) if value else ()


def _dates(value: Iterable[dt.date]) -> tuple[dt.date, ...]:
    """Typed, unlike ``converter=tuple``, so that typed callers may pass any iterable of dates."""
    return tuple(value)


def _topics(value: Iterable[Topic]) -> tuple[Topic, ...]:
    return tuple(value)


@frozen
class Organisation:
    id: str
    name: Name
    languages: tuple[str, ...] = field(converter=_tuple)
    scope: Scope
    municipalities: tuple[str, ...] = field(converter=_tuple)
    business_id: str | None = None
    register_number: str | None = None
    fields: tuple[str, ...] = field(default=(), converter=_tuple)
    members: int | None = None
    volunteers: int | None = None
    founded: dt.date | None = None
    dissolved: dt.date | None = None

    def active_in(self, year: int) -> bool:
        """Founded by the end of ``year`` and not dissolved before it began."""
        if self.founded is not None and self.founded.year > year:
            return False
        return not (self.dissolved is not None and self.dissolved.year < year)


@frozen
class Service:
    id: str
    organisation: str
    name: Name
    kind: str
    #: Empty means: where the organisation works.
    municipalities: tuple[str, ...] = field(default=(), converter=_tuple)
    #: Empty means: the organisation's languages.
    languages: tuple[str, ...] = field(default=(), converter=_tuple)
    #: Absent (None) is unknown, never "not linked" (domain.md).
    in_service_path: bool | None = None
    participants_per_year: int | None = None
    #: The municipality where it runs (its address); ``municipalities`` is whom it serves.
    location: str | None = None


@frozen
class Agreement:
    id: str
    kind: AgreementKind
    party: PartyRef
    organisation: str
    start: dt.date
    #: Empty means: all the organisation's services in the party's territory.
    services: tuple[str, ...] = field(default=(), converter=_tuple)
    decided: dt.date | None = None
    end: dt.date | None = None
    annual_amount_eur: Decimal | None = None
    premises_terms: PremisesTerms | None = None
    lots: bool | None = None


@frozen
class Responsibility:
    """The agreement the organisations ask for: who funds which middle-ground service kind."""

    id: str
    municipality: str
    area: str
    start: dt.date
    assignments: Mapping[str, ResponsibleParty]
    end: dt.date | None = None


@frozen
class Structure:
    id: str
    kind: StructureKind
    party: PartyRef
    name: Name
    members: tuple[str, ...] = field(default=(), converter=_tuple)
    meetings: tuple[dt.date, ...] = field(default=(), converter=_dates)
    established: dt.date | None = None
    dissolved: dt.date | None = None

    def active_in(self, year: int) -> bool:
        if self.established is not None and self.established.year > year:
            return False
        return not (self.dissolved is not None and self.dissolved.year < year)

    def meetings_in(self, year: int) -> int:
        return sum(1 for d in self.meetings if d.year == year)


@frozen
class Coordinator:
    """A post, never a person: the dataset holds no personal data."""

    id: str
    party: PartyRef
    title: CoordinatorTitle
    start: dt.date
    covers_organisations: bool = False
    end: dt.date | None = None


@frozen
class Hearing:
    """Organisations heard, directly or through bodies, and what the record shows of its quality.

    Every field after ``languages`` is optional and unknown when absent: a hearing
    without ``response_published`` is not one whose response went unpublished.
    """

    id: str
    party: PartyRef
    date: dt.date
    topic: str
    #: Organisations heard directly; at least one of these and ``structures``.
    organisations: tuple[str, ...] = field(default=(), converter=_tuple)
    #: Bodies heard (structure ids): their member organisations count as heard.
    structures: tuple[str, ...] = field(default=(), converter=_tuple)
    languages: tuple[str, ...] = field(default=(), converter=_tuple)
    #: The decision it prepared, as published ("Aluehallitus 12.3.2024 § 45").
    decision: str | None = None
    decision_date: dt.date | None = None
    #: The date by which statements were due.
    deadline: dt.date | None = None
    statements: int | None = None
    response_published: bool | None = None
    #: What changed because of the hearing.
    changes: str | None = None
    #: Residents or service users were heard too.
    residents: bool | None = None


@frozen
class Commitment:
    """A strategy (kuntastrategia, hyvinvointialuestrategia) and the topics it commits to."""

    id: str
    party: PartyRef
    document: str
    start: dt.date
    topics: tuple[Topic, ...] = field(converter=_topics)
    decided: dt.date | None = None
    end: dt.date | None = None


@frozen
class WelfareReport:
    """A welfare report or plan (hyvinvointikertomus, -suunnitelma) or the yearly report.

    The place of knowledge-based management (Act 612/2021 sections 6 and 7);
    ``organisations_heard`` and ``includes_organisations`` are unknown when absent.
    """

    id: str
    party: PartyRef
    kind: WelfareReportKind
    start: dt.date
    end: dt.date | None = None
    decided: dt.date | None = None
    organisations_heard: bool | None = None
    includes_organisations: bool | None = None
    indicators: str | None = None


@frozen
class Appropriation:
    """A budget line of a year, and what of it is reserved for organisation grants.

    ``hyte`` and ``grants_reserved_eur`` are unknown when absent, never false or 0.
    """

    id: str
    party: PartyRef
    year: int
    line: str
    amount_eur: Decimal
    hyte: bool | None = None
    grants_reserved_eur: Decimal | None = None


def _parties(value: Iterable[PartyRef]) -> tuple[PartyRef, ...]:
    return tuple(value)


def _domains(value: Iterable[Domain]) -> tuple[Domain, ...]:
    return tuple(value)


@frozen
class Coverage:
    """The dataset holds every record of ``collections`` for ``parties`` in the period.

    Only under coverage does a missing record mean "no"; elsewhere it is "not
    recorded" (domain.md, "Coverage"). ``members`` extends the party-owned
    collections of an area to its member municipalities.
    """

    id: str
    collections: tuple[str, ...] = field(converter=_tuple)
    parties: tuple[PartyRef, ...] = field(converter=_parties)
    start: dt.date
    end: dt.date
    members: bool | None = None
    source: str | None = None

    def covers_year(self, year: int) -> bool:
        """Whether the period spans the whole calendar year (half a year is not every record)."""
        return self.start <= dt.date(year, 1, 1) and self.end >= dt.date(year, 12, 31)


@frozen
class JointAuthority:
    """A joint municipal authority (kuntayhtymä) such as Siun sote until 2022.

    It is responsible for what it ``organises`` for its ``members`` while in force.
    """

    id: str
    name: Name
    members: tuple[str, ...] = field(converter=_tuple)
    start: dt.date
    organises: tuple[Domain, ...] = field(converter=_domains)
    end: dt.date | None = None


@frozen
class Funder:
    """Any other funder (STEA, a foundation, a parish): it funds, it is never responsible."""

    id: str
    name: Name
    kind: FunderKind
    business_id: str | None = None


#: The closed vocabularies of the dataset format.
ENUMS: Final = (
    Scope,
    AgreementKind,
    PremisesTerms,
    ResponsibleParty,
    StructureKind,
    CoordinatorTitle,
    Topic,
    WelfareReportKind,
    Domain,
    PartyKind,
    FunderKind,
)

#: The collections of a dataset, in document order, with their record class.
COLLECTIONS: Final[Mapping[str, type]] = {
    "organisations": Organisation,
    "services": Service,
    "agreements": Agreement,
    "responsibilities": Responsibility,
    "structures": Structure,
    "coordinators": Coordinator,
    "hearings": Hearing,
    "commitments": Commitment,
    "welfare_reports": WelfareReport,
    "appropriations": Appropriation,
    "coverage": Coverage,
    "joint_authorities": JointAuthority,
    "funders": Funder,
}


def _mapping(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return dict(sorted(value.items())) if value else {}


@frozen
class Publisher:
    """Who publishes a dataset as open data, and what consumers need to know to use it.

    Exports name the publisher, cite the licence and prefix their grant ids
    with ``prefix`` (a 360Giving prefix registered by the publisher, or its
    org-id), so that two publishers never mint the same id. ``business_ids``
    give the Y-tunnus of public bodies by party reference (``municipality:091``):
    the bundled reference data has none (no openly licensed source), and a
    funder's open-data id is ``FI-PRO-<Y-tunnus>`` only where it is known.
    """

    name: Name
    prefix: str | None = None
    org_id: str | None = None
    licence: str | None = None
    url: str | None = None
    #: The language of the texts exports write (titles, descriptions, primary names).
    language: str = "fi"
    business_ids: Mapping[str, str] = field(factory=dict, converter=_mapping)


@frozen
class Dataset:
    """One region's (or the country's) organisations and their cooperation."""

    name: Name | None = None
    description: Name | None = None
    publisher: Publisher | None = None
    organisations: tuple[Organisation, ...] = ()
    services: tuple[Service, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    responsibilities: tuple[Responsibility, ...] = ()
    structures: tuple[Structure, ...] = ()
    coordinators: tuple[Coordinator, ...] = ()
    hearings: tuple[Hearing, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    welfare_reports: tuple[WelfareReport, ...] = ()
    appropriations: tuple[Appropriation, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    joint_authorities: tuple[JointAuthority, ...] = ()
    funders: tuple[Funder, ...] = ()

    def collection(self, name: str) -> tuple[object, ...]:
        if name not in COLLECTIONS:
            raise KeyError(name)
        records: tuple[object, ...] = getattr(self, name)
        return records

    def records(self) -> Iterator[tuple[str, object]]:
        for name in COLLECTIONS:
            for record in self.collection(name):
                yield name, record

    def years(self) -> range:
        """The calendar years the dataset's dated records touch (empty when none).

        Open-ended records count up to their start year; callers that need
        the default year use jarjesto_core.assessment.default_year.
        """
        years: set[int] = set()
        for _name, record in self.records():
            years.update(touched_years(record))
        if not years:
            return range(0)
        return range(min(years), max(years) + 1)


def touched_years(record: object) -> set[int]:
    """The calendar years one record's own dates name (what :meth:`Dataset.years` spans)."""
    years: set[int] = set()
    for attr in ("start", "end", "date", "decided", "established"):
        value = getattr(record, attr, None)
        if isinstance(value, dt.date):
            years.add(value.year)
    if isinstance(record, Appropriation):
        years.add(record.year)
    for meeting in getattr(record, "meetings", ()):
        years.add(meeting.year)
    return years


def in_force(start: dt.date, end: dt.date | None, year: int) -> bool:
    """A period is in force in ``year`` when it overlaps that calendar year."""
    return start.year <= year and (end is None or end.year >= year)


def years_of(start: dt.date, end: dt.date | None, last: int) -> range:
    """The calendar years of a period; an open end runs to ``last``."""
    stop = end.year if end is not None else max(last, start.year)
    return range(start.year, stop + 1)
