"""Names for people: what each id and party reference in an assessment is called.

Reports never show ``svc-tku-kohtaamo`` or ``municipality:475``: they show
"Kohtaamo (Esimerkkiyhdistys ry)" and "Maalahti" / "Malax". An assessment
carries a :class:`Names` over its dataset and the reference data, and every
people-facing report asks it. Names are chosen, never translated
(:meth:`Name.pick`); kinds are labelled through :mod:`jarjesto_core.labels`.
The lookup tables are built on first use, so an assessment that is never
shown to a person (a national benchmark, the JSON format) pays nothing.
Long lists are summarised ("A, B and 19 more") by :func:`summarise`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Final

from jarjesto_core.i18n import N_, NP_, translate
from jarjesto_core.labels import AGREEMENT_KIND_LABELS, COORDINATOR_TITLE_LABELS, label
from jarjesto_core.model import Dataset, Name, PartyRef
from jarjesto_core.reference import Reference

__all__ = ["Names", "summarise"]

_ID: Final = attrgetter("id")
_NAME: Final = attrgetter("name")

#: How many names a summary shows before "and N more".
SHOWN: Final = 2

MORE: Final = NP_("%(names)s and one more", "%(names)s and %(count)d more")
AGREEMENT_OF: Final = N_("%(kind)s: %(organisation)s")
RESPONSIBILITY_OF: Final = N_("funding responsibility agreement: %(municipality)s")
COORDINATOR_OF: Final = N_("%(title)s, %(party)s")
SERVICE_OF: Final = N_("%(service)s (%(organisation)s)")


class Names:
    """Record ids and party references of one dataset and year, to names in a language.

    Something it does not know (an id from another dataset) is shown as it
    is: a report is never refused for a name.
    """

    def __init__(self, dataset: Dataset, reference: Reference, year: int) -> None:
        self.dataset = dataset
        self.reference = reference
        self.year = year

    @functools.cached_property
    def _organisations(self) -> Mapping[str, Name]:
        organisations = self.dataset.organisations
        return dict(zip(map(_ID, organisations), map(_NAME, organisations), strict=True))

    @functools.cached_property
    def _records(self) -> Mapping[str, object]:
        """Every named record by id (the last of an id): built in C, as a page after an
        edit builds it again over 335,000 records."""
        found: dict[str, object] = {}
        for name in ("services", "agreements", "responsibilities", "structures",
                     "coordinators", "hearings", "commitments", "welfare_reports",
                     "appropriations"):  # fmt: skip
            records = getattr(self.dataset, name)
            found.update(zip(map(_ID, records), records, strict=True))
        return found

    @functools.cached_property
    def _parties(self) -> Mapping[PartyRef, Name]:
        """The dataset's own parties: joint authorities and other funders."""
        found: dict[PartyRef, Name] = {}
        for j in self.dataset.joint_authorities:
            found.setdefault(PartyRef.joint(j.id), j.name)
        for f in self.dataset.funders:
            found.setdefault(PartyRef.funder(f.id), f.name)
        return found

    def party(self, party: PartyRef, lang: str) -> str:
        """A municipality's or county's name (English: the majority language's, Malax); a
        joint authority's or funder's from the dataset (Siun sote, STEA)."""
        if not party.kind.public_body:
            name = self._parties.get(party)
            return name.pick(lang) if name is not None else str(party)
        return self.reference.party_name(party, self.year).pick(lang)

    def organisation(self, organisation: str, lang: str) -> str:
        name = self._organisations.get(organisation)
        return name.pick(lang) if name is not None else organisation

    def service(self, service: str, lang: str) -> str:
        """The service's name, without its organisation's."""
        record = self._records.get(service)
        name = getattr(record, "name", None)
        return name.pick(lang) if isinstance(name, Name) else service

    def of(self, key: str | PartyRef, lang: str) -> str:
        """What ``key`` (an organisation's or record's id, or a party) is called in ``lang``."""
        if isinstance(key, PartyRef):
            return self.party(key, lang)
        if key in self._organisations:
            return self._organisations[key].pick(lang)
        record = self._records.get(key)
        if record is None:
            try:
                return self.party(PartyRef.parse(key), lang)
            except ValueError:
                return key
        return self.record(record, lang)

    def record(self, record: object, lang: str) -> str:
        """What a record is called (a service with its organisation, an agreement by its
        kind and organisation...): without looking it up among every record."""
        from jarjesto_core import model

        if isinstance(record, model.Service):
            owner = self.organisation(record.organisation, lang)
            return translate(
                SERVICE_OF, lang, {"service": record.name.pick(lang), "organisation": owner}
            )
        if isinstance(record, model.Agreement):
            kind = label(str(record.kind), AGREEMENT_KIND_LABELS, lang)
            owner = self.organisation(record.organisation, lang)
            return translate(AGREEMENT_OF, lang, {"kind": kind, "organisation": owner})
        if isinstance(record, model.Responsibility):
            place = self.party(PartyRef.municipality(record.municipality), lang)
            return translate(RESPONSIBILITY_OF, lang, {"municipality": place})
        if isinstance(record, model.Structure):
            return record.name.pick(lang)
        if isinstance(record, model.Coordinator):
            title = label(str(record.title), COORDINATOR_TITLE_LABELS, lang)
            where = self.party(record.party, lang)
            return translate(COORDINATOR_OF, lang, {"title": title, "party": where})
        if isinstance(record, model.Hearing):
            return record.topic
        if isinstance(record, model.Commitment):
            return record.document
        if isinstance(record, model.WelfareReport):
            from jarjesto_core.rules.demands import REPORT_NAMES

            kind = translate(REPORT_NAMES[record.kind], lang)
            return f"{kind}, {self.party(record.party, lang)}"
        if isinstance(record, model.Appropriation):
            return record.line
        return str(getattr(record, "id", record))

    def all_of(self, keys: Iterable[str | PartyRef], lang: str) -> list[str]:
        return [self.of(key, lang) for key in keys]


def summarise(names: Sequence[str], lang: str, shown: int = SHOWN) -> str:
    """ "A, B and 19 more" in ``lang``; every name when there are at most ``shown + 1``."""
    if not names:
        return "–"
    if len(names) <= shown + 1:
        from babel.lists import format_list

        return format_list(list(names), locale=lang)
    rest = len(names) - shown
    return translate(MORE, lang, {"names": ", ".join(names[:shown]), "count": rest})
