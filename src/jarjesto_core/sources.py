"""Citable sources as data: what a rule rests on, rendered so a reader can trace it.

A rule cites ``key`` or ``key#part`` (``soste-kuntavaalit-2021#jarjestojen-tuki``,
``kuntalaki-410-2015#22``). The keys are those of ``spec/sources.md`` and never
change; the core registers the publishers' documents and the acts
(:mod:`jarjesto_core.source_catalogue`), a regional plugin its own examples
through the ``register_sources`` hook. A report renders a citation in the
reader's language: ``Publisher: Title (year), part`` for a document, and for
an act the citation form of that language (``Kuntalaki (410/2015) 22 §``,
``Kommunallag (410/2015) 22 §``, ``Local Government Act (410/2015), section
22``). Titles, names and parts are data in fi, sv and en, not catalogue
messages: they are the publishers' own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from attrs import field, frozen

from jarjesto_core.model import LANGUAGES, Name

__all__ = [
    "Citation",
    "Source",
    "SourceError",
    "SourceKind",
    "Sources",
    "law_sections",
    "parse_citation",
]

_KEY: Final = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SECTIONS: Final = re.compile(r"^\d+[a-z]?((-|,)\d+[a-z]?)*$")


class SourceKind(StrEnum):
    DOCUMENT = "document"
    EXAMPLE = "example"
    WEB = "web"
    LAW = "law"


class SourceError(ValueError):
    """A citation names no registered source, or a part the source does not have."""


def _parts(value: Mapping[str, Name]) -> Mapping[str, Name]:
    return MappingProxyType(dict(value))


def _links(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _by_key(value: Mapping[str, Source]) -> Mapping[str, Source]:
    return MappingProxyType(dict(value))


@frozen
class Source:
    """One citable source: a document, a regional example, a web page or an act.

    ``title`` holds the versions that exist (the original first: ``original``);
    ``gloss`` translates the title into languages it has no version in, shown in
    square brackets after the original. ``publisher`` is the short name used in a
    citation ("SOSTE", "Kuntaliitto"). For an act, ``title`` is its name in each
    language and ``number`` its statute number; ``parts`` are its sections.
    ``links`` are checked addresses by language; ``where`` tells where a
    document is found when no address is checked ("soste.fi/kuntavaalit").
    """

    key: str = field()
    kind: SourceKind
    title: Name
    original: str = "fi"
    publisher: Name | None = None
    gloss: Name | None = None
    #: The year or date as a reader would write it ("2021", "tammikuu 2022").
    date: Name | None = None
    links: Mapping[str, str] = field(factory=dict, converter=_links)
    where: Name | None = None
    number: str | None = None
    parts: Mapping[str, Name] = field(factory=dict, converter=_parts)
    #: Said after an act's citation: the text as it stood ("as in force on 31 December 2022").
    note: Name | None = None

    @key.validator
    def _check_key(self, _attribute: object, value: str) -> None:
        if not _KEY.match(value):
            raise ValueError(f"source key {value!r} is not kebab-case")

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` if that version exists, else the original with a gloss."""
        texts = self.title.as_dict()
        if lang in texts:
            return texts[lang]
        original = texts.get(self.original) or self.title.pick(lang)
        gloss = self.gloss.as_dict().get(lang) if self.gloss is not None else None
        return f"{original} [{gloss}]" if gloss else original

    def link(self, lang: str) -> str | None:
        """The checked address in ``lang``, else in the original language, else any."""
        for code in (lang, self.original, *LANGUAGES):
            if code in self.links:
                return self.links[code]
        return None

    def has_part(self, part: str) -> bool:
        if self.kind is SourceKind.LAW:
            return bool(_SECTIONS.match(part)) and all(s in self.parts for s in law_sections(part))
        return part in self.parts

    def render(self, part: str | None, lang: str) -> str:
        """The citation in ``lang``: a document as ``Publisher: Title (date), part``, an act in
        the citation form of the language."""
        if self.kind is SourceKind.LAW:
            return self._render_law(part, lang)
        text = self.title_in(lang)
        if self.publisher is not None:
            text = f"{self.publisher.pick(lang)}: {text}"
        if self.date is not None and self.date.pick(lang) not in text:
            text = f"{text} ({self.date.pick(lang)})"
        if part is not None:
            text = f"{text}, {self.parts[part].pick(lang)}"
        if self.where is not None and not self.links:
            text = f"{text}, {self.where.pick(lang)}"
        return text

    def _render_law(self, part: str | None, lang: str) -> str:
        name = self.title.pick(lang)
        number = f" ({self.number})" if self.number else ""
        if part is None:
            return f"{name}{number}"
        sections = law_sections(part)
        if lang == "en":
            word = "section" if len(sections) == 1 else "sections"
            text = f"{name}{number}, {word} {_join_sections(part, 'and')}"
        else:
            conjunction = "och" if lang == "sv" else "ja"
            text = f"{name}{number} {_join_sections(part, conjunction)} §"
        return f"{text} ({self.note.pick(lang)})" if self.note is not None else text


def law_sections(part: str) -> tuple[str, ...]:
    """The sections a law part names: ``22``; ``26-28`` (a range); ``6,7`` (a list)."""
    out: list[str] = []
    for item in part.split(","):
        first, _, last = item.partition("-")
        if last:
            out.extend(str(n) for n in range(int(first), int(last) + 1))
        else:
            out.append(first)
    return tuple(out)


def _join_sections(part: str, conjunction: str) -> str:
    """``26–28`` with an en dash; ``6 ja 7``; ``5, 23 ja 32`` (sources.md 4.1)."""
    items = [item.replace("-", "\u2013") for item in part.split(",")]
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


@frozen
class Citation:
    """``key`` or ``key#part``, as rules write them."""

    key: str
    part: str | None = None

    def __str__(self) -> str:
        return self.key if self.part is None else f"{self.key}#{self.part}"


def parse_citation(text: str) -> Citation:
    key, sep, part = text.partition("#")
    if not _KEY.match(key) or (sep and not part):
        raise SourceError(f"{text!r} is not a citation: expected 'source-key' or 'source-key#part'")
    return Citation(key, part or None)


@frozen
class Sources:
    """The registered sources by key: resolves citations and renders them."""

    by_key: Mapping[str, Source] = field(factory=dict, converter=_by_key)

    @classmethod
    def of(cls, sources: Iterable[Source]) -> Sources:
        found: dict[str, Source] = {}
        for source in sources:
            if source.key in found:
                raise SourceError(f"source {source.key!r} is registered twice")
            found[source.key] = source
        return cls(found)

    def __contains__(self, key: object) -> bool:
        return key in self.by_key

    def __len__(self) -> int:
        return len(self.by_key)

    def resolve(self, citation: str) -> tuple[Source, str | None]:
        """The source and part a citation names; :class:`SourceError` when it names none."""
        cited = parse_citation(citation)
        source = self.by_key.get(cited.key)
        if source is None:
            raise SourceError(f"{citation!r} cites no registered source")
        if cited.part is not None and not source.has_part(cited.part):
            raise SourceError(f"{citation!r}: source {cited.key!r} has no part {cited.part!r}")
        return source, cited.part

    def render(self, citation: str, lang: str) -> str:
        """The citation in ``lang``; an unresolvable one is shown as written."""
        try:
            source, part = self.resolve(citation)
        except SourceError:
            return citation
        return source.render(part, lang)

    def link(self, citation: str, lang: str) -> str | None:
        try:
            source, _part = self.resolve(citation)
        except SourceError:
            return None
        return source.link(lang)

    def rendered(self, citations: Sequence[str], lang: str) -> list[tuple[str, str | None]]:
        """Each citation's text and link in ``lang``, in order, repeats dropped."""
        out: list[tuple[str, str | None]] = []
        seen: set[str] = set()
        for citation in citations:
            text = self.render(citation, lang)
            if text in seen:
                continue
            seen.add(text)
            out.append((text, self.link(citation, lang)))
        return out
