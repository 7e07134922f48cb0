"""The whole pipeline (ingest → analyse → cluster → storylines → compose → site) at archive sizes.

Usage: python bench/build.py [--data ../shared/data] [--sizes 1000,10000,37554] [--keep DIR]
                             [--until storylines]

Input: N AllSides articles (`allsides-articles/articles.jsonl.gz`), sorted by date, written as one JSONL
file and ingested through the real readers. The file is not in time order, so by default the first N rows
span the whole corpus's years: a smaller size is the same archive at lower density (fewer outlets), and
per-article clustering cost can grow with density alone. `--earliest` takes instead the N earliest by
date (with the corpus's share of undated rows): a prefix of the archive's timeline, the same density
at every size, so a per-article cost that grows with N there is the code's.

Each size runs in its own subprocess so that peak memory is that size's. Per stage it prints wall and
process CPU seconds, the peak resident memory after the stage, and the SQL statements the stage sent to
the store (`sqlite3` trace callback): compose's statements per composed story show whether reads are
batched, and a cost that grows linearly with N shows that nothing is recomputed. It also counts, per
stage, the articles decoded from the store (`Article.from_json`) and the clustering features built (rows
of `features_of`): with one working set per build, cluster and storylines decode each article once
instead of once per pass.

`--keep DIR` keeps each size's store after analysis in DIR (`build-N.db`) and, when it is there, starts
from a copy of it, so a long size runs in pieces under the heavy-run lock and two versions of the later
stages can be compared on the same analysed store; `--until storylines` stops before compose. The
machine is shared: the load is printed with the figures.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsprism.cluster import ArticleFeatures


def _day(value: str | None) -> str:
    """ISO `YYYY-MM-DD` of the corpus's two spellings (ISO, and 37 rows of US `M/D/YY`); '' if undated."""
    if value and "/" in value:
        m, d, y = (int(p) for p in value.split("/"))
        return f"{2000 + y:04d}-{m:02d}-{d:02d}"
    return value or ""


def _write_input(data: Path, size: int, out: Path, earliest: bool = False) -> int:
    rows = []
    with gzip.open(data / "allsides-articles" / "articles.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            rows.append({"title": row["title"], "text": row["text"], "outlet": row["source"],
                         "url": row.get("url"), "published": row.get("date") or None})
            if len(rows) >= size and not earliest:
                break
    if earliest:
        dated = sorted((r for r in rows if _day(r["published"])), key=lambda r: _day(r["published"]))
        undated = [r for r in rows if not _day(r["published"])]
        # the undated in the corpus's own share, first in file order
        keep_undated = round(size * len(undated) / max(1, len(rows)))
        rows = undated[:keep_undated] + dated[: size - keep_undated]
    rows.sort(key=lambda r: _day(r["published"]))  # a desk receives news in time order
    with open(out, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


def _measure(name: str, counter: list[int], step: Callable[[], Any]) -> tuple[str, Any, dict[str, float]]:
    counter[0] = 0
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    figures = {
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "queries": counter[0],
    }
    return name, result, figures


def _count_records(counters: dict[str, int]) -> None:
    """Counts decoded articles and built clustering features (bench-only instrumentation)."""
    from newsprism.types import Article

    decode = Article.from_json.__func__  # type: ignore[attr-defined]

    def from_json(cls: type[Article], data: dict[str, Any]) -> Article:
        counters["decoded"] += 1
        return decode(cls, data)  # type: ignore[no-any-return]

    Article.from_json = classmethod(from_json)  # type: ignore[method-assign,assignment]

    # features_of is imported by name where it is used: count it in each module that holds it
    for name in ("newsprism.cluster._pending", "newsprism.cluster._working"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "features_of"):
            _count_rows(module, counters)


def _count_rows(module: Any, counters: dict[str, int]) -> None:
    build = module.features_of

    def features_of(articles: Any, *args: Any) -> list[ArticleFeatures]:
        counters["features"] += len(articles)
        return build(articles, *args)  # type: ignore[no-any-return]

    module.features_of = features_of


def run_one(data: Path, size: int, keep: Path | None = None, until: str = "site",
            earliest: bool = False) -> dict[str, Any]:
    """One size, in this process: the figures of each stage."""
    from newsprism.analyse import analyse_pending
    from newsprism.cluster import cluster_pending, link_storylines
    from newsprism.compose.pending import compose_pending
    from newsprism.ingest import ingest_paths
    from newsprism.publish import export_site
    from newsprism.publish.queries import Reader
    from newsprism.settings import Settings
    from newsprism.store import Store

    try:  # the build's working set (absent before it existed: then each pass reads for itself)
        from newsprism.cluster import WorkingSet
    except ImportError:
        WorkingSet = None

    records = {"decoded": 0, "features": 0}
    _count_records(records)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        count = _write_input(data, size, folder / "articles.jsonl", earliest)
        name = f"build-{size}{'-earliest' if earliest else ''}"
        kept = keep / f"{name}.db" if keep is not None else None
        resumed = kept is not None and kept.exists()
        # until it is kept, a kept size works in the folder itself: ingest and analysis resume, so a size
        # too long for one run finishes over several (their figures then add up)
        partial = keep / f"{name}.partial.db" if keep is not None and not resumed else None
        settings = Settings().with_values({"db": partial or folder / "bench.db"})
        if resumed:
            shutil.copyfile(kept, settings.db)  # type: ignore[arg-type]
        counter = [0]

        def count_statement(sql: str) -> None:
            if not sql.startswith("--"):  # "-- ..." are SQLite's own statements inside FTS5 and triggers
                counter[0] += 1

        stages = []
        with Store(settings.db) as store:
            working = WorkingSet(store, settings.cluster_embedder) if WorkingSet is not None else None
            extra = {"working": working} if working is not None else {}
            store.connection.set_trace_callback(count_statement)
            steps: list[tuple[str, Callable[[], Any]]] = [
                ("ingest", lambda: ingest_paths([folder / "articles.jsonl"], store, settings,
                                                progress=False)),
                ("analyse", lambda: analyse_pending(store, settings, progress=False)),
                ("cluster", lambda: cluster_pending(store, settings, progress=False, **extra)),
                ("storylines", lambda: link_storylines(store, settings, **extra)),
                ("compose", lambda: compose_pending(store, settings, progress=False)),
            ]
            for name, step in steps:
                if resumed and name in ("ingest", "analyse"):
                    continue
                before = dict(records)
                stages.append(_measure(name, counter, step))
                stages[-1][2].update({k: records[k] - before[k] for k in records})
                if kept is not None and not resumed and name == "analyse":
                    store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    shutil.copyfile(settings.db, kept)
                if name == until:
                    break
        if until == "site":
            reader = Reader(settings.db)
            reader.db.set_trace_callback(count_statement)  # this thread's connection: the export runs here
            before = dict(records)
            stages.append(_measure("site", counter, lambda: export_site(reader, folder / "site")))
            stages[-1][2].update({k: records[k] - before[k] for k in records})
        by_name = {name: (result, figures) for name, result, figures in stages}
        composed = by_name["compose"][0] if "compose" in by_name else 0
        return {
            "articles": count,
            "stories_composed": composed,
            "compose_queries_per_story": by_name["compose"][1]["queries"] / max(1, composed)
            if "compose" in by_name else 0.0,
            "stages": {name: figures for name, (_, figures) in by_name.items()},
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sizes", default="1000,10000,37554")
    parser.add_argument("--keep", type=Path, help="keep/reuse each size's analysed store in this folder")
    parser.add_argument("--until", default="site",
                        choices=["analyse", "cluster", "storylines", "compose", "site"])
    parser.add_argument("--earliest", action="store_true",
                        help="the N earliest by date (a prefix of the timeline), not the first N rows")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process of one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.data, args.one, args.keep, args.until, args.earliest)))
        return
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} on {os.cpu_count()} cores")
    for size in (int(s) for s in args.sizes.split(",")):
        child = [sys.executable, __file__, "--data", str(args.data), "--one", str(size),
                 "--until", args.until]
        if args.keep is not None:
            child += ["--keep", str(args.keep)]
        if args.earliest:
            child.append("--earliest")
        out = subprocess.run(child, capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        n = result["articles"]
        print(f"\n{n} articles, {result['stories_composed']} stories composed, "
              f"{result['compose_queries_per_story']:.1f} store queries per composed story")
        print(f"{'stage':12}{'wall s':>9}{'CPU s':>9}{'ms/article':>12}{'peak MB':>9}{'queries':>10}"
              f"{'decoded':>9}{'features':>9}")
        for name, f in result["stages"].items():
            print(f"{name:12}{f['wall_s']:9.1f}{f['cpu_s']:9.1f}{1000 * f['cpu_s'] / n:12.2f}"
                  f"{f['peak_rss_mb']:9.0f}{f['queries']:10d}{f['decoded']:9d}{f['features']:9d}")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
