"""Throughput of analysis and clustering on AllSides articles (37,554), at 1k, 10k and all.

Usage: python bench/cluster.py [--data ../shared/data] [--sizes 1000,10000,37554]
Prints articles/s for analysis (sentences, NER on title+lead, dates, quantities, title+lead vectors)
and for clustering separately, and the peak resident memory. The machine is shared: note the load.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import time
from pathlib import Path

import newsprism.analyse  # noqa: F401  (loads onnxruntime first; see analyse/__init__)
from newsprism.analyse import analyse_pending
from newsprism.cluster import cluster_pending
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Article, content_id


def load(path: Path, n: int) -> list[Article]:
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            text = row["text"]
            out.append(Article(id=content_id(row["title"], text), title=row["title"], text=text,
                               outlet=row["source"], published=row.get("date") or None, url=row.get("url")))
            if len(out) >= n:
                break
    # a desk receives news in time order
    return sorted(out, key=lambda a: a.published or "")


def run(articles: list[Article]) -> tuple[float, float]:
    settings = Settings()
    with Store() as store:
        with store.transaction():
            for article in articles:
                store.add_article(article)
        start = time.perf_counter()
        analyse_pending(store, settings, progress=False)
        analysis = time.perf_counter() - start
        start = time.perf_counter()
        cluster_pending(store, settings, progress=False)
        clustering = time.perf_counter() - start
    return analysis, clustering


def main() -> None:
    parser = argparse.ArgumentParser()
    shared = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=shared)
    parser.add_argument("--sizes", default="1000,10000,37554")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    articles = load(args.data / "allsides-articles" / "articles.jsonl.gz", max(sizes))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine)")
    print(f"{'articles':>9} {'analysis s':>11} {'art/s':>7} {'cluster s':>10} {'art/s':>7}")
    for n in sizes:
        subset = articles[:n]
        analysis, clustering = run(subset)
        print(f"{len(subset):9d} {analysis:11.1f} {len(subset) / analysis:7.1f} {clustering:10.1f}"
              f" {len(subset) / clustering:7.1f}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
