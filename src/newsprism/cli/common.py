"""Options and helpers shared by the CLI commands."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from newsprism.errors import NewsprismError
from newsprism.settings import Settings

if TYPE_CHECKING:
    from newsprism.store import Store

F = TypeVar("F", bound=Callable[..., Any])


def open_store(db: Path, **options: Any) -> Store:
    """The store at `db`, imported on first use so that importing a command module does not load it
    (the forecasts package still does, see docs/house.md 5.3)."""
    from newsprism.store import Store

    return Store(db, **options)


def settings_options(func: F) -> F:
    """Adds `--db` and `--config` and passes a resolved `settings: Settings` instead."""

    @click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="Store file (default: newsprism.db in the working directory).")
    @click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                  help="TOML settings file ([newsprism] table).")
    @functools.wraps(func)
    def wrapper(*args: Any, db: Path | None, config: Path | None, **kwargs: Any) -> Any:
        try:
            settings = Settings.load(config, db=db)
            return func(*args, settings=settings, **kwargs)
        except NewsprismError as err:
            raise click.ClickException(str(err)) from err

    return wrapper  # type: ignore[return-value]


@click.group("eval")
@click.option("--data", "data_root", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="NEWSPRISM_DATA",
              help="Folder of the development data sets (default: ../shared/data). Sets NEWSPRISM_DATA.")
def eval_group(data_root: Path | None) -> None:
    """Measure quality on real data sets, next to baselines run on the same inputs."""
    if data_root is not None:
        # one setting for every loader of the lab (newsprism.evaluation.paths reads it)
        os.environ["NEWSPRISM_DATA"] = str(data_root)
