"""Reading one territory's records: ``funding_dataset``, ``subject_dataset``, ``dated_counts``.

The funding table and the assessment made from them must be the ones made
from the whole dataset, for every area and for municipalities (Helsinki,
merged codes, services without their own catchment, records across a
border), on both backends.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jarjesto_core.demo import generate
from jarjesto_core.files import sample_dataset
from jarjesto_core.model import Dataset, PartyRef
from jarjesto_core.plugins import default_registry
from jarjesto_core.reference import bundled_reference
from jarjesto_core.resolver import resolve
from jarjesto_core.workspace import Workspace

REF = bundled_reference()
REGISTRY = default_registry()


def _rows(data: Dataset, territory: frozenset[str], year: int) -> tuple[object, ...]:
    return resolve(
        data,
        REF,
        year,
        REGISTRY.service_kinds,
        default_party=REGISTRY.default_responsible,
        municipalities=territory,
    )


def _subjects(years: tuple[int, ...]) -> Iterator[tuple[PartyRef, int, frozenset[str]]]:
    """Every area and a tenth of the municipalities (with Helsinki, its own area too, and
    Joensuu, the sample's), each year, with its territory."""
    for year in years:
        municipalities = sorted(m.code for m in REF.municipalities_in(year))
        chosen = {"091", "167", *municipalities[::10]}
        for subject in [
            *(a.party for a in REF.areas),
            *(PartyRef.municipality(code) for code in sorted(chosen)),
        ]:
            territory = REF.territory(subject, year)
            if territory:
                yield subject, year, territory


@pytest.mark.parametrize(
    ("data", "years"),
    [
        pytest.param(
            generate(REF, organisations=400, years=4, seed=7), (2021, 2022, 2023, 2024),
            id="generated",
        ),
        pytest.param(sample_dataset(), (2021, 2023, 2025), id="sample"),
    ],
)  # fmt: skip
def test_the_funding_table_from_a_territorys_records_is_the_whole_datasets(
    workspace: Workspace, data: Dataset, years: tuple[int, ...]
) -> None:
    workspace.load(data, actor="test")
    for subject, year, territory in _subjects(years):
        part = workspace.funding_dataset(territory, year, REF)
        assert _rows(part, territory, year) == _rows(data, territory, year), (subject, year)
    # What it reads is the area's: a small share of the whole.
    area = REF.territory(PartyRef.area("14"), years[-1])
    part = workspace.funding_dataset(area, years[-1], REF)
    assert 0 < len(part.agreements) < len(data.agreements) / 3


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(generate(REF, organisations=200, years=6, seed=11), id="generated"),
        pytest.param(sample_dataset(), id="sample"),
    ],
)
def test_the_years_counted_by_the_database_are_those_of_every_record(
    workspace: Workspace, data: Dataset
) -> None:
    from jarjesto_core.dated import DatedCounts

    workspace.load(data, actor="test")
    assert workspace.dated_counts() == DatedCounts.of(data)


def _assessed(data: Dataset, subject: PartyRef, year: int) -> str:
    from jarjesto_core.assessment import assess

    result = assess(data, year, [subject], registry=REGISTRY, reference=REF)
    formats = REGISTRY.report_formats
    return formats["json"].render(result, "fi") + formats["markdown"].render(result, "sv")


def _across_borders() -> Dataset:
    """The sample, and what reaches across a territory's border: Joensuu paying (and
    stopping paying at the reform) an organisation that works only in Helsinki, a
    hearing of Joensuu's hearing one, and a grant naming another's service elsewhere."""
    import datetime as dt
    from decimal import Decimal

    import attrs

    from jarjesto_core.model import Agreement, AgreementKind, Hearing, Name, Organisation, Scope

    data = sample_dataset()
    far = Organisation(
        id="kaukainen", name=Name(fi="Kaukainen ry"), languages=("sv",), scope=Scope.LOCAL,
        municipalities=("091",),
    )  # fmt: skip
    heard = attrs.evolve(far, id="kuultu", name=Name(fi="Kuultu ry"))
    template = data.services[0]
    elsewhere = attrs.evolve(template, id="svc-kaukainen", organisation="kaukainen",
                             municipalities=("091",))  # fmt: skip
    grant = Agreement(
        id="ag-joensuu-kaukainen", kind=AgreementKind.OPERATING_GRANT,
        party=PartyRef.municipality("167"), organisation="kaukainen",
        start=dt.date(2019, 1, 1), end=dt.date(2022, 12, 31),
        annual_amount_eur=Decimal("12000.00"),
    )  # fmt: skip
    naming = attrs.evolve(grant, id="ag-joensuu-nimetty", services=("svc-kaukainen",),
                          start=dt.date(2023, 1, 1), end=None)  # fmt: skip
    hearing = Hearing(
        id="kuuleminen-joensuu", party=PartyRef.municipality("167"), date=dt.date(2023, 5, 2),
        topic="Avustukset", organisations=("kuultu",), languages=("fi",),
    )  # fmt: skip
    return attrs.evolve(
        data,
        organisations=(*data.organisations, far, heard),
        services=(*data.services, elsewhere),
        agreements=(*data.agreements, grant, naming),
        hearings=(*data.hearings, hearing),
    )


@pytest.mark.parametrize(
    ("data", "years"),
    [
        pytest.param(
            generate(REF, organisations=400, years=4, seed=7), (2022, 2023, 2024), id="generated"
        ),
        pytest.param(sample_dataset(), (2022, 2023, 2024), id="sample"),
        pytest.param(_across_borders(), (2022, 2023, 2024), id="across-borders"),
    ],
)
def test_an_assessment_from_a_subjects_records_is_the_whole_datasets(
    workspace: Workspace, data: Dataset, years: tuple[int, ...]
) -> None:
    workspace.load(data, actor="test")
    for subject, year, territory in _subjects(years):
        part = workspace.subject_dataset(territory, year, REF)
        assert _assessed(part, subject, year) == _assessed(data, subject, year), (subject, year)
    if len(data.organisations) > 100:  # the sample is mostly area 14's own
        area = REF.territory(PartyRef.area("14"), years[-1])
        part = workspace.subject_dataset(area, years[-1], REF)
        assert 0 < len(part.agreements) < len(data.agreements) / 2
