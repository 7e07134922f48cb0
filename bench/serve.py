"""The live site under load and as the archive grows: query times, first answer, and load from `wrk`.

    python bench/serve.py fill --articles 100000 --out /work/cache/serve/allsides-100k.db
    python bench/serve.py queries --db STORE [--db STORE ...]
    python bench/serve.py load [--db STORE] [--workers 1,2] [--clients 50,200] [--seconds 10]

`fill` replays the 37,554 AllSides articles (../shared/data/allsides-articles) until the store holds
`--articles`: replay r shifts every date back by 9·r years and gives every article a new id, so the
archive grows back in time and today's front page stays the newest replay; the store is written in date
order, oldest first. Articles go in through `Store.add_article` (with their FTS rows). Stories are NOT
composed by the composer (that would take hours at this size): articles are grouped by AllSides topic
and ISO week, each group stored as a stand-in Story (headline: its first title, facts: the first
sentence of up to five articles, with exact evidence), grouped per topic and year into storylines. The
serving path reads the same tables and shapes either way.

`queries` times the store reads behind each page in-process (median of 20): front page, a story (parse of
its JSON, a different story each time), an outlet's articles, search, the feed's rows.

`load` starts `newsprism serve --workers N` on 127.0.0.1, waits for its first answer (printed), and drives
each endpoint with wrk (a compiled load generator; Debian: `apt-get install -y wrk`) for `--seconds` at
each client count, sending `Accept-Encoding: gzip` as browsers do; "search (distinct)" sends a new query
each time (a wrk Lua script), so none comes from the cache. Server CPU per response is the server
processes' CPU time (/proc, parent and workers) over the responses wrk counted. wrk shares the machine's
cores with the server; note the load average printed. Without --db it uses the publish test fixture
store (4 stories).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "allsides-articles" / "articles.jsonl.gz"
REPLAY_YEARS = 9


# --- fill ---------------------------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    return sorted(rows, key=lambda r: (_shift(r.get("date"), 0) or "", r["id"]))


def _shift(day: str | None, replay: int) -> str | None:
    if not day:
        return None
    try:
        if "/" in day:  # a few rows say M/D/YY
            month, dom, year = (int(x) for x in day.split("/"))
            parsed = date(2000 + year, month, dom)
        else:
            parsed = date.fromisoformat(day[:10])
    except ValueError:
        return None
    year = parsed.year - REPLAY_YEARS * replay
    if year < 1900:  # junk dates in the corpus (year 1 and the like) stay undated
        return None
    if parsed.month == 2 and parsed.day == 29:
        parsed -= timedelta(days=1)
    return parsed.replace(year=year).isoformat()


def _first_sentence(text: str) -> tuple[int, int]:
    match = re.search(r"\S.{20,300}?[.!?](?=\s|$)", text, re.S)
    return (match.start(), match.end()) if match else (0, min(len(text), 200))


def fill(out: Path, articles: int, data: Path) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from newsprism.store import Store
    from newsprism.types import Article, ArticleRef, Coverage, Evidence, Fact, Story

    rows = _rows(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        raise SystemExit(f"{out} exists; remove it to fill again")
    started = time.perf_counter()
    groups: dict[tuple[int, str, str], list[Article]] = defaultdict(list)
    lean_of: dict[str, str | None] = {}
    # replay 0 is the corpus as it is, replay r the same articles 9·r years earlier, each with a new id;
    # the store is written in date order, oldest first, as a desk would have ingested it
    plan = [(replay, row) for replay in range(-(-articles // len(rows))) for row in rows][:articles]
    plan.sort(key=lambda item: (_shift(item[1].get("date"), item[0]) or "", item[0], item[1]["id"]))
    with Store(out) as store:
        done = 0
        for at in range(0, len(plan), 5000):
            with store.transaction():
                for replay, row in plan[at:at + 5000]:
                    published = _shift(row.get("date"), replay)
                    ident = "a" + hashlib.sha256(f"{replay}:{row['id']}".encode()).hexdigest()[:15]
                    article = Article(id=ident, title=row["title"] or "(untitled)", text=row["text"],
                                      outlet=row["source"], published=published, url=row.get("url"))
                    store.add_article(article, source=f"replay-{replay}")
                    bias = row.get("bias")
                    lean_of[ident] = bias if bias in ("left", "center", "right") else None
                    if published:
                        iso = date.fromisoformat(published).isocalendar()
                        key = (replay, row.get("topic") or "none", f"{iso[0]}-W{iso[1]:02d}")
                        groups[key].append(article)
                    done += 1
            print(f"  {done} articles ({time.perf_counter() - started:.0f} s)", flush=True)
        number = 0
        with store.transaction() as db:
            for (replay, topic, week), members in sorted(groups.items()):
                number += 1
                story_id = f"s{number:07d}"
                line = f"l-{replay}-{topic}-{week[:4]}"
                days = sorted(a.published or "" for a in members)
                facts = []
                for article in members[:5]:
                    start, end = _first_sentence(article.text)
                    evidence = Evidence(article.id, start, end, article.text[start:end], article.outlet)
                    facts.append(Fact(evidence.text, 1, (evidence,), (article.outlet or "",)))
                refs = tuple(ArticleRef(a.id, a.title, a.outlet, a.published, a.url, lean=lean_of[a.id])
                             for a in members)
                leans = [lean_of[a.id] for a in members]
                story = Story(
                    id=story_id, headline=members[0].title, date=days[-1][:10], facts=tuple(facts),
                    narratives=(), quotes=(), disagreements=(), timeline=(), articles=refs, storyline=line,
                    lead=facts[0].text if facts else "",
                    coverage=Coverage(leans.count("left"), leans.count("center"), leans.count("right"),
                                      leans.count(None)),
                )
                db.execute("INSERT OR IGNORE INTO storylines (id, title, data) VALUES (?, ?, '{}')",
                           (line, f"{topic.replace('_', ' ')} in {week[:4]}"))
                composed = json.dumps(story.to_json(), ensure_ascii=False)
                db.execute("INSERT INTO stories (id, storyline_id, first_published, last_published, composed,"
                           " dirty) VALUES (?,?,?,?,?,0)", (story_id, line, days[0], days[-1], composed))
                db.executemany("INSERT INTO story_articles (story_id, article_id, score) VALUES (?,?,1.0)",
                               [(story_id, a.id) for a in members])
                db.execute("INSERT INTO stories_fts (id, headline, body) VALUES (?,?,?)",
                           (story_id, story.headline, "\n".join(f.text for f in story.facts)))
        store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = out.stat().st_size / 2**20
    print(f"{out}: {done} articles, {number} stories in {time.perf_counter() - started:.0f} s, {size:.0f} MB")


# --- queries ------------------------------------------------------------------------------


def _median_ms(call: Callable[[int], object], runs: int = 20) -> float:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def queries(db: Path) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from newsprism.publish.queries import Reader

    reader = Reader(db, migrate=False)
    counts = reader._rows(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM story_summaries WHERE live = 1)"
    )[0]
    start = time.perf_counter()
    reader.outlet_map()  # built once per outlets/articles version, then kept
    outlet_map_ms = (time.perf_counter() - start) * 1000
    ids = [str(r[0]) for r in reader._rows("SELECT story_id FROM story_summaries WHERE live = 1"
                                           " ORDER BY sources DESC LIMIT 20")]
    big = reader._rows("SELECT outlet FROM articles GROUP BY outlet ORDER BY count(*) DESC LIMIT 1")[0][0]
    figures = {
        "front page (stories limit 60)": _median_ms(lambda i: reader.stories(limit=60)),
        "story (JSON of a 20-largest story)": _median_ms(lambda i: reader.story(ids[i % len(ids)])),
        "story version (cache check)": _median_ms(lambda i: reader.story_version(ids[i % len(ids)])),
        "storyline of that story": _median_ms(lambda i: reader.storyline(
            (reader.story_row(ids[i % len(ids)]) or _none()).storyline or "")),
        f"outlet articles ({big})": _median_ms(lambda i: reader.articles(outlet=big)),
        "search 'trade tariffs'": _median_ms(lambda i: reader.search("trade tariffs")),
        "search 'president' (common word)": _median_ms(lambda i: reader.search("president")),
        "feed rows (stories limit 50)": _median_ms(lambda i: reader.stories(limit=50)),
    }
    print(f"{db}: {counts[0]} articles, {counts[1]} stories; outlet map built once in {outlet_map_ms:.0f} ms")
    for name, ms in figures.items():
        print(f"  {name:40} {ms:8.2f} ms")


def _none() -> Any:
    raise SystemExit("story vanished")


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
# is answered from the cache
_DISTINCT = """
words = {"trade", "tariffs", "president", "senate", "court", "election", "climate", "border", "vote",
         "health", "police", "economy", "china", "russia", "budget", "school", "war", "tax", "oil", "jobs"}
counter = 0
request = function()
  counter = counter + 1
  local q = words[math.random(#words)] .. "%20" .. words[math.random(#words)] .. "%20" .. counter
  return wrk.format("GET", wrk.path .. q)
end
"""


def _wrk(url: str, clients: int, seconds: float) -> dict[str, float]:
    script: list[str] = []
    if url.endswith("?q="):
        path = Path(tempfile.mkdtemp()) / "distinct.lua"
        path.write_text(_DISTINCT)
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
    return {"requests": requests, "rate": rate, "p50": ms("50"), "p99": ms("99"), "errors": errors}


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


def load(db: Path | None, workers: list[int], clients: list[int], seconds: float) -> int:
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


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fill", help="a store of N replayed AllSides articles")
    f.add_argument("--articles", type=int, required=True)
    f.add_argument("--out", type=Path, required=True)
    f.add_argument("--data", type=Path, default=DATA)
    q = sub.add_parser("queries", help="store read times behind each page")
    q.add_argument("--db", type=Path, action="append", required=True)
    lo = sub.add_parser("load", help="wrk against `newsprism serve`")
    lo.add_argument("--db", type=Path)
    lo.add_argument("--workers", default="1,2")
    lo.add_argument("--clients", default="50,200")
    lo.add_argument("--seconds", type=float, default=10.0)
    return parser.parse_args()


def main() -> int:
    args = _args()
    if args.command == "fill":
        fill(args.out, args.articles, args.data)
        return 0
    if args.command == "queries":
        for db in args.db:
            queries(db)
        return 0
    return load(args.db, [int(w) for w in args.workers.split(",")], [int(c) for c in args.clients.split(",")],
                args.seconds)


if __name__ == "__main__":
    raise SystemExit(main())
