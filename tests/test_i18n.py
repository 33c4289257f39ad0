"""The catalogues: every message a person reads exists in fi, sv and en.

These fail when a message is added in code but not to the catalogues, when a
catalogue lacks a translation, when a translation drops a placeholder, or when
the compiled .mo files are older than the .po files they come from.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from jarjesto_core.i18n import DOMAIN, LOCALE_DIR

SRC = Path(__file__).resolve().parents[1] / "src"
LANGS = ("fi", "sv", "en")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]")


def catalogue(lang: str) -> dict[str, str]:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def source_messages() -> set[str]:
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(SRC / "jarjesto_core"), method_map, keywords={"N_": None, "_": None, "gettext": None}
    ):
        found.add(message)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_source_message_is_in_the_catalogue(lang: str) -> None:
    missing = source_messages() - set(catalogue(lang))
    assert not missing, f"run `nox -s i18n`; not in {lang}: {sorted(missing)[:10]}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_with_its_placeholders(lang: str) -> None:
    for msgid, msgstr in catalogue(lang).items():
        assert msgstr, f"{lang}: no translation for {msgid!r}"
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(msgstr)), (
            f"{lang}: placeholders differ in {msgid!r} -> {msgstr!r}"
        )


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogue_matches_the_po_file(lang: str) -> None:
    compiled = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
    for msgid, msgstr in catalogue(lang).items():
        assert compiled.gettext(msgid) == msgstr, f"{lang}: .mo is stale for {msgid!r}"


def test_finnish_and_swedish_differ_from_english() -> None:
    fi, sv = catalogue("fi"), catalogue("sv")

    def wordy(msgid: str) -> bool:
        return len(re.sub(r"[^a-z]", "", PLACEHOLDER.sub("", msgid))) > 15

    same = [m for m in fi if wordy(m) and (fi[m] == m or sv[m] == m)]
    assert not same, f"copied, not translated: {same[:5]}"
