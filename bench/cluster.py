"""Throughput of analysis and clustering on AllSides articles (37,554), at 1k, 10k and all.

Usage: python bench/cluster.py [--data ../shared/data] [--sizes 1000,10000,37554]
Prints articles/s for analysis (sentences, NER on title+lead, dates, quantities, title+lead vectors)
and for clustering separately (wall and process CPU seconds; analysis uses up to 2 threads), and the peak
resident memory. The machine is shared: note the load.
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


def _cpu() -> float:
    # process CPU time (all threads): on a shared machine wall time mostly measures the neighbours
    return time.process_time()


def run(articles: list[Article]) -> tuple[float, float, float, float]:
    """(analysis wall s, analysis CPU s, clustering wall s, clustering CPU s)."""
    settings = Settings()
    with Store() as store:
        with store.transaction():
            for article in articles:
                store.add_article(article)
        start, cpu = time.perf_counter(), _cpu()
        analyse_pending(store, settings, progress=False)
        analysis, analysis_cpu = time.perf_counter() - start, _cpu() - cpu
        start, cpu = time.perf_counter(), _cpu()
        cluster_pending(store, settings, progress=False)
        clustering, clustering_cpu = time.perf_counter() - start, _cpu() - cpu
    return analysis, analysis_cpu, clustering, clustering_cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    shared = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=shared)
    parser.add_argument("--sizes", default="1000,10000,37554")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    articles = load(args.data / "allsides-articles" / "articles.jsonl.gz", max(sizes))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine)")
    print(f"{'articles':>9} {'analysis s':>11} {'cpu s':>7} {'art/s':>7} {'art/cpu-s':>9} {'cluster s':>10}"
          f" {'cpu s':>7} {'art/s':>7} {'art/cpu-s':>9} {'load':>5}")
    for n in sizes:
        subset = articles[:n]
        analysis, analysis_cpu, clustering, clustering_cpu = run(subset)
        n = len(subset)
        print(f"{n:9d} {analysis:11.1f} {analysis_cpu:7.1f} {n / analysis:7.1f} {n / analysis_cpu:9.1f}"
              f" {clustering:10.1f} {clustering_cpu:7.1f} {n / clustering:7.1f} {n / clustering_cpu:9.1f}"
              f" {os.getloadavg()[0]:5.1f}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
