"""Workspace commands: ``db`` (init, upgrade, status, backup), ``workspace`` (load, dump), ``log``.

The workspace comes from ``--workspace`` or ``JARJESTO_WORKSPACE``: a path is a
SQLite file, a ``postgresql://`` URL a team's server. Changes made here are
audited under the OS user's name.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from typing import TYPE_CHECKING, Any

import click

from jarjesto_cli import options
from jarjesto_core.i18n import N_, NP_, language_from_env, translate

if TYPE_CHECKING:
    from jarjesto_core.workspace import AuditEntry, Workspace

workspace_option = options.workspace_option(required=True, name="location")


def _lang() -> str:
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    if isinstance(obj, dict) and isinstance(obj.get("lang"), str):
        return str(obj["lang"])
    return language_from_env(os.environ)


def _say(message: str, **params: Any) -> None:
    click.echo(translate(message, _lang(), params))


def actor() -> str:
    """Who makes a change from the command line: the operating system's user."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return f"uid:{os.getuid()}"


def _open(location: str) -> Workspace:
    from jarjesto_core.workspace import open_workspace

    return open_workspace(location)


@click.group()
def db() -> None:
    """Create, upgrade, inspect and back up a workspace's database.

    \b
    Examples:
      jarjesto db init -w region.db
      jarjesto db status -w postgresql://jarjesto@db.example/region
      jarjesto db backup -w region.db region-2025-06-01.db
    """


@db.command("init")
@workspace_option
def db_init(location: str) -> None:
    """Create a new workspace (a new SQLite file, or an empty PostgreSQL database).

    \b
    Examples:
      jarjesto db init --workspace region.sqlite
      jarjesto db init --workspace postgresql://jarjesto@localhost/region
    """
    with _open(location) as ws:
        revision = ws.init()
        _say(
            N_("Created the workspace %(location)s at schema revision %(revision)s."),
            location=ws.location,
            revision=revision,
        )


@db.command("upgrade")
@workspace_option
def db_upgrade(location: str) -> None:
    """Migrate a workspace to this jarjesto's schema, in one transaction. Back it up first.

    \b
    Examples:
      jarjesto db backup --workspace region.sqlite before-upgrade.sqlite
      jarjesto db upgrade --workspace region.sqlite
    """
    with _open(location) as ws:
        before, after = ws.upgrade()
        if before == after:
            _say(
                N_(
                    "The workspace %(location)s is already at the latest schema revision "
                    "%(revision)s."
                ),
                location=ws.location,
                revision=after,
            )
        else:
            _say(
                N_(
                    "Upgraded the workspace %(location)s from schema revision %(before)s "
                    "to %(after)s."
                ),
                location=ws.location,
                before=before,
                after=after,
            )


@db.command("status")
@workspace_option
def db_status(location: str) -> None:
    """Show a workspace's schema revision, its records per collection and its audit log size.

    \b
    Examples:
      jarjesto db status --workspace region.sqlite
      JARJESTO_WORKSPACE=region.sqlite jarjesto db status
    """
    from rich.console import Console
    from rich.table import Table

    lang = _lang()
    with _open(location) as ws:
        status = ws.status()
    if not status.initialised:
        state = translate(N_("not a workspace yet: run jarjesto db init"), lang)
    elif status.up_to_date:
        state = translate(N_("up to date"), lang)
    else:
        state = translate(
            N_("needs jarjesto db upgrade (latest is %(head)s)"), lang, {"head": status.head}
        )
    _say(
        N_("Workspace: %(location)s (%(backend)s)"),
        location=status.location,
        backend=status.backend,
    )
    _say(
        N_("Schema revision: %(revision)s, %(state)s"),
        revision=status.revision or "-",
        state=state,
    )
    if not status.initialised:
        return
    table = Table(translate(N_("Collection"), lang), translate(N_("Records"), lang))
    table.columns[1].justify = "right"
    for name, count in status.counts.items():
        table.add_row(name, str(count))
    table.add_row(translate(N_("audit log entries"), lang), str(status.audit_entries))
    Console(highlight=False).print(table)


@db.command("backup")
@workspace_option
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def db_backup(location: str, path: str) -> None:
    """Copy a SQLite workspace to PATH while it stays in use (SQLite's online backup).

    A PostgreSQL workspace is backed up with PostgreSQL's own pg_dump.

    \b
    Examples:
      jarjesto db backup --workspace region.sqlite backups/region-2026-11-23.sqlite
    """
    with _open(location) as ws:
        ws.backup(path)
        _say(N_("Backed up %(location)s to %(path)s."), location=ws.location, path=path)


@click.group("workspace")
def workspace_group() -> None:
    """Move a dataset between a JSON file and a workspace.

    \b
    Examples:
      jarjesto workspace load -w region.db region.json
      jarjesto workspace dump -w region.db region.json
    """


@workspace_group.command("load")
@workspace_option
@click.argument("dataset", type=click.Path(dir_okay=False))
def workspace_load(location: str, dataset: str) -> None:
    """Make the workspace hold exactly DATASET (a JSON file), in one audited transaction.

    Only what differs is written: records that did not change keep their version.

    \b
    Examples:
      jarjesto workspace load --workspace region.sqlite region.json
    """
    from jarjesto_core.files import read_dataset

    data = read_dataset(dataset)
    with _open(location) as ws:
        # read_dataset validated it with the bundled reference and the core kinds, as
        # this workspace (opened with neither given) would validate it again.
        summary = ws.load(data, actor=actor(), validated=True)
        _say(
            N_(
                "Loaded %(file)s into %(location)s: %(added)s added, %(changed)s changed, "
                "%(removed)s removed, %(unchanged)s unchanged."
            ),
            file=dataset,
            location=ws.location,
            added=summary.added,
            changed=summary.changed,
            removed=summary.removed,
            unchanged=summary.unchanged,
        )


@workspace_group.command("dump")
@workspace_option
@click.argument("output", required=False, type=click.Path(dir_okay=False, allow_dash=True))
def workspace_dump(location: str, output: str | None) -> None:
    """Write the workspace's dataset as JSON to OUTPUT (default: standard output).

    \b
    Examples:
      jarjesto workspace dump --workspace region.sqlite region.json
      jarjesto workspace dump --workspace region.sqlite > copy.json
    """
    from jarjesto_core.files import write_dataset
    from jarjesto_core.serialise import dump_dataset

    with _open(location) as ws:
        data = ws.dataset()
        if output is None or output == "-":
            click.echo(dump_dataset(data), nl=False)
            return
        write_dataset(output, data)
        _say(N_("Wrote the workspace %(location)s to %(path)s."), location=ws.location, path=output)


@workspace_group.command("repair-text")
@workspace_option
@click.option("--dry-run", is_flag=True, help="List the records that would be repaired.")
def workspace_repair_text(location: str, dry_run: bool) -> None:
    """Repair text that is not valid Unicode (lone surrogates) or holds control characters.

    Such text could be stored by older versions through the API; it breaks
    every page, download and backup that shows it. Each lone surrogate
    becomes U+FFFD (�), other control characters than tab and line breaks
    are removed; each record is one audited update.

    \b
    Examples:
      jarjesto workspace repair-text -w region.db --dry-run
      jarjesto workspace repair-text -w region.db
    """
    from jarjesto_core.workspace.repair import repair_text

    with _open(location) as ws:
        done = repair_text(ws, actor(), dry_run=dry_run)
        for item in done:
            click.echo(f"{item.collection} {item.record_id}: {', '.join(item.fields)}")
        _say(
            NP_(
                "%(count)d record in %(location)s would be repaired.",
                "%(count)d records in %(location)s would be repaired.",
            )
            if dry_run
            else NP_(
                "Repaired %(count)d record in %(location)s.",
                "Repaired %(count)d records in %(location)s.",
            ),
            count=len(done),
            location=ws.location,
        )


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value is not None else "-"


def _changes(entry: AuditEntry, lang: str) -> str:
    if entry.before is None:
        return translate(N_("added"), lang)
    if entry.after is None:
        return translate(N_("removed"), lang)
    return "\n".join(
        f"{name}: {_value(entry.before.get(name))} → {_value(entry.after.get(name))}"
        for name in entry.changed_fields()
    )


@click.command("log")
@workspace_option
@click.option("--record", "record_id", metavar="ID", help="Only the changes of this record.")
@click.option("--collection", metavar="NAME", help="Only the changes in this collection.")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]),
    help="Only changes at or after this date or time (UTC).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON.")
def log(
    location: str,
    record_id: str | None,
    collection: str | None,
    since: dt.datetime | None,
    as_json: bool,
) -> None:
    """Show the audit log: who changed which record, when, and from what to what.

    \b
    Examples:
      jarjesto log -w region.db --record jane
      jarjesto log -w region.db --since 2025-01-01
    """
    from rich.console import Console
    from rich.table import Table

    when = since.replace(tzinfo=dt.UTC) if since is not None else None
    with _open(location) as ws:
        entries = ws.log(record_id=record_id, since=when, collection=collection)
    if as_json:
        doc = [
            {
                "id": e.id,
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "collection": e.collection,
                "record": e.record_id,
                "before": e.before,
                "after": e.after,
            }
            for e in entries
        ]
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    lang = _lang()
    if not entries:
        _say(N_("No changes match."))
        return
    table = Table(
        translate(N_("When (UTC)"), lang),
        translate(N_("Who"), lang),
        translate(N_("Action"), lang),
        translate(N_("Record"), lang),
        translate(N_("Changes"), lang),
    )
    for entry in entries:
        table.add_row(
            entry.at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor,
            entry.action,
            f"{entry.collection}/{entry.record_id}",
            _changes(entry, lang),
        )
    Console(highlight=False).print(table)


COMMANDS = [db, workspace_group, log]
