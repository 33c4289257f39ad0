"""The catalogues: every message a person reads exists in fi, sv and en.

These fail when a message is added in code but not to the catalogues, when a
catalogue lacks a translation, when a translation drops a placeholder, or when
the compiled .mo files are older than the .po files they come from.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from jarjesto_core.catalogues import (
    KEYWORDS,
    MessageId,
    code_problem,
    plural_problem,
    translation_problem,
)
from jarjesto_core.i18n import DOMAIN, LOCALE_DIR

SRC = Path(__file__).resolve().parents[1] / "src"
LANGS = ("fi", "sv", "en")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]")


def catalogue(lang: str) -> dict[MessageId, Any]:
    """msgid -> msgstr; a plural message's id and text are tuples (singular, plural)."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def plain(lang: str) -> dict[str, str]:
    return {k: v for k, v in catalogue(lang).items() if isinstance(k, str)}


def source_messages() -> set[MessageId]:
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    found = set()
    keywords = {**KEYWORDS, "_": None, "gettext": None, "ngettext": (1, 2)}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(SRC / "jarjesto_core"), method_map, keywords=keywords
    ):
        found.add(message)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_source_message_is_in_the_catalogue(lang: str) -> None:
    missing = source_messages() - set(catalogue(lang))
    assert not missing, f"run `nox -s i18n`; not in {lang}: {sorted(map(str, missing))[:10]}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_with_its_placeholders(lang: str) -> None:
    for msgid, msgstr in catalogue(lang).items():
        assert translation_problem(msgid, msgstr) is None, f"{lang}: {msgid!r} -> {msgstr!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogue_matches_the_po_file(lang: str) -> None:
    compiled = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
    for msgid, msgstr in catalogue(lang).items():
        if isinstance(msgid, str):
            assert compiled.gettext(msgid) == msgstr, f"{lang}: .mo is stale for {msgid!r}"
        else:
            forms = (compiled.ngettext(msgid[0], msgid[1], 1), compiled.ngettext(*msgid, 2))
            assert forms == tuple(msgstr), f"{lang}: .mo is stale for {msgid!r}"


def test_finnish_and_swedish_differ_from_english() -> None:
    fi, sv = plain("fi"), plain("sv")

    def wordy(msgid: str) -> bool:
        return len(re.sub(r"[^a-z]", "", PLACEHOLDER.sub("", msgid))) > 15

    same = [m for m in fi if wordy(m) and (fi[m] == m or sv[m] == m)]
    assert not same, f"copied, not translated: {same[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_count_in_a_sentence_without_a_plural_and_no_id_in_prose(lang: str) -> None:
    """The catalogue checks plugin authors get (jarjesto_core.catalogues), on core's catalogue."""
    wrong = []
    for msgid, msgstr in catalogue(lang).items():
        if problem := plural_problem(msgid):
            wrong.append(f"{msgid!r}: {problem}")
        if lang != "en" and (problem := code_problem(msgstr)):
            wrong.append(f"{msgstr!r}: {problem}")
    assert not wrong, wrong
