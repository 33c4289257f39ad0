"""Web commands: ``serve`` (the web UI on waitress) and ``users add``.

Flask and waitress are imported inside the commands, so that ``jarjesto
--help`` stays fast.
"""

from __future__ import annotations

import contextlib
import gc

import click

from jarjesto_cli import options
from jarjesto_cli.commands.workspace import _lang, _open, _say, actor, workspace_option
from jarjesto_core.i18n import N_, translate

#: waitress's defaults are 100 connections and 120 s: about 120 idle connections from one
#: client (slowloris) then stopped the server answering anyone. Idle connections are now
#: closed after 30 s, and a proxy in front (docs/web.md) should hold the rest.
DEFAULT_CONNECTION_LIMIT = 200
DEFAULT_CHANNEL_TIMEOUT = 30

#: jarjesto_core.workspace.schema.ROLES, repeated so that --help needs no SQLAlchemy.
ROLES = ("viewer", "editor", "admin")


#: The one-time editor of ``serve --sample``.
SAMPLE_USER = "editor"


@click.command("serve")
@options.workspace_option(
    name="location",
    help="Workspace: a SQLite file path or a PostgreSQL URL (not with --sample).",
)
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
@click.option(
    "--sample",
    is_flag=True,
    help="Try it out: the bundled sample in a temporary workspace, on 127.0.0.1 only, "
    "with a one-time editor login; removed when the server stops.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    location: str | None,
    host: str,
    port: int,
    public: bool,
    behind_proxy: bool,
    proxy_hops: int | None,
    connection_limit: int,
    channel_timeout: int,
    debug: bool,
    sample: bool,
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
      jarjesto serve --sample
    """
    if sample:
        _serve_sample(ctx, host, port, public, debug, connection_limit, channel_timeout)
        return
    if not location:
        raise click.UsageError(
            translate(
                N_(
                    "Give the workspace with --workspace (or JARJESTO_WORKSPACE), "
                    "or try the sample with --sample."
                ),
                _lang(),
            )
        )
    _serve(
        ctx,
        location,
        host,
        port,
        public,
        behind_proxy,
        debug,
        proxy_hops=proxy_hops,
        connection_limit=connection_limit,
        channel_timeout=channel_timeout,
    )


def _serve_sample(
    ctx: click.Context,
    host: str,
    port: int,
    public: bool,
    debug: bool,
    connection_limit: int,
    channel_timeout: int,
) -> None:
    """The try-out: a throwaway SQLite workspace holding the sample and one editor.

    Bound to the loopback address only (a random password is no protection on a
    network), and removed at exit, also on SIGTERM, so nothing is left behind.
    """
    import os
    import secrets
    import signal
    import tempfile

    from click.core import ParameterSource

    from jarjesto_core.files import sample_dataset
    from jarjesto_core.workspace.users import add_user

    given = ctx.get_parameter_source("location") == ParameterSource.COMMANDLINE
    if given or host != "127.0.0.1":
        raise click.UsageError(
            translate(
                N_(
                    "--sample runs on this computer only, in a workspace of its own: "
                    "leave out --workspace and --host."
                ),
                _lang(),
            )
        )

    def stop(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    if not os.environ.get("JARJESTO_SECRET_KEY"):
        os.environ["JARJESTO_SECRET_KEY"] = secrets.token_hex(32)
    password = secrets.token_urlsafe(12)
    with tempfile.TemporaryDirectory(prefix="jarjesto-sample-") as directory:
        location = os.path.join(directory, "sample.db")
        workspace = _open(location)
        workspace.init()
        workspace.load(sample_dataset(), actor())
        add_user(workspace, SAMPLE_USER, password, "editor")
        _say(
            N_(
                "Try-out: the bundled sample in a temporary workspace, "
                "removed when the server stops (Ctrl+C)."
            )
        )
        _say(
            N_("Log in as %(name)s with the password %(password)s (this run only)."),
            name=SAMPLE_USER,
            password=password,
        )
        with contextlib.suppress(SystemExit, KeyboardInterrupt):
            _serve(
                ctx,
                location,
                "127.0.0.1",
                port,
                public,
                False,
                debug,
                proxy_hops=None,
                connection_limit=connection_limit,
                channel_timeout=channel_timeout,
            )


def _serve(
    ctx: click.Context,
    location: str,
    host: str,
    port: int,
    public: bool,
    behind_proxy: bool,
    debug: bool,
    *,
    proxy_hops: int | None,
    connection_limit: int,
    channel_timeout: int,
) -> None:
    """The server itself, on a workspace given or made by ``serve``."""
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
