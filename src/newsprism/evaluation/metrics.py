"""Clustering quality against gold labels: B³, pairwise F1 and adjusted mutual information."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

__all__ = ["Scores", "score_clustering"]


@dataclass(frozen=True)
class Scores:
    b3_precision: float
    b3_recall: float
    b3_f1: float
    pairwise_f1: float
    ami: float
    clusters: int


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_clustering(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> Scores:
    """Scores of `predicted` against `gold` (one label per item, same order)."""
    from sklearn.metrics import adjusted_mutual_info_score

    n = len(gold)
    if n == 0 or n != len(predicted):
        raise ValueError("gold and predicted must be non-empty and of equal length")
    joint = Counter(zip(gold, predicted, strict=True))
    gold_sizes, pred_sizes = Counter(gold), Counter(predicted)
    # B³: per item, the share of its predicted cluster that shares its gold cluster (and vice versa)
    precision = sum(c * c / pred_sizes[p] for (_, p), c in joint.items()) / n
    recall = sum(c * c / gold_sizes[g] for (g, _), c in joint.items()) / n
    true_pairs = sum(c * (c - 1) / 2 for c in joint.values())
    pred_pairs = sum(c * (c - 1) / 2 for c in pred_sizes.values())
    gold_pairs = sum(c * (c - 1) / 2 for c in gold_sizes.values())
    pair_p = true_pairs / pred_pairs if pred_pairs else 1.0
    pair_r = true_pairs / gold_pairs if gold_pairs else 1.0
    codes_g = {g: i for i, g in enumerate(gold_sizes)}
    codes_p = {p: i for i, p in enumerate(pred_sizes)}
    ami = adjusted_mutual_info_score([codes_g[g] for g in gold], [codes_p[p] for p in predicted])
    return Scores(precision, recall, _f1(precision, recall), _f1(pair_p, pair_r), float(ami), len(pred_sizes))
