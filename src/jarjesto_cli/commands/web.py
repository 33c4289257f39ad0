"""Web commands: ``serve`` (the web UI on waitress) and ``users add``.

Flask and waitress are imported inside the commands, so that ``jarjesto
--help`` stays fast.
"""

from __future__ import annotations

import gc

import click

from jarjesto_cli.commands.workspace import _open, _say, workspace_option
from jarjesto_core.i18n import N_

#: jarjesto_core.workspace.schema.ROLES, repeated so that --help needs no SQLAlchemy.
ROLES = ("viewer", "editor", "admin")


@click.command("serve")
@workspace_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--public", is_flag=True, help="Let anyone read the register and assessments.")
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Behind a TLS-terminating reverse proxy: trust its X-Forwarded-* headers "
    "and send the session cookie only over HTTPS (JARJESTO_BEHIND_PROXY=1).",
)
@click.option("--debug", is_flag=True, help="Flask's development server with reloading.")
@click.pass_context
def serve(
    ctx: click.Context,
    location: str,
    host: str,
    port: int,
    public: bool,
    behind_proxy: bool,
    debug: bool,
) -> None:
    """Run the web UI on a production WSGI server (waitress).

    Outside --debug, JARJESTO_SECRET_KEY must be set: sessions and CSRF
    tokens are signed with it. The server reads the workspace and assesses
    its latest year before it accepts connections, then keeps what it read
    until the workspace's data changes.

    \b
    Examples:
      export JARJESTO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_hex(32))')"
      jarjesto serve -w region.db --port 8080
      jarjesto serve -w region.db --public
      jarjesto serve -w region.db --behind-proxy
    """
    from jarjesto_cli.context import plugin_manager
    from jarjesto_web import ConfigError, create_app

    config: dict[str, object] = {"WORKSPACE": location, "DEBUG": debug}
    if public:
        config["PUBLIC"] = True
    if behind_proxy:
        config["BEHIND_PROXY"] = True
    try:
        app = create_app(config, pm=plugin_manager(ctx))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    _open(location).status()  # fail now, not on the first request, when it is unusable
    # A server runs for weeks: the collector runs too (the command paused it at
    # start); the web's data cache pauses it only while it reads the workspace.
    gc.enable()
    if debug:
        app.run(host=host, port=port, debug=True)
        return
    import waitress

    from jarjesto_web.warm import warm

    # Before accepting connections: the first reader must not wait for the whole workspace.
    warmed = warm(app)
    _say(
        N_(
            "Read the workspace (data version %(version)s, %(organisations)s organisations) "
            "and assessed %(year)s in %(seconds)s s."
        ),
        version=warmed.version,
        organisations=warmed.organisations,
        year=warmed.year,
        seconds=f"{warmed.seconds:.1f}",
    )
    click.echo(f"jarjesto: http://{host}:{port}/ (workspace {location})")
    waitress.serve(app, host=host, port=port, ident="jarjesto")


@click.group("users")
def users() -> None:
    """Manage the web UI's users (viewer, editor, admin).

    \b
    Examples:
      jarjesto users add eeva --role editor -w region.db
      jarjesto users list -w region.db
    """


@users.command("add")
@workspace_option
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
@click.password_option(help="The password (prompted, twice, when not given).")
def users_add(location: str, name: str, role: str, password: str) -> None:
    """Add a user; the password is stored only as an Argon2id hash.

    \b
    Examples:
      jarjesto users add eeva --role editor -w region.db
    """
    from jarjesto_core.workspace.users import add_user

    add_user(_open(location), name, password, role)
    _say(N_("Added user %(name)s with the role %(role)s."), name=name, role=role)


@users.command("list")
@workspace_option
def users_list(location: str) -> None:
    """List the users and their roles.

    \b
    Examples:
      jarjesto users list -w region.db
    """
    from jarjesto_core.workspace.users import list_users

    for user in list_users(_open(location)):
        click.echo(f"{user.name}\t{user.role}")


@users.command("token")
@workspace_option
@click.argument("name")
def users_token(location: str, name: str) -> None:
    """Create an API token for NAME; it is shown once, only its digest is stored.

    \b
    Examples:
      jarjesto users token eeva -w region.db
    """
    from jarjesto_core.workspace.users import create_token

    click.echo(create_token(_open(location), name))


COMMANDS = [serve, users]
