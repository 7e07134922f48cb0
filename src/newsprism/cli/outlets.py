"""CLI commands of the outlets stage: `newsprism outlets list|import|train` and `newsprism eval outlets`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsprism.cli.common import eval_group, open_store, settings_options
from newsprism.errors import NewsprismError
from newsprism.outlets import load_registry, outlet_ref, save_profiles
from newsprism.outlets.importers import read_ratings
from newsprism.settings import Settings

_existing = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("outlets")
def outlets_group() -> None:
    """Outlet registry: names, domains, lean and reliability, with the source of every figure."""


@outlets_group.command("list")
@settings_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object per outlet, with all figures.")
def list_command(settings: Settings, as_json: bool) -> None:
    """List known outlets (shipped table plus imported ratings) with their winning lean and reliability."""
    with open_store(settings.db) as store:
        registry = load_registry(store)
    for profile in registry:
        if as_json:
            click.echo(json.dumps(profile.to_json(), ensure_ascii=False))
            continue
        ref, reliability = outlet_ref(profile), profile.figure("reliability")
        lean = "?" if ref.lean_score is None else f"{ref.lean} {ref.lean_score:+.2f}"
        rel = "" if reliability is None else f"  reliability {reliability.value:.2f}"
        stance = profile.figure("establishment")
        est = "" if stance is None else f"  establishment {stance.value:+.2f}"
        click.echo(f"{profile.name}  [{', '.join(profile.domains)}]  lean {lean}{rel}{est}")


@outlets_group.command("import")
@settings_options
@click.argument("file", type=_existing)
def import_command(settings: Settings, file: Path) -> None:
    """Import ratings (CSV/JSON: newsprism columns, AllSides or MBFC shape); they override computed ones."""
    with open_store(settings.db) as store:
        count = save_profiles(store, read_ratings(file))
    click.echo(f"imported {count} outlets from {file}")


@outlets_group.command("train")
@click.option(
    "--data",
    type=_existing,
    default=None,
    help="allsides-articles corpus (JSON lines, gzip; default: allsides-articles/ in the data folder).",
)
@click.option(
    "--idiap",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="idiap reliability scores JSON (default: ratings/ in the data folder; skipped when missing).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: the package's data folder).",
)
def train_command(data: Path | None, idiap: Path | None, out: Path | None) -> None:
    """Retrain the lean model and establishment axis, rebuild the shipped outlet table (a few minutes)."""
    from newsprism.evaluation.outlets_build import PACKAGE_DATA, build_shipped

    out = out or PACKAGE_DATA
    try:
        report = build_shipped(data, idiap, out)
    except NewsprismError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"{report.articles} articles, {report.outlets} outlets, {report.phrases} phrases "
        f"({report.axis_phrases} on the establishment axis); model {report.model_bytes / 1e6:.2f} MB, "
        f"axis {report.axis_bytes / 1e6:.2f} MB, table {report.table_bytes / 1e6:.2f} MB in {out}"
    )


@eval_group.command("outlets")
@click.option(
    "--data",
    type=_existing,
    default=None,
    help="allsides-articles corpus (JSON lines, gzip; default: allsides-articles/ in the data folder).",
)
@click.option(
    "--allsides",
    type=_existing,
    default=None,
    help="AllSides 2019 ratings CSV (evaluation only; default: ratings/ in the data folder).",
)
@click.option(
    "--mbfc",
    type=_existing,
    default=None,
    help="Media Bias/Fact Check ratings JSON (evaluation only; default: ratings/ in the data folder).",
)
@click.option(
    "--min-articles", default=10, show_default=True, help="Outlets with fewer articles are not scored."
)
def eval_command(data: Path | None, allsides: Path | None, mbfc: Path | None, min_articles: int) -> None:
    """Lean: held-out outlets vs AllSides 2019, article accuracy vs majority class. Establishment:
    split-half stability of the axis and outlet scores, Spearman with MBFC factual reporting/credibility."""
    from newsprism.evaluation.outlets_build import run_eval

    try:
        result = run_eval(data, allsides, min_articles=min_articles, mbfc=mbfc)
    except NewsprismError as err:
        raise click.ClickException(str(err)) from err
    for line in result.lines():
        click.echo(line)


COMMANDS: list[click.Command] = [outlets_group]
