"""Editions, retention and reader filters on a real store built by the real pipeline (editions_fixture):
day pages and the archive, `prune` with nothing dangling after it, the page cache around both, and the
filters in the cookie, hostile values included."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.testclient import TestClient

from editions_fixture import build_editions_store
from newsprism.cli import main
from newsprism.compose.pending import sentence_keys
from newsprism.live import run_cycle
from newsprism.publish import Reader, create_app, export_site
from newsprism.publish.cache import PageCache
from newsprism.publish.filters import MAX_KEYWORDS, MAX_OUTLETS, Filters, FilterView
from newsprism.publish.prefs import COOKIE, Prefs
from newsprism.publish.queries import day_score, outlet_slug
from newsprism.retention import PRUNED_TABLES, cutoff_day, parse_age, prune
from newsprism.settings import Settings
from newsprism.store import Store

CUT = "2014-03-11"  # the middle day of the UCI headlines: 10 March goes, 11 and 12 stay


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_editions_store(tmp_path_factory.mktemp("editions") / "store.db")


@pytest.fixture()
def store_copy(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    with sqlite3.connect(built) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def _db(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    return db


def _recomputed_days(db: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """story_days as a full scan would give it (the tests may scan; the product never does)."""
    rows = db.execute(
        "SELECT substr(a.published, 1, 10), sa.story_id, count(*) FROM story_articles sa"
        " JOIN articles a ON a.id = sa.article_id WHERE a.published IS NOT NULL GROUP BY 1, 2").fetchall()
    return {(str(r[0]), str(r[1])): int(r[2]) for r in rows}


def _assert_days_consistent(db: sqlite3.Connection) -> None:
    rows = db.execute("SELECT day, story_id, articles FROM story_days")
    kept = {(str(r[0]), str(r[1])): int(r[2]) for r in rows}
    assert kept == _recomputed_days(db)
    per_day: dict[str, int] = {}
    for day, _ in kept:
        per_day[day] = per_day.get(day, 0) + 1
    assert dict(db.execute("SELECT day, stories FROM edition_days").fetchall()) == per_day


# --- editions ---------------------------------------------------------------------------------


def test_the_triggers_keep_the_days_through_a_real_build(built: Path) -> None:
    """Clustering, merges and splits all moved articles between stories; the day tables followed."""
    with _db(built) as db:
        assert db.execute("SELECT count(*) FROM story_events WHERE kind = 'merge'").fetchone()[0] > 0
        assert db.execute("SELECT count(*) FROM story_splits").fetchone()[0] > 0
        _assert_days_consistent(db)
        days = [r[0] for r in db.execute("SELECT day FROM edition_days ORDER BY day")]
    assert {"2014-03-10", "2014-03-11", "2014-03-12", "2023-03-16"} <= set(days)


def test_a_day_page_lists_that_days_stories_by_that_days_coverage(built: Path) -> None:
    reader = Reader(built)
    view = reader.day("2014-03-11")
    assert view is not None and view.total >= 50
    with _db(built) as db:
        expected = {str(r[0]) for r in db.execute(
            "SELECT DISTINCT sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
            " JOIN story_summaries m ON m.story_id = sa.story_id AND m.live = 1"
            " WHERE substr(a.published, 1, 10) = '2014-03-11'")}
    assert {s.id for s in view.stories} == expected and view.total == len(expected)
    scores = [day_score(n, len(s.outlets)) for s, n in zip(view.stories, view.day_articles, strict=True)]
    assert scores == sorted(scores, reverse=True)
    assert view.stories[0].sources >= 5  # the day's big story leads, not an alphabetical one
    assert (view.previous, view.next) == ("2014-03-10", "2014-03-12")
    first = reader.day("2004-12-31")
    assert first is not None and first.previous is None
    for junk in ("2014-02-30", "../etc", "2014-3-1", "2014-03-11x"):
        assert reader.day(junk) is None, junk
    empty = reader.day("2014-03-13")
    assert empty is not None and empty.stories == () and empty.previous == "2014-03-12"


def test_undated_stories_are_on_no_day(built: Path) -> None:
    reader = Reader(built)
    with _db(built) as db:
        undated = {str(r[0]) for r in db.execute(
            "SELECT sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
            " GROUP BY sa.story_id HAVING count(a.published) = 0")}
    assert undated, "the fixture has a story of undated articles"
    listed = {s.id for day, _ in reader.days() if (v := reader.day(day)) for s in v.stories}
    assert listed and not (undated & listed)
    # and they are still stories: on the front page (by size and recency), not on a day
    assert undated & {s.id for s in reader.stories()}


def test_the_archive_groups_days_by_month(built: Path) -> None:
    reader = Reader(built)
    months = reader.archive()
    assert [m.month for m in months] == sorted({m.month for m in months}, reverse=True)
    march = next(m for m in months if m.month == "2014-03")
    assert [d for d, _ in march.days] == ["2014-03-12", "2014-03-11", "2014-03-10"]
    for day, count in march.days:
        view = reader.day(day)
        assert view is not None and view.total == count


def test_day_and_archive_pages_live_and_static(built: Path, tmp_path: Path) -> None:
    client = TestClient(create_app(built))
    front = client.get("/")
    assert Reader(built).latest_day() == "2023-05-07"  # the newest seed
    assert 'href="/day/2023-05-07"' in front.text and 'href="/archive"' in front.text
    page = client.get("/day/2014-03-11")
    assert page.status_code == 200 and 'rel="prev"' in page.text and 'href="/day/2014-03-12"' in page.text
    assert page.text.count('class="day-story"') == Reader(built).day("2014-03-11").total  # type: ignore[union-attr]
    assert client.get("/day/2014-03-13").status_code == 404
    assert client.get("/day/not-a-day").status_code == 404
    archive = client.get("/archive")
    assert archive.status_code == 200 and "March 2014" in archive.text and "/day/2004-12-31" in archive.text
    site = tmp_path / "site"
    export_site(Reader(built), site)
    days = sorted(p.stem for p in (site / "day").glob("*.html"))
    assert days == sorted(d for d, _ in Reader(built).days())
    static = (site / "day" / "2014-03-11.html").read_text("utf-8")
    assert 'href="../day/2014-03-10.html"' in static and 'href="../archive.html"' in static
    assert 'href="../story/' in static
    assert 'href="day/2023-05-07.html"' in (site / "index.html").read_text("utf-8")
    assert 'href="day/2014-03-10.html"' in (site / "archive.html").read_text("utf-8")


def _plan(db: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> str:
    return " | ".join(str(r[3]) for r in db.execute("EXPLAIN QUERY PLAN " + sql, params))


def test_edition_and_prune_queries_are_index_lookups(built: Path) -> None:
    """No query of the day pages, the archive or the prune scans a table that grows with the store;
    the archive scans `edition_days`, one row per day."""
    with _db(built) as db:
        plans = {
            "day": _plan(db, "SELECT story_id, articles FROM story_days WHERE day = ?", ("2014-03-11",)),
            "previous": _plan(db, "SELECT max(day) FROM edition_days WHERE day < ?", ("2014-03-11",)),
            "next": _plan(db, "SELECT min(day) FROM edition_days WHERE day > ?", ("2014-03-11",)),
            "dated": _plan(db, "SELECT published, seq, id FROM articles WHERE published < :cut AND"
                               " (published, seq) > (:at, :seq) ORDER BY published, seq LIMIT :n",
                           {"cut": CUT, "at": "", "seq": 0, "n": 500}),  # type: ignore[arg-type]
            "undated": _plan(db, "SELECT ingested_at, seq, id FROM articles WHERE published IS NULL AND"
                                 " ingested_at < :cut AND (ingested_at, seq) > (:at, :seq)"
                                 " ORDER BY ingested_at, seq LIMIT :n",
                             {"cut": CUT, "at": "", "seq": 0, "n": 500}),  # type: ignore[arg-type]
            "kept": _plan(db, "SELECT DISTINCT sa.story_id FROM story_articles sa JOIN articles a ON"
                              " a.id = sa.article_id WHERE NOT (a.published < ? OR (a.published IS NULL AND"
                              " a.ingested_at < ?)) AND sa.story_id IN (?, ?)", (CUT, CUT, "s1", "s2")),
            "retired": _plan(db, "SELECT id FROM stories WHERE retired_into IN (?, ?)", ("s1", "s2")),
            "storyline": _plan(db, "SELECT 1 FROM stories WHERE storyline_id = ?", ("l1",)),
            "fts": _plan(db, "SELECT id FROM articles_fts_content WHERE c0 IN (?, ?)", ("a", "b")),
            "events": _plan(db, "DELETE FROM story_events WHERE story_id IN (?) OR other_id IN (?)",
                            ("s", "s")),
            "splits": _plan(db, "DELETE FROM story_splits WHERE story_id IN (?) OR new_story_id IN (?)",
                            ("s", "s")),
            "copies": _plan(db, "DELETE FROM near_duplicates WHERE article_id IN (?) OR original_id IN (?)",
                            ("a", "a")),
            "sentences": _plan(db, "DELETE FROM embeddings WHERE kind = 'sentence' AND key IN (?)", ("k",)),
        }
        archive = _plan(db, "SELECT day, stories FROM edition_days WHERE stories > 0 ORDER BY day DESC")
    for name, plan in plans.items():
        assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), (name, plan)
        assert "SEARCH" in plan or "USING" in plan, (name, plan)
    assert "edition_days" in archive and "articles" not in archive and "story" not in archive


def test_a_day_page_reads_the_day_by_key_not_every_live_story(built: Path) -> None:
    """Every statement a day page sends is a lookup by key. A search by `live` alone passes for an
    index search in a plan, yet walks every live story: the day page did that once, joining the day's
    rows to the summaries, and cost 7 ms at 10k articles and 49 ms at 37k."""
    reader = Reader(built)
    sent: list[str] = []
    reader.db.set_trace_callback(sent.append)
    view = reader.day("2014-03-11")
    reader.db.set_trace_callback(None)
    assert view is not None and view.stories
    selects = [sql for sql in sent if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert selects
    with _db(built) as db:
        for sql in selects:
            plan = _plan(db, sql)
            assert "(live=?)" not in plan, (sql, plan)
            assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), (sql, plan)


def test_a_story_page_lists_the_stories_of_its_storyline_nearest_it(store_copy: Path) -> None:
    """A thread grows with the archive; its story pages list the stories nearest each one in time and
    link to the whole thread, instead of every story of it on every page."""
    from dataclasses import replace

    from newsprism.publish.pages import render_story
    from newsprism.publish.queries import STORYLINE_NEAR
    from newsprism.publish.render import Links

    with _db(store_copy) as db:
        live = [str(r[0]) for r in db.execute("SELECT story_id FROM story_summaries WHERE live = 1")]
        assert len(live) > 2 * STORYLINE_NEAR + 3
        db.execute("INSERT OR REPLACE INTO storylines (id, title) VALUES ('thread', 'One long thread')")
        db.executemany("UPDATE story_summaries SET storyline_id = 'thread' WHERE story_id = ?",
                       [(i,) for i in live])
    reader = Reader(store_copy)
    whole = [s.id for s in reader.storyline("thread").stories]  # type: ignore[union-attr]
    assert sorted(whole) == sorted(live)
    width = 2 * STORYLINE_NEAR + 1
    for at in (0, 1, len(whole) // 2, len(whole) - 1):
        near = reader.storyline_near("thread", whole[at])
        assert near is not None and near.total == len(whole) and near.title == "One long thread"
        ids = [s.id for s in near.stories]
        assert len(ids) == width and whole[at] in ids
        start = whole.index(ids[0])
        assert ids == whole[start:start + width]  # a slice of the thread, in its order
        assert start <= max(0, at - STORYLINE_NEAR)  # as centred as the thread's ends allow
    assert [s.id for s in reader.storyline_near("thread", "no-such-story").stories] == whole[-width:]  # type: ignore[union-attr]
    story = reader.story(whole[len(whole) // 2])
    assert story is not None
    page = render_story(reader, replace(story, storyline="thread"), Links(), "t", Prefs())
    thread = page[page.index('id="thread-h"'):]
    assert thread.count("<li>") == width
    assert f"All {len(whole)} stories in this storyline" in thread


# --- retention --------------------------------------------------------------------------------


def test_sentence_keys_are_the_keys_composing_stores(built: Path) -> None:
    """Retention drops the sentence vectors of what it prunes by `sentence_keys`: they must be exactly
    the texts the composer embeds (its units and the titles)."""
    from newsprism.analyse import text_key
    from newsprism.compose._units import build_units

    with Store(built) as store:
        ids = [str(r[0]) for r in store.connection.execute("SELECT id FROM articles ORDER BY seq")]
        articles = store.get_articles(ids)
        stored = {str(r[0]) for r in store.connection.execute(
            "SELECT key FROM embeddings WHERE kind = 'sentence'")}
    units = build_units(articles, list(range(len(articles))))
    expected = {text_key(u.text) for u in units} | {text_key(a.title or "") for a in articles}
    assert sentence_keys(articles) == expected
    with Store(built) as store:
        from newsprism.analyse import load_analyses

        stored_spans = {i: a.sentences for i, a in load_analyses(store, ids).items()}
    assert len(stored_spans) == len(ids) and sentence_keys(articles, stored_spans) == expected
    assert stored <= expected  # every vector the build stored is one of them


def _snapshot(db: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    tables = [*PRUNED_TABLES, "story_days", "edition_days"]
    out = {}
    for table in tables:
        columns = "rowid, *" if table.endswith("_fts") else "*"
        out[table] = sorted(tuple(r) for r in db.execute(f"SELECT {columns} FROM {table}"))
    return out


def _assert_nothing_dangles(path: Path) -> None:
    with _db(path) as db:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        checks = {
            "sightings": "SELECT count(*) FROM sightings WHERE article_id NOT IN (SELECT id FROM articles)",
            "copies": "SELECT count(*) FROM near_duplicates WHERE article_id NOT IN (SELECT id FROM articles)"
                      " OR original_id NOT IN (SELECT id FROM articles)",
            "minhashes": "SELECT count(*) FROM minhashes WHERE article_id NOT IN (SELECT id FROM articles)",
            "analyses": "SELECT count(*) FROM analyses WHERE article_id NOT IN (SELECT id FROM articles)",
            "vectors": "SELECT count(*) FROM embeddings WHERE kind != 'sentence'"
                       " AND key NOT IN (SELECT id FROM articles)",
            "articles_fts": "SELECT count(*) FROM articles_fts WHERE id NOT IN (SELECT id FROM articles)",
            "members": "SELECT count(*) FROM story_articles WHERE article_id NOT IN (SELECT id FROM articles)"
                       " OR story_id NOT IN (SELECT id FROM stories)",
            "summaries": "SELECT count(*) FROM story_summaries"
                         " WHERE story_id NOT IN (SELECT id FROM stories)",
            "stories_fts": "SELECT count(*) FROM stories_fts WHERE id NOT IN (SELECT id FROM stories)",
            # the recent story index holds rows of stories_fts only (same rowids)
            "stories_recent_fts": "SELECT count(*) FROM stories_recent_fts"
                                  " WHERE rowid NOT IN (SELECT id FROM stories_fts_content)",
            "events": "SELECT count(*) FROM story_events WHERE story_id NOT IN (SELECT id FROM stories)"
                      " OR other_id NOT IN (SELECT id FROM stories)",
            "retired": "SELECT count(*) FROM stories WHERE retired_into IS NOT NULL"
                       " AND retired_into NOT IN (SELECT id FROM stories)",
            "storylines": "SELECT count(*) FROM storylines WHERE id NOT IN"
                          " (SELECT storyline_id FROM stories WHERE storyline_id IS NOT NULL)",
            "story_lines": "SELECT count(*) FROM stories WHERE storyline_id IS NOT NULL"
                           " AND storyline_id NOT IN (SELECT id FROM storylines)",
            "story_days": "SELECT count(*) FROM story_days WHERE story_id NOT IN (SELECT id FROM stories)",
            "unclustered": "SELECT count(*) FROM articles"
                           " WHERE id NOT IN (SELECT article_id FROM story_articles)",
        }
        for name, sql in checks.items():
            assert db.execute(sql).fetchone()[0] == 0, name
        _assert_days_consistent(db)
        # every sentence vector left is one a remaining article's composition uses
        with Store(path) as store:
            ids = [str(r[0]) for r in db.execute("SELECT id FROM articles")]
            wanted = sentence_keys(store.get_articles(ids))
        left = {str(r[0]) for r in db.execute("SELECT key FROM embeddings WHERE kind = 'sentence'")}
        assert left <= wanted


def test_prune_deletes_consistently_and_a_rerun_is_a_no_op(store_copy: Path) -> None:
    _assert_nothing_dangles(store_copy)  # the build itself leaves nothing dangling
    with _db(store_copy) as db:
        before = _snapshot(db)
        old = {str(r[0]) for r in db.execute(
            "SELECT id FROM articles WHERE published < ? OR (published IS NULL AND ingested_at < ?)",
            (CUT, CUT))}
        undated = {str(r[0]) for r in db.execute("SELECT id FROM articles WHERE published IS NULL")}
    assert undated and not (undated & old)  # stored today: an undated article ages from then
    with Store(store_copy) as store:
        dry = prune(store, CUT, dry_run=True)
        with _db(store_copy) as db:
            assert _snapshot(db) == before  # a dry run changes nothing
        report = prune(store, CUT)
        again = prune(store, CUT)
    assert report.counts == dry.counts and report.deleted > 0 and not report.dry_run
    assert again.deleted == 0 and again.spared == report.spared  # the rerun is a no-op
    with _db(store_copy) as db:
        after = _snapshot(db)
        for table in PRUNED_TABLES:  # the reported counts are the rows that went
            assert len(before[table]) - len(after[table]) == report.count(table), table
        remaining = {str(r[0]) for r in db.execute("SELECT id FROM articles")}
        # every old article that stayed is in a story that also has an article of the kept days
        for article in old & remaining:
            newer = db.execute(
                "SELECT count(*) FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE"
                " sa.story_id = (SELECT story_id FROM story_articles WHERE article_id = ?)"
                " AND a.published >= ?", (article, CUT)).fetchone()[0]
            assert newer > 0, article
        assert len(old & remaining) == report.spared
        assert db.execute("SELECT count(*) FROM articles WHERE published >= ?", (CUT,)).fetchone()[0] == len(
            [r for r in before["articles"] if r[7] is not None and str(r[7]) >= CUT])
        assert db.execute("SELECT value FROM counters WHERE name = 'publish_pruned'").fetchone()[0] >= 1
        assert "2014-03-10" not in {r[0] for r in db.execute("SELECT day FROM edition_days")} or report.spared
    _assert_nothing_dangles(store_copy)
    reader = Reader(store_copy)
    assert {d for d, _ in reader.days()} >= {"2014-03-11", "2014-03-12", "2023-03-16"}
    assert not any(d < CUT for d, _ in reader.days() if d not in _spared_days(store_copy))
    # search finds no pruned article: the words of the tsunami articles (2004-2005) are gone from it
    deleted = {str(r[1]) for r in before["articles"]} - remaining
    assert any("tsunami" in str(r[2]).casefold() for r in before["articles"] if str(r[1]) in deleted)
    assert not {h.id for h in reader.search("tsunami")} & deleted


def _spared_days(path: Path) -> set[str]:
    with _db(path) as db:
        return {str(r[0]) for r in db.execute("SELECT day FROM story_days WHERE day < ?", (CUT,))}


def test_a_prune_that_fails_midway_is_finished_by_a_rerun(built: Path, tmp_path: Path) -> None:
    """Each batch is one transaction: a failure (like a kill) inside the third leaves the first two
    done and the store consistent; the rerun ends in exactly the state of an uninterrupted prune."""
    whole, broken = tmp_path / "whole.db", tmp_path / "broken.db"
    for target in (whole, broken):
        shutil.copy(built, target)
    with Store(whole) as store:
        prune(store, CUT, batch=10)
    calls = 0

    def failing(articles: Any, sentences: Any) -> set[str]:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("killed")
        return sentence_keys(articles, sentences)

    with Store(broken) as store, pytest.raises(RuntimeError):
        prune(store, CUT, batch=10, keys_of=failing)
    _assert_nothing_dangles(broken)
    with _db(broken) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
    with Store(broken) as store:
        prune(store, CUT, batch=10)
    with _db(whole) as a, _db(broken) as b:
        left, right = _snapshot(a), _snapshot(b)
    for table in left:
        if table == "edition_days" or table.endswith("_fts"):
            continue  # fts rowids of unrelated rows are equal; compared by ids below
        assert left[table] == right[table], table
    with _db(whole) as a, _db(broken) as b:
        for table in ("articles_fts", "stories_fts"):
            assert sorted(r[0] for r in a.execute(f"SELECT id FROM {table}")) == sorted(
                r[0] for r in b.execute(f"SELECT id FROM {table}"))


def test_prune_cli_and_the_live_cycle_apply_retention(store_copy: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    dry = runner.invoke(main, ["prune", "--before", CUT, "--dry-run", "--json", "--db", str(store_copy)])
    assert dry.exit_code == 0, dry.output
    counts = json.loads(dry.stdout)
    assert counts["dry_run"] and counts["counts"]["articles"] > 0 and counts["cutoff"] == CUT
    assert runner.invoke(main, ["prune", "--db", str(store_copy)]).exit_code != 0  # no age given, none set
    both = runner.invoke(main, ["prune", "--before", CUT, "--older-than", "9d", "--db", str(store_copy)])
    assert both.exit_code != 0
    done = runner.invoke(main, ["prune", "--before", CUT, "--db", str(store_copy)])
    assert done.exit_code == 0
    assert f"before {CUT}: deleted {counts['counts']['articles']} articles" in done.output
    rerun = runner.invoke(main, ["prune", "--before", CUT, "--db", str(store_copy)])
    assert "deleted nothing" in rerun.output
    assert parse_age("90d") == 90 and parse_age("2w") == 14 and parse_age("1y") == 365
    assert cutoff_day(1, datetime(2024, 5, 2, tzinfo=UTC)) == "2024-05-02"
    assert cutoff_day(90, datetime(2024, 5, 2, tzinfo=UTC)) == "2024-02-03"
    # a live cycle with a retention window keeps that many days up to today: all of 2014 and 2023 go
    settings = Settings(db=store_copy, retention_days=30)
    with Store(store_copy) as store:
        cycle = run_cycle(store, settings, [], site=tmp_path / "site")
        assert cycle.pruned is not None and cycle.pruned.count("articles") > 0
        assert "pruned" in cycle.summary() and "prune" in cycle.stages
        # only the undated articles stay: stored today, they age from today
        left = store.connection.execute("SELECT count(*), count(published) FROM articles").fetchone()
        assert tuple(left) == (2, 0)
    _assert_nothing_dangles(store_copy)
    assert (tmp_path / "site" / "index.html").is_file() and not list((tmp_path / "site").glob("day/*.html"))


def test_cached_pages_follow_a_prune(store_copy: Path) -> None:
    """A prune deletes rows, which can leave max(version) where it was; the prune counter moves every
    cached page on, so no reader is shown a story that is gone."""
    app = create_app(store_copy)
    client = TestClient(app)
    gone = Reader(store_copy).day("2014-03-10")
    assert gone is not None
    victim = next(s.id for s in gone.stories if s.last_published and s.last_published < CUT)
    assert client.get(f"/story/{victim}").status_code == 200
    assert client.get("/day/2014-03-10").status_code == 200
    listed = client.get("/archive").text
    assert "/day/2014-03-10" in listed
    front_before = client.get("/").headers["etag"]
    with Store(store_copy) as store:
        prune(store, CUT)
    assert client.get(f"/story/{victim}").status_code == 404
    assert client.get("/").headers["etag"] != front_before
    day = client.get("/day/2014-03-10")
    assert day.status_code == 404 or victim not in day.text
    assert f"/story/{victim}" not in client.get("/").text


# --- filters --------------------------------------------------------------------------------


HOSTILE_COOKIES = [
    '<script>alert(1)</script>',
    '0:0:0:o.<script>|"onload=alert(1)":k.%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    "9:9:9:r.99999999999999999999:r.-5:o." + "|".join(["a" * 100] * 500),
    "0:0:0:k." + "|".join(["%FF%FE%00"] * 1000),
    ":" * 5000,
    "0:0:0:x.y:o.:k.:r.",
    "0:0:0:" + "k." + "%" * 3000,
]


def test_hostile_cookie_values_are_inert() -> None:
    for cookie in HOSTILE_COOKIES:
        prefs = Prefs.parse(cookie)
        f = prefs.filters
        assert len(f.outlets) <= MAX_OUTLETS and len(f.keywords) <= MAX_KEYWORDS
        assert all(c.isalnum() or c == "-" for s in f.outlets for c in s)
        assert all("<" not in k and ">" not in k and '"' not in k for k in f.keywords)
        assert f.min_reliability in (0, 3, 5, 7, 9)
        assert -2 <= prefs.left_right <= 2
        # what it writes back is cookie-safe and reads back the same
        written = prefs.cookie()
        assert all(c.isalnum() or c in "-_.~%|:" for c in written), written
        assert Prefs.parse(written) == prefs
    markup = Prefs.parse("0:0:0:k.%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert markup.filters.keywords == ("script alert 1 script",)


def test_filters_round_trip_and_hide_what_they_say(built: Path) -> None:
    reader = Reader(built)
    outlets = reader.outlet_map()
    prefs = Prefs(-1, 0, 2, Filters.make([outlet_slug("Daily Mail")], 5, ["Malaysia Airlines", "royal"]))
    assert Prefs.parse(prefs.cookie()) == prefs
    assert Prefs.parse("-1:0:2") == Prefs(-1, 0, 2)  # the cookie of the sliders alone still reads
    view = FilterView(prefs.filters, outlets)
    assert view.hides_outlet("Daily Mail")
    unreliable = [o.name for o in reader.outlets() if o.reliability is not None and o.reliability < 0.5]
    reliable = [o.name for o in reader.outlets() if o.reliability is not None and o.reliability >= 0.5]
    unrated = [o.name for o in reader.outlets() if o.reliability is None and o.articles]
    assert unreliable and reliable and unrated
    assert all(view.hides_outlet(n) for n in unreliable)
    assert not any(view.hides_outlet(n) for n in reliable if n != "Daily Mail")
    assert not any(view.hides_outlet(n) for n in unrated)  # unknown is not unreliable
    rows = reader.stories()
    shown, hidden = view.stories(rows)
    assert hidden == len(rows) - len(shown) and hidden > 0
    for row in rows:
        gone = row not in shown
        keyword = "malaysia airlines" in row.headline.casefold() or "royal" in row.headline.casefold().split()
        every = bool(row.outlets) and all(view.hides_outlet(o) for o in row.outlets)
        assert gone == (keyword or every or view.hides_title(row.headline)), row.headline
    assert not view.hides_title("Loyalty royalties")  # whole words only


def test_filtered_pages_are_cached_per_filter_set(built: Path) -> None:
    app = create_app(built)
    client = TestClient(app)
    plain = client.get("/")
    cache = _cache(app)
    renders = cache.renders
    assert _get(client, "/", "2:1:-1").text == plain.text  # sliders leave lists alone
    assert cache.renders == renders
    word = Reader(built).stories(limit=1)[0].headline.split()[0]  # the top story's first word
    hide = Prefs(filters=Filters.make(keywords=[word])).cookie()
    filtered = _get(client, "/", hide)
    assert filtered.text != plain.text and "hidden by your filters" in filtered.text
    cards = [line for line in filtered.text.splitlines() if "<h2><a" in line]
    assert cards and not any(FilterView(Filters.make(keywords=[word]), {}).hides_title(c) for c in cards)
    assert filtered.headers["etag"] != plain.headers["etag"]
    assert "cookie" in filtered.headers["vary"].casefold()
    renders = cache.renders
    assert _get(client, "/", hide).text == filtered.text
    assert cache.renders == renders  # the second reader with those filters is served from memory
    # a flood of distinct cookies churns the readers' own pool, never the page everyone shares
    for i in range(40):
        _get(client, "/", Prefs(filters=Filters.make(keywords=[f"word{i}"])).cookie())
    renders = cache.renders
    client.get("/")
    assert cache.renders == renders


def _get(client: TestClient, path: str, cookie: str) -> Any:
    return client.get(path, headers={"Cookie": f"{COOKIE}={cookie}"})


def _cache(app: FastAPI) -> PageCache:
    layer: Any = app.middleware_stack
    while not isinstance(layer, PageCache):
        layer = layer.app
    return layer
