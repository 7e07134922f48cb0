"""The line model: how likely each line of scraped text is article body, and which line is the title.

Features read the shape of a line and of its neighbours (as jusText and boilerpipe do for HTML blocks):
length in words and in characters (so Chinese and Japanese lines, written without spaces, count), sentence
ends ("." and "。"), capitalisation, stop-word share, separators, the small vocabulary of page furniture
(menus, share/subscribe, cookie notices, market-data notices, comments, related lists), position,
repetition, runs of short lines, and the label the hand-written rules give the line. Two stages: a
logistic one, then gradient-boosted trees that also read the first stage's scores of the neighbours
(trained on cross-fitted scores, as they look on unseen sites). A logistic title stage picks the title.
Weights are a versioned artifact (`models/lines.v3.json`, trained by `newsprism.evaluation.extract_train`;
`lines.v3` adds the blank-line structure, `lines.v2` had none, `lines.v1` was all-logistic); inference is
plain numpy, no scikit-learn at run time. The title is chosen by `_titles` when its artifact is present.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from newsprism.artifacts import read_artifact

__all__ = ["RULE_LABELS", "LineModel", "body_features", "load_line_model", "title_features"]

Matrix = npt.NDArray[np.float64]

RULE_LABELS = ("body", "subheading", "first line", "repeated title", "section/category line", "time stamp",
               "caption", "byline", "wire credits", "copyright line", "footer/call to action",
               "about the author", "about the publisher", "reader comment", "text after the footer",
               "link list", "short line before the body", "heading without body", "duplicate caption")

_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W_]+(?:['’.-][^\W_]+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_SENT_END = re.compile(r"[.!?…。！？](?:['\"”’)\]»」』]*)(?=\s|$)")
_END = re.compile(r"[.!?…。！？:;]['\"”’)\]»」』]*$")
_STOP = frozenset({
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from",
    "as", "is", "are", "was", "were", "be", "been", "has", "have", "had", "it", "its", "this", "that",
    "these", "those", "he", "she", "they", "we", "you", "i", "his", "her", "their", "our", "not", "no",
    "will", "would", "can", "could", "said", "says", "who", "which", "what", "when", "where", "than",
    "then", "also", "after", "before", "over", "into", "about", "more", "most", "up", "out", "new",
    "one", "two", "there", "if", "so", "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu",
    "den", "von", "mit", "le", "la", "les", "et", "des", "est", "une", "pour", "que", "qui", "el",
    "los", "las", "y", "en", "por", "con", "del", "se", "un", "una"
})
_VOCAB = {
    "nav": re.compile(r"(?i)^(?:home|menu|search|sections?|main menu|navigation|close|open|more|top|back|next"
                      r"|previous|news|sports?|world|politics|business|opinion|entertainment|video|watch"
                      r"|live|latest)$|skip to|jump to|toggle|accessibility help|site map|sitemap"),
    "share": re.compile(r"(?i)\bshare\b|\btweet\b|facebook|twitter|whatsapp|linkedin|pinterest|reddit|e-?mail"
                        r"|\bprint\b|copy link|subscri|newsletter|sign (?:up|in)|log ?in|register|follow us"
                        r"|download (?:the|our) app|get the app|\bpodcasts?\b"),
    "cookie": re.compile(r"(?i)cookie|consent|privacy (?:policy|settings|notice)|gdpr|we use .{0,30}technolog"
                         r"|accept all|manage (?:preferences|settings)|do not sell|terms of (?:use|service)"),
    "market": re.compile(r"(?i)quote data|market data|delayed (?:at least )?\d+ minutes|provided by (?:bats"
                         r"|factset|refinitiv|morningstar)|all times are|data provided|legal statement"),
    "comment": re.compile(r"(?i)\breply\b|\b\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?) ago\b"
                          r"|\bsays:$|\bcomments?\b|\blike\b.{0,10}\breply|\bpermalink\b|\bupvote|\bflag\b"),
    "related": re.compile(r"(?i)related|read (?:more|also|next)|more (?:from|on|stories|news)|recommended"
                          r"|you may (?:also )?like|most (?:read|popular|viewed)|trending|top stories"
                          r"|see also|don'?t miss|editor'?s picks|also read|popular now|latest news"),
    "ad": re.compile(r"(?i)^advertisements?$|^ad$|sponsored|advertis|paid (?:post|content)|promoted"),
    "tags": re.compile(r"(?i)^(?:tags?|topics?|filed under|categories|posted in|keywords)\b"),
    "credit": re.compile(r"(?i)getty|reuters|associated press|\bap\b|afp|photo|image|credit|illustration"),
    "copyright": re.compile(r"(?i)©|copyright|all rights reserved"),
}
_URLISH = re.compile(r"https?://|www\.|\.com\b|@\w")


@dataclass(frozen=True)
class _Stage:
    mean: Matrix
    scale: Matrix
    coef: Matrix
    intercept: float

    def margin(self, x: Matrix) -> Matrix:
        """The score before the sigmoid (a ranker's candidates compare on it, unclipped)."""
        return np.asarray(((x - self.mean) / self.scale) @ self.coef + self.intercept, dtype=np.float64)

    def predict(self, x: Matrix) -> Matrix:
        z = self.margin(x)
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=np.float64)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _Stage:
        return cls(np.array(data["mean"], dtype=np.float64), np.array(data["scale"], dtype=np.float64),
                   np.array(data["coef"], dtype=np.float64), float(data["intercept"]))


@dataclass(frozen=True)
class _Trees:
    """Gradient-boosted trees as flat arrays, one row per tree: node `k` of tree `t` splits on feature
    `feature[t, k]` at `threshold[t, k]` (`<=` goes left) or, when `left[t, k] < 0`, is a leaf worth
    `value[t, k]`. P = sigmoid(base + sum of the leaves reached). Inference walks every tree at once."""

    base: float
    feature: npt.NDArray[np.int64]
    threshold: Matrix
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    value: Matrix
    depth: int

    def predict(self, x: Matrix) -> Matrix:
        z = self.margin(x)
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=np.float64)

    def margin(self, x: Matrix) -> Matrix:
        """base + the sum of the leaves reached, before the sigmoid."""
        n, trees = len(x), len(self.feature)
        if n == 0:
            return np.zeros(0)
        rows = np.arange(n)[:, None]
        cols = np.arange(trees)[None, :]
        node = np.zeros((n, trees), dtype=np.int64)
        for _ in range(self.depth):
            left = self.left[cols, node]
            inner = left >= 0
            go_left = x[rows, self.feature[cols, node]] <= self.threshold[cols, node]
            node = np.where(inner, np.where(go_left, left, self.right[cols, node]), node)
        return np.asarray(self.base + self.value[cols, node].sum(axis=1), dtype=np.float64)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _Trees:
        trees = data["trees"]  # each: [feature, threshold, left, right, value] lists of one tree's nodes
        width = max(len(t[0]) for t in trees)

        def grid(k: int, fill: float, dtype: Any) -> Any:
            out = np.full((len(trees), width), fill, dtype=dtype)
            for i, t in enumerate(trees):
                out[i, : len(t[k])] = t[k]
            return out

        return cls(float(data["base"]), grid(0, 0, np.int64), grid(1, 0.0, np.float64), grid(2, -1, np.int64),
                   grid(3, -1, np.int64), grid(4, 0.0, np.float64), int(data["depth"]))


Stage = _Stage | _Trees


def _stage_from_json(data: dict[str, Any]) -> Stage:
    return _Trees.from_json(data) if "trees" in data else _Stage.from_json(data)


@dataclass(frozen=True)
class LineModel:
    """Two body stages and a title stage; `body(lines, rules)` gives P(body) per line."""

    name: str
    provenance: str
    stage1: Stage
    stage2: Stage
    title: Stage
    threshold: float = 0.5
    gaps: bool = False  # reads the blank-line structure (lines.v3 on)

    def body(self, lines: list[str], rules: list[str], gaps: list[bool] | None = None) -> Matrix:
        base = body_features(lines, rules, gaps, with_gaps=self.gaps)
        first = self.stage1.predict(base)
        return self.stage2.predict(np.hstack([base, context_features(first)]))

    def title_scores(self, lines: list[str], rules: list[str], body: Matrix, url: str | None) -> Matrix:
        return self.title.predict(title_features(lines, rules, body, url))


@cache
def load_line_model(name: str = "lines.v3") -> LineModel:
    """The shipped line model of that versioned name (`models/<name>.json`)."""
    data = read_artifact("ingest", name)
    return LineModel(name, data["provenance"], _stage_from_json(data["stage1"]),
                     _stage_from_json(data["stage2"]), _stage_from_json(data["title"]),
                     float(data.get("threshold", 0.5)), bool(data.get("gaps", False)))


# --- features ----------------------------------------------------------------------------------

def _shape(line: str) -> list[float]:
    words = _WORD.findall(line)
    n = len(words)
    chars = len(line)
    cjk = len(_CJK.findall(line))
    latin = [w for w in words if not _CJK.match(w)]
    caps = sum(1 for w in latin if w[:1].isupper())
    stops = sum(1 for w in latin if w.casefold() in _STOP)
    sents = len(_SENT_END.findall(line))
    digits = sum(c.isdigit() for c in line)
    punct = sum(1 for c in line if c in ",;:、，")
    return [
        math.log1p(n), math.log1p(chars), float(n >= 25 or chars >= 150), float(n <= 3 and chars < 25),
        float(n <= 8 and chars < 60), float(bool(_END.search(line))), min(sents, 10) / 3.0,
        caps / len(latin) if latin else 0.0, float(line.isupper() and chars > 3),
        stops / len(latin) if latin else 0.0, punct / max(n, 1), digits / max(chars, 1),
        float(line.count("|") + line.count("•") + line.count("·") >= 1), cjk / max(chars, 1),
        float(bool(_URLISH.search(line))), float(line.endswith("?")), float(line[:1].islower()),
        *(float(bool(rx.search(line))) for rx in _VOCAB.values()),
    ]


SHAPE_SIZE = 17 + len(_VOCAB)


def _runs(short: list[bool]) -> list[int]:
    """For each line, the length of the run of consecutive short lines it belongs to (0 if not short)."""
    out = [0] * len(short)
    i = 0
    while i < len(short):
        j = i
        while j < len(short) and short[j]:
            j += 1
        for k in range(i, j):
            out[k] = j - i
        i = max(j, i + 1)
    return out


GAP_SIZE = 5
GAP_ALL = 0.8  # share of lines after a blank line above which blank lines say nothing


def gap_features(gaps: list[bool] | None, n: int) -> Matrix:
    """Blank-line structure (browser text and scraped text put blank lines around paragraphs, menus and
    link lists come one item per line without): a blank line before and after, the size of the block of
    lines between blank lines and the place in it, and the page's share of blank-separated lines (0 for
    text without blank lines, where the rest says nothing, and for text with a blank line after almost
    every line, as the project's own scraped files are: there blank lines separate everything)."""
    if not gaps or not any(gaps) or sum(gaps) > GAP_ALL * len(gaps):
        return np.zeros((n, GAP_SIZE))
    before = np.array(gaps, dtype=np.float64)
    before[0] = 1.0
    after = np.append(before[1:], 1.0)
    block = np.cumsum(before)
    sizes = np.bincount(block.astype(np.int64))[block.astype(np.int64)].astype(np.float64)
    share = float(before.mean())
    return np.column_stack([before, after, np.log1p(sizes), before * after, np.full(n, share)])


def body_features(lines: list[str], rules: list[str], gaps: list[bool] | None = None, *,
                  with_gaps: bool = False) -> Matrix:
    """Stage-1 features: each line's shape, its rule label, position, repetition, and its neighbours;
    with `with_gaps`, the blank-line structure too (`gap_features`, lines.v3 on)."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, 0))
    shapes = np.array([_shape(line) for line in lines], dtype=np.float64)
    norm = [" ".join(line.casefold().split()) for line in lines]
    counts = Counter(norm)
    words = shapes[:, 0]
    long_ = (shapes[:, 2] > 0) | ((words > math.log1p(12)) & (shapes[:, 5] > 0))
    short = [bool(s) for s in shapes[:, 4] > 0]
    runs = _runs(short)
    rule = np.zeros((n, len(RULE_LABELS)))
    for i, label in enumerate(rules):
        if label in RULE_LABELS:
            rule[i, RULE_LABELS.index(label)] = 1.0
    long_idx = np.flatnonzero(long_)
    total_long = max(len(long_idx), 1)
    rows = []
    for i in range(n):
        before = int(np.searchsorted(long_idx, i))  # long lines strictly before i
        after = len(long_idx) - before - int(long_[i])
        prev_long = i - long_idx[before - 1] if before else n
        next_pos = before + int(long_[i])
        next_long = long_idx[next_pos] - i if next_pos < len(long_idx) else n
        lo, hi = max(0, i - 5), min(n, i + 6)
        rows.append([
            i / n, math.log1p(i), math.log1p(n - 1 - i), math.log1p(n), math.log1p(counts[norm[i]] - 1),
            math.log1p(runs[i]), float(runs[i] >= 4), before / total_long, after / total_long,
            math.log1p(prev_long), math.log1p(next_long), float(long_[lo:hi].mean()),
            float(words[i] - words.max()),
        ])
    ctx = []
    for off in (-2, -1, 1, 2):
        idx = np.clip(np.arange(n) + off, 0, n - 1)
        valid = ((np.arange(n) + off >= 0) & (np.arange(n) + off < n)).astype(np.float64)[:, None]
        ctx.append(shapes[idx][:, [0, 1, 4, 5, 7, 9]] * valid)
        ctx.append(rule[idx][:, [0, 1]] * valid)
    extra = [gap_features(gaps, n)] if with_gaps else []
    return np.hstack([shapes, rule, np.array(rows, dtype=np.float64), *ctx, *extra])


def context_features(p: Matrix) -> Matrix:
    """Stage-2 features from stage-1 scores: the neighbours', a window's mean, the mass before/after."""
    n = len(p)
    pad = np.concatenate([np.zeros(5), p, np.zeros(5)])
    cols = [pad[5 + off: 5 + off + n] for off in (-2, -1, 1, 2)]
    window = np.array([pad[i: i + 11].sum() - p[i] for i in range(n)]) / 10
    cum = np.cumsum(p)
    total = max(float(cum[-1]), 1e-9) if n else 1.0
    before = (cum - p) / total
    after = (total - cum) / total
    return np.column_stack([p, *cols, window, before, after, np.maximum.accumulate(p) - p])


def _slug_words(url: str | None) -> set[str]:
    if not url:
        return set()
    path = re.sub(r"https?://[^/]+", "", url).split("?")[0]
    return {w for w in re.split(r"[^a-z0-9]+", path.casefold()) if len(w) > 1 and not w.isdigit()}


def title_features(lines: list[str], rules: list[str], body: Matrix, url: str | None,
                   only: list[int] | None = None) -> Matrix:
    """Per line (of the lines `only`, when given): how title-like it is (shape, repetition, nearness to
    byline/date and to the body start, overlap with the URL slug when one is known)."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, 0))
    norm = [" ".join(_WORD.findall(line.casefold())) for line in lines]
    counts = Counter(norm)
    slug = _slug_words(url)
    first_body = next((i for i in range(n) if body[i] >= 0.5), n)
    meta = [r in ("time stamp", "byline") for r in rules]
    rows = []
    for i in range(n) if only is None else only:
        line = lines[i]
        s = _shape(line)
        words = set(norm[i].split())
        near_meta = any(meta[j] for j in range(max(0, i - 3), min(n, i + 4)) if j != i)
        slug_overlap = len(words & slug) / len(words) if words and slug else 0.0
        slug_cover = len(words & slug) / len(slug) if words and slug else 0.0
        nxt = float(body[i + 1: i + 4].mean()) if i + 1 < n else 0.0
        prv = float(body[max(0, i - 3): i].mean()) if i else 0.0
        dist = first_body - i
        repeated = bool(norm[i]) and counts[norm[i]] > 1
        contained = sum(1 for j, other in enumerate(norm[:50])
                        if j != i and norm[i] and len(norm[i]) >= 12 and f" {norm[i]} " in f" {other} ")
        rows.append([
            *s, float(body[i]), nxt, prv, math.log1p(max(dist, 0)), float(dist < 0), float(dist == 1),
            float(near_meta), slug_overlap, slug_cover, float(bool(slug)), float(repeated), min(contained, 3),
            i / n, math.log1p(i), float(i == 0), float(rules[i] == "first line"),
            float(rules[i] in ("footer/call to action", "section/category line", "link list")),
            math.log1p(counts[norm[i]]),
        ])
    return np.array(rows, dtype=np.float64)
