"""The plugin authors' catalogue check finds each way a catalogue falls short."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from jarjesto_core.catalogues import (
    MessageId,
    catalogue_problems,
    code_problem,
    marked_messages,
    plural_problem,
)

MESSAGES = ("%(name)s met", "No council exists.")


def package(tmp_path: Path, translations: dict[str, dict[str, str]], *, stale: str = "") -> Path:
    root = tmp_path / "region"
    root.mkdir()
    (root / "rules.py").write_text(
        "from jarjesto_core.i18n import N_\n" + "".join(f"N_({m!r})\n" for m in MESSAGES)
    )
    for lang, texts in translations.items():
        folder = root / "locale" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        catalogue = Catalog(locale=lang)
        for msgid, text in texts.items():
            catalogue.add(msgid, text)
        with (folder / "region.po").open("wb") as handle:
            write_po(handle, catalogue)
        if lang == stale:
            catalogue.add("extra", "ylimääräinen")
        with (folder / "region.mo").open("wb") as handle:
            write_mo(handle, catalogue)
    return root


def complete() -> dict[str, dict[str, str]]:
    return {
        "fi": {MESSAGES[0]: "%(name)s kokoontui", MESSAGES[1]: "Neuvottelukuntaa ei ole."},
        "sv": {MESSAGES[0]: "%(name)s sammanträdde", MESSAGES[1]: "Ingen delegation finns."},
        "en": {m: m for m in MESSAGES},
    }


def test_complete_catalogues_have_no_problems(tmp_path: Path) -> None:
    root = package(tmp_path, complete())
    assert marked_messages(root) == set(MESSAGES)
    assert catalogue_problems(root, "region") == []


def test_each_shortfall_is_named(tmp_path: Path) -> None:
    texts = complete()
    texts["fi"][MESSAGES[1]] = ""
    texts["sv"][MESSAGES[0]] = "%(namn)s sammanträdde"
    texts["en"][MESSAGES[1]] = "No council."
    root = package(tmp_path, texts, stale="sv")
    assert catalogue_problems(root, "region") == [
        "fi: no translation for 'No council exists.'",
        "sv: placeholders differ in '%(name)s met' -> '%(namn)s sammanträdde'",
        f"{root}/locale/sv/LC_MESSAGES/region.mo: not compiled from region.po",
        "en: 'No council exists.' is translated as 'No council.'",
    ]


def test_a_missing_language_is_named(tmp_path: Path) -> None:
    texts = complete()
    del texts["sv"]
    root = package(tmp_path, texts)
    assert catalogue_problems(root, "region") == [
        f"{root}/locale/sv/LC_MESSAGES/region.po: missing"
    ]


@pytest.mark.parametrize(
    "msgid",
    [
        "%(count)d grant(s) ended.",
        "%(count)d grants ended.",
        "Operating grants are paid: %(total)s in %(count)s grants.",
        "%(linked)d of %(total)d services are linked.",
        ("One parish(es)", "%(count)d parishes"),
    ],
)
def test_a_count_in_a_sentence_needs_a_plural_form(msgid: MessageId) -> None:
    assert plural_problem(msgid)


@pytest.mark.parametrize(
    "msgid",
    [
        "No grant ended in %(year)d.",
        "%(percent)d %% of the organisations were heard.",
        "Wellbeing areas (%(count)s)",
        "the file holds: %(collection)s; total: %(total)s",
        ("One grant ended.", "%(count)d grants ended."),
        "Records %(first)s–%(last)s",
    ],
)
def test_years_percentages_figures_and_plurals_pass(msgid: MessageId) -> None:
    assert plural_problem(msgid) is None


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Tietoa %(id)s ei ole.", True),
        ("%(id)s poistettiin.", True),
        ("järjestöillä %(ids)s on sama nimi", True),
        ("rivi %(row)s: %(id)s: pakollinen kenttä puuttuu", False),  # a locator
        ("lisättiin 3 tietoa: %(ids)s", False),  # a list after the last colon
        ("”%(id)s” poistettiin.", False),  # quoted as data
        ("Kunta %(municipality)s", False),  # a name
        (("Yksi %(party_code)s", "%(count)d %(party_code)s"), True),
    ],
)
def test_an_id_or_code_in_finnish_or_swedish_prose_is_named(text: object, wrong: bool) -> None:
    assert bool(code_problem(text)) is wrong
