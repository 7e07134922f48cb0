"""Incremental clustering of the store: new articles, in ingest order, into stable stories."""

from __future__ import annotations

from dataclasses import dataclass

from newsprism.analyse import analyse_pending
from newsprism.cluster._features import ArticleFeatures, day_number, iso_day
from newsprism.cluster._model import ClusterModel, model_for
from newsprism.cluster._online import OnlineClusterer
from newsprism.cluster._splits import MIN_SIZE, apply_split, plan_split
from newsprism.cluster._working import WorkingSet
from newsprism.errors import ConfigError
from newsprism.settings import Settings
from newsprism.store import StoreTables

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


def next_id(store: StoreTables, counter: str, prefix: str) -> str:
    """The next id of a counter (`s000001`, ...); ids are never reused, so nothing is renumbered."""
    return store.stories.next_id(counter, prefix)


def _day(item: ArticleFeatures) -> float:
    # in the store every article has a day: published, else the day it was ingested
    return 0.0 if item.day is None else item.day


def cluster_pending(
    store: StoreTables,
    settings: Settings,
    *,
    progress: bool = True,
    model: ClusterModel | None = None,
    batch: int = 512,
    split: bool = True,
    join: bool = True,
    working: WorkingSet | None = None,
) -> ClusterReport:
    """Assigns every article not yet in a story, in ingest order, to a story (existing or new).

    Touched stories get `dirty = 1`; merges are recorded in `story_events` and the merged story keeps
    its row with `retired_into` set. Only stories active within `settings.cluster_window_days` of the
    new articles are loaded, so a run costs what the new articles cost, not what the archive holds.
    Article vectors are those of `settings.cluster_embedder`, the same that `analyse_pending` stores;
    `model` defaults to the one learned for that embedder. With `join`, `merge_stories` (the second pass)
    runs after assignment; with `split`, `split_stories` runs last. Articles are read once, into
    `working` (a fresh working set when None), which all three passes share and a build hands on to
    the storyline step."""
    from rich.progress import Progress

    model = model or model_for(settings.cluster_embedder)
    if model.embedder != settings.cluster_embedder:
        raise ConfigError(
            f"model learned on {model.embedder} vectors, settings use {settings.cluster_embedder}"
        )
    analyse_pending(store, settings, progress=progress)
    work = working if working is not None else WorkingSet(store, model.embedder)
    stories = store.stories
    pending = stories.unclustered_article_ids()
    if not pending:
        # a run killed between assignment and splitting left stories unexamined (dirty for the merge
        # pass, resplit = 1 for the split step): look at them now
        joined = merge_stories(store, settings, model=model, working=work) if join else 0
        splits = split_stories(store, settings, model=model, working=work) if split else 0
        return ClusterReport(0, stories.live_count(), 0, 0, splits, joined)
    window = float(settings.cluster_window_days)
    clusterer = OnlineClusterer(model, 0, window)
    sid_of: dict[int, str] = {}
    created = merged = assigned = 0
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("clustering", total=len(pending))
        for start in range(0, len(pending), batch):
            items = work.features(pending[start : start + batch])
            if clusterer.dim == 0:
                clusterer.dim = int(items[0].vector.shape[0])
                _resume(store, clusterer, sid_of, min(_day(i) for i in items) - window - 1, work)
                _keep_split_stories_apart(store, clusterer, sid_of)
            with store.transaction():
                for item in items:
                    result = clusterer.assign(item)
                    if result.created:
                        sid_of[result.key] = next_id(store, "story", "s")
                        stories.create(sid_of[result.key])
                        created += 1
                    sid = sid_of[result.key]
                    for other in result.merged:
                        _merge(store, sid, sid_of[other], item.id)
                        merged += 1
                    stories.assign(sid, item.id, result.score, iso_day(_day(item)))
                    assigned += 1
            bar.advance(task, len(items))
    joined = merge_stories(store, settings, model=model, working=work) if join else 0
    splits = split_stories(store, settings, model=model, working=work) if split else 0
    return ClusterReport(assigned, stories.live_count(), created, merged, splits, joined)


def merge_stories(
    store: StoreTables, settings: Settings, *, model: ClusterModel | None = None,
    agreement: float | None = None, working: WorkingSet | None = None,
) -> int:
    """The second pass: each dirty live story (touched since it was last composed) against its ANN
    neighbours; two stories merge when the learned model, scoring each member of the smaller against
    the larger (its own story as the rival), gives a mean probability of at least
    `model.join_threshold` (in the model's artifact, chosen on train folds; two stories of headlines
    alone: `model.headline_join_threshold`; `agreement` overrides both).
    The larger keeps its id (tie: the older id); the merge is recorded as online merges are
    (`retired_into`, a `merge` row in `story_events`), one transaction each, and the survivor is
    examined again, so a run ends at a fixpoint and a rerun (after a kill, too) merges what an
    uninterrupted run would. Then, when the model has a pair model, the pair pass (`_pair_pass`) runs
    over the same stories; not with `agreement` (an override for tuning the second pass alone).
    Returns how many stories were merged away."""
    model = model or model_for(settings.cluster_embedder)
    least = agreement  # None: the model's thresholds, by kind of story
    dirty = store.stories.dirty_ids()
    if not dirty:
        return 0
    window = float(settings.cluster_window_days)
    earliest = store.stories.earliest_dirty()
    clusterer = OnlineClusterer(model, 0, window)
    sid_of: dict[int, str] = {}
    work = working if working is not None else WorkingSet(store, model.embedder)
    items = _resume(store, clusterer, sid_of, (day_number(earliest) or 0.0) - window - 1, work)
    _keep_split_stories_apart(store, clusterer, sid_of)
    key_of = {sid: key for key, sid in sid_of.items()}
    queue = [key_of[sid] for sid in dirty if sid in key_of]
    examined = list(queue)
    queued = set(queue)
    # each examined story's candidates with their agreement, kept for the pair pass while still valid
    near: dict[int, dict[int, float]] = {}
    joined = 0
    while queue:
        key = queue.pop(0)
        queued.discard(key)
        if key not in clusterer.stories:
            continue
        near_key = clusterer.story_candidates(key)
        scored = [(clusterer.agreement(key, other, items), other) for other in near_key]
        passing = [(p, other) for p, other in scored if p >= _least(clusterer, key, other, least)]
        if not passing:
            near[key] = {other: p for p, other in scored}
            continue
        score, other = max(passing)
        first, second = clusterer.stories[key], clusterer.stories[other]
        # the larger keeps its id; of two equal stories, the older id
        big, small = sorted((first, second), key=lambda s: (-s.size, sid_of[s.key]))
        with store.transaction():
            _merge(store, sid_of[big.key], sid_of[small.key], None,
                   {"pass": "second", "agreement": round(score, 4)})
        clusterer.merge_stories(big.key, small.key)
        near = _still_valid(near, {key, other})
        joined += 1
        if big.key not in queued:
            queue.append(big.key)
            queued.add(big.key)
    if model.pair_weights is not None and least is None:
        joined += _pair_pass(store, clusterer, sid_of, items, examined, near)
    return joined


def _still_valid(near: dict[int, dict[int, float]], touched: set[int]) -> dict[int, dict[int, float]]:
    # an agreement involving a story that merged is stale
    return {k: v for k, v in near.items() if k not in touched and touched.isdisjoint(v)}


def _headlines_only(clusterer: OnlineClusterer, key: int) -> bool:
    # the pair model learned on title + lead stories; headlines alone score lower on every similarity
    # (they have their own thresholds), and on the UCI headlines its merges cost storylines 0.810 -> 0.802
    story = clusterer.stories[key]
    return story.headlines == story.size


def _would_split(clusterer: OnlineClusterer, items: dict[str, ArticleFeatures], first: int, second: int
                 ) -> bool:
    # a merge the split step would cut again is churn in ids and pages, and a sign of two events
    # (whether a story splits does not depend on its members' order)
    members = [items[m] for key in (first, second) for m in clusterer.stories[key].members]
    return plan_split(members, clusterer, (first, second)) is not None


# pairs whose members hardly agree are not scored: on the NeuS train folds none of the 9,843 candidate
# rows below this agreement reached the pair threshold, and they are half of all rows (half the cost)
_PAIR_FLOOR = 0.05


def _pair_pass(store: StoreTables, clusterer: OnlineClusterer, sid_of: dict[int, str],
               items: dict[str, ArticleFeatures], keys: list[int], near: dict[int, dict[int, float]]) -> int:
    """The pair pass, after the second pass's fixpoint: every candidate pair of the examined stories is
    scored by the model's pair model (`OnlineClusterer.pair_features`: agreement, centroid and member
    cosines, word, title and entity overlaps, the margins over each story's next-best candidate); pairs
    at or above `model.pair_threshold` merge, most probable first, each story at most once a round, and
    the merged stories are scored again in the next round until none passes. Stories of headlines alone
    take no part, nor does a merge the split step would cut again. Recorded as the second
    pass's merges are, with `"pass": "pair"`. Returns how many stories were merged away."""
    model = clusterer.model
    margins = [w for name, w in zip(model.PAIR_FEATURES, model.pair_weights or (), strict=True)
               if name.startswith("margin")]
    rising = all(w >= 0 for w in margins)  # p only grows with the margins

    def candidates_of(key: int) -> dict[int, float]:
        if key not in near:
            near[key] = {other: clusterer.agreement(key, other, items)
                         for other in clusterer.story_candidates(key)}
        return near[key]

    joined = 0
    todo = sorted(set(keys))
    while todo:
        scored = []
        for key in todo:
            if key not in clusterer.stories or _headlines_only(clusterer, key):
                continue
            mine = candidates_of(key)
            for other, agreement in mine.items():
                if agreement < _PAIR_FLOOR or _headlines_only(clusterer, other):
                    continue
                if rising:
                    # an upper bound first: the other story's margin is at most the whole agreement (no
                    # rival), so a pair that fails even so needs none of the other story's candidates
                    hopeful = clusterer.pair_features(key, other, items, mine, {key: agreement})
                    if model.pair_probability(hopeful) < model.pair_threshold:
                        continue
                row = clusterer.pair_features(key, other, items, mine, candidates_of(other))
                scored.append((model.pair_probability(row), key, other))
        scored.sort(key=lambda s: (-s[0], s[1], s[2]))
        touched: set[int] = set()
        survivors = []
        for p, first, second in scored:
            if p < model.pair_threshold:
                break
            if first in touched or second in touched or _would_split(clusterer, items, first, second):
                continue
            big, small = sorted((clusterer.stories[first], clusterer.stories[second]),
                                key=lambda s: (-s.size, sid_of[s.key]))
            with store.transaction():
                _merge(store, sid_of[big.key], sid_of[small.key], None, {"pass": "pair", "p": round(p, 4)})
            clusterer.merge_stories(big.key, small.key)
            touched |= {first, second}
            survivors.append(big.key)
            joined += 1
        near = _still_valid(near, touched)
        todo = sorted(survivors)
    return joined


def _least(clusterer: OnlineClusterer, first: int, second: int, override: float | None) -> float:
    # two stories of headlines alone merge at the model's headline threshold, any other pair at its own
    if override is not None:
        return override
    a, b = clusterer.stories[first], clusterer.stories[second]
    return clusterer.model.agree_at(a.headlines == a.size and b.headlines == b.size)


def split_stories(store: StoreTables, settings: Settings, *, model: ClusterModel | None = None,
                  working: WorkingSet | None = None) -> int:
    """Splits every dirty live story of at least `MIN_SIZE` articles that holds two events (see
    `_splits.py`); returns how many splits were made. Each split commits on its own, with its new id,
    so a kill leaves whole splits only, and a rerun on an unchanged store splits nothing more."""
    model = model or model_for(settings.cluster_embedder)
    # `resplit` (set by triggers when a story's articles change, cleared when a split run ends), not
    # `dirty`: composing clears `dirty`, so a build killed while composing would examine a different set
    # of stories, over a different window, on its rerun
    rows = store.stories.to_resplit(MIN_SIZE)
    if not rows:
        store.stories.clear_resplit()
        return 0
    # The clusterer of the window around the stories to examine supplies term statistics and rival
    # stories. Its start is taken over all of them (resplit = 1), parts cut off included, so a rerun
    # loads the same window.
    window = float(settings.cluster_window_days)
    first = day_number(store.stories.earliest_resplit()) or 0.0
    clusterer = OnlineClusterer(model, 0, window)
    sid_of: dict[int, str] = {}
    work = working if working is not None else WorkingSet(store, model.embedder)
    features = _resume(store, clusterer, sid_of, first - window - 1, work)
    key_of = {sid: key for key, sid in sid_of.items()}
    splits = 0
    for story_id in rows:
        key = key_of.get(story_id)
        if key is None:
            continue
        # members in arrival order; each part is examined again until no part splits
        everyone = list(clusterer.stories[key].members)
        queue = [(story_id, everyone)]
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
    store.stories.clear_resplit()
    return splits


def _keep_split_stories_apart(store: StoreTables, clusterer: OnlineClusterer, sid_of: dict[int, str]) -> None:
    key_of = {sid: key for key, sid in sid_of.items()}
    for story_id, new_story_id in store.stories.split_pairs():
        if story_id in key_of and new_story_id in key_of:
            clusterer.keep_apart(key_of[story_id], key_of[new_story_id])


def _resume(
    store: StoreTables, clusterer: OnlineClusterer, sid_of: dict[int, str], since_day: float,
    working: WorkingSet,
) -> dict[str, ArticleFeatures]:
    """Replays stored members of live stories active since `since_day` into the clusterer; returns
    their features by article id (from `working`, which reads only those it has not seen)."""
    members = store.stories.members_since(iso_day(since_day))
    key_of: dict[str, int] = {}
    features = working.features([m.article_id for m in members]) if members else []
    if features and clusterer.dim == 0:
        clusterer.dim = int(features[0].vector.shape[0])
    keys = []
    for member in members:
        sid = member.story_id
        if sid not in key_of:
            key_of[sid] = clusterer.new_key()
            sid_of[key_of[sid]] = sid
        keys.append(key_of[sid])
    clusterer.add_existing_many(features, keys)
    return {item.id: item for item in features}


def _merge(store: StoreTables, survivor: str, retired: str, bridge: str | None,
           detail: dict[str, object] | None = None) -> None:
    store.stories.merge(survivor, retired, detail if detail is not None else {"bridge_article": bridge})
