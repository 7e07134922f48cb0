"""`newsprism build`: cluster and compose whatever is new in the store."""

from __future__ import annotations

import click

from newsprism.cli.common import settings_options
from newsprism.settings import Settings
from newsprism.store import Store


@click.command()
@settings_options
@click.option("--quiet", is_flag=True, help="No progress bars.")
def build(settings: Settings, quiet: bool) -> None:
    """Analyse new articles, cluster them into stories and storylines, compose changed stories."""
    from newsprism import pipeline

    with Store(settings.db) as store:
        report = pipeline.build(store, settings, progress=not quiet)
    click.echo(
        f"analysed {report.analysed} articles; {report.assigned} assigned to {report.stories} stories "
        f"in {report.storylines} storylines; composed {report.composed} stories"
    )


COMMANDS: list[click.Command] = [build]
