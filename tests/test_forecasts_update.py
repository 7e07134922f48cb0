"""`forecasts update` against a local HTTP server serving the recorded samples (never the internet)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

from newsprism.cli import main
from newsprism.forecasts import USER_AGENT, load_questions, update_forecasts
from newsprism.store import Store

SAMPLES = Path(__file__).parent / "data" / "forecasts"
ROUTES = {
    "/api/posts/": "metaculus_posts.json",
    "/v0/markets": "manifold_markets.json",
    "/markets": "polymarket_markets.json",
}


class Recorder(BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[str, dict[str, list[str]], str]]] = []

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        Recorder.requests.append((url.path, query, self.headers.get("User-Agent", "")))
        name = ROUTES.get(url.path)
        if name is None:
            self.send_error(404)
            return
        # one page only: later pages (offset/before) are empty, as at the end of a real listing
        paged = query.get("offset", ["0"]) != ["0"] or "before" in query
        body = b"[]" if paged else (SAMPLES / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    Recorder.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_update_fetches_politely_and_incrementally(server: str) -> None:
    urls = dict.fromkeys(("metaculus", "manifold", "polymarket"), server)
    with Store() as store:
        report = update_forecasts(store, base_urls=urls, delay=0)
        assert report.fetched == {"metaculus": 8, "manifold": 13, "polymarket": 8}
        assert report.changed == report.fetched
        assert [r.source for r in report.rejections] == ["metaculus:30001"]
        assert len(load_questions(store)) == 29
        assert all(agent == USER_AGENT for _, _, agent in Recorder.requests)
        metaculus = next(q for path, q, _ in Recorder.requests if path == "/api/posts/")
        assert metaculus["statuses"] == ["open"] and metaculus["order_by"] == ["-edited_at"]
        # second run: nothing is newer than what is stored, so nothing is fetched or written
        again = update_forecasts(store, base_urls=urls, delay=0)
        assert again.fetched == {"metaculus": 0, "manifold": 0, "polymarket": 0}
        assert sum(again.changed.values()) == 0


def test_update_command_and_unreachable_server(server: str, tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    args = ["forecasts", "update", "--platform", "polymarket", "--polymarket-url", server, "--delay", "0"]
    result = CliRunner().invoke(main, [*args, "--db", db])
    assert result.exit_code == 0, result.output
    assert "polymarket: 8 fetched, 8 new or changed" in result.output
    listed = CliRunner().invoke(main, ["forecasts", "list", "--db", db])
    assert "Prime Minister of Ethiopia" in listed.output
    assert "incumbent" not in listed.output  # open ones only
    down = [
        "forecasts",
        "update",
        "--platform",
        "manifold",
        "--manifold-url",
        "http://127.0.0.1:9",
        "--db",
        db,
    ]
    failed = CliRunner().invoke(main, down)
    assert failed.exit_code != 0 and "cannot fetch manifold" in failed.output
