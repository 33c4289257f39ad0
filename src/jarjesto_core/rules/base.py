"""What a rule is, what it sees, and what it says.

A rule is a small object with a code, the subject kinds it concerns, its
sources and its default thresholds; :meth:`Rule.judge` looks at a
:class:`Context` and returns a :class:`Verdict`. Messages stay English msgids
with parameters until a report renders them, so one assessment can be shown
in Finnish, Swedish and English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Final

from attrs import evolve, field, frozen

from jarjesto_core.coverage import CoverageIndex
from jarjesto_core.i18n import (
    DOMAIN,
    LOCALE_DIR,
    N_,
    format_date,
    format_money,
    format_number,
    translate,
)
from jarjesto_core.index import YearIndex
from jarjesto_core.model import (
    Agreement,
    Commitment,
    Coordinator,
    Coverage,
    Dataset,
    Domain,
    Hearing,
    Name,
    Organisation,
    PartyKind,
    PartyRef,
    Service,
    Structure,
)
from jarjesto_core.reference import AREA_ALAND, REFORM_YEAR

if TYPE_CHECKING:
    from jarjesto_core.continuity import Interruption
    from jarjesto_core.reference import Reference
    from jarjesto_core.resolver import FundingRow

__all__ = [
    "NOT_RECORDED",
    "STATUS_LABELS",
    "Context",
    "Counted",
    "Finding",
    "Rule",
    "Status",
    "Terms",
    "Verdict",
    "render_message",
]


class Status(StrEnum):
    MET = "met"
    PARTIAL = "partial"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"

    @property
    def judged(self) -> bool:
        return self in (Status.MET, Status.PARTIAL, Status.NOT_MET)

    @property
    def points(self) -> float:
        """Met counts 1, partial ½, not met 0 towards the score."""
        return {Status.MET: 1.0, Status.PARTIAL: 0.5}.get(self, 0.0)

    def label(self, lang: str) -> str:
        return translate(STATUS_LABELS[self], lang)


STATUS_LABELS: Final[Mapping[Status, str]] = {
    Status.MET: N_("met"),
    Status.PARTIAL: N_("partly met"),
    Status.NOT_MET: N_("not met"),
    Status.UNKNOWN: N_("unknown"),
    Status.NOT_APPLICABLE: N_("not applicable"),
}


def _terms(items: Iterable[Name | str]) -> tuple[Name | str, ...]:
    return tuple(items)


@frozen
class Terms:
    """A list of names or msgids as one message parameter, each in the reader's language.

    A rule's message often names what is missing ("Juuka, Kitee"; "sport,
    culture"). Names are picked, msgids translated only when the finding is
    rendered, so one assessment still reads in fi, sv and en. The msgids come
    from the catalogue of the finding's rule (its plugin's) unless ``domain``
    and ``localedir`` name another. Joined with ", "; empty renders as "–".
    """

    items: tuple[Name | str, ...] = field(converter=_terms)
    domain: str | None = None
    localedir: Path | None = None

    def texts(self, lang: str) -> list[str]:
        domain, localedir = self.domain or DOMAIN, self.localedir or LOCALE_DIR
        return [
            item.pick(lang)
            if isinstance(item, Name)
            else translate(item, lang, domain=domain, localedir=localedir)
            for item in self.items
        ]

    def localise(self, lang: str) -> str:
        texts = self.texts(lang)
        return ", ".join(texts) if texts else "–"

    def __len__(self) -> int:
        return len(self.items)


@frozen
class Counted:
    """A count as a phrase in the reader's language ("one parish", "3 parishes"), as a parameter.

    For a sentence with more than one count: each count is its own plural
    message (``NP_("%(count)d parish", "%(count)d parishes")``), translated
    from the rule's catalogue (or ``domain``) when the finding is rendered.
    """

    message: str
    count: int
    #: None: the catalogue of the finding's rule (its plugin's), as for :class:`Terms`.
    domain: str | None = None
    localedir: Path | None = None

    def localise(self, lang: str) -> str:
        domain, localedir = self.domain or DOMAIN, self.localedir or LOCALE_DIR
        return translate(
            self.message, lang, {"count": self.count}, domain=domain, localedir=localedir
        )


def _format_param(value: Any, lang: str) -> Any:
    """A parameter in the reader's conventions: money (Decimal) fi ``1 234,50 €``, en
    ``€1,234.50``; other decimals (float) "0,3"; dates fi/sv "1.1.2025", en "1 January 2025".

    A value with a ``localise(lang)`` method (:class:`Terms`) renders itself, a
    :class:`Name` is picked in the reader's language. Integers stay numbers: a plural
    message's count picks its form.
    """
    localise = getattr(value, "localise", None)
    if callable(localise):
        return localise(lang)
    if isinstance(value, Name):
        return value.pick(lang)
    if isinstance(value, Decimal):
        return format_money(value, lang)
    if isinstance(value, float):
        return format_number(round(value, 1), lang)
    if isinstance(value, dt.date):
        return format_date(value, lang)
    return value


def _in_catalogue(value: Any, domain: str, localedir: Path) -> Any:
    """Terms that name no catalogue are translated from the message's own."""
    if isinstance(value, Terms) and value.domain is None:
        return Terms(value.items, domain, localedir)
    if isinstance(value, Counted) and value.domain is None:
        return Counted(value.message, value.count, domain, localedir)
    return value


def render_message(
    msgid: str,
    params: Mapping[str, Any],
    lang: str,
    *,
    domain: str = DOMAIN,
    localedir: Path = LOCALE_DIR,
) -> str:
    formatted = {
        k: _format_param(_in_catalogue(v, domain, localedir), lang) for k, v in params.items()
    }
    return translate(msgid, lang, formatted, domain=domain, localedir=localedir)


def _sorted_ids(ids: Iterable[str]) -> tuple[str, ...]:
    # Sorted first, then the repeats dropped: evidence mostly comes in id order
    # already (a sort of sorted runs is linear), and a set would scramble it.
    return tuple(dict.fromkeys(sorted(ids)))


#: The message of every verdict that found nothing and has no coverage to say "no" with
#: (criteria.md: absence without coverage is "not recorded", never "does not exist").
NOT_RECORDED: Final = N_("Not recorded in the data for %(year)d: %(missing)s.")


def _coverage_ids(records: Iterable[Coverage | str]) -> tuple[str, ...]:
    return tuple(r if isinstance(r, str) else r.id for r in records)


@frozen
class Verdict:
    """A rule's answer before the engine adds the rule's code and sources.

    ``missing`` names what the rule looked for and did not find; ``coverage``
    the coverage records that made that absence count (ids). Rules fill both
    through :meth:`Rule.absent`, not by hand.
    """

    status: Status
    message: str
    params: Mapping[str, Any] = field(factory=dict)
    evidence: tuple[str, ...] = field(default=(), converter=_sorted_ids)
    missing: Terms = field(factory=lambda: Terms(()))
    coverage: tuple[str, ...] = field(default=(), converter=_coverage_ids)
    #: The message is core's (the "not recorded" sentence), even in a plugin's rule.
    core_message: bool = False


@frozen
class Finding:
    """One rule's status for one subject, with the records it rests on."""

    rule: str
    status: Status
    message: str
    params: Mapping[str, Any]
    evidence: tuple[str, ...]
    sources: tuple[str, ...]
    domain: str = DOMAIN
    localedir: Path = LOCALE_DIR
    #: The rule's title (a msgid in the rule's catalogue), shown instead of its code.
    title: Terms | None = None
    #: What the rule looked for and did not find, each rendered in the reader's language.
    missing: Terms = field(factory=lambda: Terms(()))
    #: The coverage records (ids) that made an absence count as "no"; empty otherwise.
    coverage: tuple[str, ...] = ()

    def render(self, lang: str) -> str:
        return render_message(
            self.message, self.params, lang, domain=self.domain, localedir=self.localedir
        )

    def title_text(self, lang: str) -> str:
        """The rule's title in ``lang``; its code only when the rule has no title."""
        return self.title.localise(lang) if self.title is not None else self.rule

    def missing_texts(self, lang: str) -> list[str]:
        return self.missing.texts(lang)


@frozen
class Context:
    """Everything a rule may look at for one subject in one year; no I/O behind it."""

    dataset: Dataset
    reference: Reference
    year: int
    subject: PartyRef
    service_kinds: Mapping[str, Domain]
    #: The funding table's pairs inside the subject's territory.
    funding: tuple[FundingRow, ...]
    #: Interruptions in the year by the subject (an area: or a member municipality).
    interruptions: tuple[Interruption, ...]
    thresholds: Mapping[str, float]
    #: Shared by every subject of one assessment; built on first use when not given.
    year_index: YearIndex | None = field(default=None, eq=False, repr=False)
    #: The subject's territory, when the caller has it already (rules ask for it per record).
    subject_territory: frozenset[str] | None = field(default=None, eq=False, repr=False)
    #: Shared by every subject of one assessment; built on first use when not given.
    coverage_index: CoverageIndex | None = field(default=None, eq=False, repr=False)

    @property
    def coverage(self) -> CoverageIndex:
        """Where the dataset is complete (see :mod:`jarjesto_core.coverage`)."""
        if self.coverage_index is None:
            object.__setattr__(self, "coverage_index", CoverageIndex(self.dataset, self.reference))
        assert self.coverage_index is not None
        return self.coverage_index

    def covering(
        self,
        collections: Iterable[str],
        parties: Iterable[PartyRef] | None = None,
        year: int | None = None,
    ) -> tuple[Coverage, ...] | None:
        """The coverage records under which every collection of every party (default: the
        subject) is complete in the year (default: the assessed one); None when one is not."""
        return self.coverage.covering_all(
            tuple(collections),
            (self.subject,) if parties is None else tuple(parties),
            self.year if year is None else year,
        )

    @property
    def index(self) -> YearIndex:
        """The dataset grouped for the year: rules look records up here instead of scanning."""
        if self.year_index is None:
            object.__setattr__(
                self, "year_index", YearIndex(self.dataset, self.reference, self.year)
            )
        assert self.year_index is not None
        return self.year_index

    @property
    def territory(self) -> frozenset[str]:
        if self.subject_territory is None:
            object.__setattr__(
                self, "subject_territory", self.reference.territory(self.subject, self.year)
            )
        assert self.subject_territory is not None
        return self.subject_territory

    def is_subject(self, party: PartyRef) -> bool:
        return self.reference.same_body(party, self.subject)

    def party_to_any_record(self) -> bool:
        """Whether the subject appears as a party anywhere (no longer a line between unknown and
        not met: criteria.md v2 draws it with coverage, see :meth:`Rule.absent`)."""
        return self.index.is_party(self.subject)

    def agreements_in_force(self) -> Sequence[Agreement]:
        """The subject's agreements in force in the year, in dataset order."""
        return self.index.of(self.index.agreements_in_force, self.subject)

    def own_structures(self) -> Sequence[Structure]:
        """The subject's structures (active or not), in dataset order."""
        return self.index.of(self.index.structures, self.subject)

    def own_coordinators(self) -> Sequence[Coordinator]:
        return self.index.of(self.index.coordinators, self.subject)

    def own_hearings(self) -> Sequence[Hearing]:
        return self.index.of(self.index.hearings, self.subject)

    def own_commitments(self) -> Sequence[Commitment]:
        return self.index.of(self.index.commitments, self.subject)

    def active_organisations(self) -> Mapping[str, Organisation]:
        """Organisations active in the year by id (read-only: every subject shares it)."""
        return MappingProxyType(self.index.active)

    def organisations_working_here(self) -> frozenset[str]:
        """Organisations active in the year that work, or run a service, in the territory."""
        return self.index.organisations_working_in(self.territory)

    def services_working_here(self) -> tuple[Service, ...]:
        return self.index.services_working_in(self.territory)


_REFORM_YEAR: Final = 2023
#: The acts of the reform, which do not describe years before 2023.
_REFORM_ACTS: Final = ("jarjestamislaki-612-2021", "hyvinvointialuelaki-611-2021")
_ORGANISING_ACT: Final = "jarjestamislaki-612-2021"
#: The municipality's duty to promote health and wellbeing before 2023.
_HEALTH_CARE_ACT: Final = "terveydenhuoltolaki-1326-2010#12"


def _on_aland(ctx: Context) -> bool:
    """Åland (area 91 and its municipalities) is outside the reform, under its own laws."""
    from jarjesto_core.reference import AREA_ALAND

    subject = ctx.subject
    if subject.kind is PartyKind.AREA:
        return subject.code == AREA_ALAND
    return ctx.reference.area_of(subject.code, ctx.year) == AREA_ALAND


#: The core rules that judge Åland's municipalities: those not about the
#: municipality/area split (criteria.md v2).
ALAND_RULES: Final = frozenset(
    {
        "core.coordinator",
        "core.cooperation-structure",
        "core.hearing",
        "core.grants",
        "core.premises",
        "core.forums",
        "core.strategy",
    }
)


def law_not_applicable(rule: str, ctx: Context) -> Verdict | None:
    """``not_applicable`` where the law of the year and the place leaves nothing to judge.

    An area before 2023 organised nothing yet; Åland is outside the reform, so
    only the rules in :data:`ALAND_RULES` judge its municipalities, and none its area.
    """
    subject = ctx.subject
    if subject.kind is PartyKind.AREA:
        if subject.code == AREA_ALAND:
            return Verdict(
                Status.NOT_APPLICABLE,
                N_("Åland is outside the reform: the rule does not concern it."),
            )
        if ctx.year < REFORM_YEAR and ctx.reference.canonical(subject) == subject:
            return Verdict(
                Status.NOT_APPLICABLE,
                N_("The wellbeing areas organised nothing before 2023."),
            )
    elif (
        subject.kind is PartyKind.MUNICIPALITY
        and rule not in ALAND_RULES
        and ctx.reference.area_of(subject.code, ctx.year) == AREA_ALAND
    ):
        return Verdict(
            Status.NOT_APPLICABLE,
            N_("Åland is outside the reform: the rule does not concern its municipalities."),
        )
    return None


class Rule:
    """Base of every rule; subclasses set the class attributes and write :meth:`judge`.

    A rule gives ``met`` or ``partial`` on the records that are there; for
    anything that rests on a record *not* being there it calls :meth:`absent`,
    the one place where absence becomes ``not_met`` (under coverage) or
    ``unknown`` ("not recorded"). ``own_records`` is kept for plugins written
    before criteria.md v2 and no longer changes anything. ``thresholds`` are
    minimums; a plugin's ``rule_thresholds`` may raise them, never lower.
    """

    code: ClassVar[str]
    subjects: ClassVar[frozenset[PartyKind]] = frozenset(PartyKind)
    #: Citations (``key`` or ``key#part`` of a registered source) for every subject.
    sources: ClassVar[Sequence[str]] = ()
    #: Citations for one kind of subject only (a county's document, an act's section).
    subject_sources: ClassVar[Mapping[PartyKind, Sequence[str]]] = {}
    #: The acts cited, by subject kind: left out on Åland, which has its own
    #: legislation, and before 2023 replaced by the Health Care Act as it then
    #: stood where the organising act (612/2021) is cited (sources.md 4.2).
    laws: ClassVar[Mapping[PartyKind, Sequence[str]]] = {}
    thresholds: ClassVar[Mapping[str, float]] = {}
    own_records: ClassVar[bool] = True
    #: What the rule looks for when it finds nothing (msgids of its catalogue), and the
    #: collections it would be in: :meth:`absent`'s defaults, so a rule with one such
    #: thing declares it once instead of at every call.
    looks_for: ClassVar[Sequence[str]] = ()
    looks_in: ClassVar[Sequence[str]] = ()
    #: What a reader sees instead of the code: a msgid in the rule's catalogue
    #: (core's rules take theirs from :mod:`jarjesto_core.rules.titles`).
    title: ClassVar[str] = ""
    #: The gettext domain and locale directory of the rule's messages. None: the
    #: catalogue of the plugin that contributed the rule, set by the registry
    #: (:func:`~jarjesto_core.registry.plugin_catalogue`); a rule names its own
    #: only to borrow another catalogue.
    i18n_domain: str | None = None
    localedir: Path | None = None

    def applies(self, ctx: Context) -> bool:
        """Whether the rule concerns this subject at all (else ``not_applicable``)."""
        return True

    def all_sources(self) -> tuple[str, ...]:
        """Every citation the rule may make, for checking against the registry and for docs."""
        out = list(self.sources)
        for kind in PartyKind:
            out += [*self.subject_sources.get(kind, ()), *self.laws.get(kind, ())]
        if any(law.startswith(_ORGANISING_ACT) for laws in self.laws.values() for law in laws):
            out.append(_HEALTH_CARE_ACT)
        return tuple(dict.fromkeys(out))

    def citations(self, ctx: Context) -> tuple[str, ...]:
        """What this finding cites: documents, then the acts that govern this subject this year."""
        kind = ctx.subject.kind
        out = [*self.sources, *self.subject_sources.get(kind, ())]
        laws = list(self.laws.get(kind, ()))
        if laws and _on_aland(ctx):
            laws = []
        elif ctx.year < _REFORM_YEAR:
            before = [law for law in laws if not law.startswith(_REFORM_ACTS)]
            if any(law.startswith(_ORGANISING_ACT) for law in laws):
                before.append(_HEALTH_CARE_ACT)
            laws = before
        return tuple(dict.fromkeys([*out, *laws]))

    def judge(self, ctx: Context) -> Verdict:
        raise NotImplementedError

    def absent(
        self,
        ctx: Context,
        verdict: Verdict,
        *,
        missing: Iterable[Name | str] | None = None,
        collections: Iterable[str] | None = None,
        parties: Iterable[PartyRef] | None = None,
        year: int | None = None,
    ) -> Verdict:
        """What a verdict that rests on something *not* found may say (criteria.md v2).

        ``verdict`` is what the rule would say if the data were complete: a
        ``not_met``, or a ``partial`` caused by what is missing. ``missing``
        names what was looked for (msgids of the rule's catalogue, or names);
        ``collections`` where it would be, of ``parties`` (default: the
        subject) in ``year`` (default: the assessed year). Under coverage of
        all of them the verdict stands, carrying the coverage used; otherwise
        the answer is ``unknown``: "not recorded", naming what, keeping the
        verdict's evidence. Every rule goes through here, so none reads
        silence as "no". ``missing`` and ``collections`` default to the rule's
        :attr:`looks_for` and :attr:`looks_in`.
        """
        missing = self.looks_for if missing is None else missing
        collections = tuple(self.looks_in if collections is None else collections)
        if not collections:
            # Coverage of no collection would let any absence stand as "no".
            raise TypeError(f"{self.code}: absent() needs the collections (looks_in)")
        terms = Terms(tuple(missing), domain=self.i18n_domain, localedir=self.localedir)
        used = ctx.covering(collections, parties, year)
        if used is not None:
            return evolve(verdict, missing=terms, coverage=used)
        return Verdict(
            Status.UNKNOWN,
            NOT_RECORDED,
            {"year": ctx.year if year is None else year, "missing": terms},
            verdict.evidence,
            missing=terms,
            core_message=True,
        )

    def evaluate(self, ctx: Context) -> Finding:
        """Judge, or answer ``not_applicable`` in core's words (and catalogue)."""
        domain, localedir = DOMAIN, LOCALE_DIR
        law = law_not_applicable(self.code, ctx)
        if law is not None:
            verdict = law
        elif not self.applies(ctx):
            verdict = Verdict(
                Status.NOT_APPLICABLE,
                N_("The criterion does not concern this municipality or county."),
            )
        else:
            verdict = self.judge(ctx)
            if not verdict.core_message:
                domain, localedir = self.i18n_domain or DOMAIN, self.localedir or LOCALE_DIR
        return Finding(
            rule=self.code,
            status=verdict.status,
            message=verdict.message,
            params=dict(verdict.params),
            evidence=verdict.evidence,
            sources=self.citations(ctx),
            domain=domain,
            localedir=localedir,
            title=self._title(),
            missing=verdict.missing,
            coverage=verdict.coverage,
        )

    def _title(self) -> Terms | None:
        from jarjesto_core.rules.titles import CORE_RULE_TITLES

        if self.title:
            return Terms([self.title], self.i18n_domain, self.localedir)
        core = CORE_RULE_TITLES.get(self.code)
        return Terms([core]) if core else None

    def __repr__(self) -> str:
        return f"<Rule {self.code}>"
