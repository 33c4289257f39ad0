"""``Workspace.add_all``: records of several collections in one transaction, on both backends."""

from __future__ import annotations

import pytest

from jarjesto_core.errors import DatasetError
from jarjesto_core.model import Dataset, Name, Organisation, Scope, Service
from jarjesto_core.workspace import Workspace

ORG = Organisation(
    id="uusi",
    name=Name(fi="Uusi yhdistys"),
    languages=("fi",),
    scope=Scope.LOCAL,
    municipalities=("167",),
)
SERVICE = Service(id="uusi-ryhma", organisation="uusi", name=Name(fi="Ryhmä"), kind="support_group")


def test_add_all_adds_an_organisation_and_its_service_together(
    workspace: Workspace, dataset: Dataset
) -> None:
    workspace.load(dataset, actor="loader")

    # Services first in the mapping: the organisation must still be written first.
    workspace.add_all({"services": [SERVICE], "organisations": [ORG]}, actor="maija")

    after = workspace.dataset()
    assert after.organisations[-1] == ORG
    assert after.services[-1] == SERVICE
    entries = workspace.log(since=None)
    assert [(e.collection, e.record_id, e.actor) for e in entries[-2:]] in (
        [("organisations", "uusi", "maija"), ("services", "uusi-ryhma", "maija")],
        [("services", "uusi-ryhma", "maija"), ("organisations", "uusi", "maija")],
    )


def test_add_all_adds_nothing_when_one_collection_fails(
    workspace: Workspace, dataset: Dataset
) -> None:
    workspace.load(dataset, actor="loader")
    before = workspace.dataset()
    entries = len(workspace.log())
    bad = Service(id="orpo", organisation="nobody", name=Name(fi="Orpo"), kind="support_group")

    with pytest.raises(DatasetError) as caught:
        workspace.add_all({"organisations": [ORG], "services": [SERVICE, bad]}, actor="maija")

    assert [p.record_id for p in caught.value.problems] == ["orpo"]
    assert workspace.dataset() == before
    assert len(workspace.log()) == entries


def test_add_all_with_nothing_to_add_writes_nothing(workspace: Workspace, dataset: Dataset) -> None:
    workspace.load(dataset, actor="loader")
    entries = len(workspace.log())
    workspace.add_all({"organisations": [], "services": []}, actor="maija")
    assert len(workspace.log()) == entries
