"""Incremental clustering of the store: new articles, in ingest order, into stable stories."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.analyse import (
    ARTICLE_KIND,
    Analysis,
    analyse_pending,
    article_head,
    cached_embed,
    load_analyses,
)
from newsprism.cluster._features import ArticleFeatures, day_number, features_of, iso_day
from newsprism.cluster._model import ClusterModel, model_for
from newsprism.cluster._online import OnlineClusterer
from newsprism.cluster._splits import MIN_SIZE, apply_split, plan_split
from newsprism.errors import ConfigError
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Article

__all__ = ["ClusterReport", "cluster_pending", "merge_stories", "next_id", "split_stories"]


@dataclass(frozen=True)
class ClusterReport:
    """`assigned` articles placed this run; `stories` live stories in the store afterwards; `created`
    new stories, `merged` stories retired into another and `split` stories cut off another this run."""

    assigned: int
    stories: int
    created: int
    merged: int
    split: int = 0
    joined: int = 0  # stories the second pass merged into another


def next_id(store: Store, counter: str, prefix: str) -> str:
    """The next id of a counter (`s000001`, ...); ids are never reused, so nothing is renumbered."""
    db = store.connection
    with store.transaction():
        db.execute("INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)", (counter,))
        db.execute("UPDATE counters SET value = value + 1 WHERE name = ?", (counter,))
        value = int(db.execute("SELECT value FROM counters WHERE name = ?", (counter,)).fetchone()[0])
    return f"{prefix}{value:06d}"


def _ingest_day(ingested_at: str) -> float:
    day = day_number(ingested_at)
    return 0.0 if day is None else day


def _day(item: ArticleFeatures) -> float:
    # in the store every article has a day: published, else the day it was ingested
    return 0.0 if item.day is None else item.day


def _load(store: Store, rows: Sequence[tuple[str, str]], embedder: str) -> list[ArticleFeatures]:
    """Features of (article data JSON, ingested_at) rows, vectors from the embedding cache."""
    articles = [Article.from_json(json.loads(data)) for data, _ in rows]
    if not articles:
        return []
    found = load_analyses(store, [a.id for a in articles])
    analyses: list[Analysis] = [found[a.id] for a in articles]
    vectors = cached_embed(store, embedder, ARTICLE_KIND, [a.id for a in articles],
                           [article_head(a) for a in articles])
    return features_of(articles, analyses, vectors, [_ingest_day(at) for _, at in rows])


def cluster_pending(
    store: Store,
    settings: Settings,
    *,
    progress: bool = True,
    model: ClusterModel | None = None,
    batch: int = 512,
    split: bool = True,
    join: bool = True,
) -> ClusterReport:
    """Assigns every article not yet in a story, in ingest order, to a story (existing or new).

    Touched stories get `dirty = 1`; merges are recorded in `story_events` and the merged story keeps
    its row with `retired_into` set. Only stories active within `settings.cluster_window_days` of the
    new articles are loaded, so a run costs what the new articles cost, not what the archive holds.
    Article vectors are those of `settings.cluster_embedder`, the same that `analyse_pending` stores;
    `model` defaults to the one learned for that embedder. With `join`, `merge_stories` (the second pass)
    runs after assignment; with `split`, `split_stories` runs last."""
    from rich.progress import Progress

    model = model or model_for(settings.cluster_embedder)
    if model.embedder != settings.cluster_embedder:
        raise ConfigError(
            f"model learned on {model.embedder} vectors, settings use {settings.cluster_embedder}"
        )
    analyse_pending(store, settings, progress=progress)
    db = store.connection
    pending = db.execute(
        "SELECT data, ingested_at FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles)"
        " ORDER BY seq"
    ).fetchall()
    if not pending:
        # a run killed between assignment and splitting left stories unexamined (dirty for the merge
        # pass, resplit = 1 for the split step): look at them now
        joined = merge_stories(store, settings, model=model) if join else 0
        splits = split_stories(store, settings, model=model) if split else 0
        return ClusterReport(0, _live_stories(store), 0, 0, splits, joined)
    window = float(settings.cluster_window_days)
    clusterer = OnlineClusterer(model, 0, window)
    sid_of: dict[int, str] = {}
    created = merged = assigned = 0
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("clustering", total=len(pending))
        for start in range(0, len(pending), batch):
            items = _load(store, pending[start : start + batch], model.embedder)
            if clusterer.dim == 0:
                clusterer.dim = int(items[0].vector.shape[0])
                _resume(store, clusterer, sid_of, min(_day(i) for i in items) - window - 1, model.embedder)
                _keep_split_stories_apart(store, clusterer, sid_of)
            with store.transaction():
                for item in items:
                    result = clusterer.assign(item)
                    if result.created:
                        sid_of[result.key] = next_id(store, "story", "s")
                        db.execute("INSERT INTO stories (id) VALUES (?)", (sid_of[result.key],))
                        created += 1
                    sid = sid_of[result.key]
                    for other in result.merged:
                        _merge(store, sid, sid_of[other], item.id)
                        merged += 1
                    db.execute("INSERT INTO story_articles (story_id, article_id, score) VALUES (?,?,?)",
                               (sid, item.id, result.score))
                    day = iso_day(_day(item))
                    db.execute(
                        "UPDATE stories SET dirty = 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),"
                        " first_published = min(coalesce(first_published, ?), ?),"
                        " last_published = max(coalesce(last_published, ?), ?) WHERE id = ?",
                        (day, day, day, day, sid),
                    )
                    assigned += 1
            bar.advance(task, len(items))
    joined = merge_stories(store, settings, model=model) if join else 0
    splits = split_stories(store, settings, model=model) if split else 0
    return ClusterReport(assigned, _live_stories(store), created, merged, splits, joined)


def merge_stories(
    store: Store, settings: Settings, *, model: ClusterModel | None = None, agreement: float | None = None
) -> int:
    """The second pass: each dirty live story (touched since it was last composed) against its ANN
    neighbours; two stories merge when the learned model, scoring each member of the smaller against
    the larger (its own story as the rival), gives a mean probability of at least
    `model.join_threshold` (in the model's artifact, chosen on train folds; two stories of headlines
    alone: `model.headline_join_threshold`; `agreement` overrides both).
    The larger keeps its id (tie: the older id); the merge is recorded as online merges are
    (`retired_into`, a `merge` row in `story_events`), one transaction each, and the survivor is
    examined again, so a run ends at a fixpoint and a rerun (after a kill, too) merges what an
    uninterrupted run would. Returns how many stories were merged away."""
    model = model or model_for(settings.cluster_embedder)
    least = agreement  # None: the model's thresholds, by kind of story
    db = store.connection
    rows = db.execute(
        "SELECT id FROM stories WHERE dirty = 1 AND retired_into IS NULL ORDER BY id"
    ).fetchall()
    if not rows:
        return 0
    window = float(settings.cluster_window_days)
    (earliest,) = db.execute(
        "SELECT min(first_published) FROM stories WHERE dirty = 1 AND retired_into IS NULL"
    ).fetchone()
    clusterer = OnlineClusterer(model, 0, window)
    sid_of: dict[int, str] = {}
    items = _resume(store, clusterer, sid_of, (day_number(earliest) or 0.0) - window - 1, model.embedder)
    _keep_split_stories_apart(store, clusterer, sid_of)
    key_of = {sid: key for key, sid in sid_of.items()}
    queue = [key_of[str(r[0])] for r in rows if str(r[0]) in key_of]
    queued = set(queue)
    joined = 0
    while queue:
        key = queue.pop(0)
        queued.discard(key)
        if key not in clusterer.stories:
            continue
        near = clusterer.story_candidates(key)
        scored = [(clusterer.agreement(key, other, items), other) for other in near]
        passing = [(p, other) for p, other in scored if p >= _least(clusterer, key, other, least)]
        if not passing:
            continue
        score, other = max(passing)
        first, second = clusterer.stories[key], clusterer.stories[other]
        # the larger keeps its id; of two equal stories, the older id
        big, small = sorted((first, second), key=lambda s: (-s.size, sid_of[s.key]))
        with store.transaction():
            _merge(store, sid_of[big.key], sid_of[small.key], None,
                   {"pass": "second", "agreement": round(score, 4)})
        clusterer.merge_stories(big.key, small.key)
        joined += 1
        if big.key not in queued:
            queue.append(big.key)
            queued.add(big.key)
    return joined


def _least(clusterer: OnlineClusterer, first: int, second: int, override: float | None) -> float:
    # two stories of headlines alone merge at the model's headline threshold, any other pair at its own
    if override is not None:
        return override
    a, b = clusterer.stories[first], clusterer.stories[second]
    return clusterer.model.agree_at(a.headlines == a.size and b.headlines == b.size)


def split_stories(store: Store, settings: Settings, *, model: ClusterModel | None = None) -> int:
    """Splits every dirty live story of at least `MIN_SIZE` articles that holds two events (see
    `_splits.py`); returns how many splits were made. Each split commits on its own, with its new id,
    so a kill leaves whole splits only, and a rerun on an unchanged store splits nothing more."""
    model = model or model_for(settings.cluster_embedder)
    db = store.connection
    # `resplit` (set by triggers when a story's articles change, cleared when a split run ends), not
    # `dirty`: composing clears `dirty`, so a build killed while composing would examine a different set
    # of stories, over a different window, on its rerun
    rows = db.execute(
        "SELECT s.id FROM stories s JOIN story_articles sa ON sa.story_id = s.id"
        " WHERE s.resplit = 1 AND s.retired_into IS NULL GROUP BY s.id HAVING count(*) >= ? ORDER BY s.id",
        (MIN_SIZE,),
    ).fetchall()
    if not rows:
        with store.transaction():
            db.execute("UPDATE stories SET resplit = 0 WHERE resplit = 1")
        return 0
    # The clusterer of the window around the stories to examine supplies term statistics and rival
    # stories. Its start is taken over all of them (resplit = 1), parts cut off included, so a rerun
    # loads the same window.
    window = float(settings.cluster_window_days)
    (earliest,) = db.execute(
        "SELECT min(first_published) FROM stories WHERE resplit = 1 AND retired_into IS NULL"
    ).fetchone()
    first = day_number(earliest) or 0.0
    clusterer = OnlineClusterer(model, 0, window)
    sid_of: dict[int, str] = {}
    features = _resume(store, clusterer, sid_of, first - window - 1, model.embedder)
    key_of = {sid: key for key, sid in sid_of.items()}
    splits = 0
    for (story_id,) in rows:
        key = key_of.get(str(story_id))
        if key is None:
            continue
        # members in arrival order; each part is examined again until no part splits
        everyone = list(clusterer.stories[key].members)
        queue = [(str(story_id), everyone)]
        while queue:
            sid, members = queue.pop()
            part = set(members)
            others = [features[m] for m in everyone if m not in part]
            plan = plan_split([features[m] for m in members], clusterer, key, others)
            if plan is None:
                continue
            with store.transaction():
                new_id = next_id(store, "story", "s")
                apply_split(store, sid, new_id, plan)
            splits += 1
            queue += [(sid, list(plan.kept)), (new_id, list(plan.moved))]
    with store.transaction():
        db.execute("UPDATE stories SET resplit = 0 WHERE resplit = 1")
    return splits


def _keep_split_stories_apart(store: Store, clusterer: OnlineClusterer, sid_of: dict[int, str]) -> None:
    key_of = {sid: key for key, sid in sid_of.items()}
    for story_id, new_story_id in store.connection.execute(
        "SELECT story_id, new_story_id FROM story_splits"
    ).fetchall():
        if story_id in key_of and new_story_id in key_of:
            clusterer.keep_apart(key_of[story_id], key_of[new_story_id])


def _live_stories(store: Store) -> int:
    row = store.connection.execute("SELECT count(*) FROM stories WHERE retired_into IS NULL").fetchone()
    return int(row[0])


def _resume(
    store: Store, clusterer: OnlineClusterer, sid_of: dict[int, str], since_day: float, embedder: str
) -> dict[str, ArticleFeatures]:
    """Replays stored members of live stories active since `since_day` into the clusterer; returns
    their features by article id."""
    db = store.connection
    since = iso_day(since_day)
    rows = db.execute(
        "SELECT a.data, a.ingested_at, sa.story_id FROM story_articles sa"
        " JOIN articles a ON a.id = sa.article_id"
        " JOIN stories s ON s.id = sa.story_id WHERE s.retired_into IS NULL AND s.last_published >= ?"
        " ORDER BY a.seq",
        (since,),
    ).fetchall()
    key_of: dict[str, int] = {}
    features = _load(store, [(r[0], r[1]) for r in rows], embedder)
    if features and clusterer.dim == 0:
        clusterer.dim = int(features[0].vector.shape[0])
    for item, row in zip(features, rows, strict=True):
        sid = str(row[2])
        if sid not in key_of:
            key_of[sid] = clusterer.new_key()
            sid_of[key_of[sid]] = sid
        clusterer.add_existing(item, key_of[sid])
    return {item.id: item for item in features}


def _merge(store: Store, survivor: str, retired: str, bridge: str | None,
           detail: dict[str, object] | None = None) -> None:
    db = store.connection
    db.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (survivor, retired))
    db.execute("UPDATE stories SET retired_into = ?, dirty = 1 WHERE id = ?", (survivor, retired))
    db.execute(
        "UPDATE stories SET first_published = min(first_published, (SELECT first_published FROM stories"
        " WHERE id = ?)),"
        " last_published = max(last_published, (SELECT last_published FROM stories WHERE id = ?))"
        " WHERE id = ?",
        (retired, retired, survivor),
    )
    db.execute(
        "INSERT INTO story_events (kind, story_id, other_id, detail) VALUES ('merge', ?, ?, ?)",
        (survivor, retired, json.dumps(detail if detail is not None else {"bridge_article": bridge})),
    )
