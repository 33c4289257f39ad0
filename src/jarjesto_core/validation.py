"""Semantic validation: what a well-formed dataset can still get wrong.

Structure (types, required fields, enum values, dates) is the converter's job
(:mod:`jarjesto_core.serialise`); here the records are typed and we check
what needs the whole dataset or the reference data: ids, references between
records, public bodies by year, periods, amounts, and the rules of the data
contract. Every problem is collected, none stops the others.

The years a record covers, for looking public bodies up by year:

- a record with a period (agreement, responsibility, coordinator,
  commitment): ``start`` to ``end``, an open end running to the reference
  data's last year;
- an organisation: ``founded`` to ``dissolved``, a structure: ``established``
  to ``dissolved``; an unknown beginning is the reference's first year and an
  open end its last;
- a service: its organisation's years; a hearing: the year of its date; an
  appropriation: its year; a welfare report: ``start`` to ``end``.

Years before the first classification (2023) use that classification
(:meth:`Reference.classification_year`): the municipal division did not
change between 2021 and 2023.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import typing
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import chain
from operator import attrgetter
from typing import Any, Final

import attrs
from attrs import frozen

from jarjesto_core.business_id import business_id_problem
from jarjesto_core.errors import Problem
from jarjesto_core.i18n import N_
from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import (
    COLLECTIONS,
    ID_PATTERN,
    LANGUAGES,
    Agreement,
    AgreementKind,
    Appropriation,
    Commitment,
    Coordinator,
    Coverage,
    Dataset,
    Domain,
    Funder,
    Hearing,
    JointAuthority,
    Organisation,
    PartyKind,
    PartyRef,
    Publisher,
    Responsibility,
    ResponsibleParty,
    Service,
    Structure,
    WelfareReport,
    years_of,
)
from jarjesto_core.reference import AREA_ALAND, AREA_HELSINKI, HELSINKI, Reference

__all__ = ["affected", "publisher_problems", "validate", "warnings"]

_LANGUAGE_CODE: Final = frozenset("abcdefghijklmnopqrstuvwxyz")


#: 360Giving issues prefixes of this form (``360G-`` and the publisher's short name).
_PREFIX: Final = re.compile(r"^360G-[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: org-id.guide's form: a list code (country and register) and the id in that list.
_ORG_ID: Final = re.compile(r"^[A-Z]{2}-[A-Z0-9]+-\S+$")
_URL: Final = re.compile(r"^https?://[^\s/]+\S*$")


def publisher_problems(publisher: Publisher) -> list[Problem]:
    """What is wrong with the publisher settings, each naming its ``publisher.`` field."""
    problems: list[Problem] = []

    def add(message: str, field: str, **params: Any) -> None:
        problems.append(Problem(message, params, field=f"publisher.{field}"))

    if publisher.prefix is not None and not _PREFIX.match(publisher.prefix):
        add(
            N_("%(found)s is not a 360Giving prefix: it starts with 360G-, such as 360G-example"),
            "prefix",
            found=repr(publisher.prefix),
        )
    if publisher.org_id is not None and not _ORG_ID.match(publisher.org_id):
        add(
            N_("%(found)s is not an org-id: expected a list code and an id, such as %(expected)s"),
            "org_id",
            found=repr(publisher.org_id),
            expected="FI-PRO-0242746-2",
        )
    for name in ("licence", "url"):
        value = getattr(publisher, name)
        if value is not None and not _URL.match(value):
            add(N_("%(found)s is not a web address (http:// or https://)"), name, found=repr(value))
    if publisher.language not in LANGUAGES:
        add(
            N_("%(found)s is not a language of jarjesto: expected %(expected)s"),
            "language",
            found=repr(publisher.language),
            expected=", ".join(LANGUAGES),
        )
    for key, value in publisher.business_ids.items():
        try:
            PartyRef.parse(key)
        except ValueError:
            add(
                N_("%(found)s is not a public body: expected municipality:CODE or area:CODE"),
                f"business_ids.{key}",
                found=repr(key),
            )
            continue
        found = business_id_problem(value) if isinstance(value, str) else None
        if found is not None:
            add(found[0], f"business_ids.{key}", **found[1])
    return problems


@frozen
class _Where:
    """The record a problem is about."""

    collection: str
    index: int
    record_id: str

    def problem(self, message: str, field: str, **params: Any) -> Problem:
        return Problem(
            message,
            params,
            collection=self.collection,
            index=self.index,
            record_id=self.record_id,
            field=field,
        )


_R = typing.TypeVar("_R")


def _first_by_id(records: Sequence[_R]) -> dict[str, _R]:
    """Records by id, the first of a duplicated id kept: built in C, from the last record
    back (an edit's check builds these over 60,000 records)."""
    backwards = records[::-1]
    return dict(zip(map(attrgetter("id"), backwards), backwards, strict=True))


class _Validator:
    def __init__(
        self,
        dataset: Dataset,
        reference: Reference,
        service_kinds: Mapping[str, Domain],
        broken: Mapping[str, frozenset[str]],
    ) -> None:
        self.dataset = dataset
        self.reference = reference
        self.kinds = service_kinds
        self.broken = broken
        self.last_year = reference.years.stop - 1
        self.first_year = reference.years.start
        # The first record of a duplicated id is the one references resolve to.
        self.organisations: dict[str, Organisation] = _first_by_id(dataset.organisations)
        self.services: dict[str, Service] = _first_by_id(dataset.services)
        self.structures: dict[str, Structure] = _first_by_id(dataset.structures)
        self.joints: dict[str, JointAuthority] = _first_by_id(dataset.joint_authorities)
        self.funders = frozenset(f.id for f in dataset.funders)
        self.problems: list[Problem] = []
        #: (code, first year, year after the last) found to be a municipality throughout:
        #: 300,000 agreements name a few hundred bodies over a few spans of years.
        self._existing: set[tuple[str, int, int]] = set()

    # -- helpers ---------------------------------------------------------------

    def add(self, problem: Problem | None) -> None:
        if problem is not None:
            self.problems.append(problem)

    def span(self, start: dt.date | None, end: dt.date | None) -> range:
        begin = start if start is not None else dt.date(self.first_year, 1, 1)
        return years_of(begin, end, self.last_year)

    def organisation_years(self, organisation: Organisation) -> range:
        return self.span(organisation.founded, organisation.dissolved)

    def municipality(self, where: _Where, field: str, code: str, years: Iterable[int]) -> bool:
        """Report ``code`` if it is a municipality in none of ``years``; True when it is in one.

        A code that existed during part of the period is valid (domain.md, "Mergers"):
        a record may keep Pertunmaa's code across its merger into Mäntyharju, and
        the resolver reads it as the successor's territory afterwards.
        Each classification is checked once, at the first of ``years`` it describes:
        an organisation founded in 1950 spans 75 years but only a few classifications.
        """
        # A span already found valid is not looked up again: at national scale the
        # same (code, years) pair recurs on thousands of records.
        span = (code, years.start, years.stop) if type(years) is range and years.step == 1 else None
        if span is not None and span in self._existing:
            return True
        first_years = self._first_years(years)
        if first_years and not any(self.reference.exists(code, y) for y in first_years):
            self.add(self._missing_municipality(where, field, code, first_years[0]))
            return False
        if span is not None:
            self._existing.add(span)
        return True

    def _first_years(self, years: Iterable[int]) -> list[int]:
        """The first year of ``years`` in each classification they touch, in order."""
        ref = self.reference
        if isinstance(years, range) and years.step == 1:
            if not years:
                return []
            first = ref.classification_year(years.start)
            last = ref.classification_year(years[-1])
            # Years inside the classifications' span describe themselves.
            return [years.start, *range(first + 1, last + 1)]
        seen: set[int] = set()
        found = []
        for year in years:
            classification = ref.classification_year(year)
            if classification not in seen:
                seen.add(classification)
                found.append(year)
        return found

    def _missing_municipality(self, where: _Where, field: str, code: str, year: int) -> Problem:
        merger = self.reference.merger_of(code)
        if merger is not None and year >= merger.year:
            before = self.reference.municipality(code, merger.year - 1)
            into = self.reference.municipality(merger.into, merger.year)
            return where.problem(
                N_(
                    "municipality %(found)s (%(name)s) does not exist in %(year)s: "
                    "merged into %(into)s (%(into_name)s) from %(merged)s"
                ),
                field,
                found=code,
                name=before.name.pick("fi") if before else code,
                year=year,
                into=merger.into,
                into_name=into.name.pick("fi") if into else merger.into,
                merged=merger.year,
            )
        if any(self.reference.exists(code, y) for y in self.reference.years):
            return where.problem(
                N_("municipality %(found)s does not exist in %(year)s"),
                field,
                found=code,
                year=year,
            )
        return where.problem(
            N_(
                "municipality %(found)s does not exist: expected a three-digit code of "
                "Statistics Finland's classification, such as 167 (Joensuu)"
            ),
            field,
            found=code,
        )

    def area(self, where: _Where, field: str, code: str) -> bool:
        if self.reference.area(code) is not None:
            return True
        self.add(
            where.problem(
                N_(
                    "wellbeing area %(found)s does not exist: expected 01 to 21, "
                    "%(helsinki)s (City of Helsinki) or %(aland)s (Åland)"
                ),
                field,
                found=code,
                helsinki=AREA_HELSINKI,
                aland=AREA_ALAND,
            )
        )
        return False

    def party(self, where: _Where, party: PartyRef, years: Iterable[int]) -> None:
        if party.kind is PartyKind.AREA:
            self.area(where, "party", party.code)
        elif party.kind is PartyKind.MUNICIPALITY:
            self.municipality(where, "party", party.code, years)
        elif party.kind is PartyKind.JOINT:
            if party.code not in self.joints and party.code not in self.broken.get(
                "joint_authorities", frozenset()
            ):
                self.add(
                    where.problem(
                        N_(
                            "joint authority %(found)s does not exist: no record of "
                            "joint_authorities has this id"
                        ),
                        "party",
                        found=party.code,
                    )
                )
        elif party.code not in self.funders and party.code not in self.broken.get(
            "funders", frozenset()
        ):
            self.add(
                where.problem(
                    N_("funder %(found)s does not exist: no record of funders has this id"),
                    "party",
                    found=party.code,
                )
            )

    def reference_to(self, where: _Where, field: str, collection: str, target: str) -> bool:
        """True when ``target`` names a record of ``collection``; report it when it does not.

        An id whose record failed structuring is reported there already, so a
        reference to it is not reported again as dangling.
        """
        by_collection: Mapping[str, Mapping[str, object]] = {
            "organisations": self.organisations,
            "services": self.services,
            "structures": self.structures,
        }
        known = by_collection[collection]
        if target in known:
            return True
        if target in self.broken.get(collection, frozenset()):
            return False
        if collection == "organisations":
            message = N_("organisation %(found)s does not exist: no organisation has this id")
        elif collection == "structures":
            message = N_(
                "body %(found)s does not exist: no record of the structures collection has this id"
            )
        else:
            message = N_("service %(found)s does not exist: no service has this id")
        self.add(where.problem(message, field, found=target))
        return False

    def period(
        self, where: _Where, start: dt.date | None, end: dt.date | None, message: str, field: str
    ) -> None:
        if start is not None and end is not None and end < start:
            self.add(where.problem(message, field, start=start.isoformat(), end=end.isoformat()))

    def count(self, where: _Where, field: str, value: int | None) -> None:
        if value is not None and value < 0:
            self.add(
                where.problem(
                    N_("%(found)s is negative: expected a count of 0 or more"), field, found=value
                )
            )

    def languages(self, where: _Where, codes: Sequence[str]) -> None:
        for i, code in enumerate(codes):
            if len(code) != 2 or not set(code) <= _LANGUAGE_CODE:
                self.add(
                    where.problem(
                        N_(
                            "%(found)s is not a language code: expected two lower-case "
                            "letters (ISO 639-1), such as fi or sv"
                        ),
                        f"languages[{i}]",
                        found=repr(code),
                    )
                )

    def prevention_kinds(self) -> str:
        return ", ".join(sorted(k for k, d in self.kinds.items() if d is Domain.PREVENTION))

    # -- ids -------------------------------------------------------------------

    def record_id(self, where: _Where, first: dict[str, int]) -> None:
        """The id's form, and whether an earlier record of the collection has it."""
        rid = where.record_id
        if not ID_PATTERN.match(rid):
            self.add(
                where.problem(
                    N_(
                        "%(found)s is not a valid id: expected lower-case letters, "
                        "digits, -, _ and ., beginning with a letter or digit"
                    ),
                    "id",
                    found=repr(rid),
                )
            )
        if rid in first:
            self.add(
                where.problem(
                    N_("duplicate id %(found)s: record [%(first)s] of this collection has it"),
                    "id",
                    found=rid,
                    first=first[rid],
                )
            )
        else:
            first[rid] = where.index

    # -- records -----------------------------------------------------------------

    def organisation(self, where: _Where, org: Organisation) -> None:
        if org.business_id is not None:
            found = business_id_problem(org.business_id)
            if found is not None:
                self.add(where.problem(found[0], "business_id", **found[1]))
        self.period(
            where,
            org.founded,
            org.dissolved,
            N_("dissolved %(end)s is before founded %(start)s"),
            "dissolved",
        )
        self.languages(where, org.languages)
        years = self.organisation_years(org)
        for i, code in enumerate(org.municipalities):
            self.municipality(where, f"municipalities[{i}]", code, years)
        self.count(where, "members", org.members)
        self.count(where, "volunteers", org.volunteers)

    def service(self, where: _Where, service: Service) -> None:
        if service.kind not in self.kinds:
            self.add(
                where.problem(
                    N_("unknown service kind %(found)s: allowed kinds are %(allowed)s"),
                    "kind",
                    found=repr(service.kind),
                    allowed=", ".join(sorted(self.kinds)),
                )
            )
        self.languages(where, service.languages)
        self.count(where, "participants_per_year", service.participants_per_year)
        org = self.organisations.get(service.organisation)
        if not self.reference_to(where, "organisation", "organisations", service.organisation):
            years = self.span(None, None)
            for i, code in enumerate(service.municipalities):
                self.municipality(where, f"municipalities[{i}]", code, years)
            if service.location is not None:
                self.municipality(where, "location", service.location, years)
            return
        assert org is not None
        years = self.organisation_years(org)
        for i, code in enumerate(service.municipalities):
            # The catchment: whom it serves, which may reach beyond where the
            # organisation works (a national aftercare home serves the country).
            self.municipality(where, f"municipalities[{i}]", code, years)
        if (
            service.location is not None
            and self.municipality(where, "location", service.location, years)
            and org.municipalities
            and service.location not in org.municipalities
        ):
            self.add(
                where.problem(
                    N_(
                        "the service runs in municipality %(found)s, where its organisation "
                        "%(organisation)s does not work: expected one of %(expected)s"
                    ),
                    "location",
                    found=service.location,
                    organisation=org.id,
                    expected=", ".join(org.municipalities),
                )
            )

    def agreement(self, where: _Where, agreement: Agreement) -> None:
        self.period(
            where,
            agreement.start,
            agreement.end,
            N_("the end %(end)s is before the start %(start)s"),
            "end",
        )
        self.party(where, agreement.party, self.span(agreement.start, agreement.end))
        has_org = self.reference_to(where, "organisation", "organisations", agreement.organisation)
        for i, sid in enumerate(agreement.services):
            field = f"services[{i}]"
            if not self.reference_to(where, field, "services", sid) or not has_org:
                continue
            owner = self.services[sid].organisation
            if owner != agreement.organisation:
                self.add(
                    where.problem(
                        N_(
                            "service %(found)s belongs to organisation %(owner)s, not to the "
                            "agreement's organisation %(expected)s"
                        ),
                        field,
                        found=sid,
                        owner=owner,
                        expected=agreement.organisation,
                    )
                )
        amount = agreement.annual_amount_eur
        if amount is not None and amount < Decimal(0):
            self.add(
                where.problem(
                    N_("%(found)s is a negative amount: expected euros, 0 or more"),
                    "annual_amount_eur",
                    found=str(amount),
                )
            )
        if agreement.premises_terms is not None and agreement.kind is not AgreementKind.PREMISES:
            self.add(
                where.problem(
                    N_(
                        "premises_terms is set on an agreement of kind %(found)s: only a premises "
                        "agreement has premises terms"
                    ),
                    "premises_terms",
                    found=agreement.kind.value,
                )
            )
        if agreement.lots is not None and agreement.kind is not AgreementKind.SERVICE_PURCHASE:
            self.add(
                where.problem(
                    N_(
                        "lots is set on an agreement of kind %(found)s: only a service_purchase "
                        "agreement can be divided into lots"
                    ),
                    "lots",
                    found=agreement.kind.value,
                )
            )

    def responsibility(self, where: _Where, resp: Responsibility) -> None:
        """The area must be the municipality's own, and only middle-ground kinds are assigned.

        Sote services are the wellbeing area's and municipal tasks the
        municipality's by law; an agreement cannot move them, it settles the
        prevention domain that the law leaves to both (Act 612/2021 §6–7).
        """
        self.period(
            where, resp.start, resp.end, N_("the end %(end)s is before the start %(start)s"), "end"
        )
        years = self.span(resp.start, resp.end)
        municipality_ok = self.municipality(where, "municipality", resp.municipality, years)
        area_ok = self.area(where, "area", resp.area)
        if area_ok and self._no_split(where, resp):
            area_ok = False
        if area_ok and municipality_ok:
            for year in years:
                actual = self.reference.area_of(resp.municipality, year)
                if actual is not None and actual != resp.area:
                    m = self.reference.municipality(resp.municipality, year)
                    self.add(
                        where.problem(
                            N_(
                                "area %(found)s is not the wellbeing area of municipality "
                                "%(code)s (%(name)s): in %(year)s it belongs to area %(expected)s"
                            ),
                            "area",
                            found=resp.area,
                            code=resp.municipality,
                            name=m.name.pick("fi") if m else resp.municipality,
                            year=year,
                            expected=actual,
                        )
                    )
                    break
        for kind, assigned in resp.assignments.items():
            field = f"assignments.{kind}"
            domain = self.kinds.get(kind)
            if assigned is ResponsibleParty.JOINT:
                self.add(
                    where.problem(
                        N_(
                            "%(found)s cannot be assigned: a responsibility agreement assigns a "
                            "kind to the municipality, the area or both (shared)"
                        ),
                        field,
                        found=assigned.value,
                    )
                )
                continue
            if domain is Domain.PREVENTION:
                continue
            if domain is None:
                message = N_(
                    "unknown service kind %(found)s: a responsibility agreement assigns "
                    "the prevention kinds %(allowed)s"
                )
            elif domain is Domain.SOTE:
                message = N_(
                    "service kind %(found)s is a statutory social and health service, which "
                    "the wellbeing area funds by law: a responsibility agreement assigns only "
                    "the prevention kinds %(allowed)s"
                )
            else:
                message = N_(
                    "service kind %(found)s is a municipal task, which the municipality funds "
                    "by law: a responsibility agreement assigns only the prevention kinds "
                    "%(allowed)s"
                )
            self.add(
                where.problem(message, field, found=repr(kind), allowed=self.prevention_kinds())
            )

    def _no_split(self, where: _Where, resp: Responsibility) -> bool:
        """Report an agreement where the law leaves no municipality/area split; True then.

        Helsinki is one body (the city is both), and Åland is outside the reform.
        """
        if resp.area == AREA_ALAND:
            message = N_(
                "area %(found)s is Åland, which is outside the reform: its municipalities "
                "and area have no split of responsibility to agree on"
            )
        elif resp.area == AREA_HELSINKI or resp.municipality == HELSINKI:
            message = N_(
                "area %(found)s with municipality %(code)s is the City of Helsinki, which is "
                "responsible for every domain itself: there is no split to agree on"
            )
        else:
            return False
        self.add(where.problem(message, "area", found=resp.area, code=resp.municipality))
        return True

    def joint_authority(self, where: _Where, joint: JointAuthority) -> None:
        """Members must exist during its period; it organises sote or prevention, not both none."""
        self.period(
            where,
            joint.start,
            joint.end,
            N_("the end %(end)s is before the start %(start)s"),
            "end",
        )
        years = self.span(joint.start, joint.end)
        if not joint.members:
            self.add(where.problem(N_("a joint authority needs at least one member"), "members"))
        for i, code in enumerate(joint.members):
            self.municipality(where, f"members[{i}]", code, years)
        if not joint.organises:
            self.add(
                where.problem(
                    N_("a joint authority organises at least one of sote, prevention"),
                    "organises",
                )
            )
        for i, domain in enumerate(joint.organises):
            if domain is Domain.MUNICIPAL:
                self.add(
                    where.problem(
                        N_(
                            "%(found)s is a municipality's own task: a joint authority "
                            "organises sote or prevention"
                        ),
                        f"organises[{i}]",
                        found=domain.value,
                    )
                )

    def funder(self, where: _Where, funder: Funder) -> None:
        if funder.business_id is not None:
            found = business_id_problem(funder.business_id)
            if found is not None:
                self.add(where.problem(found[0], "business_id", **found[1]))

    def structure(self, where: _Where, structure: Structure) -> None:
        self.period(
            where,
            structure.established,
            structure.dissolved,
            N_("dissolved %(end)s is before established %(start)s"),
            "dissolved",
        )
        self.party(where, structure.party, self.span(structure.established, structure.dissolved))
        for i, member in enumerate(structure.members):
            self.reference_to(where, f"members[{i}]", "organisations", member)
        for i, meeting in enumerate(structure.meetings):
            field = f"meetings[{i}]"
            if structure.established is not None and meeting < structure.established:
                self.add(
                    where.problem(
                        N_("a meeting on %(found)s is before the body was established (%(start)s)"),
                        field,
                        found=meeting.isoformat(),
                        start=structure.established.isoformat(),
                    )
                )
            if structure.dissolved is not None and meeting > structure.dissolved:
                self.add(
                    where.problem(
                        N_("a meeting on %(found)s is after the body was dissolved (%(end)s)"),
                        field,
                        found=meeting.isoformat(),
                        end=structure.dissolved.isoformat(),
                    )
                )

    def coordinator(self, where: _Where, coordinator: Coordinator) -> None:
        self.period(
            where,
            coordinator.start,
            coordinator.end,
            N_("the end %(end)s is before the start %(start)s"),
            "end",
        )
        self.party(where, coordinator.party, self.span(coordinator.start, coordinator.end))

    def public_body(self, where: _Where, party: PartyRef, years: Iterable[int]) -> None:
        """A strategy, welfare report or budget is a municipality's or a wellbeing area's own."""
        if party.kind not in (PartyKind.MUNICIPALITY, PartyKind.AREA):
            self.add(
                where.problem(
                    N_(
                        "%(found)s is not a municipality or a wellbeing area: only they "
                        "have a strategy, a welfare report or a budget in this dataset"
                    ),
                    "party",
                    found=str(party),
                )
            )
            return
        self.party(where, party, years)

    def amount(self, where: _Where, field: str, value: Decimal | None) -> bool:
        """True when ``value`` is absent or euros, 0 or more; report it otherwise."""
        if value is None or value >= Decimal(0):
            return True
        self.add(
            where.problem(
                N_("%(found)s is a negative amount: expected euros, 0 or more"),
                field,
                found=str(value),
            )
        )
        return False

    def hearing(self, where: _Where, hearing: Hearing) -> None:
        """Who was heard exists; the deadline is not before the hearing; counts are counts.

        A decision dated before the hearing is not an error of the data: it is
        what ``core.hearing`` reports (a hearing after the decision was made).
        """
        self.party(where, hearing.party, (hearing.date.year,))
        if not hearing.organisations and not hearing.structures:
            self.add(
                where.problem(
                    N_(
                        "a hearing names who was heard: give organisations (heard directly), "
                        "structures (bodies heard), or both"
                    ),
                    "organisations",
                )
            )
        for i, org in enumerate(hearing.organisations):
            self.reference_to(where, f"organisations[{i}]", "organisations", org)
        for i, body in enumerate(hearing.structures):
            self.reference_to(where, f"structures[{i}]", "structures", body)
        self.languages(where, hearing.languages)
        if hearing.deadline is not None and hearing.deadline < hearing.date:
            self.add(
                where.problem(
                    N_(
                        "the deadline %(end)s is before the hearing began on %(start)s: "
                        "statements cannot be due before they were asked for"
                    ),
                    "deadline",
                    start=hearing.date.isoformat(),
                    end=hearing.deadline.isoformat(),
                )
            )
        self.count(where, "statements", hearing.statements)
        for name, text in (("topic", hearing.topic), ("decision", hearing.decision)):
            if text is not None and not text.strip():
                self.add(where.problem(N_("the text is empty: leave the field out instead"), name))

    def commitment(self, where: _Where, commitment: Commitment) -> None:
        self.period(
            where,
            commitment.start,
            commitment.end,
            N_("the end %(end)s is before the start %(start)s"),
            "end",
        )
        self.public_body(where, commitment.party, self.span(commitment.start, commitment.end))

    def welfare_report(self, where: _Where, report: WelfareReport) -> None:
        self.period(
            where,
            report.start,
            report.end,
            N_("the end %(end)s is before the start %(start)s"),
            "end",
        )
        self.public_body(where, report.party, self.span(report.start, report.end))

    def appropriation(self, where: _Where, appropriation: Appropriation) -> None:
        """Euros, 0 or more; the part reserved for grants is a part of the appropriation."""
        year = appropriation.year
        if not 1900 <= year <= 2100:
            self.add(
                where.problem(
                    N_("%(found)s is not a budget year: expected a year such as 2024"),
                    "year",
                    found=year,
                )
            )
        else:
            self.public_body(where, appropriation.party, (year,))
        if not appropriation.line.strip():
            self.add(where.problem(N_("the text is empty: name the budget line"), "line"))
        total_ok = self.amount(where, "amount_eur", appropriation.amount_eur)
        reserved = appropriation.grants_reserved_eur
        if (
            self.amount(where, "grants_reserved_eur", reserved)
            and total_ok
            and reserved is not None
            and reserved > appropriation.amount_eur
        ):
            self.add(
                where.problem(
                    N_(
                        "%(found)s reserved for grants is more than the whole appropriation "
                        "(%(expected)s)"
                    ),
                    "grants_reserved_eur",
                    found=str(reserved),
                    expected=str(appropriation.amount_eur),
                )
            )

    def coverage(self, where: _Where, coverage: Coverage) -> None:
        """Known collections, existing parties, a period: coverage decides what absence means,
        so a mistyped one must not silently cover nothing."""
        self.period(
            where,
            coverage.start,
            coverage.end,
            N_("the end %(end)s is before the start %(start)s"),
            "end",
        )
        for i, name in enumerate(coverage.collections):
            if name not in COLLECTIONS or name == "coverage":
                self.add(
                    where.problem(
                        N_("unknown collection %(found)s: expected one of %(expected)s"),
                        f"collections[{i}]",
                        found=repr(name),
                        expected=", ".join(n for n in COLLECTIONS if n != "coverage"),
                    )
                )
        if not coverage.collections:
            self.add(where.problem(N_("coverage names no collection"), "collections"))
        if not coverage.parties:
            self.add(where.problem(N_("coverage names no party"), "parties"))
        years = self.span(coverage.start, coverage.end)
        for i, party in enumerate(coverage.parties):
            field = f"parties[{i}]"
            if party.kind is PartyKind.AREA:
                self.area(where, field, party.code)
            else:
                self.municipality(where, field, party.code, years)


def warnings(dataset: Dataset) -> tuple[Problem, ...]:
    """What is allowed but probably not meant: each names its record.

    A 0 € agreement is a refused application, not an agreement: it is kept,
    but no funding status, grant rule or continuity finding counts it.
    """
    found: list[Problem] = []
    for index, agreement in enumerate(dataset.agreements):
        if agreement.annual_amount_eur is not None and agreement.annual_amount_eur == 0:
            found.append(
                _Where("agreements", index, agreement.id).problem(
                    N_(
                        "the amount is 0 €: a refused application is not an agreement, and "
                        "it is not counted as funding"
                    ),
                    "annual_amount_eur",
                )
            )
    return tuple(found)


def validate(
    dataset: Dataset,
    reference: Reference,
    *,
    service_kinds: Mapping[str, Domain] | None = None,
    broken: Mapping[str, frozenset[str]] | None = None,
    indices: Mapping[str, Sequence[int]] | None = None,
    only: Mapping[str, Collection[str]] | None = None,
) -> tuple[Problem, ...]:
    """Every semantic problem of ``dataset``, in collection and record order.

    :param only: per collection, the ids of the records to check (the others are
        known to be valid): what a change touched, with :func:`affected`. A record's
        id is still checked against every earlier record of its collection.

    :param service_kinds: the kinds known (default: the core kinds); plugins add theirs.
    :param broken: per collection, ids of records that failed structuring: their
        problems are reported already, so references to them are not dangling.
    :param indices: per collection, each record's index in the source document,
        when records that failed structuring were left out of ``dataset``.
    """
    checker = _Validator(dataset, reference, service_kinds or CORE_SERVICE_KINDS, broken or {})
    per_record: Mapping[str, Callable[[_Where, Any], None]] = {
        "organisations": checker.organisation,
        "services": checker.service,
        "agreements": checker.agreement,
        "responsibilities": checker.responsibility,
        "structures": checker.structure,
        "coordinators": checker.coordinator,
        "hearings": checker.hearing,
        "commitments": checker.commitment,
        "welfare_reports": checker.welfare_report,
        "appropriations": checker.appropriation,
        "coverage": checker.coverage,
        "joint_authorities": checker.joint_authority,
        "funders": checker.funder,
    }
    if dataset.publisher is not None:
        checker.problems.extend(publisher_problems(dataset.publisher))
    for name in COLLECTIONS:
        records: Sequence[Any] = dataset.collection(name)
        positions: Sequence[int] = (indices or {}).get(name, range(len(records)))
        first: dict[str, int] = {}
        chosen = None if only is None else only.get(name, ())
        if chosen is not None and not chosen:
            continue
        for record, index in zip(records, positions, strict=True):
            # A record left unchecked has none of the ids checked: whether it is first
            # with its id matters to no record checked (an edit's check is no scan).
            if chosen is not None and record.id not in chosen:
                continue
            where = _Where(name, index, record.id)
            checker.record_id(where, first)
            per_record[name](where, record)
    return tuple(checker.problems)


def affected(dataset: Dataset, touched: Mapping[str, Collection[str]]) -> dict[str, set[str]]:
    """The records a change to ``touched`` (ids per collection) can make invalid.

    The touched records themselves (those still in ``dataset``), and every
    record that names one of their ids in a field of text, a list of texts or
    a party (a service of a changed organisation, an agreement naming a
    deleted service): no check looks at a record it does not name. Found by
    looking at values, not at what a field means, so a reference a new field
    adds is found too.
    """
    ids = frozenset(i for found in touched.values() for i in found)
    result: dict[str, set[str]] = {name: set(found) for name, found in touched.items()}
    for name in COLLECTIONS:
        hit = result.setdefault(name, set())
        texts, lists, parties = _naming_fields(name)
        records = dataset.collection(name)
        if not _may_name(records, ids, texts, lists, parties):
            continue
        for record in records:
            if (
                any(getattr(record, f) in ids for f in texts)
                or any(not ids.isdisjoint(getattr(record, f) or ()) for f in lists)
                or any(getattr(getattr(record, f), "code", None) in ids for f in parties)
            ):
                hit.add(record.id)  # type: ignore[attr-defined]
    return result


def _may_name(
    records: Sequence[Any],
    ids: frozenset[str],
    texts: Sequence[str],
    lists: Sequence[str],
    parties: Sequence[str],
) -> bool:
    """Whether any of ``records`` names one of ``ids`` in these fields: the scan below,
    field by field in C (an edit at national scale looked at 335,000 records in Python).
    True also when a value does not fit the quick check (a None list, say)."""
    try:
        return (
            any(not ids.isdisjoint(map(attrgetter(f), records)) for f in texts)
            or any(
                not ids.isdisjoint(chain.from_iterable(map(attrgetter(f), records))) for f in lists
            )
            or any(not ids.isdisjoint(map(attrgetter(f"{f}.code"), records)) for f in parties)
        )
    except (AttributeError, TypeError):
        return True


@functools.cache
def _naming_fields(collection: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A collection's fields that may hold an id: text, lists of text, parties."""
    hints = typing.get_type_hints(COLLECTIONS[collection])
    texts: list[str] = []
    lists: list[str] = []
    parties: list[str] = []
    for field in attrs.fields(COLLECTIONS[collection]):
        if field.name == "id":
            continue
        hint = hints[field.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if typing.get_origin(hint) is not tuple and len(args) == 1:  # X | None
            hint = args[0]
        if hint is str:
            texts.append(field.name)
        elif typing.get_origin(hint) is tuple and typing.get_args(hint)[0] is str:
            lists.append(field.name)
        elif hint is PartyRef:
            parties.append(field.name)
    return tuple(texts), tuple(lists), tuple(parties)
