"""Narratives: the story's competing interpretations, grouped by what they claim, each as a statement.

1. Material: interpretive sentences (evaluation, prediction, attributed motive, quotes of opinion) that
   take a side (`_stance.stance`: the event as a gain or as a cost); sentences that take none are left
   out rather than guessed.
2. Grouping: by stance first, so outlets that split on the event split into narratives; within a stance,
   a group splits further by topic only when each part has two or more sources and the parts share
   little (average-link clustering on embeddings). A narrative is what it claims, not an outlet.
3. Framing: when one stance carries nearly all of the material, the sources frame the story alike:
   one narrative, and the caller says so (`single_framing`) instead of inventing a split.
4. Statement: the group's most representative sentence (central, clearly framed), plus a second one
   when it adds something, with attributions ("critics argue", "X said that") and quote marks taken
   out. Nothing is added: every word of a statement is a word of its evidence; the outlets that carry
   it are listed separately.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage

from newsprism.compose._stance import stance
from newsprism.compose._units import Unit
from newsprism.types import Article, Narrative, OutletRef

__all__ = ["build_narratives", "statement_of"]

Matrix = npt.NDArray[np.float32]
_LABELS = "ABCDEFGH"
_SAY = (
    r"(?:say|says|said|argue|argues|argued|believe|believes|warn|warns|warned|claim|claims|claimed|"
    r"contend|contends|insist|insists|note|notes|noted|suggest|suggests|told\s+\w+)"
)
# "Critics say (that) ...", "Economists warn ...": a short attribution before the claim
_LEAD = re.compile(rf"^(?:[A-Z][\w'’.-]*(?:\s+[\w'’.-]+){{0,4}}?)\s+{_SAY}\s+(?:that\s+)?(?=\S)")
# "..., critics argue." / "..., according to a study by ...": an attribution after it
_TAIL = re.compile(
    rf",\s*(?:(?:[\w'’.-]+\s+){{0,4}}?{_SAY}|{_SAY}\s+(?:[\w'’.-]+\s*){{1,5}}"
    rf"|according to [^,]{{3,80}})\s*\.?$"
)
_QUOTES = re.compile(r"[“”\"]|(?<!\w)['‘’]|['‘’](?!\w)")


def statement_of(sentence: str) -> str:
    """`sentence` as a claim: attribution and quote marks taken out, where what is left still stands
    alone (at least six words); otherwise the sentence as written."""
    text = sentence.strip()
    out = _TAIL.sub(".", text)
    lead = _LEAD.match(out)
    if lead and len(out[lead.end() :].split()) >= 6:
        out = out[lead.end() :]
        out = out[0].upper() + out[1:]
    out = _QUOTES.sub("", out)
    out = re.sub(r"\s{2,}", " ", out).strip()
    if len(out.split()) < 6:
        return text
    return out if out.endswith((".", "!", "?")) else out + "."


def _represent(members: list[int], units: Sequence[Unit], sims: Matrix, sign: int) -> list[int]:
    """The one or two members that best state the group: central to it and clearly framed."""
    sub = sims[np.ix_(members, members)]
    central = sub.mean(axis=1) if len(members) > 1 else np.ones(1)

    def score(k: int) -> float:
        unit = units[members[k]]
        strength = min(3, sign * stance(unit.text))
        return float(central[k]) + 0.15 * strength - 0.2 * (unit.quoted >= 0.5) - 0.005 * unit.words

    order = sorted(range(len(members)), key=score, reverse=True)
    picked = [members[order[0]]]
    for k in order[1:]:
        m = members[k]
        if sims[m, picked[0]] < 0.8 and units[m].words + units[picked[0]].words <= 55:
            picked.append(m)
            break
    return picked


def _topics(members: list[int], units: Sequence[Unit], sims: Matrix, distance: float) -> list[list[int]]:
    """`members` split by topic when each part has two or more sources; otherwise one group."""
    if len(members) < 4:
        return [members]
    sub = np.clip(1.0 - sims[np.ix_(members, members)], 0.0, 2.0).astype(np.float64)
    labels = fcluster(
        linkage(sub[np.triu_indices(len(members), k=1)], method="average"), t=distance, criterion="distance"
    )
    parts: dict[int, list[int]] = {}
    for m, label in zip(members, labels, strict=True):
        parts.setdefault(int(label), []).append(m)
    groups = list(parts.values())
    if len(groups) > 1 and all(len({units[m].source for m in g}) >= 2 for g in groups):
        return groups
    return [members]


def build_narratives(
    articles: Sequence[Article],
    units: Sequence[Unit],
    sims: Matrix,
    lean_of: Callable[[str | None], OutletRef],
    *,
    max_narratives: int = 3,
    distance: float = 0.8,
    minority: float = 0.2,
) -> tuple[tuple[Narrative, ...], bool]:
    """Narratives, best supported first, and whether the sources frame the story alike.

    A stance becomes a narrative when two sources, or two sentences, carry it; a stance whose
    sentences are under `minority` of all framed sentences is not a competing narrative."""
    framed: dict[int, list[int]] = {1: [], -1: []}
    for i, unit in enumerate(units):
        if unit.narrative_candidate:
            s = stance(unit.text)
            if s:
                framed[1 if s > 0 else -1].append(i)
    total = sum(len(m) for m in framed.values())
    if total == 0:
        return (), True
    groups: list[tuple[int, list[int]]] = []
    for sign, members in framed.items():
        if len(members) >= 2 and len(members) >= minority * total:
            groups += [(sign, part) for part in _topics(members, units, sims, distance)]
    if not groups:  # one or two stray framed sentences: still the story's only framing
        sign = max(framed, key=lambda s: len(framed[s]))
        groups = [(sign, framed[sign])]

    def support(group: tuple[int, list[int]]) -> tuple[int, int]:
        return len({units[m].source for m in group[1]}), len(group[1])

    groups.sort(key=support, reverse=True)
    narratives = []
    for k, (sign, members) in enumerate(groups[:max_narratives]):
        picked = _represent(members, units, sims, sign)
        outlets: dict[str, OutletRef] = {}
        for m in members:
            name = articles[units[m].article].outlet
            if name and name not in outlets:
                outlets[name] = lean_of(name)
        rest = sorted((m for m in members if m not in picked), key=lambda m: -float(sims[m, members].mean()))
        narratives.append(
            Narrative(
                label=f"Narrative {_LABELS[k]}",
                statement=" ".join(statement_of(units[m].text) for m in picked),
                outlets=tuple(outlets.values()),
                evidence=tuple(units[m].evidence(articles) for m in [*picked, *rest][:6]),
            )
        )
    return tuple(narratives), len(narratives) <= 1
