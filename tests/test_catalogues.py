"""The plugin authors' catalogue check finds each way a catalogue falls short."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from jarjesto_core.catalogues import catalogue_problems, marked_messages

MESSAGES = ("%(count)s bodies met", "No council exists.")


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
        "fi": {MESSAGES[0]: "%(count)s elintä kokoontui", MESSAGES[1]: "Neuvottelukuntaa ei ole."},
        "sv": {MESSAGES[0]: "%(count)s organ sammanträdde", MESSAGES[1]: "Ingen delegation finns."},
        "en": {m: m for m in MESSAGES},
    }


def test_complete_catalogues_have_no_problems(tmp_path: Path) -> None:
    root = package(tmp_path, complete())
    assert marked_messages(root) == set(MESSAGES)
    assert catalogue_problems(root, "region") == []


def test_each_shortfall_is_named(tmp_path: Path) -> None:
    texts = complete()
    texts["fi"][MESSAGES[1]] = ""
    texts["sv"][MESSAGES[0]] = "%(antal)s organ sammanträdde"
    texts["en"][MESSAGES[1]] = "No council."
    root = package(tmp_path, texts, stale="sv")
    assert catalogue_problems(root, "region") == [
        "fi: no translation for 'No council exists.'",
        "sv: placeholders differ in '%(count)s bodies met' -> '%(antal)s organ sammanträdde'",
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
