"""Archive benchmark: a store filled to 10k / 100k articles, then `build`, with ingest and build times.

The AllSides corpus (37,554 real articles) is replayed to reach the size: copy k of an article gets its
date shifted by k × 400 days (kept inside 1990 … today, wrapping back) and its id, title and first
sentence tagged with k, so copies are new articles to the store, not duplicates. Said so in the output.
Each size runs `newsprism ingest` and `newsprism build` as real subprocesses on a fresh store.
Usage: .venv/bin/python bench/archive.py [SIZE ...] [--data PATH/articles.jsonl.gz]   (default: 10000)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides-articles" / "articles.jsonl.gz"
CLI = [sys.executable, "-c", "from newsprism.cli import main; main()"]


def replay(source: Path, size: int, out: Path) -> int:
    """Writes `size` records to `out`: the corpus, then shifted copies of it. Returns copies made."""
    first, last = date(1995, 1, 1), date.today() - timedelta(days=1)
    span = (last - first).days
    written = copy = 0
    with open(out, "w", encoding="utf-8") as handle:
        while written < size:
            with gzip.open(source, "rt", encoding="utf-8") as lines:
                for line in lines:
                    if written >= size:
                        break
                    record = json.loads(line)
                    if copy:
                        try:
                            day = date.fromisoformat(str(record.get("date", ""))[:10])
                        except ValueError:
                            day = first
                        shifted = first + timedelta(days=((day - first).days + copy * 400) % span)
                        record["date"] = shifted.isoformat()
                        record["id"] = f"{record.get('id')}-r{copy}"
                        record["title"] = f"{record.get('title', '')} (replay {copy})"
                        record["text"] = f"Replay {copy}. {record.get('text', '')}"
                    handle.write(json.dumps(record) + "\n")
                    written += 1
            copy += 1
    return copy - 1


def timed(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr[-3000:])
    return time.perf_counter() - start, done.stdout.strip().splitlines()[0] if done.stdout else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"no corpus at {args.data}")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            records, db = Path(tmp) / "replay.jsonl", Path(tmp) / "archive.db"
            copies = replay(args.data, size, records)
            print(f"{size:,} articles: the AllSides corpus replayed with {copies} shifted copies "
                  "(dates +400 days each, ids and titles tagged) — synthetic growth, not new news")
            ingest_s, said = timed(["ingest", str(records), "--db", str(db), "-q"])
            print(f"  ingest {ingest_s:8.1f} s  ({size / ingest_s:,.0f} articles/s)  {said}")
            build_s, said = timed(["build", "--db", str(db), "--quiet"])
            print(f"  build  {build_s:8.1f} s  {said}")
            print(f"  store  {db.stat().st_size / 1e6:,.0f} MB; load now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
