"""The synthetic dataset: deterministic, valid, and shaped to exercise every rule and status."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jarjesto_core.assessment import assess
from jarjesto_core.continuity import interruptions
from jarjesto_core.demo import generate
from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import AgreementKind, Dataset, Scope
from jarjesto_core.plugins import get_plugin_manager
from jarjesto_core.reference import bundled_reference
from jarjesto_core.registry import build_registry
from jarjesto_core.resolver import FundingStatus, resolve
from jarjesto_core.serialise import dump_dataset
from jarjesto_core.validation import validate

REF = bundled_reference()


@pytest.fixture(scope="module")
def demo() -> Dataset:
    return generate(REF, organisations=400, years=5, seed=11)


def test_the_same_seed_gives_byte_identical_dumps() -> None:
    first = dump_dataset(generate(REF, organisations=60, years=4, seed=5))
    second = dump_dataset(generate(REF, organisations=60, years=4, seed=5))
    assert first == second


def test_another_seed_gives_another_dataset() -> None:
    one = generate(REF, organisations=60, years=4, seed=5)
    other = generate(REF, organisations=60, years=4, seed=6)
    assert one.organisations != other.organisations


def test_the_dataset_is_valid(demo: Dataset) -> None:
    assert validate(demo, REF) == ()


@settings(max_examples=8, deadline=None)
@given(
    organisations=st.integers(1, 40),
    years=st.integers(1, 12),
    seed=st.integers(0, 2**32),
    last_year=st.integers(2019, 2027),
)
def test_every_size_seed_and_period_is_valid(
    organisations: int, years: int, seed: int, last_year: int
) -> None:
    dataset = generate(
        REF, organisations=organisations, years=years, seed=seed, last_year=last_year
    )
    assert len(dataset.organisations) == organisations
    assert validate(dataset, REF) == ()


def test_every_funding_status_is_present(demo: Dataset) -> None:
    rows = resolve(demo, REF, 2024, CORE_SERVICE_KINDS)
    assert {r.status for r in rows} == set(FundingStatus)


def test_interruptions_and_reform_gaps_are_present(demo: Dataset) -> None:
    found = interruptions(demo, REF, range(2022, 2026), CORE_SERVICE_KINDS)
    assert any(not i.reform_gap for i in found)
    assert any(i.reform_gap and i.year == 2023 for i in found)


def test_swedish_speaking_organisations_work_in_bilingual_municipalities(demo: Dataset) -> None:
    year = max(REF.years)
    swedish = [o for o in demo.organisations if "sv" in o.languages]
    assert swedish
    for org in swedish:
        home = [REF.municipality(code, year) for code in org.municipalities]
        assert any(m is not None and m.language != "fi" for m in home), org.id


def test_shapes_are_realistic(demo: Dataset) -> None:
    scopes = [o.scope for o in demo.organisations]
    assert scopes.count(Scope.LOCAL) > 0.8 * len(scopes)
    assert Scope.NATIONAL in scopes
    kinds = [a.kind for a in demo.agreements]
    assert kinds.count(AgreementKind.OPERATING_GRANT) > len(kinds) / 2
    assert set(kinds) == set(AgreementKind)
    for collection in ("responsibilities", "structures", "coordinators", "hearings", "commitments"):
        assert demo.collection(collection), collection


def test_the_municipalities_are_the_real_ones(demo: Dataset) -> None:
    used = {code for o in demo.organisations for code in o.municipalities}
    assert used <= {m.code for m in REF.municipalities_in(max(REF.years))}
    assert {r.area for r in demo.responsibilities} <= {a.code for a in REF.areas}


def test_every_core_rule_gives_more_than_one_status(demo: Dataset) -> None:
    # Core rules only: whatever plugins the environment has installed are not the demo's concern.
    registry = build_registry(get_plugin_manager(load_entrypoints=False))
    result = assess(demo, 2024, registry=registry, reference=REF)
    statuses: dict[str, set[str]] = {}
    for subject in result.subjects:
        for finding in subject.findings:
            statuses.setdefault(finding.rule, set()).add(finding.status.value)
    assert set(statuses) == set(registry.rules)
    assert len(statuses) == 16
    assert all(len(found) > 1 for found in statuses.values()), statuses


def test_sizes_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate(REF, organisations=0)
