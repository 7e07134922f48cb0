"""`newsprism eval outlets`: held-out lean scores against AllSides 2019, next to a trivial baseline.

Every figure comes from `train.cross_fit`: k folds grouped by outlet, so each outlet is scored by a model
that never saw it. Article labels in the corpus are their outlet's label, so accuracy on held-out outlets
is the honest article figure (a random article split would let the model recognise the outlet).
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from newsprism.errors import InputError
from newsprism.evaluation.paths import shared
from newsprism.outlets._names import name_key

__all__ = ["DEFAULT_ALLSIDES", "OutletEval", "allsides_truth", "evaluate_scores"]

DEFAULT_ALLSIDES = "ratings/allsides_ratings_2019.csv"  # inside the data root


@dataclass(frozen=True)
class OutletEval:
    outlets: int  # held-out outlets matched to an AllSides rating, with >= min_articles articles
    spearman: float  # pooled over all folds
    fold_spearman: tuple[float, ...]
    articles: int
    accuracy: float  # held-out articles, argmax class vs label
    majority_accuracy: float  # always predicting the most frequent class
    min_articles: int

    def lines(self) -> list[str]:
        folds = np.array(self.fold_spearman)
        return [
            f"held-out outlets matched to AllSides 2019 (>= {self.min_articles} articles): {self.outlets}",
            f"Spearman, computed score vs AllSides rating: {self.spearman:.3f} pooled; "
            f"{folds.mean():.3f} ± {folds.std():.3f} over {len(folds)} outlet folds  (constant baseline: 0)",
            f"accuracy on {self.articles} held-out articles: {self.accuracy:.3f}  "
            f"(majority-class baseline: {self.majority_accuracy:.3f})",
        ]


def allsides_truth(path: Path | None = None) -> Callable[[str], float | None]:
    """Outlet name -> AllSides rating in [-1, 1] (1..5 mapped), matched exactly, then by name key.

    A name key shared by differently rated entries ("New York Times - News" / "- Opinion") is ambiguous
    and left unmatched rather than guessed.
    """
    path = path or shared(DEFAULT_ALLSIDES)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r.get("rating_num", "NA") not in ("NA", "")]
    except OSError as err:
        raise InputError(f"cannot read AllSides ratings {path}: {err}") from err
    exact = {r["news_source"].casefold(): (float(r["rating_num"]) - 3) / 2 for r in rows}
    by_key: dict[str, set[float]] = defaultdict(set)
    for r in rows:
        by_key[name_key(r["news_source"])].add((float(r["rating_num"]) - 3) / 2)

    def truth(name: str) -> float | None:
        if name.casefold() in exact:
            return exact[name.casefold()]
        values = by_key.get(name_key(name), set())
        return next(iter(values)) if len(values) == 1 else None

    return truth


def evaluate_scores(
    outlets: Sequence[str],
    labels: np.ndarray,
    probs: np.ndarray,
    folds: Sequence[int],
    truth: Callable[[str], float | None],
    *,
    min_articles: int = 10,
) -> OutletEval:
    """Figures from out-of-fold class probabilities `probs` (left, center, right) of each article."""
    scores = probs[:, 2] - probs[:, 0]
    per_outlet: dict[str, list[float]] = defaultdict(list)
    fold_of: dict[str, int] = {}
    for outlet, score, fold in zip(outlets, scores, folds, strict=True):
        per_outlet[outlet].append(float(score))
        fold_of[outlet] = fold
    points: list[tuple[float, float, int]] = []
    for outlet, values in per_outlet.items():
        rating = truth(outlet)
        if rating is not None and len(values) >= min_articles:
            points.append((float(np.mean(values)), rating, fold_of[outlet]))
    pooled = _spearman([p[0] for p in points], [p[1] for p in points])
    fold_rho = tuple(
        _spearman([p[0] for p in points if p[2] == k], [p[1] for p in points if p[2] == k])
        for k in sorted({p[2] for p in points})
    )
    majority = Counter(labels.tolist()).most_common(1)[0][1] / len(labels)
    accuracy = float((probs.argmax(axis=1) == labels).mean())
    return OutletEval(len(points), pooled, fold_rho, len(labels), accuracy, majority, min_articles)


def _spearman(x: Sequence[float], y: Sequence[float]) -> float:
    if len(x) < 3 or len(set(y)) < 2:
        return float("nan")
    return float(spearmanr(x, y).statistic)
