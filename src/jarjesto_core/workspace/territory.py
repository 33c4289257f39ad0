"""Reading one territory's records: what a one-area question rests on, not the whole country.

A national workspace holds 335,000 records; reading and structuring them all
takes seconds, while a question about one area or municipality needs a small
share. These reads pick that share with SQL and a few narrow columns (where
each organisation and service works), and tests hold what is computed from
it equal to what the whole dataset gives (``tests/workspace/test_territory.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import types
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs
import sqlalchemy as sa

from jarjesto_core.model import COLLECTIONS, Dataset
from jarjesto_core.workspace.reading import Reads
from jarjesto_core.workspace.records import _Stored
from jarjesto_core.workspace.rows import chunked
from jarjesto_core.workspace.schema import COLLECTION_TABLES

if TYPE_CHECKING:
    from jarjesto_core.dated import DatedCounts
    from jarjesto_core.reference import Reference

__all__ = ["TerritoryReads"]

#: What is read by id, and how many ids one statement names.
_FUNDING_ROWS: Final = ("services", "organisations", "agreements")
_IN_LIMIT: Final = 900

#: The fields :class:`~jarjesto_core.dated.DatedCounts` reads dates from.
_DATED: Final = frozenset({"start", "end", "date", "decided", "established", "year", "meetings"})


class TerritoryReads(Reads):
    """The reads of one territory's records, and the dataset's years counted by the database."""

    def funding_dataset(
        self, territory: Collection[str], year: int, reference: Reference
    ) -> Dataset:
        """What the funding table of ``territory`` (municipality codes) in ``year`` rests on,
        read without the rest of the country.

        The services serving the territory (:func:`~jarjesto_core.resolver.serves`), their
        organisations and those organisations' agreements in force in the year; the
        responsibility agreements, joint authorities and funders whole. The
        resolver's rows for the territory are the same from it as from the whole
        dataset (``tests/workspace/test_territory.py`` compares them); a
        question about one area then reads that area's records, not 335,000.
        """
        wanted = frozenset(territory)
        judge = _judge(wanted, year, reference)
        services, organisations, agreements = (COLLECTION_TABLES[n] for n in _FUNDING_ROWS)
        with self._transaction(write=False) as connection:
            # Where each service works (its own catchment, else its organisation's): the
            # narrow columns of every service, then the whole rows of those serving here.
            places = self._places(connection)
            serving: list[str] = []
            owners: set[str] = set()
            for sid, owner, own in self._service_places(connection):
                if judge(own or places.get(owner, ())):
                    serving.append(sid)
                    owners.add(owner)
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            found: dict[str, dict[str, _Stored]] = {n: {} for n in _FUNDING_ROWS}
            for ids in chunked(sorted(serving), _IN_LIMIT):
                self._records(connection, "services", found["services"], services.c.id.in_(ids))
            for ids in chunked(sorted(owners), _IN_LIMIT):
                self._records(
                    connection, "organisations", found["organisations"],
                    organisations.c.id.in_(ids),
                )  # fmt: skip
                self._records(
                    connection,
                    "agreements",
                    found["agreements"],
                    agreements.c.organisation.in_(ids)
                    & (agreements.c.start <= last)
                    & (agreements.c.end.is_(None) | (agreements.c.end >= first)),
                )
            whole: dict[str, Any] = {
                name: tuple(self._records(connection, name))
                for name in ("responsibilities", "joint_authorities", "funders")
            }
            header = self._header(connection)
        return Dataset(**header, **_in_stored_order(found), **whole)  # type: ignore[arg-type]

    @staticmethod
    def _places(connection: sa.Connection) -> dict[str, tuple[str, ...]]:
        """Where every organisation works, by id: one narrow column, its few hundred
        distinct JSON texts decoded once each."""
        table = COLLECTION_TABLES["organisations"]
        query = sa.select(table.c.id, _as_text(table.c.municipalities))
        return {oid: _codes(text) for oid, text in connection.execute(query).all()}

    @staticmethod
    def _service_places(connection: sa.Connection) -> Iterator[tuple[str, str, tuple[str, ...]]]:
        """Every service's id, organisation and own catchment (empty: its organisation's)."""
        table = COLLECTION_TABLES["services"]
        query = sa.select(table.c.id, table.c.organisation, _as_text(table.c.municipalities))
        for sid, owner, text in connection.execute(query).all():
            yield sid, owner, _codes(text)

    def subject_dataset(
        self, territory: Collection[str], year: int, reference: Reference
    ) -> Dataset:
        """What an assessment of one subject (a municipality or an area, ``territory`` its
        municipality codes) in ``year`` by jarjesto's own rules reads, without the rest of
        the country's organisations, services and agreements.

        Every record of the smaller collections; the organisations working in the
        territory, running a service there or paid by one of its bodies, with all their
        services and their agreements in force in the year or the one before (all the
        core rules compare). Regional rules may read anything, so
        ``jarjesto assess`` reads the whole dataset when a plugin adds rules. Tests
        hold the assessment from it equal to the one from the whole dataset
        (``tests/workspace/test_territory.py``).
        """
        wanted = frozenset(territory)
        judge = _judge(wanted, year, reference)
        services, organisations, agreements = (COLLECTION_TABLES[n] for n in _FUNDING_ROWS)
        codes = {m.code for y in reference.years for m in reference.municipalities_in(y)}
        bodies = [f"municipality:{c}" for c in sorted(codes) if judge((c,))]
        bodies += sorted({f"area:{a}" for c in wanted if (a := reference.area_of(c, year))})
        first, last = dt.date(year - 1, 1, 1), dt.date(year, 12, 31)
        recent = (agreements.c.start <= last) & (
            agreements.c.end.is_(None) | (agreements.c.end >= first)
        )
        found: dict[str, dict[str, _Stored]] = {n: {} for n in _FUNDING_ROWS}
        with self._transaction(write=False) as connection:
            whole: dict[str, Any] = {
                name: tuple(self._records(connection, name))
                for name in COLLECTIONS
                if name not in _FUNDING_ROWS
            }
            places = self._places(connection)
            chosen = {oid for oid, codes_ in places.items() if judge(codes_)}
            # A service without a catchment of its own works where its organisation does.
            chosen.update(owner for _sid, owner, own in self._service_places(connection)
                          if judge(own))  # fmt: skip
            for ids in chunked(bodies, _IN_LIMIT):
                self._records(
                    connection, "agreements", found["agreements"],
                    agreements.c.party.in_(ids) & recent,
                )  # fmt: skip
            chosen.update(a.record.organisation for a in found["agreements"].values())
            for ids in chunked(sorted(chosen), _IN_LIMIT):
                self._records(
                    connection, "agreements", found["agreements"],
                    agreements.c.organisation.in_(ids) & recent,
                )  # fmt: skip
                self._records(
                    connection, "services", found["services"], services.c.organisation.in_(ids)
                )
            for ids in chunked(sorted(chosen), _IN_LIMIT):
                self._records(
                    connection, "organisations", found["organisations"],
                    organisations.c.id.in_(ids),
                )  # fmt: skip
            header = self._header(connection)
        return Dataset(**header, **_in_stored_order(found), **whole)  # type: ignore[arg-type]

    def dated_counts(self) -> DatedCounts:
        """The dataset's :class:`~jarjesto_core.dated.DatedCounts` (its years, the year it
        opens on), without reading 270,000 agreements: the database counts them by their
        years; the few records of the other dated collections are read."""
        from jarjesto_core.dated import DatedCounts

        agreements = COLLECTION_TABLES["agreements"]
        # An agreement's dates are single dates (no meetings, no year of its own).
        names = [f.name for f in attrs.fields(COLLECTIONS["agreements"]) if f.name in _DATED]
        years = [sa.extract("year", agreements.c[name]) for name in names]
        groups: list[tuple[str, object, int]] = []
        with self._transaction(write=False) as connection:
            for row in connection.execute(sa.select(*years, sa.func.count()).group_by(*years)):
                *found, n = row
                dates = dict(zip(names, found, strict=True))
                stand_in = types.SimpleNamespace(
                    **{k: None if v is None else dt.date(int(v), 1, 1) for k, v in dates.items()}
                )
                groups.append(("agreements", stand_in, int(n)))
            for name, cls in COLLECTIONS.items():
                if name != "agreements" and _DATED & {f.name for f in attrs.fields(cls)}:
                    groups += [(name, record, 1) for record in self._records(connection, name)]
        return DatedCounts.of_groups(groups)


def _as_text(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    """A JSON column as its text: the driver would decode every value itself."""
    return sa.cast(column, sa.Text())


@functools.lru_cache(maxsize=4096)
def _codes(text: str | None) -> tuple[str, ...]:
    """A list of municipality codes from its stored JSON text (None: no list)."""
    return () if text is None else tuple(json.loads(text))


def _judge(
    territory: frozenset[str], year: int, reference: Reference
) -> Callable[[tuple[str, ...]], bool]:
    """:func:`~jarjesto_core.resolver.serves` for ``territory``, once per distinct list."""
    from jarjesto_core.resolver import serves

    @functools.cache
    def judge(codes: tuple[str, ...]) -> bool:
        return serves(codes, territory, reference, year)

    return judge


def _in_stored_order(found: Mapping[str, Mapping[str, _Stored]]) -> dict[str, Any]:
    """Records read in chunks of ids, back in the stored order (position, then id)."""
    return {
        name: tuple(
            stored.record
            for _id, stored in sorted(by_id.items(), key=lambda kv: (kv[1].position, kv[0]))
        )
        for name, by_id in found.items()
    }
