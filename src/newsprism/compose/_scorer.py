"""The learned fact scorer: how likely a plain-fact sentence is to belong in a story's summary.

A logistic model over sentence features a reader of news would weigh: where the sentence sits in its
article (news puts the event first), how many independent outlets state it and how close it comes to
each other outlet, its centrality in the story and its closeness to the outlets' titles, how much of
the story's shared vocabulary, names and numbers it carries, its length, and its subjectivity, arousal
and loaded words. The weights are an artifact, `compose/models/<name>.json` (format
`newsprism.fact-scorer.v1`: features, standardisation, weights, bias and a provenance record of the
data, folds and scores), written by `python -m newsprism.evaluation.facts_train` and loaded by name.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from newsprism.artifacts import read_artifact
from newsprism.compose._lexicon import tokens
from newsprism.compose._units import Unit
from newsprism.errors import ConfigError

__all__ = ["FEATURES", "FORMAT", "FactScorer", "fact_features", "load_fact_scorer"]

FORMAT = "newsprism.fact-scorer.v1"
Matrix = npt.NDArray[np.float64]

FEATURES = (
    "lead",  # 1 / (1 + sentence number in its article)
    "first",  # the article's first sentence
    "relative_position",  # sentence number / sentences in the article
    "lead_multi",  # lead x log(outlets): a lead matters more when several outlets lead alike
    "log_words",
    "short",  # fewer than 10 words
    "long",  # more than 40 words
    "centrality",  # log1p of LexRank weight among the story's sentences
    "support",  # log2 of independent sources stating it
    "cross",  # mean best cosine to each other source group's sentences
    "centroid",  # mean cosine to the story's sentences
    "title",  # best cosine to an outlet's title
    "own_title",  # cosine to its own article's title
    "shared_words",  # share of its content words that the story's other articles use
    "tfidf_centroid",  # tf-idf cosine to the story's centroid (the centroid baseline's signal)
    "entities",  # share of its names that another article names too
    "numbers",  # it holds a number
    "subjectivity",
    "arousal",
    "loaded",
    "dangling",  # leans on a previous sentence ("He also ...")
    "quoted",
    "log_articles",
)

_STOP = frozenset(
    [
        "a", "an", "the", "of", "to", "in", "on", "at", "for", "by", "with", "from", "and", "or", "but",
        "as", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "it", "its", "this",
        "that", "these", "those", "he", "she", "they", "his", "her", "their", "them", "we", "our", "you",
        "i", "not", "no", "said", "says", "will", "would", "can", "could", "may", "might", "about", "after",
        "before", "over", "under", "into", "than", "then", "there", "here", "which", "who", "whom", "what",
        "when", "where", "why", "how", "also", "just", "more", "most", "some", "any", "all", "up", "out",
        "so", "if", "do", "does", "did"
    ]
)
_NAME = re.compile(r"\b[A-Z][a-zA-Z'’-]+(?:\s+[A-Z][a-zA-Z'’-]+)*")
_NUMBER = re.compile(r"\d")


def _content(text: str) -> list[str]:
    return [w for w in tokens(text) if w not in _STOP and len(w) > 2]


def _names(text: str) -> set[str]:
    """Capitalised runs past the sentence's first word (names, places, organisations)."""
    return {m.group(0).lower() for m in _NAME.finditer(text) if m.start() > 0 and m.group(0).lower()
            not in _STOP}


def _lexrank(sims: Matrix, threshold: float = 0.3, iterations: int = 30) -> Matrix:
    n = len(sims)
    if n == 0:
        return np.zeros(0)
    adj = (sims >= threshold).astype(np.float64)
    np.fill_diagonal(adj, 0.0)
    degree = adj.sum(axis=1, keepdims=True)
    trans = np.where(degree > 0, adj / np.maximum(degree, 1e-9), 1.0 / n)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        rank = 0.15 / n + 0.85 * rank @ trans
    return np.asarray(rank * n, dtype=np.float64)


def fact_features(
    units: Sequence[Unit],
    sims: npt.NDArray[np.float32],
    unit_vecs: npt.NDArray[np.float32],
    title_vecs: npt.NDArray[np.float32],
    sources: Sequence[int],
    cross: Sequence[float],
) -> Matrix:
    """The FEATURES of every unit (rows in unit order). `sources` is each unit's independent-source
    count and `cross` its cross-outlet closeness, as the composer computes them."""
    n = len(units)
    out = np.zeros((n, len(FEATURES)))
    if n == 0:
        return out
    body = np.array([u.supports for u in units])
    sims64 = sims.astype(np.float64)
    rank = np.zeros(n)
    idx = np.flatnonzero(body)
    if len(idx):
        rank[idx] = _lexrank(sims64[np.ix_(idx, idx)])
    centroid = sims64[:, idx].mean(axis=1) if len(idx) else np.zeros(n)
    has_titles = len(title_vecs) and title_vecs.shape[1] == unit_vecs.shape[1]
    title_sims = (unit_vecs @ title_vecs.T).astype(np.float64) if has_titles else np.zeros((n, 1))
    lengths = Counter(u.article for u in units if u.caption is None)
    groups = len({u.source for u in units})
    articles = sorted({u.article for u in units})
    # story vocabulary: in how many articles each content word and name appears
    words_of = [set(_content(u.text)) for u in units]
    names_of = [_names(u.text) for u in units]
    doc_words: dict[int, set[str]] = {a: set() for a in articles}
    doc_names: dict[int, set[str]] = {a: set() for a in articles}
    for u, w, m in zip(units, words_of, names_of, strict=True):
        doc_words[u.article] |= w
        doc_names[u.article] |= m
    word_df = Counter(w for s in doc_words.values() for w in s)
    name_df = Counter(m for s in doc_names.values() for m in s)
    # tf-idf over the story's sentences, cosine to their centroid
    sent_df = Counter(w for ws in words_of for w in ws)
    idf = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in sent_df.items()}
    vecs = []
    centre: Counter[str] = Counter()
    for u in units:
        tf = Counter(_content(u.text))
        v = {w: c * idf[w] for w, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        v = {w: x / norm for w, x in v.items()}
        vecs.append(v)
        if u.supports:
            centre.update(v)
    cnorm = math.sqrt(sum(x * x for x in centre.values())) or 1.0
    multi = math.log(max(groups, 1))
    for i, u in enumerate(units):
        body_pos = u.caption is None
        lead = 1.0 / (1.0 + u.position) if body_pos else 0.0
        words, names = words_of[i], names_of[i]
        others = len(articles) - 1
        shared = (
            sum((word_df[w] - 1) / others for w in words) / len(words) if words and others else 0.0
        )
        named = sum(1 for m in names if name_df[m] > 1) / len(names) if names and others else 0.0
        out[i] = (
            lead,
            float(body_pos and u.position == 0),
            u.position / max(1, lengths[u.article] - 1) if body_pos else 1.0,
            lead * multi,
            math.log(max(u.words, 1)),
            float(u.words < 10),
            float(u.words > 40),
            math.log1p(rank[i]),
            math.log2(max(sources[i], 1)),
            float(cross[i]),
            float(centroid[i]),
            float(title_sims[i].max()) if has_titles else 0.0,
            float(title_sims[i, u.article]) if has_titles and u.article < title_sims.shape[1] else 0.0,
            shared,
            sum(x * centre[w] for w, x in vecs[i].items()) / cnorm,
            named,
            float(bool(_NUMBER.search(u.text))),
            u.subjectivity,
            u.arousal,
            float(u.loaded),
            float(u.dangling),
            u.quoted,
            math.log(len(articles)),
        )
    return out


@dataclass(frozen=True)
class FactScorer:
    """log-odds = bias + weights · (features - mean) / scale, that a sentence is in the summary; the
    composer adds `gain` x log-odds to its hand-weighted fact score (`gain` chosen on the dev folds)."""

    name: str
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    gain: float = 0.1
    provenance: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def log_odds(self, features: Matrix) -> Matrix:
        z = (features - np.asarray(self.mean)) / np.asarray(self.scale)
        return np.asarray(self.bias + z @ np.asarray(self.weights), dtype=np.float64)

    def score(self, features: Matrix) -> Matrix:
        """What the learned model adds to each unit's fact score."""
        return self.gain * self.log_odds(features)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "name": self.name, "features": list(FEATURES), "mean": list(self.mean),
                "scale": list(self.scale), "weights": list(self.weights), "bias": self.bias,
                "gain": self.gain, "provenance": dict(self.provenance)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FactScorer:
        if data.get("format") != FORMAT or tuple(data.get("features", ())) != FEATURES:
            raise ConfigError(f"not a {FORMAT} model with features {FEATURES}")
        return cls(str(data["name"]), tuple(map(float, data["mean"])), tuple(map(float, data["scale"])),
                   tuple(map(float, data["weights"])), float(data["bias"]), float(data["gain"]),
                   {str(k): str(v) for k, v in data.get("provenance", {}).items()})


@cache
def load_fact_scorer(name: str = "facts.v1") -> FactScorer:
    """The shipped fact scorer of that versioned name (`compose/models/<name>.json`)."""
    return FactScorer.from_json(read_artifact("compose", name))
