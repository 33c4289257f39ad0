"""Open data consumers can use: the publisher's identity, real ids, one name per id, years."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from jarjesto_cli.cli import cli
from jarjesto_core.errors import DatasetError
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Dataset,
    Name,
    PartyRef,
    Publisher,
)
from jarjesto_core.opendata import EXPORTERS, Filter, Giving360Exporter
from jarjesto_core.opendata.common import covered_amount
from jarjesto_core.opendata.validation import validate_export
from jarjesto_core.reference import Reference
from jarjesto_core.serialise import dump_dataset, parse_dataset
from jarjesto_core.validation import validate
from jarjesto_core.workspace import open_workspace

from .conftest import business_id

D = dt.date
UTC = dt.UTC

PUBLISHER = Publisher(
    name=Name(fi="Esimerkkikunta", sv="Exempelkommun"),
    prefix="360G-esimerkki",
    org_id="FI-PRO-" + business_id(7654321),
    licence="https://creativecommons.org/licenses/by/4.0/",
    url="https://esimerkki.example/avustukset",
    business_ids={
        "municipality:167": business_id(1111111),
        "area:90": business_id(2222222),
    },
)


def package(dataset: Dataset, reference: Reference, **kw: Any) -> dict[str, Any]:
    files = EXPORTERS["360giving"].export(dataset, reference, **kw).files
    assert validate_export("360giving", files) == []
    doc: dict[str, Any] = json.loads(files["grants.json"])
    return doc


def by_id(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {g["id"]: g for g in doc["grants"]}


@pytest.fixture
def published(small: Dataset) -> Dataset:
    return attrs.evolve(small, publisher=PUBLISHER)


def test_the_package_names_publisher_licence_title_and_issue_date(
    published: Dataset, reference: Reference
) -> None:
    doc = package(published, reference)
    assert doc["publisher"] == {
        "name": "Esimerkkikunta",
        "identifier": PUBLISHER.org_id,
        "website": "https://esimerkki.example/avustukset",
    }
    assert doc["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert doc["title"] == "Testiaineisto"
    assert doc["issued"] == dt.datetime.now(UTC).date().isoformat()
    # dataSource: 360Giving allows the publisher's web site where there is no source file.
    assert {g["dataSource"] for g in doc["grants"]} == {"https://esimerkki.example/avustukset"}


def test_grant_ids_use_the_publishers_prefix(published: Dataset, reference: Reference) -> None:
    ids = sorted(by_id(package(published, reference, year=2023)))
    assert ids == ["360G-esimerkki-joensuu-og-2023", "360G-esimerkki-malax-og-2023"]
    # Without a registered prefix, the org-id keeps two publishers' grant ids apart.
    other = attrs.evolve(published, publisher=attrs.evolve(PUBLISHER, prefix=None))
    assert sorted(by_id(package(other, reference, year=2023)))[0].startswith(
        f"{PUBLISHER.org_id}-joensuu-og-2023"
    )
    # Internal organisation ids always keep a 360G- prefix (360Giving's rule).
    grant = by_id(package(other, reference, year=2023))[f"{PUBLISHER.org_id}-malax-og-2023"]
    assert grant["recipientOrganization"][0]["id"] == "360G-jarjesto-org-malax-ungdom"


def test_funders_get_fi_pro_ids_where_the_publisher_gives_the_business_id(
    published: Dataset, reference: Reference
) -> None:
    grants = by_id(package(published, reference, year=2024))
    joensuu = grants["360G-esimerkki-joensuu-og-2024"]["fundingOrganization"][0]
    assert joensuu == {"id": f"FI-PRO-{business_id(1111111)}", "name": "Joensuu"}
    # No business ID given for the wellbeing area: the publisher's prefix and its code.
    area = grants["360G-esimerkki-area14-pg-2024"]["fundingOrganization"][0]
    assert area["id"] == "360G-esimerkki-area-14"
    assert grants["360G-esimerkki-joensuu-og-2024"]["recipientOrganization"][0]["id"] == (
        "FI-PRO-0242746-2"
    )


def test_one_name_per_funder_id_helsinki_included(small: Dataset, reference: Reference) -> None:
    helsinki = (
        Agreement(
            id="hki-og-city",
            kind=AgreementKind.OPERATING_GRANT,
            party=PartyRef.municipality("091"),
            organisation="helsinki-crisis",
            decided=D(2023, 12, 1),
            start=D(2024, 1, 1),
            end=D(2024, 12, 31),
            annual_amount_eur=Decimal(1000),
        ),
        Agreement(
            id="hki-og-area",
            kind=AgreementKind.OPERATING_GRANT,
            party=PartyRef.area("90"),
            organisation="helsinki-crisis",
            decided=D(2023, 12, 1),
            start=D(2024, 1, 1),
            end=D(2024, 12, 31),
            annual_amount_eur=Decimal(2000),
        ),
    )
    data = attrs.evolve(
        small, agreements=small.agreements + helsinki, publisher=attrs.evolve(PUBLISHER)
    )
    names: dict[str, set[str]] = {}
    ids_of: dict[str, set[str]] = {}
    for grant in package(data, reference)["grants"]:
        for org in grant["fundingOrganization"] + grant["recipientOrganization"]:
            names.setdefault(org["id"], set()).add(org["name"])
            ids_of.setdefault(org["name"], set()).add(org["id"])
    assert all(len(n) == 1 for n in names.values()), names
    assert all(len(i) == 1 for i in ids_of.values()), ids_of
    assert names[f"FI-PRO-{business_id(2222222)}"] == {"Helsinki"}


def test_names_are_in_the_datasets_language_others_as_alternate_name(
    published: Dataset, reference: Reference
) -> None:
    swedish = attrs.evolve(published, publisher=attrs.evolve(PUBLISHER, language="sv"))
    grant = by_id(package(swedish, reference, year=2023))["360G-esimerkki-malax-og-2023"]
    assert grant["recipientOrganization"][0]["name"] == "Malax ungdomsförening r.f."
    assert grant["recipientOrganization"][0]["alternateName"] == "Maalahden nuorisoseura ry"
    assert grant["fundingOrganization"][0]["name"] == "Malax"
    assert grant["fundingOrganization"][0]["alternateName"] == "Maalahti"
    assert grant["title"].startswith("Verksamhetsbidrag 2023")


def test_beneficiary_locations_carry_municipality_codes(
    published: Dataset, reference: Reference
) -> None:
    grant = by_id(package(published, reference, year=2024))["360G-esimerkki-area14-pg-2024"]
    assert grant["beneficiaryLocation"] == [
        {"countryCode": "FI", "name": "Joensuu", "geoCode": "167", "geoCodeType": "KUNTA"},
        {"countryCode": "FI", "name": "Outokumpu", "geoCode": "309", "geoCodeType": "KUNTA"},
    ]


def test_amount_is_split_by_the_days_of_the_year_covered(
    small: Dataset, reference: Reference
) -> None:
    half = Agreement(
        id="h2",
        kind=AgreementKind.OPERATING_GRANT,
        party=PartyRef.municipality("167"),
        organisation="pkmts",
        decided=D(2024, 6, 1),
        start=D(2024, 7, 1),
        end=D(2025, 6, 30),
        annual_amount_eur=Decimal(36600),
    )
    data = attrs.evolve(small, agreements=(half,))
    grants = by_id(package(data, reference))
    # July-December 2024: 184 of 366 days; January-June 2025: 181 of 365.
    assert grants["360G-jarjesto-h2-2024"]["amountAwarded"] == 18400
    assert grants["360G-jarjesto-h2-2024"]["plannedDates"] == [
        {"startDate": "2024-07-01", "endDate": "2024-12-31", "duration": 6}
    ]
    assert grants["360G-jarjesto-h2-2025"]["amountAwarded"] == 18149.59
    assert grants["360G-jarjesto-h2-2025"]["plannedDates"] == [
        {"startDate": "2025-01-01", "endDate": "2025-06-30", "duration": 6}
    ]
    assert {g["awardDate"] for g in grants.values()} == {"2024-06-01"}


@given(
    amount=st.decimals(min_value=0, max_value=10**7, places=2),
    start=st.dates(D(2020, 1, 1), D(2026, 12, 31)),
    days=st.integers(0, 3 * 366),
)
def test_split_amounts_never_exceed_the_annual_amount_and_a_full_year_is_exact(
    amount: Decimal, start: dt.date, days: int
) -> None:
    end = start + dt.timedelta(days=days)
    for year in range(start.year, end.year + 1):
        share = covered_amount(amount, start, end, year)
        assert Decimal(0) <= share <= amount
        if start <= D(year, 1, 1) and end >= D(year, 12, 31):
            assert share == amount


def test_a_missing_decision_date_is_said_in_the_data_and_once_on_stderr(
    small: Dataset, reference: Reference
) -> None:
    result = EXPORTERS["360giving"].export(small, reference)
    grants = by_id(json.loads(result.files["grants.json"]))
    undecided = [g for g in grants.values() if g["id"].startswith("360G-jarjesto-area14-pg")]
    assert len(undecided) == 2
    for grant in undecided:
        assert grant["awardDate"] == "2024-03-01"
        quality = grant["classifications"][1]
        assert (quality["vocabulary"], quality["code"]) == (
            "jarjesto-data-quality",
            "award_date_is_start_date",
        )
    decided = grants["360G-jarjesto-joensuu-og-2024"]
    assert [c["code"] for c in decided["classifications"]] == ["operating_grant"]
    about_dates = [w for w in result.warnings if "decision date" in str(w)]
    assert [w.params for w in about_dates] == [{"count": 2}]


def test_date_modified_comes_from_the_audit_log(
    published: Dataset, reference: Reference, tmp_path: Path
) -> None:
    with open_workspace(str(tmp_path / "ws.db")) as ws:
        ws.init()
        ws.load(published, actor="tester")
        changed = ws.last_changed()
        assert ws.dataset().publisher == PUBLISHER
    at = changed[("agreements", "joensuu-og")]
    grants = by_id(package(published, reference, changed=changed))
    assert grants["360G-esimerkki-joensuu-og-2024"]["dateModified"] == at.isoformat()
    hsds = EXPORTERS["hsds"].export(published, reference, changed=changed).files
    assert validate_export("hsds", hsds) == []
    org = json.loads(hsds["organizations.json"])["contents"][0]
    assert org["last_modified"].endswith("Z")


def test_publisher_settings_round_trip_and_are_checked(published: Dataset) -> None:
    assert parse_dataset(dump_dataset(published)).dataset == published
    bad = attrs.evolve(
        published,
        publisher=attrs.evolve(
            PUBLISHER,
            prefix="jarjesto",
            licence="CC BY",
            business_ids={"municipality:167": "1234567-2"},
        ),
    )
    from jarjesto_core.reference import bundled_reference

    fields = [p.field for p in validate(bad, bundled_reference())]
    assert fields == [
        "publisher.prefix",
        "publisher.licence",
        "publisher.business_ids.municipality:167",
    ]


def test_publisher_set_from_the_cli_and_refused_when_wrong(small: Dataset, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "data.json"
    target.write_text(dump_dataset(small), encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "publisher",
            str(target),
            "--name-fi",
            "Esimerkkikunta",
            "--prefix",
            "360G-esimerkki",
            "--business-id",
            f"municipality:167={business_id(1111111)}",
        ],
    )
    assert result.exit_code == 0, result.output
    saved = parse_dataset(target.read_text(encoding="utf-8")).dataset.publisher
    assert saved is not None
    assert saved.prefix == "360G-esimerkki"
    assert saved.business_ids == {"municipality:167": business_id(1111111)}
    before = target.read_bytes()
    refused = runner.invoke(cli, ["publisher", str(target), "--prefix", "esimerkki"])
    assert refused.exit_code == 1
    assert "publisher.prefix" in refused.stderr
    assert target.read_bytes() == before


def test_workspace_set_publisher_is_audited(small: Dataset, tmp_path: Path) -> None:
    with open_workspace(str(tmp_path / "ws.db")) as ws:
        ws.init()
        ws.load(small, actor="tester")
        ws.set_publisher(PUBLISHER, actor="editor")
        assert ws.dataset().publisher == PUBLISHER
        entry = [e for e in ws.log() if e.record_id == "publisher"][-1]
        assert entry.actor == "editor"
        assert entry.action == "update"
        with pytest.raises(DatasetError):
            ws.set_publisher(attrs.evolve(PUBLISHER, language="de"), actor="editor")
        assert ws.dataset().publisher == PUBLISHER


# -- Popolo ------------------------------------------------------------------------


def test_popolo_year_filter_drops_dissolved_members(small: Dataset, reference: Reference) -> None:
    def members(year: int | None) -> list[str]:
        doc = json.loads(
            EXPORTERS["popolo"].export(small, reference, year=year).files["popolo.json"]
        )
        return [m["member"]["id"] for m in doc["memberships"]]

    # old-club was dissolved in mid-2023.
    assert members(None) == ["organisation/old-club", "organisation/pkmts"]
    assert members(2023) == ["organisation/old-club", "organisation/pkmts"]
    assert members(2024) == ["organisation/pkmts"]
    every = EXPORTERS["popolo"].export(small, reference).files
    in_2024 = EXPORTERS["popolo"].export(small, reference, year=2024).files
    assert every != in_2024


def test_popolo_memberships_run_while_body_and_member_exist(
    small: Dataset, reference: Reference
) -> None:
    doc = json.loads(EXPORTERS["popolo"].export(small, reference).files["popolo.json"])
    dates = {
        m["member"]["id"]: (m.get("start_date"), m.get("end_date")) for m in doc["memberships"]
    }
    # JANE established 2021-01-01; old-club founded 1990, dissolved 2023-06-30; pkmts 1952.
    assert dates == {
        "organisation/old-club": ("2021-01-01", "2023-06-30"),
        "organisation/pkmts": ("2021-01-01", None),
    }
    assert validate_export("popolo", EXPORTERS["popolo"].export(small, reference).files) == []


def test_popolo_territory_filter(small: Dataset, reference: Reference) -> None:
    doc = json.loads(
        EXPORTERS["popolo"]
        .export(small, reference, scope=Filter.for_municipality("475"))
        .files["popolo.json"]
    )
    assert [o["id"] for o in doc["organizations"]] == [
        "municipality/475",
        "structure/malax-youth-council",
    ]
    assert doc["posts"] == []


def test_giving360_prefix_argument_still_wins(published: Dataset, reference: Reference) -> None:
    files = Giving360Exporter(prefix="360G-pkha").export(published, reference, year=2023).files
    ids = sorted(g["id"] for g in json.loads(files["grants.json"])["grants"])
    assert ids == ["360G-pkha-joensuu-og-2023", "360G-pkha-malax-og-2023"]
