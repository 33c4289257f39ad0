"""The core's citable sources: the publishers' documents and the acts of ``spec/sources.md``.

Only what that catalogue states is here: titles, publishers, dates and parts
in the languages it gives, and links only where an address was checked. The
SOSTE election pages are campaign pages that are reused for later elections,
so they are named by the address the documents print, not linked. An act's
English name is Finlex's unofficial translation where known, else a
description in lower case.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from jarjesto_core.model import Name
from jarjesto_core.sources import Source, SourceKind

__all__ = ["CORE_SOURCES"]


def _n(fi: str, sv: str | None = None, en: str | None = None) -> Name:
    return Name(fi=fi, sv=sv, en=en)


SOSTE: Final = _n("SOSTE", "SOSTE", "SOSTE")

_TOIMENPITEET = {
    "2": (
        "palvelut ja neuvonta osaksi palvelupolkuja",
        "tjänster och råd i servicestigar",
        "services in service paths",
    ),
    "3": (
        "kuuleminen, kumppanuus, asukasraadit, vanhus- ja vammaisneuvostot",
        "hörande, partnerskap, befolkningspaneler, råd för äldre och funktionshindrade",
        "hearing, partnership, resident panels, councils",
    ),
    "4": ("järjestökoordinaattori", "organisationskoordinator", "organisation coordinator"),
    "5": (
        "järjestöavustusten rahoitus hyte-määrärahoista",
        "finansiering av organisationsbidrag i anslagen för främjande av hälsa och välfärd",
        "grants reserved in the health and wellbeing promotion appropriations",
    ),
    "6": (
        "maksuttomat tai kohtuuhintaiset toimitilat",
        "gratis eller förmånliga lokaler",
        "free or affordable premises",
    ),
    "7": (
        "rahoitusvastuusta sovittava hyvinvointialueen kanssa",
        "ekonomiskt ansvar avtalas med välfärdsområdet",
        "funding responsibility agreed with the wellbeing services county",
    ),
}

SOSTE_KUNTAVAALIT_2021: Final = Source(
    key="soste-kuntavaalit-2021",
    kind=SourceKind.DOCUMENT,
    publisher=SOSTE,
    title=_n("Kuntavaalit 2021", "Kommunalvalet 2021"),
    gloss=Name(en="Municipal elections 2021"),
    date=_n("2021", "2021", "2021"),
    where=_n("soste.fi/kuntavaalit", "soste.fi/kommunalvalet", "soste.fi/kuntavaalit"),
    parts={
        "tavoite-2": _n(
            "tavoite 2 ”Aktiivinen kansalaisyhteiskunta on kunnan sydän”",
            "tes 2 ”Det aktiva medborgarsamhället är kommunens hjärta”",
            'goal 2 "An active civil society is the heart of the municipality"',
        ),
        "osallisuus": _n(
            "kohta Osallisuus", "avsnittet Inkludering", 'section "Osallisuus" (participation)'
        ),
        "yhteistyo": _n(
            "kohta Yhteistyö", "avsnittet Samarbete", 'section "Yhteistyö" (cooperation)'
        ),
        "jarjestojen-tuki": _n(
            "kohta Järjestöjen tuki",
            "avsnittet Stöd åt organisationer",
            'section "Järjestöjen tuki" (support for organisations)',
        ),
        "sote-uudistus": _n(
            "kohta Sote-uudistus",
            "avsnittet Social- och hälsovårdsreformen",
            'section "Sote-uudistus" (the health and social services reform)',
        ),
        "toimenpiteet": _n(
            "Toimenpiteet kunnissa",
            "Åtgärder i kommuner",
            '"Toimenpiteet kunnissa" (measures in municipalities)',
        ),
        **{
            f"toimenpiteet.{n}": _n(
                f"Toimenpiteet kunnissa ({fi})",
                f"Åtgärder i kommuner ({sv})",
                f'"Toimenpiteet kunnissa" (measures in municipalities: {en})',
            )
            for n, (fi, sv, en) in _TOIMENPITEET.items()
        },
        "hyvat-kaytannot": _n(
            "Hyvät käytännöt: reilua ja rakentavaa järjestö-kuntakumppanuutta",
            "Hyvät käytännöt [God praxis: rättvist och konstruktivt partnerskap]",
            '"Hyvät käytännöt" (good practice: fair and constructive partnership)',
        ),
    },
)

SOSTE_ALUEVAALIT_2022: Final = Source(
    key="soste-aluevaalit-2022",
    kind=SourceKind.DOCUMENT,
    publisher=SOSTE,
    title=_n("Aluevaalit 2022", "SOSTE:s områdesvalsmålsättningar"),
    gloss=Name(en="County elections 2022"),
    where=_n("soste.fi/aluevaalit", "soste.fi/aluevaalit", "soste.fi/aluevaalit"),
    parts={
        "tavoite-1": _n(
            "tavoite 1: järjestöjen toiminta osaksi hyvinvointialuestrategiaa",
            "Målsättning 1: Organisationernas verksamhet en del av välfärdsområdesstrategin",
            "goal 1: organisations' work as part of the county strategy",
        ),
        "tavoite-2": _n(
            "tavoite 2 ”Järjestöjen ja alueiden yhteistyölle on luotava toimivat rakenteet”",
            "Målsättning 2: Fungerande strukturer måste skapas för samarbete mellan "
            "organisationerna och områdena",
            'goal 2 "Järjestöjen ja alueiden yhteistyölle on luotava toimivat rakenteet" '
            "(working structures for cooperation between organisations and counties)",
        ),
        "tavoite-3": _n(
            "tavoite 3 ”Järjestöjen toimintaedellytykset on turvattava”",
            "Målsättning 3: Organisationernas verksamhetsförutsättningar måste tryggas",
            'goal 3 "Järjestöjen toimintaedellytykset on turvattava" '
            "(organisations' operating conditions must be secured)",
        ),
    },
)

KUNTALIITTO_IDEER_2022: Final = Source(
    key="kuntaliitto-ideer-samarbete-2022",
    kind=SourceKind.DOCUMENT,
    original="sv",
    publisher=_n("Kuntaliitto", "Kommunförbundet", "Kuntaliitto"),
    title=Name(
        sv="Idéer för samarbete mellan kommuner och organisationer för bättre hälsa och välfärd"
    ),
    gloss=_n(
        "Ideoita kuntien ja järjestöjen yhteistyöhön",
        None,
        "Ideas for cooperation between municipalities and organisations for better health "
        "and wellbeing",
    ),
    date=_n("2022", "2022", "2022"),
    links={
        "sv": "https://www.kommunforbundet.fi/aktuellt/2022/"
        "ideer-samarbete-mellan-kommuner-och-organisationer-battre-halsa-och-valfard"
    },
    parts={
        "omraden": _n(
            "viisi aluetta [De fem områdena]",
            "De fem områdena",
            "the five areas [De fem områdena]",
        ),
        "tva-sprak": _n(
            "jakso ”Tänk på två språk och gör tröskeln låg för samarbete”",
            "avsnittet ”Tänk på två språk och gör tröskeln låg för samarbete”",
            'section "Tänk på två språk och gör tröskeln låg för samarbete" '
            "(think of two languages)",
        ),
        "forslag-tva-sprak": _n(
            "ehdotus suomen- ja ruotsinkielisten järjestöjen osallisuudesta",
            "förslaget ”Beakta systematiskt både finsk- och svenskspråkiga organisationers "
            "delaktighet och verksamhetsutbud”",
            "the proposal to include both Finnish- and Swedish-speaking organisations",
        ),
        "forslag-moten-och-forum": _n(
            "ehdotus säännöllisistä tapaamisista, yhdistysfoorumeista ja digitaalisista välineistä",
            "förslaget om regelbundna möten, föreningsforum och digitala verktyg",
            "the proposal on regular meetings, association forums and digital tools",
        ),
        "lagstadgade-uppgifter": _n(
            "jakso hyvinvoinnin edistämisestä kaikissa lakisääteisissä tehtävissä",
            "avsnittet ”Välfärdsfrämjande arbete inom alla lagstadgade uppgifter i kommunen”",
            "the section on wellbeing promotion in all statutory tasks",
        ),
    },
)

VSLJ_MLL_2022: Final = Source(
    key="vslj-mll-kannanotto-2022",
    kind=SourceKind.DOCUMENT,
    publisher=Name(
        fi="Varsinais-Suomen Lastensuojelujärjestöt ry ja MLL:n Varsinais-Suomen piiri ry"
    ),
    title=_n("kannanotto", "ställningstagande (på finska)", "opinion (in Finnish)"),
    date=_n("tammikuu 2022", "januari 2022", "January 2022"),
    parts={
        "jarjestamislaki": _n(
            "järjestämislaki", "lagen om ordnande av social- och hälsovård", "the organising act"
        ),
        "strategia": _n(
            "hyvinvointialueen strategia", "välfärdsområdesstrategin", "the county strategy"
        ),
        "avustusten-jatkuminen": _n(
            "avustusten jatkuminen ilman katkoksia",
            "bidragen fortsätter utan avbrott",
            "grants continue without interruption",
        ),
        "tietojohtaminen": _n(
            "tietojohtaminen", "kunskapsbaserad ledning", "knowledge-based management"
        ),
        "perhekeskus": _n("perhekeskukset", "familjecentraler", "family centres"),
        "jarjestokoordinaattori": _n(
            "järjestökoordinaattori", "organisationskoordinator", "organisation coordinator"
        ),
    },
)

POHJOIS_POHJANMAA_2020: Final = Source(
    key="pohjois-pohjanmaa-jarjestoystavallinen-kunta",
    kind=SourceKind.DOCUMENT,
    publisher=Name(fi="Pohjois-Pohjanmaan järjestöneuvottelukunta"),
    title=Name(fi="Järjestöystävällinen kunta ja maakunta"),
    gloss=Name(
        sv="Organisationsvänlig kommun och landskap",
        en="Organisation-friendly municipality and region",
    ),
    links={
        "fi": "https://www.ihimiset.fi/jarjestoystavallinen-pohjois-pohjanmaa/"
        "jarjestoystavallinen-kunta-ja-maakunta/"
    },
    parts={f"kohta-{n}": _n(f"kohta {n}", f"punkt {n}", f"point {n}") for n in range(1, 8)},
)


def _law(
    key: str,
    number: str,
    names: tuple[str, str, str],
    sections: Sequence[tuple[str, str, str]] = (),
    links: dict[str, str] | None = None,
    note: Name | None = None,
) -> Source:
    """An act: its name in fi, sv and en, its number, and the sections rules cite.

    A section's heading is given where sources.md has it; otherwise the number.
    """
    return Source(
        key=key,
        kind=SourceKind.LAW,
        title=_n(*names),
        number=number,
        links=links or {},
        note=note,
        parts={number_: _n(fi or number_, sv or fi or number_) for number_, fi, sv in sections},
    )


LAWS: Final = (
    _law(
        "kuntalaki-410-2015",
        "410/2015",
        ("Kuntalaki", "Kommunallag", "Local Government Act"),
        (
            ("22", "Osallistumis- ja vaikuttamismahdollisuudet", ""),
            ("26", "Nuorisovaltuusto", "Ungdomsfullmäktige"),
            ("27", "Vanhusneuvosto", "Äldreråd"),
            ("28", "Vammaisneuvosto", "Råd för personer med funktionsnedsättning"),
            ("29", "Viestintä", ""),
            ("37", "Kuntastrategia", "Kommunstrategi"),
        ),
    ),
    _law(
        "hyvinvointialuelaki-611-2021",
        "611/2021",
        (
            "Laki hyvinvointialueesta",
            "Lag om välfärdsområden",
            "Act on Wellbeing Services Counties",
        ),
        (
            ("29", "Osallistumis- ja vaikuttamismahdollisuudet", ""),
            ("32", "", ""),
            ("41", "Hyvinvointialuestrategia", "Välfärdsområdesstrategi"),
        ),
    ),
    _law(
        "jarjestamislaki-612-2021",
        "612/2021",
        (
            "Laki sosiaali- ja terveydenhuollon järjestämisestä",
            "Lag om ordnande av social- och hälsovård",
            "Act on Organising Healthcare and Social Welfare Services",
        ),
        (("6", "", ""), ("7", "", "")),
    ),
    _law(
        "voimaanpanolaki-616-2021",
        "616/2021",
        (
            "voimaanpanolaki",
            "införandelagen",
            "the act implementing the health and social services reform",
        ),
    ),
    _law(
        "kielilaki-423-2003",
        "423/2003",
        ("Kielilaki", "Språklag", "Language Act"),
        (
            ("5", "Kielellinen jaotus", ""),
            ("6", "Yksi- ja kaksikielinen viranomainen", ""),
            ("23", "Viranomaisen velvollisuus toteuttaa kielellisiä oikeuksia", ""),
            ("32", "Viranomaisten tiedottaminen", ""),
        ),
        links={"fi": "https://finlex.fi/fi/laki/ajantasa/2003/20030423"},
    ),
    _law(
        "hankintalaki-1397-2016",
        "1397/2016",
        (
            "Laki julkisista hankinnoista ja käyttöoikeussopimuksista",
            "Lag om offentlig upphandling och koncession",
            "Act on Public Procurement and Concession Contracts",
        ),
        (("75", "Hankinnan jakaminen osiin", ""),),
    ),
    _law(
        "palvelusetelilaki-569-2009",
        "569/2009",
        (
            "Laki sosiaali- ja terveydenhuollon palvelusetelistä",
            "Lag om servicesedlar inom social- och hälsovården",
            "the act on service vouchers in social welfare and health care",
        ),
    ),
    _law(
        "terveydenhuoltolaki-1326-2010",
        "1326/2010",
        ("Terveydenhuoltolaki", "Hälso- och sjukvårdslag", "Health Care Act"),
        (("12", "", ""),),
        # Cited only for years before 2023, in the text of that time (sources.md 4.2).
        note=_n(
            "sellaisena kuin se oli voimassa 31.12.2022",
            "i den lydelse som gällde 31.12.2022",
            "as in force on 31 December 2022",
        ),
    ),
)

#: Every source the core registers (``register_sources`` of the ``core`` plugin).
CORE_SOURCES: Final[Sequence[Source]] = (
    SOSTE_KUNTAVAALIT_2021,
    SOSTE_ALUEVAALIT_2022,
    KUNTALIITTO_IDEER_2022,
    VSLJ_MLL_2022,
    POHJOIS_POHJANMAA_2020,
    *LAWS,
)
