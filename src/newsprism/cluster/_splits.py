"""Splits: a story found to hold two events is cut in two; the larger part keeps the story id.

Online assignment only grows stories: an article that bridges two stories merges them, and a story can
drift as it grows. So after a run every story touched since it was last composed (`dirty`) with at least
`MIN_SIZE` articles is looked at again from scratch, with the same learned model:
1. each pair of its articles is scored as if one were a one-article story the other might join, with
   the other stories of the window as rivals (`pair_probabilities`, symmetric);
2. the articles are grouped in two by average linkage on those probabilities;
3. the story is split only when the two groups are clearly apart: their mean cross-group probability is
   below `SPLIT_BELOW`, i.e. the model, asked afresh, holds them to be different stories.
The step repeats on both parts until no part splits, so one run settles a story and a rerun on the
same store finds nothing to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsprism.cluster._features import ArticleFeatures
from newsprism.cluster._online import OnlineClusterer, StoryState
from newsprism.store import StoreTables

__all__ = [
    "MAX_SIZE", "MIN_SIZE", "SPLIT_BELOW", "SplitPlan", "apply_split", "pair_probabilities", "plan_split",
]

# A story of three is at most one event plus a bridge; the triplet data sets say nothing about smaller
# splits, and a single outlier article is left to the composer rather than made a story of its own.
MIN_SIZE = 4
MIN_PART = 2
# "clearly apart": the model's own even odds, not a threshold tuned on the evaluation sets
SPLIT_BELOW = 0.5
# pairs cost O(n²) feature rows; a story this large is a running thread that splits no better here
MAX_SIZE = 120


@dataclass(frozen=True)
class SplitPlan:
    """`kept` articles stay in the story, `moved` ones go to a new story; `apart` is the mean p(same
    story) across the two parts, `together` the mean within them."""

    kept: tuple[str, ...]
    moved: tuple[str, ...]
    apart: float
    together: float


def _single(item: ArticleFeatures, dim: int) -> StoryState:
    story = StoryState(-1, np.zeros(dim, dtype=np.float32))
    story.add(item)
    return story


def pair_probabilities(
    members: Sequence[ArticleFeatures],
    clusterer: OnlineClusterer,
    own_key: int | tuple[int, ...] | None = None,
    others: Sequence[ArticleFeatures] = (),
) -> npt.NDArray[np.float64]:
    """p(same story) of each pair of `members` by `clusterer`'s model and term statistics.

    The rival of an article is its nearest article outside `members`: in a story of `clusterer` other
    than `own_key` (the story being examined), or among `others` (the rest of that story when `members`
    is a part of it already cut off). So a part scores the same whether it is examined right after a
    split or later as a story of its own, and a rerun repeats the decision."""
    dim = int(members[0].vector.shape[0])
    singles = [_single(m, dim) for m in members]
    rest = np.stack([o.vector for o in others]) if others else np.zeros((0, dim), dtype=np.float32)
    own = (own_key,) if isinstance(own_key, int) else own_key or ()
    rivals = []
    for item in members:
        found = clusterer.candidates(item)
        near = [c for k, c in found.items() if k not in own]
        near += [float(c) for c in rest @ item.vector]
        rivals.append(max(near, default=0.0))
    vectors = np.stack([m.vector for m in members])
    cosines = vectors @ vectors.T
    n = len(members)
    p = np.eye(n)
    for i in range(n):
        for j in range(n):
            if i != j:
                row = clusterer.features(members[i], singles[j], float(cosines[i, j]), rivals[i])
                p[i, j] = clusterer.model.probability(row)
    return (p + p.T) / 2


def plan_split(
    members: Sequence[ArticleFeatures],
    clusterer: OnlineClusterer,
    own_key: int | tuple[int, ...] | None = None,
    others: Sequence[ArticleFeatures] = (),
) -> SplitPlan | None:
    """How to cut a story of `members` (in arrival order) in two, or None when it is one event (see
    `pair_probabilities` for `own_key`, the stories that hold `members`, and `others`)."""
    from sklearn.cluster import AgglomerativeClustering

    if not MIN_SIZE <= len(members) <= MAX_SIZE:
        return None
    p = pair_probabilities(members, clusterer, own_key, others)
    groups = AgglomerativeClustering(n_clusters=2, metric="precomputed", linkage="average").fit_predict(1 - p)
    first, second = groups == 0, groups == 1
    apart = float(p[np.ix_(first, second)].mean())
    within = [p[np.ix_(g, g)][np.triu_indices(int(g.sum()), 1)] for g in (first, second)]
    pairs = np.concatenate(within)
    together = float(pairs.mean()) if pairs.size else 1.0
    if apart >= SPLIT_BELOW or min(int(first.sum()), int(second.sum())) < MIN_PART:
        return None
    # the larger part keeps the id; on a tie the part with the story's first article does
    keep = first if (first.sum(), first[0]) >= (second.sum(), second[0]) else second
    kept = tuple(m.id for m, k in zip(members, keep, strict=True) if k)
    moved = tuple(m.id for m, k in zip(members, keep, strict=True) if not k)
    return SplitPlan(kept, moved, apart, together)


def apply_split(store: StoreTables, story_id: str, new_id: str, plan: SplitPlan) -> None:
    """Moves `plan.moved` from `story_id` to the new story `new_id` and records the split; both stories
    are marked dirty, so the next build composes both again. Call inside `store.transaction()`."""
    store.stories.split(story_id, new_id, plan.moved, plan.apart, plan.together,
                        "re-clustered from scratch: two groups apart")
