"""What each side leads with, whether the sides tell the story differently, and how far the
narratives divide by outlet lean.

Sides are the lean buckets of the outlets (`lean_of`, from the outlet registry); an outlet with no
lean belongs to no side. These read lean only to compare sides; the narratives' side contrast
(`_narratives`, 4.) groups sources by the same sides when the camps do not follow them.

1. `differs`: outlets of opposite lean (left against right; else a side against the centre) tell the
   story differently when one side uses stance or loaded words the other does not, when their leads
   are about different things, or when one side reports something the other does not carry at all.
2. `side_emphasis`: per side, what it reports first, as AllSides' editors put it ("Left-leaning outlets
   focus on …"); made only when two or more sides cover the story. narratives.v2 picks one sentence
   (first, and not carried by the other side); v4 a short summary of the side's own sentences within a
   word budget, led by what its headline and the story's headlines name (see DiffParams).
3. `framing_split`: the share of opposite-lean outlet pairs that hold no narrative in common
   (1 = the narratives divide exactly by lean, 0 = every such pair shares a narrative).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from newsprism.compose._framing_model import DiffParams, load_framing_model
from newsprism.compose._lexicon import loaded_words
from newsprism.compose._narratives import framing, statement_of
from newsprism.compose._stance import cue_words
from newsprism.compose._units import Unit
from newsprism.types import Article, Emphasis, Narrative, OutletRef

__all__ = ["SIDES", "DiffParams", "differs", "framing_split", "side_emphasis", "sides_of"]

Matrix = npt.NDArray[np.float32]
SIDES = ("left", "center", "right")


DIFF_PARAMS = load_framing_model().emphasis


def sides_of(articles: Sequence[Article], lean_of: Callable[[str | None], OutletRef]) -> list[str | None]:
    """The side of each article: its outlet's lean bucket, None when unknown."""
    out: list[str | None] = []
    for article in articles:
        lean = lean_of(article.outlet).lean if article.outlet else None
        out.append(lean if lean in SIDES else None)
    return out


def _side_units(units: Sequence[Unit], sides: Sequence[str | None]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, unit in enumerate(units):
        side = sides[unit.article]
        if side and not unit.photo and unit.words >= 6:
            out.setdefault(side, []).append(i)
    return out


def _opposite(present: Sequence[str]) -> tuple[str, str] | None:
    if "left" in present and "right" in present:
        return "left", "right"
    wings = [s for s in present if s != "center"]
    return (wings[0], "center") if wings and "center" in present else None


def _cue_words(texts: Sequence[str]) -> set[str]:
    return {w for t in texts for w in cue_words(t)} | {w for t in texts for w in loaded_words(t)}


def differs(
    units: Sequence[Unit], sims: Matrix, sides: Sequence[str | None], params: DiffParams | None = None
) -> str | None:
    """How outlets of opposite lean tell the story differently ("words", "lead", "alone"), or None
    when there are no such outlets or the test finds no difference."""
    params = params or DIFF_PARAMS
    by_side = _side_units(units, sides)
    pair = _opposite(list(by_side))
    if pair is None:
        return None
    a, b = by_side[pair[0]], by_side[pair[1]]
    words_a = _cue_words([units[i].text for i in a])
    words_b = _cue_words([units[i].text for i in b])
    if words_a ^ words_b:
        return "words"
    lead_a = [i for i in a if units[i].position == min(units[j].position for j in a)]
    lead_b = [i for i in b if units[i].position == min(units[j].position for j in b)]
    if float(sims[np.ix_(lead_a, lead_b)].max()) < params.lead_similarity:
        return "lead"
    for mine, theirs in ((a, b), (b, a)):
        early = [i for i in mine if units[i].position < params.lead_sentences]
        if early and float(sims[np.ix_(early, theirs)].max(axis=1).min()) < params.alone_similarity:
            return "alone"
    return None


_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.lower()))


def _overlap(text: Counter[str], title: Counter[str]) -> float:
    """Word-overlap F of a sentence and a headline (the share of words both use, over both lengths)."""
    n = sum(text.values()) + sum(title.values())
    return 2.0 * sum((text & title).values()) / n if n else 0.0


def _pick(
    articles: Sequence[Article],
    units: Sequence[Unit],
    sims: Matrix,
    mine: list[int],
    own: list[int],
    others: list[int],
    p: DiffParams,
) -> list[int]:
    """A side's emphasis sentences, in reading order: the best-scoring one, then (when `budget` > 0)
    the next best that fit in `budget` words, at most `sentences`, none a near-repeat of one chosen."""
    titles = [_words(a.title or "") for a in articles]
    side_titles = {units[i].article for i in own}
    other_titles = {units[i].article for i in others}

    def score(i: int) -> float:
        unit = units[i]
        alone = 1.0 - float(sims[i, others].max())
        first = min(1.0, alone / p.told) / (1.0 + unit.position)
        extra = max(0, unit.words - 35)
        out = p.alone * alone + p.first * first + p.framed * framing(unit) - p.long * extra
        if p.headline or p.story:  # v4: what the side's headline and the story's other headlines name
            words = _words(unit.text)
            out += p.headline * max(_overlap(words, titles[a]) for a in side_titles)
            out += p.story * max((_overlap(words, titles[a]) for a in other_titles), default=0.0)
        if p.central and len(own) > 1:  # how typical of the side's own sentences it is
            out += p.central * float(np.mean([sims[i, j] for j in own if j != i]))
        return out

    order = sorted(mine, key=score, reverse=True)
    chosen, words = [order[0]], units[order[0]].words
    for i in order[1:]:
        if len(chosen) >= p.sentences:
            break
        if words + units[i].words <= p.budget and float(sims[i, chosen].max()) < p.repeat:
            chosen.append(i)
            words += units[i].words
    return sorted(chosen, key=lambda i: (units[i].position, units[i].article))


def side_emphasis(
    articles: Sequence[Article],
    units: Sequence[Unit],
    sims: Matrix,
    sides: Sequence[str | None],
    lean_of: Callable[[str | None], OutletRef],
    params: DiffParams | None = None,
) -> tuple[Emphasis, ...]:
    """Per side covering the story (two or more sides), what it reports first: one sentence (v2) or a
    short summary of its sentences within a word budget (v4), each as written."""
    params = params or DIFF_PARAMS
    by_side = _side_units(units, sides)
    if len(by_side) < 2:
        return ()
    out = []
    for side in SIDES:
        if side not in by_side:
            continue
        mine = [i for i in by_side[side] if units[i].quoted < 0.5 and not units[i].text.endswith("?")]
        others = [i for s, m in by_side.items() if s != side for i in m]
        if not mine:
            continue
        chosen = _pick(articles, units, sims, mine, by_side[side], others, params)
        outlets = (articles[units[i].article].outlet for i in by_side[side])
        names = list(dict.fromkeys(n for n in outlets if n))
        sentences = " ".join(statement_of(units[i].text) for i in chosen)
        out.append(
            Emphasis(
                side=side,
                text=f"{side.capitalize()}-leaning outlets ({', '.join(names)}) focus on: {sentences}",
                outlets=tuple(lean_of(n) for n in names),
                evidence=tuple(units[i].evidence(articles) for i in chosen),
            )
        )
    return tuple(out)


def framing_split(narratives: Sequence[Narrative]) -> float | None:
    """Share of opposite-lean outlet pairs (left–right; else a side against the centre) that hold no
    narrative in common; None when the narratives' outlets have no such pair."""
    held: dict[str, set[int]] = {}
    lean: dict[str, str] = {}
    for k, narrative in enumerate(narratives):
        for o in narrative.outlets:
            if o.lean in SIDES:
                held.setdefault(o.name, set()).add(k)
                lean[o.name] = o.lean
    pair = _opposite(sorted(set(lean.values()), key=SIDES.index))
    if pair is None:
        return None
    xs = [n for n, s in lean.items() if s == pair[0]]
    ys = [n for n, s in lean.items() if s == pair[1]]
    apart = sum(1 for x in xs for y in ys if not held[x] & held[y])
    return round(apart / (len(xs) * len(ys)), 4)
