"""Sources as data: citations a reader can trace, in the reader's language.

Every rule of every installed plugin cites registered sources; rendered, no
citation says "seed" or names an act in English inside a Finnish or Swedish
report; acts follow the citation forms of sources.md 4.1.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pluggy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core.assessment import assess
from jarjesto_core.files import sample_dataset
from jarjesto_core.model import Dataset, PartyRef
from jarjesto_core.plugins import get_plugin_manager
from jarjesto_core.reference import bundled_reference
from jarjesto_core.registry import build_registry
from jarjesto_core.sources import SourceError, SourceKind, law_sections, parse_citation

ROOT = Path(__file__).parent.parent
REGIONAL = {
    "pohjois_karjala": "jarjesto-pohjois-karjala",
    "tampere": "jarjesto-tampere",
    "varsinais_suomi": "jarjesto-varsinais-suomi",
}


def _with_regional_plugins() -> pluggy.PluginManager:
    """Every installed plugin, and the three regional ones from this repository if they
    are not installed (the core's suite runs without them)."""
    pm = get_plugin_manager()
    for name, folder in REGIONAL.items():
        if pm.get_plugin(name) is None:
            src = str(ROOT / "plugins" / folder / "src")
            if src not in sys.path:
                sys.path.append(src)
            pm.register(importlib.import_module(f"jarjesto_{name}"), name=name)
    return pm


REGISTRY = build_registry(_with_regional_plugins())
SOURCES = REGISTRY.sources
ENGLISH_ACT_NAMES = sorted(
    s.title.en
    for s in SOURCES.by_key.values()
    if s.kind is SourceKind.LAW and s.title.en is not None
)


@pytest.mark.parametrize(
    ("citation", "lang", "expected"),
    [
        ("kuntalaki-410-2015#22", "fi", "Kuntalaki (410/2015) 22 §"),
        ("kuntalaki-410-2015#22", "sv", "Kommunallag (410/2015) 22 §"),
        ("kuntalaki-410-2015#22", "en", "Local Government Act (410/2015), section 22"),
        ("kuntalaki-410-2015#26-28", "fi", "Kuntalaki (410/2015) 26–28 §"),
        ("kuntalaki-410-2015#26-28", "en", "Local Government Act (410/2015), sections 26–28"),
        (
            "jarjestamislaki-612-2021#6,7",
            "sv",
            "Lag om ordnande av social- och hälsovård (612/2021) 6 och 7 §",
        ),
        ("kielilaki-423-2003#5,23,32", "fi", "Kielilaki (423/2003) 5, 23 ja 32 §"),
        ("kielilaki-423-2003#6,23,32", "en", "Language Act (423/2003), sections 6, 23 and 32"),
        (
            "terveydenhuoltolaki-1326-2010#12",
            "sv",
            "Hälso- och sjukvårdslag (1326/2010) 12 § (i den lydelse som gällde 31.12.2022)",
        ),
        ("voimaanpanolaki-616-2021", "sv", "införandelagen (616/2021)"),
    ],
)
def test_acts_are_cited_in_the_form_of_each_language(
    citation: str, lang: str, expected: str
) -> None:
    assert SOURCES.render(citation, lang) == expected


def test_documents_render_publisher_title_and_part_in_the_readers_language() -> None:
    assert SOURCES.render("soste-kuntavaalit-2021#jarjestojen-tuki", "sv") == (
        "SOSTE: Kommunalvalet 2021, avsnittet Stöd åt organisationer, soste.fi/kommunalvalet"
    )
    assert SOURCES.render("soste-aluevaalit-2022#tavoite-3", "sv") == (
        "SOSTE: SOSTE:s områdesvalsmålsättningar, Målsättning 3: Organisationernas "
        "verksamhetsförutsättningar måste tryggas, soste.fi/aluevaalit"
    )
    # A document with no Swedish version keeps its original title, a translation in brackets.
    assert SOURCES.render("pohjois-pohjanmaa-jarjestoystavallinen-kunta#kohta-3", "sv") == (
        "Pohjois-Pohjanmaan järjestöneuvottelukunta: Järjestöystävällinen kunta ja maakunta "
        "[Organisationsvänlig kommun och landskap], punkt 3"
    )
    assert SOURCES.link("kuntaliitto-ideer-samarbete-2022#tva-sprak", "fi") == (
        "https://www.kommunforbundet.fi/aktuellt/2022/"
        "ideer-samarbete-mellan-kommuner-och-organisationer-battre-halsa-och-valfard"
    )


def test_every_rule_of_every_installed_plugin_cites_registered_sources() -> None:
    plugins = set(REGISTRY.rule_plugins.values())
    assert {"core", "pohjois_karjala", "tampere", "varsinais_suomi"} <= plugins
    for code, rule in REGISTRY.rules.items():
        cited = rule.all_sources()
        assert cited, f"{code} cites nothing"
        for citation in cited:
            SOURCES.resolve(citation)  # raises SourceError when it names nothing


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_rendered_sources_never_say_seed_nor_name_an_act_in_english_in_fi_or_sv(
    lang: str,
) -> None:
    for code, rule in REGISTRY.rules.items():
        for text, _link in SOURCES.rendered(rule.all_sources(), lang):
            assert "seed" not in text.lower(), (code, text)
            assert "spec/" not in text, (code, text)
            if lang != "en":
                for english in ENGLISH_ACT_NAMES:
                    assert english not in text, (code, lang, text)


def test_the_regional_plugins_cite_their_own_sources() -> None:
    cites = {code: set(rule.all_sources()) for code, rule in REGISTRY.rules.items()}
    assert "pohjois-karjala-jane" in cites["pohjois_karjala.jane"]
    assert "tampere-jarjestoedustamo" in cites["tampere.jarjestoedustamo"]
    assert "varsinais-suomi-perhekeskus" in cites["varsinais_suomi.family-centre-network"]
    assert REGISTRY.source_plugins["pohjois-karjala-jane"] == "pohjois_karjala"
    assert REGISTRY.source_plugins["tampere-jarjestoedustamo"] == "tampere"
    assert REGISTRY.source_plugins["varsinais-suomi-perhekeskus"] == "varsinais_suomi"


def _finding_sources(dataset: Dataset, year: int, party: PartyRef, rule: str) -> tuple[str, ...]:
    result = assess(dataset, year, [party], registry=REGISTRY, reference=bundled_reference())
    return next(f.sources for f in result.subjects[0].findings if f.rule == rule)


def test_a_finding_cites_the_act_of_its_subject_and_year() -> None:
    data = sample_dataset()
    municipality = _finding_sources(data, 2024, PartyRef.municipality("837"), "core.hearing")
    area = _finding_sources(data, 2024, PartyRef.area("14"), "core.hearing")
    assert "kuntalaki-410-2015#22" in municipality
    assert "hyvinvointialuelaki-611-2021#29" not in municipality
    assert "hyvinvointialuelaki-611-2021#29" in area
    # Before 2023 the organising act did not apply: the Health Care Act as it then stood.
    before = _finding_sources(data, 2022, PartyRef.municipality("837"), "core.grants")
    assert "terveydenhuoltolaki-1326-2010#12" in before
    assert not any(c.startswith("jarjestamislaki-612-2021") for c in before)
    # Åland has its own legislation: no act is cited there.
    mariehamn = _finding_sources(data, 2024, PartyRef.municipality("478"), "core.grants")
    assert mariehamn
    assert not any(SOURCES.resolve(c)[0].kind is SourceKind.LAW for c in mariehamn)


def test_the_json_report_keeps_keys_and_the_swedish_report_cites_in_swedish() -> None:
    result = assess(sample_dataset(), 2024, [PartyRef.municipality("837")], registry=REGISTRY)
    doc = result.as_json("sv")
    hearing = next(f for f in doc["subjects"][0]["findings"] if f["rule"] == "core.hearing")
    assert "kuntalaki-410-2015#22" in hearing["sources"]
    text = REGISTRY.report_formats["text"].render(result, "sv")
    assert "Kommunallag (410/2015) 22 §" in text
    assert "SOSTE: Kommunalvalet 2021" in text
    assert "Local Government Act" not in text
    assert "seed" not in text.lower()


@given(st.text(max_size=30))
def test_citations_that_name_nothing_are_refused_never_crash(text: str) -> None:
    try:
        SOURCES.resolve(text)
    except SourceError:
        return
    cited = parse_citation(text)
    assert cited.key in SOURCES


@given(st.lists(st.integers(1, 150), min_size=1, max_size=4))
def test_law_sections_of_a_list_are_those_listed(numbers: list[int]) -> None:
    assert law_sections(",".join(map(str, numbers))) == tuple(map(str, numbers))
