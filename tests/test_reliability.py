"""Reliability: hostile input, kill -9 during build, two writers, bounded input, exit status.

Real subprocesses of the `newsprism` command on real SQLite stores (issue 16).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from newsprism.analyse._dates import publication_day, resolve_dates
from newsprism.cluster._features import day_number, iso_day
from newsprism.evaluation.datasets import load_multiling
from newsprism.store import Store

CLI = [sys.executable, "-c", "from newsprism.cli import main; main()"]
BODY = " ".join(f"The city council met on Tuesday and item {i} of the budget passed after a long debate."
                for i in range(8))


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, check=False)


def _run_measured(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """The command's result and its own peak memory in MB: a fresh parent process waits for it alone,
    so the figure is not the largest of every child this test worker ever ran."""
    parent = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr)\n"
        "print(f'PEAK_KB={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}')\n"
        "sys.exit(done.returncode)\n"
    )
    done = subprocess.run([sys.executable, "-c", parent, *CLI, *args], capture_output=True, text=True,
                          timeout=300, check=False)
    lines = done.stdout.rstrip("\n").split("\n")
    peak_kb = float(lines[-1].removeprefix("PEAK_KB="))
    return subprocess.CompletedProcess(done.args, done.returncode, "\n".join(lines[:-1]) + "\n",
                                       done.stderr), peak_kb / 1024


def _record(title: str, **extra: object) -> str:
    return json.dumps({"title": title, "text": f"{title}. {BODY}", "source": "Example News", **extra})


# --- 1. dates -----------------------------------------------------------------------------------------

def test_impossible_dates_are_dropped_with_a_reason_and_build_survives(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text("\n".join([
        _record("Far future", published="9999-12-31T23:59:59Z"),
        _record("Next millennium", published="3024-01-01"),
        _record("Too old", published="1066-10-14"),
        _record("Sane", published="2023-03-16T10:00:00Z"),
    ]) + "\n")
    items = "".join(f"<item><title>Feed {n}</title><link>http://e.com/{n}</link><pubDate>{d}</pubDate>"
                    f"<description>Feed {n}. {BODY}</description></item>"
                    for n, d in enumerate(["Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 3024 00:00:00 GMT"]))
    (tmp_path / "in" / "f.rss").write_text(f"<rss version='2.0'><channel><title>Feed</title>{items}"
                                           "</channel></rss>")
    (tmp_path / "in" / "p.html").write_text(
        "<html><head><title>Bridge plan</title><meta property='article:published_time'"
        " content='9999-12-31T23:59:59Z'></head><body><article><h1>Bridge plan</h1>"
        f"<p>The new bridge would open in 2024. {BODY}</p></article></body></html>")
    (tmp_path / "in" / "undated.html").write_text(
        "<html><head><title>Tunnel plan</title></head><body><article><h1>Tunnel plan</h1>"
        f"<p>The tunnel would open in 2024, officials said. {BODY}</p></article></body></html>")
    db = str(tmp_path / "s.db")
    done = run("ingest", str(tmp_path / "in"), "--db", db, "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "dropped as impossible" in done.stdout and "stored undated" in done.stdout
    with sqlite3.connect(db) as con:
        dates = dict(con.execute("SELECT title, published FROM articles").fetchall())
    assert dates["Sane"] == "2023-03-16T10:00:00Z"
    for title in ("Far future", "Next millennium", "Too old", "Feed 0", "Feed 1", "Bridge plan",
                  "Tunnel plan"):
        assert dates[title] is None, (title, dates[title])  # undated: NULL in the store, never a guess
    built = run("build", "--db", db, "--quiet")
    assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr[-2000:]
    with sqlite3.connect(db) as con:
        spans = con.execute("SELECT min(first_published), max(last_published) FROM stories").fetchone()
    assert spans[0] > "2022" and spans[1] < "2100"  # undated articles count from when they were first seen


@given(st.text(max_size=40))
@hsettings(max_examples=300, deadline=None)
def test_date_helpers_are_total(text: str) -> None:
    day = day_number(text)
    assert day is None or isinstance(iso_day(day), str)
    publication_day(text)


@given(st.floats(min_value=-1e6, max_value=1e6) | st.just(float("nan")),
       st.dates().map(lambda d: d.isoformat()),
       st.sampled_from(["two weeks later", "next year", "tomorrow", "on Monday", "99999999 days later",
                        "in March", "last month"]))
@hsettings(max_examples=300, deadline=None)
def test_window_and_resolution_never_overflow(day: float, published: str, phrase: str) -> None:
    assert iso_day(day)[:1].isdigit()
    if day != day:  # NaN: no day, the epoch stands in
        return
    assert iso_day(day + 10**9) == "9999-12-31" and iso_day(day - 10**9) == "0001-01-01"
    resolve_dates(f"The vote will come {phrase}.", published)


# --- 2. kill -9 during build --------------------------------------------------------------------------

def _state(db: Path) -> dict[str, object]:
    with sqlite3.connect(db) as con:
        return {
            "stories": con.execute("SELECT id, storyline_id, retired_into, dirty, first_published,"
                                   " last_published FROM stories ORDER BY id").fetchall(),
            "members": con.execute("SELECT story_id, article_id FROM story_articles ORDER BY 2").fetchall(),
            "storylines": con.execute("SELECT id, title, data FROM storylines ORDER BY id").fetchall(),
            "headlines": con.execute("SELECT id, json_extract(composed, '$.headline') FROM stories"
                                     " ORDER BY id").fetchall(),
        }


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            return int(con.execute(sql).fetchone()[0])
    except sqlite3.Error:
        return 0


def _build_killed_when(db: Path, ready: Callable[[], bool]) -> bool:
    proc = subprocess.Popen([*CLI, "build", "--db", str(db), "--quiet"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            if ready():
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                return True
            time.sleep(0.02)
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _killed_and_clean(tmp_path: Path, points: list[str]) -> tuple[Path, Path, int]:
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    with Store(clean) as store:
        for article in load_multiling().articles:
            store.add_article(article)
    shutil.copy(clean, killed)
    assert run("build", "--db", str(clean), "--quiet").returncode == 0
    assert _count(clean, "SELECT count(*) FROM storylines") >= 3
    stories = _count(clean, "SELECT count(*) FROM stories WHERE retired_into IS NULL")
    kills = 0
    for sql in points:
        query = sql.format(half=stories // 2)
        kills += _build_killed_when(killed, lambda query=query: _count(killed, query) == 1)
    again = run("build", "--db", str(killed), "--quiet")
    assert again.returncode == 0, again.stderr[-2000:]
    return killed, clean, kills


def test_kill_9_during_build_then_rerun_equals_uninterrupted(tmp_path: Path) -> None:
    # three kills: mid clustering, once composing has begun, half composed. Before the fix, composing
    # cleared `dirty` and touched `updated_at`: the rerun split a different set of stories over another
    # window, and relinked every composed lone story against later ones (stories in storylines the
    # uninterrupted run left them out of)
    killed, clean, kills = _killed_and_clean(tmp_path, [
        "SELECT count(*) >= 30 FROM story_articles",
        "SELECT count(*) > 0 FROM stories WHERE composed IS NOT NULL",
        "SELECT count(*) >= {half} FROM stories WHERE composed IS NOT NULL",
    ])
    assert kills >= 2, "build finished before it could be killed"
    assert _state(killed) == _state(clean)
    # and a build with nothing new changes nothing
    assert run("build", "--db", str(clean), "--quiet").returncode == 0
    assert _state(killed) == _state(clean)


# --- 3. several writers -------------------------------------------------------------------------------

def test_a_second_writer_waits_or_says_the_store_is_busy(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    (tmp_path / "a.jsonl").write_text(_record("One") + "\n" + _record("Two") + "\n")
    assert run("ingest", str(tmp_path / "a.jsonl"), "--db", str(db), "-q").returncode == 0
    (tmp_path / "b.jsonl").write_text(_record("Three") + "\n")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the store
    try:
        at_once = run("ingest", str(tmp_path / "b.jsonl"), "--db", str(db), "-q", "--wait", "0")
        assert at_once.returncode == 1 and "store is busy" in at_once.stderr
        assert "Traceback" not in at_once.stderr and "OperationalError" not in at_once.stderr
        waiting = subprocess.Popen([*CLI, "ingest", str(tmp_path / "b.jsonl"), "--db", str(db), "-q",
                                    "--wait", "60"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert waiting.stderr is not None
        said = waiting.stderr.readline()  # blocks until the writer meets the held lock
        assert "store is busy, waiting" in said and waiting.poll() is None  # waiting, not dead
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "1 new article stored" in out and "Traceback" not in err


# --- 4. bounded input ---------------------------------------------------------------------------------

def _warc(pages: list[bytes]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for n, html in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(f"http://e.com/{n}", "response",
                                                      payload=io.BytesIO(html), http_headers=headers))
    return buf.getvalue()


def _page(title: str) -> bytes:
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{title}. {BODY}</p></article></body></html>").encode()


def test_hostile_files_are_reported_and_the_good_ones_kept(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # one huge record (200 MB of spaces, a few hundred KB gzipped) among good ones
    huge = b"<html><body><p>" + b" " * 200_000_000 + b"</p></body></html>"
    (folder / "a_big.warc.gz").write_bytes(_warc([_page("Before big"), huge, _page("After big")]))
    whole = _warc([_page("Cut one"), _page("Cut two"), _page("Cut three")])
    (folder / "b_cut.warc.gz").write_bytes(whole[: len(whole) * 5 // 6])
    with open(os.fsencode(folder) + b"/c_\xff\xfe.txt", "w") as handle:
        handle.write(f"Odd name\n\n{BODY}\n")
    (folder / "d_utf16.txt").write_bytes(f"Wide text\n\n{BODY}\n".encode("utf-16-le"))
    (folder / "e.jsonl").write_text("\n".join([
        json.dumps({"title": 12, "text": BODY}), json.dumps([1, 2]),
        json.dumps({"title": {"x": 1}, "text": BODY + " y"}), _record("Good record")]) + "\n")
    packed = gzip.compress("".join(_record(f"Zip {n}") + "\n" for n in range(200)).encode())
    (folder / "f_cut.jsonl.gz").write_bytes(packed[: len(packed) * 3 // 4])
    db = str(tmp_path / "s.db")
    config = tmp_path / "c.toml"
    config.write_text("[newsprism]\nmax_file_bytes = 5000000\n")
    done, peak_mb = _run_measured("ingest", str(folder), "--db", db, "--config", str(config), "-q")
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert peak_mb < 1000, peak_mb  # the 200 MB record is never held in memory
    out = done.stdout
    assert "record too large" in out or "over the size limit" in out
    assert "truncated WARC" in out and "truncated gzip" in out
    assert "not valid UTF-8" in out and "c_\\xff\\xfe.txt" in out
    assert "title is a number" in out and "JSON record is a list" in out and "title is an object" in out
    assert done.returncode == 1  # truncated archives could not be read whole: a failure, said so
    with sqlite3.connect(db) as con:
        titles = {r[0] for r in con.execute("SELECT title FROM articles")}
        plan = " ".join(str(r) for r in con.execute(
            "EXPLAIN QUERY PLAN SELECT 1 FROM rejections WHERE source = 'x' AND reason = 'y'"))
    assert {"Before big", "After big", "Cut one", "Wide text", "Good record"} <= titles
    assert sum(t.startswith("Zip ") for t in titles) > 50  # the records before the break are kept
    assert "rejections_source_reason" in plan  # recording a rejection is one index probe, not a scan


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder; an unreadable folder needs a user")
def test_an_unreadable_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "ok.txt").write_text(f"Fine\n\n{BODY}\n")
    (tmp_path / "in" / "locked").chmod(0)
    try:
        done = run("ingest", str(tmp_path / "in"), "--db", str(tmp_path / "s.db"), "-q")
    finally:
        (tmp_path / "in" / "locked").chmod(0o755)
    assert done.returncode == 1 and "unreadable folder" in done.stdout and "1 new article" in done.stdout


# --- 5. exit status -----------------------------------------------------------------------------------

def test_a_rerun_exits_0_and_says_what_happened(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text("\n".join(_record(f"Item {n}") for n in range(5)) + "\nnot json\n")
    db = str(tmp_path / "s.db")
    first = run("ingest", str(tmp_path / "a.jsonl"), "--db", db, "-q")
    assert first.returncode == 0 and "5 new articles stored" in first.stdout
    again = run("ingest", str(tmp_path / "a.jsonl"), "--db", db, "-q")
    assert again.returncode == 0, again.stdout
    assert "0 new articles stored; 5 were already in the store" in again.stdout
    assert "1 input rejected with a reason" in again.stdout and "All inputs handled" in again.stdout
    missing = run("ingest", str(tmp_path / "nope"), "--db", db, "-q")
    assert missing.returncode == 1 and "could not be read" in missing.stdout
