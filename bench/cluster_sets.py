"""Clustering throughput on the evaluation sets, analysis excluded: `cluster_pending` (assignment, the
second pass, splits) on a store seeded from the per-set caches of `evaluation/vector_cache.py`.

Usage: python bench/cluster_sets.py CACHE_DIR SET [SET ...]  (e.g. /work/cache/clust neus-train)
Prints articles per wall second and per process CPU-second, and how many stories the second pass merged and
the split step cut. The machine is shared: note the load (`uptime`).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import newsprism.analyse  # noqa: F401  (loads onnxruntime first; see analyse/__init__)
from newsprism.cluster import cluster_pending
from newsprism.evaluation.cluster_grains import SETS
from newsprism.evaluation.paths import data_root
from newsprism.evaluation.vector_cache import seed_store
from newsprism.settings import Settings
from newsprism.store import Store


def main(cache: Path, names: list[str]) -> None:
    settings = Settings()
    print(f"load {os.getloadavg()[0]:.2f}")
    for name in names:
        data = SETS[name][0](data_root())
        with Store() as store:
            for article in data.articles:
                store.add_article(article)
            seed_store(store, data, settings.cluster_embedder, cache)
            cpu, wall = time.process_time(), time.perf_counter()
            report = cluster_pending(store, settings, progress=False)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        n = len(data.articles)
        print(f"{name}: {n} articles in {wall:.1f} s wall, {cpu:.1f} CPU-s: {n / wall:.0f} articles/s,"
              f" {n / cpu:.0f} per CPU-second; second pass merged {report.joined}, splits {report.split}")
    print(f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2:])
