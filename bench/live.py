"""Live-cycle benchmark: one `newsprism run` cycle that finds N new articles (default 500).

allsides-articles are replayed as the web: one RSS feed per outlet (items with a title and a link, no
text, as most outlets' feeds are), one HTML page per article, served by local HTTP servers on 50
loopback addresses (127.0.0.2 …), so the polite fetcher's per-host interval applies as it would across
50 outlets' hosts. Prints the seconds of each stage (fetch+ingest, analyse, cluster, storylines, compose,
site) and the machine's load.
Usage: .venv/bin/python bench/live.py [N] [--interval SECONDS] [PATH/articles.jsonl.gz]
"""

from __future__ import annotations

import gzip
import html
import json
import os
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from dateutil import parser as dateparser

from newsprism.ingest import FeedSource
from newsprism.live import run_cycle
from newsprism.settings import Settings
from newsprism.store import Store

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides-articles" / "articles.jsonl.gz"
HOSTS = [f"127.0.0.{n}" for n in range(2, 52)]


def _articles(path: Path, n: int) -> list[dict[str, str]]:
    """The n newest articles with a body of 100+ words (newest: several outlets on the same events)."""
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("date") and len(row.get("text", "").split()) >= 100 and row.get("source"):
                try:
                    row["date"] = dateparser.parse(row["date"]).replace(tzinfo=UTC).isoformat()
                except (ValueError, OverflowError):
                    continue
                rows.append(row)
    rows.sort(key=lambda r: r["date"], reverse=True)
    return rows[:n]


def _page(row: dict[str, str]) -> bytes:
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in row["text"].split("\n") if p.strip())
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(row["title"])}'
            f'</title><meta property="og:site_name" content="{html.escape(row["source"])}">'
            f'<meta property="article:published_time" content="{row["date"]}"></head><body><header><nav>'
            f'<a href="/">Home</a></nav></header><main><article><h1>{html.escape(row["title"])}</h1>'
            f"{paragraphs}</article></main><footer>© {html.escape(row['source'])}</footer></body></html>"
            ).encode()


def _feed(outlet: str, items: list[tuple[dict[str, str], str]]) -> bytes:
    entries = "".join(
        f"<item><title>{html.escape(row['title'])}</title><link>{url}</link><guid>{url}</guid>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(row['date']))}</pubDate></item>"
        for row, url in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{html.escape(outlet)}'
            f"</title><link>http://example.invalid/</link><description>replay</description>{entries}"
            "</channel></rss>").encode()


def _serve(routes: dict[tuple[str, str], bytes]) -> list[ThreadingHTTPServer]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = routes.get((self.server.server_address[0], self.path))  # type: ignore[index]
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    servers = []
    for host in HOSTS:
        server = ThreadingHTTPServer((host, 8765), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def main(argv: list[str]) -> None:
    interval = 1.0
    if "--interval" in argv:
        at = argv.index("--interval")
        interval = float(argv[at + 1])
        del argv[at:at + 2]
    n = int(argv[0]) if argv and argv[0].isdigit() else 500
    path = Path(next((a for a in argv if not a.isdigit()), DEFAULT))
    if not path.exists():
        print(f"allsides-articles not found at {path}; skipping")
        return
    rows = _articles(path, n)
    by_outlet: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_outlet.setdefault(row["source"], []).append(row)
    routes: dict[tuple[str, str], bytes] = {}
    feeds = []
    for i, (outlet, items) in enumerate(sorted(by_outlet.items())):
        host = HOSTS[i % len(HOSTS)]
        linked = [(row, f"http://{host}:8765/{i}/{k}.html") for k, row in enumerate(items)]
        for (row, url) in linked:
            routes[(host, url.split(":8765", 1)[1])] = _page(row)
        routes[(host, f"/{i}/feed.xml")] = _feed(outlet, linked)
        feeds.append(FeedSource(f"http://{host}:8765/{i}/feed.xml", outlet))
    servers = _serve(routes)
    print(f"{len(rows)} articles in {len(feeds)} feeds on {len(HOSTS)} hosts; "
          f"per-host interval {interval} s; load {os.getloadavg()[0]:.2f}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(db=Path(tmp) / "live.db", fetch_min_interval=interval)
            with Store(settings.db) as store:
                start = time.perf_counter()
                report = run_cycle(store, settings, feeds, site=Path(tmp) / "site")
                total = time.perf_counter() - start
            print(report.summary())
            for stage, seconds in report.stages.items():
                print(f"  {stage:14} {seconds:8.1f} s")
            print(f"  {'total':14} {total:8.1f} s; load {os.getloadavg()[0]:.2f}")
    finally:
        for server in servers:
            server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:])
