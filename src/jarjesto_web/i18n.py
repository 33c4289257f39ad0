"""The reader's language (fi, sv, en) through Flask-Babel, on the core's catalogues.

The web UI's own msgids live in the same ``jarjesto`` domain as the core's,
so one extraction and one set of fi/sv catalogues covers both. The choice
comes from ``?lang=``, then the session (set by the switch), then the
browser's Accept-Language, then Finnish.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request, session
from flask_babel import Babel, get_locale

from jarjesto_core.i18n import DEFAULT_LANGUAGE, DOMAIN, LOCALE_DIR, SUPPORTED, translate

__all__ = ["init_app", "lang", "pick", "t"]


def select_language() -> str:
    asked = request.args.get("lang")
    if asked in SUPPORTED:
        return asked
    chosen = session.get("lang")
    if chosen in SUPPORTED:
        return str(chosen)
    return request.accept_languages.best_match(SUPPORTED) or DEFAULT_LANGUAGE


def lang() -> str:
    """The language of this request: fi, sv or en."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def t(msgid: str, **params: Any) -> str:
    """A core-style msgid (``%(name)s`` placeholders) in the reader's language."""
    return translate(msgid, lang(), params or None)


def pick(name: Any) -> str:
    """A content name in the reader's language, falling back as :meth:`Name.pick` does."""
    if name is None:
        return ""
    return str(name.pick(lang()))


def init_app(app: Flask) -> None:
    Babel(
        app,
        locale_selector=select_language,
        default_locale=DEFAULT_LANGUAGE,
        default_domain=DOMAIN,
        default_translation_directories=str(LOCALE_DIR),
    )
    from jarjesto_core.reports import COLLECTION_LABELS

    app.jinja_env.globals.update(
        lang=lang, pick=pick, t=t, languages=SUPPORTED, collection_labels=COLLECTION_LABELS
    )
