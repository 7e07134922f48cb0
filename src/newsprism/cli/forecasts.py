"""CLI commands of the forecasts stage: import, update, list; and `eval forecasts`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsprism import forecasts
from newsprism.cli.common import eval_group, open_store, settings_options
from newsprism.errors import NewsprismError
from newsprism.settings import Settings

PLATFORM_CHOICE = click.Choice(["auto", *forecasts.PLATFORMS])


@click.group("forecasts")
def forecasts_group() -> None:
    """Prediction questions (Metaculus, Manifold, Polymarket) linked to stories."""


@forecasts_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--platform",
    type=PLATFORM_CHOICE,
    default="auto",
    show_default=True,
    help="Listing shape; auto detects it.",
)
@settings_options
def import_command(file: Path, platform: str, settings: Settings) -> None:
    """Import a saved question listing (JSON) into the store."""
    result = forecasts.read_listing(file, platform)
    with open_store(settings.db) as store:
        changed = forecasts.upsert_questions(store, result.questions)
    click.echo(f"read {len(result.questions)} questions from {file}; {changed} new or changed")
    for rejection in result.rejections:
        click.echo(f"skipped {rejection.source}: {rejection.reason}", err=True)


@forecasts_group.command("update")
@click.option(
    "--platform",
    "platforms",
    type=click.Choice(forecasts.PLATFORMS),
    multiple=True,
    help="Platform to fetch (repeatable; default: all).",
)
@click.option("--metaculus-url", default=forecasts.DEFAULT_BASE_URLS["metaculus"], show_default=True)
@click.option("--manifold-url", default=forecasts.DEFAULT_BASE_URLS["manifold"], show_default=True)
@click.option("--polymarket-url", default=forecasts.DEFAULT_BASE_URLS["polymarket"], show_default=True)
@click.option("--max-pages", default=5, show_default=True, help="Pages per platform, at most.")
@click.option("--delay", default=1.0, show_default=True, help="Seconds between requests to one platform.")
@settings_options
def update_command(
    platforms: tuple[str, ...],
    metaculus_url: str,
    manifold_url: str,
    polymarket_url: str,
    max_pages: int,
    delay: float,
    settings: Settings,
) -> None:
    """Fetch questions changed since the last update from the platforms' public APIs."""
    urls = {"metaculus": metaculus_url, "manifold": manifold_url, "polymarket": polymarket_url}
    try:
        with open_store(settings.db) as store:
            report = forecasts.update_forecasts(
                store, platforms or forecasts.PLATFORMS, base_urls=urls, max_pages=max_pages, delay=delay
            )
    except NewsprismError as err:
        raise click.ClickException(str(err)) from err
    for platform, count in report.fetched.items():
        click.echo(f"{platform}: {count} fetched, {report.changed[platform]} new or changed")


@forecasts_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--all", "show_all", is_flag=True, help="Closed questions too.")
@settings_options
def list_command(as_json: bool, show_all: bool, settings: Settings) -> None:
    """List stored questions (open ones unless --all)."""
    with open_store(settings.db) as store:
        questions = forecasts.load_questions(store, open_only=not show_all)
    for q in questions:
        if as_json:
            click.echo(json.dumps(q.to_json(), ensure_ascii=False))
        else:
            chance = "  -  " if q.probability is None else f"{100 * q.probability:4.0f}%"
            click.echo(f"{chance}  {q.platform:<10} {q.as_of or '':<10}  {q.title}")


@eval_group.command("forecasts")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Demo corpus (seeds, multiling2011; default: the repository's data/).",
)
@click.option(
    "--samples",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of question listings and links.jsonl (default: the labelled samples of the checkout).",
)
@click.option("--embedder", default=None, help="Blend in this embedder (e.g. minilm.v1); default lexical.")
@click.option("--folds", default=2, show_default=True, help="Folds of storylines for the held-out figures.")
def eval_forecasts(data_dir: Path | None, samples: Path | None, embedder: str | None, folds: int) -> None:
    """Precision and recall of story–question links on the labelled sample pairs: at the shipped
    threshold, with a threshold fitted on all stories (tuned-on), and on held-out storylines (k-fold)."""
    from newsprism.evaluation import forecasts as lab
    from newsprism.evaluation.paths import demo_root
    from newsprism.forecasts._link import _named_embedder

    data_dir = data_dir or demo_root()
    samples = samples or demo_root().parent / "tests" / "data" / "forecasts"
    stories = lab.demo_stories(data_dir)
    questions = lab.sample_questions(samples)
    labels = lab.load_labels(samples / "links.jsonl")
    model = _named_embedder(embedder)
    shipped = lab.evaluate_links(stories, questions, labels, embedder=model)
    cv = lab.cross_validate(stories, questions, labels, embedder=model, k=folds)
    # one fold per storyline: the most tuning data a held-out story can have
    loso = lab.cross_validate(stories, questions, labels, embedder=model, k=len(stories))
    click.echo(f"{len(stories)} stories, {len(questions)} questions, {shipped.relevant} relevant pairs")
    click.echo(f"{'':<36}{'precision':>10}{'recall':>8}{'shown':>7}")
    fits = ", ".join(f"{t:.3f}" for t in cv.thresholds)
    for name, result in (
        ("shipped threshold, all stories", shipped),
        (f"tuned-on (threshold {cv.threshold:.3f})", cv.tuned_on),
        (f"held-out, {folds}-fold ({fits})", cv.held_out),
        ("held-out, one storyline per fold", loso.held_out),
    ):
        click.echo(f"{name:<36}{result.precision:>10.3f}{result.recall:>8.3f}{result.shown:>7}")
    for story, question in shipped.false_links:
        click.echo(f"false link: {story} -> {question}")
    for story, question in cv.held_out.false_links:
        click.echo(f"held-out false link: {story} -> {question}")


COMMANDS: list[click.Command] = [forecasts_group]
