"""Batch benchmark: the AllSides corpus (37,554 articles) through `newsprism batch` with the local runner
and with Spark `local[2]`, then the agreement of their stories.

Each run is a child process (`newsprism batch ...`); its peak memory is the largest summed RSS of its
whole process tree (driver, JVM and Python workers), sampled from /proc every 0.2 s.
Usage: .venv/bin/python bench/batch.py [--limit N] [--input PATH/articles.jsonl.gz] [--runners local,spark]
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "allsides-articles" / "articles.jsonl.gz"
sys.path.insert(0, str(ROOT / "tests" / "data" / "batch"))


def _tree_rss(pid: int) -> int:
    """Summed resident memory (bytes) of `pid` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue  # a process that ended while we looked
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total


def run(runner: str, source: Path, out: Path, workers: int, code: Path) -> tuple[float, int, str]:
    """Wall seconds, peak tree RSS and the command's summary line of one `newsprism batch` run."""
    command = [str(ROOT / ".venv" / "bin" / "newsprism"), "batch", str(source), "--out", str(out),
               "--runner", runner, "--workers", str(workers)]
    started = time.perf_counter()
    # a fixed hash seed: storyline linking breaks ties in set order, which differs per process otherwise
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0"}
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(child.pid))
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    output, errors = child.communicate()
    if child.returncode != 0:
        raise SystemExit(f"{runner} failed:\n{errors[-3000:]}")
    return elapsed, peak, output.strip()


def memberships(result: Path) -> dict[str, str]:
    rows = pq.read_table(result / "story_articles.parquet").to_pylist()
    return {str(r["article_id"]): str(r["story_id"]) for r in rows}


def agreement(a: Path, b: Path) -> float:
    """B³-F1 of the stories of result `b` against those of result `a` (over the articles of both)."""
    from newsprism.evaluation.metrics import score_clustering

    left, right = memberships(a), memberships(b)
    ids = sorted(set(left) | set(right))
    # an article missing from one side counts as a singleton story there, which lowers the score
    return score_clustering([left.get(i, "only:" + i) for i in ids],
                            [right.get(i, "only:" + i) for i in ids]).b3_f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=0, help="first N articles only (0: all)")
    parser.add_argument("--runners", default="local,spark")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--multiling", action="store_true", help="also the 100 MultiLing articles")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsprism-bench-") as tmp:
        work = Path(tmp)
        # both runs use one snapshot of the code (PYTHONPATH, inherited by Spark's workers): in a checkout
        # that others edit while the benchmark runs, the two runners would otherwise run different code
        shutil.copytree(ROOT / "src" / "newsprism", work / "code" / "newsprism")
        corpora: list[tuple[str, Path, int]] = []
        if args.multiling:
            from corpus import write_multiling_jsonl

            count = write_multiling_jsonl(work / "multiling.jsonl")
            corpora.append(("multiling2011", work / "multiling.jsonl", count))
        # plain JSONL, not .gz: a gzip file is one split, and Spark could not spread it over cores
        source = work / "allsides.jsonl"
        with gzip.open(args.input, "rb") as lines, source.open("wb") as sink:
            count = 0
            for line in lines:
                if args.limit and count >= args.limit:
                    break
                sink.write(line)
                count += 1
        corpora.append(("allsides", source, count))
        for name, path, count in corpora:
            results = {}
            for runner in args.runners.split(","):
                workers = args.workers if runner == "spark" else 1
                out = work / f"{name}-{runner}"
                elapsed, peak, summary = run(runner, path, out, workers, work / "code")
                results[runner] = out
                rate = count / elapsed
                print(f"{name} {runner:5s}: {count} input articles in {elapsed:7.1f}s = {rate:6.1f}"
                      f" articles/s, peak memory {peak / 2**20:6.0f} MiB  [{summary}]", flush=True)
            if len(results) == 2:
                a, b = results.values()
                score = agreement(a, b)
                print(f"{name} agreement (B³-F1 of the stories, local vs spark): {score:.4f}", flush=True)


if __name__ == "__main__":
    main()
