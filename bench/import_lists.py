"""Time a 20,000-row grant list imported into a dataset, as CSV and as .xlsx.

Not part of the test run. Makes a list shaped like a published one (Finnish
titles, names, amounts with euroa, a year) for the dataset's organisations,
then times reading the file and importing it with a mapping (the dataset is
read first, untimed; writing it back is timed apart). Best of ``--repeat``.

    python bench/import_lists.py DATASET.json [--rows 20000] [--repeat 3]

``DATASET.json``: e.g. ``jarjesto demo generate --organisations 20000 --years 10
--seed 7 -o national.json`` (national scale).
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

import openpyxl

from jarjesto_core.files import read_dataset, write_dataset
from jarjesto_core.importing import import_table, read_table
from jarjesto_core.mapping import load_map

MAPPING = b"""
collection = "agreements"
[columns]
"Hakija" = "organisation"
[set]
party = "Kainuun hyvinvointialue"
start = "2026"
"""


def rows(dataset: object, count: int) -> list[list[str]]:
    organisations = dataset.organisations  # type: ignore[attr-defined]
    out = [["Hakija", "Y-tunnus", "Avustuslaji", "Myönnetty €"]]
    for i in range(count):
        org = organisations[i % len(organisations)]
        kind = "Toiminta-avustus" if i % 3 else "hankeavustus"
        amount = f"{1000 + (i * 37) % 90000:,}".replace(",", " ") + " euroa"
        out.append([org.name.pick("fi"), "", kind, amount])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    dataset = read_dataset(args.dataset)
    table = rows(dataset, args.rows)
    csv_bytes = "\n".join(";".join(r) for r in table).encode("utf-8")
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Avustukset")
    for r in table:
        sheet.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    files = {"csv": csv_bytes, "xlsx": buffer.getvalue()}
    mapping = load_map(MAPPING, file="bench.toml")
    print(
        f"dataset: {len(dataset.organisations)} organisations, {len(dataset.agreements)} agreements"
    )
    for name, data in files.items():
        best_read = best_import = best_write = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            parsed = read_table(data, file=f"list.{name}")
            read = time.perf_counter() - start
            start = time.perf_counter()
            outcome = import_table(dataset, parsed, mapping)
            imported = time.perf_counter() - start
            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                write_dataset(Path(tmp) / "out.json", outcome.dataset)
                written = time.perf_counter() - start
            best_read = min(best_read, read)
            best_import = min(best_import, imported)
            best_write = min(best_write, written)
        print(
            f"{name}: {args.rows} rows, {len(outcome.added)} added: read {best_read:.2f} s, "
            f"map+parse+validate {best_import:.2f} s, write dataset {best_write:.2f} s, "
            f"total {best_read + best_import + best_write:.2f} s (best of {args.repeat})"
        )


if __name__ == "__main__":
    main()
