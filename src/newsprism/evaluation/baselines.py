"""Baselines run next to the clusterer in `newsprism eval cluster`, on the same inputs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsprism.analyse import article_head, get_embedder
from newsprism.types import Article

__all__ = ["all_in_one", "singletons", "tfidf_agglomerative", "tfidf_agglomerative_cuts"]


def all_in_one(articles: Sequence[Article]) -> list[int]:
    return [0] * len(articles)


def singletons(articles: Sequence[Article]) -> list[int]:
    return list(range(len(articles)))


def tfidf_agglomerative_cuts(articles: Sequence[Article], cuts: Sequence[float]) -> dict[float, list[int]]:
    """Average-link agglomerative clustering of TF-IDF (tfidf.v1) title+lead vectors, cut at each cosine
    distance of `cuts` (offline and with every article known in advance: an easier setting than online).

    One linkage tree serves every cut: a tree costs O(n²), and NeuS pooled has 8,277 articles."""
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(articles) < 2:
        return {cut: [0] * len(articles) for cut in cuts}
    heads = [article_head(a) for a in articles]
    vectors = np.asarray(get_embedder("tfidf.v1").embed(heads), dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1.0, norms)
    upper = np.triu_indices(len(articles), 1)
    distances = np.clip(1.0 - (vectors @ vectors.T)[upper], 0.0, 2.0)
    tree = linkage(distances, method="average")
    return {cut: [int(x) for x in fcluster(tree, t=cut, criterion="distance")] for cut in cuts}


def tfidf_agglomerative(articles: Sequence[Article], cut: float) -> list[int]:
    """`tfidf_agglomerative_cuts` at one cut."""
    return tfidf_agglomerative_cuts(articles, [cut])[cut]
