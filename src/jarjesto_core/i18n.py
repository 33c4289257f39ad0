"""Translations: gettext catalogues for fi, sv and en, compiled into the package.

Messages are written in English as gettext msgids and marked with ``N_`` where
they are defined, so Babel's extractor finds them (``nox -s i18n``); they are
translated when shown, in the language the reader asked for. Plugins bring
their own catalogue domains and pass them here.

A message with a count is marked with ``NP_(singular, plural)``: it stays a
msgid (its singular) that also knows its plural and which parameter is the
count, so a rule's verdict can carry it and :func:`translate` picks the form
with ``ngettext`` by Babel's plural rules when the report is rendered. Numbers,
money, percentages and dates go through the ``format_*`` helpers, which ask
Babel for the reader's conventions ("57,7 %", "1 234,50 €", "1.1.2021").
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "NP_",
    "N_",
    "Plural",
    "format_date",
    "format_money",
    "format_number",
    "format_percent",
    "format_year_span",
    "language_from_env",
    "ngettext",
    "translate",
    "translations",
]

DOMAIN: Final = "jarjesto"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
SUPPORTED: Final = ("fi", "sv", "en")
DEFAULT_LANGUAGE: Final = "fi"


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet."""
    return message


class Plural(str):
    """A msgid with a plural form: its text is the singular, so it goes wherever a msgid goes.

    ``count_key`` names the parameter that chooses the form. Being a ``str``, it
    fits :class:`~jarjesto_core.rules.base.Verdict` and every table of msgids
    unchanged; only :func:`translate` looks at the plural.
    """

    __slots__ = ("count_key", "plural")
    plural: str
    count_key: str

    def __new__(cls, singular: str, plural: str, count: str = "count") -> Plural:
        self = super().__new__(cls, singular)
        self.plural = plural
        self.count_key = count
        return self

    def __repr__(self) -> str:
        return f"NP_({str(self)!r}, {self.plural!r}, count={self.count_key!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Plural, (str(self), self.plural, self.count_key))


def NP_(singular: str, plural: str, count: str = "count") -> Plural:
    """Mark a message with a count (``%(count)d``) for extraction as a plural message.

    Babel finds it through the ``NP_:1,2`` keyword in ``babel.cfg``. The
    singular may spell the number out ("One grant ended."); the parameter
    ``count`` (or another name given here) picks the form when rendered.
    """
    return Plural(singular, plural, count)


@functools.cache
def translations(
    lang: str, domain: str = DOMAIN, localedir: str = str(LOCALE_DIR)
) -> gettext.NullTranslations:
    """The compiled catalogue for ``lang``; a missing one falls back to the msgid (English)."""
    return gettext.translation(domain, localedir, languages=[lang], fallback=True)


def translate(
    message: str,
    lang: str,
    params: Mapping[str, Any] | None = None,
    *,
    domain: str = DOMAIN,
    localedir: Path = LOCALE_DIR,
) -> str:
    """``message`` in ``lang`` with ``params`` filled in; a :class:`Plural` by its count."""
    catalogue = translations(lang, domain, str(localedir))
    if isinstance(message, Plural):
        key = message.count_key
        if not params or key not in params:
            raise KeyError(f"plural message {message!r} needs the parameter {key!r}")
        text = catalogue.ngettext(str(message), message.plural, _as_count(params[key]))
    else:
        text = catalogue.gettext(message)
    return text % dict(params) if params else text


def ngettext(
    singular: str,
    plural: str,
    n: int,
    lang: str,
    params: Mapping[str, Any] | None = None,
    *,
    domain: str = DOMAIN,
    localedir: Path = LOCALE_DIR,
) -> str:
    """The form of a plural message for ``n`` in ``lang``; ``params`` get ``count`` = ``n``."""
    values = {"count": n, **(params or {})}
    return translate(Plural(singular, plural), lang, values, domain=domain, localedir=localedir)


def _as_count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"a plural count must be a number, not {value!r}")
    return int(value)


def _locale(lang: str) -> str:
    # British English: "1 January 2025", "€1,234.50"; fi and sv as written in Finland.
    return {"en": "en_GB", "sv": "sv_FI"}.get(lang, lang)


def format_number(value: int | float | Decimal, lang: str, *, digits: int | None = None) -> str:
    """A number by the reader's conventions: fi/sv "14 000", "0,03"; en "14,000", "0.03".

    ``digits`` rounds to that many decimals (and shows no more).
    """
    from babel.numbers import format_decimal

    if digits is not None:
        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=_locale(lang))
    return format_decimal(value, locale=_locale(lang))


def format_percent(value: float | Decimal, lang: str, *, digits: int = 1) -> str:
    """A share (0.577) as a percentage: fi/sv "57,7 %", en "57.7%"; whole numbers without decimals.

    ``digits`` is the most decimals shown (trailing zeros dropped).
    """
    from babel.core import Locale
    from babel.numbers import format_percent as babel_percent

    pattern = Locale.parse(_locale(lang)).percent_formats[None].pattern
    if digits:
        pattern = pattern.replace("#,##0", "#,##0." + "#" * digits, 1)
    return babel_percent(value, format=pattern, locale=_locale(lang))


def format_money(value: int | float | Decimal, lang: str) -> str:
    """Euros: fi/sv "1 234,50 €", en "€1,234.50"; a whole sum without cents ("14 000 €")."""
    from babel.numbers import format_currency

    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if amount == amount.to_integral_value():
        return format_currency(amount, "EUR", locale=_locale(lang), currency_digits=False,
                               format=_whole_currency_pattern(lang))  # fmt: skip
    return format_currency(amount, "EUR", locale=_locale(lang))


@functools.cache
def _whole_currency_pattern(lang: str) -> str:
    from babel.core import Locale

    pattern = Locale.parse(_locale(lang)).currency_formats["standard"].pattern
    return str(pattern).split(";")[0].replace("#,##0.00", "#,##0")


def format_date(value: dt.date, lang: str) -> str:
    """A date in prose: fi and sv "1.1.2025", en "1 January 2025" (ISO only in data)."""
    from babel.dates import format_date as babel_date

    pattern = "d MMMM y" if lang == "en" else "d.M.y"
    return babel_date(value, format=pattern, locale=_locale(lang))


def format_year_span(first: int, last: int) -> str:
    """Years from ``first`` to ``last`` with an en dash and no spaces: "2023–2025"."""
    return str(first) if first == last else f"{first}–{last}"


def language_from_env(environ: Mapping[str, str]) -> str:
    """fi, sv or en from ``LC_ALL``/``LC_MESSAGES``/``LANG`` (``sv_FI.UTF-8`` → sv), else fi."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        code = value.split(".")[0].split("_")[0].lower()
        if code in SUPPORTED:
            return code
    return DEFAULT_LANGUAGE
