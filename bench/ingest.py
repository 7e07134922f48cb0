"""Ingest benchmark: JSONL with exact and near-duplicate linking, at 1k, 10k and all 37,554 articles.

Prints articles/s, peak memory (tracemalloc: Python allocations) and store size for each subset.
Usage: .venv/bin/python bench/ingest.py [PATH/articles.jsonl.gz]
"""

from __future__ import annotations

import gzip
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from newsprism.ingest import ingest_paths
from newsprism.settings import Settings
from newsprism.store import Store

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides-articles" / "articles.jsonl.gz"


def run(lines: list[bytes], label: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{label}.jsonl"
        source.write_bytes(b"".join(lines))
        db = Path(tmp) / "bench.db"
        settings = Settings(db=db)
        tracemalloc.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        with Store(db) as store:
            report = ingest_paths([source], store, settings, progress=False)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*"))
        rate = len(lines) / elapsed
        # CPU-time rate too: the machine is shared, so wall time depends on other jobs.
        print(f"{label:>6}: {len(lines):6d} records in {elapsed:7.1f} s = {rate:6.0f} articles/s"
              f" ({len(lines) / cpu:.0f}/s of CPU time);"
              f" ingested {report.ingested}, duplicates {report.duplicates},"
              f" near-duplicates {report.near_duplicates}, rejected {len(report.rejected)};"
              f" peak Python memory {peak / 1e6:.0f} MB; store {size / 1e6:.1f} MB", flush=True)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.exists():
        sys.exit(f"benchmark data not found: {path}")
    with gzip.open(path, "rb") as handle:
        lines = [line for line in handle if line.strip()]
    for n, label in ((1_000, "1k"), (10_000, "10k"), (len(lines), "all")):
        run(lines[:n], label)
    print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    main()
