"""Finnish and Swedish words for the dataset's columns and values.

A grant list published by a municipality says ``Järjestö``, ``Myönnetty €``,
``toiminta-avustus`` and ``suomi``; the dataset says ``organisation``,
``annual_amount_eur``, ``operating_grant`` and ``fi``. These tables let such a
file import without a mapping, and give a template its column titles. The
words follow ``spec/terminology.md``; docs/import.md shows them as a table
(generated from here by a test, so the two cannot drift apart).

Headers and values meet case-insensitively, with Finnish and Swedish marks and
punctuation ignored (``Y-tunnus`` = ``ytunnus``, ``Myönnetty €`` = ``myonnetty``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Final

from jarjesto_core.csvio import NAME_COLUMNS, columns
from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import (
    COLLECTIONS,
    AgreementKind,
    CoordinatorTitle,
    Domain,
    FunderKind,
    PremisesTerms,
    ResponsibleParty,
    Scope,
    StructureKind,
    Topic,
    WelfareReportKind,
)

__all__ = [
    "EXTRA_COLUMNS",
    "HEADERS",
    "VALUES",
    "VOCABULARIES",
    "column_for",
    "header_key",
    "title",
    "value_for",
]

#: Columns an import understands beyond a collection's own: a year alone as the
#: whole period, and an agreement's organisation by its Business ID.
EXTRA_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "agreements": ("year", "organisation_business_id"),
    "coordinators": ("year",),
    "commitments": ("year",),
    "responsibilities": ("year",),
}

# Each column: (Finnish words, Swedish words); the first is the template's title.
_Words = tuple[tuple[str, ...], tuple[str, ...]]

_COMMON: Final[Mapping[str, _Words]] = {
    "id": (("Tunniste", "Tunnus", "Id"), ("Identifierare", "Id")),
    "name_fi": (("Nimi", "Nimi suomeksi", "Suomenkielinen nimi"), ("Namn på finska",)),
    "name_sv": (("Nimi ruotsiksi", "Ruotsinkielinen nimi"), ("Namn", "Namn på svenska")),
    "name_en": (("Nimi englanniksi", "Englanninkielinen nimi"), ("Namn på engelska",)),
    "languages": (("Kielet", "Kieli", "Toimintakielet"), ("Språk", "Verksamhetsspråk")),
    "scope": (("Toiminta-alue", "Laajuus"), ("Verksamhetsområdets omfattning", "Omfattning")),
    "municipalities": (("Kunnat", "Kunta", "Toimintakunnat"), ("Kommuner", "Kommun")),
    "business_id": (("Y-tunnus", "Ytunnus"), ("FO-nummer", "FO nummer")),
    "register_number": (("Yhdistysrekisterinumero", "Rekisterinumero"), ("Registernummer",)),
    "fields": (("Toimialat", "Toimiala"), ("Verksamhetsområden", "Verksamhetsområde")),
    "members": (("Jäsenet", "Jäsenmäärä", "Jäseniä"), ("Medlemmar", "Antal medlemmar")),
    "volunteers": (("Vapaaehtoiset", "Vapaaehtoisia"), ("Frivilliga", "Antal frivilliga")),
    "founded": (("Perustettu", "Perustamispäivä"), ("Grundad", "Grundades")),
    "dissolved": (("Lakkautettu", "Purettu"), ("Upplöst",)),
    "organisation": (
        ("Järjestö", "Hakija", "Avustuksen saaja", "Saaja", "Organisaatio", "Yhdistys"),
        ("Organisation", "Sökande", "Mottagare", "Förening", "Bidragsmottagare"),
    ),
    "kind": (("Laji", "Tyyppi"), ("Typ", "Slag")),
    "in_service_path": (("Osana palvelupolkua", "Palvelupolussa"), ("Del av servicekedjan",)),
    "participants_per_year": (
        ("Osallistujia vuodessa", "Osallistujat"),
        ("Deltagare per år", "Deltagare"),
    ),
    "party": (
        ("Rahoittaja", "Osapuoli", "Myöntäjä", "Kunta tai hyvinvointialue"),
        ("Finansiär", "Part", "Beviljare", "Kommun eller välfärdsområde"),
    ),
    "start": (
        ("Alkaa", "Alkupäivä", "Alkaen", "Voimassa alkaen"),
        ("Börjar", "Startdatum", "Från"),
    ),
    "end": (
        ("Päättyy", "Loppupäivä", "Päättyen", "Voimassa asti"),
        ("Slutar", "Slutdatum", "Till"),
    ),
    "services": (("Palvelut",), ("Tjänster",)),
    "decided": (("Päätöspäivä", "Päätetty", "Päätös"), ("Beslutsdatum", "Beslut")),
    "annual_amount_eur": (
        ("Vuosisumma", "Myönnetty", "Summa", "Avustus", "Euroa", "Myönnetty avustus", "Määrä"),
        ("Årligt belopp", "Beviljat", "Belopp", "Bidrag", "Euro", "Beviljat bidrag"),
    ),
    "premises_terms": (("Tilan ehdot", "Vuokraehdot"), ("Lokalvillkor", "Hyresvillkor")),
    "lots": (("Jaettu osiin", "Osiin jako"), ("Uppdelad i delar",)),
    "municipality": (("Kunta",), ("Kommun",)),
    "area": (("Hyvinvointialue",), ("Välfärdsområde",)),
    "assignments": (("Vastuunjako", "Vastuut"), ("Ansvarsfördelning", "Ansvar")),
    "members@structures": (("Jäsenjärjestöt", "Jäsenet"), ("Medlemsorganisationer", "Medlemmar")),
    "meetings": (("Kokoukset", "Kokouspäivät"), ("Sammanträden", "Mötesdatum")),
    "established": (("Perustettu", "Asetettu"), ("Inrättad", "Tillsatt")),
    "title": (("Nimike", "Tehtävänimike"), ("Titel", "Befattning")),
    "covers_organisations": (
        ("Järjestöyhteistyö tehtävänä", "Kattaa järjestöt"),
        ("Samarbete med organisationer", "Omfattar organisationer"),
    ),
    "date": (("Päivämäärä", "Pvm", "Päivä"), ("Datum",)),
    "topic": (("Aihe",), ("Ämne",)),
    "organisations": (("Järjestöt", "Kuullut järjestöt"), ("Organisationer",)),
    "document": (("Asiakirja", "Dokumentti"), ("Dokument",)),
    "topics": (("Aiheet", "Teemat"), ("Ämnen", "Teman")),
    "year": (("Vuosi", "Avustusvuosi"), ("År", "Bidragsår")),
    "structures@hearings": (("Kuullut toimielimet",), ("Organ som hördes",)),
    "decision": (("Päätös, jota kuuleminen valmisteli",), ("Beslutet som hörandet beredde",)),
    "decision_date": (("Päätöspäivä",), ("Beslutsdatum",)),
    "deadline": (("Lausuntojen määräpäivä", "Määräpäivä"), ("Sista dag för utlåtanden",)),
    "statements": (("Lausunnot", "Lausuntojen määrä"), ("Utlåtanden", "Antal utlåtanden")),
    "response_published": (
        ("Vastine julkaistu",),
        ("Redogörelse för hur utlåtandena beaktats publicerad",),
    ),
    "changes": (("Muutokset kuulemisen perusteella",), ("Ändringar till följd av hörandet",)),
    "residents": (
        ("Myös asukkaita kuultiin",),
        ("Också invånare hördes",),
    ),
    "organisations_heard": (("Järjestöjä kuultiin valmistelussa",), ("Organisationerna hördes",)),
    "includes_organisations": (
        ("Sisältää järjestöjen toiminnan",),
        ("Innehåller organisationernas verksamhet",),
    ),
    "indicators": (("Indikaattorit", "Mittarit"), ("Indikatorer",)),
    "line": (("Määrärahan nimi", "Määräraha"), ("Anslagets namn", "Anslag")),
    "amount_eur": (("Määrärahan summa", "Summa"), ("Anslagets belopp", "Belopp")),
    "hyte": (("Hyte-määräraha",), ("Anslag för främjande av hälsa och välfärd",)),
    "grants_reserved_eur": (
        ("Järjestöavustuksiin varattu", "Varattu järjestöavustuksiin"),
        ("Reserverat för organisationsbidrag",),
    ),
    "organisation_business_id": (("Y-tunnus", "Ytunnus"), ("FO-nummer", "FO nummer")),
}

#: A field whose words differ by collection ("kind" is a grant's kind, a service's kind).
_BY_COLLECTION: Final[Mapping[tuple[str, str], _Words]] = {
    ("agreements", "kind"): (
        ("Avustuslaji", "Sopimuslaji", "Laji", "Tyyppi"),
        ("Bidragsform", "Avtalstyp", "Typ", "Slag"),
    ),
    ("services", "kind"): (("Palvelulaji", "Laji"), ("Typ av tjänst", "Typ")),
    ("services", "location"): (("Sijaintikunta", "Sijainti"), ("Verksamhetsort", "Plats")),
    ("structures", "kind"): (("Toimielimen laji", "Laji"), ("Typ av organ", "Typ")),
    ("joint_authorities", "members"): (("Jäsenkunnat",), ("Medlemskommuner",)),
    ("joint_authorities", "organises"): (("Järjestää", "Tehtävät"), ("Ordnar", "Uppgifter")),
    ("funders", "kind"): (("Rahoittajan laji", "Laji"), ("Typ av finansiär", "Typ")),
    ("organisations", "name_fi"): (
        ("Nimi", "Järjestö", "Järjestön nimi", "Nimi suomeksi", "Hakija"),
        ("Namn på finska",),
    ),
    ("organisations", "name_sv"): (
        ("Nimi ruotsiksi",),
        ("Namn", "Organisation", "Organisationens namn", "Namn på svenska", "Sökande"),
    ),
    ("structures", "members"): _COMMON["members@structures"],
    ("hearings", "date"): (("Kuulemispäivä", "Päivämäärä", "Pvm"), ("Datum för hörandet", "Datum")),
    ("hearings", "structures"): _COMMON["structures@hearings"],
    ("welfare_reports", "kind"): (("Asiakirjan laji", "Laji"), ("Typ av dokument", "Typ")),
    ("coverage", "collections"): (("Kokoelmat", "Tiedot"), ("Samlingar", "Uppgifter")),
    ("coverage", "parties"): (("Osapuolet", "Myöntäjät"), ("Parter", "Beviljare")),
    ("coverage", "members"): (("Jäsenkunnat",), ("Medlemskommuner",)),
    ("coverage", "source"): (("Lähde",), ("Källa",)),
}


def header_key(text: str) -> str:
    """A header as it is compared: no case, no marks, no punctuation or €."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", plain)


def _words(collection: str, column: str) -> _Words:
    found = _BY_COLLECTION.get((collection, column)) or _COMMON.get(column)
    return found if found is not None else ((), ())


def _all_columns(collection: str) -> tuple[str, ...]:
    return (*columns(collection), *EXTRA_COLUMNS.get(collection, ()))


def _headers(collection: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for column in _all_columns(collection):
        fi, sv = _words(collection, column)
        for word in (column, *fi, *sv, title(collection, column, "en")):
            table.setdefault(header_key(word), column)
    return table


def column_for(collection: str, header: str) -> str | None:
    """The column a header in a file means (``Järjestö`` → ``organisation``), or None."""
    return HEADERS.get(collection, {}).get(header_key(header))


def title(collection: str, column: str, lang: str) -> str:
    """A column's human title for a template: the first word in ``lang``."""
    fi, sv = _words(collection, column)
    words = fi if lang == "fi" else sv if lang == "sv" else ()
    if words:
        return words[0]
    if column in NAME_COLUMNS:
        return {"name_fi": "Name (Finnish)", "name_sv": "Name (Swedish)"}.get(
            column, "Name (English)"
        )
    return column.replace("_eur", " (€)").replace("_", " ").capitalize()


#: Every collection's headers, by :func:`header_key`, to their column.
HEADERS: Final[Mapping[str, Mapping[str, str]]] = {name: _headers(name) for name in COLLECTIONS}


# -- values --------------------------------------------------------------------

#: Each vocabulary's values with their words: the Finnish one first, then the Swedish
#: one (a template's dropdown offers these two), then other spellings.
VOCABULARIES: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    "scope": {
        Scope.LOCAL: ("paikallinen", "lokal", "local"),
        Scope.REGIONAL: ("alueellinen", "regional", "maakunnallinen"),
        Scope.NATIONAL: ("valtakunnallinen", "riksomfattande", "nationell", "national"),
    },
    "agreement_kind": {
        AgreementKind.OPERATING_GRANT: (
            "toiminta-avustus",
            "verksamhetsbidrag",
            "yleisavustus",
            "allmänt bidrag",
            "operating grant",
        ),
        AgreementKind.PROJECT_GRANT: (
            "hankeavustus",
            "projektbidrag",
            "projektiavustus",
            "project grant",
        ),
        AgreementKind.PREMISES: ("toimitilasopimus", "avtal om lokaler", "premises agreement"),
        AgreementKind.SERVICE_PURCHASE: (
            "palvelujen osto",
            "köp av tjänster",
            "ostopalvelu",
            "ostopalvelusopimus",
            "avtal om köp av tjänster",
            "service purchase",
        ),
        AgreementKind.SERVICE_VOUCHER: ("palveluseteli", "servicesedel", "service voucher"),
        AgreementKind.PERSONAL_BUDGET: (
            "henkilökohtainen budjetti",
            "personlig budget",
            "personal budget",
        ),
        AgreementKind.COOPERATION: (
            "yhteistyösopimus",
            "samarbetsavtal",
            "cooperation agreement",
        ),
    },
    "premises_terms": {
        PremisesTerms.FREE: ("maksuton", "avgiftsfri", "ilmainen", "free of charge"),
        PremisesTerms.SUBSIDISED: ("tuettu vuokra", "subventionerad hyra", "tuettu"),
        PremisesTerms.MARKET: ("markkinavuokra", "marknadshyra", "market rent"),
    },
    "responsible": {
        ResponsibleParty.MUNICIPALITY: ("kunta", "kommunen", "kommun"),
        ResponsibleParty.AREA: ("hyvinvointialue", "välfärdsområdet", "välfärdsområde", "county"),
        ResponsibleParty.SHARED: ("yhteinen", "gemensamt", "gemensam"),
    },
    "structure_kind": {
        StructureKind.ORGANISATION_COUNCIL: (
            "järjestöneuvottelukunta",
            "delegation för organisationsfrågor",
        ),
        StructureKind.LOCAL_ORGANISATION_COUNCIL: (
            "paikallinen järjestöneuvottelukunta",
            "lokal delegation för organisationsfrågor",
        ),
        StructureKind.REPRESENTATION_BODY: (
            "kunnan ja järjestöjen yhteistyöelin",
            "samarbetsorgan för kommunen och organisationerna",
        ),
        StructureKind.ASSOCIATION_FORUM: ("yhdistysfoorumi", "föreningsforum"),
        StructureKind.DIGITAL_CHANNEL: ("digitaalinen kanava", "digital kanal"),
        StructureKind.FAMILY_CENTRE_NETWORK: ("perhekeskusverkosto", "familjecentralsnätverk"),
        StructureKind.YOUTH_COUNCIL: ("nuorisovaltuusto", "ungdomsfullmäktige"),
        StructureKind.OLDER_PEOPLE_COUNCIL: ("vanhusneuvosto", "äldreråd"),
        StructureKind.DISABILITY_COUNCIL: (
            "vammaisneuvosto",
            "råd för personer med funktionsnedsättning",
        ),
        StructureKind.RESIDENT_PANEL: ("asukasraati", "invånarpanel", "kuntalaisraati"),
    },
    "coordinator_title": {
        CoordinatorTitle.ORGANISATION_COORDINATOR: (
            "järjestökoordinaattori",
            "organisationskoordinator",
        ),
        CoordinatorTitle.HYTE_COORDINATOR: ("hyte-koordinaattori", "hyte-koordinator"),
        CoordinatorTitle.ASSOCIATION_AGENT: ("yhdistysagentti", "föreningsagent"),
    },
    "topic": {
        Topic.SERVICES_LINK: (
            "järjestöjen toiminta osaksi palveluja",
            "organisationernas verksamhet som en del av tjänsterna",
        ),
        Topic.PARTNERSHIP_STRUCTURE: (
            "kumppanuus ja yhteistyörakenne",
            "partnerskap och samarbetsstruktur",
        ),
        Topic.GRANT_CONTINUATION: (
            "avustusten jatkuminen ilman katkoksia",
            "bidrag som fortsätter utan avbrott",
        ),
        Topic.FUNDING_PRINCIPLES: (
            "järjestöjen rahoituksen periaatteet",
            "principer för finansieringen av organisationer",
        ),
        Topic.PREMISES_USE: ("tilojen käyttö", "användning av lokaler"),
        Topic.PARTICIPATION_CHANNELS: (
            "osallistumis- ja vaikuttamiskanavat",
            "deltagande- och påverkanskanaler",
        ),
        Topic.KNOWLEDGE_MANAGEMENT: ("tietojohtaminen", "kunskapsbaserad ledning"),
        Topic.PROCUREMENT_LOTS: ("hankintojen jakaminen osiin", "delning av upphandlingar i delar"),
        Topic.VOUCHERS_AND_BUDGETS: (
            "palvelusetelit ja henkilökohtainen budjetti",
            "servicesedlar och personlig budget",
        ),
    },
    "funder_kind": {
        FunderKind.STATE: ("valtio", "staten", "state"),
        FunderKind.EU: ("EU", "Euroopan unioni", "Europeiska unionen"),
        FunderKind.FOUNDATION: ("säätiö", "stiftelse", "foundation"),
        FunderKind.PARISH: ("seurakunta", "församling", "parish"),
        FunderKind.COMPANY: ("yritys", "företag", "company"),
        FunderKind.OTHER: ("muu", "annan", "other"),
    },
    # What a joint municipal authority organises (a municipality's own tasks it cannot).
    "organises": {
        Domain.SOTE: (
            "sosiaali- ja terveyspalvelut",
            "social- och hälsovårdstjänster",
            "social and health services",
        ),
        Domain.PREVENTION: (
            "ehkäisevä toiminta",
            "förebyggande verksamhet",
            "prevention",
        ),
    },
    "welfare_report_kind": {
        WelfareReportKind.REPORT: ("hyvinvointikertomus", "välfärdsberättelse"),
        WelfareReportKind.PLAN: ("hyvinvointisuunnitelma", "välfärdsplan"),
        WelfareReportKind.ANNUAL_REPORT: (
            "vuosittainen raportti valtuustolle",
            "årlig rapport till fullmäktige",
        ),
    },
    "language": {
        "fi": ("suomi", "finska", "suomeksi", "suomenkielinen", "finsk", "finnish"),
        "sv": ("ruotsi", "svenska", "ruotsiksi", "ruotsinkielinen", "svensk", "swedish"),
        "en": ("englanti", "engelska", "englanniksi", "english"),
        "se": ("saame", "samiska", "saamen kieli", "pohjoissaame", "sami"),
        "ru": ("venäjä", "ryska", "russian"),
        "et": ("viro", "estniska", "eesti", "estonian"),
    },
    "service_kind": {
        "sote_service": ("sosiaali- tai terveyspalvelu", "social- eller hälsovårdstjänst"),
        "peer_support": ("vertaistuki", "kamratstöd"),
        "support_group": ("tukiryhmä", "stödgrupp"),
        "self_care_support": ("omahoidon tuki", "stöd för egenvård"),
        "low_threshold_counselling": ("matalan kynnyksen neuvonta", "lågtröskelrådgivning"),
        "crisis_centre": ("kriisikeskus", "kriscenter"),
        "clubhouse": ("klubitalo", "klubbhus"),
        "meeting_place": ("kohtaamispaikka", "mötesplats"),
        "family_activity": ("perhetoiminta", "familjeverksamhet"),
        "volunteer_help": ("vapaaehtoisapu", "frivillig hjälp"),
        "carer_support": (
            "omaishoitajien tukitoiminta",
            "stödverksamhet för närståendevårdare",
        ),
        "culture": ("kulttuuri", "kultur"),
        "youth_work": ("nuorisotyö", "ungdomsarbete"),
        "sports": ("liikunta", "idrott och motion", "idrott"),
        "education": ("koulutus", "utbildning"),
        "library": ("kirjasto", "bibliotek"),
        "employment": ("työllisyyspalvelut", "sysselsättningstjänster"),
        "other_municipal": ("muu kunnan tehtävä", "annan kommunal uppgift"),
    },
}

assert set(VOCABULARIES["service_kind"]) == set(CORE_SERVICE_KINDS)

#: Which vocabulary a collection's column takes.
VOCABULARY_OF: Final[Mapping[tuple[str, str], str]] = {
    ("organisations", "scope"): "scope",
    ("organisations", "languages"): "language",
    ("services", "languages"): "language",
    ("hearings", "languages"): "language",
    ("services", "kind"): "service_kind",
    ("agreements", "kind"): "agreement_kind",
    ("agreements", "premises_terms"): "premises_terms",
    ("structures", "kind"): "structure_kind",
    ("coordinators", "title"): "coordinator_title",
    ("commitments", "topics"): "topic",
    ("welfare_reports", "kind"): "welfare_report_kind",
    ("funders", "kind"): "funder_kind",
    ("joint_authorities", "organises"): "organises",
}


def _values(vocabulary: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, words in VOCABULARIES[vocabulary].items():
        for word in (str(value), *words):
            table.setdefault(header_key(word), str(value))
    return table


VALUES: Final[Mapping[str, Mapping[str, str]]] = {name: _values(name) for name in VOCABULARIES}


def value_for(vocabulary: str, text: str) -> str | None:
    """The dataset's value a word means (``Toiminta-avustus`` → ``operating_grant``), or None."""
    return VALUES[vocabulary].get(header_key(text))


def markdown_tables() -> str:
    """docs/import.md's tables of these words (a test keeps the page equal to this)."""
    out = ["| collection | column | Finnish | Swedish |", "| --- | --- | --- | --- |"]
    for collection in COLLECTIONS:
        for column in _all_columns(collection):
            fi, sv = _words(collection, column)
            out.append(f"| {collection} | `{column}` | {', '.join(fi)} | {', '.join(sv)} |")
    out += ["", "| vocabulary | value | words (Finnish, Swedish, others) |", "| --- | --- | --- |"]
    for vocabulary, table in VOCABULARIES.items():
        for value, words in table.items():
            out.append(f"| {vocabulary} | `{value}` | {', '.join(words)} |")
    return "\n".join(out) + "\n"
