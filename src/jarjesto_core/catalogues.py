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

__all__ = ["catalogue_problems", "marked_messages"]

_PLACEHOLDER: Final = re.compile(r"%\((\w+)\)[sdr]")


def marked_messages(package: Path) -> set[str]:
    """The msgids marked with ``N_`` in a package's Python files."""
    from babel.messages.extract import extract_from_dir

    found = extract_from_dir(str(package), keywords={"N_": None}, method_map=[("**.py", "python")])
    return {message for _f, _l, message, _c, _ctx in found if isinstance(message, str)}


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
        for msgid in sorted(wanted):
            text = source.get(msgid)
            if not text or not str(text).strip():
                problems.append(f"{lang}: no translation for {msgid!r}")
            elif sorted(_PLACEHOLDER.findall(str(text))) != sorted(_PLACEHOLDER.findall(msgid)):
                problems.append(f"{lang}: placeholders differ in {msgid!r} -> {text!r}")
            elif lang == "en" and text != msgid:
                problems.append(f"en: {msgid!r} is translated as {text!r}")
        mo = po.with_suffix(".mo")
        if not mo.is_file():
            problems.append(f"{mo}: missing (compile the .po)")
            continue
        with mo.open("rb") as handle:
            compiled = {m.id: m.string for m in read_mo(handle) if m.id}
        # Compilers leave untranslated (empty) entries out of a .mo.
        if compiled != {k: v for k, v in source.items() if v}:
            problems.append(f"{mo}: not compiled from {po.name}")
    return problems
