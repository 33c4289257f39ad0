"""Tampere (municipality 837): the Järjestöedustamo, as a jarjesto plugin.

The Järjestöedustamo is a representation body of the city and organisations;
its members are elected for two years and drawn from 17 organisation
categories (``spec/criteria.md``, "Regional plugins"). The dataset knows an
organisation's free ``fields`` tags, not its category, so
:data:`FIELD_CATEGORIES` maps tags to categories (documented in the README).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Final

from jarjesto_core.plugin import (
    N_,
    NP_,
    Context,
    Name,
    PartyKind,
    PartyRef,
    Rule,
    Source,
    SourceKind,
    Status,
    Structure,
    StructureKind,
    Terms,
    Verdict,
    hookimpl,
)

__all__ = [
    "CATEGORIES",
    "FIELD_CATEGORIES",
    "MUNICIPALITY",
    "TERM_YEARS",
    "Categories",
    "Jarjestoedustamo",
    "Term",
    "categories_of",
    "register_rules",
]

PLUGIN: Final = "tampere"
MUNICIPALITY: Final = PartyRef.municipality("837")
#: Members are elected for two years.
TERM_YEARS: Final = 2
#: The Järjestöedustamo as the city describes it (spec/sources.md, section 2); it has
#: no Swedish or English name.
JARJESTOEDUSTAMO: Final = Source(
    key="tampere-jarjestoedustamo",
    kind=SourceKind.EXAMPLE,
    publisher=Name(fi="Tampereen kaupunki", sv="Tammerfors stad", en="City of Tampere"),
    title=Name(fi="Järjestöedustamo"),
    links={
        "fi": "https://www.tampere.fi/teksti/tampereen-kaupunki/paatoksenteko/"
        "osallistu-ja-vaikuta/vaikuttamiskanavat/jarjestoedustamo.html"
    },
)
SOURCES: Final = ("tampere-jarjestoedustamo", "soste-kuntavaalit-2021#hyvat-kaytannot")

#: The 17 organisation categories, in criteria.md's order, with their labels.
CATEGORIES: Final[Mapping[str, str]] = {
    "general": N_("general"),
    "public_health": N_("public health"),
    "disability": N_("disability"),
    "patient": N_("patient"),
    "carers": N_("carers"),
    "mental_health": N_("mental health"),
    "substance_use": N_("substance use"),
    "sport": N_("sport"),
    "employment": N_("employment"),
    "culture": N_("culture"),
    "multicultural": N_("multicultural"),
    "human_rights": N_("human rights"),
    "neighbourhood": N_("neighbourhood"),
    "older_people": N_("older people"),
    "child_family": N_("child and family"),
    "youth": N_("youth"),
    "environment": N_("environment"),
}

#: Organisation ``fields`` tags that put an organisation in a category. Each
#: category's own name is also a tag; the rest are common spellings.
FIELD_CATEGORIES: Final[Mapping[str, str]] = {
    **{category: category for category in CATEGORIES},
    "health": "public_health",
    "patients": "patient",
    "carer": "carers",
    "informal_care": "carers",
    "sports": "sport",
    "unemployed": "employment",
    "arts": "culture",
    "immigrants": "multicultural",
    "residents": "neighbourhood",
    "village": "neighbourhood",
    "elderly": "older_people",
    "children": "child_family",
    "family": "child_family",
    "young_people": "youth",
    "nature": "environment",
}


def categories_of(fields: Sequence[str]) -> set[str]:
    """The categories an organisation's ``fields`` tags put it in (unknown tags: none)."""
    return {FIELD_CATEGORIES[f] for f in fields if f in FIELD_CATEGORIES}


class _CityRule(Rule):
    """A rule about Tampere only; every other municipality is not its concern."""

    subjects = frozenset({PartyKind.MUNICIPALITY})
    sources = SOURCES

    def applies(self, ctx: Context) -> bool:
        return ctx.is_subject(MUNICIPALITY)


def _bodies(ctx: Context) -> list[Structure]:
    """The city's representation bodies active in the year."""
    return [
        s
        for s in ctx.own_structures()
        if s.kind is StructureKind.REPRESENTATION_BODY and s.active_in(ctx.year)
    ]


def _members(ctx: Context, body: Structure) -> list[str]:
    active = ctx.active_organisations()
    return [m for m in body.members if m in active]


class Jarjestoedustamo(_CityRule):
    """The representation body exists and has organisation members."""

    code = "tampere.jarjestoedustamo"
    looks_for = (N_("a representation body (Järjestöedustamo)"),)
    looks_in = ("structures",)

    def judge(self, ctx: Context) -> Verdict:
        bodies = _bodies(ctx)
        with_members = [b for b in bodies if _members(ctx, b)]
        if with_members:
            count = len({m for b in with_members for m in _members(ctx, b)})
            return Verdict(
                Status.MET,
                NP_(
                    "The Järjestöedustamo is active as a representation body with one member "
                    "organisation.",
                    "The Järjestöedustamo is active as a representation body with "
                    "%(members)d member organisations.",
                    count="members",
                ),
                {"members": count},
                [b.id for b in with_members],
            )
        if bodies:
            return self.absent(
                ctx,
                Verdict(
                    Status.PARTIAL,
                    N_("A representation body exists, but it has no organisation members."),
                    {},
                    [b.id for b in bodies],
                ),
            )
        return self.absent(
            ctx,
            Verdict(Status.NOT_MET, N_("No representation body (Järjestöedustamo) exists.")),
        )


class Categories(_CityRule):
    """The members' fields cover all 17 organisation categories."""

    code = "tampere.categories"
    looks_for = (N_("a representation body with organisation members"),)
    looks_in = ("structures", "organisations")

    def judge(self, ctx: Context) -> Verdict:
        active = ctx.active_organisations()
        bodies = [b for b in _bodies(ctx) if _members(ctx, b)]
        if not bodies:
            return self.absent(
                ctx,
                Verdict(
                    Status.NOT_MET,
                    N_(
                        "No representation body with organisation members exists, so no category "
                        "is covered."
                    ),
                ),
            )
        members = {m for b in bodies for m in _members(ctx, b)}
        covered = {c for m in members for c in categories_of(active[m].fields)}
        missing = Terms(
            [label for c, label in CATEGORIES.items() if c not in covered],
        )
        params = {"covered": len(covered), "total": len(CATEGORIES), "missing": missing}
        evidence = [b.id for b in bodies]
        if not missing:
            return Verdict(
                Status.MET,
                NP_(
                    "The members of the Järjestöedustamo cover the one organisation category.",
                    "The members of the Järjestöedustamo cover all %(total)d organisation "
                    "categories.",
                    count="total",
                ),
                params,
                evidence,
            )
        if covered:
            return self.absent(
                ctx,
                Verdict(
                    Status.PARTIAL,
                    NP_(
                        "The members of the Järjestöedustamo cover %(covered)d of the %(total)d "
                        "organisation category; not covered: %(missing)s.",
                        "The members of the Järjestöedustamo cover %(covered)d of the %(total)d "
                        "organisation categories; not covered: %(missing)s.",
                        count="total",
                    ),
                    params,
                    evidence,
                ),
            )
        return self.absent(
            ctx,
            Verdict(
                Status.NOT_MET,
                NP_(
                    "The members' fields do not cover the one organisation category.",
                    "The members' fields cover none of the %(total)d organisation categories.",
                    count="total",
                ),
                params,
                evidence,
            ),
        )


def term_end(established: dt.date) -> dt.date:
    """The day a composition established on ``established`` becomes older than its term."""
    try:
        return established.replace(year=established.year + TERM_YEARS)
    except ValueError:  # 29 February
        return dt.date(established.year + TERM_YEARS, 3, 1)


class Term(_CityRule):
    """A composition older than the two-year term is flagged.

    The dataset has no term dates: a body's composition dates from its
    ``established`` date, and a newly elected composition is a new structure
    record (the previous one ``dissolved`` when its term ends). The newest
    composition active in the year is judged at the year's end.
    """

    code = "tampere.term"
    looks_for = (N_("a composition of the Järjestöedustamo elected within its term"),)
    looks_in = ("structures",)

    def judge(self, ctx: Context) -> Verdict:
        bodies = _bodies(ctx)
        if not bodies:
            # Only where every body is in the data is there truly none to judge.
            return self.absent(
                ctx,
                Verdict(
                    Status.NOT_APPLICABLE,
                    N_("No representation body exists whose term could be judged."),
                ),
                missing=[N_("a representation body (Järjestöedustamo)")],
                collections=("structures",),
            )
        dated = [(b.established, b) for b in bodies if b.established is not None]
        if not dated:
            return Verdict(
                Status.UNKNOWN,
                N_(
                    "The dataset does not say when the composition of the Järjestöedustamo was "
                    "established."
                ),
                {},
                [b.id for b in bodies],
            )
        established, newest = max(dated, key=lambda pair: (pair[0], pair[1].id))
        # The date itself: reports write it as the reader does (fi/sv 1.1.2021).
        params = {"established": established, "years": TERM_YEARS}
        if term_end(established) > dt.date(ctx.year, 12, 31):
            return Verdict(
                Status.MET,
                NP_(
                    "The composition of the Järjestöedustamo dates from %(established)s, within "
                    "its one-year term.",
                    "The composition of the Järjestöedustamo dates from %(established)s, within "
                    "its %(years)d-year term.",
                    count="years",
                ),
                params,
                [newest.id],
            )
        return self.absent(
            ctx,
            Verdict(
                Status.NOT_MET,
                NP_(
                    "The composition of the Järjestöedustamo dates from %(established)s: it is older "  # noqa: E501
                    "than its one-year term.",
                    "The composition of the Järjestöedustamo dates from %(established)s: it is older "  # noqa: E501
                    "than its %(years)d-year term.",
                    count="years",
                ),
                params,
                [newest.id],
            ),
        )


RULES: Final[Sequence[Rule]] = (Jarjestoedustamo(), Categories(), Term())


@hookimpl
def register_sources() -> Sequence[Source]:
    return (JARJESTOEDUSTAMO,)


@hookimpl
def register_rules() -> Sequence[Rule]:
    return RULES
