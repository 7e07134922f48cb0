"""`newsprism build`: cluster and compose whatever is new in the store."""

from __future__ import annotations

import click

from newsprism.cli.common import open_store, settings_options
from newsprism.errors import StoreError
from newsprism.settings import Settings


@click.command()
@settings_options
@click.option("--quiet", is_flag=True, help="No progress bars.")
@click.option("--wait", "wait", type=float, default=600.0, show_default=True,
              help="Seconds to wait while another process writes to the store (0: give up at once).")
def build(settings: Settings, quiet: bool, wait: float) -> None:
    """Analyse new articles, cluster them into stories and storylines, compose changed stories.

    Each step commits as it goes: a build stopped at any point and run again ends as one run would."""
    from newsprism import pipeline

    try:
        with open_store(settings.db, busy_wait=wait) as store:
            report = pipeline.build(store, settings, progress=not quiet)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"analysed {report.analysed} articles; {report.assigned} assigned to {report.stories} stories "
        f"in {report.storylines} storylines; composed {report.composed} stories"
    )


COMMANDS: list[click.Command] = [build]
