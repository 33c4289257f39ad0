"""Datasets for the open-data tests: a small hand-built one and a large generated one."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Coordinator,
    CoordinatorTitle,
    Dataset,
    Name,
    Organisation,
    PartyRef,
    PremisesTerms,
    Scope,
    Service,
    Structure,
    StructureKind,
)
from jarjesto_core.reference import Reference, bundled_reference

D = dt.date


def business_id(number: int) -> str:
    """A Y-tunnus with a valid check digit (weights 7 9 10 5 8 4 2, modulo 11)."""
    while True:
        digits = f"{number:07d}"
        rest = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if rest != 1:
            return f"{digits}-{0 if rest == 0 else 11 - rest}"
        number += 1


@pytest.fixture(scope="session")
def reference() -> Reference:
    return bundled_reference()


def build_small() -> Dataset:
    """North Karelia and Ostrobothnia, with the cases each mapping must handle."""
    organisations = (
        Organisation(
            id="pkmts",
            name=Name(fi="Pohjois-Karjalan Mielenterveysseura ry", en="North Karelia MHA"),
            business_id="0242746-2",
            register_number="123.456",
            languages=("fi",),
            scope=Scope.REGIONAL,
            municipalities=("167", "309"),
            fields=("mental_health",),
            members=420,
            volunteers=60,
            founded=D(1952, 5, 1),
        ),
        Organisation(
            id="malax-ungdom",
            name=Name(sv="Malax ungdomsförening r.f.", fi="Maalahden nuorisoseura ry"),
            languages=("sv", "fi"),
            scope=Scope.LOCAL,
            municipalities=("475",),
        ),
        Organisation(
            id="old-club",
            name=Name(fi="Joensuun kerho ry"),
            languages=("fi",),
            scope=Scope.LOCAL,
            municipalities=("167",),
            founded=D(1990, 1, 1),
            dissolved=D(2023, 6, 30),
        ),
        Organisation(
            id="helsinki-crisis",
            name=Name(fi="Helsingin kriisikeskus ry", sv="Kriscentret i Helsingfors rf"),
            business_id=business_id(1234567),
            languages=("fi", "sv", "en"),
            scope=Scope.LOCAL,
            municipalities=("091",),
        ),
    )
    services = (
        Service(
            id="pkmts-club",
            organisation="pkmts",
            name=Name(fi="Klubitalo Joensuu"),
            kind="clubhouse",
            municipalities=("167",),
            in_service_path=True,
            participants_per_year=300,
        ),
        Service(
            id="pkmts-peer",
            organisation="pkmts",
            name=Name(fi="Vertaistukiryhmät", en="Peer support groups"),
            kind="peer_support",
        ),
        Service(
            id="malax-youth",
            organisation="malax-ungdom",
            name=Name(sv="Ungdomsgård"),
            kind="youth_work",
            languages=("sv",),
        ),
        Service(
            id="club-meet", organisation="old-club", name=Name(fi="Kerho"), kind="meeting_place"
        ),
        Service(
            id="hki-crisis",
            organisation="helsinki-crisis",
            name=Name(fi="Kriisipäivystys", sv="Krisjour"),
            kind="crisis_centre",
        ),
    )
    agreements = (
        Agreement(
            id="joensuu-og",
            kind=AgreementKind.OPERATING_GRANT,
            party=PartyRef.municipality("167"),
            organisation="pkmts",
            decided=D(2022, 12, 14),
            start=D(2023, 1, 1),
            end=D(2025, 12, 31),
            annual_amount_eur=Decimal("12000.00"),
        ),
        Agreement(
            id="area14-pg",
            kind=AgreementKind.PROJECT_GRANT,
            party=PartyRef.area("14"),
            organisation="pkmts",
            services=("pkmts-peer",),
            start=D(2024, 3, 1),
            end=D(2025, 8, 31),
            annual_amount_eur=Decimal("8500.50"),
        ),
        Agreement(
            id="malax-og",
            kind=AgreementKind.OPERATING_GRANT,
            party=PartyRef.municipality("475"),
            organisation="malax-ungdom",
            decided=D(2023, 2, 1),
            start=D(2023, 1, 1),
            annual_amount_eur=Decimal("2500"),
        ),
        Agreement(
            id="joensuu-premises",
            kind=AgreementKind.PREMISES,
            party=PartyRef.municipality("167"),
            organisation="pkmts",
            start=D(2023, 1, 1),
            premises_terms=PremisesTerms.SUBSIDISED,
        ),
        Agreement(
            id="hki-og-noamount",
            kind=AgreementKind.OPERATING_GRANT,
            party=PartyRef.area("90"),
            organisation="helsinki-crisis",
            start=D(2024, 1, 1),
            end=D(2024, 12, 31),
        ),
        Agreement(
            id="hki-purchase",
            kind=AgreementKind.SERVICE_PURCHASE,
            party=PartyRef.area("90"),
            organisation="helsinki-crisis",
            services=("hki-crisis",),
            start=D(2024, 1, 1),
            annual_amount_eur=Decimal("90000"),
        ),
    )
    structures = (
        Structure(
            id="jane",
            kind=StructureKind.ORGANISATION_COUNCIL,
            party=PartyRef.area("14"),
            name=Name(fi="JANE – järjestöasiain neuvottelukunta"),
            members=("pkmts", "old-club"),
            meetings=(D(2024, 2, 1), D(2024, 5, 1)),
            established=D(2021, 1, 1),
        ),
        Structure(
            id="malax-youth-council",
            kind=StructureKind.YOUTH_COUNCIL,
            party=PartyRef.municipality("475"),
            name=Name(fi="Maalahden nuorisovaltuusto", sv="Malax ungdomsfullmäktige"),
        ),
    )
    coordinators = (
        Coordinator(
            id="pk-coord",
            party=PartyRef.area("14"),
            title=CoordinatorTitle.ORGANISATION_COORDINATOR,
            covers_organisations=True,
            start=D(2023, 1, 1),
        ),
        Coordinator(
            id="joensuu-hyte",
            party=PartyRef.municipality("167"),
            title=CoordinatorTitle.HYTE_COORDINATOR,
            start=D(2021, 8, 1),
            end=D(2024, 7, 31),
        ),
    )
    return Dataset(
        name=Name(fi="Testiaineisto"),
        organisations=organisations,
        services=services,
        agreements=agreements,
        structures=structures,
        coordinators=coordinators,
    )


def build_synthetic(reference: Reference, count: int = 200, seed: int = 9) -> Dataset:
    """A deterministic country-wide dataset of ``count`` organisations and their records."""
    rng = random.Random(seed)
    municipalities = sorted(m.code for m in reference.municipalities_in(2024))
    areas = sorted(a.code for a in reference.areas)
    kinds = sorted(CORE_SERVICE_KINDS)
    organisations, services, agreements, structures, coordinators = [], [], [], [], []
    for i in range(count):
        home = rng.sample(municipalities, rng.randint(0, 3))
        languages = rng.choice([("fi",), ("sv",), ("fi", "sv"), ("fi", "en"), ()])
        founded = D(rng.randint(1900, 2023), rng.randint(1, 12), rng.randint(1, 28))
        dissolved = D(rng.randint(2023, 2026), 6, 30) if rng.random() < 0.1 else None
        names = rng.choice(
            [
                Name(fi=f"Yhdistys {i} ry"),
                Name(sv=f"Förening {i} rf"),
                Name(fi=f"Yhdistys {i} ry", sv=f"Förening {i} rf", en=f"Association {i}"),
            ]
        )
        org = Organisation(
            id=f"org-{i:03d}",
            name=names,
            business_id=business_id(100000 + i * 37) if rng.random() < 0.7 else None,
            register_number=f"{100 + i}.{rng.randint(100, 999)}" if rng.random() < 0.5 else None,
            languages=languages,
            scope=rng.choice(list(Scope)),
            municipalities=tuple(home),
            fields=tuple(rng.sample(["mental_health", "older_people", "disability"], 1)),
            members=rng.choice([None, rng.randint(0, 5000)]),
            founded=founded,
            dissolved=dissolved,
        )
        organisations.append(org)
        for j in range(rng.randint(0, 3)):
            services.append(
                Service(
                    id=f"svc-{i:03d}-{j}",
                    organisation=org.id,
                    name=Name(fi=f"Palvelu {i}.{j}") if j % 2 else Name(sv=f"Tjänst {i}.{j}"),
                    kind=rng.choice(kinds),
                    municipalities=tuple(rng.sample(municipalities, 1)) if j == 2 else (),
                    languages=("fi",) if j == 1 else (),
                    in_service_path=rng.random() < 0.3,
                    participants_per_year=rng.choice([None, rng.randint(1, 900)]),
                )
            )
        for j in range(rng.randint(0, 3)):
            start = D(rng.randint(2021, 2025), rng.choice([1, 3, 9]), 1)
            party = (
                PartyRef.municipality(rng.choice(home or municipalities))
                if rng.random() < 0.6
                else PartyRef.area(rng.choice(areas))
            )
            kind = rng.choice(list(AgreementKind))
            agreements.append(
                Agreement(
                    id=f"agr-{i:03d}-{j}",
                    kind=kind,
                    party=party,
                    organisation=org.id,
                    decided=start - dt.timedelta(days=30) if rng.random() < 0.8 else None,
                    start=start,
                    end=rng.choice([None, D(start.year + rng.randint(0, 2), 12, 31)]),
                    annual_amount_eur=(
                        Decimal(rng.randint(500, 200000)) / (100 if rng.random() < 0.3 else 1)
                        if rng.random() < 0.9
                        else None
                    ),
                )
            )
    org_ids = [o.id for o in organisations]
    for k, area in enumerate(areas):
        structures.append(
            Structure(
                id=f"body-{area}",
                kind=rng.choice(list(StructureKind)),
                party=PartyRef.area(area),
                name=Name(fi=f"Neuvottelukunta {area}", sv=f"Delegation {area}"),
                members=tuple(sorted(rng.sample(org_ids, rng.randint(0, 12)))),
                established=D(2020 + k % 5, 1, 1),
                dissolved=D(2026, 1, 1) if k % 7 == 0 else None,
            )
        )
        coordinators.append(
            Coordinator(
                id=f"coord-{area}",
                party=PartyRef.area(area),
                title=rng.choice(list(CoordinatorTitle)),
                start=D(2022, 1, 1),
                end=rng.choice([None, D(2024, 12, 31)]),
            )
        )
    return Dataset(
        organisations=tuple(organisations),
        services=tuple(services),
        agreements=tuple(agreements),
        structures=tuple(structures),
        coordinators=tuple(coordinators),
    )


@pytest.fixture(scope="session")
def small() -> Dataset:
    return build_small()


@pytest.fixture(scope="session")
def synthetic(reference: Reference) -> Dataset:
    return build_synthetic(reference)
