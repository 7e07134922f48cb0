"""Fact selection: rank plain-fact sentences, then pick a non-redundant set (MMR).

A sentence scores for
1. cross-source support: how many independent sources state something close to it (embedding cosine
   above the embedder's paraphrase threshold); near-identical sentences from different groups are
   wire copies and count once;
2. centrality: LexRank-style stationary weight on the sentence similarity graph;
3. position: news puts the event first, so earlier sentences of an article weigh more;
and loses for subjectivity, arousal, loaded words and a dangling subject ("He also ...").
Selection is maximal marginal relevance; a candidate too close to a chosen fact is skipped, so no two
facts say the same thing, and among paraphrases the neutral wording (higher score) wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsprism.compose._lexicon import AROUSAL, tokens
from newsprism.compose._units import Unit

__all__ = [
    "THRESHOLDS",
    "Thresholds",
    "clean_wording",
    "independent_count",
    "ranked_facts",
    "select_facts",
    "support_of",
]

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Thresholds:
    """Cosine thresholds; they depend on the embedder's geometry (MiniLM paraphrases sit ~0.7-0.9)."""

    support: float = 0.68  # another sentence states the same thing
    redundant: float = 0.62  # two facts would say the same thing
    copy: float = 0.93  # near-identical: a wire copy
    related: float = 0.45  # about the same thing (numbers that conflict must be about one thing)


THRESHOLDS = {
    "minilm.v1": Thresholds(),
    "wordllama.v1": Thresholds(support=0.6, redundant=0.55, copy=0.93, related=0.3),
    "tfidf.v1": Thresholds(support=0.45, redundant=0.4, copy=0.85, related=0.15),
}

# Intensifiers that can be dropped from a fact without changing what it states.
_DROPPABLE = {
    w
    for w, s in AROUSAL.items()
    if s >= 0.6
    and w.isalpha()
    and w
    not in {
        "crisis",
        "massacre",
        "massacred",
        "slaughter",
        "slaughtered",
        "catastrophe",
        "surge",
        "surged",
        "plunge",
        "plunged",
        "victory",
        "scandal",
        "crackdown",
        "disaster",
        "destroyed",
        "destroy",
        "destroys",
        "panic",
        "chaos",
        "turmoil",
        "shock",
        "triumph",
        "provocation",
        "provocations",
        "outrage",
    }
} | {"groining", "landmark", "historic"}
_DROP = re.compile(
    r"\b(" + "|".join(sorted(_DROPPABLE, key=len, reverse=True)) + r")\s+(?=[a-z])", re.IGNORECASE
)


def clean_wording(text: str) -> str:
    """`text` without droppable intensifiers ("a landmark summit" -> "a summit"), articles fixed."""
    out = _DROP.sub("", text)
    out = re.sub(r"\b([Aa])n ([^aeiouAEIOU\W])", r"\1 \2", out)
    out = re.sub(r"\b([Aa]) ([aeiouAEIOU])", r"\1n \2", out)
    return re.sub(r"\s{2,}", " ", out)


def _lexrank(sims: Matrix, threshold: float = 0.3, iterations: int = 50) -> npt.NDArray[np.float64]:
    adj = (sims >= threshold).astype(np.float64)
    np.fill_diagonal(adj, 0.0)
    degree = adj.sum(axis=1, keepdims=True)
    n = len(sims)
    trans = np.where(degree > 0, adj / np.maximum(degree, 1e-9), 1.0 / max(n, 1))
    rank = np.full(n, 1.0 / max(n, 1))
    for _ in range(iterations):
        rank = 0.15 / n + 0.85 * rank @ trans
    return rank * n  # 1.0 = average centrality


def support_of(i: int, units: Sequence[Unit], sims: Matrix, th: Thresholds) -> list[int]:
    """Units that state the same thing as unit `i` (itself first), photos and captions excluded."""
    row = sims[i]
    out = [i]
    for j in np.argsort(-row):
        j = int(j)
        if row[j] < th.support:
            break
        if j != i and not units[j].photo:
            out.append(j)
    return out


def independent_count(members: Sequence[int], units: Sequence[Unit], sims: Matrix, th: Thresholds) -> int:
    """Independent sources among `members`: one per source group, near-identical copies merged."""
    parent = {units[m].source: units[m].source for m in members}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a_i, a in enumerate(members):
        for b in members[a_i + 1 :]:
            if units[a].source != units[b].source and sims[a, b] >= th.copy:
                parent[find(units[a].source)] = find(units[b].source)
    return len({find(g) for g in parent})


def ranked_facts(units: Sequence[Unit], sims: Matrix, th: Thresholds) -> dict[int, float]:
    """Score of every fact candidate (higher is more important)."""
    body = [i for i, u in enumerate(units) if not u.photo]
    if not body:
        return {}
    rank = np.zeros(len(units))
    rank[body] = _lexrank(sims[np.ix_(body, body)])
    scores: dict[int, float] = {}
    for i, unit in enumerate(units):
        if not unit.fact_candidate:
            continue
        sources = independent_count(support_of(i, units, sims, th), units, sims, th)
        score = (
            0.45 * float(np.log1p(rank[i]))
            + 0.35 * float(np.log2(sources))
            + 0.8 / (1.0 + unit.position / 2.0)
            - 0.5 * unit.subjectivity
            - 3.0 * unit.arousal
            - 0.15 * unit.loaded
            - (0.25 if unit.dangling else 0.0)
            - (0.2 if unit.words < 10 else 0.0)
        )
        scores[i] = score
    return scores


def select_facts(
    scores: dict[int, float],
    units: Sequence[Unit],
    sims: Matrix,
    th: Thresholds,
    *,
    limit: int,
    word_budget: int | None = None,
    mmr: float = 0.7,
) -> list[int]:
    """Indices of the chosen facts, most important first: MMR over `scores`, at most `limit` facts
    (or until `word_budget` words are filled), none closer than `th.redundant` to another."""
    chosen: list[int] = []
    words = 0
    pool = dict(scores)
    seen_words: set[str] = set()
    while pool and len(chosen) < limit:
        best, best_value = -1, -np.inf
        for i, score in pool.items():
            closest = max((float(sims[i, j]) for j in chosen), default=0.0)
            value = mmr * score - (1 - mmr) * closest
            if value > best_value:
                best, best_value = i, value
        del pool[best]
        if any(sims[best, j] >= th.redundant for j in chosen):
            continue
        unit_tokens = set(tokens(units[best].text))
        if unit_tokens and len(unit_tokens & seen_words) / len(unit_tokens) > 0.85:
            continue  # lexically contained in what is already said
        chosen.append(best)
        seen_words |= unit_tokens
        words += units[best].words
        if word_budget is not None and words >= word_budget:
            break
    return chosen
