"""The archive at 10k, 100k and 1M articles: page query and render times, and the server's first answer.

    python bench/archive.py real --articles 10000 --out /work/cache/scale/real-10k.db
    python bench/archive.py grow --source /work/cache/scale/real-10k.db --articles 100000 --out STORE
    python bench/archive.py pages --db STORE [--db STORE ...]
    python bench/archive.py start --db STORE [--workers 1]
    python bench/archive.py search --db STORE [--db STORE ...]

`real` is a real store: the newest N dated AllSides articles (../shared/data/allsides-articles) through
`newsprism ingest` and `newsprism build` as subprocesses (analysis, clustering, storylines, the composer).
`build` commits as it goes, so `--build-seconds` lets one run stop and the next one resume it.
`--analyses-from STORE` copies the analyses and article vectors of the same articles from another store
of the corpus analysed by the same code (the analysis is most of a 10k build's CPU); the build then
clusters, links storylines and composes as usual.

`grow` makes a larger store from a real one WITHOUT building it: the pipeline cannot build 1M articles on
2 cores in an evening. It copies the real store, then replays its rows at SQL level (INSERT … SELECT from
the attached original) until the store holds N articles: replay r gives every article, story and
storyline a new id (suffix `~r`) and moves every date r·REPLAY_DAYS days back in time, so the archive grows
into the past and the newest replay (the real store itself) stays the front page. Replayed: articles
(their `data` JSON re-dated), sightings, story_articles, stories (their
composed JSON re-dated and re-keyed: story id, storyline, article ids), storylines, the FTS indexes of
articles and stories (re-indexed by FTS5, not copied); with --story-copies K each replay's stories K
times (ids `~r.k`, k days further back; over the same articles, without story_articles rows: a store
with many stories for `start`); with --build-tables also analyses, minhashes and
article embeddings, so a `build` can add to the grown store. `story_summaries` and `outlet_counts` are
filled by their own triggers, as on any write. The output says so.

`pages` times, per store, the reads and the rendering behind each page in-process, cold (a new Reader:
nothing memoised, first read of each page) and warm (median of repeated calls, a different story / query
where the page varies): front page, a story page, an outlet page, search, /feed.xml and /api/stories.

`start` times `newsprism serve` from process start to its printed address and to its first 200 on /.

`search` times `Reader.search_result` in-process (CPU), the stores interleaved query by query: new
queries as bench/serve.py's uncached search sends them (two common words and a number), new pairs of
common words (no number: hits at every size), then the fixed QUERIES.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "allsides-articles" / "articles.jsonl.gz"
CLI = [sys.executable, "-c", "from newsprism.cli import main; main()"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
# Each replay lies this far before the previous one: longer than the real store's span of dates, so
# replays never interleave and each day of the archive holds one replay's stories.
REPLAY_DAYS = 400


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


# --- real ------------------------------------------------------------------------------------------


def _newest(data: Path, count: int, out: Path) -> tuple[str, str]:
    """The `count` newest articles of the corpus with an ISO date and a body, as JSONL; their date span."""
    rows = []
    with gzip.open(data, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            day = str(row.get("date") or "")
            try:
                if date.fromisoformat(day[:10]) > date.today():
                    continue  # a few rows carry future dates (ingest would store them undated)
            except ValueError:
                continue
            if len(str(row.get("text") or "").split()) >= 40:
                rows.append((day[:10], row["id"], line))
    rows.sort(reverse=True)
    chosen = rows[:count]
    with open(out, "w", encoding="utf-8") as handle:
        handle.writelines(line for _, _, line in sorted(chosen))
    return chosen[-1][0], chosen[0][0]


def _run(args: list[str], seconds: float | None = None) -> tuple[float, int, str]:
    start = time.perf_counter()
    try:
        done = subprocess.run([*CLI, *args], capture_output=True, text=True, check=False, env=ENV,
                              timeout=seconds)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, -1, "stopped (time limit); run again to resume"
    tail = (done.stdout.strip().splitlines() or [""])[0] if done.returncode == 0 else done.stderr[-2000:]
    return time.perf_counter() - start, done.returncode, tail


def _copy_analyses(out: Path, source: Path) -> int:
    """The analyses and article vectors of `out`'s articles, copied from `source` (another store of the
    same corpus, analysed by the same code): the build's analysis step then finds nothing pending."""
    with sqlite3.connect(out) as db:
        db.execute("ATTACH DATABASE ? AS src", (f"{source.resolve().as_uri()}?mode=ro",))
        db.execute("INSERT OR IGNORE INTO analyses SELECT s.* FROM src.analyses s JOIN articles a"
                   " ON a.id = s.article_id")
        db.execute("INSERT OR IGNORE INTO embeddings SELECT s.* FROM src.embeddings s JOIN articles a"
                   " ON a.id = s.key WHERE s.kind = 'article'")
        copied = int(db.execute("SELECT count(*) FROM analyses").fetchone()[0])
    return copied


def real(out: Path, articles: int, data: Path, build_seconds: float | None,
         analyses_from: Path | None = None) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    print(_load())
    if not out.exists():
        with tempfile.TemporaryDirectory() as tmp:
            records = Path(tmp) / "newest.jsonl"
            first, last = _newest(data, articles, records)
            print(f"the {articles:,} newest dated AllSides articles ({first} … {last}), real ingest + build")
            seconds, code, said = _run(["ingest", str(records), "--db", str(out), "-q"])
            print(f"  ingest {seconds:7.1f} s ({articles / seconds:,.0f} articles/s) exit {code}: {said}")
            if code != 0:
                return 1
        if analyses_from is not None:
            print(f"  analyses and article vectors of {_copy_analyses(out, analyses_from):,} articles copied"
                  f" from {analyses_from} (same corpus, same analysis code): the build does not redo them")
    seconds, code, said = _run(["build", "--db", str(out), "--quiet"], build_seconds)
    print(f"  build  {seconds:7.1f} s exit {code}: {said}")
    with sqlite3.connect(out) as db:
        counts = db.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM story_summaries"
                            " WHERE live = 1), (SELECT count(*) FROM storylines), (SELECT count(*) FROM"
                            " articles WHERE id NOT IN (SELECT article_id FROM analyses))").fetchone()
    print(f"  store {out}: {counts[0]:,} articles, {counts[1]:,} composed stories, {counts[2]:,} storylines,"
          f" {counts[3]:,} not analysed yet; {out.stat().st_size / 1e6:,.0f} MB; {_load()}")
    return 0 if code == 0 else 2


# --- grow ------------------------------------------------------------------------------------------

# What a replay copies, per table: the columns that change (others are copied as they are). `{s}` is
# the replay's id suffix, `{shift}` moves an ISO date or datetime `days` back, keeping its time part.
_ID = "{col} || '{s}'"
_SHIFTED = ("CASE WHEN {col} IS NULL THEN NULL ELSE coalesce(date(substr({col}, 1, 10), '-{days} days')"
            " || substr({col}, 11), {col}) END")
_REPLAY: list[tuple[str, dict[str, str], str]] = [
    # (table, column overrides, ORDER BY): parents first, in the order the store wrote them
    ("articles", {"seq": "", "id": _ID, "published": _SHIFTED,
                  "data": "CASE WHEN json_valid(data) THEN json_set(data, '$.id', id || '{s}', '$.published',"
                          " " + _SHIFTED.format(col="published", days="{days}") + ") ELSE data END"}, "seq"),
    ("sightings", {"article_id": _ID}, "rowid"),
    ("near_duplicates", {"article_id": _ID, "original_id": _ID}, "rowid"),
    ("storylines", {"id": _ID, "data": "restamp_line(data, '{s}')"}, "rowid"),
    ("story_articles", {"story_id": _ID, "article_id": _ID}, "rowid"),
    ("stories", {"id": _ID, "storyline_id": _ID, "retired_into": _ID, "first_published": _SHIFTED,
                 "last_published": _SHIFTED, "composed": "restamp_story(composed, '{s}', {days})"}, "rowid"),
]
# only with --build-tables: what a later `build` on the grown store reads (analyses: without them every
# replayed article is pending analysis; minhashes for near-duplicates of new articles; article and title
# vectors for clustering them). The site reads none of them; at 1M they would add ~18 GB.
_BUILD_TABLES: list[tuple[str, dict[str, str], str]] = [
    ("analyses", {"article_id": _ID}, "rowid"),
    ("minhashes", {"article_id": _ID}, "rowid"),
    ("embeddings", {"key": _ID}, "rowid"),
]


def _shift_day(value: object, days: int) -> object:
    if not isinstance(value, str) or len(value) < 10:
        return value
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return (day - timedelta(days=days)).isoformat() + value[10:]


def _restamp(node: Any, suffix: str, days: int, key: str = "") -> Any:
    """A composed story's JSON for replay: article and story ids suffixed, its dates moved back."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for k, v in node.items():
            if isinstance(v, str) and (k == "article" or (k == "id" and key == "articles")):
                out[k] = v + suffix
            elif k in ("date", "published"):
                out[k] = _shift_day(v, days)
            else:
                out[k] = _restamp(v, suffix, days, k)
        return out
    if isinstance(node, list):
        return [_restamp(v, suffix, days, key) for v in node]
    return node


def _restamp_story(text: str | None, suffix: str, days: int) -> str | None:
    if text is None:
        return None
    try:
        story = json.loads(text)
    except json.JSONDecodeError:
        return text
    story = _restamp(story, suffix, days)
    story["id"] = str(story.get("id")) + suffix
    if story.get("storyline"):
        story["storyline"] = story["storyline"] + suffix
    return json.dumps(story, ensure_ascii=False)


def _restamp_copy(text: str | None, suffix: str, days: int, copy: str) -> str | None:
    """A story copy (`--story-copies`): re-dated and its articles re-keyed as its replay's, its own id
    suffixed once more (`~r.k`), so it is one more story over the same articles."""
    story = _restamp_story(text, suffix, days)
    if story is None:
        return None
    data = json.loads(story)
    data["id"] = str(data.get("id")) + copy
    return json.dumps(data, ensure_ascii=False)


def _restamp_line(text: str | None, suffix: str) -> str | None:
    try:
        data = json.loads(text or "null")
    except json.JSONDecodeError:
        return text
    if isinstance(data, dict) and isinstance(data.get("stories"), list):
        data["stories"] = [f"{s}{suffix}" for s in data["stories"]]
        return json.dumps(data)
    return text


def _recent_index(db: sqlite3.Connection, trigger: tuple[str] | None) -> None:
    """The recent search indexes rebuilt over the newest articles and stories (as their migrations fill
    them: the replays' FTS rows went in by SQL, past the store's writers), and the articles' trigger back."""
    from newsprism.store.migrations import SEARCH_RECENT_ARTICLES, SEARCH_RECENT_STORIES

    if trigger is None:
        return
    db.execute("BEGIN")
    db.execute("INSERT INTO articles_recent_fts (articles_recent_fts) VALUES ('delete-all')")
    db.execute("INSERT INTO articles_recent_fts (rowid, title, text, outlet) SELECT seq, title, text, outlet"
               " FROM articles WHERE seq > (SELECT max(seq) FROM articles) - ? ORDER BY seq",
               (SEARCH_RECENT_ARTICLES,))
    db.execute(trigger[0])
    db.execute("DELETE FROM stories_recent_fts")
    db.execute("INSERT INTO stories_recent_fts (rowid, headline, body) SELECT id, c1, c2"
               " FROM stories_fts_content WHERE id > (SELECT coalesce(max(id), 0)"
               " FROM stories_fts_content) - ? ORDER BY id",
               (SEARCH_RECENT_STORIES,))
    db.execute("COMMIT")


def _replay_sql(db: sqlite3.Connection, table: str, overrides: dict[str, str], order: str, suffix: str,
                days: int) -> str:
    columns = [str(r[1]) for r in db.execute(f"PRAGMA src.table_info({table})")]
    keep = [c for c in columns if overrides.get(c) != ""]
    values = []
    for column in keep:
        template = overrides.get(column)
        if template is None or (not suffix and not days):
            values.append(column)
        else:
            values.append(template.format(col=column, s=suffix, days=days))
    return (f"INSERT INTO main.{table} ({', '.join(keep)}) SELECT {', '.join(values)} FROM src.{table}"
            f" ORDER BY {order}")


def _story_copies(db: sqlite3.Connection, suffix: str, days: int, copies: int) -> None:
    """`copies - 1` more copies of this replay's stories (ids `~r.k`, dates k days further back), over the
    same articles: `story_articles` keeps one story per article, so a copy has no rows there (its page
    lists its articles from its composed JSON; nothing the front page or the bench reads needs them)."""
    columns = [str(r[1]) for r in db.execute("PRAGMA src.table_info(stories)")]
    for k in range(1, copies):
        copy, shift = f"{suffix or '~0'}.{k}", days + k
        values = {"id": f"id || '{copy}'", "storyline_id": f"storyline_id || '{suffix}'",
                  "retired_into": f"retired_into || '{copy}'",
                  "first_published": _SHIFTED.format(col="first_published", days=shift),
                  "last_published": _SHIFTED.format(col="last_published", days=shift),
                  "composed": f"restamp_copy(composed, '{suffix}', {shift}, '{copy}')"}
        db.execute(f"INSERT INTO main.stories ({', '.join(columns)}) SELECT"
                   f" {', '.join(values.get(c, c) for c in columns)} FROM src.stories ORDER BY rowid")
        db.execute(f"INSERT INTO stories_fts (id, headline, body) SELECT id || '{copy}', headline, body"
                   " FROM src.stories_fts ORDER BY rowid")


def grow(source: Path, out: Path, articles: int, build_tables: bool, seconds: float | None,
         story_copies: int = 1) -> int:
    """Fills `out` with replays of `source` (see the module docstring); resumable replay by replay."""
    sys.path.insert(0, str(ROOT / "src"))
    from newsprism.store import Store

    print(_load())
    with sqlite3.connect(source) as db:
        have = int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    replays = max(1, round(articles / have))
    print(f"{out}: {replays} replays of the really built store {source} ({have:,} articles): SQL-level"
          f" copies, not built by the pipeline; replay r: ids suffixed ~r, dates r·{REPLAY_DAYS} days back")
    Store(out).close()  # the schema, by the same migrations
    db = sqlite3.connect(out, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -1000000")
    db.execute("ATTACH DATABASE ? AS src", (f"{source.resolve().as_uri()}?mode=ro",))
    db.create_function("restamp_story", 3, _restamp_story, deterministic=True)
    db.create_function("restamp_line", 2, _restamp_line, deterministic=True)
    db.create_function("restamp_copy", 4, _restamp_copy, deterministic=True)
    started = time.perf_counter()
    tables = _REPLAY + (_BUILD_TABLES if build_tables else [])
    # the recent search index keeps the newest SEARCH_RECENT_ARTICLES: rather than add every replayed
    # article to it and drop it again (its insert trigger), it is rebuilt once at the end, as the migration
    # that made it does; the same final state
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                         " AND name = 'articles_recent_insert'").fetchone()
    if trigger:
        db.execute("DROP TRIGGER articles_recent_insert")
    else:  # an earlier run was killed before putting it back: the migration's own statement
        from newsprism.store import _statements
        from newsprism.store.migrations import MIGRATIONS

        sql = dict(MIGRATIONS)["0017_search_recent"]
        trigger = next((t,) for t in _statements(sql) if t.startswith("CREATE TRIGGER articles_recent_ins"))
    # oldest replay first, the real store's own rows last: seq and FTS rowids rise with time, as an
    # archive ingested day by day has them
    for replay in range(replays - 1, -1, -1):
        suffix, days = (f"~{replay}" if replay else ""), replay * REPLAY_DAYS
        probe = db.execute("SELECT id FROM src.articles ORDER BY seq DESC LIMIT 1").fetchone()[0] + suffix
        if db.execute("SELECT 1 FROM articles WHERE id = ?", (probe,)).fetchone():
            continue  # written by an earlier run
        if seconds is not None and time.perf_counter() - started > seconds:
            _recent_index(db, trigger)
            print(f"  stopped before replay {replay} (time limit); run again to resume")
            return 2
        db.execute("BEGIN")
        laps: dict[str, float] = {}
        for table, overrides, order in tables:
            lap = time.perf_counter()
            db.execute(_replay_sql(db, table, overrides, order, suffix, days))
            laps[table] = time.perf_counter() - lap
        lap = time.perf_counter()
        db.execute(f"INSERT INTO articles_fts (id, title, text, outlet) SELECT id || '{suffix}', title, text,"
                   " coalesce(outlet, '') FROM src.articles ORDER BY seq")
        laps["articles_fts"] = time.perf_counter() - lap
        if story_copies > 1:
            lap = time.perf_counter()
            _story_copies(db, suffix, days, story_copies)
            laps["story copies"] = time.perf_counter() - lap
        db.execute(f"INSERT INTO stories_fts (id, headline, body) SELECT id || '{suffix}', headline, body"
                   " FROM src.stories_fts ORDER BY rowid")
        if not replay:  # the rest of the real store, once
            for table in ("outlets", "forecasts", "counters", "fetch_cache", "story_events", "story_splits"):
                db.execute(f"INSERT OR REPLACE INTO main.{table} SELECT * FROM src.{table}")
        db.execute("COMMIT")
        count = db.execute("SELECT max(seq) FROM articles").fetchone()[0]
        slowest = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(laps.items(), key=lambda kv: -kv[1])[:3])
        print(f"  replay {replay:3}: {count:,} articles so far ({time.perf_counter() - started:.0f} s;"
              f" {slowest})", flush=True)
    _recent_index(db, trigger)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    row = db.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM story_summaries"
                     " WHERE live = 1), (SELECT count(*) FROM storylines)").fetchone()
    db.close()
    print(f"  {out}: {row[0]:,} articles, {row[1]:,} live stories, {row[2]:,} storylines,"
          f" {out.stat().st_size / 1e9:.1f} GB in {time.perf_counter() - started:.0f} s; {_load()}")
    return 0


# --- start -----------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def first_answer(db: Path, workers: int) -> tuple[float, float]:
    """Seconds from exec of `newsprism serve` to its printed address, and to its first 200 on /."""
    port = _free_port()
    began = time.perf_counter()
    command = [*CLI, "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        process.stdout.readline()
        printed = time.perf_counter() - began
        while True:
            if process.poll() is not None:
                raise SystemExit(f"serve exited with {process.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as answer:
                    if answer.status == 200:
                        return printed, time.perf_counter() - began
            except OSError:
                time.sleep(0.01)
    finally:
        process.terminate()
        process.wait(20)


def start(dbs: list[Path], workers: list[int], runs: int) -> int:
    print(_load())
    for db in dbs:
        for count in workers:
            times = [first_answer(db, count) for _ in range(runs)]
            printed = statistics.median(t[0] for t in times)
            answered = statistics.median(t[1] for t in times)
            every = ", ".join(f"{t[1]:.2f}" for t in times)
            print(f"{db.name}: --workers {count}: address printed {printed:.2f} s, first 200 on /"
                  f" {answered:.2f} s after exec (median of {runs}; all: {every}); {_load()}", flush=True)
    return 0


# --- pages -----------------------------------------------------------------------------------------

QUERIES = ("trade tariffs", "supreme court nominee", "north korea missile", "president")


def _page_work(db: Path, runs: int) -> dict[str, Callable[[Any, int], object]]:
    """The reads and rendering behind each page of `db`, as calls (reader, i): i picks the story."""
    sys.path.insert(0, str(ROOT / "src"))
    from newsprism.publish.feed import atom_feed
    from newsprism.publish.pages import SearchForm, render_front, render_outlet, render_search, render_story
    from newsprism.publish.prefs import Prefs
    from newsprism.publish.queries import Reader
    from newsprism.publish.render import Links

    links, feed_links = Links(), Links(base="http://127.0.0.1:8000")
    probe = Reader(db)  # applies pending migrations once (a store built by an older version)
    # the largest stories of the real store itself (a replay's ids carry `~r`): the same stories in every
    # store grown from it, so a story page's time compares like with like (the largest of a grown store
    # are the replays of its one largest story)
    ids = [str(r[0]) for r in probe._rows("SELECT story_id FROM story_summaries WHERE live = 1"
                                          " AND story_id NOT LIKE '%~%'"
                                          " ORDER BY sources DESC, story_id LIMIT ?", (runs + 1,))]
    outlet_name = probe._rows("SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet"
                              " ORDER BY count(*) DESC LIMIT 1")[0][0]
    slug = probe.outlet_map()[outlet_name].slug

    def story_page(reader: Reader, i: int) -> None:
        story = reader.story(ids[i % len(ids)])
        assert story is not None
        render_story(reader, story, links, "bench", Prefs())

    def outlet_page(reader: Reader, i: int) -> None:
        outlet = reader.outlet_by_slug(slug)
        assert outlet is not None
        render_outlet(reader, outlet, links, "bench")

    def search(q: str) -> Callable[[Reader, int], object]:
        return lambda reader, i: render_search(reader, SearchForm(q=q), links, "bench")

    return {
        "front page": lambda reader, i: render_front(reader, links, "bench"),
        "story page": story_page,
        "outlet page": outlet_page,
        **{f"search '{q}'": search(q) for q in QUERIES},
        "/feed.xml": lambda reader, i: atom_feed(reader.stories(limit=50), feed_links, "bench"),
        "/api/stories": lambda reader, i: json.dumps([s.to_json() for s in reader.stories(limit=100)]),
    }


def pages(dbs: list[Path], runs: int) -> list[dict[str, tuple[float, float, float, float]]]:
    """Per store, (cold wall, cold CPU, warm wall, warm CPU) in ms per page (CPU: this process's, steadier
    than wall time on a shared machine; wall includes waiting for the disk). Cold: the first call on a
    new Reader (nothing memoised, no story parsed, new connections; the OS page cache as the machine left
    it). Warm: the median of `runs` calls on a Reader that has served the page once (a new story each
    call), the stores interleaved call by call, so a change of load falls on every store alike."""
    from newsprism.publish.queries import Reader
    from newsprism.publish.render import environment

    works = [_page_work(db, runs) for db in dbs]
    env = environment()  # templates compiled first, as `serve` does at start: not a per-page cost
    for template in env.list_templates(filter_func=lambda n: n.endswith(".html")):
        env.get_template(template)
    cold: list[dict[str, tuple[float, float]]] = [{} for _ in dbs]
    warm_readers = []
    for d, (db, work) in enumerate(zip(dbs, works, strict=True)):
        for name, call in work.items():
            began, cpu = time.perf_counter(), time.process_time()
            call(Reader(db, migrate=False), 0)
            cold[d][name] = ((time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000)
        reader = Reader(db, migrate=False)
        for call in work.values():
            call(reader, 0)
        warm_readers.append(reader)
    walls: list[dict[str, list[float]]] = [{name: [] for name in work} for work in works]
    cpus: list[dict[str, list[float]]] = [{name: [] for name in work} for work in works]
    for i in range(runs):
        for name in works[0]:
            for d, work in enumerate(works):
                began, cpu = time.perf_counter(), time.process_time()
                work[name](warm_readers[d], i + 1)
                walls[d][name].append((time.perf_counter() - began) * 1000)
                cpus[d][name].append((time.process_time() - cpu) * 1000)
    return [{name: (*cold[d][name], statistics.median(walls[d][name]), statistics.median(cpus[d][name]))
             for name in works[d]} for d in range(len(dbs))]


def pages_table(dbs: list[Path], runs: int) -> int:
    print(_load())
    counts = []
    for db in dbs:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as conn:
            counts.append(conn.execute("SELECT (SELECT count(*) FROM articles),"
                                       " (SELECT count(*) FROM story_summaries WHERE live = 1)").fetchone())
    columns = list(zip(dbs, counts, pages(dbs, runs), strict=True))
    for db, count, figures in columns:
        print(f"{db}: {count[0]:,} articles, {count[1]:,} stories")
        print(f"  {'page':32} {'cold wall':>10} {'cold CPU':>9} {'warm wall':>10} {'warm CPU':>9}  (ms)")
        for name, (cold, cold_cpu, warm, warm_cpu) in figures.items():
            print(f"  {name:32} {cold:10.1f} {cold_cpu:9.1f} {warm:10.1f} {warm_cpu:9.1f}", flush=True)
    if len(columns) > 1:
        base = columns[0][2]
        print(f"ratio to {columns[0][0].name} (warm CPU; warm wall):")
        for name in base:
            ratios = "  ".join(f"{c[0].name}: {c[2][name][3] / max(base[name][3], 1e-6):.2f}x;"
                               f" {c[2][name][2] / max(base[name][2], 1e-6):.2f}x" for c in columns[1:])
            print(f"  {name:32} {ratios}")
    print(_load())
    return 0


# --- search ----------------------------------------------------------------------------------------

# the uncached search of bench/serve.py: two of these words and a number, a new query each time
WORDS = ("trade", "tariffs", "president", "senate", "court", "election", "climate", "border", "vote",
         "health", "police", "economy", "china", "russia", "budget", "school", "war", "tax", "oil", "jobs")
# Words for queries of two words and no number: a pair of common news words has hits in a 10k store as
# in a 1M one, so the two stores do the same kind of work (rank, read and show a page); the number in
# the queries above makes most of them miss at 10k and hit at 1M, which times showing hits, not lookup.
PAIR_WORDS = (*WORDS, "house", "state", "federal", "judge", "trump", "biden", "congress", "law", "bill",
              "immigration", "military", "security", "workers", "voters", "market", "prices", "crisis",
              "report", "women", "gun")


def search_table(dbs: list[Path], distinct: int, runs: int) -> int:
    """`Reader.search_result` CPU per query, in-process, the stores interleaved query by query (so a
    change of load on this shared machine falls on every store alike): `distinct` new queries (none
    memoised; median, mean, p90, max per store), then each of QUERIES `runs` rounds (median and min per
    store), and each store's ratio to the first. Also how many answers stopped early (budget)."""
    import random

    sys.path.insert(0, str(ROOT / "src"))
    from newsprism.publish.queries import Reader, SearchResult

    print(_load())
    readers = []
    for db in dbs:
        Reader(db)  # applies pending migrations once (a store built by an older version), as `pages` does
        readers.append(Reader(db, migrate=False))
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as conn:
            count = conn.execute("SELECT (SELECT count(*) FROM articles),"
                                 " (SELECT count(*) FROM story_summaries WHERE live = 1)").fetchone()
        print(f"{db}: {count[0]:,} articles, {count[1]:,} stories")
    pick = random.Random(15)
    queries = [f"{pick.choice(WORDS)} {pick.choice(WORDS)} {n}" for n in range(distinct + 20)]
    pairs = [f"{a} {b}" for a, b in pick.sample([(a, b) for i, a in enumerate(PAIR_WORDS)
                                                   for b in PAIR_WORDS[i + 1:]], distinct)]

    def cpu_ms(reader: Reader, q: str) -> tuple[float, SearchResult]:
        began = time.process_time()
        result = reader.search_result(q)
        return (time.process_time() - began) * 1000, result

    for q in queries[:20]:  # first reads of the outlet map and of the indexes' pages
        for reader in readers:
            cpu_ms(reader, q)
    for title, batch in ((f"{distinct} distinct queries of two words and a number", queries[20:]),
                         (f"{distinct} distinct pairs of common words", pairs)):
        times: list[list[float]] = [[] for _ in dbs]
        partial = [0 for _ in dbs]
        shown = [0 for _ in dbs]
        for q in batch:
            for i, reader in enumerate(readers):
                took, result = cpu_ms(reader, q)
                times[i].append(took)
                partial[i] += not result.complete
                shown[i] += len(result.hits)
        print(f"{title}, CPU ms: median · mean · p90 · max; stopped early (budget); hits shown a query")
        for db, cpus, stopped, hit in zip(dbs, times, partial, shown, strict=True):
            cpus.sort()
            print(f"  {db.name:20} {statistics.median(cpus):6.2f} · {statistics.fmean(cpus):6.2f} ·"
                  f" {cpus[int(len(cpus) * 0.9)]:6.2f} · {cpus[-1]:6.2f}; {stopped}; {hit / len(batch):.1f}",
                  flush=True)
    fixed: dict[str, list[list[float]]] = {q: [[] for _ in dbs] for q in QUERIES}
    for _ in range(runs):
        for q in QUERIES:
            for i, reader in enumerate(readers):
                fixed[q][i].append(cpu_ms(reader, q)[0])
    print(f"fixed queries, CPU ms: median / min of {runs} rounds; ratio of medians to {dbs[0].name}")
    for q in QUERIES:
        medians = [statistics.median(t) for t in fixed[q]]
        cells = "  ".join(f"{db.name}: {m:6.2f} / {min(t):6.2f} ({m / max(medians[0], 1e-6):.2f}x)"
                          for db, m, t in zip(dbs, medians, fixed[q], strict=True))
        print(f"  {q!r:24} {cells}", flush=True)
    hits = [readers[-1].search_result(q) for q in QUERIES]
    print("  hits in the last store: " + "; ".join(
        f"{q!r} {sum(h.kind == 'story' for h in r.hits)} stories, {sum(h.kind == 'article' for h in r.hits)}"
        f" articles" for q, r in zip(QUERIES, hits, strict=True)))
    print(_load())
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("real", help="a really built store of the N newest AllSides articles")
    r.add_argument("--articles", type=int, default=10_000)
    r.add_argument("--out", type=Path, required=True)
    r.add_argument("--data", type=Path, default=DATA)
    r.add_argument("--build-seconds", type=float, default=None,
                   help="stop the build after this long (it commits as it goes; run again to resume)")
    r.add_argument("--analyses-from", type=Path, default=None,
                   help="copy the analyses of the same articles from this analysed store")
    g = sub.add_parser("grow", help="a larger store replayed at SQL level from a real one")
    g.add_argument("--source", type=Path, required=True)
    g.add_argument("--articles", type=int, required=True)
    g.add_argument("--out", type=Path, required=True)
    g.add_argument("--build-tables", action="store_true",
                   help="also replay minhashes and embeddings, so a later `build` can add to the store")
    g.add_argument("--seconds", type=float, default=None, help="start no replay after this long")
    g.add_argument("--story-copies", type=int, default=1,
                   help="write each replay's stories this many times (a store with many more stories)")
    pg = sub.add_parser("pages", help="query + render time of each page, cold and warm")
    pg.add_argument("--db", type=Path, action="append", required=True)
    pg.add_argument("--runs", type=int, default=15)
    st = sub.add_parser("start", help="`newsprism serve`: process start to first answer")
    st.add_argument("--db", type=Path, action="append", required=True)
    st.add_argument("--workers", default="1,2")
    st.add_argument("--runs", type=int, default=5)
    se = sub.add_parser("search", help="search CPU per query: new queries, then the fixed ones")
    se.add_argument("--db", type=Path, action="append", required=True)
    se.add_argument("--distinct", type=int, default=180)
    se.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if args.command == "real":
        return real(args.out, args.articles, args.data, args.build_seconds, args.analyses_from)
    if args.command == "grow":
        return grow(args.source, args.out, args.articles, args.build_tables, args.seconds, args.story_copies)
    if args.command == "pages":
        return pages_table(args.db, args.runs)
    if args.command == "search":
        return search_table(args.db, args.distinct, args.runs)
    if args.command == "start":
        return start(args.db, [int(w) for w in args.workers.split(",")], args.runs)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
