"""The learned scoring model of the clusterer: logistic weights over the candidate features."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["LEARNED", "ClusterModel"]


@dataclass(frozen=True)
class ClusterModel:
    """p(same story) = sigmoid(bias + weights · features); join when p ≥ threshold, merge two stories
    when the second one also reaches merge_threshold."""

    FEATURES = ("best_cosine", "centroid_cosine", "entity_overlap", "word_overlap", "time_gap", "log_size")

    weights: tuple[float, ...]
    bias: float
    threshold: float
    merge_threshold: float = 0.97
    embedder: str = "wordllama.v1"

    def probability(self, features: list[float]) -> float:
        z = self.bias + sum(w * f for w, f in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


# Placeholder until learned (replaced by the values `python -m newsprism.cluster._learn` prints).
LEARNED = ClusterModel(weights=(8.0, 4.0, 3.0, 4.0, -3.0, 0.0), bias=-9.0, threshold=0.5)
