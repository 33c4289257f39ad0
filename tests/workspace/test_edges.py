"""Naming a workspace, backups, the light import, and row conversion as a property."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jarjesto_core.errors import WorkspaceError
from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Commitment,
    Coordinator,
    CoordinatorTitle,
    Dataset,
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
)
from jarjesto_core.workspace import Workspace, open_workspace, workspace_url
from jarjesto_core.workspace.schema import COLLECTION_TABLES
from jarjesto_core.workspace.store import _row_from_record


def test_a_path_is_a_sqlite_file_and_a_postgresql_url_uses_psycopg(tmp_path: Path) -> None:
    assert workspace_url(str(tmp_path / "w.db")).render_as_string() == (
        f"sqlite:///{tmp_path / 'w.db'}"
    )
    assert workspace_url(f"sqlite:///{tmp_path}/w.db").database == str(tmp_path / "w.db")
    url = workspace_url("postgresql://kunta:salainen@db.example:5433/jarjesto")
    assert (url.drivername, url.host, url.port, url.database) == (
        "postgresql+psycopg",
        "db.example",
        5433,
        "jarjesto",
    )
    assert workspace_url("postgres://db.example/j").drivername == "postgresql+psycopg"
    ws = open_workspace("postgresql://kunta:salainen@db.example/jarjesto")
    assert ws.location == "postgresql://kunta:***@db.example/jarjesto"


@pytest.mark.parametrize(
    ("given_", "message"),
    [
        ("", "no workspace given: pass --workspace or set JARJESTO_WORKSPACE"),
        ("sqlite://", "a SQLite workspace needs a file"),
        ("sqlite:///:memory:", "a SQLite workspace needs a file"),
        ("mysql://db/x", "'mysql://db/x' is not a workspace: give a SQLite file path or a"),
    ],
)
def test_what_is_not_a_workspace_is_named(given_: str, message: str) -> None:
    with pytest.raises(WorkspaceError) as caught:
        workspace_url(given_)
    assert str(caught.value).startswith(message)


def test_a_missing_directory_is_named_on_init(tmp_path: Path) -> None:
    ws = open_workspace(str(tmp_path / "nope" / "w.db"))
    with pytest.raises(WorkspaceError, match="no such directory"):
        ws.init()


def test_importing_the_core_does_not_import_sqlalchemy() -> None:
    code = "import sys, jarjesto_core, jarjesto_core.files; print('sqlalchemy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_sqlite_backup_is_a_complete_consistent_copy(tmp_path: Path, dataset: Dataset) -> None:
    ws = open_workspace(str(tmp_path / "w.db"))
    ws.init()
    ws.load(dataset, actor="loader")
    target = tmp_path / "backup.db"

    assert ws.backup(target) == target

    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    copy = open_workspace(str(target))
    assert copy.dataset() == dataset
    assert copy.log() == ws.log()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup")] == []
    with pytest.raises(WorkspaceError, match="already exists: give the backup a new file name"):
        ws.backup(target)
    copy.close()
    ws.close()


def test_a_postgresql_backup_points_to_pg_dump() -> None:
    ws = open_workspace("postgresql://kunta@db.example/jarjesto")
    with pytest.raises(WorkspaceError) as caught:
        ws.backup("jarjesto.dump")
    assert "pg_dump --format=custom --file=jarjesto.dump jarjesto" in str(caught.value)


# -- rows: every record of every collection survives a trip through the tables ---------

ids = st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,12}", fullmatch=True)
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=15
).filter(str.strip)
names = st.builds(Name, fi=texts, sv=st.none() | texts, en=st.none() | texts)
dates = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
optional_dates = st.none() | dates
codes = st.lists(st.from_regex(r"[0-9]{3}", fullmatch=True), max_size=3).map(tuple)
languages = st.lists(st.sampled_from(["fi", "sv", "en", "se"]), max_size=3).map(tuple)
counts = st.none() | st.integers(0, 10**12)
parties = st.builds(PartyRef.municipality, st.from_regex(r"[0-9]{3}", fullmatch=True)) | st.builds(
    PartyRef.area, st.from_regex(r"[0-9]{2}", fullmatch=True)
)
amounts = st.none() | st.decimals(
    min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False
).map(lambda d: abs(d))
ORGANISATION = "yhdistys"


def _unique(records: list[object]) -> tuple[object, ...]:
    by_id = {r.id: r for r in records}  # type: ignore[attr-defined]
    return tuple(by_id.values())


def _with_the_referenced_organisation(orgs: list[Organisation]) -> tuple[object, ...]:
    referenced = Organisation(
        id=ORGANISATION, name=Name(fi="Y"), languages=(), scope=Scope.LOCAL, municipalities=()
    )
    return _unique([referenced, *orgs])


datasets = st.builds(
    Dataset,
    name=st.none() | names,
    description=st.none() | names,
    organisations=st.lists(
        st.builds(
            Organisation,
            id=ids,
            name=names,
            languages=languages,
            scope=st.sampled_from(Scope),
            municipalities=codes,
            business_id=st.none() | st.just("0242746-2"),
            register_number=st.none() | texts,
            fields=st.lists(texts, max_size=2).map(tuple),
            members=counts,
            volunteers=counts,
            founded=optional_dates,
            dissolved=optional_dates,
        ),
        max_size=3,
    ).map(_with_the_referenced_organisation),
    services=st.lists(
        st.builds(
            Service,
            id=ids,
            organisation=st.just(ORGANISATION),
            name=names,
            kind=st.sampled_from(sorted(CORE_SERVICE_KINDS)),
            municipalities=codes,
            languages=languages,
            in_service_path=st.booleans(),
            participants_per_year=counts,
        ),
        max_size=3,
    ).map(_unique),
    agreements=st.lists(
        st.builds(
            Agreement,
            id=ids,
            kind=st.sampled_from(AgreementKind),
            party=parties,
            organisation=st.just(ORGANISATION),
            start=dates,
            services=st.lists(ids, max_size=2).map(tuple),
            decided=optional_dates,
            end=optional_dates,
            annual_amount_eur=amounts,
            premises_terms=st.none() | st.sampled_from(PremisesTerms),
            lots=st.none() | st.booleans(),
        ),
        max_size=3,
    ).map(_unique),
    responsibilities=st.lists(
        st.builds(
            Responsibility,
            id=ids,
            municipality=st.from_regex(r"[0-9]{3}", fullmatch=True),
            area=st.from_regex(r"[0-9]{2}", fullmatch=True),
            start=dates,
            assignments=st.dictionaries(
                st.sampled_from(sorted(CORE_SERVICE_KINDS)), st.sampled_from(ResponsibleParty)
            ),
            end=optional_dates,
        ),
        max_size=2,
    ).map(_unique),
    structures=st.lists(
        st.builds(
            Structure,
            id=ids,
            kind=st.sampled_from(StructureKind),
            party=parties,
            name=names,
            members=st.lists(ids, max_size=2).map(tuple),
            meetings=st.lists(dates, max_size=3).map(tuple),
            established=optional_dates,
            dissolved=optional_dates,
        ),
        max_size=2,
    ).map(_unique),
    coordinators=st.lists(
        st.builds(
            Coordinator,
            id=ids,
            party=parties,
            title=st.sampled_from(CoordinatorTitle),
            start=dates,
            covers_organisations=st.booleans(),
            end=optional_dates,
        ),
        max_size=2,
    ).map(_unique),
    hearings=st.lists(
        st.builds(
            Hearing,
            id=ids,
            party=parties,
            date=dates,
            topic=texts,
            organisations=st.lists(ids, max_size=2).map(tuple),
            languages=languages,
        ),
        max_size=2,
    ).map(_unique),
    commitments=st.lists(
        st.builds(
            Commitment,
            id=ids,
            party=parties,
            document=texts,
            start=dates,
            topics=st.lists(st.sampled_from(Topic), max_size=3).map(tuple),
            end=optional_dates,
        ),
        max_size=2,
    ).map(_unique),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=datasets)
def test_any_record_survives_a_trip_through_the_tables(workspace: Workspace, data: Dataset) -> None:
    """Rows are written as a change would write them and read back as ``dataset()`` reads.

    (The rows go in directly: generated data is well-formed but not
    semantically valid, and validation is not what this property is about.)
    """
    at = dt.datetime.now(dt.UTC)
    with workspace.engine.begin() as connection:
        for table in reversed(COLLECTION_TABLES.values()):
            connection.execute(table.delete())
        for collection, table in COLLECTION_TABLES.items():
            rows = [
                {
                    **_row_from_record(collection, record),
                    "position": position,
                    "version": 1,
                    "created_at": at,
                    "updated_at": at,
                }
                for position, record in enumerate(data.collection(collection))
            ]
            if rows:
                connection.execute(table.insert(), rows)
    back = workspace.dataset()
    for collection in COLLECTION_TABLES:
        assert back.collection(collection) == data.collection(collection)
    amounts = [a.annual_amount_eur for a in back.agreements]
    assert [str(a) for a in amounts] == [str(a.annual_amount_eur) for a in data.agreements]
    assert all(a is None or isinstance(a, Decimal) for a in amounts)
