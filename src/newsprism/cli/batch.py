"""`newsprism batch` (the pipeline over a whole corpus, in-process or on Spark) and `newsprism load`."""

from __future__ import annotations

from pathlib import Path

import click

from newsprism.cli.common import open_store, settings_options
from newsprism.errors import NewsprismError
from newsprism.settings import Settings


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Result directory: Parquet tables and stories/<id>.json.")
@click.option("--runner", "runner_name", default="local", show_default=True,
              help="Where stages run: local (this process) or spark.")
@click.option("--workers", type=int, default=None,
              help="Local worker processes (default 1), or cores of a local Spark (default 2).")
@click.option("--master", default=None,
              help="Spark master URL (default: the spark-submit session, else local[WORKERS]).")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="TOML settings file ([newsprism] table).")
def batch(inputs: tuple[str, ...], out: Path, runner_name: str, workers: int | None, master: str | None,
          config: Path | None) -> None:
    """Run the whole pipeline over JSONL and WARC(.gz) inputs (paths or URIs) and write the result to OUT."""
    from newsprism.batch import get_runner, run_batch

    try:
        settings = Settings.load(config)
        spark = runner_name.startswith("spark")
        options: dict[str, object] = {"workers": workers or (2 if spark else 1)}
        if spark:
            options["master"] = master
        runner = get_runner(runner_name, **options)
        if settings.db.exists():  # outlets imported there name outlets and leans here, as in a local build
            with open_store(settings.db) as store:
                report = run_batch(list(inputs), out, settings, runner, registry=store)
        else:
            report = run_batch(list(inputs), out, settings, runner)
    except NewsprismError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"{report.runner}: {report.articles} articles ({report.duplicates} duplicates,"
        f" {report.near_duplicates} near-duplicates, {len(report.rejected)} rejected) in {report.stories}"
        f" stories and"
        f" {report.storylines} storylines, {report.seconds:.1f}s; written to {out}"
    )


@click.command("load")
@click.argument("result", type=click.Path(exists=True, file_okay=False, path_type=Path))
@settings_options
def load(result: Path, settings: Settings) -> None:
    """Put a `newsprism batch` result into the store, so the site serves it."""
    from newsprism.batch import load_result

    with open_store(settings.db) as store:
        report = load_result(result, store)
    click.echo(f"loaded {report.articles} articles, {report.stories} stories, {report.storylines} storylines"
               f" into {settings.db}")


COMMANDS: list[click.Command] = [batch, load]
