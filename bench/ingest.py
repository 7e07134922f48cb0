"""Ingest benchmark: JSONL with exact and near-duplicate linking, at 1k, 10k and all 37,554 articles.

Prints articles/s (wall, and per CPU second of the ingest and its helper process: the machine is
shared), peak memory (max RSS; each subset runs in its
own process, since tracemalloc would slow the run several-fold) and store size.
Usage: .venv/bin/python bench/ingest.py [PATH/articles.jsonl.gz]
"""

from __future__ import annotations

import gzip
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsprism.ingest import ingest_paths
from newsprism.settings import Settings
from newsprism.store import Store

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides-articles" / "articles.jsonl.gz"


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the ingest's helper process)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run_one(path: Path, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = path  # all of it: the .jsonl.gz itself, streamed
        if n < 10**9:
            source = Path(tmp) / "subset.jsonl"
            with gzip.open(path, "rb") as handle, open(source, "wb") as out:
                out.writelines(line for _, line in zip(range(n), handle, strict=False))
        db = Path(tmp) / "bench.db"
        settings = Settings(db=db)  # JSON lines are streamed: the size limit applies per record
        started, cpu_started, main_started = time.perf_counter(), _cpu(), time.process_time()
        with Store(db) as store:
            report = ingest_paths([source], store, settings, progress=False)
        elapsed, cpu = time.perf_counter() - started, _cpu() - cpu_started
        main_cpu = time.process_time() - main_started
        size = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*"))
    records = report.ingested + report.duplicates + len(report.rejected)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    helper_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3
    print(f"{records:6d} records in {elapsed:7.1f} s = {records / elapsed:5.0f} articles/s"
          f" ({records / cpu:.0f}/s of CPU time, {main_cpu:.0f} of {cpu:.0f} CPU s in the writer);"
          f" ingested {report.ingested}, duplicates {report.duplicates}, near-duplicates"
          f" {report.near_duplicates}, rejected {len(report.rejected)}; peak RSS {peak:.0f} MB"
          f" (helper {helper_peak:.0f} MB); store {size / 1e6:.1f} MB", flush=True)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        run_one(Path(sys.argv[3]), int(sys.argv[2]))
        return
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.exists():
        sys.exit(f"benchmark data not found: {path}")
    for n in (1_000, 10_000, 10**9):
        subprocess.run([sys.executable, __file__, "--one", str(n), str(path)], check=True)


if __name__ == "__main__":
    main()
