"""The title chooser: which line of scraped text is the article's title.

Raw scraped text rarely starts with the title: navigation, breadcrumbs and teasers come first, and the
title is often there twice (the page heading and a "No Comments on <title>" or share line repeat it). The
chooser scores *candidates* (the lines near the top that are not a menu, credit, byline or time stamp,
plus every line repeated or quoted elsewhere on the page) with gradient-boosted trees over what sets a
title apart from its rivals: position among the candidates, length against the other candidates, how
often its words come back (exactly, fuzzily, or inside longer lines), whether it glues another candidate
to itself (a breadcrumb or site name), case and punctuation, the byline or date line after it, how much
of the first paragraph repeats it, the URL slug, and the body model's scores around it. The highest
scoring candidate is the title.

Weights are a versioned artifact (`models/titles.v1.json`, trained by
`newsprism.evaluation.extract_train`), walked with numpy; no scikit-learn at run time.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cache

import numpy as np

from newsprism.artifacts import read_artifact, shipped_artifacts
from newsprism.ingest._lines import (
    _VOCAB,
    _WORD,
    Matrix,
    Stage,
    _stage_from_json,
    gap_features,
    title_features,
)

__all__ = ["TitleModel", "candidate_features", "candidates", "load_title_model"]

TOP = 80  # lines from the top that may be the title, or up to AFTER_BODY past the body's first line;
AFTER_BODY = 30  # further down only repeated ones
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
_META = frozenset({"time stamp", "byline"})


def candidates(units: list[str], blocked: list[bool], body: Matrix) -> list[int]:
    """Indices of the lines that may be the title: unblocked lines near the top or up to a little past
    the start of the body (long menus push the title far down), and any unblocked line of 3+ words
    repeated elsewhere on the page (the title often comes back below the article)."""
    norm = [" ".join(_WORD.findall(u.casefold())) for u in units]
    counts = Counter(norm)
    first_body = next((i for i in range(len(units)) if body[i] >= 0.5), len(units))
    reach = max(TOP, first_body + AFTER_BODY)
    return [i for i in range(len(units)) if not blocked[i] and norm[i]
            and (i < reach or (counts[norm[i]] > 1 and norm[i].count(" ") >= 2))]


def candidate_features(units: list[str], rules: list[str], body: Matrix, url: str | None,
                       cands: list[int], gaps: list[bool] | None = None) -> Matrix:
    """One row per candidate: the line's own title features (`_lines.title_features`), its blank-line
    structure (`_lines.gap_features`), and how it compares with the page's other lines and candidates."""
    if not cands:
        return np.zeros((0, 0))
    base = title_features(units, rules, body, url, cands)
    n = len(units)
    blank = gap_features(gaps, n)[cands]
    norm = [" ".join(_WORD.findall(u.casefold())) for u in units]
    counts = Counter(norm)
    toks = [n_.split() for n_ in norm]
    sets = [set(t) for t in toks]
    padded = [f" {x} " for x in norm]
    first_body = next((i for i in range(n) if body[i] >= 0.5), n)
    lead = set().union(*(sets[i] for i in range(n) if body[i] >= 0.5 and len(toks[i]) >= 12)) \
        if first_body < n else set()
    lead_first = next((sets[i] for i in range(first_body, n) if body[i] >= 0.5 and len(toks[i]) >= 12), set())
    lengths = np.array([len(toks[i]) for i in cands], dtype=np.float64)
    longest = float(lengths.max()) if len(lengths) else 1.0
    meta = [i for i in range(n) if rules[i] in _META]
    cand_set = set(cands)
    postings: dict[str, list[int]] = {}
    for j, words_j in enumerate(sets):
        for w in words_j:
            postings.setdefault(w, []).append(j)
    rows = []
    for r, i in enumerate(cands):
        words = sets[i]
        k = len(toks[i])
        # lines sharing words with this one, by how many (an inverted index: pages have hundreds of lines)
        shared = Counter(j for w in words for j in postings[w] if j != i)
        exact = counts[norm[i]] - 1
        fuzzy = sum(1 for j, ov in shared.items()
                    if norm[j] != norm[i] and ov / (len(words) + len(sets[j]) - ov) >= 0.7)
        holders = [j for j, ov in shared.items() if ov == len(words) and k >= 3
                   and len(norm[j]) > len(norm[i]) and padded[i] in padded[j]]
        inside = len(holders)
        inside_later = sum(1 for j in holders if j > i)
        glued = max((len(toks[j]) / max(k, 1) for j in cands
                     if j != i and 2 <= len(toks[j]) < k and padded[j] in padded[i]), default=0.0)
        glued_start = float(any(j != i and 2 <= len(toks[j]) < k and norm[i].startswith(norm[j] + " ")
                                for j in cands))
        sim = max((ov / (len(words) + len(sets[j]) - ov) for j, ov in shared.items() if j in cand_set),
                  default=0.0)
        next_meta = next((j - i for j in meta if j > i), n)
        prev_meta = next((i - j for j in reversed(meta) if j < i), n)
        prev_nav = float(i > 0 and bool(_VOCAB["nav"].search(units[i - 1])))
        line = units[i].rstrip()
        near = [len(toks[j]) for j in range(max(0, i - 3), min(n, i + 4)) if j != i and body[j] < 0.5]
        rows.append([
            float(line.endswith(".")), float(line.endswith(":")), float(30 <= len(line) <= 150),
            float(k > max(near, default=0)), math.log1p(len(toks[i + 1])) if i + 1 < n else 0.0,
            math.log1p(len(toks[i - 1])) if i else 0.0,
            r, math.log1p(r), math.log1p(len(cands)), k / max(longest, 1.0), float(k == longest),
            math.log1p(exact), math.log1p(fuzzy), math.log1p(inside), math.log1p(inside_later), glued,
            glued_start, sim, math.log1p(next_meta), math.log1p(prev_meta), float(next_meta == 1),
            float(prev_meta == 1), prev_nav,
            len(words & lead_first) / len(words) if words else 0.0,
            len(words & lead) / len(words) if words else 0.0,
            float(any(s in units[i] for s in _SEPARATORS)), float(3 <= k <= 25),
            math.log1p(max(first_body - i, 0)), float(i < first_body),
            sum(1 for j in cands if j < i and j < first_body) / max(len(cands), 1),
        ])
    return np.hstack([base, blank, np.array(rows, dtype=np.float64)])


@dataclass(frozen=True)
class TitleModel:
    """Scores title candidates; `choose` gives the index of the title line (None: no candidate)."""

    name: str
    provenance: str
    stage: Stage
    prior_weight: float = 0.0  # how much the line model's own title score (the prior) adds, in logits

    def choose(self, units: list[str], rules: list[str], body: Matrix, url: str | None,
               blocked: list[bool], gaps: list[bool] | None = None, prior: Matrix | None = None,
               ) -> int | None:
        cands = candidates(units, blocked, body)
        if not cands:
            return None
        z = self.stage.margin(candidate_features(units, rules, body, url, cands, gaps))
        if prior is not None and self.prior_weight:
            z = z + self.prior_weight * _logit(prior[cands])
        return cands[int(np.argmax(z))]


def _logit(p: Matrix) -> Matrix:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(q / (1 - q)), dtype=np.float64)


@cache
def load_title_model(name: str = "titles.v1") -> TitleModel | None:
    """The shipped title chooser of that versioned name (`models/<name>.json`); None when absent."""
    if name not in shipped_artifacts("ingest")["ingest"]:
        return None
    data = read_artifact("ingest", name)
    return TitleModel(name, data["provenance"], _stage_from_json(data["stage"]),
                      float(data.get("prior_weight", 0.0)))
