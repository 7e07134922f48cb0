"""Serving at scale, on the real fixture store: pages rendered once per version (ETag, 304, gzip), a build
invalidating exactly what it changed, preference buckets, summaries instead of story JSON, handlers off
the event loop, `serve --workers` over read-only connections."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsprism.publish import create_app
from newsprism.publish.cache import PageCache
from newsprism.publish.queries import Reader
from newsprism.store import Store
from test_publish_fixture import build_store

TOKYO, SEOUL, BLIND = "s-tokyo-2023", "s-seoul-2023", "s-missile-budget"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return build_store(tmp_path / "fixture.db")


@pytest.fixture()
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as test_client:
        yield test_client


def _cache(app: FastAPI) -> PageCache:
    layer: Any = app.middleware_stack
    while not isinstance(layer, PageCache):
        layer = layer.app
    return layer


def _set_headline(db: Path, story_id: str, headline: str) -> None:
    """What a recompose does to one story: a new `stories.composed` (the triggers refresh its summary)."""
    with Store(db) as store, store.transaction() as tx:
        tx.execute("UPDATE stories SET composed = json_set(composed, '$.headline', ?) WHERE id = ?",
                   (headline, story_id))


def test_etag_round_trip_gives_304_and_keeps_the_security_headers(client: TestClient) -> None:
    first = client.get(f"/story/{TOKYO}")
    assert first.status_code == 200 and first.headers["etag"].startswith('W/"')
    assert "last-modified" in first.headers
    again = client.get(f"/story/{TOKYO}", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert "script-src 'self'" in again.headers["content-security-policy"]
    assert client.get(f"/story/{TOKYO}", headers={"If-None-Match": 'W/"other"'}).status_code == 200
    api = client.get(f"/api/story/{TOKYO}")
    tag = {"If-None-Match": api.headers["etag"]}
    assert client.get(f"/api/story/{TOKYO}", headers=tag).status_code == 304
    # a date past the second the page was made also holds; one before it does not
    late = "Fri, 01 Jan 2100 00:00:00 GMT"
    assert client.get("/", headers={"If-Modified-Since": late}).status_code == 304
    assert client.get("/", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200
    head = client.head("/")
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 0


def test_a_rebuild_changes_exactly_the_pages_of_what_it_changed(db: Path, client: TestClient) -> None:
    tags = {path: client.get(path).headers["etag"] for path in
            (f"/story/{TOKYO}", f"/story/{SEOUL}", f"/story/{BLIND}", f"/api/story/{BLIND}", "/")}
    cache = _cache(client.app)  # type: ignore[arg-type]
    _set_headline(db, BLIND, "Pentagon Settles On A Larger Missile Budget")
    renders = cache.renders
    # stories outside the change are answered from memory, with the ETag they had
    for path in (f"/story/{TOKYO}", f"/story/{SEOUL}"):
        assert client.get(path).headers["etag"] == tags[path]
    assert cache.renders == renders
    changed = client.get(f"/story/{BLIND}")
    assert changed.headers["etag"] != tags[f"/story/{BLIND}"] and "Larger Missile Budget" in changed.text
    assert client.get(f"/api/story/{BLIND}").json()["headline"].endswith("A Larger Missile Budget")
    front = client.get("/")
    assert front.headers["etag"] != tags["/"] and "Larger Missile Budget" in front.text
    # a storyline's new title reaches the pages of its stories only
    with Store(db) as store, store.transaction() as tx:
        tx.execute("UPDATE storylines SET title = 'Shuttle diplomacy resumes' WHERE id = 'sl-korea-japan'")
    assert "Shuttle diplomacy resumes" in client.get(f"/story/{SEOUL}").text
    assert client.get(f"/story/{BLIND}").headers["etag"] == changed.headers["etag"]


def test_versions_are_read_again_only_after_a_commit_to_the_store(
        db: Path, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = _cache(client.app)  # type: ignore[arg-type]
    looked: list[str] = []
    lookup = cache._lookup
    monkeypatch.setattr(cache, "_lookup", lambda path: looked.append(path) or lookup(path))
    first = client.get(f"/story/{BLIND}").headers["etag"]
    looked.clear()
    for _ in range(3):  # nothing committed meanwhile: the remembered version, no query
        assert client.get(f"/story/{BLIND}").headers["etag"] == first
    assert looked == []
    # another connection commits (as `build` does, from its own process): the next answer reads the
    # versions again and shows the change at once
    _set_headline(db, BLIND, "Pentagon Settles On A Smaller Missile Budget")
    changed = client.get(f"/story/{BLIND}")
    assert looked == [f"/story/{BLIND}"]
    assert changed.headers["etag"] != first and "Smaller Missile Budget" in changed.text
    # a story that does not exist is remembered as such until the next commit, then looked up again
    assert client.get("/story/s-no-such").status_code == 404
    assert client.get("/story/s-no-such").status_code == 404
    assert looked.count("/story/s-no-such") == 1
    _set_headline(db, SEOUL, "Seoul visit goes ahead")
    assert client.get("/story/s-no-such").status_code == 404 and looked.count("/story/s-no-such") == 2


def test_brotli_or_gzip_when_the_client_takes_it(client: TestClient) -> None:
    plain = client.get(f"/story/{TOKYO}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    packed = client.get(f"/story/{TOKYO}", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["content-encoding"] == "br" and "Accept-Encoding" in packed.headers["vary"]
    assert packed.text == plain.text  # httpx decodes it
    zipped = client.get(f"/story/{TOKYO}", headers={"Accept-Encoding": "gzip, br;q=0"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.text == plain.text
    assert int(packed.headers["content-length"]) < int(zipped.headers["content-length"])
    assert client.get(f"/story/{TOKYO}", headers={"Accept-Encoding": "*;q=1, br;q=0"}
                      ).headers["content-encoding"] == "gzip"
    assert "content-encoding" not in client.get(f"/story/{TOKYO}", headers={"Accept-Encoding": "gzip;q=0"}
                                                ).headers
    raw = client.get("/api/stories", headers={"Accept-Encoding": "gzip"}).headers
    assert raw["content-encoding"] == "gzip"
    css = client.get(re.findall(r'href="(/v/[^"]+\.css)"', plain.text)[0],
                     headers={"Accept-Encoding": "gzip"})
    assert css.headers["content-encoding"] == "gzip" and "immutable" in css.headers["cache-control"]
    assert client.get("/static/style.css").headers["cache-control"] == "public, no-cache"
    assert client.get("/static/../app.py").status_code == 404


def test_the_preference_cookie_still_changes_the_cached_page(client: TestClient) -> None:
    def first_lean(cookie: str | None) -> tuple[str, str]:
        client.cookies.clear()
        if cookie:
            client.cookies.set("newsprism_prefs", cookie)
        page = client.get(f"/story/{TOKYO}")
        return re.findall(r'data-lean="(\w+)"', page.text)[0], page.headers["etag"]

    neutral, right, neutral_again = first_lean(None), first_lean("2:0:0"), first_lean("0:0:0")
    assert neutral[0] == "left" and right[0] == "right" and neutral_again == neutral
    assert right[1] != neutral[1]
    assert first_lean("2:0:0") == right  # the bucket's own entry, served again
    client.cookies.clear()
    page = client.get(f"/story/{TOKYO}")
    assert page.headers["cache-control"].startswith("private") and "Cookie" in page.headers["vary"]


def test_lists_read_summaries_not_the_story_json(db: Path) -> None:
    with Store(db) as store, store.transaction() as tx:
        # Break every story's JSON behind the summaries' back: lists must not notice.
        tx.execute("DROP TRIGGER story_summaries_composed")
        tx.execute("UPDATE stories SET composed = '{not json'")
    with TestClient(create_app(db)) as client:
        front = client.get("/")
        assert front.status_code == 200
        for headline in ("Tokyo &#39;Fence-Mending&#39; Summit", "Kishida Visits Seoul", "Pacific Missile"):
            assert headline in front.text
        assert {s["id"] for s in client.get("/api/stories").json()} >= {TOKYO, SEOUL, BLIND}
        assert client.get("/feed.xml").status_code == 200
        forecasts = client.get("/forecasts")
        assert forecasts.status_code == 200 and "Fence-Mending" in forecasts.text
        assert client.get("/storyline/sl-korea-japan").status_code == 200
        assert client.get("/api/search", params={"q": "summit"}).json()


def test_summaries_follow_every_write_and_rank_like_the_old_reader(db: Path) -> None:
    reader = Reader(db)
    before = reader.versions()
    rows = reader.stories(limit=2)
    assert [r.id for r in rows] == [r.id for r in reader.stories()][:2]
    with Store(db) as store, store.transaction() as tx:
        tx.execute("UPDATE stories SET retired_into = ? WHERE id = ?", (TOKYO, SEOUL))
    after = reader.versions()
    assert after.stories > before.stories and after.outlets == before.outlets
    assert SEOUL not in {r.id for r in reader.stories()} and reader.story(SEOUL) is None
    with Store(db) as store, store.transaction() as tx:
        tx.execute("UPDATE outlets SET data = data")
    assert reader.versions().outlets > after.outlets


def test_reads_go_on_while_a_build_holds_the_write_lock(db: Path, client: TestClient) -> None:
    before = client.get(f"/story/{BLIND}")
    with Store(db) as store, store.transaction() as tx:
        tx.execute("UPDATE stories SET composed = json_set(composed, '$.headline', 'Mid-build') WHERE id = ?",
                   (BLIND,))
        during = client.get(f"/story/{BLIND}")
        assert during.status_code == 200 and during.text == before.text
        assert client.get("/").status_code == 200 and client.get("/api/search?q=missile").status_code == 200
    assert "Mid-build" in client.get(f"/story/{BLIND}").text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_slow_request_does_not_block_a_static_file_or_the_front_page(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, release = threading.Event(), threading.Event()
    search = Reader.search_result
    calls: list[str] = []

    def slow_search(self: Reader, *args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        entered.set()
        release.wait(60)
        return search(self, *args, **kwargs)

    monkeypatch.setattr(Reader, "search_result", slow_search)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        while not server.started:
            time.sleep(0.05)
        result: dict[str, int] = {}
        slow = threading.Thread(target=lambda: result.update(
            search=httpx.get(base + "/search?q=summit", timeout=60).status_code))
        slow.start()
        assert entered.wait(30)
        # the search is stuck in its handler; other requests are answered meanwhile
        assert httpx.get(base + "/static/style.css", timeout=20).status_code == 200
        assert httpx.get(base + "/", timeout=20).status_code == 200
        assert httpx.get(base + f"/story/{TOKYO}", timeout=20).status_code == 200
        # a second search waits in the search line (one at a time per worker) behind the first, and
        # pages are still answered beside both
        second = threading.Thread(target=lambda: result.update(
            api=httpx.get(base + "/api/search?q=tokyo", timeout=60).status_code))
        second.start()
        assert httpx.get(base + "/archive", timeout=20).status_code == 200
        time.sleep(0.5)  # time enough for the second search to reach its handler, were it not in line
        assert calls == ["summit"]
        assert not release.is_set() and slow.is_alive() and second.is_alive()
        release.set()
        slow.join(30)
        second.join(30)
        assert result == {"search": 200, "api": 200} and calls == ["summit", "tokyo"]
    finally:
        release.set()
        server.should_exit = True
        thread.join(10)


def test_serve_prints_its_address_and_answers_with_two_workers(db: Path, tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-c", "from newsprism.cli import main; main()", "serve", "--db", str(db),
         "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=tmp_path, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line and "2 workers" in line
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=5)
                break
            except httpx.HTTPError:
                assert process.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert answer.status_code == 200 and len(answer.json()) >= 3
        pages = [httpx.get(f"http://127.0.0.1:{port}/story/{TOKYO}", timeout=10) for _ in range(6)]
        assert {p.status_code for p in pages} == {200}
        assert len({p.headers["etag"] for p in pages}) == 1  # the same version has one ETag in every worker
    finally:
        process.terminate()
        process.wait(20)


def test_search_ranks_by_relevance_then_recency(db: Path) -> None:
    from newsprism.types import Article

    filler = " ".join(f"Other words about the weather and sport number {i}." for i in range(40))
    texts = {
        "old strong": ("2023-01-05T00:00:00+00:00", "Zephyrine zephyrine talks. Zephyrine again, zephyrine."),
        "new strong": ("2023-05-06T00:00:00+00:00", "Zephyrine zephyrine talks. Zephyrine again, zephyrine."),
        "new weak": ("2023-05-07T00:00:00+00:00", f"{filler} Zephyrine once. {filler}"),
    }
    with Store(db) as store:
        for title, (published, text) in texts.items():
            store.add_article(Article(id=f"a-{title.replace(' ', '-')}", title=title, text=text,
                                      outlet="Yonhap", published=published), source="test")
    hits = [h.title for h in Reader(db).search("zephyrine") if h.kind == "article"]
    # equal relevance: the newer first; a much weaker match never overtakes for being new
    assert hits == ["new strong", "old strong", "new weak"]


def test_blind_spots_in_one_pass_match_the_library(db: Path) -> None:
    from newsprism.outlets import blind_spots, outlet_blind_spots

    def same(reader: Reader, store: Store) -> None:
        mine = [(b.story.id, b.side, b.share, b.outlet_coverage) for b in reader.blind_spots()]
        theirs = [(b.story_id, b.side, b.share, b.coverage) for b in blind_spots(store)]
        assert mine == theirs
        for outlet in reader.outlets():
            mine = [(b.story.id, b.side, b.share) for b in reader.blind_spots(outlet)]
            theirs = [(b.story_id, b.side, b.share) for b in outlet_blind_spots(store, outlet.name)]
            assert mine == theirs, outlet.name

    with Store(db) as store:
        same(Reader(db), store)
        assert [b.story_id for b in blind_spots(store)] == [BLIND]
        # a near-duplicate copy run by a left outlet joins the missile story's outlets: no longer a blind spot
        missile = store.connection.execute("SELECT article_id FROM story_articles WHERE story_id = ?"
                                           " ORDER BY article_id LIMIT 1", (BLIND,)).fetchone()[0]
        guardian = store.connection.execute("SELECT a.id FROM articles a WHERE a.outlet = 'The Guardian'"
                                            " LIMIT 1").fetchone()[0]
        with store.transaction() as tx:
            tx.execute("INSERT INTO near_duplicates VALUES (?, ?, 0.95)", (guardian, missile))
        with store.transaction() as tx:
            tx.execute("INSERT INTO sightings (article_id, source, outlet, url)"
                       " VALUES (?, 'x', 'Global Times', NULL)", (guardian,))
        same(Reader(db), store)
        assert blind_spots(store) == []


def test_concurrent_misses_of_one_page_render_it_once(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsprism.publish.app as app_module

    entered, release = threading.Event(), threading.Event()
    render = app_module.render_story

    def slow_render(*args: Any, **kwargs: Any) -> str:
        entered.set()
        release.wait(60)
        return render(*args, **kwargs)

    monkeypatch.setattr(app_module, "render_story", slow_render)
    app = create_app(db)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        answers: list[httpx.Response] = []
        clients = [threading.Thread(target=lambda: answers.append(
            httpx.get(f"http://127.0.0.1:{port}/story/{TOKYO}", timeout=60))) for _ in range(5)]
        clients[0].start()
        assert entered.wait(30)
        for each in clients[1:]:
            each.start()
        time.sleep(0.5)  # time enough for the other four to reach the app, were they not waiting
        release.set()
        for each in clients:
            each.join(30)
        assert [a.status_code for a in answers] == [200] * 5
        assert len({a.text for a in answers}) == 1
        assert _cache(app).renders == 1  # one render; the four others were answered from what it kept
    finally:
        release.set()
        server.should_exit = True
        thread.join(10)
