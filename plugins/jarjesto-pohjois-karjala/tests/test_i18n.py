"""Every message of the plugin is translated in fi, sv and en, and the .mo files are compiled."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import jarjesto_pohjois_karjala as plugin

PACKAGE = Path(plugin.__file__).parent
DOMAIN = "jarjesto_pohjois_karjala"
LANGUAGES = ("fi", "sv", "en")


def msgids() -> set[str]:
    found = extract_from_dir(PACKAGE, keywords={"N_": None}, method_map=[("**.py", "python")])
    return {
        message for _file, _line, message, _comments, _context in found if isinstance(message, str)
    }


def test_the_plugin_has_messages() -> None:
    assert msgids()


def test_rules_point_at_the_plugins_catalogue() -> None:
    for rule in plugin.register_rules():
        assert (rule.i18n_domain, rule.localedir) == (DOMAIN, PACKAGE / "locale")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang: str) -> None:
    catalogue = gettext.translation(DOMAIN, PACKAGE / "locale", languages=[lang])
    untranslated = sorted(m for m in msgids() if m not in catalogue._catalog)  # type: ignore[attr-defined]
    assert untranslated == []
    for message in msgids():
        text = catalogue.gettext(message)
        assert text.strip()
        assert sorted(_placeholders(text)) == sorted(_placeholders(message)), message
        if lang == "en":
            assert text == message


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_its_source(lang: str) -> None:
    po = PACKAGE / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as f:
        source = {m.id: m.string for m in read_po(f) if m.id}
    with po.with_suffix(".mo").open("rb") as f:
        compiled = {m.id: m.string for m in read_mo(f) if m.id}
    assert compiled == source


def _placeholders(text: str) -> list[str]:
    return re.findall(r"%\(\w+\)[sd]", text)
