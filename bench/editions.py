"""Day pages, the archive and retention as the store grows.

    python bench/editions.py --articles 20000 --db /work/cache/editions/allsides-20k.db

Fills a store with `bench/serve.py fill` (replayed AllSides articles grouped into stand-in stories, see
its docstring; the 0014_editions triggers keep the day tables as it writes), unless `--db` exists, then
times in-process (median of 20): a day page's reads (`Reader.day` on the busiest day and on a quiet one),
the archive (`Reader.archive`), and the previous/next lookups; then a `prune --dry-run` and a real
prune of the older half of the days, on a copy, with its counts and articles per second, and the
rerun (a no-op). Prints the load average: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def _median_ms(call: Callable[[], object], runs: int = 20) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args()
    if not args.db.exists():
        from serve import DATA, fill

        fill(args.db, args.articles, DATA)

    from newsprism.publish import Reader
    from newsprism.retention import prune
    from newsprism.store import Store

    Store(args.db).close()  # migrates a store filled before 0014_editions
    reader = Reader(args.db)
    days = reader.days()
    busiest = max(days, key=lambda d: d[1])[0]
    quiet = min(days, key=lambda d: d[1])[0]
    with Store(args.db) as store:
        articles = store.article_count()
    print(f"{args.db.name}: {articles} articles, {len(days)} days, busiest {busiest} "
          f"({dict(days)[busiest]} stories); load average {os.getloadavg()[0]:.1f}")
    print(f"  day page reads, busiest day: {_median_ms(lambda: reader.day(busiest)):.2f} ms")
    print(f"  day page reads, quiet day:   {_median_ms(lambda: reader.day(quiet)):.2f} ms")
    print(f"  archive:                     {_median_ms(reader.archive):.2f} ms")
    cut = sorted(d for d, _ in days)[len(days) // 2]
    copy = args.db.with_name(args.db.stem + "-pruned.db")
    shutil.copy(args.db, copy)
    with Store(copy) as store:
        for dry in (True, False, False):
            start = time.perf_counter()
            report = prune(store, cut, dry_run=dry)
            seconds = time.perf_counter() - start
            rate = report.count("articles") / seconds if seconds else 0.0
            print(f"  prune{' --dry-run' if dry else ''} before {cut}: {seconds:.1f} s "
                  f"({rate:.0f} articles/s): {report.summary()}")
    copy.unlink()
    print(f"  load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
