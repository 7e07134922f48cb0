"""Serving an archive of real size: search snippets made from the stored text, hostile text kept inert
(on the real fixture store; the speed figures are in bench/archive.py, not here)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import pytest

import newsprism.publish.queries as queries
from newsprism.publish.queries import HIGHLIGHT_END, HIGHLIGHT_START, Reader, snippet
from newsprism.store import Store
from newsprism.types import Article
from test_publish_fixture import build_store

ROOT = Path(__file__).resolve().parents[1]


def _pattern(*words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


def test_snippet_centres_on_the_first_match_and_cuts_at_words() -> None:
    words = " ".join(f"word{i}" for i in range(200))
    text = f"{words} Tariffs rose. {words.replace('word', 'tail')}"
    piece = snippet(text, _pattern("tariffs"))
    assert f"{HIGHLIGHT_START}Tariffs{HIGHLIGHT_END}" in piece
    assert piece.startswith("… ") and piece.endswith(" …")
    inner = piece.removeprefix("… ").removesuffix(" …")
    inner = inner.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
    assert all(w in text.split() or w == "rose." for w in inner.split())  # whole words only
    assert len(piece) < 400


def test_snippet_without_a_match_is_the_start_and_stored_markers_are_removed() -> None:
    hostile = f"{HIGHLIGHT_START}<script>x</script>{HIGHLIGHT_END} plain words"
    piece = snippet(hostile, _pattern("absent"))
    assert HIGHLIGHT_START not in piece and HIGHLIGHT_END not in piece
    assert piece.startswith("<script>")  # escaping is the template's job (test_publish checks the page)


def test_search_snippet_finds_a_word_deep_in_a_long_article(tmp_path: Path) -> None:
    db = build_store(tmp_path / "fixture.db")
    filler = " ".join(f"Filler sentence number {i} about nothing much." for i in range(300))
    with Store(db) as store:
        store.add_article(Article(id="a-deep", title="A long report", text=f"{filler} The Quintessa accord"
                                  f" was signed. {filler}", outlet="Yonhap", published="2023-05-01"),
                          source="test")
    hits = [h for h in Reader(db).search("quintessa") if h.kind == "article"]
    assert [h.id for h in hits] == ["a-deep"]
    assert f"{HIGHLIGHT_START}Quintessa{HIGHLIGHT_END} accord" in hits[0].snippet
    title_only = [h for h in Reader(db).search("long report") if h.id == "a-deep"]
    assert title_only and HIGHLIGHT_START in title_only[0].snippet  # matched in the title: its snippet


def test_outlet_counts_follow_every_write_to_articles(tmp_path: Path) -> None:
    db = build_store(tmp_path / "fixture.db")

    def counted(store: Store) -> dict[str, int]:
        rows = store.connection.execute("SELECT outlet, count(*) FROM articles WHERE outlet IS NOT NULL"
                                        " GROUP BY outlet").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def kept(store: Store) -> dict[str, int]:
        rows = store.connection.execute("SELECT outlet, articles FROM outlet_counts WHERE articles > 0")
        return {str(r[0]): int(r[1]) for r in rows}

    with Store(db) as store:
        assert kept(store) == counted(store) and len(kept(store)) >= 5
        store.add_article(Article(id="a-new", title="T", text="Some text here.", outlet="Brand New Outlet"),
                          source="test")
        store.add_article(Article(id="a-none", title="T", text="Other text.", outlet=None), source="test")
        with store.transaction() as tx:
            tx.execute("UPDATE articles SET outlet = 'Yonhap' WHERE id = 'a-new'")
            tx.execute("UPDATE articles SET outlet = 'Renamed' WHERE id = 'a-none'")
            victim = tx.execute("SELECT id FROM articles WHERE outlet = 'Fox News' LIMIT 1").fetchone()[0]
            tx.execute("DELETE FROM sightings WHERE article_id = ?", (victim,))
            tx.execute("DELETE FROM story_articles WHERE article_id = ?", (victim,))
            tx.execute("DELETE FROM articles WHERE id = ?", (victim,))
        assert kept(store) == counted(store)
        assert "Brand New Outlet" not in kept(store) and kept(store)["Renamed"] == 1
    assert {o.name for o in Reader(db).outlets()} >= {"Yonhap", "Renamed"}


def test_blind_spots_look_at_the_newest_stories_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = build_store(tmp_path / "fixture.db")
    assert [b.story.id for b in Reader(db).blind_spots()] == ["s-missile-budget"]
    newest = Reader(db)._rows("SELECT story_id FROM story_summaries WHERE live = 1 ORDER BY rank_time DESC")
    assert newest[0][0] != "s-missile-budget"  # so a window of one leaves it out
    monkeypatch.setattr(queries, "BLIND_SPOT_WINDOW", 1)
    assert Reader(db).blind_spots() == []


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


def _answer(url: str, deadline: float) -> int:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return int(response.status)
        except OSError:
            assert time.monotonic() < deadline, f"no answer from {url}"
            time.sleep(0.1)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers are POSIX only")
def test_forked_workers_answer_restart_after_a_crash_and_stop_with_the_parent(tmp_path: Path) -> None:
    db = build_store(tmp_path / "fixture.db")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-c", "from newsprism.cli import main; main()", "serve", "--db", str(db),
               "--port", str(port), "--workers", "2"]
    parent = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api/stories"
    try:
        assert _answer(url, time.monotonic() + 60) == 200
        workers = _children(parent.pid)
        assert len(workers) == 2
        os.kill(min(workers), signal.SIGKILL)  # a worker crashes: the parent starts another
        deadline = time.monotonic() + 30
        while len(_children(parent.pid) - {min(workers)}) < 2:
            assert time.monotonic() < deadline, "the dead worker was not replaced"
            time.sleep(0.1)
        assert {_answer(url, time.monotonic() + 30) for _ in range(6)} == {200}
        workers = _children(parent.pid)
    finally:
        parent.terminate()
        parent.wait(20)
    assert parent.returncode == 0
    time.sleep(0.5)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)  # the workers stopped with it


def test_articles_older_than_the_scored_index_are_still_found_after_the_scored_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = build_store(tmp_path / "fixture.db")
    with Store(db) as store:
        for i, (title, text) in enumerate([("Old report", "The Vellmore accord, signed long ago. Vellmore."),
                                           ("New report", "Vellmore talks resumed today.")]):
            store.add_article(Article(id=f"a-vell-{i}", title=title, text=text, outlet="Yonhap",
                                      published=f"2023-0{i + 1}-01"), source="test")
        # as if the scored index held only the newest article: the rest leave it, as they do past
        # SEARCH_RECENT_ARTICLES (the insert trigger drops them so)
        last = store.connection.execute("SELECT max(seq) FROM articles").fetchone()[0]
        with store.transaction() as tx:
            tx.execute("INSERT INTO articles_recent_fts (articles_recent_fts, rowid, title, text, outlet)"
                       " SELECT 'delete', seq, title, text, outlet FROM articles WHERE seq < ?", (last,))
            tx.execute("INSERT INTO articles_recent_fts (articles_recent_fts) VALUES ('integrity-check')")
    monkeypatch.setattr(queries, "SEARCH_RECENT_ARTICLES", 1)
    hits = [h for h in Reader(db).search("vellmore") if h.kind == "article"]
    assert [h.id for h in hits] == ["a-vell-1", "a-vell-0"]  # the scored match, then the older one
    assert HIGHLIGHT_START in hits[1].snippet
    assert [h.id for h in Reader(db).search("accord signed") if h.kind == "article"] == ["a-vell-0"]


def _vellmore_archive(tmp_path: Path, count: int) -> Path:
    """The fixture store plus `count` dated articles mentioning Vellmore, all but the newest outside the
    scored index (as past SEARCH_RECENT_ARTICLES)."""
    db = build_store(tmp_path / "fixture.db")
    with Store(db) as store:
        for i in range(count):
            store.add_article(Article(id=f"a-vell-{i}", title=f"Report {i}", text=f"Vellmore item {i}.",
                                      outlet="Yonhap", published=f"2023-01-{i + 1:02d}"), source="test")
        last = store.connection.execute("SELECT max(seq) FROM articles").fetchone()[0]
        with store.transaction() as tx:
            tx.execute("INSERT INTO articles_recent_fts (articles_recent_fts, rowid, title, text, outlet)"
                       " SELECT 'delete', seq, title, text, outlet FROM articles WHERE seq < ?", (last,))
    return db


def test_older_matches_are_found_window_by_window_newest_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = _vellmore_archive(tmp_path, 9)
    monkeypatch.setattr(queries, "SEARCH_RECENT_ARTICLES", 1)
    monkeypatch.setattr(queries, "SEARCH_OLDER_WINDOW", 2)  # FTS rows per step: many steps
    result = Reader(db).search_result("vellmore")
    assert result.complete and result.searched_to is None
    assert [h.id for h in result.hits if h.kind == "article"] == [f"a-vell-{i}" for i in range(8, -1, -1)]


def test_older_matches_come_a_page_at_a_time_in_the_order_they_were_indexed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A page asks for the older matches it shows and one more, not SEARCH_CANDIDATES of them, and the
    # pages continue each other even when the dates disagree with the order of indexing (a backfill).
    db = build_store(tmp_path / "fixture.db")
    with Store(db) as store:
        for i in range(9):
            day = (i * 5) % 9 + 1
            store.add_article(Article(id=f"a-vell-{i}", title=f"Report {i}", text=f"Vellmore item {i}.",
                                      outlet="Yonhap", published=f"2023-01-{day:02d}"), source="test")
        last = store.connection.execute("SELECT max(seq) FROM articles").fetchone()[0]
        with store.transaction() as tx:
            tx.execute("INSERT INTO articles_recent_fts (articles_recent_fts, rowid, title, text, outlet)"
                       " SELECT 'delete', seq, title, text, outlet FROM articles WHERE seq < ?", (last,))
    monkeypatch.setattr(queries, "SEARCH_RECENT_ARTICLES", 1)
    reader = Reader(db)
    asked: list[int] = []
    rows = reader._rows

    def counted(sql: str, params: Sequence[object] = ()) -> list[object]:
        if "articles_fts MATCH ? AND rowid BETWEEN" in sql:
            asked.append(int(params[-1]))  # type: ignore[call-overload]
        return rows(sql, params)  # type: ignore[return-value]

    monkeypatch.setattr(reader, "_rows", counted)
    pages = [reader.search_result("vellmore", limit=2, page=p) for p in range(1, 6)]
    assert asked[0] == 2  # page 1 of 2: one scored match, so two older ones (the second says more follow)
    every = reader.search_result("vellmore", limit=50)
    ids = [h.id for r in pages for h in r.hits if h.kind == "article"]
    assert ids == [h.id for h in every.hits if h.kind == "article"]
    assert ids == [f"a-vell-{i}" for i in range(8, -1, -1)]  # the scored one, then newest indexed first
    assert [r.more for r in pages] == [True, True, True, True, False]


@pytest.mark.parametrize("scored", [1, 2])
def test_a_page_of_stories_asks_again_when_a_match_is_no_longer_live(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scored: int) -> None:
    # the story that leaves is the newest older match (scored=1) or the newest scored one (scored=2):
    # either way the page looks further, as if it had asked for every candidate
    import newsprism.store.migrations as migrations

    db = build_store(tmp_path / "fixture.db")
    monkeypatch.setattr(migrations, "SEARCH_RECENT_STORIES", scored)
    with Store(db) as store:
        order = [str(r[0]) for r in store.connection.execute("SELECT id FROM stories ORDER BY id")]
        for i, story in enumerate(order):
            store.save_composed(story, store.connection.execute(
                "SELECT composed FROM stories WHERE id = ?", (story,)).fetchone()[0],
                f"Vellmore headline {i}", f"Vellmore body {i}")
        gone = order[-2] if scored == 1 else order[-1]
        with store.transaction() as tx:  # it leaves the site; its index rows stay
            tx.execute("UPDATE stories SET composed = 'not json' WHERE id = ?", (gone,))
    assert len(order) >= 4
    reader = Reader(db)
    pages = [reader.search_result("vellmore", limit=1, page=p) for p in range(1, len(order))]
    ids = [h.id for r in pages for h in r.hits if h.kind == "story"]
    every = [h.id for h in reader.search_result("vellmore", limit=50).hits if h.kind == "story"]
    assert ids == every and sorted(ids) == sorted(set(order) - {gone})
    assert ids[scored:] == [s for s in order[::-1] if s != gone][scored:]  # older ones: newest indexed first
    assert [r.more for r in pages] == [True] * (len(order) - 2) + [False]


def test_a_search_out_of_time_says_how_far_back_it_looked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = _vellmore_archive(tmp_path, 9)
    monkeypatch.setattr(queries, "SEARCH_RECENT_ARTICLES", 1)
    monkeypatch.setattr(queries, "SEARCH_OLDER_WINDOW", 2)
    monkeypatch.setattr(queries, "SEARCH_BUDGET_SECONDS", -1.0)  # spent before it starts: one window only
    result = Reader(db).search_result("vellmore")
    found = [h.id for h in result.hits if h.kind == "article"]
    assert not result.complete
    assert found and found[0] == "a-vell-8" and len(found) < 9  # the newest, not all of them
    assert result.searched_to is not None and result.searched_to <= "2023-01-08"
    # the page and the API say so
    from fastapi.testclient import TestClient

    from newsprism.publish.app import create_app

    client = TestClient(create_app(db))
    answer = client.get("/api/search", params={"q": "vellmore"})
    assert answer.status_code == 200 and answer.headers["x-search-complete"] == "false"
    assert answer.headers["x-search-searched-to"] == result.searched_to
    assert "Older articles were not all searched" in client.get("/search", params={"q": "vellmore"}).text
    monkeypatch.setattr(queries, "SEARCH_BUDGET_SECONDS", 60.0)
    assert "Older articles were not all searched" not in client.get("/search", params={"q": "tokyo"}).text


def test_a_search_past_its_deadline_answers_what_it_has_and_is_not_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a search that waited its time away in the search line (issue 16: 50 new searches at once while
    # `build` writes queued past 1 s) ranks the scored matches and begins no window of older ones
    import newsprism.publish.app as app_module

    db = _vellmore_archive(tmp_path, 9)
    monkeypatch.setattr(queries, "SEARCH_RECENT_ARTICLES", 1)
    monkeypatch.setattr(queries, "SEARCH_OLDER_WINDOW", 2)
    monkeypatch.setattr(queries, "SEARCH_BUDGET_SECONDS", 60.0)  # the CPU budget never stops it here
    reader = Reader(db)
    result = reader.search_result("vellmore", deadline=time.monotonic() - 1)
    assert [h.id for h in result.hits if h.kind == "article"] == ["a-vell-8"]  # the scored one only
    assert result.busy and not result.complete and result.searched_to == "2023-01-09"
    assert reader.search_result("vellmore", deadline=time.monotonic() + 60).complete
    from fastapi.testclient import TestClient

    client = TestClient(app_module.create_app(db))
    monkeypatch.setattr(app_module, "SEARCH_DEADLINE_SECONDS", -1.0)  # every search arrives too late
    answer = client.get("/api/search", params={"q": "vellmore"})
    assert answer.status_code == 200 and len(answer.json()) == 1
    assert answer.headers["x-search-busy"] == "true" and answer.headers["x-search-complete"] == "false"
    assert answer.headers["cache-control"] == "no-store"
    page = client.get("/search", params={"q": "vellmore"})
    assert "The site is busy" in page.text and page.headers["cache-control"] == "no-store"
    # neither was kept: the same search on a quiet server looks through the whole archive
    monkeypatch.setattr(app_module, "SEARCH_DEADLINE_SECONDS", 60.0)
    answer = client.get("/api/search", params={"q": "vellmore"})
    assert len([h for h in answer.json() if h["kind"] == "article"]) == 9
    assert "x-search-busy" not in answer.headers and "x-search-complete" not in answer.headers
    page = client.get("/search", params={"q": "vellmore"})
    assert "The site is busy" not in page.text and "Older articles" not in page.text


def test_first_match_finds_what_the_regex_finds() -> None:
    import random

    from newsprism.publish.queries import FIND_CHUNK, first_match

    rng = random.Random(7)
    pattern = _pattern("war", "trade")
    vocab = ["toward", "war", "Warfare", "TRADE", "trades", "x", "İstanbul", "award", "wars", "trade-war",
             "Wär"]
    for _ in range(400):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, FIND_CHUNK // 3)))
        expected, got = pattern.search(text), first_match(text, pattern, ("war", "trade"))
        assert (expected and expected.start()) == (got and got.start()), text[:200]


def _recent_story_rows(db: Path) -> tuple[list[int], list[int]]:
    """(rowids in the recent story index, the newest rowids of `stories_fts` as many), after checking
    both FTS tables' integrity."""
    with Store(db) as store:
        conn = store.connection
        for table in ("stories_fts", "stories_recent_fts"):
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
        recent = [int(r[0]) for r in conn.execute("SELECT rowid FROM stories_recent_fts ORDER BY rowid")]
        newest = [int(r[0]) for r in conn.execute(
            "SELECT id FROM stories_fts_content ORDER BY id DESC LIMIT ?", (len(recent),))]
    return recent, sorted(newest)


def test_stories_older_than_the_scored_index_are_found_after_the_scored_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsprism.store.migrations as migrations

    db = build_store(tmp_path / "fixture.db")
    # the fixture's four stories, recomposed in this order with a word of their own: the first leaves
    # the scored index (as stories do past SEARCH_RECENT_STORIES newer ones)
    monkeypatch.setattr(migrations, "SEARCH_RECENT_STORIES", 2)
    order = ["s-missile-budget", "s-seoul-2023", "s-tokyo-2023"]
    with Store(db) as store:
        for i, story in enumerate(order):
            store.save_composed(story, store.connection.execute(
                "SELECT composed FROM stories WHERE id = ?", (story,)).fetchone()[0],
                f"Vellmore headline {i}", "Vellmore " * (3 - i) + f"body {i}")
    recent, newest = _recent_story_rows(db)
    assert recent == newest and len(recent) == 2
    hits = [h.id for h in Reader(db).search("vellmore") if h.kind == "story"]
    # the two scored by relevance (the repeated word ranks the older one higher), then the unscored
    assert hits == ["s-seoul-2023", "s-tokyo-2023", "s-missile-budget"]
    # a recompose drops the story's old row from both indexes; prune drops its rows from both
    with Store(db) as store:
        store.save_composed("s-seoul-2023", store.connection.execute(
            "SELECT composed FROM stories WHERE id = 's-seoul-2023'").fetchone()[0], "Seoul again", "Nothing")
        assert _recent_story_rows(db)[0] == _recent_story_rows(db)[1]
        articles = [str(r[0]) for r in store.connection.execute(
            "SELECT article_id FROM story_articles WHERE story_id = 's-tokyo-2023'")]
        store.retention.delete(articles, ["s-tokyo-2023"], [])
    recent, newest = _recent_story_rows(db)
    assert recent == newest and len(recent) == 1
    assert [h.id for h in Reader(db).search("vellmore") if h.kind == "story"] == ["s-missile-budget"]


def test_the_migration_fills_the_recent_story_index_with_the_newest_rows(tmp_path: Path) -> None:
    from newsprism.store.migrations import SEARCH_RECENT_STORIES

    db = build_store(tmp_path / "fixture.db")
    with Store(db) as store, store.transaction() as tx:  # a store from before 0020
        tx.execute("DROP TABLE stories_recent_fts")
        tx.execute("DELETE FROM schema_migrations WHERE name = '0020_search_recent_stories'")
    recent, newest = _recent_story_rows(db)  # opening it migrates it
    assert recent == newest and 0 < len(recent) <= SEARCH_RECENT_STORIES
    with Store(db) as store:
        assert len(recent) == store.connection.execute("SELECT count(*) FROM stories_fts").fetchone()[0]
    assert "s-tokyo-2023" in [h.id for h in Reader(db).search("tokyo") if h.kind == "story"]


def test_a_storyline_is_read_through_its_index_not_every_live_story(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = build_store(tmp_path / "fixture.db")
    reader = Reader(db)
    asked: list[tuple[str, tuple[object, ...]]] = []
    rows = reader._rows
    monkeypatch.setattr(reader, "_rows",
                        lambda sql, params=(): asked.append((sql, tuple(params))) or rows(sql, params))
    view = reader.storyline("sl-korea-japan")
    assert view is not None and {s.id for s in view.stories} == {"s-tokyo-2023", "s-seoul-2023"}
    checked = False
    with Store(db) as store:
        for sql, params in asked:
            if "FROM story_summaries" in sql and "storyline_id = ?" in sql:
                plan = " ".join(str(r[3]) for r in
                                store.connection.execute(f"EXPLAIN QUERY PLAN {sql}", params))
                assert "story_summaries_storyline (storyline_id=?)" in plan, plan
                checked = True
    assert checked


def test_search_hits_come_a_page_at_a_time_and_each_page_says_where_the_next_is(tmp_path: Path) -> None:
    # a page of 50 stories and 50 articles read 100 whole texts for snippets a reader never reaches
    from fastapi.testclient import TestClient

    from newsprism.publish.app import create_app

    db = build_store(tmp_path / "fixture.db")
    with Store(db) as store:
        for i in range(25):
            store.add_article(Article(id=f"a-vell-{i}", title=f"Report {i}", text=f"Vellmore item {i}.",
                                      outlet="Yonhap", published=f"2023-01-{i + 1:02d}"), source="test")
    reader = Reader(db)
    first = reader.search_result("vellmore")
    second = reader.search_result("vellmore", page=2)
    every = reader.search_result("vellmore", limit=50)
    articles = [[h.id for h in r.hits if h.kind == "article"] for r in (first, second, every)]
    assert len(articles[0]) == queries.SEARCH_PAGE_SIZE and first.more
    assert articles[0] + articles[1] == articles[2] == [f"a-vell-{i}" for i in range(24, -1, -1)]
    assert not second.more and not every.more
    assert not reader.search_result("vellmore", page=9).hits
    client = TestClient(create_app(db))
    answer = client.get("/api/search", params={"q": "vellmore", "outlet": "Yonhap"})
    assert [h["id"] for h in answer.json() if h["kind"] == "article"] == articles[0]
    following = answer.headers["link"]
    assert following.startswith("</api/search?") and following.endswith('>; rel="next"')
    assert "page=2" in following and "outlet=Yonhap" in following
    answer = client.get(following[1:following.index(">")])
    assert [h["id"] for h in answer.json() if h["kind"] == "article"] == articles[1]
    assert "link" not in answer.headers
    assert client.get("/api/search", params={"q": "vellmore", "limit": 51}).status_code == 422
    page = client.get("/search", params={"q": "vellmore", "outlet": "Yonhap"}).text
    assert 'rel="next" href="/search?q=vellmore&amp;outlet=Yonhap&amp;page=2"' in page
    assert 'rel="prev"' not in page
    page = client.get("/search", params={"q": "vellmore", "outlet": "Yonhap", "page": "2"}).text
    assert "on page 2" in page and 'rel="prev" href="/search?q=vellmore&amp;outlet=Yonhap"' in page
    assert 'rel="next"' not in page
    assert client.get("/search", params={"q": "vellmore", "page": "x<script>"}).status_code == 200


def test_section_counts_follow_every_write_to_the_stories(tmp_path: Path) -> None:
    # the front page's section tabs read counts kept by triggers, not a count over every live story
    db = build_store(tmp_path / "fixture.db")

    def counted(store: Store) -> dict[str, int]:
        rows = store.connection.execute("SELECT section, count(*) FROM story_summaries WHERE live = 1"
                                        " AND section IS NOT NULL GROUP BY section").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def kept(store: Store) -> dict[str, int]:
        rows = store.connection.execute("SELECT section, stories FROM section_counts WHERE stories > 0")
        return {str(r[0]): int(r[1]) for r in rows}

    with Store(db) as store:
        with store.transaction() as tx:  # the fixture's stories have no section yet: as if composed with
            tx.execute("UPDATE stories SET composed = json_set(composed, '$.section',"
                       " CASE WHEN rowid % 2 THEN 'world' ELSE 'politics' END) WHERE json_valid(composed)")
        assert kept(store) == counted(store) and sum(counted(store).values()) >= 3
        first, second, third = (str(r[0]) for r in store.connection.execute(
            "SELECT id FROM stories ORDER BY id LIMIT 3").fetchall())
        with store.transaction() as tx:
            # recomposed into another section (INSERT OR REPLACE of its summary), twice
            for section in ("sports", "science"):
                tx.execute("UPDATE stories SET composed = json_set(composed, '$.section', ?) WHERE id = ?",
                           (section, first))
            tx.execute("UPDATE stories SET composed = 'not json' WHERE id = ?", (second,))  # no longer live
            tx.execute("INSERT INTO stories (id, composed) SELECT id || '-copy', composed FROM stories"
                       " WHERE id = ?", (third,))
        assert kept(store) == counted(store) and counted(store)["science"] >= 1
        with store.transaction() as tx:
            tx.execute("DELETE FROM story_articles WHERE story_id = ?", (third + "-copy",))
            tx.execute("DELETE FROM stories WHERE id = ?", (third + "-copy",))  # retired: live = 0
            tx.execute("DELETE FROM story_summaries WHERE story_id = ?", (first,))  # as retention prunes
        assert kept(store) == counted(store)
    assert Reader(db).section_counts() == counted(Store(db))
