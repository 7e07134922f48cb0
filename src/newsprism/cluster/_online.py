"""Online clustering in memory: each article joins the best story found near it or opens a new one.

Candidates are the stories of the nearest articles in an ANN index (usearch), one index per week, and
only the weeks within the time window are searched; so the work per article depends on how much news
one window holds, not on the size of the archive. Each candidate is scored by a logistic model over
embedding similarity (best member and centroid), shared entities, shared content words of the lead and of
the title, time distance and the margin over the next-best candidate, whose weights and threshold were
learned on the clusterer's own decisions on development data (see `_learn.py`, `_model.py`). Story size
is deliberately not a feature: on the triplet data sets it learns "a story is full at three articles".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from usearch.index import Index

from newsprism.cluster._features import ArticleFeatures
from newsprism.cluster._model import ClusterModel

__all__ = ["Assignment", "OnlineClusterer", "StoryState"]

_WEEK = 7.0
_UNDATED = -(2**62)  # the shard of articles without a date: searched by every article, no window


@dataclass
class StoryState:
    """Running sums of one story: enough to score a new article against it."""

    key: int
    centroid: npt.NDArray[np.float32]  # sum of member vectors
    size: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    words: Counter[str] = field(default_factory=Counter)
    title_words: Counter[str] = field(default_factory=Counter)
    actors: Counter[str] = field(default_factory=Counter)
    first_day: float = math.inf
    last_day: float = -math.inf
    members: list[str] = field(default_factory=list)
    headlines: int = 0  # members that are headlines alone
    dated: int = 0  # members with a date of their own
    alive: bool = True
    # the centroid's L2 norm, computed once per change of the centroid (it is read for every candidate
    # scored against the story); None until then
    _norm: float | None = field(default=None, repr=False, compare=False)

    def norm(self) -> float:
        """The L2 norm of `centroid` (the same float `np.linalg.norm` gives, memoised)."""
        if self._norm is None:
            self._norm = float(np.linalg.norm(self.centroid))
        return self._norm

    def add(self, item: ArticleFeatures) -> None:
        self.centroid = self.centroid + item.vector
        self._norm = None
        self.size += 1
        self.entities.update(item.entities)
        self.words.update(item.words)
        self.title_words.update(item.title_words)
        self.actors.update(item.actors)
        self.headlines += item.headline
        self.dated += item.dated
        if item.day is not None:  # an undated member widens no time span
            self.first_day = min(self.first_day, item.day)
            self.last_day = max(self.last_day, item.day)
        self.members.append(item.id)

    def absorb(self, other: StoryState) -> None:
        self.centroid = self.centroid + other.centroid
        self._norm = None
        self.size += other.size
        self.entities.update(other.entities)
        self.words.update(other.words)
        self.title_words.update(other.title_words)
        self.actors.update(other.actors)
        self.headlines += other.headlines
        self.dated += other.dated
        self.first_day = min(self.first_day, other.first_day)
        self.last_day = max(self.last_day, other.last_day)
        self.members.extend(other.members)
        other.alive = False


@dataclass(frozen=True)
class Assignment:
    """Where an article went: story `key` (new or existing), its score, and stories merged into it."""

    article_id: str
    key: int
    score: float
    created: bool
    merged: tuple[int, ...] = ()


def _same_name(first: str, second: str) -> bool:
    # "china"/"chinese", "japan"/"japanese": one name (a common start of 4 letters or more)
    if first == second:
        return True
    n = min(len(first), len(second))
    if n < 4 or first[:4] != second[:4]:
        return False
    common = next((i for i in range(n) if first[i] != second[i]), n)
    return common >= 0.75 * n


def _named(tokens: list[str], words: frozenset[str] | Counter[str], actors: frozenset[str] | Counter[str]
           ) -> bool:
    """Whether any of `tokens` is among `words` or, spelt alike, among `actors`."""
    return any(t in words or t + "'s" in words or any(_same_name(t, a) for a in actors) for t in tokens)


def _best_except(near: dict[int, float], skip: int) -> float:
    """The best agreement among candidate stories other than `skip` (0 when there is none)."""
    return max((p for k, p in near.items() if k != skip), default=0.0)


def _week_of(item: ArticleFeatures) -> int:
    return _UNDATED if item.day is None else int(item.day // _WEEK)


def _gap(day: float | None, story: StoryState) -> float:
    """Days between `day` and the story's dated span; 0 when either side has no date."""
    if day is None or story.first_day > story.last_day:
        return 0.0
    return max(0.0, story.first_day - day, day - story.last_day)


class OnlineClusterer:
    """Assigns articles one at a time. `add_existing` replays stored assignments to rebuild state."""

    def __init__(self, model: ClusterModel, dim: int, window_days: float, neighbours: int = 24) -> None:
        self.model = model
        self.dim = dim
        self.window_days = float(window_days)
        self.neighbours = neighbours
        self.stories: dict[int, StoryState] = {}
        self._shards: dict[int, Index] = {}
        self._owner: list[int] = []  # ANN label (article number) -> story key
        self._alias: dict[int, int] = {}  # merged story key -> surviving key
        self._apart: set[frozenset[int]] = set()  # story keys a split separated: never merged again
        self._df: Counter[str] = Counter()  # document frequencies, for idf weights learned online
        self._adf: Counter[str] = Counter()  # how many articles name a word as (part of) an actor
        self._near: dict[str, frozenset[int]] = {}  # second pass: candidate stories of a member
        self._docs = 0
        self._idfs: dict[str, float] = {}  # idf by term until the next article is indexed
        # a term set's idf weights and their exact sum, until the next article is indexed: the split step
        # and the second pass score each member against many stories, and rebuilt them every time
        self._weights: dict[frozenset[str], tuple[dict[str, float], float]] = {}
        self._next_key = 0

    # --- state ---------------------------------------------------------------------------

    def _resolve(self, key: int) -> int:
        while key in self._alias:
            key = self._alias[key]
        return key

    def _index(self, item: ArticleFeatures, key: int) -> None:
        self._shard(_week_of(item)).add(len(self._owner), item.vector)
        self._count(item, key)
        self._forget_derived()

    def _shard(self, week: int) -> Index:
        shard = self._shards.get(week)
        if shard is None:
            shard = self._shards[week] = Index(ndim=self.dim, metric="ip", dtype="f32")
        return shard

    def _count(self, item: ArticleFeatures, key: int) -> None:
        # the indexed article's owner and its terms' document frequencies
        self._owner.append(key)
        self._df.update(item.entities | item.words)
        self._adf.update(item.actors)
        self._docs += 1

    def _forget_derived(self) -> None:
        self._near.clear()  # a new article may be anyone's neighbour
        self._idfs.clear()
        self._weights.clear()

    def keep_apart(self, first: int, second: int) -> None:
        """Stories `first` and `second` were split apart: a later article may join either, but does not
        merge them back (a merge that the next split would undo is churn in ids and pages)."""
        self._apart.add(frozenset((first, second)))

    def _kept_apart(self, first: int, second: int) -> bool:
        if not self._apart:
            return False
        firsts, seconds = self._keys_of(first), self._keys_of(second)
        return any(frozenset((a, b)) in self._apart for a in firsts for b in seconds)

    def _keys_of(self, key: int) -> set[int]:
        # a surviving story stands for every key merged into it
        return {key} | {old for old in self._alias if self._resolve(old) == key}

    def new_key(self) -> int:
        key = self._next_key
        self._next_key += 1
        return key

    def add_existing(self, item: ArticleFeatures, key: int) -> None:
        """Puts an already-assigned article into story `key` (used when resuming from the store)."""
        self._existing(key).add(item)
        self._index(item, key)

    def _existing(self, key: int) -> StoryState:
        story = self.stories.get(key)
        if story is None:
            story = self.stories[key] = StoryState(key, np.zeros(self.dim, dtype=np.float32))
            self._next_key = max(self._next_key, key + 1)
        return story

    def add_existing_many(self, items: Sequence[ArticleFeatures], keys: Sequence[int]) -> None:
        """`add_existing` of each item into its key, in order, with each week's ANN shard filled by one
        call on one thread (the same inserts in the same order: the same graph). Resuming a window added
        its thousands of stored members to usearch one call each."""
        pending: dict[int, tuple[list[int], list[npt.NDArray[np.float32]]]] = {}
        for item, key in zip(items, keys, strict=True):
            self._existing(key).add(item)
            labels, vectors = pending.setdefault(_week_of(item), ([], []))
            labels.append(len(self._owner))
            vectors.append(item.vector)
            self._count(item, key)
        for week, (labels, vectors) in pending.items():
            self._shard(week).add(np.array(labels, dtype=np.uint64), np.stack(vectors), threads=1)
        self._forget_derived()

    # --- scoring -------------------------------------------------------------------------

    def disagree(self, item: ArticleFeatures, story: StoryState) -> bool:
        """True when the model's actor veto is on and `item` and `story` name different actors: both
        titles name some, the story's key actor is named nowhere in the article (title or lead) and the
        article's nowhere in the story. Headlines that share a template ("X files for bankruptcy") score
        high on every similarity, yet two companies are two events."""
        if not self.model.actor_veto or not item.actors or not story.actors:
            return False
        mine = [t for t in item.actors if self._actor_like(t) and t in item.title_words]
        # the story's own actors: named by at least half its members, and by two or more (one headline
        # is no evidence of what a story is about)
        theirs = [t for t, n in story.actors.items()
                  if 2 * n >= story.size and n >= 2 and self._actor_like(t)]
        if not mine or not theirs:
            return False
        return not (_named(mine, story.words, story.actors) or _named(theirs, item.words, item.actors))

    def _actor_like(self, token: str) -> bool:
        # NER glues template words onto names ("Sbarro Files" is a person to spaCy): a word counts as
        # an actor when at least 40% of the titles that use it name it as one (this one counted)
        return (self._adf.get(token, 0) + 1) / (self._df.get(token, 0) + 1) >= 0.4

    def _idf(self, term: str) -> float:
        # the passes after assignment index nothing, so their millions of lookups hit this memo
        found = self._idfs.get(term)
        if found is None:
            found = self._idfs[term] = math.log((self._docs + 2) / (self._df.get(term, 0) + 1))
        return found

    def _overlap(self, terms: frozenset[str], counts: Counter[str], size: int) -> float:
        # idf-weighted share of the article's terms the story's members use (a rare shared name counts
        # more than a common word; a term half the members use counts half)
        if not terms:
            return 0.0
        # math.fsum: a set's order changes with the process's hash seed, and a running float sum with
        # it (in the last bit), so two runs on one store stored different split figures; fsum is exact,
        # so it is also the same over the shared terms alone (the others add exact zeros), in any order
        weights, total = self._term_weights(terms)
        if len(counts) < len(weights):
            shared = math.fsum(weight * min(1.0, count / size) for term, count in counts.items()
                               if count and (weight := weights.get(term)) is not None)
        else:
            shared = math.fsum(weight * min(1.0, count / size) for term, weight in weights.items()
                               if (count := counts.get(term, 0)))
        return shared / total if total else 0.0

    def _term_weights(self, terms: frozenset[str]) -> tuple[dict[str, float], float]:
        found = self._weights.get(terms)
        if found is None:
            weights = {term: self._idf(term) for term in terms}
            found = self._weights[terms] = (weights, math.fsum(weights.values()))
        return found

    def _centroid_cosine(self, item: ArticleFeatures, story: StoryState) -> float:
        norm = story.norm() or 1.0
        return float(story.centroid @ item.vector) / norm

    def features(
        self, item: ArticleFeatures, story: StoryState, best_cosine: float, rival_cosine: float = 0.0
    ) -> list[float]:
        """The model inputs for `item` against `story` (order = ClusterModel.FEATURES); `rival_cosine` is
        the best centroid cosine among the other candidates (how much closer this story is than the rest)."""
        centroid_cosine = self._centroid_cosine(item, story)
        gap = _gap(item.day, story)
        return [
            best_cosine,
            centroid_cosine,
            self._overlap(item.entities, story.entities, story.size),
            self._overlap(item.words, story.words, story.size),
            self._overlap(item.title_words, story.title_words, story.size),
            min(gap / max(self.window_days, 1.0), 2.0),
            centroid_cosine - rival_cosine,
        ]

    def scored_candidates(self, item: ArticleFeatures) -> list[tuple[int, list[float]]]:
        """Each candidate story of `item` with its feature row."""
        found = self.candidates(item)
        cosines = {k: self._centroid_cosine(item, self.stories[k]) for k in found}
        ranked = sorted(cosines.values(), reverse=True)
        out = []
        for key, best in found.items():
            # the strongest rival: the best other candidate (the second best when this one is the best)
            rival = ranked[1] if cosines[key] >= ranked[0] and len(ranked) > 1 else (
                ranked[0] if cosines[key] < ranked[0] else 0.0)
            out.append((key, self.features(item, self.stories[key], best, rival)))
        return out

    def candidates(self, item: ArticleFeatures) -> dict[int, float]:
        """Live stories of the nearest indexed articles within the window, with the best cosine."""
        best: dict[int, float] = {}
        if item.day is None:
            # an undated article has no window: every shard is searched
            weeks: list[int] = list(self._shards)
        else:
            first = int((item.day - self.window_days) // _WEEK)
            last = int((item.day + self.window_days) // _WEEK)
            weeks = [*range(first, last + 1), _UNDATED]
        for week in weeks:
            shard = self._shards.get(week)
            if shard is None or len(shard) == 0:
                continue
            found = shard.search(item.vector, min(self.neighbours, len(shard)))
            for label, distance in zip(found.keys, found.distances, strict=True):
                key = self._resolve(self._owner[int(label)])
                story = self.stories[key]
                if _gap(item.day, story) > self.window_days:
                    continue
                cosine = 1.0 - float(distance)  # usearch "ip" distance is 1 - dot
                if cosine > best.get(key, -1.0):
                    best[key] = cosine
        return best

    # --- assignment ----------------------------------------------------------------------

    def assign(self, item: ArticleFeatures) -> Assignment:
        """Adds `item` to the best-scoring candidate story, or to a new story when none passes."""
        scored = sorted(
            ((self.model.probability(row), k) for k, row in self.scored_candidates(item)
             if not self.disagree(item, self.stories[k])), reverse=True
        )
        if scored and scored[0][0] >= self.model.join_at(item.headline):
            score, key = scored[0]
            merged = tuple(
                k for p, k in scored[1:] if p >= self.model.merge_threshold and not self._kept_apart(key, k)
            )
            for other in merged:
                # the article bridges two stories that were the same event all along
                self.stories[key].absorb(self.stories.pop(other))
                self._alias[other] = key
            created = False
        else:
            score, key, merged, created = (scored[0][0] if scored else 0.0), self.new_key(), (), True
            self.stories[key] = StoryState(key, np.zeros(self.dim, dtype=np.float32))
        self.stories[key].add(item)
        self._index(item, key)
        return Assignment(item.id, key, float(score), created, merged)

    # --- the second pass: stories whose members agree ------------------------------------

    def story_candidates(self, key: int, limit: int = 6) -> list[int]:
        """Live stories near story `key` (ANN neighbours of its centroid within the window), nearest
        centroid first; never itself nor a story a split kept apart from it."""
        story = self.stories[key]
        norm = story.norm() or 1.0
        dated = story.first_day <= story.last_day
        probe = ArticleFeatures(f"story:{key}", (story.centroid / norm).astype(np.float32), frozenset(),
                                frozenset(), story.last_day if dated else None)
        found = [k for k in self.candidates(probe) if k != key and not self._kept_apart(key, k)]
        ranked = sorted(found, key=lambda k: -self._centroid_cosine(probe, self.stories[k]))
        return ranked[:limit]

    def agreement(self, first: int, second: int, items: dict[str, ArticleFeatures], cap: int = 64) -> float:
        """Mean p(same story) of the smaller story's members against the larger story, each member's own
        story (without it) as the rival: how strongly the members agree that the two are one event. With
        the model's `pass_rivals` and two stories without dates, the nearest third story is a rival too,
        as it was when the member arrived (else a lone article has no rival at all, and its margin is its
        whole cosine)."""
        small, big = sorted((self.stories[first], self.stories[second]), key=lambda s: (s.size, s.key))
        others = np.stack([items[m].vector for m in big.members[-cap:]])
        # only between two stories without dates: there every story of the stream is a neighbour (one
        # window), and the nearest third one is what tells a topic from an event; with dates the window
        # does that, and a third rival only costs recall (roundups 0.949 -> 0.901 at agreement 0.9)
        rivals = self.model.pass_rivals and not (small.dated or big.dated)
        probabilities = []
        for member in small.members[:cap]:
            item = items[member]
            best = float(np.max(others @ item.vector))
            rest = small.centroid - item.vector
            norm = float(np.linalg.norm(rest))
            own = float(rest @ item.vector) / norm if small.size > 1 and norm > 0 else 0.0
            if rivals:
                own = max(own, self._best_other(item, (small.key, big.key)))
            vetoed = self.disagree(item, big)
            row = self.features(item, big, best, own)
            probabilities.append(0.0 if vetoed else self.model.probability(row))
        return float(np.mean(probabilities))

    def _best_other(self, item: ArticleFeatures, skip: tuple[int, ...]) -> float:
        # the ANN neighbours of a member do not change while the second pass merges stories (nothing is
        # indexed meanwhile), only which story holds them: search once, resolve the owners each time
        keys = self._near.get(item.id)
        if keys is None:
            keys = self._near[item.id] = frozenset(self.candidates(item))
        live = {self._resolve(k) for k in keys} - set(skip)
        near = (self._centroid_cosine(item, self.stories[k]) for k in live if k in self.stories)
        return max(near, default=0.0)

    def pair_features(self, first: int, second: int, items: dict[str, ArticleFeatures],
                      near_first: dict[int, float], near_second: dict[int, float], cap: int = 64
                      ) -> list[float]:
        """The pair model's inputs (order = ClusterModel.PAIR_FEATURES) for stories `first` and `second`:
        their agreement, centroid and mean member cosines, idf-weighted word, title-word and entity
        overlaps, and how far the agreement stands above each story's next-best candidate. `near_first`
        and `near_second`: each story's candidate stories with their agreement (`agreement`)."""
        a, b = self.stories[first], self.stories[second]
        agreement = near_first[second] if second in near_first else near_second[first]
        mine = np.stack([items[m].vector for m in a.members[:cap]])
        theirs = np.stack([items[m].vector for m in b.members[:cap]])
        norms = float(np.linalg.norm(a.centroid) * np.linalg.norm(b.centroid)) or 1.0
        low, high = sorted((agreement - _best_except(near_first, second),
                            agreement - _best_except(near_second, first)))
        return [
            agreement,
            float(a.centroid @ b.centroid) / norms,
            float(np.mean(mine @ theirs.T)),
            self._weighted_cosine(a.words, b.words),
            self._weighted_cosine(a.title_words, b.title_words),
            self._weighted_jaccard(a.entities, b.entities),
            low,
            high,
        ]

    def _weighted_cosine(self, first: Counter[str], second: Counter[str]) -> float:
        # TF-IDF cosine of two stories' term counts (a count: how many members use the term)
        def weight(term: str, count: int) -> float:
            return count * self._idf(term)

        shared = sum(weight(t, c) * weight(t, second[t]) for t, c in first.items() if t in second)
        if not shared:
            return 0.0
        norm = math.sqrt(sum(weight(t, c) ** 2 for t, c in first.items()))
        norm *= math.sqrt(sum(weight(t, c) ** 2 for t, c in second.items()))
        return shared / norm if norm else 0.0

    def _weighted_jaccard(self, first: Counter[str], second: Counter[str]) -> float:
        union = sum(self._idf(t) for t in first.keys() | second.keys())
        return sum(self._idf(t) for t in first.keys() & second.keys()) / union if union else 0.0

    def merge_stories(self, survivor: int, retired: int) -> None:
        """Story `retired` joins `survivor` (the second pass's merge)."""
        self.stories[survivor].absorb(self.stories.pop(retired))
        self._alias[retired] = survivor

    def labels(self, ids: list[str]) -> list[int]:
        """Story key of each article id (after merges)."""
        where = {member: key for key, story in self.stories.items() for member in story.members}
        return [where[i] for i in ids]
