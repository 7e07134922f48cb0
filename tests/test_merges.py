"""The second pass (`merge_stories`) on real text (MultiLing 2011 from the repo) and real SQLite: stories
whose members agree are merged, the larger keeps its id, each merge is recorded, a rerun merges nothing
more, and a kill -9 in the middle of the pass then a rerun gives the uninterrupted result."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newsprism.cluster import cluster_pending
from newsprism.cluster._pending import merge_stories
from newsprism.evaluation.datasets import load_multiling
from newsprism.evaluation.metrics import score_clustering
from newsprism.settings import Settings
from newsprism.store import Store

# argv: db path, then "kill" (die after the first second-pass merge commits) or "finish"
SCRIPT = """
import os, signal, sys
import newsprism.cluster._pending as pending
from newsprism.cluster import cluster_pending
from newsprism.evaluation.datasets import load_multiling
from newsprism.settings import Settings
from newsprism.store import Store

if sys.argv[2] == "kill":
    original = pending._merge
    def merge_then_die(store, survivor, retired, bridge, detail=None):
        original(store, survivor, retired, bridge, detail)
        if detail is not None:
            store.connection.commit()
            os.kill(os.getpid(), signal.SIGKILL)
    pending._merge = merge_then_die
with Store(sys.argv[1]) as store:
    for article in load_multiling().articles:
        store.add_article(article)
    cluster_pending(store, Settings(), progress=False)
"""


def _state(path: Path) -> tuple[dict[str, str], list[tuple[str, str, str]], list[tuple[str, str | None]]]:
    with Store(path) as store:
        db = store.connection
        members = dict(db.execute("SELECT article_id, story_id FROM story_articles").fetchall())
        events = [tuple(r) for r in db.execute(
            "SELECT kind, story_id, other_id FROM story_events WHERE kind = 'merge'"
            " ORDER BY story_id, other_id")]
        stories = [tuple(r) for r in db.execute("SELECT id, retired_into FROM stories ORDER BY id")]
    return members, events, stories  # type: ignore[return-value]


def test_second_pass_merges_agreeing_stories_with_stable_ids_and_records() -> None:
    data = load_multiling()
    with Store() as store:
        for article in data.articles:
            store.add_article(article)
        cluster_pending(store, Settings(), progress=False, join=False, split=False)
        db = store.connection
        before = dict(db.execute("SELECT article_id, story_id FROM story_articles").fetchall())
        sizes = dict(db.execute("SELECT story_id, count(*) FROM story_articles GROUP BY story_id").fetchall())
        joined = merge_stories(store, Settings())
        assert joined >= 3
        assert merge_stories(store, Settings()) == 0  # a fixpoint: a rerun finds nothing
        after = dict(db.execute("SELECT article_id, story_id FROM story_articles").fetchall())
        events = db.execute(
            "SELECT story_id, other_id, detail FROM story_events WHERE kind = 'merge'").fetchall()
        assert len(events) == joined
        for survivor, retired, detail in events:
            assert json.loads(detail)["pass"] in ("second", "pair")
            row = db.execute("SELECT retired_into FROM stories WHERE id = ?", (retired,)).fetchone()
            assert row[0] == survivor
            assert sizes.get(survivor, 0) >= sizes.get(retired, 0) or retired not in sizes
        # ids are stable: an article moved only into a story that already existed
        assert set(after.values()) <= set(before.values())
        assert len(after) == len(data.articles)
        # MultiLing topics are storylines: the merges join stories of one topic only
        assert score_clustering(list(data.labels), [after[a.id] for a in data.articles]).b3_precision == 1.0


def test_kill_9_during_the_second_pass_then_rerun_equals_uninterrupted(tmp_path: Path) -> None:
    killed, whole = tmp_path / "killed.db", tmp_path / "whole.db"
    died = subprocess.run([sys.executable, "-c", SCRIPT, str(killed), "kill"], check=False)
    assert died.returncode == -9
    with Store(killed) as store:
        assert store.connection.execute(
            "SELECT count(*) FROM story_events WHERE detail LIKE '%second%'").fetchone()[0] == 1
    subprocess.run([sys.executable, "-c", SCRIPT, str(killed), "finish"], check=True)
    subprocess.run([sys.executable, "-c", SCRIPT, str(whole), "finish"], check=True)
    assert _state(killed) == _state(whole)
