"""Edit forms for people, generated from the model so that they cannot drift from it.

Each collection's form has the columns of its CSV (:func:`jarjesto_core.csvio.columns`),
and each column's widget follows from the field's type: a select for a
vocabulary, check boxes for a list of vocabulary words, yes/no/not recorded
for an optional yes-or-no, a date box that takes ``1.2.2024``, and a name
picker for organisations, services and parties. Labels and help are msgids
(terminology.md) translated where the form is drawn. A field the tables here
do not know still gets a form row (its column name as label): a test fails
on it, so that it gets a real one.

The name pickers work without JavaScript: a reader types a name and the
server finds the record (:func:`find`); a name that matches several, or
none, comes back as choices beside the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final, Literal

from attrs import frozen

from jarjesto_core.aliases import VOCABULARIES, VOCABULARY_OF
from jarjesto_core.csvio import NAME_COLUMNS, _fields, _required
from jarjesto_core.i18n import N_
from jarjesto_core.labels import (
    AGREEMENT_KIND_LABELS,
    COORDINATOR_TITLE_LABELS,
    FUNDER_KIND_LABELS,
    PREMISES_TERMS_LABELS,
    SERVICE_KIND_LABELS,
    STRUCTURE_KIND_LABELS,
    TOPIC_LABELS,
)
from jarjesto_core.model import COLLECTIONS, Dataset
from jarjesto_core.reference import fold

__all__ = [
    "FIELD_HELP",
    "FIELD_LABELS",
    "PICKER_COLLECTIONS",
    "VALUE_LABELS",
    "FormField",
    "Match",
    "Widget",
    "find",
    "form_fields",
    "label_of",
    "picker_names",
]

Widget = Literal[
    "text",
    "longtext",
    "select",
    "checkboxes",
    "tristate",
    "yesno",
    "date",
    "amount",
    "number",
    "municipality",
    "area",
    "party",
    "organisation",
    "organisations",
    "services",
    "structures",
    "assignments",
]

#: Each column's label (en msgid); ``collection.column`` where a collection says it otherwise.
FIELD_LABELS: Final[Mapping[str, str]] = {
    "id": N_("Identifier"),
    "name_fi": N_("Name in Finnish"),
    "name_sv": N_("Name in Swedish"),
    "name_en": N_("Name in English"),
    "languages": N_("Languages"),
    "scope": N_("Scope"),
    "municipalities": N_("Municipalities"),
    "business_id": N_("Business ID"),
    "register_number": N_("Register number (Register of Associations)"),
    "fields": N_("Fields of activity"),
    "members": N_("Members"),
    "volunteers": N_("Volunteers"),
    "founded": N_("Founded"),
    "dissolved": N_("Dissolved"),
    "organisation": N_("Organisation"),
    "kind": N_("Kind"),
    "services.kind": N_("Service kind"),
    "agreements.kind": N_("Agreement kind"),
    "structures.kind": N_("Kind of body"),
    "welfare_reports.kind": N_("Kind of document"),
    "in_service_path": N_("Part of a service path"),
    "participants_per_year": N_("Participants a year"),
    "party": N_("Municipality or county"),
    "agreements.party": N_("Funder"),
    "start": N_("Start date"),
    "end": N_("End date"),
    "services": N_("Services"),
    "decided": N_("Decision date"),
    "annual_amount_eur": N_("Annual amount (€)"),
    "premises_terms": N_("Premises terms"),
    "lots": N_("The procurement was divided into lots"),
    "municipality": N_("Municipality"),
    "area": N_("Wellbeing services county"),
    "assignments": N_("Who is responsible for funding each service kind"),
    "structures.members": N_("Member organisations"),
    "meetings": N_("Meeting dates"),
    "established": N_("Established"),
    "title": N_("Title"),
    "covers_organisations": N_("Remit includes cooperation with organisations"),
    "date": N_("Date"),
    "topic": N_("Topic"),
    "organisations": N_("Organisations heard"),
    "structures": N_("Bodies heard"),
    "decision": N_("Decision the hearing prepared"),
    "decision_date": N_("Date of the decision"),
    "deadline": N_("Deadline for statements"),
    "statements": N_("Number of statements"),
    "response_published": N_("Response to the statements published"),
    "changes": N_("Changes made after the hearing"),
    "residents": N_("Residents were heard too"),
    "document": N_("Document"),
    "topics": N_("Policies"),
    "organisations_heard": N_("Organisations were heard in the preparation"),
    "includes_organisations": N_("Includes organisations' work"),
    "indicators": N_("Indicators"),
    "year": N_("Year"),
    "line": N_("Appropriation"),
    "amount_eur": N_("Amount (€)"),
    "hyte": N_("Appropriation for health and wellbeing promotion"),
    "grants_reserved_eur": N_("Reserved for grants to organisations (€)"),
    "collections": N_("Collections covered"),
    "parties": N_("Municipalities or counties"),
    "coverage.members": N_("Member municipalities included"),
    "source": N_("Source"),
    "joint_authorities.members": N_("Member municipalities"),
    "organises": N_("Organises"),
    "funders.kind": N_("Kind of funder"),
    "location": N_("Where it runs"),
}

#: Help beside a field: by column, ``collection.column``, or by widget (``@date``).
FIELD_HELP: Final[Mapping[str, str]] = {
    "@date": N_("A date, e.g. 1.2.2024."),
    "end": N_("A date, e.g. 31.12.2025; empty when open-ended."),
    "@amount": N_("Euros, e.g. 14 750 or 14 750,50."),
    "@number": N_("A whole number."),
    "@tristate": N_("Leave “not recorded” when you do not know."),
    "municipalities": N_("Municipalities by name, separated by commas, e.g. Joensuu, Outokumpu."),
    "@party": N_("Type the name of a municipality or county and choose it from the suggestions."),
    "agreements.party": N_(
        "Type the name of a municipality, county, joint municipal authority or other funder "
        "and choose it from the suggestions."
    ),
    "@organisation": N_(
        "Type part of the organisation's name and press Find, or pick a suggestion."
    ),
    "@organisations": N_("Organisations by name, separated by semicolons."),
    "@services": N_("Services by name, separated by semicolons; empty: all of its services."),
    "@structures": N_("Bodies by name, separated by semicolons."),
    "meetings": N_("Dates separated by commas, e.g. 1.2.2024, 15.3.2024."),
    "fields": N_("Separated by commas."),
    "parties": N_("Municipalities or counties by name, separated by commas."),
    "location": N_("The municipality where it runs, when it serves others too (a catchment)."),
    "services.municipalities": N_(
        "Whom it serves: municipalities by name, separated by commas; empty: where its "
        "organisation works."
    ),
    "id": N_("Letters a–z, digits and hyphens; made from the name when left empty."),
    "@assignments": N_("Choose who funds each service kind you agree on; leave the others empty."),
}

#: The labels of each vocabulary's values (msgids); a vocabulary missing here shows its words.
VALUE_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "agreement_kind": AGREEMENT_KIND_LABELS,
    "premises_terms": PREMISES_TERMS_LABELS,
    "structure_kind": STRUCTURE_KIND_LABELS,
    "coordinator_title": COORDINATOR_TITLE_LABELS,
    "topic": TOPIC_LABELS,
    "service_kind": SERVICE_KIND_LABELS,
    "scope": {"local": N_("local"), "regional": N_("regional"), "national": N_("national")},
    "funder_kind": FUNDER_KIND_LABELS,
    "organises": {
        "sote": N_("social welfare and health care services"),
        "prevention": N_("prevention (the middle ground)"),
    },
    "welfare_report_kind": {
        "report": N_("welfare report"),
        "plan": N_("welfare plan"),
        "annual_report": N_("annual welfare report"),
    },
    "language": {
        "fi": N_("Finnish"),
        "sv": N_("Swedish"),
        "en": N_("English"),
        "se": N_("Sami"),
        "ru": N_("Russian"),
        "et": N_("Estonian"),
    },
}

#: Reference lists by id that a reader picks by name.
_PICKERS: Final[Mapping[tuple[str, str], Widget]] = {
    ("services", "organisation"): "organisation",
    ("agreements", "organisation"): "organisation",
    ("agreements", "services"): "services",
    ("structures", "members"): "organisations",
    ("hearings", "organisations"): "organisations",
    ("hearings", "structures"): "structures",
}

_LONG: Final = frozenset({"decision", "changes", "indicators", "source"})


@frozen
class FormField:
    """One input of a form: its column, label and help (msgids), widget and choices."""

    name: str
    label: str
    widget: Widget
    required: bool = False
    help: str | None = None
    #: (value, label msgid) for selects and check boxes.
    choices: tuple[tuple[str, str], ...] = ()


def label_of(collection: str, column: str) -> str:
    """The label msgid of ``column``; the column itself when no table has it."""
    return FIELD_LABELS.get(f"{collection}.{column}") or FIELD_LABELS.get(column) or column


def _help(collection: str, column: str, widget: Widget) -> str | None:
    for key in (f"{collection}.{column}", column, f"@{widget}"):
        if key in FIELD_HELP:
            return FIELD_HELP[key]
    return None


def _choices(vocabulary: str, values: Iterable[str] | None = None) -> tuple[tuple[str, str], ...]:
    labels = VALUE_LABELS.get(vocabulary, {})
    chosen = list(values) if values is not None else [str(v) for v in VOCABULARIES[vocabulary]]
    return tuple((v, labels.get(v, v.replace("_", " "))) for v in chosen)


def form_fields(collection: str, service_kinds: Iterable[str] = ()) -> tuple[FormField, ...]:
    """The form of ``collection``, one field per CSV column, in the CSV's order.

    ``service_kinds`` are the registry's (core and plugins'): the choices of a
    service's kind, and the rows of a responsibility agreement's assignments.
    """
    if collection not in COLLECTIONS:
        raise KeyError(collection)
    kinds = sorted(service_kinds) or sorted(SERVICE_KIND_LABELS)
    required = _required(collection)
    out: list[FormField] = []
    for field, kind in _fields(collection).items():
        if kind == "name":
            out.extend(FormField(c, label_of(collection, c), "text") for c in NAME_COLUMNS)
            continue
        vocabulary = VOCABULARY_OF.get((collection, field))
        choices: tuple[tuple[str, str], ...] = ()
        widget: Widget
        if (collection, field) in _PICKERS:
            widget = _PICKERS[(collection, field)]
        elif collection == "services" and field == "kind":
            widget, choices = "select", _choices("service_kind", kinds)
        elif collection == "coverage" and field == "collections":
            from jarjesto_core.reports import COLLECTION_LABELS

            widget = "checkboxes"
            choices = tuple((c, COLLECTION_LABELS.get(c, c)) for c in COLLECTIONS)
        elif vocabulary is not None:
            widget = "checkboxes" if kind == "list" else "select"
            choices = _choices(vocabulary)
        elif kind == "bool":
            widget = (
                "yesno"
                if field not in required and _has_false_default(collection, field)
                else "tristate"
            )
        elif kind == "assignments":
            widget, choices = "assignments", _choices("service_kind", kinds)
        elif kind == "location":
            widget = "municipality"
        elif kind in ("date", "amount", "municipality", "area", "party"):
            widget = kind  # type: ignore[assignment]  # the same names
        elif kind == "int":
            widget = "number"
        elif field in _LONG:
            widget = "longtext"
        else:
            widget = "text"
        out.append(
            FormField(
                field,
                label_of(collection, field),
                widget,
                required=field in required and field != "id",
                help=_help(collection, field, widget),
                choices=choices,
            )
        )
    return tuple(out)


def _has_false_default(collection: str, field: str) -> bool:
    import attrs

    for a in attrs.fields(COLLECTIONS[collection]):
        if a.name == field:
            return a.default is False
    return False


@frozen
class Match:
    """A record a typed name may mean: its id and what a reader sees."""

    id: str
    label: str


def _candidates(dataset: Dataset, widget: str, lang: str) -> list[Match]:
    if widget in ("organisation", "organisations"):
        return [Match(o.id, o.name.pick(lang)) for o in dataset.organisations]
    if widget == "services":
        owners = {o.id: o.name.pick(lang) for o in dataset.organisations}
        return [
            Match(s.id, f"{s.name.pick(lang)} ({owners.get(s.organisation, s.organisation)})")
            for s in dataset.services
        ]
    if widget == "structures":
        return [Match(s.id, s.name.pick(lang)) for s in dataset.structures]
    raise KeyError(widget)


#: Which collection each picker looks in.
PICKER_COLLECTIONS: Final = {
    "organisation": "organisations",
    "organisations": "organisations",
    "services": "services",
    "structures": "structures",
}


def picker_names(dataset: Dataset, widget: str) -> dict[str, set[str]]:
    """Every folded name (in any language) and id -> the ids it may mean: what :func:`find`
    looks a whole name up in. A caller asking often keeps it (the web, per data version:
    folding 20,000 names on every save was half of a national save's time)."""
    found: dict[str, set[str]] = {}
    records: Sequence[object]
    if widget in ("organisation", "organisations"):
        records = dataset.organisations
    elif widget == "services":
        records = dataset.services
    else:
        records = dataset.structures
    for r in records:
        rid: str = getattr(r, "id")  # noqa: B009  # the three collections share the attribute
        found.setdefault(fold(rid), set()).add(rid)
        for text in getattr(r, "name").as_dict().values():  # noqa: B009
            found.setdefault(fold(text), set()).add(rid)
    return found


def find(
    dataset: Dataset,
    widget: str,
    text: str,
    lang: str,
    *,
    limit: int = 12,
    names: Mapping[str, set[str]] | None = None,
) -> tuple[str | None, tuple[Match, ...]]:
    """What ``text`` typed into a picker means: the one id it names, or the candidates.

    An id or a whole name (any language, case and accents folded) that names one
    record is that record. Otherwise the records whose name contains every typed
    word come back (at most ``limit``, by name) for the reader to choose from.
    ``names``: :func:`picker_names` of ``dataset`` and ``widget``, when kept.
    """
    key = fold(text)
    if not key:
        return None, ()
    exact = (picker_names(dataset, widget) if names is None else names).get(key, set())
    if len(exact) == 1:
        return next(iter(exact)), ()
    words = key.split()
    candidates = _candidates(dataset, widget, lang)
    found = [
        m
        for m in candidates
        if m.id in exact or all(w in fold(m.label) or w in fold(m.id) for w in words)
    ]
    found.sort(key=lambda m: (fold(m.label), m.id))
    return None, tuple(found[:limit])
