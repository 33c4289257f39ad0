"""360Giving Data Standard 1.4: operating and project grants as open grant data.

One grant per agreement-year: a Finnish grant decision usually runs for a
period with an annual amount, while a 360Giving grant is one award with one
``amountAwarded``. So an operating grant of 2023–2025 becomes three grants,
each planned for its year and awarding that year's amount. Identifiers follow
360Giving's rules (``docs/opendata.md``): org-id.guide's ``FI-PRO`` list for
organisations with a Business ID, the publisher's ``360G-`` prefix otherwise.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from attrs import field, frozen

from jarjesto_core.coverage import CoverageIndex
from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_, translate
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Dataset,
    Funder,
    Organisation,
    PartyKind,
    PartyRef,
    Publisher,
    years_of,
)
from jarjesto_core.opendata.common import (
    BUSINESS_ID_SCHEME,
    Changed,
    ExportResult,
    Filter,
    Selection,
    alternate_names,
    covered_amount,
    covered_period,
    dataset_language,
    dump_json,
    json_number,
    last_year,
    municipality_name,
    party_business_id,
)
from jarjesto_core.opendata.hsds import KIND_LABELS
from jarjesto_core.reference import Reference
from jarjesto_core.resolver import party_name

__all__ = ["DEFAULT_PREFIX", "FILE", "GEOCODE_TYPE", "GRANT_KINDS", "Giving360Exporter"]

#: 360Giving's conventional form for a publisher without a registered prefix.
DEFAULT_PREFIX: Final = "360G-jarjesto"
GRANT_KINDS: Final = (AgreementKind.OPERATING_GRANT, AgreementKind.PROJECT_GRANT)
FILE: Final = "grants.json"
#: The schema version a package declares (``major.minor``).
PACKAGE_VERSION: Final = "1.4"
#: 360Giving's locationScope codelist: a municipality is a second-level
#: administrative area, a wellbeing area a first-level (regional) one.
LOCATION_SCOPE: Final = {PartyKind.MUNICIPALITY: "GLS050", PartyKind.AREA: "GLS040"}
#: A beneficiary location's ``geoCode`` is Statistics Finland's municipality code
#: (kuntanumero); 360Giving's geoCodeType codelist lists UK types only, so the
#: type is this code of our own (docs/opendata.md).
GEOCODE_TYPE: Final = "KUNTA"


@frozen
class Giving360Exporter:
    """``prefix`` and ``lang`` override the publisher settings (tests, one-off exports)."""

    prefix: str | None = None
    lang: str | None = None
    description: str = "360Giving 1.4: grants.json (one package)"

    def grant_prefix(self, dataset: Dataset) -> str:
        """The publisher's registered 360Giving prefix, else its org-id, else the default."""
        if self.prefix is not None:
            return self.prefix
        publisher = dataset.publisher
        if publisher is not None:
            return publisher.prefix or publisher.org_id or DEFAULT_PREFIX
        return DEFAULT_PREFIX

    def internal_prefix(self, dataset: Dataset) -> str:
        """For ids without an external register: 360Giving asks for a ``360G-`` prefix here."""
        if self.prefix is not None and self.prefix.startswith("360G-"):
            return self.prefix
        publisher = dataset.publisher
        if publisher is not None and publisher.prefix is not None:
            return publisher.prefix
        return DEFAULT_PREFIX

    def organisation_id(self, org: Organisation, prefix: str = DEFAULT_PREFIX) -> str:
        if org.business_id is not None:
            return f"{BUSINESS_ID_SCHEME}-{org.business_id}"
        return f"{prefix}-org-{org.id}"

    def party_id(
        self,
        party: PartyRef,
        reference: Reference,
        prefix: str = DEFAULT_PREFIX,
        publisher: Publisher | None = None,
    ) -> str:
        """``FI-PRO-<Y-tunnus>`` where the publisher gave it, else by Statistics Finland code.

        Helsinki's city is one body under either reference.
        """
        business_id = party_business_id(publisher, party, reference)
        if business_id is not None:
            return f"{BUSINESS_ID_SCHEME}-{business_id}"
        canonical = reference.canonical(party)
        return f"{prefix}-{canonical.kind.value}-{canonical.code}"

    def funder_id(self, party: PartyRef, context: _Context, publisher: Publisher | None) -> str:
        """An other funder with a Y-tunnus (STEA, a foundation) is ``FI-PRO-<Y-tunnus>``,
        the org-id every publisher shares; a public body as :meth:`party_id`."""
        if party.kind is PartyKind.FUNDER:
            record = context.funders.get(party.code)
            if record is not None and record.business_id is not None:
                return f"{BUSINESS_ID_SCHEME}-{record.business_id}"
        return self.party_id(party, context.reference, context.internal_prefix, publisher)

    def export(
        self,
        dataset: Dataset,
        reference: Reference,
        *,
        year: int | None = None,
        scope: Filter | None = None,
        changed: Changed | None = None,
    ) -> ExportResult:
        chosen = Selection.of(dataset, reference, year, scope)
        orgs = {o.id: o for o in dataset.organisations}
        last = last_year(dataset, reference, year)
        lang = dataset_language(dataset, self.lang)
        context = _Context(
            dataset=dataset,
            reference=reference,
            lang=lang,
            grant_prefix=self.grant_prefix(dataset),
            internal_prefix=self.internal_prefix(dataset),
            name_year=min(last, reference.years.stop - 1),
            changed=changed or {},
            coverage=CoverageIndex(dataset, reference),
            funders={f.id: f for f in dataset.funders},
        )
        grants: list[dict[str, Any]] = []
        warnings: list[Problem] = []
        undecided = 0
        for index, agreement in _indexed(dataset, chosen.agreements):
            if agreement.kind not in GRANT_KINDS:
                continue
            org = orgs.get(agreement.organisation)
            if org is None:
                continue
            if agreement.annual_amount_eur is None:
                warnings.append(
                    Problem(
                        N_("left out of the 360Giving export: a grant needs an annual amount"),
                        field="annual_amount_eur",
                        collection="agreements",
                        index=index,
                        record_id=agreement.id,
                    )
                )
                continue
            years = (
                [year] if year is not None else list(years_of(agreement.start, agreement.end, last))
            )
            for grant_year in years:
                grants.append(self._grant(context, agreement, org, grant_year))
                undecided += agreement.decided is None
        if not grants:
            raise DatasetError(
                [
                    Problem(
                        N_(
                            "nothing to export: a 360Giving package needs at least one operating "
                            "or project grant with an annual amount"
                        )
                    )
                ]
            )
        if undecided:
            # Once per export, not once per grant: the grants say it themselves.
            warnings.append(
                Problem(
                    N_(
                        "grants without a decision date, whose award date is their start date "
                        "(a classification in each says so): %(count)s"
                    ),
                    {"count": undecided},
                )
            )
        if dataset.publisher is None or (dataset.publisher.prefix is None and self.prefix is None):
            warnings.append(
                Problem(
                    N_(
                        "no registered 360Giving prefix: ids of organisations without a business "
                        "ID start with %(prefix)s, which other publishers may use too (set the "
                        "publisher's prefix)"
                    ),
                    {"prefix": context.internal_prefix},
                )
            )
        grants.sort(key=lambda g: g["id"])
        package: dict[str, Any] = {"grants": grants, "version": PACKAGE_VERSION}
        package.update(self._metadata(dataset, lang, changed))
        return ExportResult({FILE: dump_json(package)}, tuple(warnings))

    @staticmethod
    def _metadata(dataset: Dataset, lang: str, changed: Changed | None) -> dict[str, Any]:
        """The package's own fields: who publishes it, under which licence, issued when."""
        meta: dict[str, Any] = {"issued": dt.datetime.now(dt.UTC).date().isoformat()}
        if changed:
            meta["modified"] = max(changed.values()).isoformat()
        if dataset.name is not None:
            meta["title"] = dataset.name.pick(lang)
        if dataset.description is not None:
            meta["description"] = dataset.description.pick(lang)
        publisher = dataset.publisher
        if publisher is not None:
            who: dict[str, Any] = {"name": publisher.name.pick(lang)}
            if publisher.org_id is not None:
                who["identifier"] = publisher.org_id
            if publisher.url is not None:
                who["website"] = publisher.url
            meta["publisher"] = who
            if publisher.licence is not None:
                meta["license"] = publisher.licence
            if "title" not in meta:
                meta["title"] = translate(
                    N_("Grants published by %(publisher)s"), lang, {"publisher": who["name"]}
                )
        return meta

    def _grant(
        self, context: _Context, agreement: Agreement, org: Organisation, year: int
    ) -> dict[str, Any]:
        assert agreement.annual_amount_eur is not None
        reference, lang = context.reference, context.lang
        publisher = context.dataset.publisher
        canonical = reference.canonical(agreement.party)
        # One name per id: the body's name of the export's last year, not of each grant's.
        funder = party_name(canonical, context.dataset, reference, context.name_year)
        funder_name = funder.pick(lang)
        kind = translate(KIND_LABELS[agreement.kind], lang)
        recipient = org.name.pick(lang)
        params = {"kind": kind, "year": year, "organisation": recipient}
        start, end = covered_period(agreement.start, agreement.end, year)
        territory = reference.territory(agreement.party, year)
        places = sorted(code for code in org.municipalities if code in territory)
        recipient_record: dict[str, Any] = {
            "id": self.organisation_id(org, context.internal_prefix),
            "name": recipient,
        }
        funder_record: dict[str, Any] = {
            "id": self.funder_id(agreement.party, context, publisher),
            "name": funder_name,
        }
        for record, name, primary in (
            (recipient_record, org.name, recipient),
            (funder_record, funder, funder_name),
        ):
            others = alternate_names(name, primary)
            if others:
                record["alternateName"] = " / ".join(others)
        classifications = [
            {"vocabulary": "jarjesto-agreement-kind", "code": agreement.kind.value, "title": kind}
        ]
        if agreement.decided is None:
            classifications.append(
                {
                    "vocabulary": "jarjesto-data-quality",
                    "code": "award_date_is_start_date",
                    "title": translate(
                        N_("No decision date is recorded: the award date is the start date."),
                        lang,
                    ),
                }
            )
        grant: dict[str, Any] = {
            "id": f"{context.grant_prefix}-{agreement.id}-{year}",
            "title": translate(N_("%(kind)s %(year)s: %(organisation)s"), lang, params),
            "description": translate(
                N_("%(kind)s to %(organisation)s for %(year)s, from %(funder)s."),
                lang,
                {**params, "funder": funder_name},
            ),
            "currency": "EUR",
            "amountAwarded": json_number(
                covered_amount(agreement.annual_amount_eur, agreement.start, agreement.end, year)
            ),
            "awardDate": (agreement.decided or agreement.start).isoformat(),
            "plannedDates": [
                {
                    "startDate": start.isoformat(),
                    "endDate": end.isoformat(),
                    "duration": _months(start, end),
                }
            ],
            "recipientOrganization": [recipient_record],
            "fundingOrganization": [funder_record],
            "grantProgramme": [{"code": agreement.kind.value, "title": kind}],
            "classifications": classifications,
        }
        scope = LOCATION_SCOPE.get(canonical.kind)
        if scope is not None:  # a public body's; a joint authority or funder has none here
            grant["locationScope"] = scope
        modified = context.changed.get(("agreements", agreement.id))
        if modified is not None:
            grant["dateModified"] = modified.isoformat()
        source = _data_source(context, agreement, year)
        if source is not None:
            grant["dataSource"] = source
        if places:
            grant["beneficiaryLocation"] = [
                {
                    "countryCode": "FI",
                    "name": municipality_name(reference, code, context.name_year).pick(lang),
                    "geoCode": code,
                    "geoCodeType": GEOCODE_TYPE,
                }
                for code in places
            ]
        return grant


@frozen
class _Context:
    """What every grant of one export shares."""

    dataset: Dataset
    reference: Reference
    lang: str
    grant_prefix: str
    internal_prefix: str
    name_year: int
    changed: Changed
    coverage: CoverageIndex
    #: The dataset's other funders by id (their Y-tunnus for org-ids).
    funders: Mapping[str, Funder] = field(factory=dict)


def _is_url(text: str | None) -> bool:
    return text is not None and text.startswith(("https://", "http://")) and " " not in text


def _data_source(context: _Context, agreement: Agreement, year: int) -> str | None:
    """360Giving's ``dataSource``: "a file from which the data was converted, or an
    organisation website". The published list the grant was imported from, where a
    coverage record of the funder's agreements that year cites it by its address;
    else the publisher's web site; else none."""
    covering = context.coverage.covering("agreements", agreement.party, year)
    if covering is not None and _is_url(covering.source):
        return covering.source
    publisher = context.dataset.publisher
    return publisher.url if publisher is not None else None


def _months(start: dt.date, end: dt.date) -> int | float:
    """The planned period in months (360Giving's ``duration``): its days over a twelfth of the year.

    To a tenth of a month, so a whole year is 12 and July–December 6.
    """
    days = (end - start).days + 1
    in_year = 366 if calendar.isleap(start.year) else 365
    return json_number(Decimal(days * 12 / in_year).quantize(Decimal("0.1")))


def _indexed(dataset: Dataset, chosen: tuple[Agreement, ...]) -> list[tuple[int, Agreement]]:
    """The chosen agreements with their index in the dataset, for warnings."""
    position = {a.id: i for i, a in enumerate(dataset.agreements)}
    return [(position[a.id], a) for a in chosen]
