"""With the three regional plugins installed, the ``jarjesto`` command finds them by entry point.

Run by ``nox -s plugins`` after installing jarjesto and every ``plugins/*``
distribution; these tests need the real installation, not registered modules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PLUGINS = ("pohjois_karjala", "tampere", "varsinais_suomi")


def jarjesto(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JARJESTO_")}
    done = subprocess.run(
        [sys.executable, "-m", "jarjesto_cli", "--lang", "en", *args],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def findings(*args: str) -> dict[str, dict[str, Any]]:
    report = json.loads(jarjesto("assess", "--format", "json", *args))
    (subject,) = report["subjects"]
    return {f["rule"]: f for f in subject["findings"]}


def test_plugins_lists_them_with_their_rules() -> None:
    listed = {p["name"]: p for p in json.loads(jarjesto("plugins", "--json"))}
    assert set(PLUGINS) <= set(listed)
    assert listed["pohjois_karjala"]["rules"] == [
        "pohjois_karjala.jane",
        "pohjois_karjala.local-coverage",
    ]
    assert listed["tampere"]["version"] == "0.2.0"
    assert listed["varsinais_suomi"]["module"] == "jarjesto_varsinais_suomi"


def _four_meetings(tmp_path: Path) -> str:
    """A JANE that met four times in 2024 (the sample's meets six times since 2023, and an
    area is not judged before 2023)."""
    orgs = [
        {
            "id": oid,
            "name": {"fi": oid},
            "languages": ["fi"],
            "scope": "local",
            "municipalities": ["167"],
            "fields": [field],
        }
        for oid, field in (("a", "mental_health"), ("b", "older_people"), ("c", "sport"))
    ]
    jane = {
        "id": "jane",
        "kind": "organisation_council",
        "party": "area:14",
        "name": {"fi": "JANE"},
        "members": ["a", "b", "c"],
        "meetings": ["2024-02-01", "2024-04-01", "2024-06-01", "2024-09-01"],
    }
    # The area's bodies are all here in 2024: a partial verdict may rest on what is missing.
    coverage = {
        "id": "cov-14",
        "collections": ["organisations", "structures"],
        "parties": ["area:14"],
        "start": "2024-01-01",
        "end": "2024-12-31",
        "members": True,
        "source": "keksitty esimerkki – påhittat exempel – invented example",
    }
    path = tmp_path / "jane.json"
    doc = {
        "format": "jarjesto-dataset",
        "version": 1,
        "organisations": orgs,
        "structures": [jane],
        "coverage": [coverage],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def test_assess_area_14_has_the_regions_findings(tmp_path: Path) -> None:
    found = findings(_four_meetings(tmp_path), "--area", "14", "--year", "2024")
    assert {r for r in found if r.startswith("pohjois_karjala.")} == {
        "pohjois_karjala.jane",
        "pohjois_karjala.local-coverage",
    }
    assert found["pohjois_karjala.jane"]["status"] == "partial"
    # The thresholds hook: four meetings are not the five the region expects.
    assert found["core.cooperation-structure"]["status"] == "partial"
    assert "fewer than 5 times in 2024" in found["core.cooperation-structure"]["message"]


def test_blocking_the_plugin_removes_its_findings_and_thresholds(tmp_path: Path) -> None:
    found = findings(
        _four_meetings(tmp_path),
        "--area",
        "14",
        "--year",
        "2024",
        "--disable-plugin",
        "pohjois_karjala",
    )
    assert not [r for r in found if r.startswith("pohjois_karjala.")]
    assert found["core.cooperation-structure"]["status"] == "met"
    # The other regional plugins' rules are not area 14's concern: never listed.
    assert not [r for r in found if r.startswith(("varsinais_suomi.", "tampere."))]


@pytest.mark.parametrize(
    ("args", "rule", "status"),
    [
        (("--municipality", "837", "--year", "2024"), "tampere.categories", "partial"),
        (("--municipality", "837", "--year", "2025"), "tampere.term", "not_met"),
        (("--area", "05", "--year", "2024"), "varsinais_suomi.family-centre-network", "met"),
        (("--area", "05", "--year", "2025"), "varsinais_suomi.cooperation-agreements", "met"),
    ],
)
def test_the_other_regions(args: tuple[str, ...], rule: str, status: str) -> None:
    assert findings(*args)[rule]["status"] == status


def test_messages_come_from_the_plugins_catalogue() -> None:
    report = json.loads(
        subprocess.run(
            [sys.executable, "-m", "jarjesto_cli", "--lang", "sv", "assess", "--format", "json",
             "--municipality", "837", "--year", "2024"],
            capture_output=True, text=True, check=True,
        ).stdout
    )  # fmt: skip
    messages = {f["rule"]: f["message"] for f in report["subjects"][0]["findings"]}
    assert messages["tampere.categories"].startswith(
        "Järjestöedustamos medlemmar representerar 4 av de 17 organisationskategorierna"
    )
