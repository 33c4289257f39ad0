"""Plural messages and the reader's number, money, percent and date conventions.

The catalogues' Plural-Forms must be Babel's rule for each language, the
``NP_`` marker must reach the catalogues through ``babel.cfg``, and a plural
message must pick its form by count in fi, sv and en.
"""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from pathlib import Path

import pytest
from babel.core import Locale
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.numbers import parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core.i18n import (
    DOMAIN,
    LOCALE_DIR,
    NP_,
    Plural,
    format_date,
    format_money,
    format_number,
    format_percent,
    format_year_span,
    ngettext,
    translate,
    translations,
)
from jarjesto_core.rules.base import render_message

ROOT = Path(__file__).resolve().parents[1]
JUDGED = NP_(
    "%(judged)d of %(count)d applicable criterion judged",
    "%(judged)d of %(count)d applicable criteria judged",
)
NBSP = "\xa0"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_catalogues_use_babels_plural_rule(lang: str) -> None:
    header = translations(lang, DOMAIN, str(LOCALE_DIR)).info()["plural-forms"]
    assert header == get_plural(lang).plural_forms
    assert header == "nplurals=2; plural=(n != 1);"
    # The CLDR rule agrees: one form for exactly 1, the other for the rest.
    rule = Locale.parse(lang).plural_form
    assert [rule(n) for n in (0, 1, 2, 21, 1000)] == ["other", "one", "other", "other", "other"]


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        (
            "fi",
            "1 sovellettavasta kriteeristä arvioitiin 1",
            "14 sovellettavasta kriteeristä arvioitiin 8",
        ),
        ("sv", "1 av 1 tillämpligt kriterium bedömdes", "8 av 14 tillämpliga kriterier bedömdes"),
        ("en", "1 of 1 applicable criterion judged", "8 of 14 applicable criteria judged"),
    ],
)
def test_a_plural_message_takes_its_form_from_the_count(lang: str, one: str, many: str) -> None:
    assert translate(JUDGED, lang, {"judged": 1, "count": 1}) == one
    assert translate(JUDGED, lang, {"judged": 8, "count": 14}) == many
    assert render_message(JUDGED, {"judged": 8, "count": 14}, lang) == many
    assert ngettext(str(JUDGED), JUDGED.plural, 14, lang, {"judged": 8}) == many


def test_a_plural_msgid_is_its_singular_and_survives_pickling() -> None:
    message = NP_("One grant ended.", "%(n)d grants ended.", count="n")
    assert isinstance(message, str)
    assert message == "One grant ended."
    assert (message.plural, message.count_key) == ("%(n)d grants ended.", "n")
    copy = pickle.loads(pickle.dumps(message))
    assert isinstance(copy, Plural)
    assert (str(copy), copy.plural, copy.count_key) == (str(message), message.plural, "n")
    # Not in any catalogue: English, by the count.
    assert translate(message, "fi", {"n": 1}) == "One grant ended."
    assert translate(message, "fi", {"n": 0}) == "0 grants ended."


def test_a_plural_message_without_its_count_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="count"):
        translate(JUDGED, "fi", {"judged": 1})
    with pytest.raises(TypeError, match="number"):
        translate(JUDGED, "fi", {"judged": 1, "count": "3"})


def test_babel_cfg_extracts_the_plural_marker(tmp_path: Path) -> None:
    package = tmp_path / "src" / "region"
    package.mkdir(parents=True)
    (package / "rules.py").write_text(
        "from jarjesto_core.i18n import N_, NP_\n"
        "N_('No council exists.')\n"
        "NP_('One council met.', '%(count)d councils met.')\n"
    )
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {m for _f, _l, m, _c, _x in extract_from_dir(tmp_path, method_map, options_map)}
    assert found == {"No council exists.", ("One council met.", "%(count)d councils met.")}


@pytest.mark.parametrize(
    ("lang", "percent", "money", "whole", "date", "number"),
    [
        ("fi", f"57,7{NBSP}%", f"1{NBSP}234,50{NBSP}€", f"14{NBSP}000{NBSP}€", "1.1.2021", "0,03"),
        ("sv", f"57,7{NBSP}%", f"1{NBSP}234,50{NBSP}€", f"14{NBSP}000{NBSP}€", "1.1.2021", "0,03"),
        ("en", "57.7%", "€1,234.50", "€14,000", "1 January 2021", "0.03"),
    ],
)
def test_numbers_money_and_dates_in_the_readers_conventions(
    lang: str, percent: str, money: str, whole: str, date: str, number: str
) -> None:
    assert format_percent(0.577, lang) == percent
    assert format_percent(0.25, lang) == percent.replace("57,7", "25").replace("57.7", "25")
    assert format_money(Decimal("1234.50"), lang) == money
    assert format_money(Decimal("14000"), lang) == whole
    assert format_money(14000, lang) == whole
    assert format_date(dt.date(2021, 1, 1), lang) == date
    assert format_number(0.0312, lang, digits=2) == number
    assert render_message("%(amount)s", {"amount": Decimal("14000.00")}, lang) == whole
    assert render_message("%(day)s", {"day": dt.date(2021, 1, 1)}, lang) == date


def test_year_spans_use_an_en_dash() -> None:
    assert format_year_span(2023, 2025) == "2023–2025"
    assert format_year_span(2025, 2025) == "2025"


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.sampled_from(["fi", "sv", "en"]),
)
def test_formatted_numbers_read_back_as_the_same_number(value: Decimal, lang: str) -> None:
    locale = {"en": "en_GB", "sv": "sv_FI"}.get(lang, lang)
    assert parse_decimal(format_number(value, lang, digits=2), locale=locale) == value


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["fi", "sv", "en"]))
def test_every_count_gets_the_form_of_its_number(n: int, lang: str) -> None:
    text = translate(JUDGED, lang, {"judged": 0, "count": n})
    singular = {"fi": "kriteeristä", "sv": "tillämpligt kriterium", "en": "criterion judged"}
    plural = {"fi": "kriteeristä", "sv": "tillämpliga kriterier", "en": "criteria judged"}
    assert (singular if n == 1 else plural)[lang] in text
    assert str(n) in text
