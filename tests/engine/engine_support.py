"""Small datasets built straight from the attrs models, for the engine's tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from jarjesto_core.coverage import COVERABLE
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Commitment,
    Coordinator,
    CoordinatorTitle,
    Coverage,
    Dataset,
    Hearing,
    Name,
    Organisation,
    PartyRef,
    Responsibility,
    ResponsibleParty,
    Scope,
    Service,
    Structure,
    StructureKind,
    Topic,
)

JOENSUU = "167"
OUTOKUMPU = "309"
PORVOO = "638"  # bilingual, Finnish majority, area 01
HELSINKI = "091"
KARJALA = "14"


def d(year: int, month: int = 1, day: int = 1) -> dt.date:
    return dt.date(year, month, day)


def party(text: str) -> PartyRef:
    return PartyRef.parse(text)


def org(
    id: str, *municipalities: str, languages: tuple[str, ...] = ("fi",), **kw: Any
) -> Organisation:
    return Organisation(id, Name(fi=id), languages, Scope.LOCAL, municipalities or (JOENSUU,), **kw)


def svc(id: str, organisation: str, kind: str = "clubhouse", **kw: Any) -> Service:
    return Service(id, organisation, Name(fi=id), kind, **kw)


def agreement(
    id: str,
    kind: str,
    who: str,
    organisation: str,
    start: int = 2020,
    end: int | None = None,
    amount: str | None = None,
    **kw: Any,
) -> Agreement:
    return Agreement(
        id,
        AgreementKind(kind),
        party(who),
        organisation,
        d(start),
        end=d(end, 12, 31) if end is not None else None,
        annual_amount_eur=Decimal(amount) if amount is not None else None,
        **kw,
    )


def responsibility(
    id: str, municipality: str, area: str, start: int = 2020, end: int | None = None, **assign: str
) -> Responsibility:
    return Responsibility(
        id,
        municipality,
        area,
        d(start),
        {k: ResponsibleParty(v) for k, v in assign.items()},
        end=d(end, 12, 31) if end is not None else None,
    )


def structure(
    id: str,
    kind: str,
    who: str,
    members: tuple[str, ...] = (),
    meetings: tuple[dt.date, ...] = (),
    **kw: Any,
) -> Structure:
    return Structure(id, StructureKind(kind), party(who), Name(fi=id), members, meetings, **kw)


def coordinator(id: str, who: str, title: str, start: int = 2020, **kw: Any) -> Coordinator:
    return Coordinator(id, party(who), CoordinatorTitle(title), d(start), **kw)


def hearing(id: str, who: str, date: dt.date, *organisations: str) -> Hearing:
    return Hearing(id, party(who), date, "budget", organisations)


def commitment(id: str, who: str, *topics: str, start: int = 2020) -> Commitment:
    return Commitment(id, party(who), "Strategia", d(start), tuple(Topic(t) for t in topics))


def dataset(**collections: Any) -> Dataset:
    return Dataset(**{k: tuple(v) for k, v in collections.items()})


def coverage(
    id: str,
    *parties: str,
    collections: tuple[str, ...] = COVERABLE,
    start: int = 2000,
    end: int = 2030,
    members: bool | None = True,
) -> Coverage:
    """A coverage record: the dataset holds every such record of ``parties`` in the years."""
    return Coverage(
        id,
        collections,
        tuple(party(p) for p in parties),
        d(start),
        d(end, 12, 31),
        members=members,
    )


def covered(ds: Dataset, *parties: str, **kw: Any) -> Dataset:
    """``ds`` with every collection of ``parties`` (and their areas' members) covered."""
    extra = coverage(f"cov-{len(ds.coverage)}", *parties, **kw)
    return attrs.evolve(ds, coverage=(*ds.coverage, extra))
