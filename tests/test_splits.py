"""Splits on real text (MultiLing 2011 from the repo) and real SQLite: a story that holds two events is
cut in two, the larger part keeps its id, the split is recorded, a rerun changes nothing, a kill -9
leaves a store that a rerun brings to the same state as an uninterrupted run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsprism.cluster import cluster_pending
from newsprism.cluster._pending import split_stories
from newsprism.evaluation.datasets import load_multiling
from newsprism.settings import Settings
from newsprism.store import Store

# Builds the MultiLing store without splits, then merges its two largest stories as a bridge article
# would (two events of different months in one story); argv: db path, "kill" or "finish".
SCRIPT = """
import os, signal, sys
from newsprism.cluster import cluster_pending
from newsprism.evaluation.datasets import load_multiling
from newsprism.cluster._pending import _merge
from newsprism.settings import Settings
from newsprism.store import Store

with Store(sys.argv[1]) as store:
    for article in load_multiling().articles:
        store.add_article(article)
    cluster_pending(store, Settings(), progress=False, split=False, join=False)
    (big, _), (small, _) = store.connection.execute(
        "SELECT story_id, count(*) n FROM story_articles GROUP BY story_id ORDER BY n DESC, story_id LIMIT 2"
    ).fetchall()
    with store.transaction():
        _merge(store, big, small, "bridge")
    if sys.argv[2] == "kill":
        os.kill(os.getpid(), signal.SIGKILL)  # dies after the assignment, before the split step
    cluster_pending(store, Settings(), progress=False)
"""


def _members(store: Store) -> dict[str, str]:
    return dict(store.connection.execute("SELECT article_id, story_id FROM story_articles").fetchall())


def _splits(store: Store) -> list[tuple[str, str, list[str]]]:
    rows = store.connection.execute("SELECT story_id, new_story_id, articles FROM story_splits ORDER BY seq")
    return [(str(a), str(b), sorted(json.loads(c))) for a, b, c in rows]


@pytest.fixture(scope="module")
def merged_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file where a bridge merged two stories; built once, copied by each test."""
    path = tmp_path_factory.mktemp("splits") / "merged.db"
    no_split_step = SCRIPT.replace("    cluster_pending(store, Settings(), progress=False)\n", "")
    subprocess.run([sys.executable, "-c", no_split_step, str(path), "finish"], check=True)
    return path


def _copy(source: Path, target: Path) -> Path:
    with Store(source) as store:
        store.connection.execute(f"VACUUM INTO '{target}'")
    return target


def test_one_event_stories_are_not_split() -> None:
    # MultiLing's multi-article stories (4 and 7 articles) are each one event
    with Store() as store:
        for article in load_multiling().articles:
            store.add_article(article)
        report = cluster_pending(store, Settings(), progress=False)
        sizes = [r[0] for r in store.connection.execute(
            "SELECT count(*) FROM story_articles GROUP BY story_id HAVING count(*) >= 4")]
        assert sizes and report.split == 0
        assert store.connection.execute("SELECT count(*) FROM story_splits").fetchone()[0] == 0


def test_a_bridged_story_splits_with_stable_ids_and_a_record(merged_store: Path, tmp_path: Path) -> None:
    with Store(_copy(merged_store, tmp_path / "s.db")) as store:
        db = store.connection
        survivor, retired, detail = db.execute(
            "SELECT story_id, other_id, detail FROM story_events WHERE kind = 'merge'").fetchone()
        assert json.loads(detail) == {"bridge_article": "bridge"}
        before = _members(store)
        moved_back = sorted(a for a, s in before.items() if s == survivor)
        (counter,) = db.execute("SELECT value FROM counters WHERE name = 'story'").fetchone()
        db.execute("UPDATE stories SET dirty = 0")
        db.execute("UPDATE stories SET dirty = 1 WHERE id = ?", (survivor,))

        made = split_stories(store, Settings())
        splits = _splits(store)
        assert made == len(splits) >= 1
        (story, new, articles) = splits[0]
        # the larger part (the 7-article event of 2009) keeps the id; the bridged-in 4 articles of 2007 get
        # the next id, none reused; any further split only cuts the kept part again
        assert story == survivor and new == f"s{counter + 1:06d}" and new != retired
        assert all(s == survivor for s, _, _ in splits)
        assert [n for _, n, _ in splits] == [f"s{counter + i:06d}" for i in range(1, made + 1)]
        after = _members(store)
        published = dict(db.execute("SELECT id, published FROM articles").fetchall())
        assert len(articles) == 4 and max(published[a] for a in articles) < min(
            published[a] for a in moved_back if a not in articles)
        assert all(after[a] == n for _, n, moved in splits for a in moved)
        moved_any = {a for _, _, moved in splits for a in moved}
        assert all(after[a] == before[a] for a in before if a not in moved_any)
        apart, together = db.execute("SELECT apart, together FROM story_splits ORDER BY seq").fetchone()
        assert apart < 0.5 < together
        assert db.execute("SELECT count(*) FROM story_events WHERE kind = 'split'").fetchone()[0] == made
        # every part is composed again at the next build; dates follow the articles
        dirty = {r[0] for r in db.execute("SELECT id FROM stories WHERE dirty = 1 AND retired_into IS NULL")}
        assert dirty == {story} | {n for _, n, _ in splits}
        first, last = db.execute("SELECT first_published, last_published FROM stories WHERE id = ?",
                                 (new,)).fetchone()
        assert first is not None and first <= last < "2008"

        # rerun: no duplicate split, nothing renumbered, no new id drawn
        assert split_stories(store, Settings()) == 0
        assert cluster_pending(store, Settings(), progress=False).split == 0
        assert _members(store) == after and _splits(store) == splits
        assert db.execute("SELECT value FROM counters WHERE name = 'story'").fetchone()[0] == counter + made


def test_compose_after_a_split_shows_each_part_once(merged_store: Path, tmp_path: Path) -> None:
    from newsprism.compose.pending import compose_pending

    with Store(_copy(merged_store, tmp_path / "c.db")) as store:
        settings = Settings()
        compose_pending(store, settings, progress=False)
        db = store.connection
        db.execute("UPDATE stories SET dirty = 1 WHERE id = (SELECT story_id FROM story_events)")
        made = split_stories(store, settings)
        assert made >= 1
        assert compose_pending(store, settings, progress=False) == made + 1
        pages = {sid: {a["id"] for a in json.loads(data)["articles"]}
                 for sid, data in db.execute("SELECT id, composed FROM stories WHERE retired_into IS NULL")}
        # no stale page: each new story lists exactly its articles, and no other page lists them
        for story, new, moved in _splits(store):
            assert pages[new] == set(moved) and not pages[story] & set(moved)
            assert sum(1 for ids in pages.values() if ids & set(moved)) == 1


def test_kill_9_before_the_split_then_rerun_equals_uninterrupted(tmp_path: Path) -> None:
    killed, clean = tmp_path / "killed.db", tmp_path / "clean.db"
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(killed), "kill"], check=False)
    assert proc.returncode == -9
    with Store(killed) as store:
        assert store.connection.execute("SELECT count(*) FROM story_splits").fetchone()[0] == 0
        # the rerun has no new article, but the dirty merged story is examined and split now
        assert cluster_pending(store, Settings(), progress=False).split >= 1
    subprocess.run([sys.executable, "-c", SCRIPT, str(clean), "finish"], check=True)
    with Store(killed) as a, Store(clean) as b:
        assert _members(a) == _members(b)
        assert _splits(a) == _splits(b) and len(_splits(a)) >= 1


def test_stories_split_apart_are_not_merged_back() -> None:
    from dataclasses import replace

    from newsprism.cluster._model import model_for
    from newsprism.cluster._online import OnlineClusterer
    from newsprism.evaluation.learn_cluster import dataset_features

    data = load_multiling()
    items = dataset_features(data, Settings().cluster_embedder)
    # a model that joins and merges everything: any article bridges every story it sees
    eager = replace(model_for(Settings().cluster_embedder), threshold=0.0, merge_threshold=0.0)

    def run(apart: bool) -> int:
        clusterer = OnlineClusterer(eager, int(items[0].vector.shape[0]), window_days=10_000)
        first, second = clusterer.new_key(), clusterer.new_key()
        for item in items[:3]:
            clusterer.add_existing(item, first)
        for item in items[3:6]:
            clusterer.add_existing(item, second)
        if apart:
            clusterer.keep_apart(first, second)
        result = clusterer.assign(items[6])
        assert not result.created
        return len([s for s in clusterer.stories.values() if s.alive and s.size])

    assert run(apart=False) == 1  # the bridge merges the two stories
    assert run(apart=True) == 2  # unless a split separated them
