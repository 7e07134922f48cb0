"""The learned scoring model of the clusterer: logistic weights over the candidate features.

The weights are artifacts, not code: `cluster/models/<embedder>.json` (format
`newsprism.cluster-model.v1`: features, weights, bias, thresholds and a provenance record of the data,
folds and scores it was learned and measured on), written by
`python -m newsprism.evaluation.learn_cluster` and loaded by the name of the embedder whose vectors
they read."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsprism.artifacts import read_artifact, shipped_artifacts
from newsprism.errors import ConfigError
from newsprism.settings import Settings

__all__ = ["FORMAT", "LEARNED", "MODELS", "ClusterModel", "load_model", "model_for", "save_model"]

FORMAT = "newsprism.cluster-model.v1"


@dataclass(frozen=True)
class ClusterModel:
    """p(same story) = sigmoid(bias + weights · features); join when p ≥ threshold, merge two stories
    when the second one also reaches merge_threshold."""

    FEATURES = ("best_cosine", "centroid_cosine", "entity_overlap", "word_overlap", "title_overlap",
                "time_gap", "margin")
    PAIR_FEATURES = ("agreement", "centroid_cosine", "member_cosine", "word_tfidf", "title_tfidf",
                     "entity_overlap", "margin_low", "margin_high")

    weights: tuple[float, ...]
    bias: float
    threshold: float
    merge_threshold: float = 0.97
    embedder: str = "wordllama.v1"
    # the second pass: two stories merge when their members' mean p reaches this (chosen on train folds)
    join_threshold: float = 0.995
    # an article never joins (nor a story merges with) one whose title actors it shares nothing with:
    # "Sbarro files for bankruptcy" is not "Mt. Gox files for bankruptcy" (`OnlineClusterer.disagree`)
    actor_veto: bool = False
    # headlines alone (no lead) score lower on every feature than the title + lead rows the weights were
    # learned on, so they join at their own thresholds (online, and the second pass between two stories
    # of headlines only); None: the thresholds above
    headline_threshold: float | None = None
    # the second pass scores a member with the nearest third story as a rival too, between two stories
    # without dates (`OnlineClusterer.agreement`)
    pass_rivals: bool = False
    headline_join_threshold: float | None = None
    # the pair pass after the second pass: a logistic model over story-pair features (PAIR_FEATURES,
    # `OnlineClusterer.pair_features`) merges two stories when p >= pair_threshold; None: no such pass
    pair_weights: tuple[float, ...] | None = None
    pair_bias: float = 0.0
    pair_threshold: float = 1.0
    provenance: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def join_at(self, headline: bool) -> float:
        """The online join threshold of an article (`headline`: a headline alone)."""
        return self.threshold if not headline or self.headline_threshold is None else self.headline_threshold

    def agree_at(self, headlines: bool) -> float:
        """The second-pass threshold of two stories (`headlines`: both of headlines only)."""
        chosen = self.headline_join_threshold if headlines else None
        return self.join_threshold if chosen is None else chosen

    def probability(self, features: list[float]) -> float:
        return _sigmoid(self.bias + sum(w * f for w, f in zip(self.weights, features, strict=True)))

    def pair_probability(self, features: list[float]) -> float:
        """p(same story) of two whole stories from their PAIR_FEATURES row; 0 without a pair model."""
        if self.pair_weights is None:
            return 0.0
        return _sigmoid(self.pair_bias + sum(w * f for w, f in zip(self.pair_weights, features, strict=True)))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "embedder": self.embedder, "features": list(self.FEATURES),
                "weights": list(self.weights), "bias": self.bias, "threshold": self.threshold,
                "merge_threshold": self.merge_threshold, "join_threshold": self.join_threshold,
                "actor_veto": self.actor_veto, "headline_threshold": self.headline_threshold,
                "headline_join_threshold": self.headline_join_threshold, "pass_rivals": self.pass_rivals,
                **({} if self.pair_weights is None else {
                    "pair_features": list(self.PAIR_FEATURES), "pair_weights": list(self.pair_weights),
                    "pair_bias": self.pair_bias, "pair_threshold": self.pair_threshold}),
                "provenance": dict(self.provenance)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClusterModel:
        if data.get("format") != FORMAT or tuple(data["features"]) != cls.FEATURES:
            raise ConfigError(f"not a {FORMAT} model with features {cls.FEATURES}")
        pair = data.get("pair_weights")
        if pair is not None and tuple(data.get("pair_features", ())) != cls.PAIR_FEATURES:
            raise ConfigError(f"not a {FORMAT} pair model with features {cls.PAIR_FEATURES}")
        return cls(tuple(float(w) for w in data["weights"]), float(data["bias"]), float(data["threshold"]),
                   float(data["merge_threshold"]), str(data["embedder"]),
                   float(data.get("join_threshold", data["merge_threshold"])),
                   bool(data.get("actor_veto", False)),
                   _optional(data.get("headline_threshold")), bool(data.get("pass_rivals", False)),
                   _optional(data.get("headline_join_threshold")),
                   None if pair is None else tuple(float(w) for w in pair),
                   float(data.get("pair_bias", 0.0)), float(data.get("pair_threshold", 1.0)),
                   {str(k): str(v) for k, v in data.get("provenance", {}).items()})


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)


def save_model(model: ClusterModel, path: Path) -> None:
    path.write_text(json.dumps(model.to_json(), indent=1) + "\n", "utf-8")


def load_model(path: Path) -> ClusterModel:
    return ClusterModel.from_json(json.loads(path.read_text("utf-8")))


def _shipped() -> dict[str, ClusterModel]:
    found = {}
    for name in shipped_artifacts("cluster")["cluster"]:
        model = ClusterModel.from_json(read_artifact("cluster", name))
        found[model.embedder] = model
    return found


# learned models by the embedder whose vectors they read (Settings.cluster_embedder picks one)
MODELS: dict[str, ClusterModel] = _shipped()
LEARNED = MODELS[Settings().cluster_embedder]  # the default's model


def model_for(embedder: str) -> ClusterModel:
    """The learned model for article vectors of `embedder`; ConfigError when none was learned for it."""
    if embedder not in MODELS:
        known = ", ".join(MODELS)
        raise ConfigError(f"no clustering model learned for embedder {embedder!r}; known: {known}")
    return MODELS[embedder]
