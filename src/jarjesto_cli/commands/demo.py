"""``jarjesto demo``: synthetic data to try jarjesto on, and to measure it with."""

from __future__ import annotations

from typing import Any

import click

from jarjesto_cli.options import workspace_option
from jarjesto_cli.output import say
from jarjesto_core.i18n import N_

__all__ = ["COMMANDS"]


@click.group()
def demo() -> None:
    """Synthetic demo data on the real municipalities and wellbeing areas.

    \b
    Examples:
      jarjesto demo generate --output demo.json
      jarjesto demo generate --organisations 20000 --years 10 --output national.json
    """


@demo.command("generate")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the dataset to this JSON file.",
)
@workspace_option(help="Load the dataset into this workspace (created when missing).")
@click.option(
    "--organisations",
    type=click.IntRange(1, 1_000_000),
    default=200,
    show_default=True,
    help="How many organisations (20000 is national scale).",
)
@click.option(
    "--years",
    type=click.IntRange(1, 50),
    default=5,
    show_default=True,
    help="How many years of history, ending with --last-year.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="The random seed.")
@click.option(
    "--last-year",
    type=click.IntRange(2000, 2100),
    default=2025,
    show_default=True,
    help="The last year of the history.",
)
def generate(
    output: str | None,
    workspace: str | None,
    organisations: int,
    years: int,
    seed: int,
    last_year: int,
) -> None:
    """Generate a deterministic synthetic dataset: the same options give the same file.

    Organisations are placed in all municipalities by population, with
    Swedish-speaking ones in bilingual municipalities; most get annual
    operating grants, some lose them (interruptions, the 2023 reform gap);
    some municipalities agree funding responsibilities, the rest leave blind
    spots. Not real data: the dataset's name and description say so.

    \b
    Examples:
      jarjesto demo generate --output demo.json
      jarjesto demo generate --organisations 20000 --years 10 --seed 7 -o national.json
      jarjesto demo generate --workspace demo.sqlite
    """
    ctx = click.get_current_context()
    if workspace is not None and output is not None:
        source = ctx.get_parameter_source("workspace")
        if source is click.core.ParameterSource.ENVIRONMENT:
            workspace = None  # an explicit --output wins over JARJESTO_WORKSPACE
    if output is None and workspace is None:
        raise click.UsageError("give --output FILE or --workspace PATH|URL (or both)")
    from jarjesto_core.demo import generate as make
    from jarjesto_core.reference import bundled_reference

    dataset = make(
        bundled_reference(),
        organisations=organisations,
        years=years,
        seed=seed,
        last_year=last_year,
    )
    from jarjesto_cli.output import lang
    from jarjesto_core.i18n import NP_, translate

    # Each count in its own plural phrase, put into the sentence (fi "20 000 järjestöä").
    phrases = {
        "organisations": NP_("%(count)d organisation", "%(count)d organisations"),
        "services": NP_("%(count)d service", "%(count)d services"),
        "agreements": NP_("%(count)d agreement", "%(count)d agreements"),
    }
    sizes = {
        "organisations": len(dataset.organisations),
        "services": len(dataset.services),
        "agreements": len(dataset.agreements),
    }
    counts: dict[str, Any] = {
        key: translate(phrases[key], lang(), {"count": size}) for key, size in sizes.items()
    }
    if output is not None:
        from jarjesto_core.files import write_dataset

        write_dataset(output, dataset)
        say(
            N_("Wrote %(organisations)s, %(services)s and %(agreements)s to %(path)s."),
            path=output,
            **counts,
        )
    if workspace is not None:
        from jarjesto_cli.commands.workspace import actor
        from jarjesto_core.errors import WorkspaceError
        from jarjesto_core.workspace import open_workspace

        with open_workspace(workspace) as ws:
            try:
                initialised = ws.status().initialised
            except WorkspaceError:  # no database there yet: a demo creates its own
                initialised = False
            if not initialised:
                ws.init()
            ws.load(dataset, actor=actor())
            say(
                N_("Loaded %(organisations)s, %(services)s and %(agreements)s into %(location)s."),
                location=ws.location,
                **counts,
            )


COMMANDS = [demo]
