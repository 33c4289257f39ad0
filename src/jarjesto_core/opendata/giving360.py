"""360Giving Data Standard 1.4: operating and project grants as open grant data.

One grant per agreement-year: a Finnish grant decision usually runs for a
period with an annual amount, while a 360Giving grant is one award with one
``amountAwarded``. So an operating grant of 2023–2025 becomes three grants,
each planned for its year and awarding that year's amount. Identifiers follow
360Giving's rules (``docs/opendata.md``): org-id.guide's ``FI-PRO`` list for
organisations with a Business ID, the publisher's ``360G-`` prefix otherwise.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from attrs import frozen

from jarjesto_core.errors import DatasetError, Problem
from jarjesto_core.i18n import N_, translate
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Dataset,
    Organisation,
    PartyKind,
    PartyRef,
    years_of,
)
from jarjesto_core.opendata.common import (
    ExportResult,
    Filter,
    Selection,
    dump_json,
    json_number,
    last_year,
    municipality_name,
)
from jarjesto_core.opendata.hsds import BUSINESS_ID_SCHEME, KIND_LABELS
from jarjesto_core.reference import Reference

__all__ = ["DEFAULT_PREFIX", "FILE", "GRANT_KINDS", "Giving360Exporter"]

#: 360Giving's conventional form for a publisher without a registered prefix.
DEFAULT_PREFIX: Final = "360G-jarjesto"
GRANT_KINDS: Final = (AgreementKind.OPERATING_GRANT, AgreementKind.PROJECT_GRANT)
FILE: Final = "grants.json"
#: The schema version a package declares (``major.minor``).
PACKAGE_VERSION: Final = "1.4"
#: 360Giving's locationScope codelist: a municipality is a second-level
#: administrative area, a wellbeing area a first-level (regional) one.
LOCATION_SCOPE: Final = {PartyKind.MUNICIPALITY: "GLS050", PartyKind.AREA: "GLS040"}


@frozen
class Giving360Exporter:
    """``prefix`` is the publisher's registered 360Giving prefix, when it has one."""

    prefix: str = DEFAULT_PREFIX
    lang: str = "en"
    description: str = "360Giving 1.4: grants.json (one package)"

    def organisation_id(self, org: Organisation) -> str:
        if org.business_id is not None:
            return f"{BUSINESS_ID_SCHEME}-{org.business_id}"
        return f"{self.prefix}-org-{org.id}"

    def party_id(self, party: PartyRef, reference: Reference) -> str:
        """Public bodies by their Statistics Finland code; Helsinki's city is one body."""
        canonical = reference.canonical(party)
        return f"{self.prefix}-{canonical.kind.value}-{canonical.code}"

    def export(
        self,
        dataset: Dataset,
        reference: Reference,
        *,
        year: int | None = None,
        scope: Filter | None = None,
    ) -> ExportResult:
        chosen = Selection.of(dataset, reference, year, scope)
        orgs = {o.id: o for o in dataset.organisations}
        last = last_year(dataset, reference, year)
        grants: list[dict[str, Any]] = []
        warnings: list[Problem] = []
        for index, agreement in _indexed(dataset, chosen.agreements):
            if agreement.kind not in GRANT_KINDS:
                continue
            where: dict[str, Any] = {
                "collection": "agreements",
                "index": index,
                "record_id": agreement.id,
            }
            org = orgs.get(agreement.organisation)
            if org is None:
                continue
            if agreement.annual_amount_eur is None:
                warnings.append(
                    Problem(
                        N_("left out of the 360Giving export: a grant needs an annual amount"),
                        field="annual_amount_eur",
                        **where,
                    )
                )
                continue
            if agreement.decided is None:
                warnings.append(
                    Problem(
                        N_("no decision date: the award date is the start date %(found)s"),
                        {"found": agreement.start.isoformat()},
                        field="decided",
                        **where,
                    )
                )
            years = (
                [year] if year is not None else list(years_of(agreement.start, agreement.end, last))
            )
            for grant_year in years:
                grants.append(self._grant(agreement, org, reference, grant_year))
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
        grants.sort(key=lambda g: g["id"])
        package = {"grants": grants, "version": PACKAGE_VERSION}
        return ExportResult({FILE: dump_json(package)}, tuple(warnings))

    def _grant(
        self, agreement: Agreement, org: Organisation, reference: Reference, year: int
    ) -> dict[str, Any]:
        assert agreement.annual_amount_eur is not None
        funder = reference.party_name(agreement.party, year)
        kind = translate(KIND_LABELS[agreement.kind], self.lang)
        # An organisation by its registered name, in its first working language.
        recipient = org.name.pick(org.languages[0] if org.languages else "fi")
        params = {"kind": kind, "year": year, "organisation": recipient}
        start = max(agreement.start, dt.date(year, 1, 1))
        end = min(agreement.end or dt.date(year, 12, 31), dt.date(year, 12, 31))
        territory = reference.territory(agreement.party, year)
        places = sorted(code for code in org.municipalities if code in territory)
        grant: dict[str, Any] = {
            "id": f"{self.prefix}-{agreement.id}-{year}",
            "title": translate(N_("%(kind)s %(year)s: %(organisation)s"), self.lang, params),
            "description": translate(
                N_("%(kind)s to %(organisation)s for %(year)s, from %(funder)s."),
                self.lang,
                {**params, "funder": funder.pick(self.lang)},
            ),
            "currency": "EUR",
            "amountAwarded": json_number(agreement.annual_amount_eur),
            "awardDate": (agreement.decided or agreement.start).isoformat(),
            "plannedDates": [{"startDate": start.isoformat(), "endDate": end.isoformat()}],
            "recipientOrganization": [{"id": self.organisation_id(org), "name": recipient}],
            "fundingOrganization": [
                {"id": self.party_id(agreement.party, reference), "name": funder.pick(self.lang)}
            ],
            "classifications": [
                {
                    "vocabulary": "jarjesto-agreement-kind",
                    "code": agreement.kind.value,
                    "title": kind,
                }
            ],
            "locationScope": LOCATION_SCOPE[reference.canonical(agreement.party).kind],
        }
        if places:
            grant["beneficiaryLocation"] = [
                {
                    "countryCode": "FI",
                    "name": municipality_name(reference, code, year).pick(self.lang),
                }
                for code in places
            ]
        return grant


def _indexed(dataset: Dataset, chosen: tuple[Agreement, ...]) -> list[tuple[int, Agreement]]:
    """The chosen agreements with their index in the dataset, for warnings."""
    position = {a.id: i for i, a in enumerate(dataset.agreements)}
    return [(position[a.id], a) for a in chosen]
