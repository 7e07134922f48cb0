"""Disagreements: conflicting numbers for the same thing, and facts only one side's outlets report.

Two quantities conflict when they sit in different sentences (of different sources, or of one source's
body and its caption), share a unit, measure the same aspect (a distance is not an altitude), come from
sentences about the same thing (embedding cosine), and differ by more than a quarter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from newsprism.analyse import extract_quantities
from newsprism.compose._units import Unit
from newsprism.types import Article, Claim, Disagreement, Fact, OutletRef

__all__ = ["coverage_gaps", "number_conflicts"]

Matrix = npt.NDArray[np.float32]
_UNIT_ALIASES = {
    "km": "kilometer",
    "kilometre": "kilometer",
    "mi": "mile",
    "%": "percent",
    "per cent": "percent",
    "kg": "kilogram",
    "m": "meter",
    "metre": "meter",
    "usd": "dollar",
    "$": "dollar",
}
_ASPECTS = {
    "altitude": re.compile(r"\b(highest|altitude|height|apogee|high|elevation|peak)\b", re.I),
}


def _unit_of(text: str) -> str | None:
    words = re.sub(r"^[^A-Za-z%$]*", "", text).lower()
    if text.lstrip().startswith("$"):
        return "dollar"
    if not words:
        return None
    word = words.split()[-1]
    word = _UNIT_ALIASES.get(word, word)
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _aspect(context: str) -> str:
    for name, pattern in _ASPECTS.items():
        if pattern.search(context[-40:]):
            return name
    return "extent"


def number_conflicts(
    articles: Sequence[Article], units: Sequence[Unit], sims: Matrix, *, min_similarity: float = 0.45
) -> list[Disagreement]:
    """Conflicting quantities, most similar sentence pairs first."""
    mentions = []
    for i, unit in enumerate(units):
        if unit.words < 4:
            continue
        for q in extract_quantities(unit.text):
            unit_name = _unit_of(q.text)
            if unit_name is None or q.value is None:
                continue
            mentions.append((i, q.text, float(q.value), unit_name, _aspect(unit.text[: q.start])))
    found: list[tuple[float, Disagreement]] = []
    seen: set[tuple[int, int]] = set()
    for a, (i, text_i, value_i, unit_i, aspect_i) in enumerate(mentions):
        for j, text_j, value_j, unit_j, aspect_j in mentions[a + 1 :]:
            if i == j or unit_i != unit_j or aspect_i != aspect_j or (i, j) in seen:
                continue
            if max(value_i, value_j) <= 0 or abs(value_i - value_j) / max(value_i, value_j) <= 0.25:
                continue
            similarity = float(sims[i, j])
            if similarity < min_similarity:
                continue
            seen.add((i, j))
            ui, uj = units[i], units[j]
            same = ui.article == uj.article
            note = "the same source gives both figures" if same else "sources give different figures"
            if ui.caption is not None or uj.caption is not None:
                note += " (one in a photo caption)"
            if not same and articles[ui.article].published_date != articles[uj.article].published_date:
                note += "; the reports are from different dates and may reflect an update"
            found.append(
                (
                    similarity,
                    Disagreement(
                        kind="number",
                        subject=f"{aspect_i} in {unit_i}s",
                        claims=(
                            Claim(ui.text, text_i, ui.evidence(articles)),
                            Claim(uj.text, text_j, uj.evidence(articles)),
                        ),
                        note=note,
                    ),
                )
            )
    found.sort(key=lambda pair: -pair[0])
    return [d for _s, d in found]


def coverage_gaps(
    facts: Sequence[Fact], lean_of: Callable[[str | None], OutletRef], outlets: Sequence[str]
) -> list[Disagreement]:
    """Facts reported only by outlets of one lean while outlets of another lean cover the story."""
    leans = {lean_of(o).lean for o in outlets} - {None}
    if len(leans) < 2:
        return []
    gaps = []
    for fact in facts:
        fact_leans = {lean_of(e.outlet).lean for e in fact.evidence}
        if len(fact_leans) == 1 and None not in fact_leans:
            (lean,) = fact_leans
            others = ", ".join(sorted(str(x) for x in leans - {lean}))
            gaps.append(
                Disagreement(
                    kind="coverage",
                    subject=fact.text,
                    claims=tuple(Claim(e.text, None, e) for e in fact.evidence[:3]),
                    note=f"reported only by {lean}-leaning outlets; {others}-leaning outlets in this story"
                    " do not mention it",
                )
            )
    return gaps
