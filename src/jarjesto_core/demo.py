"""A deterministic synthetic dataset on the real reference data, for demos and benchmarks.

Real data at national scale is not public in one place, and the sample is one
region; benchmarks and demos need a country-sized dataset whose shape is
plausible (most organisations local, grants mostly annual operating grants)
and which exercises every rule and funding status. Everything is drawn from
one ``random.Random(seed)``, so the same arguments give the same dataset,
record for record.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

import attrs

from jarjesto_core.business_id import check_digit
from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import (
    COLLECTIONS,
    Agreement,
    AgreementKind,
    Appropriation,
    Commitment,
    Coordinator,
    CoordinatorTitle,
    Coverage,
    Dataset,
    Domain,
    Hearing,
    Name,
    Organisation,
    PartyRef,
    PremisesTerms,
    Responsibility,
    ResponsibleParty,
    Scope,
    Service,
    Structure,
    StructureKind,
    Topic,
    WelfareReport,
    WelfareReportKind,
)
from jarjesto_core.reference import AREA_ALAND, AREA_HELSINKI, Municipality, Reference

__all__ = ["DEFAULT_LAST_YEAR", "NATIONAL_ORGANISATIONS", "generate"]

#: The last year of the generated history; fixed, so output never depends on today.
DEFAULT_LAST_YEAR: Final = 2025
#: The size the benchmarks call "national scale".
NATIONAL_ORGANISATIONS: Final = 20_000
_REFORM: Final = 2023

_FIELDS: Final = (
    "mental_health",
    "substance_use",
    "child_family",
    "older_people",
    "disability",
    "youth",
    "culture",
    "sports",
)
_FI_WORDS: Final = (
    "Mielenterveysseura",
    "Kylätoimikunta",
    "Eläkeläiset",
    "Perheyhdistys",
    "Nuorisoseura",
    "Invalidiyhdistys",
    "Urheiluseura",
    "Kulttuuriyhdistys",
)
_SV_WORDS: Final = (
    "Föreningen för psykisk hälsa",
    "Byalaget",
    "Pensionärerna",
    "Familjeföreningen",
    "Ungdomsföreningen",
    "Handikappföreningen",
    "Idrottsföreningen",
    "Kulturföreningen",
)
_KINDS: Final = tuple(sorted(CORE_SERVICE_KINDS))
_PREVENTION: Final = tuple(k for k in _KINDS if CORE_SERVICE_KINDS[k] is Domain.PREVENTION)
#: What a responsibility agreement may assign a kind to (never a joint authority).
_ASSIGNABLE: Final = (
    ResponsibleParty.MUNICIPALITY,
    ResponsibleParty.AREA,
    ResponsibleParty.SHARED,
)
_MUNICIPAL: Final = tuple(k for k in _KINDS if CORE_SERVICE_KINDS[k] is Domain.MUNICIPAL)
_TOPICS: Final = tuple(Topic)
_SOTE_KINDS: Final = (
    AgreementKind.SERVICE_PURCHASE,
    AgreementKind.SERVICE_VOUCHER,
    AgreementKind.PERSONAL_BUDGET,
)
#: Bodies of a municipality and the share of municipalities that have one.
_MUNICIPAL_BODIES: Final = (
    (StructureKind.YOUTH_COUNCIL, 0.95),
    (StructureKind.OLDER_PEOPLE_COUNCIL, 0.9),
    (StructureKind.DISABILITY_COUNCIL, 0.8),
    (StructureKind.ASSOCIATION_FORUM, 0.3),
    (StructureKind.LOCAL_ORGANISATION_COUNCIL, 0.2),
)
_OPEN_BODIES: Final = frozenset(
    {StructureKind.ASSOCIATION_FORUM, StructureKind.LOCAL_ORGANISATION_COUNCIL}
)


class _Places:
    """The municipalities of the last year, drawn in proportion to population."""

    def __init__(self, reference: Reference, year: int) -> None:
        # Only municipalities that exist in every classification year, so open-ended
        # records stay valid (a merged municipality would not).
        keep = [
            m
            for m in sorted(reference.municipalities_in(year), key=lambda m: m.code)
            if all(reference.exists(m.code, y) for y in reference.years)
        ]
        self.all: tuple[Municipality, ...] = tuple(keep)
        self.weights = list(itertools.accumulate(m.population + 500 for m in keep))
        self.by_area: dict[str, list[Municipality]] = {}
        for m in keep:
            self.by_area.setdefault(m.area, []).append(m)
        self.areas = tuple(sorted(self.by_area))

    def pick(self, rng: random.Random) -> Municipality:
        point = rng.random() * self.weights[-1]
        return self.all[bisect.bisect_right(self.weights, point)]


def _business_id(rng: random.Random) -> str:
    while True:
        body = f"{rng.randrange(1_000_000, 9_999_999):07d}"
        digit = check_digit(body)
        if digit is not None:
            return f"{body}-{digit}"


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high) * 100)


class _Builder:
    def __init__(self, reference: Reference, rng: random.Random, first: int, last: int) -> None:
        self.reference = reference
        self.rng = rng
        self.first = first
        self.last = last
        self.places = _Places(reference, max(reference.years))
        self.organisations: list[Organisation] = []
        self.services: list[Service] = []
        self.agreements: list[Agreement] = []
        self.services_of: dict[str, list[Service]] = {}
        self.orgs_in: dict[str, list[str]] = {}
        self.minority_in: dict[str, list[str]] = {}
        self._agreement_ids = itertools.count(1)

    # -- organisations and services --------------------------------------------

    def organisation(self, index: int) -> None:
        rng = self.rng
        home = self.places.pick(rng)
        roll = rng.random()
        if roll < 0.02:
            scope = Scope.NATIONAL
            where = {home.code, *(self.places.pick(rng).code for _ in range(rng.randrange(8, 25)))}
        elif roll < 0.10:
            scope = Scope.REGIONAL
            members = self.places.by_area[home.area]
            where = {home.code, *(m.code for m in rng.sample(members, min(len(members), 6)))}
        else:
            scope = Scope.LOCAL
            neighbours = self.places.by_area[home.area]
            where = {home.code}
            if rng.random() < 0.15:
                where.add(rng.choice(neighbours).code)
        swedish = home.language == "sv" or (home.bilingual and rng.random() < 0.4)
        if home.language == "sv":
            languages = ["sv"]
        elif swedish:
            languages = ["sv"] if rng.random() < 0.6 else ["fi", "sv"]
        else:
            languages = ["fi"]
        field_index = rng.randrange(len(_FIELDS))
        if "fi" in languages:
            name = Name(fi=f"{home.name.fi} {_FI_WORDS[field_index]} {index}")
        else:
            name = Name(sv=f"{_SV_WORDS[field_index]} i {home.name.pick('sv')} {index}")
        founded = _day(rng, rng.randrange(1950, self.first))
        dissolved = (
            _day(rng, rng.randrange(self.first + 1, self.last + 1))
            if rng.random() < 0.02 and self.last > self.first
            else None
        )
        org = Organisation(
            id=f"org-{index:05d}",
            name=name,
            languages=languages,
            scope=scope,
            municipalities=sorted(where),
            business_id=_business_id(rng) if rng.random() < 0.6 else None,
            fields=[_FIELDS[field_index]],
            members=rng.randrange(10, 3000),
            volunteers=rng.randrange(0, 200) if rng.random() < 0.7 else None,
            founded=founded,
            dissolved=dissolved,
        )
        self.organisations.append(org)
        for code in org.municipalities:
            self.orgs_in.setdefault(code, []).append(org.id)
            if swedish:
                self.minority_in.setdefault(code, []).append(org.id)
        self.services_of[org.id] = []
        for n in range(1 + (rng.random() < 0.7) + (rng.random() < 0.3)):
            self.service(org, n)

    def service(self, org: Organisation, n: int) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.10:
            kind = "sote_service"
        elif roll < 0.65:
            kind = rng.choice(_PREVENTION)
        else:
            kind = rng.choice(_MUNICIPAL)
        where: Sequence[str] = ()
        if len(org.municipalities) > 1 and rng.random() < 0.3:
            where = sorted(rng.sample(org.municipalities, max(1, len(org.municipalities) // 2)))
        service = Service(
            id=f"{org.id}-s{n}",
            organisation=org.id,
            name=Name(fi=f"{kind} {n + 1}")
            if "fi" in org.languages
            else Name(sv=f"{kind} {n + 1}"),
            kind=kind,
            municipalities=where,
            in_service_path=rng.random() < 0.45,
            participants_per_year=rng.randrange(5, 2000) if rng.random() < 0.75 else None,
        )
        self.services.append(service)
        self.services_of[org.id].append(service)

    # -- agreements ---------------------------------------------------------------

    def agreement(
        self,
        kind: AgreementKind,
        party: PartyRef,
        org: Organisation,
        start: dt.date,
        end: dt.date | None,
        **extra: object,
    ) -> None:
        self.agreements.append(
            Agreement(
                id=f"a-{next(self._agreement_ids):07d}",
                kind=kind,
                party=party,
                organisation=org.id,
                start=start,
                end=end,
                decided=start - dt.timedelta(days=30 + self.rng.randrange(60)),
                **extra,  # type: ignore[arg-type]
            )
        )

    def operating_grant(
        self, org: Organisation, party: PartyRef, year: int, services: Sequence[Service]
    ) -> None:
        listed = () if self.rng.random() < 0.8 else (self.rng.choice(services).id,)
        self.agreement(
            AgreementKind.OPERATING_GRANT,
            party,
            org,
            dt.date(year, 1, 1),
            dt.date(year, 12, 31),
            services=listed,
            annual_amount_eur=_money(self.rng, 5, 400),
        )

    def funding(self, org: Organisation) -> None:
        """Annual operating grants with gaps, the reform, and a few other kinds."""
        rng = self.rng
        home = org.municipalities[0]
        area = self.reference.area_of(home, self.last) or ""
        own = PartyRef.municipality(home)
        region = PartyRef.area(area)
        services = self.services_of[org.id]
        at_risk = any(CORE_SERVICE_KINDS[s.kind] is not Domain.MUNICIPAL for s in services)
        begin = max(self.first, org.founded.year if org.founded else self.first)
        end = org.dissolved.year - 1 if org.dissolved else self.last
        if rng.random() < 0.8:
            # What happens to the municipal grant at the reform: most go on; some move
            # to the area; some stop with nobody taking over (the reform gap).
            fate = rng.random() if at_risk else 0.0
            for year in range(begin, end + 1):
                if rng.random() < 0.04:
                    continue  # an interruption
                party = own
                if year >= _REFORM and fate > 0.85:
                    continue
                if year >= _REFORM and fate > 0.65:
                    party = region
                self.operating_grant(org, party, year, services)
        # Organisations working in several municipalities get grants from some of the others.
        for code in org.municipalities[1:]:
            if rng.random() < 0.4:
                for year in range(begin, end + 1):
                    if rng.random() > 0.06:
                        self.operating_grant(org, PartyRef.municipality(code), year, services)
        if rng.random() < 0.3:
            year = rng.randrange(begin, end + 1) if begin <= end else self.first
            self.agreement(
                AgreementKind.PROJECT_GRANT,
                rng.choice((own, region)),
                org,
                dt.date(year, 3, 1),
                dt.date(max(year, min(year + 2, self.last)), 12, 31),
                services=(rng.choice(services).id,),
                annual_amount_eur=_money(rng, 50, 1500),
            )
        if rng.random() < 0.3:
            # Premises are let a year at a time.
            terms = rng.choice(tuple(PremisesTerms))
            for year in range(begin, end + 1):
                self.agreement(
                    AgreementKind.PREMISES,
                    own,
                    org,
                    dt.date(year, 1, 1),
                    dt.date(year, 12, 31),
                    premises_terms=terms,
                )
        sote = [s for s in services if s.kind == "sote_service"]
        if sote and rng.random() < 0.6:
            start = max(begin, _REFORM)
            kind = _SOTE_KINDS[rng.randrange(3) if rng.random() < 0.3 else 0]
            extra: dict[str, object] = (
                {"lots": rng.random() < 0.5} if kind is AgreementKind.SERVICE_PURCHASE else {}
            )
            self.agreement(
                kind,
                region,
                org,
                dt.date(start, 1, 1),
                dt.date(max(start, self.last), 12, 31),
                services=tuple(s.id for s in sote),
                annual_amount_eur=_money(rng, 100, 5000),
                **extra,
            )
        if at_risk and rng.random() < 0.05:
            self.agreement(
                AgreementKind.COOPERATION, region, org, dt.date(max(begin, _REFORM), 1, 1), None
            )

    # -- public bodies ------------------------------------------------------------

    def bodies(
        self,
    ) -> tuple[
        list[Responsibility], list[Structure], list[Coordinator], list[Hearing], list[Commitment]
    ]:
        rng = self.rng
        first, last = self.first, self.last
        responsibilities: list[Responsibility] = []
        structures: list[Structure] = []
        coordinators: list[Coordinator] = []
        hearings: list[Hearing] = []
        commitments: list[Commitment] = []

        def meetings(since: int, most: int) -> list[dt.date]:
            return sorted(
                {
                    _day(rng, y)
                    for y in range(since, last + 1)
                    for _ in range(rng.randrange(most + 1))
                }
            )

        for m in self.places.all:
            party = m.party
            orgs = self.orgs_in.get(m.code, [])
            # Two in five municipalities agree responsibilities with their area; the
            # rest leave the middle ground a blind spot.
            if rng.random() < 0.4 and last >= _REFORM:
                kinds = rng.sample(_PREVENTION, rng.randrange(2, len(_PREVENTION) + 1))
                assignments = {k: rng.choice(_ASSIGNABLE) for k in sorted(kinds)}
                # Helsinki is one body and Åland is outside the reform: nothing to split.
                if m.area not in (AREA_HELSINKI, AREA_ALAND):
                    responsibilities.append(
                        Responsibility(
                            id=f"r-{m.code}",
                            municipality=m.code,
                            area=m.area,
                            start=dt.date(_REFORM, 1, 1),
                            end=None,
                            assignments=assignments,
                        )
                    )
            for kind, share in _MUNICIPAL_BODIES:
                if rng.random() < share:
                    members = rng.sample(orgs, min(len(orgs), 8)) if kind in _OPEN_BODIES else []
                    structures.append(
                        Structure(
                            id=f"st-{m.code}-{kind.value}",
                            kind=kind,
                            party=party,
                            name=Name(fi=f"{m.name.fi}: {kind.value}"),
                            members=sorted(members),
                            meetings=meetings(first, 4),
                            established=dt.date(first, 1, 1),
                        )
                    )
            if rng.random() < 0.3:
                coordinators.append(
                    Coordinator(
                        id=f"c-{m.code}",
                        party=party,
                        title=rng.choice(tuple(CoordinatorTitle)),
                        covers_organisations=rng.random() < 0.5,
                        start=dt.date(rng.randrange(first, last + 1), 1, 1),
                    )
                )
            minority = self.minority_in.get(m.code, [])
            for year in range(first, last + 1):
                if orgs and rng.random() < 0.5:
                    heard = rng.sample(orgs, min(len(orgs), rng.randrange(1, 12)))
                    if minority and m.bilingual and rng.random() < 0.5:
                        heard.append(rng.choice(minority))
                    hearings.append(
                        Hearing(
                            id=f"h-{m.code}-{year}",
                            party=party,
                            date=_day(rng, year),
                            topic=f"Hyvinvointisuunnitelma {year}",
                            organisations=sorted(set(heard)),
                            languages=["fi", "sv"] if m.bilingual else [],
                        )
                    )
        for code in self.places.areas:
            party = PartyRef.area(code)
            members = [o for m in self.places.by_area[code] for o in self.orgs_in.get(m.code, [])]
            structures.append(
                Structure(
                    id=f"st-{code}-council",
                    kind=StructureKind.ORGANISATION_COUNCIL,
                    party=party,
                    name=Name(fi=f"Järjestöneuvottelukunta {code}"),
                    members=sorted(set(rng.sample(members, min(len(members), 15)))),
                    meetings=meetings(max(first, _REFORM - 1), 4),
                    established=dt.date(max(first, _REFORM - 1), 1, 1),
                )
            )
            if rng.random() < 0.7:
                structures.append(
                    Structure(
                        id=f"st-{code}-family",
                        kind=StructureKind.FAMILY_CENTRE_NETWORK,
                        party=party,
                        name=Name(fi=f"Perhekeskusverkosto {code}"),
                        members=sorted(set(rng.sample(members, min(len(members), 10)))),
                        established=dt.date(first, 1, 1),
                    )
                )
            if rng.random() < 0.7:
                coordinators.append(
                    Coordinator(
                        id=f"c-{code}",
                        party=party,
                        title=CoordinatorTitle.ORGANISATION_COORDINATOR,
                        covers_organisations=True,
                        start=dt.date(max(first, _REFORM), 1, 1),
                    )
                )
            if last >= _REFORM:
                commitments.append(
                    Commitment(
                        id=f"k-{code}",
                        party=party,
                        document=f"Hyvinvointialuestrategia {_REFORM}–{_REFORM + 2} ({code})",
                        start=dt.date(_REFORM, 1, 1),
                        end=dt.date(_REFORM + 2, 12, 31),
                        topics=sorted(rng.sample(_TOPICS, rng.randrange(1, len(_TOPICS) + 1))),
                    )
                )
        return responsibilities, structures, coordinators, hearings, commitments


def _v2_records(
    builder: _Builder, hearings: list[Hearing], seed: int
) -> tuple[list[Hearing], list[WelfareReport], list[Appropriation]]:
    """The data of domain.md v2: hearings' quality, welfare reports, appropriations.

    Drawn from a random stream of their own, so the records above stay as they
    were for a given seed (the benchmarks' figures compare like with like).
    """
    rng = random.Random(f"v2-{seed}")
    first, last = builder.first, builder.last
    judged: list[Hearing] = []
    for h in hearings:
        if rng.random() < 0.5:
            decided = h.date + dt.timedelta(days=rng.randrange(-10, 60))
            h = attrs.evolve(
                h,
                decision=f"Kunnanhallitus {decided.day}.{decided.month}.{decided.year} § "
                f"{rng.randrange(1, 300)}",
                decision_date=decided,
                deadline=h.date + dt.timedelta(days=rng.randrange(5, 30)),
                response_published=rng.choice((True, False, None)),
            )
        judged.append(h)
    reports: list[WelfareReport] = []
    appropriations: list[Appropriation] = []
    parties = [m.party for m in builder.places.all]
    parties += [PartyRef.area(code) for code in builder.places.areas]
    for party in parties:
        if rng.random() < 0.5:
            reports.append(
                WelfareReport(
                    id=f"wr-{party.kind.value}-{party.code}",
                    party=party,
                    kind=rng.choice(tuple(WelfareReportKind)),
                    start=dt.date(first, 1, 1),
                    end=dt.date(last, 12, 31),
                    organisations_heard=rng.choice((True, False, None)),
                    includes_organisations=rng.choice((True, False, None)),
                )
            )
        for year in range(first, last + 1):
            if rng.random() < 0.3:
                amount = _money(rng, 20_000, 400_000)
                reserved = rng.choice((None, Decimal(0), (amount / 4).quantize(Decimal("1"))))
                appropriations.append(
                    Appropriation(
                        id=f"ap-{party.kind.value}-{party.code}-{year}",
                        party=party,
                        year=year,
                        line=f"Hyvinvoinnin ja terveyden edistäminen {year}",
                        amount_eur=amount,
                        hyte=True,
                        grants_reserved_eur=reserved,
                    )
                )
    return judged, reports, appropriations


def generate(
    reference: Reference,
    *,
    organisations: int = 200,
    years: int = 5,
    seed: int = 0,
    last_year: int = DEFAULT_LAST_YEAR,
) -> Dataset:
    """A synthetic dataset of ``organisations`` over the ``years`` ending with ``last_year``.

    Valid by :func:`jarjesto_core.validation.validate` with the core service
    kinds. At national scale (20,000 organisations, 10 years) it holds about
    40,000 services and 250,000 agreements.
    """
    if organisations < 1 or years < 1:
        raise ValueError("organisations and years must be at least 1")
    rng = random.Random(seed)
    builder = _Builder(reference, rng, last_year - years + 1, last_year)
    for index in range(1, organisations + 1):
        builder.organisation(index)
    for org in builder.organisations:
        builder.funding(org)
    responsibilities, structures, coordinators, hearings, commitments = builder.bodies()
    hearings, welfare_reports, appropriations = _v2_records(builder, hearings, seed)
    return Dataset(
        name=Name(
            fi="Synteettinen esimerkkiaineisto",
            sv="Syntetiskt exempeldata",
            en="Synthetic demo data",
        ),
        description=Name(
            en=f"Generated by jarjesto demo generate: {organisations} organisations, "
            f"{years} years to {last_year}, seed {seed}. Not real data."
        ),
        organisations=tuple(builder.organisations),
        services=tuple(builder.services),
        agreements=tuple(builder.agreements),
        responsibilities=tuple(responsibilities),
        structures=tuple(structures),
        coordinators=tuple(coordinators),
        hearings=tuple(hearings),
        commitments=tuple(commitments),
        welfare_reports=tuple(welfare_reports),
        appropriations=tuple(appropriations),
        coverage=(_everything(reference, last_year - years + 1, last_year),),
    )


def _everything(reference: Reference, first: int, last: int) -> Coverage:
    """Generated data are complete by construction: every collection of every area (with
    its members) in every year, so that absence there means "no" and every status shows."""
    return Coverage(
        "demo-everything",
        tuple(name for name in COLLECTIONS if name != "coverage"),
        tuple(PartyRef.area(a.code) for a in reference.areas),
        dt.date(first, 1, 1),
        dt.date(last, 12, 31),
        members=True,
        source="jarjesto demo generate",
    )
