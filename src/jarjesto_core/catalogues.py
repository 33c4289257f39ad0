"""Checks of a package's gettext catalogues, for plugin authors' tests.

Every region's plugin ships its own fi, sv and en catalogues; one function
here says everything that is wrong with them, so that each plugin's test is
one line and the checks improve in one place. Babel is imported when a check
runs, never at ``import jarjesto_core``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from jarjesto_core.i18n import SUPPORTED

__all__ = ["KEYWORDS", "MessageId", "catalogue_problems", "marked_messages", "translation_problem"]

_PLACEHOLDER: Final = re.compile(r"%\((\w+)\)[sdr]")

#: A msgid: a plain message, or a plural message's (singular, plural).
MessageId = str | tuple[str, ...]
#: Where Babel finds messages in a package: ``N_`` and the plural marker ``NP_``.
KEYWORDS: Final = {"N_": None, "NP_": (1, 2)}


def marked_messages(package: Path) -> set[MessageId]:
    """The msgids marked with ``N_`` (text) and ``NP_`` ((singular, plural)) in a package."""
    from babel.messages.extract import extract_from_dir

    found = extract_from_dir(str(package), keywords=KEYWORDS, method_map=[("**.py", "python")])
    return {message for _f, _l, message, _c, _ctx in found if isinstance(message, str | tuple)}


def _forms(text: object) -> tuple[str, ...]:
    if isinstance(text, tuple | list):
        return tuple(str(t or "") for t in text)
    return (str(text or ""),)


def translation_problem(msgid: MessageId, text: object) -> str | None:
    """What is wrong with one translation, or None.

    Every form must be filled in. A plain message keeps its msgid's
    placeholders. A plural message's forms use only its msgid's placeholders,
    and its last (plural) form all of them: a singular may spell its number
    out ("Yksi avustus katkesi.").
    """
    forms = _forms(text)
    if not forms or not all(f.strip() for f in forms):
        return "no translation"
    if isinstance(msgid, str):
        if sorted(_PLACEHOLDER.findall(forms[0])) != sorted(_PLACEHOLDER.findall(msgid)):
            return "placeholders differ"
        return None
    wanted = set(_PLACEHOLDER.findall(msgid[-1])) | set(_PLACEHOLDER.findall(msgid[0]))
    if any(not set(_PLACEHOLDER.findall(f)) <= wanted for f in forms) or set(
        _PLACEHOLDER.findall(forms[-1])
    ) != set(_PLACEHOLDER.findall(msgid[-1])):
        return "placeholders differ"
    return None


def catalogue_problems(
    package: Path, domain: str, languages: tuple[str, ...] = SUPPORTED
) -> list[str]:
    """Everything wrong with ``package/locale/<lang>/LC_MESSAGES/<domain>.po`` and ``.mo``.

    A problem is a message marked in the code but missing or empty in a
    language, a translation whose placeholders differ from its msgid, an
    English text that is not its msgid, or a ``.mo`` not compiled from the
    ``.po`` beside it. An empty list means the catalogues are complete.
    """
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    problems: list[str] = []
    wanted = marked_messages(package)
    for lang in languages:
        po = package / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"
        if not po.is_file():
            problems.append(f"{po}: missing")
            continue
        with po.open("rb") as handle:
            source = {m.id: m.string for m in read_po(handle) if m.id}
        for msgid in sorted(wanted, key=_sort_key):
            shown = msgid if isinstance(msgid, str) else msgid[0]
            text = source.get(msgid)
            problem = translation_problem(msgid, text)
            if problem == "no translation":
                problems.append(f"{lang}: no translation for {shown!r}")
            elif problem:
                problems.append(f"{lang}: {problem} in {shown!r} -> {text!r}")
            elif lang == "en" and _forms(text) != _forms(msgid):
                problems.append(f"en: {shown!r} is translated as {text!r}")
        mo = po.with_suffix(".mo")
        if not mo.is_file():
            problems.append(f"{mo}: missing (compile the .po)")
            continue
        with mo.open("rb") as handle:
            compiled = {m.id: _forms(m.string) for m in read_mo(handle) if m.id}
        # Compilers leave untranslated (empty) entries out of a .mo.
        if compiled != {k: _forms(v) for k, v in source.items() if v and any(_forms(v))}:
            problems.append(f"{mo}: not compiled from {po.name}")
    return problems


def _sort_key(msgid: MessageId) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]
