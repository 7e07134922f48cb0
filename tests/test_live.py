"""`newsprism run` as a user runs it: real recorded feeds and pages on a local HTTP server.

The server (127.0.0.1, a thread of this test) serves tests/data/feeds: The Guardian's feed (full text in
the items, ETag: the second cycle gets a 304), Science's feed (empty items: the pages are fetched; one
through a redirect, one 404, one that times out), a "feed" that is an HTML error page, and a feed URL
that does not exist.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from newsprism.cli import main
from newsprism.live import read_feed_list
from newsprism.outlets import resolve_outlet
from newsprism.settings import Settings

DATA = Path(__file__).parent / "data" / "feeds"
PLACEHOLDER = "http://newsprism.test"


class _Site:
    """The recorded web: what each path serves, and a log of (path, status)."""

    def __init__(self) -> None:
        self.log: list[tuple[str, int]] = []
        self.on_request: Callable[[str], None] = lambda path: None
        self.base = ""

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        self.on_request(path)
        status, body, headers = self._route(path, handler.headers.get("If-None-Match"))
        self.log.append((path, status))
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        with contextlib.suppress(OSError):  # a client killed or timed out mid-answer
            handler.wfile.write(body)

    def _route(self, path: str, etag: str | None) -> tuple[int, bytes, dict[str, str]]:
        if path == "/robots.txt":
            return 200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}
        if path.startswith("/feeds/") and (DATA / path.removeprefix("/feeds/")).is_file():
            body = (DATA / path.removeprefix("/feeds/")).read_bytes().replace(PLACEHOLDER.encode(),
                                                                             self.base.encode())
            tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if etag == tag:
                return 304, b"", {"ETag": tag}
            return 200, body, {"Content-Type": "application/rss+xml", "ETag": tag}
        if path == "/science/1134-a":
            return 302, b"", {"Location": "/pages/1134-a.html"}
        if path in ("/science/1134-b", "/science/1134-c"):
            path = "/pages/" + path.rsplit("/", 1)[1] + ".html"
        if path == "/science/1134-e":
            time.sleep(2.5)  # longer than the fetch timeout of the test settings
            return 200, b"<html><body><p>late</p></body></html>", {"Content-Type": "text/html"}
        if path.startswith("/pages/") and (DATA / "pages" / path.removeprefix("/pages/")).is_file():
            page = (DATA / "pages" / path.removeprefix("/pages/")).read_bytes()
            return 200, page, {"Content-Type": "text/html; charset=utf-8"}
        return 404, b"not found", {"Content-Type": "text/plain"}


@pytest.fixture()
def web() -> Iterator[_Site]:
    site = _Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.respond(self)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


def _opml(tmp_path: Path, base: str) -> Path:
    outlines = [("The Guardian", "/feeds/guardian.rss"), ("Science", "/feeds/science.rdf"),
                ("Broken Feed", "/feeds/broken.rss"), ("Gone Feed", "/feeds/gone.rss")]
    body = "\n".join(f'<outline type="rss" text="{t}" title="{t}" xmlUrl="{base}{p}"/>' for t, p in outlines)
    path = tmp_path / "feeds.opml"
    path.write_text(f'<?xml version="1.0"?>\n<opml version="2.0"><head><title>t</title></head><body>\n'
                    f"{body}\n</body></opml>\n", "utf-8")
    return path


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "live.toml"
    path.write_text("[newsprism]\nfetch_min_interval = 0.0\nfetch_timeout = 1.0\nfetch_retries = 0\n",
                    "utf-8")
    return path


def _run(tmp_path: Path, opml: Path, db: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["run", "--once", "--feeds", str(opml), "--db", str(db),
                                       "--config", str(_config(tmp_path)), *extra])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def _store_state(db: Path) -> tuple[list[str], set[frozenset[str]]]:
    with sqlite3.connect(db) as con:
        ids = sorted(r[0] for r in con.execute("SELECT id FROM articles"))
        groups: dict[str, set[str]] = {}
        for story, article in con.execute("SELECT story_id, article_id FROM story_articles"):
            groups.setdefault(story, set()).add(article)
    return ids, {frozenset(g) for g in groups.values()}


def test_run_once_builds_a_site_reports_failures_and_a_second_cycle_adds_nothing(web: _Site,
                                                                                  tmp_path: Path) -> None:
    opml, db, site = _opml(tmp_path, web.base), tmp_path / "live.db", tmp_path / "site"
    first = _run(tmp_path, opml, db, "--site", str(site))
    summary = [line for line in first.splitlines() if line.startswith("cycle 1:")]
    assert summary, first
    # 8 Guardian items (full text) + 3 Science pages (one of them behind a redirect)
    assert "11 new articles" in summary[0]
    # the broken feed, the missing feed, the 404 page, the page that timed out
    assert "4 failures" in summary[0]

    index = (site / "index.html").read_text("utf-8")
    assert "State of the Union" in index and "fungi" in index and "Hurricanes" in index
    # 11 articles, 10 stories: the two State of the Union items are one
    assert index.count('<h2><a href="story/') == 10
    with sqlite3.connect(db) as con:
        urls = {r[0] for r in con.execute("SELECT url FROM sightings")}
        outlets = {r[0] for r in con.execute("SELECT outlet FROM articles")}
    assert f"{web.base}/science/1134-a" in urls  # the redirected page is filed under the item's link
    assert "The Guardian" in outlets and resolve_outlet("The Guardian") is not None

    status = CliRunner().invoke(main, ["status", "--json", "--db", str(db)])
    assert status.exit_code == 0, status.output
    report = json.loads(status.output)
    assert report["cycles"][0]["status"] == "done" and report["articles"] == 11
    failed = {feed["url"].rsplit("/", 1)[1]: feed["last_error"] for feed in report["failing_feeds"]}
    assert "not an RSS/Atom feed" in failed["broken.rss"]
    assert failed["gone.rss"] == "HTTP 404"
    assert "science.rdf" in failed  # its pages failed
    reasons = {url.rsplit("/", 1)[1]: reason for url, reason in report["cycles"][0]["errors"]}
    assert reasons["1134-d"] == "fetch failed: HTTP 404"
    assert reasons["1134-e"] == "fetch failed: timed out"
    assert report["bytes"] > 0

    web.log.clear()
    second = _run(tmp_path, opml, db, "--site", str(site))
    assert "cycle 2: 0 new articles, 0 stories changed" in second, second
    served = dict(web.log)
    assert served["/feeds/guardian.rss"] == 304  # unchanged feed: a conditional GET
    assert served["/feeds/science.rdf"] == 200  # read again: two of its pages failed last time ...
    assert "/science/1134-b" not in served and "/science/1134-a" not in served  # ... stored ones are not
    assert "/science/1134-d" in served  # ... failed ones are retried
    assert _store_state(db)[0] == sorted(_store_state(db)[0]) and len(_store_state(db)[0]) == 11
    text = CliRunner().invoke(main, ["status", "--db", str(db)]).output
    assert "cycle 2" in text and "feeds with errors:" in text and "gone.rss" in text


def test_a_cycle_killed_midway_is_finished_by_the_next(web: _Site, tmp_path: Path) -> None:
    opml = _opml(tmp_path, web.base)
    whole = tmp_path / "whole.db"
    _run(tmp_path, opml, whole)

    killed = tmp_path / "killed.db"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from newsprism.cli import main; main()", "run", "--once", "--feeds",
         str(opml), "--db", str(killed), "--config", str(_config(tmp_path))],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def kill_on_page(path: str) -> None:
        if path == "/science/1134-b":  # the Guardian feed is committed, Science's pages are half done
            os.kill(process.pid, signal.SIGKILL)

    web.on_request = kill_on_page
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL
    web.on_request = lambda path: None
    with sqlite3.connect(killed) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] < 11
        assert con.execute("SELECT status FROM cycles").fetchall() == [("running",)]

    # the next run, as a service this time: it finishes the work, then SIGTERM stops it cleanly
    service = subprocess.Popen(
        [sys.executable, "-c", "from newsprism.cli import main; main()", "run", "--every", "1h", "--feeds",
         str(opml), "--db", str(killed), "--config", str(_config(tmp_path))],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert service.stdout is not None
    lines = [service.stdout.readline() for _ in range(2)]  # the feed count, then the cycle's summary
    assert lines[1].startswith("cycle 2:"), lines
    service.send_signal(signal.SIGTERM)
    assert service.wait(timeout=30) == 0
    assert _store_state(killed) == _store_state(whole)
    status = json.loads(CliRunner().invoke(main, ["status", "--json", "--db", str(killed)]).output)
    assert [c["status"] for c in status["cycles"]] == ["done", "interrupted"]
    assert status["cycles"][0]["new_articles"] == 11


def test_the_shipped_feed_list_has_100_outlets_all_in_the_registry() -> None:
    feeds = read_feed_list([])
    assert len(feeds) >= 100
    outlets = {feed.outlet for feed in feeds}
    assert len(outlets) >= 100
    unresolved = sorted(f"{f.outlet} <{f.url}>" for f in feeds
                        if f.outlet is None or resolve_outlet(f.outlet) is None)
    assert not unresolved, unresolved
    countries = {profile.country for o in outlets if (profile := resolve_outlet(o)) is not None}
    assert {"US", "GB", "CA", "AU", "IN"} <= countries
    rated = [o for o in outlets if (p := resolve_outlet(o)) is not None and p.figure("lean_score")]
    assert len(rated) >= 50  # the coverage bars show a lean for most of them


def test_periods_and_feed_lists_are_read_or_refused_with_a_reason(tmp_path: Path) -> None:
    from newsprism.errors import ConfigError, InputError
    from newsprism.live import parse_every

    assert [parse_every(p) for p in ("30m", "2h", "90s", "45", "1d")] == [1800, 7200, 90, 45, 86400]
    for bad in ("", "0m", "soon", "5y"):
        with pytest.raises(ConfigError):
            parse_every(bad)
    assert [f.url for f in read_feed_list(["https://a.example/rss", "https://a.example/rss"])] == [
        "https://a.example/rss"]
    with pytest.raises(InputError, match="cannot read feed list"):
        read_feed_list([str(tmp_path / "missing.opml")])
    empty = tmp_path / "empty.opml"
    empty.write_text("<opml><body><outline text='no feeds here'/></body></opml>", "utf-8")
    with pytest.raises(InputError, match="lists no feed URL"):
        read_feed_list([str(empty)])
    result = CliRunner().invoke(main, ["run", "--once", "--every", "soon", "--db", str(tmp_path / "x.db")])
    assert result.exit_code != 0 and "not a period" in result.output


def test_feeds_read_one_batch_at_a_time_store_the_same_articles(web: _Site, tmp_path: Path) -> None:
    """Pages of the next batch download while the current one is stored; the result is the same."""
    from newsprism.ingest import ingest_feeds
    from newsprism.settings import Settings
    from newsprism.store import Store

    feeds = read_feed_list([str(_opml(tmp_path, web.base))])
    settings = Settings(fetch_min_interval=0.0, fetch_timeout=1.0, fetch_retries=0)
    found = []
    for per_batch in (1, 10):
        with Store(tmp_path / f"batch{per_batch}.db") as store:
            report = ingest_feeds(feeds, store, settings, feeds_per_batch=per_batch)
            ids = sorted(r[0] for r in store.connection.execute("SELECT id FROM articles"))
        found.append((ids, [(f.status, f.new, f.error) for f in report.feeds], report.failures))
    assert found[0] == found[1]
    assert len(found[0][0]) == 11 and found[0][2] == 4


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread nice values are Linux's")
def test_serving_while_cycling_puts_the_cycle_below_the_server(tmp_path: Path) -> None:
    # run --serve: the site keeps its CPU priority while the cycle (fetch, ingest, build) runs nicer, so a
    # build never makes a reader wait; the cycle runs in its own thread here so the test's stays as it was
    import socket

    from newsprism.live._cycle import CYCLE_NICE, _serving

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings().with_values({"db": tmp_path / "live.db"})
    seen: dict[str, int] = {}

    def cycle() -> None:
        before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        with _serving(settings, f"127.0.0.1:{port}"):
            server = next(t for t in threading.enumerate() if t.name == "newsprism-serve")
            assert server.native_id is not None
            seen["server"] = os.getpriority(os.PRIO_PROCESS, server.native_id)
            seen["cycle"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
            with httpx.Client() as client:  # the site answers meanwhile
                for _ in range(100):
                    try:
                        seen["status"] = client.get(f"http://127.0.0.1:{port}/").status_code
                        break
                    except httpx.HTTPError:
                        time.sleep(0.1)
        seen["before"] = before

    worker = threading.Thread(target=cycle)
    worker.start()
    worker.join(60)
    assert seen["status"] == 200
    assert seen["server"] == seen["before"]
    assert seen["cycle"] == min(19, seen["before"] + CYCLE_NICE)
