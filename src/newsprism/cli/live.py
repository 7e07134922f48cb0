"""CLI commands of the live loop: `newsprism run` and `newsprism status`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsprism.cli.common import settings_options
from newsprism.errors import NewsprismError
from newsprism.settings import Settings

__all__ = ["COMMANDS", "prune", "run", "status"]


@click.command("run")
@click.option("--feeds", "feeds", multiple=True, metavar="FILE.opml|URL",
              help="An OPML feed list or a feed URL (repeatable; default: the shipped list of outlets).")
@click.option("--every", default="30m", show_default=True, help="Period between cycles: 30m, 2h, 90s.")
@click.option("--once", is_flag=True, help="One cycle, then stop (or keep serving with --serve).")
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Rewrite this static site after every cycle.")
@click.option("--serve", metavar="HOST:PORT", default=None, help="Serve the site and API meanwhile.")
@click.option("--retention", metavar="AGE", default=None,
              help="Keep this long (90d, 12w, 1y): older articles and stories are pruned every cycle"
                   " (default: the retention_days setting; 0 keeps everything).")
@settings_options
def run(feeds: tuple[str, ...], every: str, once: bool, site: Path | None, serve: str | None,
        retention: str | None, settings: Settings) -> None:
    """Fetch the feeds, ingest what is new, build, and publish, on a schedule until stopped.

    One line per cycle: new articles, stories changed, failures, seconds; `newsprism status` shows the log.
    """
    from newsprism.live import parse_every, read_feed_list, run_loop
    from newsprism.retention import parse_age

    try:
        if retention is not None:
            settings = settings.with_values({"retention_days": parse_age(retention)})
        period = parse_every(every)
        feed_list = read_feed_list(feeds)
        keep = f"; keeping {settings.retention_days} days" if settings.retention_days else ""
        click.echo(f"{len(feed_list)} feeds, every {every}{keep}" + (f"; site {site}" if site else "")
                   + (f"; serving http://{serve}/" if serve else ""))
        run_loop(settings, feed_list, every=period, once=once, site=site, serve=serve,
                 report=lambda cycle: click.echo(cycle.summary()))
    except NewsprismError as err:
        raise click.ClickException(str(err)) from err


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.option("--last", default=5, show_default=True, type=int, help="How many cycles to show.")
@settings_options
def status(as_json: bool, last: int, settings: Settings) -> None:
    """The live loop's last cycles, the feeds whose latest fetch failed, and the store's size."""
    from newsprism.live import live_status
    from newsprism.store import Store

    if not Path(settings.db).exists():
        raise click.ClickException(f"no store at {settings.db}")
    with Store(settings.db) as store:
        report = live_status(store, last=last)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{report.db}: {report.bytes / 1e6:.1f} MB, {report.articles} articles, "
               f"{report.stories} stories, {report.feeds} feeds")
    for cycle in report.cycles:
        seconds = "-" if cycle.seconds is None else f"{cycle.seconds:.1f} s"
        click.echo(f"  cycle {cycle.id} {cycle.started_at} {cycle.status}: {cycle.new_articles} new, "
                   f"{cycle.stories_changed} stories changed, {cycle.failures} failures, {seconds}")
    if report.failing_feeds:
        click.echo("feeds with errors:")
    for feed in report.failing_feeds:
        why = (f"the feed failed {feed.errors_in_row} times in a row" if feed.errors_in_row
               else "the feed was read; one of its pages failed")
        click.echo(f"  {feed.url} ({feed.outlet or '-'}): {feed.last_error} [{why}]")


@click.command("prune")
@click.option("--older-than", "older_than", metavar="AGE", default=None,
              help="Delete what is older than this (90d, 12w, 1y; default: the retention_days setting).")
@click.option("--before", "before", metavar="YYYY-MM-DD", default=None,
              help="Delete what is dated before this day instead.")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@settings_options
def prune(older_than: str | None, before: str | None, dry_run: bool, as_json: bool,
          settings: Settings) -> None:
    """Delete old articles and stories with everything derived from them (retention).

    A story goes when all its articles are old; an old article of a story with newer ones stays.
    """
    from datetime import date

    from newsprism.retention import cutoff_day, parse_age
    from newsprism.retention import prune as prune_store
    from newsprism.store import Store

    if older_than is not None and before is not None:
        raise click.UsageError("give --older-than or --before, not both")
    try:
        if before is not None:
            try:
                cut = date.fromisoformat(before).isoformat()
            except ValueError as err:
                raise click.BadParameter(f"not a day: {before!r}", param_hint="--before") from err
        elif older_than is not None:
            cut = cutoff_day(parse_age(older_than))
        elif settings.retention_days > 0:
            cut = cutoff_day(settings.retention_days)
        else:
            raise click.UsageError("nothing to prune by: give --older-than AGE or --before DAY, "
                                   "or set retention_days")
        if not Path(settings.db).exists():
            raise click.ClickException(f"no store at {settings.db}")
        with Store(settings.db) as store:
            report = prune_store(store, cut, dry_run=dry_run)
    except NewsprismError as err:
        raise click.ClickException(str(err)) from err
    click.echo(json.dumps(report.to_json(), indent=2) if as_json else report.summary())


COMMANDS: list[click.Command] = [run, status, prune]
