"""Ingestion end to end: formats, bad inputs, duplicates, kill -9 safety, the CLI. Real files and SQLite."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import newsprism.ingest as ingest_api
from newsprism.cli import main
from newsprism.ingest import extract_file, ingest_paths, read_inputs
from newsprism.ingest._context import ReadContext
from newsprism.ingest._fetch import PoliteFetcher
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Article, Rejection

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "demo" / "seeds"
WORDS = ("The city council met on Tuesday to discuss the budget for the coming year and agreed to fund"
         " new bus routes, repairs to two bridges and a library extension after a long debate.")


def body(n: int = 4, salt: str = "") -> str:
    return "\n\n".join(f"{WORDS} {salt} Paragraph {i} adds detail number {i * 7}." for i in range(n))


def page_html(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (f"<html><head><title>{title}</title><meta property='og:site_name' content='Daily Planet'>"
            f"<meta property='article:published_time' content='2024-05-07'></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}"
            f"<h2>What comes next</h2><p>{WORDS} Officials will report back in June.</p></article>"
            f"<footer>Copyright 2024 Daily Planet</footer></body></html>")


def items(*paths: Path) -> list[Article | Rejection]:
    return list(read_inputs(list(paths)))


def test_public_api_is_exported() -> None:
    for name in ingest_api.__all__:
        assert getattr(ingest_api, name) is not None
    assert {"read_inputs", "extract_file", "ingest_paths", "IngestReport"} <= set(ingest_api.__all__)


def test_txt_html_json_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(page_html("Council agrees budget", body()), "utf-8")
    records = [{"id": "r1", "title": "Bridge reopens", "text": body(salt="bridge"), "source": "Gazette",
                "date": "2024-03-02", "authors": "Ann Lee, Bo Chan", "topic": "transport"},
               {"title": "Dam fixed", "text": body(salt="dam"), "source_url": "www.example-news.com"}]
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n{not json\n", "utf-8")
    (tmp_path / "c.json").write_text(json.dumps(records[0] | {"text": body(salt="other")}), "utf-8")
    got = items(tmp_path, SEEDS / "000_c0e5fdfcdfc52de7.txt")
    articles = [i for i in got if isinstance(i, Article)]
    rejections = [i for i in got if isinstance(i, Rejection)]
    assert len(articles) == 5 and len(rejections) == 1
    assert rejections[0].source.endswith("b.jsonl:3") and "malformed JSON line" in rejections[0].reason
    html = next(a for a in articles if a.path and a.path.endswith("a.html"))
    assert html.title == "Council agrees budget" and html.outlet == "Daily Planet"
    assert html.published == "2024-05-07" and "What comes next" in html.subheadings
    bridge = next(a for a in articles if a.title == "Bridge reopens")
    assert bridge.outlet == "Gazette" and bridge.published == "2024-03-02"
    assert bridge.authors == ("Ann Lee", "Bo Chan") and bridge.extra["topic"] == "transport"
    assert next(a for a in articles if a.title == "Dam fixed").outlet == "example-news.com"
    assert all(a.text == "\n\n".join(a.paragraphs) for a in articles)


def rss(items_xml: str) -> str:
    return ("<?xml version='1.0'?><rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
            f"<channel><title>Valley News</title><link>http://x</link>{items_xml}</channel></rss>")


def test_feeds_opml_and_fetch_with_local_server(tmp_path: Path, server: str) -> None:
    full = f"<p>{WORDS}</p><p>{WORDS} More.</p>"
    item_full = (f"<item><title>Full item</title><link>{server}/full</link><pubDate>Tue, 07 May 2024 10:00:00"
                 f" GMT</pubDate><content:encoded><![CDATA[{full}]]></content:encoded></item>")
    item_link = (f"<item><title>Linked</title><link>{server}/page</link>"
                 "<description>short</description></item>")
    item_robots = f"<item><title>Private</title><link>{server}/private/x</link></item>"
    feed = tmp_path / "feeds" / "valley.xml"
    feed.parent.mkdir()
    feed.write_text(rss(item_full + item_link + item_robots), "utf-8")
    (tmp_path / "list.opml").write_text(
        "<opml version='2.0'><body><outline text='v' xmlUrl='feeds/valley.xml'/></body></opml>", "utf-8")
    offline = items(tmp_path / "list.opml")
    assert [type(i).__name__ for i in offline] == ["Article", "Rejection", "Rejection"]
    assert offline[0].outlet == "Valley News" and offline[0].published == "2024-05-07"  # type: ignore[union-attr]
    assert "--fetch" in offline[1].reason  # type: ignore[union-attr]

    fetcher = PoliteFetcher(min_interval=0.05, timeout=2, retries=1, backoff=0.01)
    ctx = ReadContext(min_words=40, fetcher=fetcher)
    online = list(read_inputs([feed], context=ctx))
    fetched = online[1]
    assert isinstance(fetched, Article) and fetched.title == "Recorded page"
    assert fetched.url == f"{server}/page"
    assert isinstance(online[2], Rejection) and "robots.txt" in online[2].reason
    again = fetcher.get(f"{server}/page")  # second request is conditional: the server answers 304
    assert again.not_modified and again.body
    assert fetcher.get(f"{server}/flaky").body == b"ok after retry"
    assert "HTTP 404" in fetcher.get(f"{server}/missing").reason
    fetcher.close()


def test_warc_and_warc_gz(tmp_path: Path) -> None:
    for name, gz in (("crawl.warc", False), ("crawl.warc.gz", True)):
        with open(tmp_path / name, "wb") as out:
            writer = WARCWriter(out, gzip=gz)
            for url, status, ctype, payload in (
                ("https://news.example/a", "200 OK", "text/html", page_html("WARC story", body())),
                ("https://news.example/logo.png", "200 OK", "image/png", "PNG"),
                ("https://news.example/gone", "404 Not Found", "text/html", "<html>gone</html>"),
            ):
                headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(
                    payload.encode()), http_headers=headers))
    got = items(tmp_path)
    assert [type(i).__name__ for i in got] == ["Article", "Rejection"] * 2
    article = got[0]
    assert isinstance(article, Article) and article.url == "https://news.example/a"
    assert "crawled" in article.extra


def test_bad_inputs_are_rejected_with_reasons(tmp_path: Path) -> None:
    cases = {
        "empty.txt": b"   \n",
        "binary.txt": bytes(range(256)) * 4,
        "mixed.txt": "Caf\u00e9 ".encode() + b"na\xefve \xff text " * 20,
        "big.txt": b"word " * 400,
        "notfeed.xml": b"<?xml version='1.0'?><catalog><book/></catalog>",
        "broken.html": b"\x00\x01 not html at all",
        "bad.jsonl": b"{\"title\": 1\n[1,2]\n",
        "data.bin": b"\x89PNG\r\n",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "latin1.txt").write_bytes(f"Caf\u00e9 news\n\n{body()}".encode("cp1252"))
    got = list(read_inputs([tmp_path, tmp_path / "missing.txt"], settings=Settings(max_file_bytes=1500)))
    reasons = {Path(r.source.split(":")[0]).name: r.reason for r in got if isinstance(r, Rejection)}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "mixed encodings" in reasons["mixed.txt"]
    assert "too large" in reasons["big.txt"] and "latin1.txt" not in reasons
    assert "neither an RSS/Atom feed nor OPML" in reasons["notfeed.xml"]
    assert "binary" in reasons["broken.html"] or "malformed HTML" in reasons["broken.html"]
    assert "unsupported file type .bin" in reasons["data.bin"]
    assert "no such file" in reasons["missing.txt"]
    assert sum(1 for r in got if isinstance(r, Rejection) and "bad.jsonl" in r.source) == 2
    latin = extract_file(tmp_path / "latin1.txt")
    assert isinstance(latin, Article) and latin.title == "Café news"


def test_reingest_is_a_noop_and_near_duplicates_keep_every_outlet(tmp_path: Path) -> None:
    wire = body(6, salt="wire")
    records = [
        {"title": "Storm hits coast", "text": wire, "source": "Outlet A", "url": "https://a.example/1"},
        {"title": "Storm hits coast", "text": wire, "source": "Outlet B", "url": "https://b.example/1"},
        {"title": "Storm batters coast", "text": wire, "source": "Outlet C", "url": "https://c.example/1"},
        {"title": "Storm hits the coast", "text": wire + " Local officials added a short note.",
         "source": "Outlet D", "url": "https://d.example/1"},
        {"title": "Unrelated", "text": body(5, salt="zebra giraffe elephant") + " Other words.",
         "source": "Outlet E", "url": "https://e.example/1"},
    ]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), "utf-8")
    settings = Settings(db=tmp_path / "s.db")
    with Store(settings.db) as store:
        first = ingest_paths([path], store, settings, progress=False)
        assert (first.ingested, first.duplicates, first.near_duplicates) == (3, 2, 1)
        original = store.connection.execute("SELECT id FROM articles ORDER BY seq").fetchone()[0]
        assert sorted(store.outlets_of(original)) == ["Outlet A", "Outlet B", "Outlet C", "Outlet D"]
        snapshot = dump(store)
    with Store(settings.db) as store:  # a new run rebuilds the LSH index from stored signatures
        again = ingest_paths([path], store, settings, progress=False)
        assert (again.ingested, again.duplicates, again.near_duplicates) == (0, 5, 0)
        assert dump(store) == snapshot


def dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    queries = {
        "articles": "SELECT seq, id, title, text, outlet, data, text_hash FROM articles ORDER BY seq",
        "sightings": "SELECT * FROM sightings ORDER BY article_id, source",
        "near": "SELECT * FROM near_duplicates ORDER BY article_id, original_id",
        "minhashes": "SELECT * FROM minhashes ORDER BY article_id",
        "rejections": "SELECT source, reason FROM rejections ORDER BY source, reason",
        "fts": "SELECT id FROM articles_fts ORDER BY id",
    }
    return {k: [tuple(r) for r in store.connection.execute(q)] for k, q in queries.items()}


def test_kill_9_then_rerun_equals_uninterrupted(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for n in range(3000):
        folder = corpus / f"{n // 500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        text = f"Story {n}\n\n{body(3, salt=f'item{n} w{n * 13} x{n % 17}')}\n" if n % 100 else "\x00\x01"
        (folder / f"{n:05d}.txt").write_text(text, "utf-8")
    script = ("import sys; from pathlib import Path; from newsprism.ingest import ingest_paths;"
              "from newsprism.settings import Settings; from newsprism.store import Store;"
              "s = Settings(db=Path(sys.argv[1]));"
              "ingest_paths([Path(sys.argv[2])], Store(s.db), s, progress=False, commit_every=50)")
    killed, clean = tmp_path / "killed.db", tmp_path / "clean.db"
    proc = subprocess.Popen([sys.executable, "-c", script, str(killed), str(corpus)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if killed.exists() and _count(killed) >= 400:
            break
    assert proc.poll() is None, "ingest finished before it could be killed; grow the corpus"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < _count(killed) < 2970
    subprocess.run([sys.executable, "-c", script, str(killed), str(corpus)], check=True)
    subprocess.run([sys.executable, "-c", script, str(clean), str(corpus)], check=True)
    with Store(killed) as a, Store(clean) as b:
        got, want = dump(a), dump(b)
    assert len(want["articles"]) == 2970 and len(want["rejections"]) == 30
    # seq may skip numbers after a rollback; everything else is identical
    assert [r[1:] for r in got["articles"]] == [r[1:] for r in want["articles"]]
    del got["articles"], want["articles"]
    assert got == want


def _count(db: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_cli_ingest_and_extract(tmp_path: Path) -> None:
    runner = CliRunner()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("", "utf-8")
    db = str(tmp_path / "cli.db")
    ok = runner.invoke(main, ["ingest", str(SEEDS), "--db", db, "--quiet"])
    assert ok.exit_code == 0, ok.output
    assert "3 new articles stored" in ok.output
    # a rerun with an empty file: duplicates and a rejection with its reason are handled, not failures
    bad = runner.invoke(main, ["ingest", str(SEEDS), str(tmp_path / "in"), "--db", db, "--quiet"])
    assert bad.exit_code == 0 and "3 were already in the store" in bad.output and "empty file" in bad.output
    missing = runner.invoke(main, ["ingest", str(tmp_path / "nothing-here"), "--db", db, "--quiet"])
    assert missing.exit_code == 1 and "could not be read" in missing.output
    strict = runner.invoke(main, ["ingest", str(tmp_path / "in"), str(SEEDS), "--db", db, "--strict", "-q"])
    assert strict.exit_code == 1 and "--strict" in strict.output
    shown = runner.invoke(main, ["extract", str(SEEDS / "000_c0e5fdfcdfc52de7.txt"), "--json"])
    data = json.loads(shown.output)
    assert set(data) >= {"title", "outlet", "byline", "published", "paragraphs", "captions", "boilerplate"}
    assert data["outlet"] == "IRIA" and data["boilerplate"][0] == {
        "text": "South Korean and Japanese leaders meet in Tokyo to mend ties", "reason": "repeated title"}
    assert runner.invoke(main, ["ingest", "--help"]).exit_code == 0


def test_jsonl_gz(tmp_path: Path) -> None:
    record = {"title": "Zipped", "text": body(), "source": "Z"}
    with gzip.open(tmp_path / "a.jsonl.gz", "wt") as handle:
        handle.write(json.dumps(record) + "\n")
    got = items(tmp_path)
    assert isinstance(got[0], Article) and got[0].title == "Zipped"


def test_fetch_validators_persist_across_runs(tmp_path: Path, server: str) -> None:
    feed = tmp_path / "valley.xml"
    feed.write_text(rss(f"<item><title>Linked</title><link>{server}/page</link></item>"), "utf-8")
    settings = Settings(db=tmp_path / "f.db")
    with Store(settings.db) as store:
        first = ingest_paths([feed], store, settings, fetch=True, progress=False)
        assert first.ingested == 1 and not first.rejected
        row = store.connection.execute("SELECT etag, fetched_at FROM fetch_cache WHERE url = ?",
                                       (f"{server}/page",)).fetchone()
        assert row is not None and row[0] == '"v1"' and row[1]
    before = _Handler.not_modified
    with Store(settings.db) as store:  # a new process-like run: only the store remembers the ETag
        again = ingest_paths([feed], store, settings, fetch=True, progress=False)
        assert _Handler.not_modified == before + 1
        assert (again.ingested, again.duplicates, again.rejected) == (0, 0, ())
        assert store.article_count() == 1


# --- a local HTTP server with recorded pages: the fetch tests never touch the internet -----------------

class _Handler(BaseHTTPRequestHandler):
    flaky_hits = 0
    not_modified = 0

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif self.path == "/page":
            if self.headers.get("If-None-Match") == '"v1"':
                _Handler.not_modified += 1
                self._send(304, b"", "text/html")
            else:
                self._send(200, page_html("Recorded page", body()).encode(), "text/html", etag='"v1"')
        elif self.path == "/flaky":
            _Handler.flaky_hits += 1
            self._send(503 if _Handler.flaky_hits == 1 else 200, b"ok after retry", "text/plain")
        else:
            self._send(404, b"nope", "text/plain")

    def _send(self, status: int, payload: bytes, ctype: str, etag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_jsonl_is_streamed_with_the_size_limit_per_record(tmp_path: Path) -> None:
    records = [{"title": f"Story {n}", "text": body(salt=f"item{n}"), "source": "S"} for n in range(12)]
    lines = [json.dumps(r) for r in records]
    lines[5] = json.dumps({"title": "Huge", "text": body(40, salt="huge"), "source": "S"})
    lines[7] = json.dumps(records[7] | {"title": "Café 7"}, ensure_ascii=False)
    data = ("\n".join(lines) + "\n").encode("cp1252")
    limit = max(len(line) for n, line in enumerate(lines) if n != 5) + 10
    assert len(data) > 5 * limit  # the file is far over the limit; each record but one is under it
    (tmp_path / "big.jsonl").write_bytes(data)
    with gzip.open(tmp_path / "big.jsonl.gz", "wb") as handle:
        handle.write(data)
    for name in ("big.jsonl", "big.jsonl.gz"):
        got = list(read_inputs([tmp_path / name], settings=Settings(max_file_bytes=limit)))
        assert [type(i).__name__ for i in got] == ["Article"] * 5 + ["Rejection"] + ["Article"] * 6, name
        assert got[5].source.endswith("big.jsonl:6") and "size limit" in got[5].reason  # type: ignore[union-attr]
        assert got[7].title == "Café 7"  # type: ignore[union-attr]  # a Windows-1252 line still decodes


def test_truncated_jsonl_gz_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"title": f"T{n}", "text": body(salt=f"t{n}"), "source": "S"}) + "\n"
                    for n in range(400))
    packed = gzip.compress(lines.encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) * 3 // 4])
    got = items(tmp_path / "cut.jsonl.gz")
    assert isinstance(got[-1], Rejection) and got[-1].reason.startswith("truncated gzip")
    assert 100 < sum(isinstance(i, Article) for i in got) < 400


def _jsonl_corpus(path: Path, n: int) -> None:
    wire = body(6, salt="wire")
    lines = []
    for i in range(n):
        if i % 50 == 7:  # wire copies: near-duplicates of each other
            record = {"title": f"Wire {i}", "text": wire + f" Note {i}.", "source": f"O{i % 5}"}
        else:
            text = body(3, salt=f"item{i} w{i * 13} x{i % 17}")
            record = {"title": f"Story {i}", "text": text, "source": "S"}
        lines.append(json.dumps(record) if i % 97 else "{broken")
    path.write_text("\n".join(lines) + "\n", "utf-8")


def test_helper_process_gives_the_serial_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsprism.ingest._ingest as ingest_module

    source = tmp_path / "many.jsonl"
    _jsonl_corpus(source, 1200)
    dumps = []
    for name, threshold in (("serial", 10**12), ("helper", 0)):
        monkeypatch.setattr(ingest_module, "_HELPER_BYTES", threshold)
        settings = Settings(db=tmp_path / f"{name}.db")
        with Store(settings.db) as store:
            report = ingest_paths([source], store, settings, progress=False, commit_every=64)
            assert report.near_duplicates > 10 and len(report.rejected) == 13
            dumps.append(dump(store))
    assert dumps[0] == dumps[1]


def test_kill_9_with_the_helper_process_then_rerun(tmp_path: Path) -> None:
    source = tmp_path / "many.jsonl"
    _jsonl_corpus(source, 6000)
    script = ("import sys; from pathlib import Path; import newsprism.ingest._ingest as m;"
              "from newsprism.settings import Settings; from newsprism.store import Store;"
              "m._HELPER_BYTES = 0; s = Settings(db=Path(sys.argv[1]));"
              "m.ingest_paths([Path(sys.argv[2])], Store(s.db), s, progress=False, commit_every=50)")
    killed, clean = tmp_path / "killed.db", tmp_path / "clean.db"
    proc = subprocess.Popen([sys.executable, "-c", script, str(killed), str(source)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        if killed.exists() and _count(killed) >= 300:
            break
    assert proc.poll() is None, "ingest finished before it could be killed; grow the corpus"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < _count(killed) < 5800
    subprocess.run([sys.executable, "-c", script, str(killed), str(source)], check=True)
    subprocess.run([sys.executable, "-c", script, str(clean), str(source)], check=True)
    with Store(killed) as a, Store(clean) as b:
        got, want = dump(a), dump(b)
    assert [r[1:] for r in got["articles"]] == [r[1:] for r in want["articles"]]
    del got["articles"], want["articles"]
    assert got == want


def test_html_body_is_trafilaturas_plain_text(tmp_path: Path) -> None:
    """The HTML body is trafilatura's own plain text (its defaults, as the lab's trafilatura baseline):
    no Markdown from its formatting mode ("*word*", "<u>link</u>", "file\\_name"), no comment section,
    list items and table rows as lines, every heading (the headline too) a subheading in its place."""
    comments = "".join(f"<li class='comment'><p>Reader {i} says: join our commenting forum, what a"
                       f" debate this was about the council and its buses number {i}.</p></li>"
                       for i in range(6))
    page = (f"<html><head><title>Council agrees budget</title></head><body><article>"
            f"<h1>Council agrees budget</h1><p>{WORDS} The <em>mayor</em> called it"
            f" <u>historic</u> [sic] and the file_name budget_2024 was published.</p>"
            f"<h2>What comes next</h2><p>{WORDS} Officials will report back in June.</p>"
            f"<ul><li>Two new bus routes for the north of the city</li><li>A library extension</li></ul>"
            f"<table><tr><th>Ward</th><th>Votes</th></tr><tr><td>North</td><td>12</td></tr></table>"
            f"<p>{WORDS} The vote was close.</p></article>"
            f"<section id='comments'><h3>Comments</h3><ol>{comments}</ol></section></body></html>")
    (tmp_path / "a.html").write_text(page, "utf-8")
    (got,) = items(tmp_path / "a.html")
    assert isinstance(got, Article)
    assert "The mayor called it historic [sic] and the file_name budget_2024 was published." in got.text
    assert not any(mark in got.text for mark in ("*", "<u>", "\\", "- "))
    assert "commenting forum" not in got.text and "Comments" not in got.subheadings
    assert "Two new bus routes for the north of the city" in got.paragraphs
    assert got.paragraphs[-3:-1] == ("Ward | Votes", "North | 12")  # no outer "|", no "---|---" rule
    assert got.subheadings == ("Council agrees budget", "What comes next")
    assert got.extra["subheading_at"] == [0, 1]
