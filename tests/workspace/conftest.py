"""Fixtures that run the same storage tests against SQLite and a real PostgreSQL.

PostgreSQL: the server named by ``JARJESTO_TEST_POSTGRESQL`` (a URL whose user
may create databases) or, failing that, a throwaway cluster started here
from Debian's ``postgresql`` binaries on a unix socket and stopped at the
end of the session. Each test creates and drops its own database. Without
binaries the PostgreSQL tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

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

POSTGRESQL_ENV = "JARJESTO_TEST_POSTGRESQL"


def _postgresql_bindir() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    return Path(found[-1]).parent if found else None


def _as_postgres_user() -> list[str]:
    """PostgreSQL refuses to run as root; as root, run its tools as the postgres user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[sa.URL]:
    """The URL of a PostgreSQL server's maintenance database, for creating test databases."""
    configured = os.environ.get(POSTGRESQL_ENV)
    if configured:
        yield workspace_url(configured)
        return
    bindir = _postgresql_bindir()
    if bindir is None:
        reason = (
            "PostgreSQL tests need Debian's postgresql package (apt-get install postgresql) "
            f"or {POSTGRESQL_ENV}=postgresql://..."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; under CI=true they must run, not skip")
        pytest.skip(reason)
    base = Path(tempfile.mkdtemp(prefix="jarjesto-pg-"))
    data = base / "data"
    prefix = _as_postgres_user()
    if prefix:
        shutil.chown(base, "postgres", "postgres")
    run = {"check": True, "capture_output": True, "text": True}
    try:
        subprocess.run(
            [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
             "--no-sync", "-E", "UTF8", "--locale=C"],
            **run,
        )  # fmt: skip
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{base}' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"),
             "-o", options, "-w", "start"],
            **run,
        )  # fmt: skip
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"could not start a PostgreSQL cluster: {exc.stderr or exc.stdout}")
    try:
        yield sa.URL.create(
            "postgresql+psycopg",
            username="postgres",
            database="postgres",
            query={"host": str(base)},
        )
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgresql_url(postgresql_server: sa.URL) -> Iterator[str]:
    """A fresh, empty database of its own for one test, as a ``postgresql://`` URL."""
    name = f"jarjesto_test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(postgresql_server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = postgresql_server.set(drivername="postgresql", database=name)
        yield url.render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, uninitialised workspace location on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "workspace.db")
    url: str = request.getfixturevalue("postgresql_url")
    return url


@pytest.fixture
def workspace(location: str) -> Iterator[Workspace]:
    """An initialised, empty workspace on each backend."""
    ws = open_workspace(location)
    ws.init()
    yield ws
    ws.close()


def sample() -> Dataset:
    """A small dataset touching every collection and every column type, on real codes."""
    org = Organisation(
        id="mielenterveysyhdistys",
        name=Name(fi="Joensuun Mielenterveysyhdistys", sv="Joensuu mentalvårdsförening"),
        languages=("fi",),
        scope=Scope.LOCAL,
        municipalities=("167",),
        register_number="123.456",
        fields=("mental_health",),
        members=240,
        volunteers=35,
        founded=dt.date(1987, 3, 1),
    )
    club = Organisation(
        id="klubitalo",
        name=Name(fi="Klubitalo Kompassi"),
        languages=("fi", "sv"),
        scope=Scope.REGIONAL,
        municipalities=("167", "091"),
    )
    return Dataset(
        name=Name(fi="Pohjois-Karjalan järjestöt", en="North Karelia's organisations"),
        organisations=(org, club),
        services=(
            Service(
                id="vertaistuki",
                organisation=org.id,
                name=Name(fi="Vertaistukiryhmä"),
                kind="peer_support",
                in_service_path=True,
                participants_per_year=120,
            ),
            Service(
                id="klubi",
                organisation=club.id,
                name=Name(fi="Klubitalotoiminta"),
                kind="clubhouse",
                municipalities=("167",),
                languages=("fi",),
            ),
        ),
        agreements=(
            Agreement(
                id="joensuu-toiminta-avustus-2024",
                kind=AgreementKind.OPERATING_GRANT,
                party=PartyRef.municipality("167"),
                organisation=org.id,
                start=dt.date(2024, 1, 1),
                end=dt.date(2024, 12, 31),
                decided=dt.date(2023, 12, 12),
                annual_amount_eur=Decimal("12500.50"),
            ),
            Agreement(
                id="tilat",
                kind=AgreementKind.PREMISES,
                party=PartyRef.area("14"),
                organisation=club.id,
                services=("klubi",),
                start=dt.date(2023, 1, 1),
                premises_terms=PremisesTerms.SUBSIDISED,
            ),
            Agreement(
                id="osto",
                kind=AgreementKind.SERVICE_PURCHASE,
                party=PartyRef.area("14"),
                organisation=club.id,
                start=dt.date(2024, 6, 1),
                lots=False,
            ),
        ),
        responsibilities=(
            Responsibility(
                id="joensuu-siun-sote",
                municipality="167",
                area="14",
                start=dt.date(2023, 1, 1),
                assignments={
                    "peer_support": ResponsibleParty.MUNICIPALITY,
                    "clubhouse": ResponsibleParty.SHARED,
                },
            ),
        ),
        structures=(
            Structure(
                id="jane",
                kind=StructureKind.ORGANISATION_COUNCIL,
                party=PartyRef.area("14"),
                name=Name(fi="JANE"),
                members=(org.id, club.id),
                meetings=(dt.date(2024, 2, 1), dt.date(2024, 9, 5)),
                established=dt.date(2020, 1, 1),
            ),
        ),
        coordinators=(
            Coordinator(
                id="jarjestokoordinaattori",
                party=PartyRef.area("14"),
                title=CoordinatorTitle.ORGANISATION_COORDINATOR,
                start=dt.date(2023, 1, 1),
                covers_organisations=True,
            ),
        ),
        hearings=(
            Hearing(
                id="kuuleminen-2024",
                party=PartyRef.municipality("167"),
                date=dt.date(2024, 3, 14),
                topic="Hyvinvointisuunnitelma",
                organisations=(org.id,),
                languages=("fi",),
            ),
        ),
        commitments=(
            Commitment(
                id="strategia",
                party=PartyRef.area("14"),
                document="Hyvinvointialuestrategia 2023–2025",
                start=dt.date(2023, 1, 1),
                end=dt.date(2025, 12, 31),
                topics=(Topic.PARTNERSHIP_STRUCTURE, Topic.GRANT_CONTINUATION),
            ),
        ),
    )


@pytest.fixture
def dataset() -> Dataset:
    return sample()
