"""The ``jarjesto`` group and the one place where core errors become messages and exit codes.

Exit codes: 0 ok, 1 invalid data (or ``--fail-on`` hit), 2 usage.
Command modules live in :mod:`jarjesto_cli.commands`; each exposes
``COMMANDS`` (a list of click commands) and is listed in ``COMMAND_MODULES``.
Heavy imports happen inside commands, so that ``jarjesto --help`` starts fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from jarjesto_cli.output import printable
from jarjesto_core.errors import DatasetError, JarjestoError
from jarjesto_core.i18n import SUPPORTED, language_from_env
from jarjesto_core.perf import gc_paused

#: Modules that contribute built-in commands, imported when the group is built.
COMMAND_MODULES: tuple[str, ...] = (
    "jarjesto_cli.commands.assessment",
    "jarjesto_cli.commands.data",
    "jarjesto_cli.commands.demo",
    "jarjesto_cli.commands.plugin",
    "jarjesto_cli.commands.publisher",
    "jarjesto_cli.commands.reference",
    "jarjesto_cli.commands.tables",
    "jarjesto_cli.commands.workspace",
    "jarjesto_cli.commands.web",
)


class JarjestoGroup(click.Group):
    """Maps :class:`JarjestoError` to a clean message and exit code 1, never a traceback.

    A command runs with the cyclic collector paused (:func:`gc_paused`): a
    command is one short process that builds many acyclic records, which is
    where the pause pays, and the library never pauses it by itself.
    ``jarjesto serve`` turns it back on before it serves.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with gc_paused():
                return super().invoke(ctx)
        except DatasetError as exc:
            lang = (ctx.obj or {}).get("lang", "en") if isinstance(ctx.obj, dict) else "en"
            for problem in exc.problems:
                click.echo(printable(problem.render(lang), one_line=True), err=True)
            ctx.exit(1)
        except JarjestoError as exc:
            lang = (ctx.obj or {}).get("lang", "en") if isinstance(ctx.obj, dict) else "en"
            render = getattr(exc, "render", None)
            text = render(lang) if callable(render) else str(exc)
            click.echo(f"Error: {printable(text)}", err=True)
            ctx.exit(1)
        except OSError as exc:
            # A file we could not read or write (permissions, a full disk): the
            # user's to fix, so a message rather than a traceback.
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(printable(f"Error: {exc.strerror or exc}{where}"), err=True)
            ctx.exit(1)

    # Plugin commands (the ``register_commands`` hook) load on first use, as in
    # Flask's FlaskGroup, into a per-invocation table: built-ins always win.

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        from jarjesto_cli.context import obj, plugin_manager

        data = obj(ctx)
        if "plugin_commands" not in data:
            collector = click.Group(self.name)
            try:
                plugin_manager(ctx).hook.register_commands(cli=collector)
            except JarjestoError as exc:
                raise click.ClickException(str(exc)) from exc
            data["plugin_commands"] = dict(collector.commands)
        commands: dict[str, click.Command] = data["plugin_commands"]
        return commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._plugin_commands(ctx)))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        return self._plugin_commands(ctx).get(cmd_name)


@click.group(cls=JarjestoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jarjesto", prog_name="jarjesto")
@click.option(
    "--lang",
    type=click.Choice(SUPPORTED),
    default=None,
    help="Language of messages and reports: fi, sv or en (default: from LANG, else fi).",
)
@click.pass_context
def cli(ctx: click.Context, lang: str | None) -> None:
    """jarjesto: cooperation between municipalities, wellbeing areas and organisations.

    Exit codes: 0 ok, 1 invalid data, 2 usage error.

    \b
    Examples:
      jarjesto assess                           assess the bundled sample dataset
      jarjesto new region.json                  start an empty dataset
      jarjesto import region.json organisations orgs.csv
      jarjesto validate region.json             check a dataset, list every problem
      jarjesto --lang sv validate region.json   the same, with messages in Swedish
      jarjesto reference municipalities --area Pohjois-Karjala
    """
    ctx.ensure_object(dict)["lang"] = lang or language_from_env(os.environ)


for _module in COMMAND_MODULES:
    for _command in importlib.import_module(_module).COMMANDS:
        cli.add_command(_command)


def main() -> None:
    cli(prog_name="jarjesto")


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
