"""The CSV edge: Finnish spreadsheet formats in, every problem named, round trips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core import csvio
from jarjesto_core.errors import DatasetError
from jarjesto_core.model import (
    COLLECTIONS,
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
from jarjesto_core.serialise import FieldError

SPACES = ["", " ", "\u00a0", "\u202f"]


def finnish(amount: Decimal, space: str) -> str:
    """An amount as a Finnish spreadsheet shows it: 1 234 567,50."""
    sign, digits = ("-", str(amount)[1:]) if amount < 0 else ("", str(amount))
    whole, _, fraction = digits.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = sign + space.join(groups)
    return f"{text},{fraction}" if fraction else text


amounts = st.decimals(
    min_value=Decimal("-99999999.99"),
    max_value=Decimal("99999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(amounts, st.sampled_from(SPACES))
def test_every_finnish_amount_parses_back_to_itself(amount: Decimal, space: str) -> None:
    assert Decimal(csvio.parse_amount(finnish(amount, space))) == amount
    assert Decimal(csvio.parse_amount(str(amount))) == amount


@given(amounts)
def test_babel_finnish_and_swedish_formats_parse(amount: Decimal) -> None:
    for locale in ("fi", "sv_FI"):
        text = format_decimal(amount, locale=locale, decimal_quantization=False)
        assert Decimal(csvio.parse_amount(text)) == amount


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(SPACES))
def test_whole_numbers_with_thousands_spaces(number: int, space: str) -> None:
    assert csvio.parse_int(finnish(Decimal(number), space)) == number


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_dates_iso_and_finnish(date: dt.date) -> None:
    assert csvio.parse_date(date.isoformat()) == date.isoformat()
    assert csvio.parse_date(f"{date.day}.{date.month}.{date.year}") == date.isoformat()
    assert csvio.parse_date(f"{date.day:02}.{date.month:02}.{date.year}") == date.isoformat()


@given(
    st.sampled_from(
        [
            *("true", "kyllä", "ja", "1", "TOSI", "Sant", "yes"),
            *("false", "ei", "nej", "0", "EPÄTOSI", "falskt", "no"),
        ]
    ),
    st.booleans(),
)
def test_booleans_in_three_languages(word: str, upper: bool) -> None:
    expected = word.casefold() in {"true", "kyllä", "ja", "1", "tosi", "sant", "yes"}
    assert csvio.parse_bool(word.upper() if upper else word) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.50", "1234.50"),
        ("1234,50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1 234,50 €", "1234.50"),
        ("\u2212500", "-500"),
        ("0,5", "0.5"),
    ],
)
def test_amount_forms(text: str, expected: str) -> None:
    assert csvio.parse_amount(text) == expected


@pytest.mark.parametrize("text", ["1 23,5", "12,3.4", "abc", "", "1,", ",5", "€"])
def test_malformed_amounts_are_refused(text: str) -> None:
    with pytest.raises(FieldError) as info:
        csvio.parse_amount(text)
    assert str(info.value) == f"{text!r} is not an amount: write 1234.50 or 1 234,50"


@pytest.mark.parametrize("text", ["1.234,50", "360.615", "1,234", "12.500 €"])
def test_ambiguous_amounts_are_refused(text: str) -> None:
    with pytest.raises(FieldError) as info:
        csvio.parse_amount(text)
    assert str(info.value).startswith(f"{text!r} is ambiguous: a dot or comma before three")


@pytest.mark.parametrize("text", ["31.2.2024", "2024-02-30", "0.1.2024"])
def test_unreal_dates_are_refused(text: str) -> None:
    with pytest.raises(FieldError, match="is not a real date"):
        csvio.parse_date(text)


@pytest.mark.parametrize("text", ["2024/01/31", "31.1.24", "tomorrow", "1.2.2024 0:00"])
def test_other_date_forms_are_refused(text: str) -> None:
    with pytest.raises(FieldError, match=r"write 2024-01-31 or 31\.1\.2024$"):
        csvio.parse_date(text)


def test_maybe_is_not_a_boolean() -> None:
    with pytest.raises(FieldError) as info:
        csvio.parse_bool("ehkä")
    assert str(info.value) == ("'ehkä' is not yes or no: write true/false, kyllä/ei, ja/nej or 1/0")


def test_delimiter_is_detected_from_the_header() -> None:
    assert csvio.detect_delimiter("id;name_fi;languages\r\na;b;fi, sv\r\n") == ";"
    assert csvio.detect_delimiter('id,name_fi,languages\r\na,b,"fi, sv"\r\n') == ","
    assert csvio.detect_delimiter("id\r\na\r\n") == ","


def test_encodings_are_detected() -> None:
    text = "id;name_fi\r\nx;Äänekosken yhdistys\r\n"
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode(), text.encode("cp1252")):
        assert csvio.decode_csv(data, file="f.csv") == text


def test_a_wrong_encoding_is_one_clear_problem() -> None:
    data = "id;name_fi\r\nx;Äänekoski\r\n".encode("cp1252")
    with pytest.raises(DatasetError) as info:
        csvio.decode_csv(data, file="f.csv", encoding="utf-8")
    assert str(info.value) == (
        "f.csv: cannot read the file as utf-8 (byte 0xc4 at offset 14): "
        "save it as UTF-8 or give its encoding with --encoding"
    )


def test_columns_use_name_fi_sv_en() -> None:
    assert csvio.columns("services") == (
        "id",
        "organisation",
        "name_fi",
        "name_sv",
        "name_en",
        "kind",
        "municipalities",
        "languages",
        "in_service_path",
        "participants_per_year",
        "location",
    )


EXCEL_AGREEMENTS = (
    "id;kind;party;organisation;services;decided;start;end;annual_amount_eur;"
    "premises_terms;lots\r\n"
    "grant-malax;operating_grant;Malax;org-fbk;;15.12.2023;1.1.2024;31.12.2024;"
    "1\u00a0234,50;;\r\n"
    "grant-area;project_grant;Österbotten;org-fbk;svc-a, svc-b;;1.2.2024;;12 000;;\r\n"
    "lokal;premises;municipality:499;org-fbk;;;2024-01-01;;;subsidised;\r\n"
    "purchase;service_purchase;area:17;org-fbk;;;2.1.2024;;99,90;;ja\r\n"
)


def test_finnish_excel_agreements() -> None:
    data = b"\xef\xbb\xbf" + EXCEL_AGREEMENTS.encode("utf-8")
    rows = csvio.read_csv("agreements", data, file="avustukset.csv")
    assert rows.rows == (2, 3, 4, 5)
    first, second, premises, purchase = rows.records
    assert first == Agreement(
        id="grant-malax",
        kind=AgreementKind.OPERATING_GRANT,
        party=PartyRef.municipality("475"),
        organisation="org-fbk",
        decided=dt.date(2023, 12, 15),
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
        annual_amount_eur=Decimal("1234.50"),
    )
    assert second.party == PartyRef.area("17")
    assert second.services == ("svc-a", "svc-b")
    assert second.annual_amount_eur == Decimal("12000")
    assert premises.premises_terms is PremisesTerms.SUBSIDISED
    assert purchase.lots is True
    assert purchase.annual_amount_eur == Decimal("99.90")


def test_cp1252_organisations_with_swedish_municipality_names() -> None:
    text = (
        "id;name_fi;name_sv;languages;scope;municipalities;members;founded\r\n"
        "org-fbk;Pohjanmaan yhdistys;Föreningen i Österbotten;sv, fi;regional;"
        "Malax, Korsholm, Jakobstad;1 250;1.2.1995\r\n"
    )
    rows = csvio.read_csv("organisations", text.encode("cp1252"), file="föreningar.csv")
    assert rows.records == (
        Organisation(
            id="org-fbk",
            name=Name(fi="Pohjanmaan yhdistys", sv="Föreningen i Österbotten"),
            languages=("sv", "fi"),
            scope=Scope.REGIONAL,
            municipalities=("475", "499", "598"),
            members=1250,
            founded=dt.date(1995, 2, 1),
        ),
    )


def test_a_merged_municipality_is_found_in_its_own_years() -> None:
    # Pertunmaa merged into Mäntyharju in 2025: its name is still known.
    text = "id;municipality;area;start;assignments\r\nr1;Pertunmaa;Etelä-Savo;1.1.2023;\r\n"
    with pytest.raises(DatasetError) as info:
        csvio.read_csv("responsibilities", text.encode(), file="r.csv")
    # The only problem is the empty assignments, not the municipality.
    assert str(info.value) == "r.csv: row 2: assignments: required field is missing"


@pytest.mark.parametrize("party", ["municipality:8", "area:014", "municipality:0167"])
def test_a_party_code_of_the_wrong_width_is_a_row_error(party: str) -> None:
    # Found by the fuzzer: this was a ValueError traceback, not a problem naming the row.
    text = f"id;party;date;topic;organisations\r\nh1;{party};2024-01-01;strategy;org-a\r\n"
    with pytest.raises(DatasetError) as info:
        csvio.read_csv("hearings", text.encode(), file="h.csv")
    assert str(info.value) == (
        f"h.csv: row 2: party: '{party}' is not a party: write municipality:CODE, "
        "area:CODE, joint:ID, funder:ID or the name of a municipality, wellbeing area, "
        "joint authority or funder"
    )


def test_errors_in_three_rows_are_all_reported() -> None:
    text = (
        "id;kind;party;organisation;start;annual_amount_eur;lots\r\n"
        "ok-1;operating_grant;Joensuu;org-a;1.1.2024;100;\r\n"
        "bad-2;operating_grant;Atlantis;org-a;31.2.2024;100;\r\n"
        "ok-3;cooperation;area:14;org-a;2024-01-01;;\r\n"
        "bad-4;gift;area:14;org-a;2024-01-01;1.234,50;\r\n"
        "bad-5;service_purchase;area:14;;2024-01-01;;ehkä\r\n"
    )
    with pytest.raises(DatasetError) as info:
        csvio.read_csv("agreements", text.encode("cp1252"), file="grants.csv")
    assert [p.render("en") for p in info.value.problems] == [
        "grants.csv: row 3: party: 'Atlantis' is not a party: write municipality:CODE, "
        "area:CODE, joint:ID, funder:ID or the name of a municipality, wellbeing area, "
        "joint authority or funder",
        "grants.csv: row 3: start: '31.2.2024' is not a real date",
        "grants.csv: row 5: annual_amount_eur: '1.234,50' is ambiguous: a dot or comma "
        "before three digits may separate thousands or decimals; write 360615, 360 615 or "
        "360615,00",
        "grants.csv: row 5: kind: unknown value 'gift': allowed values are operating_grant, "
        "project_grant, premises, service_purchase, service_voucher, personal_budget, "
        "cooperation",
        "grants.csv: row 6: lots: 'ehkä' is not yes or no: write true/false, kyllä/ei, "
        "ja/nej or 1/0",
        "grants.csv: row 6: organisation: required field is missing",
    ]
    located = [(p.file, p.row, p.field) for p in info.value.problems]
    assert located[0] == ("grants.csv", 3, "party")


def test_header_problems_come_first_and_alone() -> None:
    text = "id;nimi;scope;scope\r\norg;x;local;local\r\n"
    with pytest.raises(DatasetError) as info:
        csvio.read_csv("organisations", text.encode(), file="o.csv")
    messages = [p.render("en") for p in info.value.problems]
    assert messages[0].startswith(
        "o.csv: row 1: nimi: unknown column 'nimi': organisations have the columns id, name_fi,"
    )
    assert messages[1:] == [
        "o.csv: row 1: column 'scope' appears twice",
        "o.csv: row 1: languages: required column languages is missing",
        "o.csv: row 1: municipalities: required column municipalities is missing",
        "o.csv: row 1: name_fi: required column name_fi / name_sv / name_en is missing",
    ]


def test_duplicate_ids_in_the_file_and_in_the_dataset() -> None:
    text = (
        "id;name_fi;languages;scope;municipalities\r\n"
        "a;A;fi;local;167\r\n"
        "b;B;fi;local;167\r\n"
        "a;A again;fi;local;167\r\n"
    )
    with pytest.raises(DatasetError) as info:
        csvio.read_csv("organisations", text.encode(), file="o.csv", taken={"b"})
    assert [p.render("en") for p in info.value.problems] == [
        "o.csv: row 3: id: id 'b' is already in the dataset",
        "o.csv: row 4: id: id 'a' is already used on row 2",
    ]


def test_a_name_needs_one_language_and_extra_cells_are_refused() -> None:
    text = (
        "id;name_fi;name_sv;languages;scope;municipalities\r\n"
        "a;;;fi;local;167\r\n"
        "b;B;;fi;local;167;x\r\n"
    )
    with pytest.raises(DatasetError) as info:
        csvio.read_csv("organisations", text.encode(), file="o.csv")
    assert [p.render("en") for p in info.value.problems] == [
        "o.csv: row 2: name_fi: a name needs at least one of the columns name_fi, name_sv, name_en",
        "o.csv: row 3: the row has 7 cells but the header has 6 columns",
    ]


def test_empty_rows_and_trailing_excel_columns_are_ignored() -> None:
    text = "id;name_fi;languages;scope;municipalities;;\r\n;;;;;;\r\na;A;fi;local;167;;\r\n"
    rows = csvio.read_csv("organisations", text.encode(), file="o.csv")
    assert [r.id for r in rows.records] == ["a"]
    assert rows.rows == (3,)


def test_an_empty_file_is_an_error() -> None:
    with pytest.raises(DatasetError, match=r"^o.csv: row 1: the file is empty"):
        csvio.read_csv("organisations", b"", file="o.csv")


FULL = Dataset(
    organisations=(
        Organisation(
            id="org-a",
            name=Name(fi="Mielenterveysyhdistys; ry", sv='Förening "A"', en="Assoc, A"),
            languages=("fi", "sv"),
            scope=Scope.LOCAL,
            municipalities=("167", "475"),
            business_id="0242746-2",
            register_number="123.456",
            fields=("mental_health", "substance_use"),
            members=1200,
            volunteers=30,
            founded=dt.date(1990, 5, 1),
        ),
    ),
    services=(
        Service(
            id="svc-club",
            organisation="org-a",
            name=Name(fi="Klubitalo"),
            kind="clubhouse",
            municipalities=("167",),
            in_service_path=True,
            participants_per_year=450,
        ),
    ),
    agreements=(
        Agreement(
            id="grant-1",
            kind=AgreementKind.OPERATING_GRANT,
            party=PartyRef.municipality("167"),
            organisation="org-a",
            services=("svc-club",),
            decided=dt.date(2023, 12, 1),
            start=dt.date(2024, 1, 1),
            end=dt.date(2024, 12, 31),
            annual_amount_eur=Decimal("25000.50"),
        ),
    ),
    responsibilities=(
        Responsibility(
            id="resp-1",
            municipality="167",
            area="14",
            start=dt.date(2024, 1, 1),
            assignments={
                "clubhouse": ResponsibleParty.AREA,
                "peer_support": ResponsibleParty.SHARED,
            },
        ),
    ),
    structures=(
        Structure(
            id="jane",
            kind=StructureKind.ORGANISATION_COUNCIL,
            party=PartyRef.area("14"),
            name=Name(fi="JANE"),
            members=("org-a",),
            meetings=(dt.date(2024, 2, 1), dt.date(2024, 9, 15)),
            established=dt.date(2019, 1, 1),
        ),
    ),
    coordinators=(
        Coordinator(
            id="coord-1",
            party=PartyRef.area("14"),
            title=CoordinatorTitle.ORGANISATION_COORDINATOR,
            covers_organisations=True,
            start=dt.date(2023, 1, 1),
        ),
    ),
    hearings=(
        Hearing(
            id="hear-1",
            party=PartyRef.municipality("167"),
            date=dt.date(2024, 3, 5),
            topic="Hyvinvointisuunnitelma",
            organisations=("org-a",),
            languages=("fi",),
        ),
    ),
    commitments=(
        Commitment(
            id="strat-1",
            party=PartyRef.area("14"),
            document="Hyvinvointialuestrategia 2023–2025",
            start=dt.date(2023, 1, 1),
            end=dt.date(2025, 12, 31),
            topics=(Topic.SERVICES_LINK, Topic.GRANT_CONTINUATION),
        ),
    ),
)


@pytest.mark.parametrize("delimiter", [";", ","])
def test_every_collection_round_trips(delimiter: str) -> None:
    for name in COLLECTIONS:
        records = FULL.collection(name)
        text = csvio.write_csv(name, records, delimiter=delimiter)
        assert text.splitlines()[0].split(delimiter) == list(csvio.columns(name))
        back = csvio.read_csv(name, text.encode("utf-8"), file=f"{name}.csv")
        assert back.records == records


def test_import_adds_all_or_nothing_and_names_rows_of_new_records() -> None:
    text = "id;name_fi;languages;scope;municipalities\r\norg-b;B;fi;local;Joensuu\r\n"
    result = csvio.import_csv(FULL, "organisations", text.encode(), file="o.csv")
    assert [o.id for o in result.dataset.organisations] == ["org-a", "org-b"]
    assert result.added.rows == (2,)
    assert result.dataset.services == FULL.services
    again = "id;name_fi;languages;scope;municipalities\r\norg-a;A;fi;local;167\r\n"
    with pytest.raises(DatasetError) as info:
        csvio.import_csv(FULL, "organisations", again.encode(), file="o.csv")
    assert str(info.value) == "o.csv: row 2: id: id 'org-a' is already in the dataset"


def test_joint_authorities_and_funders_are_named_by_their_names() -> None:
    import attrs

    from jarjesto_core.model import Domain, Funder, FunderKind, JointAuthority

    data = attrs.evolve(
        FULL,
        joint_authorities=(
            JointAuthority(
                id="siun-sote",
                name=Name(fi="Siun sote"),
                members=("167",),
                start=dt.date(2017, 1, 1),
                end=dt.date(2022, 12, 31),
                organises=(Domain.SOTE,),
            ),
        ),
        funders=(Funder(id="stea", name=Name(fi="STEA"), kind=FunderKind.STATE),),
    )
    text = (
        "id;kind;party;organisation;start;annual_amount_eur\r\n"
        "g-1;operating_grant;Siun sote;org-a;1.1.2022;100\r\n"
        "g-2;project_grant;stea;org-a;1.1.2024;100\r\n"
        "g-3;project_grant;funder:stea;org-a;1.1.2024;100\r\n"
    )
    result = csvio.import_csv(data, "agreements", text.encode(), file="a.csv")
    assert [str(a.party) for a in result.added.records] == [
        "joint:siun-sote",
        "funder:stea",
        "funder:stea",
    ]
    # The reference to a funder the dataset lacks is refused, named by its row.
    with pytest.raises(DatasetError) as info:
        csvio.import_csv(
            data,
            "agreements",
            b"id;kind;party;organisation;start\r\ng-9;project_grant;funder:ray;org-a;1.1.2024\r\n",
            file="b.csv",
        )
    assert [p.render("en") for p in info.value.problems] == [
        "b.csv: row 2: agreements[1] (g-9).party: funder ray does not exist: "
        "no record of funders has this id"
    ]
