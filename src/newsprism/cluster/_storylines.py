"""Storylines: stories of one thread (same actors, same issue) linked over weeks, each with a title.

Each story new or changed since the last run (`stories.relink`) is placed in time order, like an
article in the online clusterer but one level up:
1. candidates are the nearest stories by centroid in an ANN index (usearch), one index per quarter,
   searching only the quarters within `settings.storyline_window_days` of the story;
2. each candidate's group (its storyline, or the candidate alone when it has none) is scored by average
   linkage: the mean similarity of the story to the group's members within the window (at most
   `StorylineRule.members` of them, the nearest in time, so a long thread costs no more than a short one);
3. the story joins the best group scoring at least `StorylineRule.min_similarity`; joining a lone story
   opens a storyline for both. Nothing else moves: a storyline id, once given, stays.
Similarity mixes the centroid cosine of article vectors with the TF-IDF cosines of the stories' content
words and named entities (IDF over the stories loaded for the run), because vectors of a title and lead
see "an aftershock hits Chile" and "an aftershock hits Haiti" as one thread, and shared names do not.
Only stories within the window of the pending ones are loaded, so a run's cost follows what changed and
how much news one window holds, not the size of the archive.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from usearch.index import Index

from newsprism.cluster._features import day_number, iso_day
from newsprism.cluster._pending import next_id
from newsprism.cluster._working import WorkingSet
from newsprism.settings import Settings
from newsprism.store import StoreTables

__all__ = ["StorylineRule", "link_storylines", "shorten"]

_QUARTER = 91.0  # ANN shard span: a year's window searches ~9 shards, not the whole archive


@dataclass(frozen=True)
class StorylineRule:
    """A story joins the group whose members it resembles most on average, when that average is at least
    `min_similarity`; similarity = the weighted mean of centroid, content-word and entity cosines."""

    # tuned by `python -m newsprism.evaluation.tune_storylines` on MultiLing topics 0-4 (B³-F1 0.927 there,
    # 0.947 on the held-out topics 5-9), among rules that keep BASIL's and the AllSides roundups' largest
    # storyline under a tenth of their stories and link the demo seeds' Tokyo summit and Seoul visit
    min_similarity: float = 0.2
    vector_weight: float = 0.5
    word_weight: float = 0.25
    entity_weight: float = 0.25
    neighbours: int = 16  # candidates from the ANN index
    members: int = 32  # of a group, nearest in time, averaged over


@dataclass
class _Story:
    id: str
    storyline: str | None
    first: float
    last: float
    vector: npt.NDArray[np.float32]  # L2-normalised mean of the article vectors
    words: Counter[str]  # content words of titles and leads, summed sublinear tf
    entities: Counter[str]  # entity key -> share of the story's articles naming it
    headline: str = ""  # the title of the story's first article
    size: int = 1
    word_tfidf: dict[str, float] = field(default_factory=dict)
    entity_tfidf: dict[str, float] = field(default_factory=dict)

    def gap(self, other: _Story) -> float:
        """Days between the two stories' spans (0 when they overlap)."""
        return max(0.0, max(self.first, other.first) - min(self.last, other.last))


def _pending(store: StoreTables) -> list[tuple[str, float, float]]:
    # `relink` is set by triggers when a story's articles change, never by composing: a build killed
    # after linking and rerun links nothing again, as an uninterrupted one would
    return [(s.id, _day(s.first_published), _day(s.last_published or s.first_published))
            for s in store.stories.to_relink()]


def _day(when: str | None) -> float:
    return day_number(when) or 0.0


def _load(store: StoreTables, working: WorkingSet, since: float, until: float) -> list[_Story]:
    """Live stories whose span meets days [since, until], with their signatures (articles from
    `working`, which reads only those the clustering steps of this build did not)."""
    rows = store.stories.window_members(iso_day(since), iso_day(until + 1))
    members: dict[str, list[str]] = {}
    meta: dict[str, tuple[str | None, float, float]] = {}
    for row in rows:
        members.setdefault(row.story_id, []).append(row.article_id)
        meta[row.story_id] = (row.storyline_id, _day(row.first_published),
                              _day(row.last_published or row.first_published))
    articles = working.storyline_articles(r.article_id for r in rows)
    stories = []
    for sid, ids_of in members.items():
        present = [v for v in (articles[a].vector for a in ids_of) if v is not None]
        if not present:
            continue  # not analysed with this embedder: nothing to compare
        vector = np.mean(present, axis=0)
        vector = (vector / (np.linalg.norm(vector) or 1.0)).astype(np.float32)
        words: Counter[str] = Counter()
        entities: Counter[str] = Counter()
        for article_id in ids_of:
            words.update(dict(articles[article_id].terms))
            names = articles[article_id].entities
            if names is not None:
                # sorted: Counter breaks ties by insertion order, and a set's order changes with the hash seed
                entities.update(names)
        share = Counter({k: v / len(ids_of) for k, v in entities.items()})
        line, first, last = meta[sid]
        stories.append(_Story(sid, line, first, last, vector, words, share,
                              articles[ids_of[0]].title, len(ids_of)))
    return stories


def _tfidf(bags: list[Mapping[str, float]]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors of term bags (smoothed IDF over the bags themselves)."""
    frequency: Counter[str] = Counter()
    for bag in bags:
        frequency.update(bag.keys())
    n = len(bags)
    out = []
    for bag in bags:
        weights = {t: w * (math.log((n + 1) / (frequency[t] + 1)) + 1.0) for t, w in bag.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        out.append({t: w / norm for t, w in weights.items()})
    return out


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _similarity(a: _Story, b: _Story, rule: StorylineRule) -> float:
    return (rule.vector_weight * float(a.vector @ b.vector)
            + rule.word_weight * _cosine(a.word_tfidf, b.word_tfidf)
            + rule.entity_weight * _cosine(a.entity_tfidf, b.entity_tfidf)
            ) / (rule.vector_weight + rule.word_weight + rule.entity_weight)


class _Shards:
    """Story centroids in one usearch index per quarter; `near` searches only the quarters in reach."""

    def __init__(self, dim: int, window: float, neighbours: int) -> None:
        self.dim, self.window, self.neighbours = dim, window, neighbours
        self._shards: dict[int, Index] = {}
        self._stories: list[_Story] = []

    def add(self, story: _Story) -> None:
        quarter = int(story.first // _QUARTER)
        shard = self._shards.get(quarter)
        if shard is None:
            shard = self._shards[quarter] = Index(ndim=self.dim, metric="ip", dtype="f32")
        shard.add(len(self._stories), story.vector)
        self._stories.append(story)

    def near(self, story: _Story) -> list[_Story]:
        """The `neighbours` indexed stories nearest by centroid whose span is within the window of `story`."""
        found: dict[int, float] = {}
        low, high = int((story.first - self.window) // _QUARTER), int((story.last + self.window) // _QUARTER)
        for quarter in range(low, high + 1):
            shard = self._shards.get(quarter)
            if shard is None or len(shard) == 0:
                continue
            # one thread: a single query gains nothing from a pool and pays for starting one
            matches = shard.search(story.vector, min(self.neighbours, len(shard)), threads=1)
            for label, distance in zip(matches.keys, matches.distances, strict=True):
                other = self._stories[int(label)]
                if other is not story and story.gap(other) <= self.window:
                    found[int(label)] = float(distance)
        # the nearest `neighbours` over all shards: a year's window then costs no more groups to score
        # than a month's
        nearest = sorted(found, key=lambda k: (found[k], k))[: self.neighbours]
        return [self._stories[k] for k in sorted(nearest)]


def _place(story: _Story, shards: _Shards, groups: dict[str, list[_Story]], rule: StorylineRule,
           window: float) -> _Story | None:
    """A candidate of the group (storyline, or a lone story) `story` should join: the group with the best
    average similarity, when that reaches `rule.min_similarity`."""
    scored: dict[str, tuple[float, _Story]] = {}
    for candidate in shards.near(story):
        group = candidate.storyline or candidate.id
        if group in scored:
            continue
        members = [m for m in groups.get(group, [candidate]) if story.gap(m) <= window]
        members = sorted(members, key=lambda m: (story.gap(m), m.id))[: rule.members]
        scored[group] = (sum(_similarity(story, m, rule) for m in members) / len(members), candidate)
    # ties go to the smaller group id, so a run does not depend on the index's search order
    ranked = sorted(scored.items(), key=lambda item: (-item[1][0], item[0]))
    if not ranked or ranked[0][1][0] < rule.min_similarity:
        return None
    return ranked[0][1][1]


def shorten(headline: str, limit: int = 80) -> str:
    """A headline cut at a word boundary to at most `limit` characters (with "…" when cut), without an
    outlet suffix ("... | Reuters", "... - BBC News")."""
    text = re.sub(r"\s+", " ", headline).strip()
    text = re.sub(r"\s+[|–—-]\s+[^|–—-]{2,40}$", "", text) if len(text) > 30 else text
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"


def _retitle(store: StoreTables, line: str) -> None:
    # the headline of the thread's largest story (the earliest among equals) reads like a page title;
    # an entity list ("Japan, South Korea, Yoon") does not
    rows = store.stories.line_members(line)
    lead = min(rows, key=lambda r: (-r.size, str(r.first_published or ""), r.story_id))
    title = shorten(str(lead.first_title or "")) or "Untitled storyline"
    store.stories.title_storyline(line, title, [r.story_id for r in rows])


def _join(store: StoreTables, story: _Story, other: _Story, groups: dict[str, list[_Story]]) -> None:
    if other.storyline is None:
        other.storyline = next_id(store, "storyline", "l")
        store.stories.open_storyline(other.storyline)
        store.stories.set_storyline(other.id, other.storyline)
        groups[other.storyline] = [other]
    story.storyline = other.storyline
    groups[story.storyline].append(story)
    store.stories.set_storyline(story.id, story.storyline)


def link_storylines(store: StoreTables, settings: Settings, rule: StorylineRule = StorylineRule(),
                    working: WorkingSet | None = None) -> int:
    """Places each live story new or changed since the last run (see the module docstring): it joins the
    storyline of the stories it resembles within `settings.storyline_window_days`, or opens one with a
    lone story it resembles. Stories keep the storyline they have and ids never change. Returns the
    number of storylines in the store. Articles come from `working` (the build's working set; a fresh
    one when None)."""
    pending = _pending(store)
    if not pending:
        return store.stories.storyline_count()
    window = float(settings.storyline_window_days)
    since = min(p[1] for p in pending) - window
    until = max(p[2] for p in pending) + window
    # pending stories lie inside [since, until] by construction, so this loads them too
    work = working if working is not None else WorkingSet(store, settings.cluster_embedder)
    stories = _load(store, work, since, until)
    todo = {p[0] for p in pending}
    for story, words, names in zip(stories, _tfidf([s.words for s in stories]),
                                   _tfidf([s.entities for s in stories]), strict=True):
        story.word_tfidf, story.entity_tfidf = words, names
    changed: set[str] = set()
    # One transaction for placing, titling and marking done: a kill leaves all of it or none, so a rerun
    # places the same stories against the same groups in the same order.
    with store.transaction():
        if stories:
            shards = _Shards(int(stories[0].vector.shape[0]), window, rule.neighbours)
            groups: dict[str, list[_Story]] = {}
            for story in stories:
                if story.storyline is not None:
                    groups.setdefault(story.storyline, []).append(story)
                if story.id not in todo:
                    shards.add(story)
            for story in sorted((s for s in stories if s.id in todo), key=lambda s: (s.first, s.id)):
                if story.storyline is None:
                    other = _place(story, shards, groups, rule, window)
                    if other is not None:
                        _join(store, story, other, groups)
                if story.storyline is not None:
                    changed.add(story.storyline)  # a changed story may change its thread's title
                shards.add(story)
        for line in sorted(changed):
            _retitle(store, line)
        store.stories.mark_linked(sorted(todo))
    return store.stories.storyline_count()
