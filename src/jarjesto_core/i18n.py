"""Translations: gettext catalogues for fi, sv and en, compiled into the package.

Messages are written in English as gettext msgids and marked with ``N_`` where
they are defined, so Babel's extractor finds them (``nox -s i18n``); they are
translated when shown, in the language the reader asked for. Plugins bring
their own catalogue domains and pass them here.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

__all__ = ["DOMAIN", "LOCALE_DIR", "N_", "language_from_env", "translate", "translations"]

DOMAIN: Final = "jarjesto"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
SUPPORTED: Final = ("fi", "sv", "en")
DEFAULT_LANGUAGE: Final = "fi"


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet."""
    return message


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
    text = translations(lang, domain, str(localedir)).gettext(message)
    return text % dict(params) if params else text


def language_from_env(environ: Mapping[str, str]) -> str:
    """fi, sv or en from ``LC_ALL``/``LC_MESSAGES``/``LANG`` (``sv_FI.UTF-8`` → sv), else fi."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        code = value.split(".")[0].split("_")[0].lower()
        if code in SUPPORTED:
            return code
    return DEFAULT_LANGUAGE
