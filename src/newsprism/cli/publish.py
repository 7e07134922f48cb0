"""CLI commands of the publish stage: site, serve, stories, digest."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsprism.cli.common import settings_options
from newsprism.errors import InputError
from newsprism.settings import Settings

if TYPE_CHECKING:
    from newsprism.publish.queries import Reader

# The publish modules import FastAPI and Jinja2; importing them lazily keeps `newsprism --help` quick.


def _reader(settings: Settings) -> Reader:
    from newsprism.publish.queries import Reader

    if not Path(settings.db).exists():
        raise click.ClickException(f"no store at {settings.db}: run `newsprism ingest` and `newsprism build`")
    return Reader(settings.db)


@click.command("site")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--base-url", default="", help="Absolute URL the site will live at (for the feed's links).")
@settings_options
def site(outdir: Path, base_url: str, settings: Settings) -> None:
    """Write the story pages as a static site (relative links; works from file://)."""
    from newsprism.publish import export_site

    report = export_site(_reader(settings), outdir, settings.site_title, base_url)
    click.echo(f"{report.pages} pages ({report.stories} stories) written to {report.out / 'index.html'}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (loopback).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes; each reads the store through its own read-only connections.")
@settings_options
def serve(host: str, port: int, workers: int, settings: Settings) -> None:
    """Serve the story site and the JSON API (/api/, OpenAPI at /docs)."""
    if not Path(settings.db).exists():
        raise click.ClickException(f"no store at {settings.db}: run `newsprism ingest` and `newsprism build`")
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"serving {settings.db} at http://{shown}:{port}/ ({workers} worker{'s' * (workers > 1)};"
               " Ctrl+C stops)")
    import uvicorn

    from newsprism.publish._env import DB_ENV, TITLE_ENV
    from newsprism.store import Store

    Store(settings.db).close()  # pending migrations once, here, not in every worker
    os.environ[DB_ENV] = str(Path(settings.db).resolve())
    os.environ[TITLE_ENV] = settings.site_title
    if workers > 1 and hasattr(os, "fork"):
        from newsprism.publish.workers import serve_forked

        serve_forked(host, port, workers)
        return
    uvicorn.run("newsprism.publish.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


@click.command("stories")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON list instead of a table.")
@click.option("--limit", default=100, show_default=True, type=int)
@settings_options
def stories(as_json: bool, limit: int, settings: Settings) -> None:
    """List composed stories, most significant first."""
    rows = _reader(settings).stories(limit=limit)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row.id}\t{row.date or '':10}\t{len(row.outlets):>3} outlets\t{row.headline}")


@click.command("digest")
@click.option("--since", default="1d", show_default=True, help="Period before the newest story: 12h, 1d, 2w.")
@click.option("--to", "to", default=None, help="Recipient address.")
@click.option("--from", "sender", default="newsprism@localhost", show_default=True, help="Sender address.")
@click.option("--smtp", default=None, help="HOST:PORT of an SMTP server; send instead of writing a file.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the .eml (default: digest-YYYY-MM-DD.eml).")
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True, help="Site URL for links.")
@settings_options
def digest(since: str, to: str | None, sender: str, smtp: str | None, out: Path | None, base_url: str,
           settings: Settings) -> None:
    """A newsletter of the top stories as an HTML + plain-text email (.eml, or sent by SMTP)."""
    from newsprism.publish import build_digest, parse_since, send_digest
    from newsprism.publish.digest import default_name

    try:
        message = build_digest(_reader(settings), since=parse_since(since), to=to, sender=sender,
                               base_url=base_url, site_title=settings.site_title)
        if smtp:
            host, _, port = smtp.rpartition(":")
            if not host or not port.isdigit():
                raise InputError(f"--smtp wants HOST:PORT, not {smtp!r}")
            send_digest(message, host, int(port))
            click.echo(f"digest sent to {to} through {smtp}")
            return
    except (InputError, OSError) as err:
        raise click.ClickException(str(err)) from err
    target = out or Path(default_name())
    target.write_bytes(bytes(message))
    click.echo(f"digest written to {target}")


COMMANDS: list[click.Command] = [site, serve, stories, digest]
