"""The archive at 10k, 100k and 1M articles: page query and render times, and the server's first answer.

    python bench/archive.py real --articles 10000 --out /work/cache/scale/real-10k.db
    python bench/archive.py grow --source /work/cache/scale/real-10k.db --articles 100000 --out STORE
    python bench/archive.py pages --db STORE [--db STORE ...]
    python bench/archive.py start --db STORE [--workers 1]

`real` is a real store: the newest N dated AllSides articles (../shared/data/allsides-articles) through
`newsprism ingest` and `newsprism build` as subprocesses (analysis, clustering, storylines, the composer).
`build` commits as it goes, so `--build-seconds` lets one run stop and the next one resume it.

`grow` makes a larger store from a real one WITHOUT building it: the pipeline cannot build 1M articles on
2 cores in an evening. It copies the real store, then replays its rows at SQL level (INSERT … SELECT from
the attached original) until the store holds N articles: replay r gives every article, story and
storyline a new id (suffix `~r`) and moves every date r·REPLAY_DAYS days back in time, so the archive grows
into the past and the newest replay (the real store itself) stays the front page. Replayed: articles
(their `data` JSON re-dated), sightings, analyses, article embeddings, story_articles, stories (their
composed JSON re-dated and re-keyed: story id, storyline, article ids), storylines, the FTS indexes of
articles and stories (re-indexed by FTS5, not copied). `story_summaries` is filled by its own triggers, as
on any write. The output says so.

`pages` times, per store, the reads and the rendering behind each page in-process, cold (a new Reader:
nothing memoised, first read of each page) and warm (median of repeated calls, a different story / query
where the page varies): front page, a story page, an outlet page, search, /feed.xml and /api/stories.

`start` times `newsprism serve` from process start to its printed address and to its first 200 on /.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
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
                date.fromisoformat(day[:10])
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
    tail = (done.stdout.strip().splitlines() or [""])[-1] if done.returncode == 0 else done.stderr[-2000:]
    return time.perf_counter() - start, done.returncode, tail


def real(out: Path, articles: int, data: Path, build_seconds: float | None) -> int:
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
    seconds, code, said = _run(["build", "--db", str(out), "--quiet"], build_seconds)
    print(f"  build  {seconds:7.1f} s exit {code}: {said}")
    with sqlite3.connect(out) as db:
        counts = db.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM story_summaries"
                            " WHERE live = 1), (SELECT count(*) FROM storylines), (SELECT count(*) FROM"
                            " articles WHERE id NOT IN (SELECT article_id FROM analyses))").fetchone()
    print(f"  store {out}: {counts[0]:,} articles, {counts[1]:,} composed stories, {counts[2]:,} storylines,"
          f" {counts[3]:,} not analysed yet; {out.stat().st_size / 1e6:,.0f} MB; {_load()}")
    return 0 if code == 0 else 2


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("real", help="a really built store of the N newest AllSides articles")
    r.add_argument("--articles", type=int, default=10_000)
    r.add_argument("--out", type=Path, required=True)
    r.add_argument("--data", type=Path, default=DATA)
    r.add_argument("--build-seconds", type=float, default=None,
                   help="stop the build after this long (it commits as it goes; run again to resume)")
    args = parser.parse_args()
    if args.command == "real":
        return real(args.out, args.articles, args.data, args.build_seconds)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
