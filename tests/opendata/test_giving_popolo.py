"""360Giving: one grant per agreement-year; Popolo: bodies, memberships and posts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jarjesto_core.errors import DatasetError
from jarjesto_core.model import Dataset
from jarjesto_core.opendata import EXPORTERS, Filter, Giving360Exporter, PopoloExporter
from jarjesto_core.reference import Reference


def grants(dataset: Dataset, reference: Reference, **kw: Any) -> dict[str, dict[str, Any]]:
    files = EXPORTERS["360giving"].export(dataset, reference, **kw).files
    package = json.loads(files["grants.json"])
    assert package["version"] == "1.4"
    return {g["id"]: g for g in package["grants"]}


def test_one_grant_per_agreement_year(small: Dataset, reference: Reference) -> None:
    by_id = grants(small, reference)
    assert sorted(by_id) == [
        "360G-jarjesto-area14-pg-2024",
        "360G-jarjesto-area14-pg-2025",
        "360G-jarjesto-joensuu-og-2023",
        "360G-jarjesto-joensuu-og-2024",
        "360G-jarjesto-joensuu-og-2025",
        # Open-ended: up to the dataset's last year.
        "360G-jarjesto-malax-og-2023",
        "360G-jarjesto-malax-og-2024",
        "360G-jarjesto-malax-og-2025",
    ]
    grant = by_id["360G-jarjesto-joensuu-og-2024"]
    assert grant["amountAwarded"] == 12000
    assert grant["currency"] == "EUR"
    assert grant["awardDate"] == "2022-12-14"
    assert grant["plannedDates"] == [
        {"startDate": "2024-01-01", "endDate": "2024-12-31", "duration": 12}
    ]
    assert grant["recipientOrganization"] == [
        {
            "id": "FI-PRO-0242746-2",
            "name": "Pohjois-Karjalan Mielenterveysseura ry",
            "alternateName": "North Karelia MHA",
        }
    ]
    assert grant["fundingOrganization"] == [
        {"id": "360G-jarjesto-municipality-167", "name": "Joensuu"}
    ]
    assert grant["locationScope"] == "GLS050"
    project = by_id["360G-jarjesto-area14-pg-2024"]
    # March-December 2024: 306 of 366 days of the annual 8,500.50.
    assert project["amountAwarded"] == 7106.98
    assert project["plannedDates"] == [
        {"startDate": "2024-03-01", "endDate": "2024-12-31", "duration": 10}
    ]
    assert project["awardDate"] == "2024-03-01"
    assert project["classifications"][1]["code"] == "award_date_is_start_date"
    assert project["locationScope"] == "GLS040"
    malax = by_id["360G-jarjesto-malax-og-2023"]
    # One name per id: the name in the dataset's language (Finnish), the other as alternateName.
    assert malax["recipientOrganization"] == [
        {
            "id": "360G-jarjesto-org-malax-ungdom",
            "name": "Maalahden nuorisoseura ry",
            "alternateName": "Malax ungdomsförening r.f.",
        }
    ]


def test_year_filter_and_warnings(small: Dataset, reference: Reference) -> None:
    result = EXPORTERS["360giving"].export(small, reference, year=2024)
    ids = sorted(g["id"] for g in json.loads(result.files["grants.json"])["grants"])
    assert ids == [
        "360G-jarjesto-area14-pg-2024",
        "360G-jarjesto-joensuu-og-2024",
        "360G-jarjesto-malax-og-2024",
    ]
    assert [str(w) for w in result.warnings] == [
        "agreements[4] (hki-og-noamount).annual_amount_eur: left out of the 360Giving export: "
        "a grant needs an annual amount",
        "grants without a decision date, whose award date is their start date (a "
        "classification in each says so): 1",
        "no registered 360Giving prefix: ids of organisations without a business ID start "
        "with 360G-jarjesto, which other publishers may use too (set the publisher's prefix)",
    ]


def test_helsinki_is_one_funder(small: Dataset, reference: Reference) -> None:
    exporter = Giving360Exporter()
    assert exporter.party_id(small.agreements[4].party, reference) == (
        "360G-jarjesto-municipality-091"
    )


def test_registered_prefix(small: Dataset, reference: Reference) -> None:
    files = Giving360Exporter(prefix="360G-pkha").export(small, reference, year=2023).files
    ids = [g["id"] for g in json.loads(files["grants.json"])["grants"]]
    assert ids == ["360G-pkha-joensuu-og-2023", "360G-pkha-malax-og-2023"]


def test_no_grants_is_an_error_not_an_invalid_file(small: Dataset, reference: Reference) -> None:
    with pytest.raises(DatasetError) as info:
        EXPORTERS["360giving"].export(small, reference, scope=Filter.for_area("90"))
    assert str(info.value) == (
        "nothing to export: a 360Giving package needs at least one operating or project "
        "grant with an annual amount"
    )


def test_popolo_bodies_members_and_posts(small: Dataset, reference: Reference) -> None:
    doc = json.loads(EXPORTERS["popolo"].export(small, reference).files["popolo.json"])
    orgs = {o["id"]: o for o in doc["organizations"]}
    assert sorted(orgs) == [
        "area/14",
        "municipality/167",
        "municipality/475",
        "organisation/old-club",
        "organisation/pkmts",
        "structure/jane",
        "structure/malax-youth-council",
    ]
    jane = orgs["structure/jane"]
    assert jane["classification"] == "organisation_council"
    assert jane["parent_id"] == "area/14"
    assert jane["founding_date"] == "2021-01-01"
    council = orgs["structure/malax-youth-council"]
    assert council["name"] == "Maalahden nuorisovaltuusto"
    assert council["other_names"] == [{"name": "Malax ungdomsfullmäktige", "note": "sv"}]
    assert orgs["organisation/pkmts"]["identifiers"][0] == {
        "scheme": "FI-PRO",
        "identifier": "0242746-2",
    }
    assert [(m["organization_id"], m["member"]["id"]) for m in doc["memberships"]] == [
        ("structure/jane", "organisation/old-club"),
        ("structure/jane", "organisation/pkmts"),
    ]
    assert [(p["id"], p["organization_id"], p["role"]) for p in doc["posts"]] == [
        ("post/joensuu-hyte", "municipality/167", "hyte_coordinator"),
        ("post/pk-coord", "area/14", "organisation_coordinator"),
    ]
    english = PopoloExporter(lang="en").export(small, reference).files["popolo.json"]
    assert json.loads(english)["posts"][0]["label"] == "Health and wellbeing promotion coordinator"
    assert doc["posts"][0]["end_date"] == "2024-07-31"


def test_popolo_year_and_area(small: Dataset, reference: Reference) -> None:
    doc = json.loads(
        EXPORTERS["popolo"]
        .export(small, reference, year=2025, scope=Filter.for_area("14"))
        .files["popolo.json"]
    )
    assert [p["id"] for p in doc["posts"]] == ["post/pk-coord"]
    assert "structure/malax-youth-council" not in {o["id"] for o in doc["organizations"]}


def test_an_other_funder_with_a_business_id_is_its_fi_pro_org_id(
    small: Dataset, reference: Reference
) -> None:
    """STEA funds much of the middle ground: under its Y-tunnus every publisher's grants
    from it share one org-id; a funder without one keeps the publisher's own id."""
    import attrs

    from jarjesto_core.model import AgreementKind, Funder, FunderKind, Name, PartyRef
    from jarjesto_core.opendata.validation import validate_export

    stea = Funder("stea", Name(fi="STEA"), FunderKind.STATE, business_id="0242746-2")
    parish = Funder("srk", Name(fi="Joensuun seurakuntayhtymä"), FunderKind.PARISH)
    base = small.agreements[0]
    given = [
        attrs.evolve(base, id=f"{f.id}-grant", party=PartyRef.parse(f"funder:{f.id}"))
        for f in (stea, parish)
    ]
    assert all(a.kind is AgreementKind.OPERATING_GRANT for a in given), given
    data = attrs.evolve(small, funders=(stea, parish), agreements=(*small.agreements, *given))
    result = EXPORTERS["360giving"].export(data, reference, year=2024)
    by_id = {g["id"]: g for g in json.loads(result.files["grants.json"])["grants"]}
    assert by_id["360G-jarjesto-stea-grant-2024"]["fundingOrganization"] == [
        {"id": "FI-PRO-0242746-2", "name": "STEA"}
    ]
    assert by_id["360G-jarjesto-srk-grant-2024"]["fundingOrganization"] == [
        {"id": "360G-jarjesto-funder-srk", "name": "Joensuun seurakuntayhtymä"}
    ]
    assert validate_export("360giving", result.files) == []
