"""The `newsprism` command. Each command opens the store and calls one library function."""

from __future__ import annotations

import click

from newsprism.cli import batch, build, cluster, compose, forecasts, ingest, live, outlets, publish, sections
from newsprism.cli.common import eval_group

__all__ = ["main"]


@click.group()
@click.version_option(package_name="newsprism")
def main() -> None:
    """newsprism: raw news from many outlets into honest story pages."""


for module in (ingest, build, cluster, compose, publish, live, outlets, forecasts, batch, sections):
    for command in module.COMMANDS:
        main.add_command(command)
main.add_command(eval_group)
