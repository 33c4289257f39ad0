"""Public bodies by year: Finland's municipalities and wellbeing areas.

Reference data is not user data. It ships with the package (``data/``, with
its PROVENANCE.md) and is looked up by year, because the municipal division
changes (Pertunmaa 588 merged into Mäntyharju 507 on 2025-01-01).
The :class:`Reference` object is pure; :func:`bundled_reference` is the one
function here that reads files.
"""

from __future__ import annotations

import csv
import functools
import io
import unicodedata
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Final

from attrs import field, frozen

from jarjesto_core.model import Name, PartyKind, PartyRef
from jarjesto_core.perf import shared_text

__all__ = [
    "AREA_ALAND",
    "AREA_HELSINKI",
    "HELSINKI",
    "REFORM_YEAR",
    "Area",
    "Merger",
    "Municipality",
    "Reference",
    "bundled_reference",
    "fold",
]

HELSINKI: Final = "091"
#: The City of Helsinki organises its own social and health services.
AREA_HELSINKI: Final = "90"
#: Åland is outside the reform.
AREA_ALAND: Final = "91"
#: The wellbeing areas took over social and health services on 1 January 2023.
REFORM_YEAR: Final = 2023

BILINGUAL: Final = frozenset({"bilingual_fi_majority", "bilingual_sv_majority"})


def fold(text: str) -> str:
    """Case- and accent-insensitive key: ``Malax``, ``MALAX`` and ``malax`` meet.

    Å, Ä and Ö lose their marks too, so ``Mantyharju`` finds Mäntyharju.
    """
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@frozen
class Municipality:
    year: int
    code: str
    name: Name
    language: str
    area: str
    population: int

    @property
    def bilingual(self) -> bool:
        return self.language in BILINGUAL

    @property
    def minority_language(self) -> str | None:
        """The smaller national language of a bilingual municipality."""
        if self.language == "bilingual_fi_majority":
            return "sv"
        if self.language == "bilingual_sv_majority":
            return "fi"
        return None

    @property
    def party(self) -> PartyRef:
        return PartyRef.municipality(self.code)


@frozen
class Area:
    code: str
    name: Name
    kind: str

    @property
    def party(self) -> PartyRef:
        return PartyRef.area(self.code)

    @property
    def in_reform(self) -> bool:
        return self.kind != "aland"


@frozen
class Merger:
    """``code`` ceased on 1 January ``year``, merged into ``into``."""

    code: str
    into: str
    year: int


@frozen
class Reference:
    """All municipalities by classification year, and the areas."""

    municipalities: tuple[Municipality, ...]
    areas: tuple[Area, ...]
    mergers: tuple[Merger, ...] = ()
    _by_year: Mapping[int, Mapping[str, Municipality]] = field(init=False, eq=False, repr=False)
    _areas: Mapping[str, Area] = field(init=False, eq=False, repr=False)
    #: Territories by (party, classification year): asked for every subject and rule.
    _territories: dict[tuple[PartyRef, int], frozenset[str]] = field(
        init=False, eq=False, repr=False, factory=dict
    )
    _span: tuple[int, int] = field(init=False, eq=False, repr=False)
    _members: dict[tuple[str, int], tuple[Municipality, ...]] = field(
        init=False, eq=False, repr=False, factory=dict
    )
    #: Municipalities by folded name per classification year (a cache per instance:
    #: functools.cache on the method hashed the whole reference on every look-up).
    _names_by_year: dict[int, Mapping[str, Municipality]] = field(
        init=False, eq=False, repr=False, factory=dict
    )
    _codes: dict[tuple[str, int], frozenset[str]] = field(
        init=False, eq=False, repr=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        by_year: dict[int, dict[str, Municipality]] = {}
        for m in self.municipalities:
            by_year.setdefault(m.year, {})[m.code] = m
        object.__setattr__(self, "_by_year", by_year)
        object.__setattr__(self, "_areas", {a.code: a for a in self.areas})
        object.__setattr__(self, "_span", (min(by_year), max(by_year)))

    # -- years ---------------------------------------------------------------

    @property
    def years(self) -> range:
        """The classification years the data has."""
        return range(self._span[0], self._span[1] + 1)

    def classification_year(self, year: int) -> int:
        """The classification that describes ``year``.

        The division of 2021–2022 equals 2023's (the data begins with the
        reform); years after the last classification use the last one.
        """
        return min(max(year, self._span[0]), self._span[1])

    # -- municipalities --------------------------------------------------------

    def municipalities_in(self, year: int) -> tuple[Municipality, ...]:
        return tuple(self._by_year[self.classification_year(year)].values())

    def municipality(self, code: str, year: int) -> Municipality | None:
        """The municipality with this code in ``year``, or None where it does not exist."""
        return self._by_year[self.classification_year(year)].get(code)

    def exists(self, code: str, year: int) -> bool:
        return self.municipality(code, year) is not None

    def find_municipality(self, text: str, year: int) -> Municipality | None:
        """Look up by code or by Finnish or Swedish name, case- and accent-tolerant."""
        key = text.strip()
        table = self._by_year[self.classification_year(year)]
        if key.isdigit():
            return table.get(key.zfill(3))
        return self._names(self.classification_year(year)).get(fold(key))

    def _names(self, year: int) -> Mapping[str, Municipality]:
        found = self._names_by_year.get(year)
        if found is not None:
            return found
        names: dict[str, Municipality] = {}
        for m in self._by_year[year].values():
            for value in (m.name.fi, m.name.sv):
                if value:
                    names[fold(value)] = m
                    # "Maarianhamina - Mariehamn": either half finds it.
                    for part in value.split(" - "):
                        names.setdefault(fold(part), m)
        self._names_by_year[year] = names
        return names

    def merger_of(self, code: str) -> Merger | None:
        return next((m for m in self.mergers if m.code == code), None)

    def codes_in(self, code: str, year: int) -> frozenset[str]:
        """The municipalities a code means in ``year``, read through the mergers.

        After a merger the old code means its successor; before it, the
        successor's code means itself and the predecessors that will merge into
        it (domain.md, "Mergers"). Empty for a code that means nothing that year.
        """
        key = (code, year)
        found = self._codes.get(key)
        if found is None:
            found = self._read_code(code, year, set())
            self._codes[key] = found
        return found

    def _read_code(self, code: str, year: int, seen: set[str]) -> frozenset[str]:
        if code in seen:  # a cycle in the mergers is bad data, not an endless loop
            return frozenset()
        seen.add(code)
        if self.exists(code, year):
            later = (m.code for m in self.mergers if m.into == code and m.year > year)
            return frozenset({code, *(c for c in later if self.exists(c, year))})
        merger = self.merger_of(code)
        if merger is not None and year >= merger.year:
            return self._read_code(merger.into, year, seen)
        return frozenset()

    @property
    def first_year(self) -> int:
        return self._span[0]

    # -- areas -----------------------------------------------------------------

    def area(self, code: str) -> Area | None:
        return self._areas.get(code)

    def find_area(self, text: str) -> Area | None:
        """Look up by code or by Finnish, Swedish or English name."""
        key = text.strip()
        if key.isdigit():
            return self._areas.get(key.zfill(2))
        folded = fold(key)
        for area in self.areas:
            names = [n for n in (area.name.fi, area.name.sv, area.name.en) if n]
            if any(fold(n) == folded for n in names):
                return area
            # "Pohjois-Karjala" finds "Pohjois-Karjalan hyvinvointialue".
            if any(fold(n).startswith(folded) for n in names) and len(folded) >= 4:
                return area
        return None

    def area_of(self, code: str, year: int) -> str | None:
        m = self.municipality(code, year)
        return m.area if m is not None else None

    def members(self, area: str, year: int) -> tuple[Municipality, ...]:
        key = (area, self.classification_year(year))
        found = self._members.get(key)
        if found is None:
            found = tuple(m for m in self.municipalities_in(year) if m.area == area)
            self._members[key] = found
        return found

    def area_bilingual(self, area: str, year: int) -> bool:
        """An area is bilingual when one of its member municipalities is."""
        return any(m.bilingual for m in self.members(area, year))

    # -- parties ---------------------------------------------------------------

    def party_exists(self, party: PartyRef, year: int) -> bool:
        """Whether a public body exists in ``year``; joint authorities and funders are
        the dataset's, not the reference data's, so never."""
        if party.kind is PartyKind.MUNICIPALITY:
            return self.exists(party.code, year)
        if party.kind is PartyKind.AREA:
            return party.code in self._areas
        return False

    def same_body(self, a: PartyRef, b: PartyRef) -> bool:
        """In Helsinki the city is both municipality 091 and area 90."""
        return self.canonical(a) == self.canonical(b)

    @staticmethod
    def canonical(party: PartyRef) -> PartyRef:
        if party.kind is PartyKind.AREA and party.code == AREA_HELSINKI:
            return PartyRef.municipality(HELSINKI)
        return party

    def body(self, party: PartyRef, year: int) -> PartyRef:
        """The body a reference names in ``year``: :meth:`canonical`, and a merged
        municipality's successor after the merger (Pertunmaa's 588 is Mäntyharju in 2025)."""
        if party.kind is PartyKind.MUNICIPALITY and not self.exists(party.code, year):
            codes = self.codes_in(party.code, year)
            if len(codes) == 1:
                return PartyRef.municipality(next(iter(codes)))
        return self.canonical(party)

    def territory(self, party: PartyRef, year: int) -> frozenset[str]:
        """The municipality codes a public body (a subject) covers in ``year``.

        Joint authorities and funders are the dataset's: empty here.
        """
        key = (party, self.classification_year(year))
        found = self._territories.get(key)
        if found is None:
            if party.kind is PartyKind.MUNICIPALITY:
                found = frozenset({party.code}) if self.exists(party.code, year) else frozenset()
            elif party.kind is PartyKind.AREA:
                found = frozenset(m.code for m in self.members(party.code, year))
            else:
                found = frozenset()
            self._territories[key] = found
        return found

    def record_territory(self, party: PartyRef, year: int) -> frozenset[str]:
        """What a party named in a record covers in ``year``: :meth:`territory`, with a
        municipality's code read through the mergers (:meth:`codes_in`)."""
        if party.kind is PartyKind.MUNICIPALITY:
            return self.codes_in(party.code, year)
        return self.territory(party, year)

    def party_name(self, party: PartyRef, year: int) -> Name:
        if party.kind is PartyKind.MUNICIPALITY:
            m = self.municipality(party.code, year) or self._last_known(party.code)
            return m.name if m is not None else Name(fi=str(party))
        if not party.kind.public_body:
            return Name(fi=str(party))
        a = self.area(party.code)
        return a.name if a is not None else Name(fi=str(party))

    def _last_known(self, code: str) -> Municipality | None:
        """A merged municipality under the name it last had (Pertunmaa, in 2025)."""
        for year in reversed(self.years):
            found = self._by_year[year].get(code)
            if found is not None:
                return found
        return None

    def population(self, party: PartyRef, year: int) -> int:
        table = self._by_year[self.classification_year(year)]
        return sum(table[code].population for code in self.territory(party, year))

    def bilingual(self, party: PartyRef, year: int) -> bool:
        if party.kind is PartyKind.MUNICIPALITY:
            m = self.municipality(party.code, year)
            return m is not None and m.bilingual
        return self.area_bilingual(party.code, year)


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("jarjesto_core").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _areas(rows: Iterable[Mapping[str, str]]) -> tuple[Area, ...]:
    return tuple(
        Area(
            shared_text(r["code"]),
            Name(fi=r["name_fi"], sv=r["name_sv"], en=r["name_en"]),
            r["kind"],
        )
        for r in rows
    )


def _english_name(row: Mapping[str, str]) -> str:
    """English uses the majority language's name of a bilingual municipality (Malax, Pargas;
    Turku), the Finnish name otherwise (terminology.md 1.12)."""
    if row["language"] == "bilingual_sv_majority" and row["name_sv"]:
        return row["name_sv"]
    return row["name_fi"]


@functools.cache
def bundled_reference() -> Reference:
    """The reference data shipped with jarjesto, read once per process.

    Codes are shared with the datasets' (:func:`shared_text`), so that the lookups
    an assessment makes with a dataset's codes compare identities.
    """
    municipalities = tuple(
        Municipality(
            year=int(r["year"]),
            code=shared_text(r["code"]),
            name=Name(fi=r["name_fi"], sv=r["name_sv"], en=_english_name(r)),
            language=r["language"],
            area=shared_text(r["wellbeing_area_code"]),
            population=int(r["population"]),
        )
        for r in _read_csv("municipalities.csv")
    )
    mergers = tuple(Merger(r["code"], r["into"], int(r["year"])) for r in _read_csv("mergers.csv"))
    return Reference(municipalities, _areas(_read_csv("wellbeing_areas.csv")), mergers)
