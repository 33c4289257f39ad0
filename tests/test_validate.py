"""Semantic validation: every problem at once, each located and saying what was expected."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataset_strategies import datasets
from jarjesto_core import DatasetError, load_dataset, validate
from jarjesto_core.errors import JarjestoError
from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import Dataset, Domain
from jarjesto_core.reference import bundled_reference
from jarjesto_core.serialise import structure_dataset

PREVENTION = (
    "carer_support, clubhouse, crisis_centre, family_activity, low_threshold_counselling, "
    "meeting_place, peer_support, self_care_support, support_group, volunteer_help"
)


def base() -> dict[str, Any]:
    """A small valid dataset that each test breaks in one way."""
    return {
        "format": "jarjesto-dataset",
        "version": 1,
        "organisations": [
            {
                "id": "org-a",
                "name": {"fi": "A"},
                "languages": ["fi"],
                "scope": "local",
                "municipalities": ["167", "309"],
                "business_id": "0242746-2",
            },
            {
                "id": "org-b",
                "name": {"sv": "B"},
                "languages": ["sv"],
                "scope": "local",
                "municipalities": ["475"],
            },
        ],
        "services": [
            {"id": "svc-a", "organisation": "org-a", "name": {"fi": "S"}, "kind": "clubhouse"},
            {"id": "svc-b", "organisation": "org-b", "name": {"sv": "T"}, "kind": "peer_support"},
        ],
        "agreements": [
            {
                "id": "ag-1",
                "kind": "operating_grant",
                "party": "municipality:167",
                "organisation": "org-a",
                "start": "2022-01-01",
                "end": "2022-12-31",
                "annual_amount_eur": "1000.00",
                "services": ["svc-a"],
            },
            {
                "id": "ag-2",
                "kind": "premises",
                "party": "area:14",
                "organisation": "org-a",
                "start": "2023-01-01",
                "premises_terms": "free",
            },
        ],
        "responsibilities": [
            {
                "id": "resp-1",
                "municipality": "167",
                "area": "14",
                "start": "2023-01-01",
                "assignments": {"clubhouse": "area", "peer_support": "shared"},
            }
        ],
        "structures": [
            {
                "id": "jane",
                "kind": "organisation_council",
                "party": "area:14",
                "name": {"fi": "JANE"},
                "members": ["org-a"],
                "meetings": ["2024-02-01", "2024-09-01"],
            }
        ],
        "coordinators": [
            {
                "id": "coord-1",
                "party": "area:14",
                "title": "organisation_coordinator",
                "start": "2023-01-01",
            }
        ],
        "hearings": [
            {
                "id": "hear-1",
                "party": "municipality:167",
                "date": "2024-03-01",
                "topic": "t",
                "organisations": ["org-a"],
            }
        ],
        "commitments": [
            {
                "id": "com-1",
                "party": "area:14",
                "document": "Strategy",
                "start": "2023-01-01",
                "topics": ["services_link"],
            }
        ],
    }


def problems(doc: Any) -> list[str]:
    """What a user reads, in English, one line per problem."""
    text = doc if isinstance(doc, str) else json.dumps(doc)
    with pytest.raises(DatasetError) as info:
        load_dataset(text)
    return [p.render("en") for p in info.value.problems]


def test_the_base_dataset_is_valid() -> None:
    dataset = load_dataset(json.dumps(base()))
    assert len(dataset.organisations) == 2
    assert validate(dataset, bundled_reference()) == ()


# -- business IDs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0242746-3", "'0242746-3' has the wrong check digit: expected 0242746-2"),
        (
            "0242746",
            "'0242746' is not a business ID: expected seven digits, a hyphen and a check "
            "digit, such as 0242746-2",
        ),
        (
            "0000030-5",
            "'0000030-5' is not a business ID: no check digit is valid after 0000030 "
            "(the weighted sum leaves remainder 1)",
        ),
    ],
)
def test_business_id(value: str, message: str) -> None:
    doc = base()
    doc["organisations"][0]["business_id"] = value
    assert problems(doc) == [f"organisations[0] (org-a).business_id: {message}"]


# -- public bodies by year -----------------------------------------------------------


def test_a_merged_municipality_is_valid_for_a_record_that_began_before_the_merger() -> None:
    doc = base()
    doc["organisations"][0]["municipalities"] = ["588"]
    doc["services"][0]["municipalities"] = []
    assert load_dataset(json.dumps(doc)).organisations[0].municipalities == ("588",)


def test_a_merged_municipality_gets_a_hint_where_it_never_existed_in_the_period() -> None:
    doc = base()
    doc["organisations"][0]["municipalities"] = ["588"]
    doc["organisations"][0]["founded"] = "2025-03-01"
    doc["services"][0]["municipalities"] = []
    assert problems(doc) == [
        "organisations[0] (org-a).municipalities[0]: municipality 588 (Pertunmaa) does not "
        "exist in 2025: merged into 507 (Mäntyharju) from 2025"
    ]


def test_a_merged_municipality_is_fine_in_the_years_before() -> None:
    doc = base()
    doc["organisations"][0]["municipalities"] = ["588"]
    doc["organisations"][0]["dissolved"] = "2024-12-31"
    doc["agreements"][0]["party"] = "municipality:588"
    doc["agreements"][1]["end"] = "2024-12-31"
    doc["hearings"][0]["party"] = "municipality:588"
    doc["structures"][0]["dissolved"] = "2024-12-31"
    # The agreement covers 2022: before the data's first year, 2023's division holds.
    assert load_dataset(json.dumps(doc)).agreements[0].party.code == "588"


def test_a_party_that_merged_during_an_agreement_is_valid() -> None:
    doc = base()
    doc["agreements"][0]["party"] = "municipality:588"
    doc["agreements"][0]["end"] = None
    assert load_dataset(json.dumps(doc)).agreements[0].party.code == "588"


def test_an_agreement_with_a_merged_party_after_the_merger_is_refused() -> None:
    doc = base()
    doc["agreements"][0]["party"] = "municipality:588"
    doc["agreements"][0]["start"] = "2025-01-01"
    doc["agreements"][0]["end"] = None
    assert problems(doc) == [
        "agreements[0] (ag-1).party: municipality 588 (Pertunmaa) does not exist in 2025: "
        "merged into 507 (Mäntyharju) from 2025"
    ]


def test_an_unknown_municipality_and_area() -> None:
    doc = base()
    doc["organisations"][1]["municipalities"] = ["999"]
    doc["services"][1]["municipalities"] = []
    doc["agreements"][1]["party"] = "area:99"
    doc["coordinators"][0]["party"] = "municipality:999"
    assert problems(doc) == [
        "organisations[1] (org-b).municipalities[0]: municipality 999 does not exist: expected "
        "a three-digit code of Statistics Finland's classification, such as 167 (Joensuu)",
        "agreements[1] (ag-2).party: wellbeing area 99 does not exist: expected 01 to 21, "
        "90 (City of Helsinki) or 91 (Åland)",
        "coordinators[0] (coord-1).party: municipality 999 does not exist: expected a "
        "three-digit code of Statistics Finland's classification, such as 167 (Joensuu)",
    ]


def test_helsinki_and_aland_are_parties() -> None:
    doc = base()
    doc["agreements"][1]["party"] = "area:90"
    doc["coordinators"][0]["party"] = "area:91"
    doc["hearings"][0]["party"] = "municipality:091"
    load_dataset(json.dumps(doc))


def test_responsibility_area_must_be_the_municipalitys() -> None:
    doc = base()
    doc["responsibilities"][0]["area"] = "05"
    assert problems(doc) == [
        "responsibilities[0] (resp-1).area: area 05 is not the wellbeing area of municipality "
        "167 (Joensuu): in 2023 it belongs to area 14"
    ]


def test_responsibility_with_unknown_area() -> None:
    doc = base()
    doc["responsibilities"][0]["area"] = "22"
    assert problems(doc) == [
        "responsibilities[0] (resp-1).area: wellbeing area 22 does not exist: expected 01 to "
        "21, 90 (City of Helsinki) or 91 (Åland)"
    ]


def test_responsibility_assigns_only_prevention_kinds() -> None:
    doc = base()
    doc["responsibilities"][0]["assignments"] = {
        "sote_service": "area",
        "youth_work": "municipality",
        "clubhous": "area",
        "clubhouse": "shared",
    }
    assert problems(doc) == [
        "responsibilities[0] (resp-1).assignments.sote_service: service kind 'sote_service' "
        "is a statutory social and health service, which the wellbeing area funds by law: a "
        f"responsibility agreement assigns only the prevention kinds {PREVENTION}",
        "responsibilities[0] (resp-1).assignments.youth_work: service kind 'youth_work' is a "
        "municipal task, which the municipality funds by law: a responsibility agreement "
        f"assigns only the prevention kinds {PREVENTION}",
        "responsibilities[0] (resp-1).assignments.clubhous: unknown service kind 'clubhous': a "
        f"responsibility agreement assigns the prevention kinds {PREVENTION}",
    ]


# -- references ----------------------------------------------------------------------


def test_dangling_references_are_all_reported() -> None:
    doc = base()
    doc["services"][0]["organisation"] = "org-x"
    doc["agreements"][0]["organisation"] = "org-y"
    doc["agreements"][1]["services"] = ["svc-z"]
    doc["structures"][0]["members"] = ["org-a", "org-m"]
    doc["hearings"][0]["organisations"] = ["org-h"]
    assert problems(doc) == [
        "services[0] (svc-a).organisation: organisation org-x does not exist: no organisation "
        "has this id",
        "agreements[0] (ag-1).organisation: organisation org-y does not exist: no organisation "
        "has this id",
        "agreements[1] (ag-2).services[0]: service svc-z does not exist: no service has this id",
        "structures[0] (jane).members[1]: organisation org-m does not exist: no organisation "
        "has this id",
        "hearings[0] (hear-1).organisations[0]: organisation org-h does not exist: no "
        "organisation has this id",
    ]


def test_an_agreements_services_belong_to_its_organisation() -> None:
    doc = base()
    doc["agreements"][0]["services"] = ["svc-a", "svc-b"]
    assert problems(doc) == [
        "agreements[0] (ag-1).services[1]: service svc-b belongs to organisation org-b, not to "
        "the agreement's organisation org-a"
    ]


@pytest.mark.parametrize("party", ["area:9", "area:014", "municipality:91", "kunta:167", "167"])
def test_malformed_party_references(party: str) -> None:
    doc = base()
    doc["agreements"][0]["party"] = party
    assert problems(doc) == [
        f"agreements[0] (ag-1).party: {party!r} is not a party reference: expected "
        "municipality:CODE, area:CODE, joint:ID or funder:ID"
    ]


def test_references_to_broken_records_are_not_reported_twice() -> None:
    doc = base()
    doc["organisations"][0]["scope"] = "galactic"
    assert problems(doc) == [
        "organisations[0] (org-a).scope: unknown value 'galactic': allowed values are local, "
        "regional, national"
    ]


def test_problems_name_the_records_index_in_the_file() -> None:
    doc = base()
    # The first service fails structuring and is left out; the second keeps index 1.
    doc["services"][0]["in_service_path"] = "yes"
    doc["services"][1]["organisation"] = "org-x"
    assert problems(doc) == [
        "services[0] (svc-a).in_service_path: 'yes' is not true or false",
        "services[1] (svc-b).organisation: organisation org-x does not exist: no organisation "
        "has this id",
    ]


# -- ids and enumerations ------------------------------------------------------------


def test_duplicate_ids_within_a_collection() -> None:
    doc = base()
    doc["services"].append(copy.deepcopy(doc["services"][0]))
    doc["hearings"][0]["id"] = "jane"  # the same id in another collection is fine
    assert problems(doc) == [
        "services[2] (svc-a).id: duplicate id svc-a: record [0] of this collection has it"
    ]


@pytest.mark.parametrize("rid", ["Org-A", "-org", "org a", "örg"])
def test_id_format(rid: str) -> None:
    doc = base()
    doc["commitments"][0]["id"] = rid
    assert problems(doc) == [
        f"commitments[0] ({rid}).id: {rid!r} is not a valid id: expected lower-case letters, "
        "digits, -, _ and ., beginning with a letter or digit"
    ]


def test_unknown_service_kind_lists_the_allowed_kinds() -> None:
    doc = base()
    doc["services"][0]["kind"] = "karaoke"
    assert problems(doc) == [
        "services[0] (svc-a).kind: unknown service kind 'karaoke': allowed kinds are "
        "carer_support, clubhouse, crisis_centre, culture, education, employment, "
        "family_activity, library, low_threshold_counselling, meeting_place, "
        "other_municipal, peer_support, "
        "self_care_support, sote_service, sports, support_group, volunteer_help, youth_work"
    ]


def test_plugin_service_kinds_are_allowed() -> None:
    doc = base()
    doc["services"][0]["kind"] = "karaoke"
    kinds = {**CORE_SERVICE_KINDS, "karaoke": Domain.PREVENTION}
    load_dataset(json.dumps(doc), service_kinds=kinds)


@pytest.mark.parametrize(
    ("collection", "field", "value", "allowed"),
    [
        (
            "agreements",
            "kind",
            "gift",
            "operating_grant, project_grant, premises, service_purchase, service_voucher, "
            "personal_budget, cooperation",
        ),
        (
            "structures",
            "kind",
            "club",
            "organisation_council, local_organisation_council, representation_body, "
            "association_forum, digital_channel, family_centre_network, youth_council, "
            "older_people_council, disability_council, resident_panel",
        ),
        (
            "commitments",
            "topics[0]",
            "weather",
            "services_link, partnership_structure, grant_continuation, funding_principles, "
            "premises_use, "
            "participation_channels, knowledge_management, procurement_lots, "
            "vouchers_and_budgets",
        ),
    ],
)
def test_unknown_enumeration_values(collection: str, field: str, value: str, allowed: str) -> None:
    doc = base()
    record = doc[collection][0]
    if field == "topics[0]":
        record["topics"] = [value]
    else:
        record[field] = value
    assert problems(doc) == [
        f"{collection}[0] ({record['id']}).{field}: unknown value {value!r}: allowed values are "
        f"{allowed}"
    ]


# -- periods, amounts, kinds -----------------------------------------------------------


def test_end_before_start() -> None:
    doc = base()
    doc["agreements"][0]["end"] = "2021-12-31"
    doc["coordinators"][0]["end"] = "2022-12-31"
    doc["organisations"][0]["founded"] = "2020-01-01"
    doc["organisations"][0]["dissolved"] = "2019-01-01"
    doc["structures"][0]["established"] = "2024-01-01"
    doc["structures"][0]["dissolved"] = "2023-12-31"
    assert problems(doc) == [
        "organisations[0] (org-a).dissolved: dissolved 2019-01-01 is before founded 2020-01-01",
        "agreements[0] (ag-1).end: the end 2021-12-31 is before the start 2022-01-01",
        "structures[0] (jane).dissolved: dissolved 2023-12-31 is before established 2024-01-01",
        "structures[0] (jane).meetings[0]: a meeting on 2024-02-01 is after the body was "
        "dissolved (2023-12-31)",
        "structures[0] (jane).meetings[1]: a meeting on 2024-09-01 is after the body was "
        "dissolved (2023-12-31)",
        "coordinators[0] (coord-1).end: the end 2022-12-31 is before the start 2023-01-01",
    ]


def test_meeting_before_the_body_existed() -> None:
    doc = base()
    doc["structures"][0]["established"] = "2024-06-01"
    assert problems(doc) == [
        "structures[0] (jane).meetings[0]: a meeting on 2024-02-01 is before the body was "
        "established (2024-06-01)"
    ]


def test_negative_amount() -> None:
    doc = base()
    doc["agreements"][0]["annual_amount_eur"] = "-1000.00"
    assert problems(doc) == [
        "agreements[0] (ag-1).annual_amount_eur: -1000.00 is a negative amount: expected "
        "euros, 0 or more"
    ]


@pytest.mark.parametrize("amount", ["1 000", "12,50", "abc", 12.5, True, "1e3", ""])
def test_non_numeric_amount(amount: Any) -> None:
    doc = base()
    doc["agreements"][0]["annual_amount_eur"] = amount
    assert problems(doc) == [
        f"agreements[0] (ag-1).annual_amount_eur: {amount!r} is not an amount: expected a "
        'decimal string such as "1234.50"'
    ]


def test_negative_counts() -> None:
    doc = base()
    doc["organisations"][0]["members"] = -3
    doc["services"][0]["participants_per_year"] = -1
    assert problems(doc) == [
        "organisations[0] (org-a).members: -3 is negative: expected a count of 0 or more",
        "services[0] (svc-a).participants_per_year: -1 is negative: expected a count of 0 or more",
    ]


def test_premises_terms_and_lots_only_where_they_belong() -> None:
    doc = base()
    doc["agreements"][0]["premises_terms"] = "free"
    doc["agreements"][0]["lots"] = True
    assert problems(doc) == [
        "agreements[0] (ag-1).premises_terms: premises_terms is set on an agreement of kind "
        "operating_grant: only a premises agreement has premises terms",
        "agreements[0] (ag-1).lots: lots is set on an agreement of kind operating_grant: only "
        "a service_purchase agreement can be divided into lots",
    ]


def test_a_service_runs_where_its_organisation_works_and_serves_beyond() -> None:
    doc = base()
    # Its catchment may reach beyond the organisation's municipalities; where it runs may not.
    doc["services"][0]["municipalities"] = ["167", "853"]
    doc["services"][0]["location"] = "853"
    assert problems(doc) == [
        "services[0] (svc-a).location: the service runs in municipality 853, where "
        "its organisation org-a does not work: expected one of 167, 309"
    ]


def test_language_codes() -> None:
    doc = base()
    doc["organisations"][0]["languages"] = ["fi", "Swedish"]
    doc["hearings"][0]["languages"] = ["FI"]
    assert problems(doc) == [
        "organisations[0] (org-a).languages[1]: 'Swedish' is not a language code: expected two "
        "lower-case letters (ISO 639-1), such as fi or sv",
        "hearings[0] (hear-1).languages[0]: 'FI' is not a language code: expected two "
        "lower-case letters (ISO 639-1), such as fi or sv",
    ]


# -- many at once, malformed documents -----------------------------------------------


def test_every_problem_at_once_with_its_location() -> None:
    doc = base()
    doc["organisations"][0]["business_id"] = "0242746-3"
    doc["services"][1]["kind"] = "karaoke"
    doc["agreements"][1]["party"] = "area:99"
    doc["agreements"][0]["annual_amount_eur"] = "lots"
    with pytest.raises(DatasetError) as info:
        load_dataset(json.dumps(doc), file="region.json")
    found = info.value.problems
    assert [(p.collection, p.index, p.record_id, p.field) for p in found] == [
        ("organisations", 0, "org-a", "business_id"),
        ("services", 1, "svc-b", "kind"),
        ("agreements", 0, "ag-1", "annual_amount_eur"),
        ("agreements", 1, "ag-2", "party"),
    ]
    assert {p.file for p in found} == {"region.json"}
    assert str(info.value).splitlines()[0] == (
        "region.json: organisations[0] (org-a).business_id: '0242746-3' has the wrong check "
        "digit: expected 0242746-2"
    )
    assert isinstance(info.value, JarjestoError)


def test_malformed_json_gives_line_and_column() -> None:
    text = '{\n  "format": "jarjesto-dataset",\n  "version": 1,\n  "organisations": [,]\n}\n'
    with pytest.raises(DatasetError) as info:
        load_dataset(text, file="bad.json")
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (4, 21)
    assert problem.render("en") == "bad.json: line 4, column 21: malformed JSON: Expecting value"


def test_validate_on_records_built_in_python() -> None:
    parsed = structure_dataset(base())
    assert parsed.problems == ()
    assert validate(parsed.dataset, bundled_reference()) == ()
    assert validate(Dataset(), bundled_reference()) == ()


@given(datasets(), st.data())
@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
def test_affected_finds_what_a_scan_of_every_record_finds(dataset: Any, data: Any) -> None:
    """affected() skips a collection whose fields name none of the ids (a check in C): it
    finds the same records as looking at every field of every record."""
    from jarjesto_core.model import COLLECTIONS
    from jarjesto_core.validation import _naming_fields, affected

    every_id = sorted({r.id for name in COLLECTIONS for r in dataset.collection(name)})
    chosen = data.draw(st.lists(st.sampled_from(every_id or ["x"]), max_size=4))
    name = data.draw(st.sampled_from(sorted(COLLECTIONS)))
    ids = frozenset(chosen)
    expected: dict[str, set[str]] = {name: set(ids)}
    for collection in COLLECTIONS:
        found = expected.setdefault(collection, set())
        texts, lists, parties = _naming_fields(collection)
        for record in dataset.collection(collection):
            named = (
                {getattr(record, f) for f in texts}
                | {x for f in lists for x in (getattr(record, f) or ())}
                | {getattr(getattr(record, f), "code", None) for f in parties}
            )
            if named & ids:
                found.add(record.id)
    assert affected(dataset, {name: ids}) == expected


# -- joint authorities and other funders (domain.md v2, "Parties") ----------------


def _with_parties(doc: dict[str, Any]) -> dict[str, Any]:
    doc["joint_authorities"] = [
        {
            "id": "siun-sote",
            "name": {"fi": "Siun sote"},
            "members": ["167", "309"],
            "start": "2017-01-01",
            "end": "2022-12-31",
            "organises": ["sote"],
        }
    ]
    doc["funders"] = [{"id": "stea", "name": {"fi": "STEA"}, "kind": "state"}]
    return doc


def test_joint_authorities_and_funders_are_parties() -> None:
    doc = _with_parties(base())
    doc["agreements"][0]["party"] = "joint:siun-sote"
    doc["agreements"][1]["party"] = "funder:stea"
    data = load_dataset(json.dumps(doc))
    assert str(data.agreements[0].party) == "joint:siun-sote"
    assert data.joint_authorities[0].members == ("167", "309")
    assert data.funders[0].kind.value == "state"


def test_a_joint_or_funder_reference_to_nothing_is_refused() -> None:
    doc = _with_parties(base())
    doc["agreements"][0]["party"] = "joint:eksote"
    doc["agreements"][1]["party"] = "funder:ray"
    assert problems(doc) == [
        "agreements[0] (ag-1).party: joint authority eksote does not exist: no record of "
        "joint_authorities has this id",
        "agreements[1] (ag-2).party: funder ray does not exist: no record of funders has this id",
    ]


def test_a_joint_authority_whose_members_do_not_exist_in_its_period_is_refused() -> None:
    doc = _with_parties(base())
    doc["joint_authorities"][0]["members"] = ["167", "588", "999"]
    doc["joint_authorities"][0]["start"] = "2025-01-01"
    doc["joint_authorities"][0]["end"] = None
    doc["joint_authorities"][0]["organises"] = ["sote", "municipal"]
    assert problems(doc) == [
        "joint_authorities[0] (siun-sote).members[1]: municipality 588 (Pertunmaa) does not "
        "exist in 2025: merged into 507 (Mäntyharju) from 2025",
        "joint_authorities[0] (siun-sote).members[2]: municipality 999 does not exist: "
        "expected a three-digit code of Statistics Finland's classification, such as 167 "
        "(Joensuu)",
        "joint_authorities[0] (siun-sote).organises[1]: municipal is a municipality's own "
        "task: a joint authority organises sote or prevention",
    ]


@pytest.mark.parametrize(
    ("municipality", "area", "expected"),
    [
        (
            "478",
            "91",
            "responsibilities[0] (resp-1).area: area 91 is Åland, which is outside the "
            "reform: its municipalities and area have no split of responsibility to agree on",
        ),
        (
            "091",
            "90",
            "responsibilities[0] (resp-1).area: area 90 with municipality 091 is the City "
            "of Helsinki, which is responsible for every domain itself: there is no split "
            "to agree on",
        ),
    ],
)
def test_a_responsibility_agreement_for_aland_or_helsinki_is_refused(
    municipality: str, area: str, expected: str
) -> None:
    doc = base()
    doc["responsibilities"][0]["municipality"] = municipality
    doc["responsibilities"][0]["area"] = area
    assert problems(doc) == [expected]


def test_a_responsibility_agreement_cannot_assign_a_joint_authority() -> None:
    doc = base()
    doc["responsibilities"][0]["assignments"]["clubhouse"] = "joint"
    assert problems(doc) == [
        "responsibilities[0] (resp-1).assignments.clubhouse: joint cannot be assigned: a "
        "responsibility agreement assigns a kind to the municipality, the area or both (shared)"
    ]


def test_a_service_location_is_a_municipality() -> None:
    doc = base()
    doc["services"][0]["location"] = "998"
    assert problems(doc) == [
        "services[0] (svc-a).location: municipality 998 does not exist: expected a "
        "three-digit code of Statistics Finland's classification, such as 167 (Joensuu)"
    ]
