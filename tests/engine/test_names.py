"""Reports name things for people: names for ids, labels for codes, titles for rules."""

from __future__ import annotations

import pytest
from engine_support import JOENSUU, agreement, dataset, org, party, svc
from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core.assessment import assess
from jarjesto_core.i18n import translate
from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.labels import (
    AGREEMENT_KIND_LABELS,
    COORDINATOR_TITLE_LABELS,
    SERVICE_KIND_LABELS,
    STRUCTURE_KIND_LABELS,
    TOPIC_LABELS,
    label,
)
from jarjesto_core.model import (
    AgreementKind,
    CoordinatorTitle,
    Dataset,
    Name,
    PartyRef,
    StructureKind,
    Topic,
)
from jarjesto_core.names import MORE, Names, summarise
from jarjesto_core.reference import Reference
from jarjesto_core.registry import Registry
from jarjesto_core.reports import view
from jarjesto_core.rules.base import Context, Rule, Status, Verdict
from jarjesto_core.rules.core import CORE_RULES


@pytest.mark.parametrize(
    ("code", "fi", "sv", "en"),
    [
        ("475", "Maalahti", "Malax", "Malax"),  # Swedish majority: English uses Malax
        ("445", "Parainen", "Pargas", "Pargas"),
        ("853", "Turku", "Åbo", "Turku"),  # Finnish majority: Turku
        ("167", "Joensuu", "Joensuu", "Joensuu"),
    ],
)
def test_municipalities_in_the_readers_language(
    reference: Reference, code: str, fi: str, sv: str, en: str
) -> None:
    names = Names(Dataset(), reference, 2025)
    municipality = PartyRef.municipality(code)
    assert [names.party(municipality, lang) for lang in ("fi", "sv", "en")] == [fi, sv, en]
    assert names.of(f"municipality:{code}", "en") == en


def test_records_by_name_with_their_kind(reference: Reference) -> None:
    ds = dataset(
        organisations=[org("o1")],
        services=[svc("s1", "o1", kind="peer_support")],
        agreements=[agreement("g1", "operating_grant", f"municipality:{JOENSUU}", "o1")],
    )
    names = Names(ds, reference, 2024)
    assert names.of("o1", "fi") == "o1"
    assert names.of("s1", "fi") == "s1 (o1)"
    assert names.of("g1", "fi") == "toiminta-avustus: o1"
    assert names.of("g1", "sv") == "verksamhetsbidrag: o1"
    assert names.of("g1", "en") == "operating grant: o1"
    assert names.of("area:14", "sv") == "Norra Karelens välfärdsområde"
    assert names.of("no-such-id", "fi") == "no-such-id"  # shown as it is, never refused


def test_long_evidence_is_summarised() -> None:
    many = [f"Yhdistys {i} ry" for i in range(21)]
    assert summarise(many, "en") == "Yhdistys 0 ry, Yhdistys 1 ry and 19 more"
    assert summarise(many, "fi") == "Yhdistys 0 ry, Yhdistys 1 ry ja 19 muuta"
    assert summarise(many, "sv") == "Yhdistys 0 ry, Yhdistys 1 ry och 19 till"
    assert summarise(many[:4], "en") == "Yhdistys 0 ry, Yhdistys 1 ry and 2 more"
    assert summarise(many[:4], "fi") == "Yhdistys 0 ry, Yhdistys 1 ry ja 2 muuta"
    assert translate(MORE, "fi", {"names": "A", "count": 1}) == "A ja yksi muu"
    assert translate(MORE, "sv", {"names": "A", "count": 1}) == "A och en till"
    assert summarise(many[:3], "sv") == "Yhdistys 0 ry, Yhdistys 1 ry och Yhdistys 2 ry"
    assert summarise([], "fi") == "–"


@given(st.lists(st.text(min_size=1, max_size=8), max_size=40), st.sampled_from(["fi", "sv", "en"]))
def test_a_summary_names_the_first_ones_and_counts_the_rest(names: list[str], lang: str) -> None:
    text = summarise(names, lang)
    for shown in names[:2]:
        assert shown in text
    if len(names) > 3:
        assert str(len(names) - 2) in text or len(names) - 2 == 1


@pytest.mark.parametrize(
    ("table", "codes"),
    [
        (SERVICE_KIND_LABELS, list(CORE_SERVICE_KINDS)),
        (AGREEMENT_KIND_LABELS, [k.value for k in AgreementKind]),
        (STRUCTURE_KIND_LABELS, [k.value for k in StructureKind]),
        (COORDINATOR_TITLE_LABELS, [k.value for k in CoordinatorTitle]),
        (TOPIC_LABELS, [k.value for k in Topic]),
    ],
)
def test_every_kind_has_a_label_in_each_language(table: dict[str, str], codes: list[str]) -> None:
    for code in codes:
        assert code in table, code
        fi, sv = label(code, table, "fi"), label(code, table, "sv")
        assert fi
        assert sv
        assert "_" not in fi + sv
        assert fi != table[code] or sv != table[code], f"{code} is not translated"


def test_every_core_rule_has_a_title_in_each_language() -> None:
    for rule in CORE_RULES:
        titles = {lang: rule._title() for lang in ("fi", "sv", "en")}
        texts = [t.localise(lang) for lang, t in titles.items() if t is not None]
        assert len(texts) == 3, rule.code
        assert len(set(texts)) == 3, (rule.code, texts)
        assert all("." not in text for text in texts)


class OtherRegion(Rule):
    """A plugin's rule about a region the subject is not in."""

    code = "elsewhere.council"
    title = "A council elsewhere"
    i18n_domain = "jarjesto_elsewhere"

    def applies(self, ctx: Context) -> bool:
        return False

    def judge(self, ctx: Context) -> Verdict:
        return Verdict(Status.MET, "never")


def test_other_regions_rules_never_appear_in_a_report(
    registry: Registry, reference: Reference
) -> None:
    from attrs import evolve

    with_plugin = evolve(registry, rules={**registry.rules, OtherRegion.code: OtherRegion()})
    result = assess(
        dataset(organisations=[org("o1")]),
        2024,
        [party(f"municipality:{JOENSUU}")],
        registry=with_plugin,
        reference=reference,
    )
    # The engine leaves another region's rules out (criteria.md, "Scores"), and so does the
    # report.
    assert not any(f.rule == OtherRegion.code for f in result.subjects[0].findings)
    shown = view(result, "fi")["subjects"][0]["findings"]
    assert [f for f in shown if f["rule"] == OtherRegion.code] == []
    # Core's own not-applicable findings stay: they concern every subject of the kind.
    assert any(f["status"] == "not_applicable" for f in shown)


def test_names_of_a_name() -> None:
    assert Name(fi="Maalahti", sv="Malax").pick("en") == "Maalahti"  # a Name alone has no en
