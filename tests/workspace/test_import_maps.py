"""Import mappings kept in a workspace: by name, audited, checked, no part of the dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from jarjesto_core.errors import DatasetError
from jarjesto_core.files import sample_dataset
from jarjesto_core.workspace import open_workspace

MAPPING = 'collection = "agreements"\n[set]\nparty = "Joensuu"\n'


def test_saved_mappings_are_kept_replaced_and_audited(tmp_path: Path) -> None:
    with open_workspace(str(tmp_path / "ws.db")) as ws:
        ws.init()
        ws.load(sample_dataset(), actor="setup")
        before = ws.dataset()
        version = ws.data_version()
        ws.save_import_map(" Joensuun avustukset ", MAPPING, "eeva")
        assert ws.import_maps() == {"Joensuun avustukset": MAPPING}
        assert ws.data_version() == version + 1
        ws.save_import_map("Joensuun avustukset", MAPPING, "eeva")  # the same: nothing written
        assert ws.data_version() == version + 1
        changed = MAPPING.replace("Joensuu", "Liperi")
        ws.save_import_map("Joensuun avustukset", changed, "aino")
        ws.save_import_map("A", MAPPING, "aino")
        assert list(ws.import_maps()) == ["A", "Joensuun avustukset"]
        assert ws.import_maps()["Joensuun avustukset"] == changed
        log = ws.log(record_id="import_map:Joensuun avustukset")
        assert [(e.actor, e.action) for e in log] == [("eeva", "insert"), ("aino", "update")]
        assert log[1].before == {"toml": MAPPING}
        # No part of the dataset.
        assert ws.dataset() == before


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("", MAPPING, "a mapping's name is 1 to 80 characters of plain text"),
        ("a\nb", MAPPING, "a mapping's name is 1 to 80 characters of plain text"),
        ("x" * 81, MAPPING, "a mapping's name is 1 to 80 characters of plain text"),
        ("kartta", "[columns\n", "the mapping is not valid TOML"),
        ("kartta", 'collection = "grants"\n', "unknown collection 'grants'"),
    ],
)
def test_a_bad_name_or_mapping_is_refused_and_nothing_kept(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    with open_workspace(str(tmp_path / "ws.db")) as ws:
        ws.init()
        with pytest.raises(DatasetError) as caught:
            ws.save_import_map(name, text, "eeva")
        assert expected in caught.value.render("en")
        assert ws.import_maps() == {}
