"""The HSDS import policy in the core (thin frontends, issue 21): what imported records become."""

from __future__ import annotations

import attrs
import pytest

from jarjesto_core.errors import DatasetError
from jarjesto_core.model import Dataset, Name, Publisher
from jarjesto_core.opendata import EXPORTERS
from jarjesto_core.opendata import hsds_policy as policy
from jarjesto_core.reference import Reference

from .test_hsds_import import example_files


def test_an_export_read_into_its_own_dataset_adds_and_replaces_nothing(
    small: Dataset, reference: Reference
) -> None:
    files = EXPORTERS["hsds"].export(small, reference).files
    imported = policy.read_export(files, directory="x", reference=reference, publisher=None)
    merged, plan = policy.into_dataset(small, imported, where="region.json", reference=reference)
    assert merged.organisations == small.organisations
    assert not any(plan.added.values())
    assert not any(plan.replaced.values())


def test_another_publishers_names_are_in_the_target_publishers_language(
    reference: Reference,
) -> None:
    swedish = Publisher(name=Name(sv="Exempelkommun"), language="sv")
    imported = policy.read_export(
        example_files(), directory="their-hsds", reference=reference, publisher=swedish
    )
    (org,) = imported.organisations
    assert org.name == Name(sv="Example Organization Inc.")
    # Notes name the files under the directory the person gave.
    assert all(str(n).startswith("their-hsds/") for n in imported.notes)
    merged, plan = policy.into_dataset(Dataset(), imported, where="new.json", reference=reference)
    assert plan.added["organisations"] == (org.id,)
    assert merged.organisations == (org,)


def test_problems_name_the_directory_s_files(reference: Reference) -> None:
    files = {**example_files(), "organizations.json": b'{"contents": [{"id": 1}]}'}
    with pytest.raises(DatasetError) as caught:
        policy.read_export(files, directory="their-hsds", reference=reference, publisher=None)
    assert all(p.file and p.file.startswith("their-hsds/") for p in caught.value.problems)


def test_a_workspace_gets_only_new_records_and_changed_ones_are_refused(
    small: Dataset, reference: Reference
) -> None:
    files = EXPORTERS["hsds"].export(small, reference).files
    imported = policy.read_export(files, directory="exp", reference=reference, publisher=None)
    first = small.organisations[0]
    fewer = attrs.evolve(small, organisations=small.organisations[1:])
    new, plan = policy.into_workspace(fewer, imported, directory="exp")
    assert [o.id for o in new["organisations"]] == [first.id]
    assert plan.added["organisations"] == (first.id,)
    renamed = attrs.evolve(first, name=Name(fi="Toinen nimi"))
    changed = attrs.evolve(small, organisations=(renamed, *small.organisations[1:]))
    with pytest.raises(DatasetError) as caught:
        policy.into_workspace(changed, imported, directory="exp")
    (problem,) = caught.value.problems
    assert problem.file == "exp/organizations.json"
    assert problem.record_id == first.id
    assert "only adds records" in problem.render("en")


def test_a_merge_that_would_be_invalid_is_refused_naming_the_target(
    small: Dataset, reference: Reference
) -> None:
    files = EXPORTERS["hsds"].export(small, reference).files
    imported = policy.read_export(files, directory="exp", reference=reference, publisher=None)
    # The services arrive without their organisations: the merged file would be invalid.
    services_only = attrs.evolve(imported, organisations=())
    with pytest.raises(DatasetError) as caught:
        policy.into_dataset(Dataset(), services_only, where="empty.json", reference=reference)
    assert {p.file for p in caught.value.problems} == {"empty.json"}
