"""The live site under load, from `wrk`; and under load while `newsprism build` writes to its store.

    python bench/serve.py load [--db STORE] [--workers 1,2] [--clients 50,200] [--seconds 10]
    python bench/serve.py during-build --db STORE --add NEW.jsonl [--workers 1,2] [--clients 50]

Stores of 10k / 100k / 1M articles, and the query times and first answer at each size:
bench/archive.py.

`load` starts `newsprism serve --workers N` on 127.0.0.1, waits for its first answer (printed), and drives
each endpoint with wrk (a compiled load generator; Debian: `apt-get install -y wrk`) for `--seconds` at
each client count, sending `Accept-Encoding: gzip` as browsers do; "search (distinct)" sends a new query
each time (a wrk Lua script), so none comes from the cache. Server CPU per response is the server
processes' CPU time (/proc, parent and workers) over the responses wrk counted. wrk shares the machine's
cores with the server; note the load average printed. Without --db it uses the publish test fixture
store (4 stories).

`during-build` copies STORE once (so the cached store stays as it was), starts `serve` on the copy, then runs
`newsprism ingest NEW.jsonl` and `newsprism build` on it (real subprocesses, the same file) while wrk
drives the front page, a story page, the story API, search and the feed in turn, `--seconds` each,
until the build has finished; per endpoint it prints requests, errors (non-2xx/3xx, socket errors,
timeouts) and the slowest answer. Targets (#16): 0 errors, no request over 1 s at 50 clients.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "from newsprism.cli import main; main()"]


# --- load ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fixture_store(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT / "src"))
    from test_publish_fixture import build_store  # the same store the tests use

    built: Path = build_store(folder / "bench.db")
    return built


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of `pid` and its descendants, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += cpu.get(current, 0.0)
        todo += [child for child, parent in parents.items() if parent == current]
    return total


# "search (distinct)": every request a different query (two words of this list and a number), so none
# is answered from the cache. Each wrk thread has its own Lua state with the same unseeded random
# sequence and counter, so the threads (at most 2, see `_wrk`) take the odd and the even numbers: before
# (sessions 11-15) both sent the same queries, and one the other thread had sent was often answered from
# the cache. The numbers stay small as before (a small number is in many articles: the same work).
# It also counts the answers a busy server cut short (`X-Search-Busy`) and prints "busy B of N".
# Each run seeds the word choice with its own number (RUN, from `_wrk`): unseeded, every round of
# `during-build` sent the first round's queries again, and from the second round on they were answered
# from the cache (sessions 20-21 "distinct" figures during a build are partly cache hits after round 1).
_DISTINCT = """
words = {"trade", "tariffs", "president", "senate", "court", "election", "climate", "border", "vote",
         "health", "police", "economy", "china", "russia", "budget", "school", "war", "tax", "oil", "jobs"}
local threads = {}
local made = 0
setup = function(thread)
  made = made + 1
  thread:set("id", made)
  table.insert(threads, thread)
end
counter = 0
busy = 0
answers = 0
init = function(args)
  math.randomseed(RUN * 7919 + id)
end
request = function()
  counter = counter + 1
  local q = words[math.random(#words)] .. "%20" .. words[math.random(#words)] .. "%20"
    .. ((counter - 1) * 2 + id)
  return wrk.format("GET", wrk.path .. q)
end
response = function(status, headers, body)
  answers = answers + 1
  if headers["x-search-busy"] or headers["X-Search-Busy"] then busy = busy + 1 end
end
done = function(summary, latency, requests)
  local b, n = 0, 0
  for _, t in ipairs(threads) do b = b + t:get("busy"); n = n + t:get("answers") end
  io.write(string.format("busy %d of %d\\n", b, n))
end
"""


_RUNS = itertools.count(1)


def _wrk(url: str, clients: int, seconds: float) -> dict[str, float]:
    script: list[str] = []
    if url.endswith("?q="):
        path = Path(tempfile.mkdtemp()) / "distinct.lua"
        path.write_text(f"RUN = {next(_RUNS)}\n" + _DISTINCT)
        script = ["-s", str(path)]
    output = subprocess.run(
        ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds:.0f}s", "--latency", "--timeout", "10s",
         "-H", "Accept-Encoding: gzip", *script, url],
        capture_output=True, text=True, check=True,
    ).stdout

    def ms(label: str) -> float:
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not found:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(bad.group(1)) if bad else 0) + (sum(int(g) for g in sock.groups()) if sock else 0)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    slowest = re.search(r"^\s+Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)\b", output, re.M)
    top = float("nan")
    if slowest:
        value, unit = float(slowest.group(1)), slowest.group(2)
        top = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    busy = re.search(r"^busy (\d+) of (\d+)$", output, re.M)
    return {"requests": requests, "rate": rate, "p50": ms("50"), "p99": ms("99"), "errors": errors,
            "max": top, "busy": int(busy.group(1)) if busy else 0}


def _start(db: Path, workers: int, cwd: Path) -> tuple[subprocess.Popen[str], str, float, float]:
    """The server, its base URL, seconds until it printed its address and until its first answer of /."""
    import httpx

    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", "from newsprism.cli import main; main()", "serve", "--db", str(db),
         "--port", str(port), "--workers", str(workers)],
        env=env, cwd=cwd, stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    process.stdout.readline()
    printed = time.perf_counter() - began
    base = f"http://127.0.0.1:{port}"
    while True:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            if httpx.get(base + "/", timeout=30).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    return process, base, printed, time.perf_counter() - began


def load(db: Path | None, workers: list[int], clients: list[int], seconds: float,
         only: str | None = None) -> int:
    import httpx

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        store = db or _fixture_store(Path(tmp))
        print(f"store {store}; load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}"
              f" {os.getloadavg()[2]:.1f} on {os.cpu_count()} cores")
        for count in workers:
            process, base, printed, answered = _start(store, count, Path(tmp))
            try:
                story = httpx.get(base + "/api/stories?limit=1").json()[0]["id"]
                targets = {
                    "/": "/",
                    "story page": f"/story/{story}",
                    "/api/stories": "/api/stories",
                    "/api/story/{id}": f"/api/story/{story}",
                    "search (one query)": "/api/search?q=trade%20tariffs",
                    "search (distinct)": "/api/search?q=",
                    "/feed.xml": "/feed.xml",
                    "static css": "/static/style.css",
                }
                if only:  # a few rows only: endpoint names containing one of the comma-separated words
                    targets = {k: v for k, v in targets.items() if any(w in k for w in only.split(","))}
                print(f"\n--workers {count}: address printed after {printed:.2f} s, first answer of / after"
                      f" {answered:.2f} s")
                print(f"{'endpoint':20} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"
                      f" {'server CPU ms/resp':>18}")
                for name, path in targets.items():
                    httpx.get(base + path)  # render once
                    for n in clients:
                        cpu = _tree_cpu(process.pid)
                        result = _wrk(base + path, n, seconds)
                        per = (_tree_cpu(process.pid) - cpu) * 1000 / max(result["requests"], 1)
                        print(f"{name:20} {n:>7} {result['rate']:>8.0f} {result['p50']:>8.2f}"
                              f" {result['p99']:>8.2f} {result['errors']:>6.0f} {per:>18.3f}", flush=True)
                        failed += int(result["errors"])
            finally:
                process.terminate()
                process.wait(20)
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 1 if failed else 0


def during_build(db: Path, add: Path, workers: list[int], clients: int, seconds: float,
                 build_seconds: float | None, writer_nice: int = 0) -> int:
    import httpx

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")
    failed = 0
    with tempfile.TemporaryDirectory(dir=db.parent) as tmp:
        # one copy for all runs: each run's build goes on where the previous one was stopped
        store = Path(tmp) / "during-build.db"
        wal = Path(f"{db}-wal")
        if not wal.exists() or wal.stat().st_size == 0:
            shutil.copyfile(db, store)  # checkpointed: the file is the whole store
        else:
            with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as source, \
                    sqlite3.connect(store) as copy:
                source.backup(copy)
        for count in workers:
            with sqlite3.connect(store) as conn:
                before = conn.execute("SELECT (SELECT count(*) FROM articles),"
                                      " (SELECT max(version) FROM story_summaries)").fetchone()
            process, base, _printed, answered = _start(store, count, Path(tmp))
            env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
            try:
                story = httpx.get(base + "/api/stories?limit=1").json()[0]["id"]
                targets = {"/": "/", "story page": f"/story/{story}", "/api/stories": "/api/stories",
                           "search (distinct)": "/api/search?q=", "/feed.xml": "/feed.xml"}
                print(f"\n--workers {count} on a copy of {db.name} ({before[0]:,} articles); first answer"
                      f" after {answered:.2f} s; {os.getloadavg()[0]:.1f} load; server nice {os.nice(0)},"
                      f" writer nice {min(19, os.nice(0) + writer_nice) if writer_nice else os.nice(0)}")
                began = time.perf_counter()
                cli, target = " ".join(map(_quote, CLI)), _quote(str(store))
                script = (f"{cli} ingest {_quote(str(add))} --db {target} -q"
                          f" && {cli} build --db {target} --quiet")
                if writer_nice:  # the writer below the server's CPU priority, as `run --serve` runs it
                    # relative to this bench's own niceness: renice sets an absolute value, so under the
                    # heavy-run convention (`nice -n 10 bench/serve.py …`) `--writer-nice 10` used to
                    # leave the writer at the server's priority
                    script = f"renice -n {min(19, os.nice(0) + writer_nice)} -p $$ >/dev/null && {script}"
                writer = subprocess.Popen(["sh", "-c", script], env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, text=True)
                totals: dict[str, list[float]] = {name: [0, 0, 0.0, 0] for name in targets}
                p50s: dict[str, list[float]] = {name: [] for name in targets}
                p99s: dict[str, list[float]] = {name: [] for name in targets}
                rounds = 0
                while writer.poll() is None:
                    if build_seconds is not None and time.perf_counter() - began > build_seconds:
                        _stop_tree(writer.pid)  # a kill mid-build: crash-equivalent, the next build resumes
                        writer.wait(30)
                        break
                    rounds += 1
                    for name, path in targets.items():
                        if writer.poll() is not None:
                            break
                        result = _wrk(base + path, clients, seconds)
                        total = totals[name]
                        total[0] += result["requests"]
                        total[1] += result["errors"]
                        total[2] = max(total[2], result["max"])
                        total[3] += result["busy"]
                        p50s[name].append(result["p50"])
                        p99s[name].append(result["p99"])
                out = writer.communicate()[0]
                took = time.perf_counter() - began
                with sqlite3.connect(store) as conn:
                    after = conn.execute("SELECT (SELECT count(*) FROM articles),"
                                         " (SELECT max(version) FROM story_summaries)").fetchone()
                print(f"ingest + build exit {writer.returncode} after {took:.0f} s: {after[0] - before[0]:,}"
                      f" articles added, summary version {before[1]} -> {after[1]}; wrk ran {rounds} rounds"
                      f" of {seconds:.0f} s per endpoint at {clients} clients")
                if writer.returncode and not (build_seconds and took >= build_seconds):
                    print(out[-2000:])
                    failed += 1
                # wrk gives percentiles per run: p50 is the median of the rounds', p99 the worst round's
                print(f"{'endpoint':20} {'requests':>9} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8}"
                      f" {'slowest ms':>10} {'busy':>6}")
                for name, (requests, errors, slowest, busy) in totals.items():
                    mid = sorted(p50s[name])[len(p50s[name]) // 2] if p50s[name] else float("nan")
                    worst = max(p99s[name], default=float("nan"))
                    print(f"{name:20} {requests:>9.0f} {errors:>6.0f} {mid:>8.1f} {worst:>8.1f}"
                          f" {slowest:>10.1f} {busy:>6.0f}")
                    failed += int(errors) + int(slowest > 1000)
                page = httpx.get(base + "/")
                print(f"after the build: / answers {page.status_code}; load {os.getloadavg()[0]:.1f}")
            finally:
                process.terminate()
                process.wait(20)
    return 1 if failed else 0


def _stop_tree(pid: int) -> None:
    """Kills `pid` and its descendants (the shell running ingest && build, and the build)."""
    import signal

    todo, found = [pid], []
    while todo:
        current = todo.pop()
        found.append(current)
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == current:
                        todo.append(int(entry.name))
                except OSError:
                    continue
    for each in reversed(found):
        with contextlib.suppress(ProcessLookupError):
            os.kill(each, signal.SIGKILL)


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    lo = sub.add_parser("load", help="wrk against `newsprism serve`")
    lo.add_argument("--db", type=Path)
    lo.add_argument("--workers", default="1,2")
    lo.add_argument("--clients", default="50,200")
    lo.add_argument("--seconds", type=float, default=10.0)
    lo.add_argument("--only", default=None, help="endpoints whose name contains one of these words (a,b)")
    du = sub.add_parser("during-build", help="wrk against `serve` while ingest + build write its store")
    du.add_argument("--db", type=Path, required=True)
    du.add_argument("--add", type=Path, required=True, help="new articles to ingest (JSONL)")
    du.add_argument("--workers", default="1,2")
    du.add_argument("--clients", type=int, default=50)
    du.add_argument("--seconds", type=float, default=5.0)
    du.add_argument("--build-seconds", type=float, default=None,
                    help="kill the build after this long (it resumes on the next run, as after a crash)")
    du.add_argument("--writer-nice", type=int, default=0,
                    help="run the ingest + build this much nicer than the server (0: same priority)")
    return parser.parse_args()


def main() -> int:
    args = _args()
    if args.command == "during-build":
        return during_build(args.db, args.add, [int(w) for w in args.workers.split(",")], args.clients,
                            args.seconds, args.build_seconds, args.writer_nice)
    return load(args.db, [int(w) for w in args.workers.split(",")], [int(c) for c in args.clients.split(",")],
                args.seconds, args.only)


if __name__ == "__main__":
    raise SystemExit(main())
