"""CLI commands of the ingest stage: `newsprism ingest` and `newsprism extract`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsprism.cli.common import eval_group, open_store, settings_options
from newsprism.errors import InputError, StoreError
from newsprism.settings import Settings
from newsprism.types import Rejection

if TYPE_CHECKING:
    from newsprism.ingest import IngestReport

__all__ = ["COMMANDS", "extract", "ingest"]

_LISTED = 20  # rejections listed one by one; beyond that, counted per reason


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--fetch", is_flag=True, help="Download linked pages of feed items and OPML feeds (politely).")
@click.option("--strict", is_flag=True,
              help="Stop at the first input rejected or unreadable (exit 1); what came before it is kept.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--wait", "wait", type=float, default=600.0, show_default=True,
              help="Seconds to wait while another process writes to the store (0: give up at once).")
@settings_options
def ingest(paths: tuple[Path, ...], fetch: bool, strict: bool, quiet: bool, wait: float,
           settings: Settings) -> None:
    """Ingest news files and folders (txt, html, json/jsonl, RSS/Atom, OPML, WARC) into the store.

    Exits with status 0 when every input was handled: stored, found already stored, or rejected with a
    reason (listed). Exits with status 1 when some input could not be read at all (missing, unreadable,
    cut short) or the store could not be written. With --strict, the first input rejected for any reason
    stops the run with status 1, naming it; the articles stored before it stay stored.
    """
    from newsprism.ingest import StrictStop, ingest_paths

    try:
        with open_store(settings.db, busy_wait=wait) as store:
            report = ingest_paths(list(paths), store, settings, fetch=fetch, progress=not quiet,
                                  strict=strict)
    except StrictStop as stop:
        # what was stored before the stop is kept (committed): say so, then why the run stopped
        click.echo("Stopped by --strict: " + summary(stop.report, stopped=True))
        _list("undated", stop.report.undated)
        raise click.ClickException(f"--strict: stopped at {stop.rejection.source}: {stop.rejection.reason}."
                                   " Inputs after it were not read.") from stop
    except InputError as err:
        raise click.ClickException(str(err)) from err
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    click.echo(summary(report))
    _list("rejected", report.rejected)
    _list("undated", report.undated)
    if report.failed:
        raise SystemExit(1)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def summary(report: IngestReport, *, stopped: bool = False) -> str:
    """What one ingest did, in words: every record read is stored, a duplicate, or rejected."""
    read = report.ingested + report.duplicates + len(report.rejected)
    parts = [f"{_count(report.ingested, 'new article', 'new articles')} stored"]
    if report.duplicates:
        parts.append(f"{_count(report.duplicates, 'was', 'were')} already in the store (not stored again)")
    if report.near_duplicates:
        parts.append(f"{_count(report.near_duplicates, 'near-duplicate', 'near-duplicates')} linked "
                     "to their originals")
    if report.rejected:
        handled = len(report.rejected) - len(report.failures)
        if handled:
            parts.append(f"{_count(handled, 'input', 'inputs')} rejected with a reason")
        if report.failures:
            parts.append(f"{_count(len(report.failures), 'input', 'inputs')} could not be read")
    if report.undated:
        parts.append(f"{_count(len(report.undated), 'date', 'dates')} dropped as impossible "
                     "(articles kept, undated)")
    if stopped:
        return f"{_count(read, 'input', 'inputs')} read: " + "; ".join(parts) + "."
    status = "some inputs could not be read" if report.failed else "all inputs handled"
    return f"{_count(read, 'input', 'inputs')} read: " + "; ".join(parts) + f". {status.capitalize()}."


def _list(label: str, items: tuple[Rejection, ...]) -> None:
    for item in items[:_LISTED]:
        click.echo(f"  {label} {item.source}: {item.reason}")
    if len(items) > _LISTED:
        for reason, count in Counter(r.reason for r in items).most_common():
            click.echo(f"  {count} × {reason}")


@click.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the cleaned article as JSON.")
@settings_options
def extract(file: Path, as_json: bool, settings: Settings) -> None:
    """Clean one file into an article and print it (title, outlet, paragraphs, what was removed)."""
    from newsprism.ingest import extract_file

    # the settings file's limits hold, except the length floor: extract shows even a short text cleaned
    article = extract_file(file, settings=settings.with_values({"min_article_words": 1}))
    if isinstance(article, Rejection):
        raise click.ClickException(f"{article.source}: {article.reason}")
    data = {
        "title": article.title,
        "outlet": article.outlet,
        "byline": article.byline,
        "published": article.published,
        "paragraphs": list(article.paragraphs),
        "subheadings": list(article.subheadings),
        "captions": list(article.captions),
        "boilerplate": [{"text": b.text, "reason": b.reason} for b in article.boilerplate],
    }
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(article.title)
    click.echo(f"{article.outlet or '-'} | {article.byline or '-'} | {article.published or '-'}\n")
    click.echo("\n\n".join(article.paragraphs))


@eval_group.command("extract")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="The shared data folder (default: ../shared/data next to the repository).")
@click.option("--no-browser", is_flag=True, help="Skip the browser-text input (needs /usr/bin/chromium).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
def eval_extract(data: Path | None, no_browser: bool, as_json: bool) -> None:
    """Score the cleaners on real pages (fundus, trafilatura-eval, readability) turned into raw text.

    Rows per set and input (text-blocks, text-browser, html): mean P/R/F1 of body tokens, median F1,
    title and date accuracy; newsprism's line model is scored on site folds it was not trained on.
    """
    from newsprism.evaluation import extract as lab  # the lab loads only for this command

    pages = lab.load_pages(data or lab.DEFAULT_DATA)
    if not pages:
        raise click.ClickException(f"no pages under {(data or lab.DEFAULT_DATA) / 'pages'}")
    rows = lab.evaluate(pages, browser=not no_browser)
    click.echo(json.dumps(rows, indent=1) if as_json else lab.summarize(rows))


COMMANDS: list[click.Command] = [ingest, extract]
