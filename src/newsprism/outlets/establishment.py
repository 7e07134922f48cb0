"""The establishment axis: a linear projection of phrase frequencies, pro- (+1) to anti-establishment (-1).

After D'Alonzo & Tegmark ("Machine-learning media bias", PLoS ONE 2022): outlets' phrase frequencies
separate along two leading directions, left–right and establishment. `establishment_fit.py` finds the
direction by SVD of the standardised outlet × phrase frequency matrix; this module only applies it.

A text's score: phrase counts of the axis vocabulary, divided by their total (relative frequencies), each
standardised by the outlet-level mean and spread, dotted with the axis loading. That is one weight per
phrase plus an offset, so an outlet's pooled frequencies project to the length-weighted mean of its
articles' projections. `raw / (2 · scale)` through tanh gives a value in [-1, 1], where `scale` is the
spread of outlet projections: an outlet two spreads from the centre scores ±0.76.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from newsprism.outlets._jsongz import read_json_gz, read_shipped_json_gz, write_json_gz
from newsprism.outlets.model import phrases
from newsprism.types import Article

__all__ = [
    "AXIS_FILE",
    "ArticleEstablishment",
    "EstablishmentAxis",
    "article_establishment",
    "load_axis",
    "text_establishment",
]

AXIS_FILE = "establishment_axis.json.gz"


@dataclass(frozen=True)
class ArticleEstablishment:
    """`score` in [-1, 1] (+ pro-establishment), `raw` the unscaled projection, `phrases_used` its support."""

    score: float
    raw: float
    phrases_used: int


class EstablishmentAxis:
    """`weights[phrase]` = loading / outlet spread; `offset` = -Σ mean·weight; `scale` = outlet spread."""

    def __init__(
        self,
        weights: Mapping[str, float],
        offset: float,
        scale: float,
        *,
        name: str = "establishment.v1",
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.weights = dict(weights)
        self.offset = offset
        self.scale = scale
        self.name = name
        self.meta = dict(meta or {})

    def squash(self, raw: float) -> float:
        """A raw projection mapped into [-1, 1]."""
        return math.tanh(raw / (2.0 * self.scale))

    def project(self, text: str) -> ArticleEstablishment:
        """The establishment stance of one text; 0 with `phrases_used == 0` when no axis phrase occurs."""
        counts = Counter(p for p in phrases(text) if p in self.weights)
        total = sum(counts.values())
        if total == 0:
            return ArticleEstablishment(0.0, 0.0, 0)
        # fixed summation order: identical floats on every run
        raw = self.offset + sum(self.weights[p] * counts[p] for p in sorted(counts)) / total
        return ArticleEstablishment(self.squash(raw), raw, len(counts))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "offset": round(self.offset, 6),
            "scale": round(self.scale, 6),
            "meta": self.meta,
            "weights": {p: round(w, 4) for p, w in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EstablishmentAxis:
        weights = {str(p): float(w) for p, w in data["weights"].items()}
        offset, scale = float(data["offset"]), float(data["scale"])
        return cls(weights, offset, scale, name=str(data["name"]), meta=data.get("meta"))

    def save(self, path: Path) -> None:
        write_json_gz(path, self.to_json())

    @classmethod
    def load(cls, path: Path) -> EstablishmentAxis:
        return cls.from_json(read_json_gz(path))


@cache
def load_axis() -> EstablishmentAxis:
    """The axis shipped in the package; `ModelUnavailable` if it was not built."""
    return EstablishmentAxis.from_json(read_shipped_json_gz(AXIS_FILE, "establishment axis"))


def text_establishment(text: str, axis: EstablishmentAxis | None = None) -> ArticleEstablishment:
    """The establishment stance of a text with the shipped axis (or `axis`)."""
    return (axis or load_axis()).project(text)


def article_establishment(article: Article, axis: EstablishmentAxis | None = None) -> ArticleEstablishment:
    """The establishment stance of an article, read from its title and body."""
    return text_establishment(article.title + "\n\n" + article.text, axis)
