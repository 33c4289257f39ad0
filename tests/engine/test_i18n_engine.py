"""Every message of the engine has a Finnish and a Swedish translation that fits its parameters."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from engine_support import JOENSUU, dataset, party

from jarjesto_core.assessment import assess
from jarjesto_core.model import Appropriation
from jarjesto_core.reference import Reference
from jarjesto_core.registry import Registry

ROOT = Path(__file__).parents[2]
SOURCES = [
    "src/jarjesto_core/rules/base.py",
    "src/jarjesto_core/rules/core.py",
    "src/jarjesto_core/rules/demands.py",
    "src/jarjesto_core/resolver.py",
    "src/jarjesto_core/reports/__init__.py",
    "src/jarjesto_core/reports/formats.py",
    "src/jarjesto_cli/commands/assessment.py",
    "src/jarjesto_cli/context.py",
    "src/jarjesto_core/query.py",
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


def msgids() -> list[str]:
    found: list[str] = []
    for source in SOURCES:
        for node in ast.walk(ast.parse((ROOT / source).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
                value = node.args[0]
                assert isinstance(value, ast.Constant)
                found.append(value.value)
    return found


def table() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in (ROOT / "i18n" / "engine.tsv").read_text(encoding="utf-8").splitlines():
        msgid, fi, sv = line.split("\t")
        assert msgid not in rows, f"duplicate msgid {msgid!r}"
        rows[msgid] = (fi, sv)
    return rows


def test_every_msgid_is_translated() -> None:
    rows = table()
    assert sorted(set(msgids()) - set(rows)) == []
    assert sorted(set(rows) - set(msgids())) == []


@pytest.mark.parametrize("msgid", sorted(table()))
def test_translations_keep_the_placeholders(msgid: str) -> None:
    expected = sorted(PLACEHOLDER.findall(msgid))
    for text in table()[msgid]:
        assert text.strip(), msgid
        assert sorted(PLACEHOLDER.findall(text)) == expected, (msgid, text)


@pytest.fixture(scope="module")
def localedir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The engine's translations compiled into a real gettext catalogue."""
    root = tmp_path_factory.mktemp("locale")
    for index, lang in enumerate(("fi", "sv")):
        catalog = Catalog(locale=lang, domain="jarjesto")
        for msgid, texts in table().items():
            flags = ("python-format",) if "%" in msgid else ()
            catalog.add(msgid, texts[index], flags=flags)
        target = root / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        with open(target / "jarjesto.mo", "wb") as handle:
            write_mo(handle, catalog)
    return root


def test_findings_render_in_finnish_and_swedish(
    registry: Registry, reference: Reference, localedir: Path
) -> None:
    ds = dataset(
        appropriations=[
            Appropriation(
                "hyte",
                party(f"municipality:{JOENSUU}"),
                2024,
                "Hyte",
                Decimal("100000"),
                hyte=True,
                grants_reserved_eur=Decimal("25000"),
            )
        ]
    )
    result = assess(
        ds, 2024, [party(f"municipality:{JOENSUU}")], registry=registry, reference=reference
    )
    found = next(f for f in result.subjects[0].findings if f.rule == "core.appropriation")
    assert found.render("fi") == (
        "Vuoden 2024 määrärahasta Hyte on varattu järjestöavustuksiin 25\xa0000\xa0€ "
        "(määräraha 100\xa0000\xa0€)."
    )
    assert found.render("sv") == (
        "Av anslaget Hyte för år 2024 har 25\xa0000\xa0€ av 100\xa0000\xa0€ reserverats för "
        "organisationsbidrag."
    )


def test_terms_render_names_and_msgids_in_the_readers_language() -> None:
    from jarjesto_core.i18n import N_
    from jarjesto_core.model import Name
    from jarjesto_core.rules.base import Terms, render_message

    places = Terms([Name(fi="Juuka", sv="Juga"), Name(fi="Kitee", sv="Kides")])
    assert render_message("missing: %(m)s", {"m": places}, "sv") == "missing: Juga, Kides"
    assert render_message("missing: %(m)s", {"m": places}, "fi") == "missing: Juuka, Kitee"
    labels = Terms([N_("met"), N_("not met")])
    assert render_message("%(m)s", {"m": labels}, "fi") == "täyttyy, ei täyty"
    assert render_message("%(m)s", {"m": Terms([])}, "en") == "–"
    assert len(places) == 2
