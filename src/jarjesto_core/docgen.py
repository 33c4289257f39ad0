"""Reference pages generated from the code itself, so the documentation cannot drift.

The documentation site (``mkdocs_hooks.py``) calls these at build time with
the registry of the installed plugins: the rules reference lists every rule
any plugin contributes, with its sources, and the CSV reference lists the
columns :mod:`jarjesto_core.csvio` reads, with example files written by the
same :func:`~jarjesto_core.csvio.write_csv` as ``jarjesto export``. Pure
functions returning Markdown; the caller decides where it goes.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, Final

import attrs

from jarjesto_core.model import COLLECTIONS, Dataset, PartyKind
from jarjesto_core.registry import CORE_PLUGIN, Registry

if TYPE_CHECKING:
    from jarjesto_core.rules.base import Rule

__all__ = ["KIND_HELP", "csv_example", "csv_reference", "rule_summary", "rules_reference"]

#: How to write a cell of each kind csvio knows (the same words as README's CSV section).
KIND_HELP: Final[Mapping[str, str]] = {
    "text": "text",
    "name": "the name in Finnish, Swedish and English, one column each (at least one filled)",
    "party": "`municipality:167`, `area:14`, `joint:ID`, `funder:ID`, or the Finnish or "
    "Swedish name of a municipality or wellbeing area, or the name of one of the dataset's "
    "joint authorities or funders (`Siun sote`, `STEA`)",
    "location": "a municipality code (`167`) or its Finnish or Swedish name",
    "municipality": "a municipality code (`167`) or its Finnish or Swedish name",
    "area": "a wellbeing area code (`14`) or its Finnish or Swedish name",
    "municipalities": "municipality codes or Finnish or Swedish names, separated by commas",
    "date": "a date, `2024-01-31` or `31.1.2024`",
    "dates": "dates separated by commas",
    "amount": "euros: `1234.50`, `1234,50` or `1 234,50 €`",
    "int": "a whole number",
    "bool": "yes or no: `true`/`false`, `kyllä`/`ei`, `ja`/`nej`, `1`/`0`",
    "list": "items separated by commas",
    "parties": "party references or names separated by commas: `area:20, Helsinki`",
    "assignments": "service kind `=` `municipality`, `area` or `shared`, separated by commas: "
    "`clubhouse=area, peer_support=shared`",
}

#: Fields whose cells say more than their kind: which records they name.
_FIELD_HELP: Final[Mapping[tuple[str, str], str]] = {
    ("*", "languages"): "language codes separated by commas: `fi, sv`",
    ("*", "organisation"): "the `id` of an organisation",
    ("agreements", "services"): "the `id`s of services, separated by commas",
    ("structures", "members"): "the `id`s of member organisations, separated by commas",
    ("hearings", "organisations"): "the `id`s of the organisations heard directly, separated by "
    "commas (at least one of these and `structures`)",
    ("hearings", "structures"): "the `id`s of the bodies heard, separated by commas: their "
    "member organisations count as heard",
    ("hearings", "decision"): "the decision the hearing prepared, as published: "
    "`Aluehallitus 12.3.2024 § 45`",
    ("hearings", "deadline"): "the date by which statements were due",
    ("hearings", "response_published"): "yes when the body published how it took the "
    "statements into account; empty when not known",
    ("hearings", "changes"): "what changed because of the hearing",
    ("hearings", "residents"): "yes when residents or service users were heard too",
    ("welfare_reports", "kind"): "`report` (for a council term), `plan` or `annual_report`",
    ("welfare_reports", "organisations_heard"): "yes when organisations were heard in its "
    "preparation; empty when not known",
    ("welfare_reports", "includes_organisations"): "yes when organisations' activity and data "
    "are in it; empty when not known",
    ("appropriations", "year"): "the budget year, `2024`",
    ("appropriations", "line"): "the budget line's name",
    ("appropriations", "hyte"): "yes for a health and wellbeing promotion appropriation",
    ("appropriations", "grants_reserved_eur"): "the part reserved for organisation grants, "
    "in euros",
    ("coverage", "collections"): "collection names separated by commas: `agreements, structures`",
    ("services", "municipalities"): "the municipalities whose residents it serves (its "
    "catchment, not its address), codes or names separated by commas; empty: where its "
    "organisation works",
    ("joint_authorities", "members"): "the member municipalities, codes or names separated "
    "by commas",
    ("joint_authorities", "organises"): "`sote` and/or `prevention`, separated by commas",
}

_SUBJECTS: Final[Mapping[frozenset[PartyKind], str]] = {
    frozenset(PartyKind): "municipalities and wellbeing areas",
    frozenset({PartyKind.MUNICIPALITY}): "municipalities",
    frozenset({PartyKind.AREA}): "wellbeing areas",
}


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def rule_summary(rule: object) -> str:
    """What a rule checks: its own class docstring (not a base class's), which every rule needs."""
    doc = type(rule).__dict__.get("__doc__")
    if not doc:
        raise ValueError(f"rule {getattr(rule, 'code', rule)!r} has no docstring to document it")
    return " ".join(inspect.cleandoc(doc).split())


def _cite(registry: Registry, citations: Sequence[str]) -> str:
    items = [
        f"[{_cell(text)}]({link})" if link else _cell(text)
        for text, link in registry.sources.rendered(citations, "en")
    ]
    return "; ".join(items)


def _sources_lines(registry: Registry, rule: Rule) -> list[str]:
    """The rule's sources in English with their links, and the acts per kind of subject."""
    lines = []
    common = tuple(rule.sources)
    lines.append("- **Sources:** " + (_cite(registry, common) or "none given"))
    labels = {PartyKind.MUNICIPALITY: "municipalities", PartyKind.AREA: "wellbeing areas"}
    for kind in PartyKind:
        if kind not in rule.subjects:
            continue
        extra = (*rule.subject_sources.get(kind, ()), *rule.laws.get(kind, ()))
        if extra:
            lines.append(f"- **Sources for {labels[kind]}:** {_cite(registry, extra)}")
    return lines


def rules_reference(registry: Registry) -> str:
    """Every rule in the registry, core first, then each plugin's, with what it checks and why."""
    by_plugin: dict[str, list[str]] = {}
    for code in sorted(registry.rules):
        by_plugin.setdefault(registry.rule_plugins.get(code, "?"), []).append(code)
    plugins = sorted(by_plugin, key=lambda p: (p != CORE_PLUGIN, p))
    lines = [
        "# Rules reference",
        "",
        "Generated from the rule registry when this site was built, with "
        + ", ".join(f"`{p}`" for p in plugins)
        + " loaded. `jarjesto plugins` lists the rules of the plugins installed on your "
        "machine. Each rule gives one status per subject and year: met, partial (on the "
        "records that are there), not met (only where a `coverage` record says the data hold "
        "every such record), unknown (not recorded) or not applicable. The *sources* are the "
        "documents and acts the criterion comes from, as reports cite them; a report in "
        "Finnish or Swedish cites them in that language. "
        "Acts that differ between municipalities and wellbeing areas are listed for each; "
        "before 2023 the Health Care Act is cited as it then stood, and on Åland no act is "
        "cited (it has its own legislation).",
        "",
    ]
    for plugin in plugins:
        heading = "Core rules" if plugin == CORE_PLUGIN else f"Plugin `{plugin}`"
        lines += [f"## {heading}", ""]
        for code in by_plugin[plugin]:
            rule = registry.rules[code]
            subjects = frozenset(getattr(rule, "subjects", frozenset(PartyKind)))
            thresholds = dict(getattr(rule, "thresholds", {}))
            lines += [f"### `{code}`", "", rule_summary(rule), ""]
            lines.append(f"- **Subjects:** {_SUBJECTS.get(subjects, 'none')}")
            if thresholds:
                shown = ", ".join(f"`{k}` = {v:g}" for k, v in sorted(thresholds.items()))
                lines.append(f"- **Thresholds** (plugins may only raise them): {shown}")
            lines += _sources_lines(registry, rule)
            lines.append("")
    return "\n".join(lines)


def _fields(collection: str) -> Mapping[str, str]:
    from jarjesto_core.csvio import _fields as csv_fields

    return csv_fields(collection)


def _enum_values(hint: Any) -> tuple[str, ...]:
    """The values of the enum a field holds (directly, optionally, or as a tuple's items)."""
    candidates = [hint, *typing.get_args(hint)]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return tuple(str(member.value) for member in candidate)
    return ()


def _column_rows(collection: str, service_kinds: Mapping[str, object]) -> list[str]:
    cls = COLLECTIONS[collection]
    hints = typing.get_type_hints(cls)
    rows = []
    for attribute in attrs.fields(cls):
        name = attribute.name
        kind = _fields(collection)[name]
        required = "yes" if attribute.default is attrs.NOTHING else ""
        how = _FIELD_HELP.get((collection, name)) or _FIELD_HELP.get(("*", name)) or KIND_HELP[kind]
        values = _enum_values(hints[name])
        if values:
            how = "one of " + ", ".join(f"`{v}`" for v in values)
            if kind == "list":
                how = "items separated by commas, each " + how
        elif collection == "services" and name == "kind":
            how = "a service kind: " + ", ".join(f"`{k}`" for k in sorted(service_kinds))
        column = "`name_fi`, `name_sv`, `name_en`" if kind == "name" else f"`{name}`"
        rows.append(f"| {column} | {required} | {_cell(how)} |")
    return rows


def csv_example(collection: str, dataset: Dataset, rows: int = 2) -> str:
    """A CSV file of the collection's first records, as ``jarjesto export --format csv`` writes."""
    from jarjesto_core.csvio import write_csv

    return write_csv(collection, dataset.collection(collection)[:rows])


def csv_reference(registry: Registry, dataset: Dataset, *, example_dir: str = "csv") -> str:
    """The columns of every collection, what to write in each, and an example file.

    ``example_dir`` is where the caller puts ``<collection>.csv`` made by
    :func:`csv_example`, relative to the page.
    """
    lines = [
        "# CSV columns",
        "",
        "Generated from the code that reads CSV files (`jarjesto_core.csvio`) when this site "
        "was built. `jarjesto import DATASET COLLECTION FILE.csv` reads these columns, in any "
        "order; a column that is not required may be left out. Cells may use `;` or `,` "
        "between them, UTF-8 (with or without a BOM) or Windows-1252. Each example file "
        "holds the first records of the bundled sample dataset, written as "
        "`jarjesto export --format csv` writes them, so it imports as it is.",
        "",
    ]
    for collection in COLLECTIONS:
        lines += [
            f"## {collection}",
            "",
            "| column | required | what to write |",
            "| --- | --- | --- |",
            *_column_rows(collection, registry.service_kinds),
            "",
            f"Example: [{collection}.csv]({example_dir}/{collection}.csv)",
            "",
            "```text",
            csv_example(collection, dataset).replace("\r\n", "\n").rstrip("\n"),
            "```",
            "",
        ]
    return "\n".join(lines)
