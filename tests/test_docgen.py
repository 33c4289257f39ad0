"""The generated reference pages: every rule and every CSV column, from the code itself."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import ClassVar

import attrs
import pytest

import jarjesto_core as j
from jarjesto_core import docgen
from jarjesto_core.csvio import columns, read_csv
from jarjesto_core.model import COLLECTIONS, Dataset
from jarjesto_core.plugins import get_plugin_manager
from jarjesto_core.registry import build_registry
from jarjesto_core.rules.base import Context, Rule, Status, Verdict

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def registry() -> j.Registry:
    return build_registry(get_plugin_manager(load_entrypoints=False))


def test_every_core_rule_is_documented_with_its_sources(registry: j.Registry) -> None:
    page = docgen.rules_reference(registry)
    headings = re.findall(r"^### `([^`]+)`$", page, re.MULTILINE)
    assert headings == sorted(registry.rules)
    assert len(headings) == 16
    for code, rule in registry.rules.items():
        section = page.split(f"### `{code}`", 1)[1].split("\n### ", 1)[0]
        assert docgen.rule_summary(rule) in section
        titles = [text for text, _link in registry.sources.rendered(rule.sources, "en")]
        assert titles
        for title in titles:
            assert title.replace("|", "\\|") in section
        assert "seed" not in section.lower()
    assert "`min_meetings` = 2" in page.split("### `core.cooperation-structure`")[1]


class _Undocumented(Rule):
    code = "test.undocumented"
    sources: ClassVar[tuple[str, ...]] = ("a source",)

    def judge(self, ctx: Context) -> Verdict:
        return Verdict(Status.MET, "ok")


class _Documented(_Undocumented):
    """Met when the test says so."""

    code = "test.documented"


def test_plugin_rules_get_their_own_section() -> None:
    reg = attrs.evolve(
        build_registry(get_plugin_manager(load_entrypoints=False)),
        rules={"test.documented": _Documented()},
        rule_plugins={"test.documented": "test"},
    )
    page = docgen.rules_reference(reg)
    assert "## Plugin `test`\n\n### `test.documented`\n\nMet when the test says so." in page
    assert "- **Subjects:** municipalities and wellbeing areas" in page
    assert "- **Sources:** a source" in page


def test_a_rule_without_a_docstring_is_refused() -> None:
    # The base class's docstring is not the rule's: it must say what it checks itself.
    class Bare(Rule):
        code = "test.bare"

    with pytest.raises(ValueError, match=r"rule 'test\.bare' has no docstring"):
        docgen.rule_summary(Bare())


def test_csv_reference_lists_every_column_of_every_collection(registry: j.Registry) -> None:
    page = docgen.csv_reference(registry, j.sample_dataset())
    for collection in COLLECTIONS:
        section = page.split(f"## {collection}\n", 1)[1].split("\n## ", 1)[0]
        listed = re.findall(
            r"`([a-z_]+)`",
            "\n".join(
                line.split("|")[1] for line in section.splitlines() if line.startswith("| `")
            ),
        )
        assert listed == list(columns(collection))
        assert f"Example: [{collection}.csv](csv/{collection}.csv)" in section
    assert "| `scope` | yes | one of `local`, `regional`, `national` |" in page
    assert "| `founded` |  | a date, `2024-01-31` or `31.1.2024` |" in page
    assert "`clubhouse`" in page.split("## services")[1].split("## agreements")[0]


@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_each_example_file_reads_back_as_the_sample_records(collection: str) -> None:
    sample = j.sample_dataset()
    text = docgen.csv_example(collection, sample)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == list(columns(collection))
    assert len(rows) - 1 == min(2, len(sample.collection(collection)))
    read = read_csv(collection, text.encode("utf-8"), file=f"{collection}.csv")
    assert read.records == sample.collection(collection)[:2]


def test_every_required_field_is_marked(registry: j.Registry) -> None:
    page = docgen.csv_reference(registry, Dataset())
    required = re.findall(r"^\| `([a-z_]+)`[^|]*\| yes \|", page, re.MULTILINE)
    assert "id" in required
    assert "organisation" in required
    assert "start" in required
