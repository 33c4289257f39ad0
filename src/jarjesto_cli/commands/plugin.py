"""``jarjesto plugin new NAME``: a plugin distribution that installs and passes its tests as is.

The templates are package data (``jarjesto_cli/templates/plugin``), filled
with :class:`string.Template` (``$name`` placeholders, so the generated
code's own ``%(name)s`` and braces stay as they are). The catalogues are
written and compiled here with Babel, so the new plugin ships working
fi, sv and en messages from the start.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template
from typing import Final

import click

from jarjesto_core.i18n import N_, translate

__all__ = ["COMMANDS", "PluginNames", "create_plugin", "plugin_names"]

NAME_PATTERN: Final = re.compile(r"^[a-z][a-z0-9]*([_-][a-z0-9]+)*\Z")
LANGUAGES: Final = ("fi", "sv", "en")
#: The example rule's messages in Finnish and Swedish (English is the msgid).
EXAMPLE_MESSAGES: Final[Mapping[str, Mapping[str, str]]] = {
    "An organisation council with organisation members is active.": {
        "fi": "Toiminnassa on järjestöasiain neuvottelukunta, jossa on järjestöjäseniä.",
        "sv": "En organisationsdelegation med organisationer som medlemmar är verksam.",
    },
    "No organisation council with organisation members is active.": {
        "fi": "Toiminnassa ei ole järjestöasiain neuvottelukuntaa, jossa olisi järjestöjäseniä.",
        "sv": "Ingen organisationsdelegation med organisationer som medlemmar är verksam.",
    },
    "an organisation council with organisation members": {
        "fi": "järjestöasiain neuvottelukunta, jossa on järjestöjäseniä",
        "sv": "en organisationsdelegation med organisationer som medlemmar",
    },
}


class PluginNames:
    """The three spellings of a plugin's name: ``pohjois-savo``, ``pohjois_savo``, the package."""

    def __init__(self, name: str) -> None:
        if not NAME_PATTERN.match(name):
            raise ValueError(name)
        self.slug = name.replace("_", "-")
        self.namespace = name.replace("-", "_")
        self.package = f"jarjesto_{self.namespace}"
        self.distribution = f"jarjesto-{self.slug}"

    def as_dict(self) -> dict[str, str]:
        return {"slug": self.slug, "namespace": self.namespace, "package": self.package}


def plugin_names(name: str) -> PluginNames:
    """Names for ``NAME``; ``ValueError`` unless lower-case letters, digits, ``-`` or ``_``."""
    return PluginNames(name)


def _templates() -> dict[str, str]:
    """Template path (relative, without ``.tmpl``) -> text."""
    root = resources.files("jarjesto_cli").joinpath("templates/plugin")
    found: dict[str, str] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".tmpl"):
                found[prefix + child.name.removesuffix(".tmpl")] = child.read_text("utf-8")

    walk(root, "")
    return found


def _write_catalogues(package_dir: Path, domain: str, project: str) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    for lang in LANGUAGES:
        catalog = Catalog(locale=lang, domain=domain, project=project, version="0.1.0", fuzzy=False)
        for msgid, texts in EXAMPLE_MESSAGES.items():
            catalog.add(msgid, msgid if lang == "en" else texts[lang])
        where = package_dir / "locale" / lang / "LC_MESSAGES"
        where.mkdir(parents=True)
        with (where / f"{domain}.po").open("wb") as f:
            write_po(f, catalog, width=76)
        with (where / f"{domain}.mo").open("wb") as f:
            write_mo(f, catalog)


def create_plugin(name: str, directory: Path) -> Path:
    """Write the distribution ``jarjesto-<name>`` into ``directory`` and return its path.

    Nothing is written when the target exists. Raises ``ValueError`` for a
    bad name and ``FileExistsError`` for an existing target.
    """
    names = plugin_names(name)
    target = directory / names.distribution
    if target.exists():
        raise FileExistsError(str(target))
    values = names.as_dict()
    rendered = {
        path.replace("src/", f"src/{names.package}/", 1): Template(text).substitute(values)
        for path, text in _templates().items()
    }
    tmp = directory / f".{names.distribution}.tmp"
    try:
        for path, text in rendered.items():
            out = tmp / path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, "utf-8")
        (tmp / "src" / names.package / "py.typed").write_text("", "utf-8")
        _write_catalogues(tmp / "src" / names.package, names.package, names.distribution)
        tmp.rename(target)
    finally:
        if tmp.exists():
            import shutil

            shutil.rmtree(tmp)
    return target


@click.group("plugin")
def plugin_group() -> None:
    """Write a regional plugin of your own (see docs/plugins.md).

    \b
    Examples:
      jarjesto plugin new pohjois-savo
      jarjesto plugins                  list the plugins installed
    """


@plugin_group.command("new")
@click.argument("name")
@click.option(
    "--directory",
    "-d",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where to create the plugin's directory jarjesto-NAME.",
)
@click.pass_context
def new_plugin(ctx: click.Context, name: str, directory: Path) -> None:
    """Create a plugin distribution NAME with one example rule, its tests and translations.

    NAME is the plugin's name and rule namespace: lower-case letters and
    digits, words joined by - or _ (pohjois-savo gives the distribution
    jarjesto-pohjois-savo, the package jarjesto_pohjois_savo and rules
    pohjois_savo.*). The new plugin installs and passes its tests as is.

    \b
    Examples:
      jarjesto plugin new pohjois-savo
      jarjesto plugin new lappi --directory plugins
      cd jarjesto-lappi && pip install -e '.[test]' && pytest
    """
    from jarjesto_cli.context import language

    lang = language(ctx)
    try:
        target = create_plugin(name, directory)
    except ValueError:
        raise click.BadParameter(
            translate(
                N_(
                    "%(name)s is not a plugin name: use lower-case letters and digits, words "
                    "joined by - or _, starting with a letter"
                ),
                lang,
                {"name": repr(name)},
            ),
            param_hint="'NAME'",
        ) from None
    except FileExistsError:
        raise click.ClickException(
            translate(
                N_("%(path)s already exists; choose another name or directory"),
                lang,
                {"path": str(directory / plugin_names(name).distribution)},
            )
        ) from None
    names = plugin_names(name)
    click.echo(
        translate(
            N_(
                "created the plugin %(distribution)s in %(path)s: rules %(namespace)s.*, "
                "entry point %(namespace)s"
            ),
            lang,
            {"distribution": names.distribution, "path": str(target), "namespace": names.namespace},
        )
    )
    click.echo(
        translate(
            N_("next: cd %(path)s && pip install -e '.[test]' && pytest"),
            lang,
            {"path": str(target)},
        )
    )


COMMANDS = [plugin_group]
