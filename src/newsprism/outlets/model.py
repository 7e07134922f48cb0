"""The lean model: weighted phrases (one- and two-word) that separate left, center and right outlets.

In the spirit of D'Alonzo & Tegmark (2021): an outlet's lean shows in which phrases it uses how often
("illegal aliens" vs "undocumented immigrants"). A text becomes sublinear tf-idf over a few thousand
phrases; a multinomial logistic layer gives P(left), P(center), P(right), and the left–right score is
P(right) - P(left) in [-1, 1]. The whole model is a small JSON table, so it runs without scikit-learn.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from newsprism.outlets._jsongz import read_json_gz, read_shipped_json_gz, write_json_gz
from newsprism.types import Article

__all__ = ["MODEL_FILE", "ArticleLean", "LeanModel", "article_lean", "load_model", "phrases", "text_lean"]

MODEL_FILE = "lean_model.json.gz"
CLASSES = ("left", "center", "right")
# Long articles repeat themselves; the first words carry the framing and keep prediction cheap.
MAX_TOKENS = 1500

_WORD = re.compile(r"[a-z][a-z']*[a-z]|[a-z]")


def phrases(text: str, max_tokens: int = MAX_TOKENS) -> list[str]:
    """The words and adjacent word pairs of `text`, lower-cased, digits and punctuation dropped.

    Training and prediction share this function, so the model sees the same phrases in both.
    """
    words = _WORD.findall(text.casefold().replace("’", "'"))[:max_tokens]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


@dataclass(frozen=True)
class ArticleLean:
    """Per-text lean: `score` = P(right) - P(left) in [-1, 1], `lean` the most probable class."""

    lean: str
    score: float
    probabilities: Mapping[str, float]
    phrases_used: int


class LeanModel:
    """Phrase weights: `weights[phrase] = (idf, w_left, w_center, w_right)` plus per-class intercepts."""

    def __init__(
        self,
        weights: Mapping[str, tuple[float, float, float, float]],
        intercepts: tuple[float, float, float],
        *,
        name: str = "lean.v1",
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.weights = dict(weights)
        self.intercepts = intercepts
        self.name = name
        self.meta = dict(meta or {})

    def predict(self, text: str) -> ArticleLean:
        """The lean of one text (title plus body works best). Deterministic."""
        counts = Counter(p for p in phrases(text) if p in self.weights)
        features = {p: (1.0 + math.log(n)) * self.weights[p][0] for p, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in features.values())) or 1.0
        logits = list(self.intercepts)
        for phrase in sorted(features):  # fixed summation order: identical floats on every run
            value = features[phrase] / norm
            row = self.weights[phrase]
            for k in range(3):
                logits[k] += value * row[k + 1]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        probs = {c: e / total for c, e in zip(CLASSES, exps, strict=True)}
        lean = max(CLASSES, key=lambda c: probs[c])
        return ArticleLean(lean, probs["right"] - probs["left"], probs, len(counts))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "classes": list(CLASSES),
            "max_tokens": MAX_TOKENS,
            "intercepts": [round(v, 6) for v in self.intercepts],
            "meta": self.meta,
            "weights": {p: [round(v, 5) for v in row] for p, row in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LeanModel:
        weights = {
            str(p): (float(r[0]), float(r[1]), float(r[2]), float(r[3])) for p, r in data["weights"].items()
        }
        b = data["intercepts"]
        return cls(
            weights, (float(b[0]), float(b[1]), float(b[2])), name=str(data["name"]), meta=data.get("meta")
        )

    def save(self, path: Path) -> None:
        write_json_gz(path, self.to_json())

    @classmethod
    def load(cls, path: Path) -> LeanModel:
        return cls.from_json(read_json_gz(path))


@cache
def load_model() -> LeanModel:
    """The model shipped in the package; `ModelUnavailable` if it was not built."""
    return LeanModel.from_json(read_shipped_json_gz(MODEL_FILE, "lean model"))


def text_lean(text: str, model: LeanModel | None = None) -> ArticleLean:
    """The lean of a text with the shipped model (or `model`)."""
    return (model or load_model()).predict(text)


def article_lean(article: Article, model: LeanModel | None = None) -> ArticleLean:
    """The lean of an article, read from its title and body."""
    return text_lean(article.title + "\n\n" + article.text, model)


def mean_score(leans: Iterable[ArticleLean]) -> tuple[float, float, int]:
    """(mean score, standard error, n) of several texts; the error shrinks as 1/sqrt(n)."""
    scores = [lean.score for lean in leans]
    n = len(scores)
    if n == 0:
        return 0.0, 1.0, 0
    mean = sum(scores) / n
    var = sum((s - mean) ** 2 for s in scores) / (n - 1) if n > 1 else 1.0
    return mean, math.sqrt(var / n), n
