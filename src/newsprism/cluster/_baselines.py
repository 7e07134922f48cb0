"""Baselines run next to the clusterer in `newsprism eval cluster`, on the same inputs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsprism.analyse import article_head, get_embedder
from newsprism.types import Article

__all__ = ["all_in_one", "singletons", "tfidf_agglomerative"]


def all_in_one(articles: Sequence[Article]) -> list[int]:
    return [0] * len(articles)


def singletons(articles: Sequence[Article]) -> list[int]:
    return list(range(len(articles)))


def tfidf_agglomerative(articles: Sequence[Article], cut: float) -> list[int]:
    """Average-link agglomerative clustering of TF-IDF (tfidf.v1) title+lead vectors, cut at cosine
    distance `cut` (offline and with every article known in advance: an easier setting than online)."""
    from sklearn.cluster import AgglomerativeClustering

    if len(articles) < 2:
        return [0] * len(articles)
    vectors = get_embedder("tfidf.v1").embed([article_head(a) for a in articles])
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=cut
    )
    return [int(x) for x in model.fit_predict(np.asarray(vectors))]
