"""Dataset commands: ``validate``, ``import``, ``export`` and ``new``.

Each parses its arguments, calls the core and prints; a core error travels
up to :class:`jarjesto_cli.cli.JarjestoGroup`, the one place that turns it
into messages and an exit code.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path
from typing import Any

import click

from jarjesto_cli.output import console, lang, say
from jarjesto_core.i18n import N_, translate

__all__ = ["COLLECTIONS", "COMMANDS"]

#: The dataset's collections (``jarjesto_core.model.COLLECTIONS``), spelt out so
#: that ``jarjesto --help`` need not build the model's classes; a test keeps
#: the two equal.
COLLECTIONS = (
    "organisations",
    "services",
    "agreements",
    "responsibilities",
    "structures",
    "coordinators",
    "hearings",
    "commitments",
)

#: Show a progress bar for imports longer than this (on a terminal only).
PROGRESS_ROWS = 1000

_DATASET_IN = click.Path(exists=True, dir_okay=False)


def _encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        codecs.lookup(value)
    except LookupError:
        raise click.BadParameter(f"unknown encoding {value!r} (try utf-8 or cp1252)") from None
    return value


def _counts(dataset: Any) -> str:
    parts = [f"{len(dataset.collection(n))} {n}" for n in COLLECTIONS if dataset.collection(n)]
    return ", ".join(parts) if parts else translate(N_("no records"), lang())


@click.command()
@click.argument("dataset", required=False, type=_DATASET_IN)
def validate(dataset: str | None) -> None:
    """Check a dataset and list every problem it has.

    Without DATASET, checks the bundled sample. Exit 0 when the dataset is
    valid; otherwise each problem goes on its own line on stderr (file,
    record, field, message) and the exit code is 1.

    \b
    Examples:
      jarjesto validate region.json
      jarjesto --lang sv validate region.json
    """
    from jarjesto_cli.sources import load_source

    data = load_source(dataset)
    say(
        N_("%(dataset)s is valid: %(counts)s"),
        style="green",
        dataset=dataset or "sample",
        counts=_counts(data),
    )


class _Progress:
    """A rich progress bar, started only for long imports on a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total <= PROGRESS_ROWS or not sys.stderr.isatty():
                return
            from rich.progress import Progress

            self.bar = Progress(console=console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@click.command("import")
@click.argument("dataset", type=_DATASET_IN)
@click.argument("collection", type=click.Choice(COLLECTIONS), metavar="COLLECTION")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and report what would be added.")
@click.option(
    "--encoding",
    callback=_encoding,
    help="The file's encoding (default: UTF-8 with or without BOM, else Windows-1252).",
)
def import_(dataset: str, collection: str, file: str, dry_run: bool, encoding: str | None) -> None:
    """Add the rows of a CSV file to a collection of DATASET, all or nothing.

    Columns are the collection's field names; a name is name_fi, name_sv,
    name_en; list cells separate items with commas. Semicolons or commas,
    UTF-8 (with or without BOM) or Windows-1252, dates 2024-01-31 or
    31.1.2024, amounts 1234.50 or 1 234,50, yes/no as true/false, kyllä/ei,
    ja/nej or 1/0, municipalities by code or Finnish or Swedish name.

    Every problem is reported with its file, row, column and value, and then
    nothing is written. Otherwise DATASET is replaced atomically.

    \b
    Examples:
      jarjesto import region.json organisations organisations.csv
      jarjesto import region.json agreements grants.csv --dry-run
      jarjesto import region.json services palvelut.csv --encoding cp1252
    """
    from jarjesto_cli.sources import load_source
    from jarjesto_core.csvio import import_csv
    from jarjesto_core.files import write_dataset

    current = load_source(dataset)
    data = Path(file).read_bytes()
    progress = _Progress(file)
    try:
        result = import_csv(
            current, collection, data, file=file, encoding=encoding, progress=progress
        )
    finally:
        progress.close()
    ids = [r.id for r in result.added.records]
    shown = ", ".join(ids[:10]) + (", …" if len(ids) > 10 else "")
    if dry_run:
        say(
            N_("dry run: %(count)s %(collection)s would be added to %(dataset)s: %(ids)s"),
            count=len(ids),
            collection=collection,
            dataset=dataset,
            ids=shown or "-",
        )
        return
    write_dataset(dataset, result.dataset)
    say(
        N_("added %(count)s %(collection)s to %(dataset)s: %(ids)s"),
        style="green",
        count=len(ids),
        collection=collection,
        dataset=dataset,
        ids=shown or "-",
    )


@click.command()
@click.argument("dataset", required=False, type=_DATASET_IN)
@click.option(
    "--format",
    "format_",
    type=click.Choice(["json", "csv"]),
    required=True,
    help="json: one dataset file; csv: one file per collection, the columns import takes.",
)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(),
    help="json: a file ('-' for stdout); csv: a directory (created when missing).",
)
def export(dataset: str | None, format_: str, output: str) -> None:
    """Write a dataset as JSON, or as CSV files that import takes back.

    Without DATASET, exports the bundled sample. CSV files are named after
    their collection (organisations.csv, ...), separated by semicolons, in
    UTF-8 with a BOM, so that Excel in Finland opens them as they are.

    \b
    Examples:
      jarjesto export region.json --format csv --output region-csv/
      jarjesto export region.json --format json --output copy.json
      jarjesto export --format json --output -
    """
    from jarjesto_cli.sources import load_source
    from jarjesto_core.files import atomic_write
    from jarjesto_core.serialise import dump_dataset

    data = load_source(dataset)
    if format_ == "json":
        text = dump_dataset(data)
        if output == "-":
            click.echo(text, nl=False)
            return
        if Path(output).is_dir():
            raise click.BadParameter(f"{output!r} is a directory", param_hint="'--output'")
        atomic_write(output, text.encode("utf-8"))
        say(N_("wrote %(path)s"), style="green", path=output)
        return
    from jarjesto_core.csvio import write_csv

    target = Path(output)
    if output == "-" or target.is_file():
        raise click.BadParameter(
            "CSV export writes one file per collection: give a directory",
            param_hint="'--output'",
        )
    target.mkdir(parents=True, exist_ok=True)
    for name in COLLECTIONS:
        path = target / f"{name}.csv"
        atomic_write(path, write_csv(name, data.collection(name)).encode("utf-8-sig"))
    say(
        N_("wrote %(count)s CSV files to %(path)s"),
        style="green",
        count=len(COLLECTIONS),
        path=output,
    )


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
def new(path: str, force: bool) -> None:
    """Create an empty, valid dataset at PATH.

    \b
    Examples:
      jarjesto new region.json
      jarjesto new region.json --force     start over
    """
    from jarjesto_core.files import write_dataset
    from jarjesto_core.model import Dataset

    if Path(path).exists() and not force:
        raise click.BadParameter(f"{path!r} exists; add --force to replace it", param_hint="'PATH'")
    write_dataset(path, Dataset())
    say(N_("created an empty dataset %(path)s"), style="green", path=path)


COMMANDS = [validate, import_, export, new]
