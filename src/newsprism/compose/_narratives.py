"""Narratives: the story's interpretive sentences grouped by what they claim.

Interpretive sentences (evaluation, prediction, attributed motive, quotes of opinion) are clustered by
average-link agglomeration on their embeddings, so a narrative is a claim shared across sentences, not
an outlet. A cluster becomes a narrative when two or more sentences, or one strongly framed sentence,
carry it; its statement is its most central sentence(s). One surviving cluster means the sources frame
the story alike, and the caller says so (`single_framing`) instead of inventing a split.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage

from newsprism.compose._units import Unit
from newsprism.types import Article, Narrative, OutletRef

__all__ = ["build_narratives"]

Matrix = npt.NDArray[np.float32]
_LABELS = "ABCDEFGH"


def _statement(members: list[int], units: Sequence[Unit], sims: Matrix) -> tuple[str, list[int]]:
    """The most central member, plus the next one when it adds something and stays short."""
    if len(members) == 1:
        return units[members[0]].text, members
    sub = sims[np.ix_(members, members)]
    order = [members[k] for k in np.argsort(-sub.mean(axis=1))]
    picked = [order[0]]
    for m in order[1:]:
        if sims[m, picked[0]] < 0.8 and units[m].words + units[picked[0]].words <= 60:
            picked.append(m)
            break
    return " ".join(units[m].text for m in picked), picked


def build_narratives(
    articles: Sequence[Article],
    units: Sequence[Unit],
    sims: Matrix,
    lean_of: Callable[[str | None], OutletRef],
    *,
    max_narratives: int = 3,
    distance: float = 0.55,
) -> tuple[tuple[Narrative, ...], bool]:
    """Narratives, largest first, and whether the sources frame the story alike."""
    candidates = [i for i, u in enumerate(units) if u.narrative_candidate]
    if not candidates:
        return (), True
    if len(candidates) == 1:
        labels = np.array([1])
    else:
        sub = np.clip(1.0 - sims[np.ix_(candidates, candidates)], 0.0, 2.0).astype(np.float64)
        condensed = sub[np.triu_indices(len(candidates), k=1)]
        labels = fcluster(linkage(condensed, method="average"), t=distance, criterion="distance")
    clusters: dict[int, list[int]] = {}
    for idx, label in zip(candidates, labels, strict=True):
        clusters.setdefault(int(label), []).append(idx)

    def weight(members: list[int]) -> float:
        sources = len({units[m].source for m in members})
        framing = sum(units[m].subjectivity + 5 * units[m].arousal for m in members)
        return 2.0 * sources + len(members) + framing

    kept = [m for m in clusters.values() if len(m) >= 2 or weight(m) >= 3.2]
    kept.sort(key=weight, reverse=True)
    narratives = []
    for k, members in enumerate(kept[:max_narratives]):
        statement, _picked = _statement(members, units, sims)
        outlets: dict[str, OutletRef] = {}
        for m in members:
            name = articles[units[m].article].outlet
            if name and name not in outlets:
                outlets[name] = lean_of(name)
        ordered = sorted(members, key=lambda m: -float(sims[m, members].mean()))
        narratives.append(
            Narrative(
                label=f"Narrative {_LABELS[k]}",
                statement=statement,
                outlets=tuple(outlets.values()),
                evidence=tuple(units[m].evidence(articles) for m in ordered[:6]),
            )
        )
    return tuple(narratives), len(narratives) <= 1
