"""The storage contract, run against SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal

import attrs
import pytest
import sqlalchemy as sa

from jarjesto_core.errors import DatasetError, JarjestoError, StaleVersionError, WorkspaceError
from jarjesto_core.model import Agreement, AgreementKind, Dataset, Name, PartyRef, Service
from jarjesto_core.serialise import dump_dataset
from jarjesto_core.workspace import Workspace, head_revision, open_workspace
from threads import at_once


def _versions(ws: Workspace, dataset: Dataset) -> dict[tuple[str, str], int]:
    return {
        (name, record.id): ws.version_of(name, record.id)  # type: ignore[attr-defined]
        for name, record in dataset.records()
    }


def test_a_loaded_dataset_reads_back_equal_and_in_file_order(
    workspace: Workspace, dataset: Dataset
) -> None:
    summary = workspace.load(dataset, actor="tester")

    assert summary.added == sum(1 for _ in dataset.records())
    assert (summary.changed, summary.removed, summary.unchanged) == (0, 0, 0)
    back = workspace.dataset()
    assert back == dataset
    # Byte for byte: amounts keep their scale ("12500.50"), records their order.
    assert dump_dataset(back) == dump_dataset(dataset)
    assert back.agreements[0].annual_amount_eur == Decimal("12500.50")
    assert str(back.agreements[0].annual_amount_eur) == "12500.50"


def test_a_read_dataset_shares_its_identifiers_codes_and_dates(
    workspace: Workspace, dataset: Dataset
) -> None:
    """The driver gives a new string and date per row; the records hold one object per value."""
    workspace.load(dataset, actor="tester")
    back = workspace.dataset()

    org = back.organisations[0]
    assert all(s.organisation is org.id for s in back.services if s.organisation == org.id)
    assert all(a.organisation is org.id for a in back.agreements if a.organisation == org.id)
    codes = {c: c for r in back.records() for c in getattr(r[1], "municipalities", ())}
    for _name, record in back.records():
        for code in getattr(record, "municipalities", ()):
            assert code is codes[code]
    days = [
        day
        for _name, record in back.records()
        for day in (getattr(record, "start", None), getattr(record, "end", None))
        if day is not None
    ]
    shared: dict[dt.date, dt.date] = {}
    assert all(shared.setdefault(day, day) is day for day in days)
    assert len(shared) < len(days)  # the sample repeats a date, so this shows sharing


def test_reloading_the_same_dataset_changes_nothing(workspace: Workspace, dataset: Dataset) -> None:
    workspace.load(dataset, actor="tester")
    versions = _versions(workspace, dataset)
    entries = workspace.log()

    summary = workspace.load(dataset, actor="tester")

    assert (summary.added, summary.changed, summary.removed) == (0, 0, 0)
    assert summary.unchanged == len(versions)
    assert _versions(workspace, dataset) == versions
    assert workspace.log() == entries


def test_a_load_writes_only_the_differences_and_audits_each(
    workspace: Workspace, dataset: Dataset
) -> None:
    workspace.load(dataset, actor="first")
    before_entries = len(workspace.log())
    renamed = attrs.evolve(dataset.services[0], participants_per_year=150)
    added = Service(id="uusi", organisation="klubitalo", name=Name(fi="Uusi"), kind="meeting_place")
    edited = attrs.evolve(
        dataset,
        name=Name(fi="Uusi nimi"),
        services=(added, renamed),  # the second service removed, the order changed
    )
    edited = attrs.evolve(edited, agreements=dataset.agreements[:1] + dataset.agreements[2:])
    edited = attrs.evolve(
        edited, structures=(attrs.evolve(dataset.structures[0], members=("klubitalo",)),)
    )

    summary = workspace.load(edited, actor="second")

    assert (summary.added, summary.changed, summary.removed) == (1, 2, 2)
    assert workspace.dataset() == edited
    assert workspace.version_of("services", "vertaistuki") == 2
    assert workspace.version_of("services", "uusi") == 1
    assert workspace.version_of("organisations", "klubitalo") == 1
    new_entries = workspace.log()[before_entries:]
    assert {(e.action, e.actor) for e in new_entries} == {("load", "second")}
    by_record = {(e.collection, e.record_id): e for e in new_entries}
    assert set(by_record) == {
        ("services", "uusi"),
        ("services", "vertaistuki"),
        ("services", "klubi"),
        ("agreements", "tilat"),
        ("structures", "jane"),
        ("dataset", "name"),
    }
    change = by_record[("services", "vertaistuki")]
    assert change.changed_fields() == ("participants_per_year",)
    assert change.before is not None
    assert change.before["participants_per_year"] == 120
    assert change.after is not None
    assert change.after["participants_per_year"] == 150
    assert by_record[("services", "klubi")].after is None
    assert by_record[("services", "uusi")].before is None
    assert by_record[("dataset", "name")].after == {"fi": "Uusi nimi"}


def test_add_inserts_at_version_one_with_an_audit_entry(
    workspace: Workspace, dataset: Dataset
) -> None:
    workspace.load(dataset, actor="loader")
    new = Service(
        id="kohtaamispaikka",
        organisation="klubitalo",
        name=Name(fi="Kohtaamispaikka"),
        kind="meeting_place",
    )

    workspace.add("services", [new], actor="maija")

    assert workspace.dataset().services[-1] == new
    assert workspace.get("services", new.id).version == 1
    (entry,) = workspace.log(record_id=new.id)
    assert (entry.action, entry.actor, entry.collection) == ("insert", "maija", "services")
    assert entry.before is None
    assert entry.after == {
        "id": "kohtaamispaikka",
        "organisation": "klubitalo",
        "name": {"fi": "Kohtaamispaikka"},
        "kind": "meeting_place",
    }
    assert entry.at.tzinfo == dt.UTC
    assert abs(dt.datetime.now(dt.UTC) - entry.at) < dt.timedelta(minutes=5)


def _counts(ws: Workspace) -> tuple[dict[str, int], int]:
    status = ws.status()
    return dict(status.counts), status.audit_entries


def test_a_refused_change_leaves_tables_and_audit_log_untouched(
    workspace: Workspace, dataset: Dataset
) -> None:
    workspace.load(dataset, actor="loader")
    before = _counts(workspace)
    good = Service(id="hyva", organisation="klubitalo", name=Name(fi="Hyvä"), kind="clubhouse")
    dangling = Service(id="orpo", organisation="ei-ole", name=Name(fi="Orpo"), kind="clubhouse")

    with pytest.raises(JarjestoError):
        workspace.add("services", [good, dangling], actor="maija")

    assert _counts(workspace) == before
    assert workspace.dataset() == dataset


@pytest.mark.parametrize(
    ("collection", "record", "field"),
    [
        (
            "services",
            Service(id="orpo", organisation="ei-ole", name=Name(fi="Orpo"), kind="clubhouse"),
            "organisation",
        ),
        (
            "agreements",
            Agreement(
                id="tuntematon",
                kind=AgreementKind.PROJECT_GRANT,
                party=PartyRef.municipality("999"),  # no such municipality in any year
                organisation="klubitalo",
                start=dt.date(2024, 1, 1),
            ),
            "party",
        ),
    ],
)
def test_invalid_data_is_refused_by_the_validator_before_commit(
    workspace: Workspace, dataset: Dataset, collection: str, record: object, field: str
) -> None:
    workspace.load(dataset, actor="loader")
    before = _counts(workspace)

    with pytest.raises(DatasetError) as caught:
        workspace.add(collection, [record], actor="maija")

    problem = next(p for p in caught.value.problems if p.record_id == record.id)  # type: ignore[attr-defined]
    assert problem.collection == collection
    assert problem.field == field
    assert _counts(workspace) == before


def test_update_bumps_the_version_and_records_before_and_after(
    workspace: Workspace, dataset: Dataset
) -> None:
    workspace.load(dataset, actor="loader")
    current = workspace.get("services", "klubi")
    assert current.version == 1

    edited = attrs.evolve(current.record, in_service_path=True)
    assert workspace.update("services", edited, current.version, actor="maija") == 2

    assert workspace.get("services", "klubi") == type(current)(edited, 2)
    entry = workspace.log(record_id="klubi")[-1]
    assert (entry.action, entry.actor) == ("update", "maija")
    assert entry.changed_fields() == ("in_service_path",)
    assert entry.before is not None
    assert "in_service_path" not in entry.before
    assert entry.after is not None
    assert entry.after["in_service_path"] is True


def test_an_update_that_changes_nothing_writes_nothing(
    workspace: Workspace, dataset: Dataset
) -> None:
    workspace.load(dataset, actor="loader")
    entries = workspace.log()

    assert workspace.update("services", dataset.services[1], 1, actor="maija") == 1

    assert workspace.log() == entries


def test_the_second_of_two_writers_on_one_record_is_refused(
    location: str, dataset: Dataset
) -> None:
    first, second = open_workspace(location), open_workspace(location)
    first.init()
    first.load(dataset, actor="loader")
    seen_by_first = first.get("services", "vertaistuki")
    seen_by_second = second.get("services", "vertaistuki")
    assert seen_by_first.version == seen_by_second.version == 1

    mine = attrs.evolve(seen_by_first.record, participants_per_year=200)
    theirs = attrs.evolve(seen_by_second.record, participants_per_year=999)
    first.update("services", mine, seen_by_first.version, actor="first")
    with pytest.raises(StaleVersionError) as caught:
        second.update("services", theirs, seen_by_second.version, actor="second")

    assert str(caught.value) == (
        "services record vertaistuki was changed by someone else: you edited version 1, "
        "the workspace has version 2; nothing was changed, reload the record and make "
        "your change again"
    )
    assert (caught.value.expected, caught.value.current) == (1, 2)
    assert second.get("services", "vertaistuki").record == mine
    assert [e.actor for e in second.log(record_id="vertaistuki")] == ["loader", "first"]
    first.close()
    second.close()


def test_concurrent_writers_exactly_one_wins_and_nothing_is_lost(
    location: str, dataset: Dataset
) -> None:
    handles = [open_workspace(location) for _ in range(2)]
    handles[0].init()
    handles[0].load(dataset, actor="loader")
    barrier = threading.Barrier(2)
    outcome: dict[int, object] = {}

    def edit(n: int) -> None:
        seen = handles[n].get("services", "klubi")
        barrier.wait(timeout=30)
        record = attrs.evolve(seen.record, participants_per_year=n + 1)
        try:
            outcome[n] = handles[n].update("services", record, seen.version, actor=f"w{n}")
        except StaleVersionError as exc:
            outcome[n] = exc

    at_once(2, edit)

    winners = [n for n, result in outcome.items() if result == 2]
    losers = [n for n, result in outcome.items() if isinstance(result, StaleVersionError)]
    assert len(winners) == 1
    assert len(losers) == 1
    stored = handles[0].get("services", "klubi")
    assert stored.version == 2
    assert stored.record.participants_per_year == winners[0] + 1
    updates = [e for e in handles[0].log(record_id="klubi") if e.action == "update"]
    assert [e.actor for e in updates] == [f"w{winners[0]}"]
    for handle in handles:
        handle.close()


def test_delete_checks_the_version_and_is_audited(workspace: Workspace, dataset: Dataset) -> None:
    workspace.load(dataset, actor="loader")

    with pytest.raises(StaleVersionError) as caught:
        workspace.delete("hearings", "kuuleminen-2024", 7, actor="maija")
    assert (caught.value.expected, caught.value.current) == (7, 1)

    workspace.delete("hearings", "kuuleminen-2024", 1, actor="maija")

    assert workspace.dataset().hearings == ()
    entry = workspace.log(record_id="kuuleminen-2024")[-1]
    assert (entry.action, entry.after) == ("delete", None)
    assert entry.before is not None
    assert entry.before["topic"] == "Hyvinvointisuunnitelma"
    with pytest.raises(StaleVersionError, match="was deleted after you read version 1"):
        workspace.update("hearings", dataset.hearings[0], 1, actor="maija")


def test_deleting_an_organisation_still_referenced_is_refused(
    workspace: Workspace, dataset: Dataset
) -> None:
    workspace.load(dataset, actor="loader")
    before = _counts(workspace)

    with pytest.raises(JarjestoError):
        workspace.delete("organisations", "klubitalo", 1, actor="maija")

    assert _counts(workspace) == before
    assert workspace.dataset() == dataset


def test_missing_records_and_unknown_collections_are_clear_errors(
    workspace: Workspace,
) -> None:
    with pytest.raises(WorkspaceError, match="services has no record nope"):
        workspace.version_of("services", "nope")
    with pytest.raises(WorkspaceError, match="unknown collection 'widgets'"):
        workspace.get("widgets", "x")
    with pytest.raises(WorkspaceError, match="needs an actor"):
        workspace.load(Dataset(), actor=" ")


def test_log_filters_by_record_collection_and_date(workspace: Workspace, dataset: Dataset) -> None:
    workspace.load(dataset, actor="loader")
    workspace.update(
        "services", attrs.evolve(dataset.services[0], participants_per_year=1), 1, actor="maija"
    )
    everything = workspace.log()
    today = dt.datetime.now(dt.UTC).date()

    assert [e.id for e in everything] == sorted(e.id for e in everything)
    assert {e.record_id for e in workspace.log(record_id="vertaistuki")} == {"vertaistuki"}
    assert len(workspace.log(record_id="vertaistuki")) == 2
    assert {e.collection for e in workspace.log(collection="agreements")} == {"agreements"}
    assert workspace.log(since=today) == everything
    assert workspace.log(since=today + dt.timedelta(days=1)) == []
    newest = everything[-1].at
    assert workspace.log(since=newest) == [everything[-1]]


def test_status_reports_revision_and_counts(workspace: Workspace, dataset: Dataset) -> None:
    workspace.load(dataset, actor="loader")

    status = workspace.status()

    assert status.revision == status.head == head_revision()
    assert status.up_to_date
    assert status.initialised
    assert status.counts["organisations"] == 2
    assert status.counts["agreements"] == 3
    assert status.audit_entries == len(workspace.log())


def test_an_uninitialised_database_is_named_as_such(location: str) -> None:
    ws = open_workspace(location)
    if ws.backend == "sqlite":
        with pytest.raises(WorkspaceError, match=r"no workspace at .*: create one with"):
            ws.dataset()
        open(location, "wb").close()  # an empty file is an empty SQLite database
    assert not ws.status().initialised
    with pytest.raises(
        WorkspaceError, match="is not a jarjesto workspace yet: run jarjesto db init"
    ):
        ws.dataset()
    ws.close()


def test_init_twice_is_refused(location: str) -> None:
    ws = open_workspace(location)
    assert ws.init() == head_revision()
    with pytest.raises(WorkspaceError, match=r"already a jarjesto workspace \(schema revision"):
        ws.init()
    ws.close()


def test_init_refuses_a_database_with_other_tables(location: str) -> None:
    ws = open_workspace(location)
    with ws.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE invoices (id INTEGER)")

    with pytest.raises(WorkspaceError, match=r"already holds other tables \(invoices\)"):
        ws.init()
    assert not ws.status().initialised
    ws.close()


def test_json_columns_hold_lists_and_names_not_text(workspace: Workspace, dataset: Dataset) -> None:
    """A team querying the tables directly sees JSON values and real dates."""
    workspace.load(dataset, actor="loader")
    with workspace.engine.connect() as connection:
        row = connection.execute(
            sa.text("SELECT name, municipalities, founded FROM organisations WHERE id = :id"),
            {"id": "mielenterveysyhdistys"},
        ).one()
    name = row[0] if isinstance(row[0], dict) else json.loads(row[0])
    assert name == {"fi": "Joensuun Mielenterveysyhdistys", "sv": "Joensuu mentalvårdsförening"}
    assert str(row[2]) == "1987-03-01"
