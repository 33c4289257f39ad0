"""Dataset commands: ``validate``, ``import``, ``export`` and ``new``.

Each parses its arguments, calls the core and prints; a core error travels
up to :class:`jarjesto_cli.cli.JarjestoGroup`, the one place that turns it
into messages and an exit code.
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from jarjesto_cli.commands.tables import CSV_USAGE
from jarjesto_cli.options import YEAR, workspace_option
from jarjesto_cli.output import console, lang, say
from jarjesto_core.i18n import N_, NP_, translate

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
    "welfare_reports",
    "appropriations",
    "coverage",
    "joint_authorities",
    "funders",
)

#: Show a progress bar for imports longer than this (on a terminal only).
PROGRESS_ROWS = 1000

_DATASET_IN = click.Path(exists=True, dir_okay=False)


def _encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        info = codecs.lookup(value)
    except LookupError:
        raise click.BadParameter(f"unknown encoding {value!r} (try utf-8 or cp1252)") from None
    if not getattr(info, "_is_text_encoding", True):  # base64, zlib: bytes to bytes
        raise click.BadParameter(f"{value!r} is not a text encoding (try utf-8 or cp1252)")
    return value


def _counts(dataset: Any) -> str:
    parts = [f"{len(dataset.collection(n))} {n}" for n in COLLECTIONS if dataset.collection(n)]
    return ", ".join(parts) if parts else translate(N_("no records"), lang())


@click.command()
@click.argument("dataset", required=False, type=_DATASET_IN)
@workspace_option()
def validate(dataset: str | None, workspace: str | None) -> None:
    """Check a dataset and list every problem it has.

    Without DATASET, checks the bundled sample. Exit 0 when the dataset is
    valid; otherwise each problem goes on its own line on stderr (file,
    record, field, message) and the exit code is 1.

    \b
    Examples:
      jarjesto validate region.json
      jarjesto --lang sv validate region.json
      jarjesto validate --workspace region.db
    """
    from jarjesto_cli.sources import load_source

    data = load_source(dataset, workspace=workspace, service_kinds=_kinds())
    label = dataset or "sample"
    if dataset is None and workspace is not None:
        from jarjesto_core.files import load_dataset
        from jarjesto_core.serialise import dump_dataset
        from jarjesto_core.workspace import open_workspace

        # Rows written around the API (by hand, by an older jarjesto) are only read, not
        # checked, when a workspace is opened: check them exactly as the file they dump to.
        label = open_workspace(workspace).location
        load_dataset(dump_dataset(data), file=label, service_kinds=_kinds())
    _warn(data.agreements)
    say(
        N_("%(dataset)s is valid: %(counts)s"),
        style="green",
        dataset=label,
        counts=_counts(data),
    )


def _warn(agreements: Any) -> None:
    """Print the validation warnings of these agreements (a 0 € amount) on stderr, each
    naming its record."""
    import attrs

    from jarjesto_core.model import Dataset
    from jarjesto_core.validation import warnings

    for problem in warnings(Dataset(agreements=tuple(agreements))):
        text = attrs.evolve(problem, index=None).render(lang())
        click.echo(translate(N_("warning: %(problem)s"), lang(), {"problem": text}), err=True)


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


def _dataset_and_rest(
    ctx: click.Context, args: tuple[str, ...], workspace: str | None, rest: int, usage: str
) -> tuple[str | None, str | None, tuple[str, ...]]:
    """Split ``import``'s arguments into (dataset file, workspace, the rest).

    DATASET is left out when a workspace is named; a workspace set only in
    ``JARJESTO_WORKSPACE`` gives way to a DATASET on the command line, as in
    :func:`jarjesto_cli.sources.load_source`.
    """
    from_env = ctx.get_parameter_source("workspace") is click.core.ParameterSource.ENVIRONMENT
    if len(args) == rest + 1:
        if workspace is not None and not from_env:
            raise click.UsageError("give a dataset file or --workspace, not both")
        return str(_DATASET_IN.convert(args[0], None, ctx)), None, args[1:]
    if len(args) == rest and workspace is not None:
        return None, workspace, args
    raise click.UsageError(usage)


def _read_directory(directory: str) -> dict[str, bytes]:
    """The files of an export directory by name (an HSDS export is flat)."""
    return {p.name: p.read_bytes() for p in sorted(Path(directory).iterdir()) if p.is_file()}


def _counted(changes: Mapping[str, Sequence[str]]) -> str:
    parts = [f"{len(ids)} {name}" for name, ids in changes.items() if ids]
    return ", ".join(parts) if parts else translate(N_("no records"), lang())


def _import_hsds(dataset: str | None, workspace: str | None, directory: str, dry_run: bool) -> None:
    """Organisations and services of an HSDS export into a dataset file or a workspace.

    What the records become is :mod:`jarjesto_core.opendata.hsds_policy`'s; this
    reads the directory, writes, and says what happened.
    """
    from jarjesto_cli.commands.workspace import actor
    from jarjesto_cli.sources import load_source
    from jarjesto_core.opendata import hsds_policy as policy
    from jarjesto_core.reference import bundled_reference

    target = dataset or workspace
    reference = bundled_reference()
    imported = policy.read_export(
        _read_directory(directory),
        directory=directory,
        reference=reference,
        publisher=load_source(dataset, workspace=workspace, service_kinds=_kinds()).publisher,
        service_kinds=_kinds(),
    )
    for note in imported.notes:
        click.echo(note.render(lang()), err=True)
    if workspace is not None:
        from jarjesto_core.workspace import open_workspace

        with open_workspace(workspace, service_kinds=_kinds()) as ws:
            current = ws.dataset()
            new, plan = policy.into_workspace(current, imported, directory=directory)
            if dry_run:
                policy.into_dataset(
                    current, imported, where=workspace, reference=reference, service_kinds=_kinds()
                )
            else:
                ws.add_all(new, actor())  # validates in its own transaction
    else:
        from jarjesto_core.files import dataset_lock, read_dataset, write_dataset

        assert dataset is not None
        with dataset_lock(dataset):
            current = read_dataset(dataset, service_kinds=_kinds())
            merged, plan = policy.into_dataset(
                current, imported, where=dataset, reference=reference, service_kinds=_kinds()
            )
            if not dry_run:
                write_dataset(dataset, merged)
    message = (
        N_("dry run: from %(path)s, %(target)s would get %(added)s added, %(replaced)s replaced")
        if dry_run
        else N_("imported %(path)s into %(target)s: %(added)s added, %(replaced)s replaced")
    )
    say(
        message,
        style=None if dry_run else "green",
        path=directory,
        target=target,
        added=_counted(plan.added),
        replaced=_counted(plan.replaced),
    )


def _kinds() -> Any:
    """The service kinds of the core and the loaded plugins, as the dataset may use them."""
    from jarjesto_cli.context import registry

    return registry(click.get_current_context()).service_kinds


HSDS_USAGE = (
    "import --format hsds takes DATASET DIRECTORY, or --workspace and DIRECTORY "
    "(the directory an HSDS export wrote)"
)


@click.command("import")
@click.argument("args", nargs=-1, metavar="[DATASET] [COLLECTION] PATH")
@workspace_option()
@click.option(
    "--format",
    "format_",
    type=click.Choice(["csv", "hsds"]),
    default="csv",
    show_default=True,
    help="csv: the rows of FILE into COLLECTION; hsds: organisations and services from "
    "the DIRECTORY of an HSDS export (no COLLECTION).",
)
@click.option("--dry-run", is_flag=True, help="Check the input and report what would be added.")
@click.option(
    "--encoding",
    callback=_encoding,
    help="The CSV file's encoding (default: UTF-8 with or without BOM, else Windows-1252).",
)
@click.option(
    "--map",
    "map_file",
    type=click.Path(exists=True, dir_okay=False),
    help="A mapping file (TOML): the file's columns, values for every row, its words, "
    "organisations to create (docs/import.md).",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="FIELD=VALUE",
    help="A value for every row whose cell is empty (repeatable), e.g. --set start=2024.",
)
@click.option("--sheet", help="The sheet of an .xlsx workbook (default: the first).")
@click.option(
    "--update",
    is_flag=True,
    help="Replace records with the same id (organisations: or Business ID); skip identical ones.",
)
@click.option(
    "--save-map",
    type=click.Path(dir_okay=False),
    help="Write the mapping used to this TOML file, for next year's list of the same shape.",
)
@click.option(
    "--complete",
    is_flag=True,
    help="The file is every record of its collection for the parties and years it holds "
    "(e.g. every grant of a funder in 2023): record that coverage, so that a record missing "
    "from it counts as 'no' there. Without it, a missing record is 'not recorded'.",
)
@click.option(
    "--source",
    metavar="TEXT|URL",
    help="With --complete: where the list was published, cited by reports and as "
    "360Giving's dataSource when a URL (default: the file's name).",
)
@click.pass_context
def import_(
    ctx: click.Context,
    args: tuple[str, ...],
    workspace: str | None,
    format_: str,
    dry_run: bool,
    encoding: str | None,
    map_file: str | None,
    sets: tuple[str, ...],
    sheet: str | None,
    update: bool,
    save_map: str | None,
    complete: bool,
    source: str | None,
) -> None:
    """Add records to DATASET (or a workspace), all or nothing.

    \b
    jarjesto import DATASET COLLECTION FILE.csv
    jarjesto import --workspace WS COLLECTION FILE.csv
    jarjesto import DATASET --format hsds DIRECTORY
    jarjesto import --workspace WS --format hsds DIRECTORY

    CSV: columns are the collection's field names; a name is name_fi,
    name_sv, name_en; list cells separate items with commas. Semicolons or
    commas, UTF-8 (with or without BOM) or Windows-1252, dates 2024-01-31 or
    31.1.2024, amounts 1234.50 or 1 234,50, yes/no as true/false, kyllä/ei,
    ja/nej or 1/0, municipalities by code or Finnish or Swedish name.

    HSDS: the organisations and services of a directory written by
    export --format hsds (with jarjesto's profile). Into a file, a record
    with the id of an existing one replaces it; into a workspace, an import
    only adds records (identical ones are skipped).

    With --complete the file is every record of its collection for its
    parties and the years its records start in (a mapping's [complete] names
    them otherwise): a coverage record says so, and absence then counts.

    Every problem is reported with its file, row or record, column or field,
    and then nothing is written. Otherwise DATASET is replaced atomically, or
    the workspace changed in one transaction, audited under your user name.

    \b
    Examples:
      jarjesto import region.json organisations organisations.csv
      jarjesto import region.json agreements grants.csv --dry-run
      jarjesto import region.json services palvelut.csv --encoding cp1252
      jarjesto import -w region.db organisations organisations.csv
      jarjesto import region.json --format hsds region-hsds/
      jarjesto import region.json --map grants.toml grants-2023.xlsx --complete \\
          --source https://example.fi/decision-2023
    """
    if source is not None and not complete:
        raise click.UsageError("--source goes with --complete: it cites the complete list")
    if format_ == "hsds":
        if complete:
            raise click.UsageError("--complete applies to CSV and .xlsx lists")
        if encoding is not None:
            raise click.UsageError("--encoding applies to CSV files; HSDS is UTF-8 JSON")
        dataset, workspace, rest = _dataset_and_rest(ctx, args, workspace, 1, HSDS_USAGE)
        directory = str(click.Path(exists=True, file_okay=False).convert(rest[0], None, ctx))
        _import_hsds(dataset, workspace, directory, dry_run)
        return
    # COLLECTION may be left out when the mapping names it.
    named = len(args) >= 3 or (len(args) == 2 and args[0] in COLLECTIONS)
    if args and args[-1] in COLLECTIONS:
        raise click.UsageError(CSV_USAGE)
    dataset, workspace, rest = _dataset_and_rest(ctx, args, workspace, 2 if named else 1, CSV_USAGE)
    collection = click.Choice(COLLECTIONS).convert(rest[0], None, ctx) if named else None
    file = str(click.Path(exists=True, dir_okay=False).convert(rest[-1], None, ctx))
    from jarjesto_cli.commands.tables import run_import

    run_import(
        dataset=dataset,
        workspace=workspace,
        collection=collection,
        file=file,
        map_file=map_file,
        sets=sets,
        sheet=sheet,
        encoding=encoding,
        dry_run=dry_run,
        update=update,
        save_map=save_map,
        complete=complete,
        source=source,
        service_kinds=_kinds(),
        progress=_Progress(file),
    )


#: The open-data formats (``jarjesto_core.opendata.EXPORTERS``), spelt out so that
#: ``--help`` need not import the exporters; a test keeps the two equal.
OPEN_DATA_FORMATS = ("hsds", "360giving", "popolo")


def _scope(area: str | None, municipality: str | None, year: int | None) -> tuple[Any, Any]:
    """The bundled reference and the ``Filter`` of ``--area``/``--municipality`` (or None)."""
    from jarjesto_core.opendata import Filter
    from jarjesto_core.query import SubjectNotFound, find_area, find_municipality
    from jarjesto_core.reference import bundled_reference

    reference = bundled_reference()
    if area is not None and municipality is not None:
        raise click.UsageError("give --area or --municipality, not both")
    try:
        if area is not None:
            return reference, Filter.for_area(find_area(reference, area).code)
        if municipality is not None:
            # Without --year, a municipality that has since merged is still found.
            found = find_municipality(reference, municipality, year)
            return reference, Filter.for_municipality(found.code)
    except SubjectNotFound as exc:
        raise click.BadParameter(exc.render(lang()), param_hint=f"--{exc.option}") from None
    return reference, None


def _replace_whole(path: Path, content: bytes) -> None:
    """Write ``path`` through a temporary file renamed over it: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(content)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _export_open_data(
    data: Any,
    format_: str,
    output: str,
    area: str | None,
    municipality: str | None,
    year: int | None,
    changed: Any = None,
    profile_url: str | None = None,
) -> None:
    import attrs

    from jarjesto_core.files import write_output
    from jarjesto_core.opendata import EXPORTERS

    target = Path(output)
    if output == "-" or target.is_file():
        raise click.BadParameter(
            f"{format_} export writes one or more files: give a directory",
            param_hint="'--output'",
        )
    reference, scope = _scope(area, municipality, year)
    exporter = EXPORTERS[format_]
    if profile_url is not None:
        exporter = attrs.evolve(exporter, profile_uri=profile_url)  # type: ignore[misc]
    result = exporter.export(data, reference, year=year, scope=scope, changed=changed)
    for warning in result.warnings:
        click.echo(warning.render(lang()), err=True)
    target.mkdir(parents=True, exist_ok=True)
    # One file a record (HSDS's services/{id}.json) is tens of thousands of files
    # nationally: each is renamed into place whole, and one sync makes them all
    # durable before the pages that list them are written, each fsynced.
    records = {n: c for n, c in result.files.items() if "/" in n}
    for name, content in sorted(records.items()):
        _replace_whole(target / name, content)
    if records:
        os.sync()
    for name, content in sorted(result.files.items()):
        if name not in records:
            write_output(target / name, content)
    say(
        NP_(
            "wrote %(count)d %(format)s file to %(path)s",
            "wrote %(count)d %(format)s files to %(path)s",
        ),
        style="green",
        count=len(result.files),
        format=format_,
        path=output,
    )


@click.command()
@click.argument("dataset", required=False, type=_DATASET_IN)
@workspace_option()
@click.option(
    "--format",
    "format_",
    type=click.Choice(["json", "csv", "xlsx", *OPEN_DATA_FORMATS]),
    required=True,
    help="json: one dataset file; csv, xlsx: one file per collection, the columns import "
    "takes; "
    "hsds (Open Referral HSDS 3.0), 360giving (360Giving 1.4), popolo: open data.",
)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(),
    help="json: a file ('-' for stdout); the others: a directory (created when missing).",
)
@click.option(
    "--area", metavar="CODE|NAME", help="Open data only: records in or party in this area."
)
@click.option(
    "--municipality",
    metavar="CODE|NAME",
    help="Open data only: records in or party in this municipality.",
)
@click.option("--year", type=YEAR, help="Open data only: records in force in this year.")
@click.option(
    "--profile-url",
    metavar="URL",
    help="HSDS only: where the jarjesto profile is served (jarjesto serve: /hsds/profile/).",
)
def export(
    dataset: str | None,
    workspace: str | None,
    format_: str,
    output: str,
    area: str | None,
    municipality: str | None,
    year: int | None,
    profile_url: str | None,
) -> None:
    """Write a dataset as JSON, as CSV files that import takes back, or as open data.

    Without DATASET (or --workspace), exports the bundled sample. CSV files
    are named after their collection (organisations.csv, ...), separated by
    semicolons, in UTF-8 with a BOM, so that Excel in Finland opens them as
    they are.

    The open-data formats (hsds, 360giving, popolo; docs/opendata.md) take
    --area, --municipality and --year to publish a part of the dataset.
    json and csv always write the whole dataset: a part would keep
    references to records left out (members of a body, a service's
    organisation), and import would refuse it.

    \b
    Examples:
      jarjesto export region.json --format csv --output region-csv/
      jarjesto export region.json --format json --output copy.json
      jarjesto export --format json --output -
      jarjesto export region.json --format hsds --output hsds/ --area Pohjois-Karjala
      jarjesto export -w region.db --format 360giving --output grants/ --year 2024
    """
    from jarjesto_cli.sources import load_source
    from jarjesto_core.files import write_output
    from jarjesto_core.serialise import dump_dataset

    if profile_url is not None and format_ != "hsds":
        raise click.UsageError("--profile-url: only the hsds format names a profile")
    data = load_source(dataset, workspace=workspace, service_kinds=_kinds())
    if format_ in OPEN_DATA_FORMATS:
        changed = None
        if workspace is not None and dataset is None:
            # dateModified and last_modified come from the workspace's audit log.
            from jarjesto_core.workspace import open_workspace

            with open_workspace(workspace, service_kinds=_kinds()) as ws:
                changed = ws.last_changed()
        _export_open_data(data, format_, output, area, municipality, year, changed, profile_url)
        return
    given = [
        name
        for name, value in (("--area", area), ("--municipality", municipality), ("--year", year))
        if value is not None
    ]
    if given:
        raise click.UsageError(
            f"{', '.join(given)}: only the open-data formats (hsds, 360giving, popolo) "
            f"export a part of a dataset; --format {format_} writes all of it"
        )
    if format_ == "json":
        text = dump_dataset(data)
        if output == "-":
            click.echo(text, nl=False)
            return
        if Path(output).is_dir():
            raise click.BadParameter(f"{output!r} is a directory", param_hint="'--output'")
        write_output(output, text.encode("utf-8"))
        say(N_("wrote %(path)s"), style="green", path=output)
        return
    from jarjesto_core.csvio import write_csv

    target = Path(output)
    if output == "-" or target.is_file():
        raise click.BadParameter(
            f"{format_.upper()} export writes one file per collection: give a directory",
            param_hint="'--output'",
        )
    target.mkdir(parents=True, exist_ok=True)
    for name in COLLECTIONS:
        path = target / f"{name}.{format_}"
        if format_ == "xlsx":
            from jarjesto_core.xlsx import write_xlsx

            write_output(path, write_xlsx(name, data.collection(name)))
        else:
            write_output(path, write_csv(name, data.collection(name)).encode("utf-8-sig"))
    say(
        NP_(
            "wrote %(count)d %(format)s file to %(path)s",
            "wrote %(count)d %(format)s files to %(path)s",
        ),
        style="green",
        count=len(COLLECTIONS),
        format=format_.upper(),
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
