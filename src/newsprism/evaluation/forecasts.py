"""Precision and recall of shown links on a labelled set of story–question pairs.

Stories are built from the demo corpus (data/demo/seeds: the Tokyo and Seoul summits; one story per
data/multiling2011 topic); questions are the sample listings. Labels (JSONL: story, question, relevant,
note) list the relevant pairs and the near-misses worth naming; every pair not labelled relevant counts
as irrelevant, so a link the labeller never thought of is a false positive, not ignored.

Honest figures come from `cross_validate`: stories are grouped by storyline (the two seed stories are one
storyline: a link learnt on Tokyo would leak into Seoul), the groups are dealt into `k` folds, and each
fold is scored with the threshold fitted on the other folds only. "Tuned-on" figures fit and score on
every story, as the threshold shipped in `_link` was; the gap between the two is the optimism.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from dateutil.parser import parse

from newsprism.compose import compose
from newsprism.errors import InputError
from newsprism.forecasts._importers import read_listing
from newsprism.forecasts._link import EMBEDDED_THRESHOLD, THRESHOLD, Embedder, LinkScore, score_questions
from newsprism.forecasts._question import Question
from newsprism.types import Article, Story

__all__ = [
    "CrossValidation",
    "LinkEval",
    "cross_validate",
    "demo_stories",
    "evaluate_links",
    "fit_threshold",
    "load_labels",
    "sample_questions",
    "storyline_folds",
]

# the ITN seed page ends with its own forecast; cut it so the linker cannot read the answer
_SEED_STORIES = {
    "seed:tokyo": (("000_c0e5fdfcdfc52de7.txt", "002_54ac012270ea1e60.txt"), "2023-03-16"),
    "seed:seoul": (("004_2b1bcd757c7649fc.txt",), "2023-05-07"),
}
_DATE_LINE = re.compile(r"^\s*(?:\w+day, )?(\w+ \d{1,2}, \d{4})\s*$")


def _date(body: str) -> str | None:
    first = body.strip().split("\n")[0] if body.strip() else ""
    match = _DATE_LINE.match(first)
    return parse(match.group(1)).date().isoformat() if match else None


def _article(story_id: str, path: Path, published: str | None) -> Article:
    # the seed page ends with its own forecast ("Nerd narrative"): cut it so the linker cannot read it
    title, _, body = path.read_text("utf-8").strip().partition("\n")
    body = body.split("Nerd narrative")[0]
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    return Article(
        id=f"{story_id}/{path.stem}",
        title=title.strip(),
        text="\n\n".join(paragraphs),
        outlet=path.stem,  # one file, one source
        published=published or _date(body),
    )


def demo_stories(data_dir: Path | str) -> list[Story]:
    """The evaluation stories, composed by the real composer as the linker meets them in production:
    two seed stories and one story per MultiLing 2011 topic."""
    root = Path(data_dir)
    groups: list[tuple[str, list[Article]]] = [
        (story_id, [_article(story_id, root / "demo/seeds" / n, date) for n in names])
        for story_id, (names, date) in _SEED_STORIES.items()
    ]
    sources = sorted((root / "multiling2011/sources").glob("M*.txt"))
    for topic in sorted({p.stem[:4] for p in sources}):
        story_id = f"multiling:{topic}"
        groups.append((story_id, [_article(story_id, p, None) for p in sources if p.stem.startswith(topic)]))
    return [compose(articles, story_id=story_id) for story_id, articles in groups]


def sample_questions(forecasts_dir: Path | str) -> list[Question]:
    """Every question of the sample listings (*.json) in `forecasts_dir`."""
    questions: list[Question] = []
    for path in sorted(Path(forecasts_dir).glob("*.json")):
        questions.extend(read_listing(path).questions)
    return questions


def load_labels(path: Path | str) -> dict[tuple[str, str], bool]:
    labels: dict[tuple[str, str], bool] = {}
    try:
        for line in Path(path).read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels[(row["story"], row["question"])] = bool(row["relevant"])
    except (OSError, json.JSONDecodeError, KeyError) as err:
        raise InputError(f"cannot read link labels {path}: {err}") from err
    return labels


@dataclass(frozen=True)
class LinkEval:
    precision: float
    recall: float
    shown: int
    correct: int
    relevant: int
    false_links: tuple[tuple[str, str], ...]
    missed: tuple[tuple[str, str], ...]


Scores = dict[str, list[LinkScore]]  # story id -> its questions' scores


class _Memo:
    """An embedder that embeds each distinct text once: every story is scored against the same questions."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.vectors: dict[str, Any] = {}

    def embed(self, texts: Sequence[str]) -> Any:
        todo = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if todo:
            self.vectors.update(zip(todo, np.asarray(self.embedder.embed(todo)), strict=True))
        return np.stack([self.vectors[t] for t in texts])


def _score_all(stories: Sequence[Story], questions: Sequence[Question], embedder: Embedder | None) -> Scores:
    # closed questions too: relevance is what is measured, not whether a question is still open
    memo = _Memo(embedder) if embedder is not None else None
    return {s.id: score_questions(s, questions, embedder=memo) for s in stories}


def _measure(
    scores: Scores,
    story_ids: Sequence[str],
    labels: dict[tuple[str, str], bool],
    threshold: float,
    limit: int,
) -> LinkEval:
    shown: set[tuple[str, str]] = set()
    for story_id in story_ids:
        kept = sorted((s for s in scores[story_id] if s.score >= threshold), key=lambda s: -s.score)[:limit]
        shown.update((story_id, s.question.id) for s in kept)
    wanted = set(story_ids)
    relevant = {pair for pair, good in labels.items() if good and pair[0] in wanted}
    correct = shown & relevant
    return LinkEval(
        precision=len(correct) / len(shown) if shown else 1.0,
        recall=len(correct) / len(relevant) if relevant else 1.0,
        shown=len(shown),
        correct=len(correct),
        relevant=len(relevant),
        false_links=tuple(sorted(shown - relevant)),
        missed=tuple(sorted(relevant - shown)),
    )


def fit_threshold(
    scores: Scores,
    story_ids: Sequence[str],
    labels: dict[tuple[str, str], bool],
    *,
    target_precision: float = 0.95,
    limit: int = 5,
) -> float:
    """The threshold with the best recall at `target_precision` or better on `story_ids`; among equals the
    highest (the most cautious). With no threshold reaching the target, the one with the best precision."""
    candidates = sorted(
        {round(s.score, 6) for i in story_ids for s in scores[i] if s.score > 0}, reverse=True
    )
    best: tuple[float, float, float] = (-1.0, -1.0, 1.0)  # (meets target, recall or precision, threshold)
    for cut in candidates:
        result = _measure(scores, story_ids, labels, cut, limit)
        meets = result.precision >= target_precision
        key = (1.0, result.recall, cut) if meets else (0.0, result.precision, cut)
        if key[:2] > best[:2]:
            best = key
    return best[2]


def storyline_folds(stories: Sequence[Story], k: int = 2) -> list[list[str]]:
    """Story ids dealt into `k` folds by storyline (the seed stories are one storyline), deterministically;
    with `k` at least the number of storylines, one storyline per fold (empty folds are dropped)."""
    groups: dict[str, list[str]] = {}
    for story in stories:
        groups.setdefault(story.id.split(":")[0] if story.id.startswith("seed:") else story.id, []).append(
            story.id
        )
    folds: list[list[str]] = [[] for _ in range(k)]
    for index, name in enumerate(sorted(groups)):
        folds[index % k].extend(groups[name])
    return [fold for fold in folds if fold]


@dataclass(frozen=True)
class CrossValidation:
    """`tuned_on`: threshold fitted and scored on all stories; `held_out`: each fold scored with the
    threshold fitted on the others, pooled. `thresholds` are the per-fold fits, `threshold` the full fit."""

    tuned_on: LinkEval
    held_out: LinkEval
    threshold: float
    thresholds: tuple[float, ...]


def cross_validate(
    stories: Sequence[Story],
    questions: Sequence[Question],
    labels: dict[tuple[str, str], bool],
    *,
    embedder: Embedder | None = None,
    k: int = 2,
    target_precision: float = 0.95,
    limit: int = 5,
) -> CrossValidation:
    """Precision and recall of shown links, tuned-on and on held-out storylines (k-fold)."""
    scores = _score_all(stories, questions, embedder)
    every = [s.id for s in stories]
    full = fit_threshold(scores, every, labels, target_precision=target_precision, limit=limit)
    folds = storyline_folds(stories, k)
    fits: list[float] = []
    pooled: list[LinkEval] = []
    for index, fold in enumerate(folds):
        tuning = [i for j, other in enumerate(folds) if j != index for i in other]
        fits.append(fit_threshold(scores, tuning, labels, target_precision=target_precision, limit=limit))
        pooled.append(_measure(scores, fold, labels, fits[-1], limit))
    shown = sum(r.shown for r in pooled)
    correct = sum(r.correct for r in pooled)
    relevant = sum(r.relevant for r in pooled)
    held_out = LinkEval(
        precision=correct / shown if shown else 1.0,
        recall=correct / relevant if relevant else 1.0,
        shown=shown,
        correct=correct,
        relevant=relevant,
        false_links=tuple(sorted(p for r in pooled for p in r.false_links)),
        missed=tuple(sorted(p for r in pooled for p in r.missed)),
    )
    return CrossValidation(
        tuned_on=_measure(scores, every, labels, full, limit),
        held_out=held_out,
        threshold=full,
        thresholds=tuple(fits),
    )


def evaluate_links(
    stories: Sequence[Story],
    questions: Sequence[Question],
    labels: dict[tuple[str, str], bool],
    *,
    embedder: Embedder | None = None,
    threshold: float | None = None,
) -> LinkEval:
    """Links every story against every question at the shipped threshold (or `threshold`)."""
    cut = threshold if threshold is not None else (THRESHOLD if embedder is None else EMBEDDED_THRESHOLD)
    scores = _score_all(stories, questions, embedder)
    return _measure(scores, [s.id for s in stories], labels, cut, 5)
