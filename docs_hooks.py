"""MkDocs hooks: the reference pages generated from the code at build time.

The rules reference and the CSV columns are written from the registry of the
installed plugins and from :mod:`jarjesto_core.csvio` by
:mod:`jarjesto_core.docgen`, so they cannot drift from the code. Nothing is
written into ``docs/``: the pages exist only in the build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).parent


def on_files(files: Files, config: Any) -> Files:
    import jarjesto_core as j
    from jarjesto_core import docgen
    from jarjesto_core.model import COLLECTIONS

    registry = j.build_registry(j.get_plugin_manager())
    sample = j.sample_dataset()
    pages = {
        "reference/rules.md": docgen.rules_reference(registry),
        "reference/csv.md": docgen.csv_reference(registry, sample, example_dir="csv"),
        "changelog.md": (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"),
    }
    for collection in COLLECTIONS:
        pages[f"reference/csv/{collection}.csv"] = docgen.csv_example(collection, sample)
    for uri, content in pages.items():
        files.append(File.generated(config, uri, content=content))
    return files
