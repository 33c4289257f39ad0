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

__all__ = [
    "KEYWORDS",
    "MessageId",
    "catalogue_problems",
    "code_problem",
    "marked_messages",
    "plural_problem",
    "translation_problem",
]

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


#: Placeholders whose number is not a count of things: no plural form needed.
NOT_COUNTS: Final = frozenset(
    {"year", "first", "last", "row", "line", "column", "port", "day", "month", "version",
     "status", "code", "percent", "exit"}
)  # fmt: skip
#: Text placeholders that carry a count by their name.
COUNT_NAMES: Final = frozenset({"count", "total", "n", "number"})
#: Placeholders that carry an id or a code by their name.
ID_NAMES: Final = re.compile(r"^(?:\w+_)?(?:id|ids|ref|refs|code|codes)$")
_NUMBER: Final = re.compile(r"%\((\w+)\)([ds])")
_QUOTED: Final = re.compile(r"""[”"“'`«»]%\((\w+)\)s[”"“'`«»]""")


def _figure_beside_a_label(text: str, start: int, end: int) -> bool:
    """A number shown as a figure, not in a sentence: "(%(count)s)" or "label: %(total)s"."""
    before, after = text[:start], text[end:]
    in_parentheses = before.endswith("(") and after.startswith(")")
    labelled = before.endswith(": ") and (after == "" or after[:1] in ";,\n")
    return in_parentheses or labelled


def plural_problem(msgid: MessageId) -> str | None:
    """Why a message needs a plural form, or None.

    A plain message that puts a count in a sentence ("%(count)d grant(s)",
    "%(total)d services") must be a plural message (``NP_``), and no message
    may write "(s)" or "(ies)". Years, percentages ("%(percent)d %%") and a
    figure beside a label ("Areas (%(count)s)", "total: %(total)s") are not
    counts in a sentence.
    """
    singular = msgid if isinstance(msgid, str) else msgid[0]
    if re.search(r"\w\((?:s|es|ies)\)", " ".join(_forms(msgid))):
        return 'writes "(s)": use a plural message (NP_)'
    if not isinstance(msgid, str):
        return None
    for match in _NUMBER.finditer(singular):
        name, kind = match.groups()
        if kind == "d" and (
            name in NOT_COUNTS or singular[match.end() :].lstrip().startswith("%%")
        ):
            continue
        if kind == "s" and name not in COUNT_NAMES:
            continue
        if _figure_beside_a_label(singular, match.start(), match.end()):
            continue
        return f"puts the number %({name}){kind} in a sentence: use a plural message (NP_)"
    return None


def code_problem(text: object) -> str | None:
    """Why a fi/sv translation shows an id or code in its prose, or None.

    A placeholder named like an id or a code (``id``, ``ids``, ``ref``,
    ``code``, ``*_id``) may stand in a locator before the first ": " ("rivi 3:
    ..."), as a list after the last ": ", or in quotation marks (”ag-12”):
    anywhere else it is an id in a sentence. Name the thing instead.
    """
    for form in _forms(text):
        head, colon, _rest = form.partition(": ")
        tail_start = form.rfind(": ")
        quoted = {m.start() for m in _QUOTED.finditer(form)}
        for match in re.finditer(r"%\((\w+)\)s", form):
            if not ID_NAMES.match(match.group(1)):
                continue
            in_locator = (colon and match.end() <= len(head)) or form[match.end() :].startswith(":")
            in_list = (
                tail_start >= 0
                and match.start() == tail_start + 2
                and match.end() == len(form.rstrip("."))
            )
            if in_locator or in_list or (match.start() - 1) in quoted:
                continue
            return f"shows %({match.group(1)})s in a sentence: name it, or quote it as data"
    return None


def catalogue_problems(
    package: Path, domain: str, languages: tuple[str, ...] = SUPPORTED
) -> list[str]:
    """Everything wrong with ``package/locale/<lang>/LC_MESSAGES/<domain>.po`` and ``.mo``.

    A problem is a message marked in the code but missing or empty in a
    language, a translation whose placeholders differ from its msgid, an
    English text that is not its msgid, a ``.mo`` not compiled from the
    ``.po`` beside it, a count in a sentence without a plural form
    (:func:`plural_problem`), or an id or code in a Finnish or Swedish
    sentence (:func:`code_problem`). An empty list means the catalogues are
    complete.
    """
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    problems: list[str] = []
    wanted = marked_messages(package)
    for msgid in sorted(wanted, key=_sort_key):
        if plural := plural_problem(msgid):
            problems.append(f"{_sort_key(msgid)!r} {plural}")
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
            elif lang in ("fi", "sv") and (code := code_problem(text)):
                problems.append(f"{lang}: {code}: {text!r}")
        mo = po.with_suffix(".mo")
        if not mo.is_file():
            problems.append(f"{mo}: missing (compile the .po)")
            continue
        with mo.open("rb") as handle:
            compiled = {_key(m.id): _forms(m.string) for m in read_mo(handle) if m.id}
        # Compilers leave untranslated (empty) entries out of a .mo.
        if compiled != {k: _forms(v) for k, v in source.items() if v and any(_forms(v))}:
            problems.append(f"{mo}: not compiled from {po.name}")
    return problems


def _key(msgid: object) -> MessageId:
    """A msgid as read from a .mo (a plural's is a list) in the .po's form."""
    return tuple(str(m) for m in msgid) if isinstance(msgid, list | tuple) else str(msgid)


def _sort_key(msgid: MessageId) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]
