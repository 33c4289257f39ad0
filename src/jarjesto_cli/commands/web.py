"""Web commands: ``serve`` (the web UI on waitress) and ``users add``.

Flask and waitress are imported inside the commands, so that ``jarjesto
--help`` stays fast.
"""

from __future__ import annotations

import gc

import click

from jarjesto_cli.commands.workspace import _open, _say, workspace_option
from jarjesto_core.i18n import N_

#: waitress's defaults are 100 connections and 120 s: about 120 idle connections from one
#: client (slowloris) then stopped the server answering anyone. Idle connections are now
#: closed after 30 s, and a proxy in front (docs/web.md) should hold the rest.
DEFAULT_CONNECTION_LIMIT = 200
DEFAULT_CHANNEL_TIMEOUT = 30

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
@click.option(
    "--proxy-hops",
    type=click.IntRange(1, 10),
    default=None,
    help="How many proxies stand in front, each adding to X-Forwarded-For "
    "(JARJESTO_PROXY_HOPS; default 1). Only with --behind-proxy.",
)
@click.option(
    "--connection-limit",
    type=click.IntRange(1, 100_000),
    default=DEFAULT_CONNECTION_LIMIT,
    show_default=True,
    help="Open connections waitress accepts at once; more wait in the listen backlog.",
)
@click.option(
    "--channel-timeout",
    type=click.IntRange(1, 3600),
    default=DEFAULT_CHANNEL_TIMEOUT,
    show_default=True,
    help="Seconds an idle or stalled connection is kept before it is closed.",
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
    proxy_hops: int | None,
    connection_limit: int,
    channel_timeout: int,
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
    if proxy_hops is not None:
        if not behind_proxy:
            raise click.UsageError("--proxy-hops needs --behind-proxy")
        config["PROXY_HOPS"] = proxy_hops
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
    click.echo(startup_line(host, port, location))
    waitress.serve(
        app,
        host=host,
        port=port,
        ident="jarjesto",
        connection_limit=connection_limit,
        channel_timeout=channel_timeout,
        # waitress looks for idle connections every cleanup_interval s (default 30).
        cleanup_interval=max(1, min(30, channel_timeout // 2)),
        # Behind the proxy, its X-Forwarded-* headers reach the app, where ProxyFix
        # trusts exactly PROXY_HOPS of them; waitress would otherwise drop them all.
        clear_untrusted_proxy_headers=not app.config["BEHIND_PROXY"],
    )


def startup_line(host: str, port: int, location: str) -> str:
    """What ``serve`` prints when it listens; it lands in logs, so never with a password."""
    from jarjesto_core.workspace.connection import masked_url

    return f"jarjesto: http://{host}:{port}/ (workspace {masked_url(location)})"


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


@users.command("remove")
@workspace_option
@click.argument("name")
def users_remove(location: str, name: str) -> None:
    """Remove a user: their API tokens and web sessions end at once (their audit entries stay).

    \b
    Examples:
      jarjesto users remove eeva -w region.db
    """
    from jarjesto_core.workspace.users import remove_user

    remove_user(_open(location), name)
    _say(N_("Removed user %(name)s."), name=name)


@users.command("revoke")
@workspace_option
@click.argument("name")
def users_revoke(location: str, name: str) -> None:
    """Revoke every API token and end every web session of NAME.

    \b
    Examples:
      jarjesto users revoke eeva -w region.db
    """
    from jarjesto_core.workspace.users import revoke_tokens

    revoke_tokens(_open(location), name)
    _say(N_("Revoked the API tokens and sessions of %(name)s."), name=name)


COMMANDS = [serve, users]
