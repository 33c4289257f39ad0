"""``jarjesto publisher``: who publishes the dataset as open data (docs/opendata.md)."""

from __future__ import annotations

from typing import Any

import click

from jarjesto_cli.options import workspace_option
from jarjesto_cli.output import say
from jarjesto_core.i18n import N_

__all__ = ["COMMANDS"]

_DATASET = click.Path(exists=True, dir_okay=False)


def _business_ids(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in values:
        party, sep, business_id = value.partition("=")
        if not sep or not party or not business_id:
            raise click.BadParameter(
                f"{value!r}: expected PARTY=Y-TUNNUS, such as municipality:167=1234567-1",
                ctx=ctx,
                param=param,
            )
        found[party.strip()] = business_id.strip()
    return found


@click.command()
@click.argument("dataset", required=False, type=_DATASET)
@workspace_option()
@click.option("--name-fi", help="The publisher's name in Finnish.")
@click.option("--name-sv", help="The publisher's name in Swedish.")
@click.option("--name-en", help="The publisher's name in English.")
@click.option("--prefix", help="The 360Giving prefix 360Giving registered for the publisher.")
@click.option("--org-id", help="The publisher's org-id, such as FI-PRO-1234567-1.")
@click.option("--licence", help="The licence's canonical web address.")
@click.option("--url", help="The publisher's web site.")
@click.option(
    "--language",
    type=click.Choice(["fi", "sv", "en"]),
    help="The language of the texts open-data exports write.",
)
@click.option(
    "--business-id",
    "business_ids",
    multiple=True,
    callback=_business_ids,
    metavar="PARTY=Y-TUNNUS",
    help="A public body's business ID, for its FI-PRO id (repeat for several).",
)
@click.option("--clear", is_flag=True, help="Remove the publisher settings.")
def publisher(
    dataset: str | None,
    workspace: str | None,
    clear: bool,
    business_ids: dict[str, str],
    **settings: str | None,
) -> None:
    """Show or set who publishes the dataset as open data.

    Open-data exports name the publisher, its licence and web site, and prefix
    their grant ids with the publisher's 360Giving prefix (or org-id). Without
    options, shows the settings; options change only what they name.

    \b
    Examples:
      jarjesto publisher region.json --name-fi "Esimerkkikaupunki" --prefix 360G-esimerkki \\
          --licence https://creativecommons.org/licenses/by/4.0/
      jarjesto publisher -w region.db --business-id municipality:167=1234567-1
      jarjesto publisher region.json
    """
    import attrs

    from jarjesto_cli.commands.workspace import actor
    from jarjesto_core.errors import DatasetError
    from jarjesto_core.model import Name, Publisher
    from jarjesto_core.serialise import unstructure_record

    if dataset is None and workspace is None:
        raise click.UsageError("give a dataset file or --workspace")
    if dataset is not None and workspace is not None:
        ctx = click.get_current_context()
        if ctx.get_parameter_source("workspace") is not click.core.ParameterSource.ENVIRONMENT:
            raise click.UsageError("give a dataset file or --workspace, not both")
        workspace = None
    current = _read(dataset, workspace).publisher
    names = {k[5:]: v for k, v in settings.items() if k.startswith("name_") and v}
    rest = {k: v for k, v in settings.items() if not k.startswith("name_") and v}
    if clear:
        new: Publisher | None = None
    elif not names and not rest and not business_ids:
        if current is None:
            say(N_("no publisher settings: exports name no publisher"))
        else:
            import json

            click.echo(json.dumps(unstructure_record(current), ensure_ascii=False, indent=2))
        return
    elif current is None:
        if not names:
            raise click.UsageError("a new publisher needs a name: give --name-fi, -sv or -en")
        new = Publisher(name=Name(**names), business_ids=business_ids, **rest)
    else:
        name = Name(**{**current.name.as_dict(), **names})
        new = attrs.evolve(
            current,
            name=name,
            business_ids={**current.business_ids, **business_ids},
            **rest,
        )
    if workspace is not None:
        from jarjesto_core.workspace import open_workspace

        with open_workspace(workspace, service_kinds=_kinds()) as ws:
            ws.set_publisher(new, actor())
    else:
        from jarjesto_core.files import write_dataset
        from jarjesto_core.reference import bundled_reference
        from jarjesto_core.validation import validate

        assert dataset is not None
        data = attrs.evolve(_read(dataset, None), publisher=new)
        problems = validate(data, bundled_reference(), service_kinds=_kinds())
        if problems:
            raise DatasetError([attrs.evolve(p, file=dataset) for p in problems])
        write_dataset(dataset, data)
    target = dataset or workspace
    say(N_("saved the publisher settings of %(target)s"), style="green", target=target)


def _kinds() -> Any:
    """The service kinds of the core and the loaded plugins, as the dataset may use them."""
    from jarjesto_cli.context import registry

    return registry(click.get_current_context()).service_kinds


def _read(dataset: str | None, workspace: str | None) -> Any:
    from jarjesto_cli.sources import load_source

    return load_source(dataset, workspace=workspace, service_kinds=_kinds())


COMMANDS = [publisher]
