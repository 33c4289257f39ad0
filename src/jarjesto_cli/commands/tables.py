"""Spreadsheets in and out: ``import`` of CSV and .xlsx files with a mapping, ``template``.

The steps live in :mod:`jarjesto_core.importing`; this module reads the
files named on the command line, calls them and prints what they found.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from jarjesto_cli.output import lang, say
from jarjesto_core.i18n import N_, NP_, translate

__all__ = ["COMMANDS", "CSV_USAGE", "print_outcome", "run_import", "template"]

CSV_USAGE = (
    "import takes DATASET COLLECTION FILE, or --workspace and COLLECTION FILE "
    "(COLLECTION may be left out when a --map names it)"
)


def run_import(
    *,
    dataset: str | None,
    workspace: str | None,
    collection: str | None,
    file: str,
    map_file: str | None,
    sets: tuple[str, ...],
    sheet: str | None,
    encoding: str | None,
    dry_run: bool,
    update: bool,
    save_map: str | None,
    service_kinds: Any,
    progress: Any,
    complete: bool = False,
    source: str | None = None,
) -> None:
    """Import FILE (CSV or .xlsx) into a dataset file or a workspace; print the outcome."""
    import attrs

    from jarjesto_core.importing import import_table, mapped_columns, read_table
    from jarjesto_core.mapping import ImportMap, dump_map, load_map, with_complete, with_set

    mapping = (
        load_map(Path(map_file).read_bytes(), file=map_file, collection=collection)
        if map_file is not None
        else ImportMap(collection=collection)
    )
    if mapping.collection is None:
        raise click.UsageError(CSV_USAGE)
    mapping = with_set(mapping, sets)
    if complete:
        mapping = with_complete(mapping, source)
    collection = mapping.collection
    assert collection is not None
    table = read_table(
        Path(file).read_bytes(), file=file, sheet=sheet or mapping.sheet, encoding=encoding
    )

    def run(current: Any) -> Any:
        try:
            return import_table(
                current,
                table,
                mapping,
                service_kinds=service_kinds,
                update=update,
                progress=progress,
            )
        finally:
            progress.close()

    if workspace is not None:
        from jarjesto_cli.commands.workspace import actor
        from jarjesto_core.importing import write_to_workspace
        from jarjesto_core.workspace import open_workspace

        with open_workspace(workspace, service_kinds=service_kinds) as ws:
            version = ws.data_version()
            outcome = run(ws.dataset())
            if not dry_run:
                write_to_workspace(ws, outcome, actor(), version)
    else:
        from jarjesto_core.files import dataset_lock, read_dataset, write_dataset

        assert dataset is not None
        with dataset_lock(dataset):  # a second import waits, then reads this one's result
            outcome = run(read_dataset(dataset, service_kinds=service_kinds))
            if not dry_run:
                write_dataset(dataset, outcome.dataset)
    if save_map is not None:
        from jarjesto_core.files import write_output

        names, _ = mapped_columns(collection, table.header, mapping, file=file, sheet=table.sheet)
        used = {h.strip(): n for h, n in zip(table.header, names, strict=False) if n}
        saved = attrs.evolve(mapping, columns=used, sheet=table.sheet if sheet else mapping.sheet)
        if saved.complete is not None:
            # Next year's list is complete in the same way, but for its own years and source.
            saved = attrs.evolve(
                saved, complete=attrs.evolve(saved.complete, years=(), source=None)
            )
        write_output(save_map, dump_map(saved).encode("utf-8"))
    print_outcome(outcome, dataset or workspace or "", dry_run=dry_run, update=update)
    if save_map is not None:
        say(N_("saved the mapping in %(path)s"), path=save_map)


def _summary_line(outcome: Any) -> str:
    from jarjesto_core.quality import summary_text

    return summary_text(outcome, lang())


def print_outcome(outcome: Any, target: str, *, dry_run: bool, update: bool = False) -> None:
    """The preview (dry run), the warnings, the summary and what was added or updated."""
    reading = lang()
    if dry_run and outcome.preview:
        _line(N_("the first rows as they will be imported:"))
        for row, cells in outcome.preview:
            where = translate(N_("row %(row)s"), reading, {"row": row})
            shown = "; ".join(f"{k}={v}" for k, v in cells.items())
            click.echo(f"  {where}: {shown}")
    for warning in outcome.warnings:
        label = translate(N_("warning"), reading)
        click.echo(f"{label}: {warning.render(reading)}", err=True)
    summary = outcome.summary
    if summary.years or summary.parties or summary.total is not None:
        click.echo(_summary_line(outcome))
    if outcome.coverage:
        from jarjesto_core.quality import coverage_text

        for record in outcome.coverage:
            click.echo(coverage_text(record, reading, dry_run=dry_run))
    if outcome.created:
        ids = [r.id for r in outcome.created]
        _line(
            N_("new organisations (%(count)s): %(ids)s")
            if not dry_run
            else N_("dry run: new organisations (%(count)s): %(ids)s"),
            count=len(ids),
            ids=_shown(ids),
        )
    ids = [r.id for r in outcome.added]
    from jarjesto_core.reports import collection_label

    params: dict[str, Any] = {
        "count": len(ids),
        "collection": collection_label(outcome.collection, reading),
        "dataset": target,
    }
    if update or outcome.updated or outcome.unchanged:
        _line(
            N_(
                "dry run: %(collection)s in %(dataset)s: %(added)s added, %(updated)s "
                "updated, %(unchanged)s unchanged"
            )
            if dry_run
            else N_(
                "%(collection)s in %(dataset)s: %(added)s added, %(updated)s updated, "
                "%(unchanged)s unchanged"
            ),
            style=None if dry_run else "green",
            collection=outcome.collection,
            dataset=target,
            added=len(outcome.added),
            updated=len(outcome.updated),
            unchanged=len(outcome.unchanged),
        )
    elif dry_run:
        _line(
            # The collection's name is the same for one and many in English; fi and sv
            # decline the noun by the count.
            NP_(
                "dry run: %(count)d %(collection)s would be added to %(dataset)s: %(ids)s",
                "dry run: %(count)d %(collection)s would be added to %(dataset)s: %(ids)s",
            ),
            ids=_shown(ids),
            **params,
        )
    else:
        _line(
            NP_(
                "added %(count)d %(collection)s to %(dataset)s: %(ids)s",
                "added %(count)d %(collection)s to %(dataset)s: %(ids)s",
            ),
            style="green",
            ids=_shown(ids),
            **params,
        )


def _line(message: str, *, style: str | None = None, **params: Any) -> None:
    """One message on one line, never folded (a list of ids is long; docs test it)."""
    text = translate(message, lang(), params)
    click.echo(click.style(text, fg=style) if style else text)


def _shown(ids: list[str]) -> str:
    return ", ".join(ids[:10]) + (", …" if len(ids) > 10 else "") or "-"


TEMPLATE_COLLECTIONS = (
    "organisations",
    "services",
    "agreements",
    "responsibilities",
    "structures",
    "coordinators",
    "hearings",
    "commitments",
)


@click.command()
@click.argument("collection", type=click.Choice(TEMPLATE_COLLECTIONS))
@click.option(
    "--lang",
    "language",
    type=click.Choice(["fi", "sv", "en"]),
    default=None,
    help="The language of the column titles and meanings (default: the interface's).",
)
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="FILE.xlsx")
def template(collection: str, language: str | None, output: str) -> None:
    """Write an Excel template for COLLECTION that import takes back.

    Column titles in the chosen language, each column's meaning as a comment
    on its title, dropdowns for every list of allowed values, and an example
    row (not imported while it is unchanged).

    \b
    Examples:
      jarjesto template agreements --lang fi -o avustukset.xlsx
      jarjesto import region.json agreements avustukset.xlsx
    """
    from jarjesto_core.files import write_output
    from jarjesto_core.xlsx import template as make

    write_output(output, make(collection, language or lang()))
    say(N_("wrote %(path)s"), style="green", path=output)


COMMANDS = [template]
