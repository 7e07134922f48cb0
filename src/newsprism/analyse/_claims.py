"""Comparing two claims: do they agree, contradict each other, or talk about different things?

No NLI model installs offline, so the default reads embeddings plus the numbers, dates, entities and
negations of both sentences. An NLI model can replace it behind the same one-method protocol.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from typing import Protocol

import numpy as np

from newsprism.analyse._embed import get_embedder
from newsprism.analyse._entities import extract_dates, extract_quantities
from newsprism.errors import ConfigError

__all__ = ["CLAIM_COMPARERS", "ClaimComparer", "HeuristicClaimComparer", "Relation", "get_claim_comparer"]

_NEGATION = re.compile(r"(?i)\b(not|no|never|none|nobody|denied|denies|deny|rejected|false|n't)\b|n't\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "the a an of to in on at for and or but is are was were be been has have had it its this that with by"
        " from as he she they we you said says will would could",
    )
)


class Relation(enum.StrEnum):
    AGREE = "agree"
    CONTRADICT = "contradict"
    UNRELATED = "unrelated"


class ClaimComparer(Protocol):
    """Decides how claim `b` relates to claim `a`."""

    def compare(self, a: str, b: str) -> Relation: ...


class HeuristicClaimComparer:
    """Related when the sentences are close in embedding space and share content words; then a different
    number (same unit), a different date, or a negation on one side only is a contradiction."""

    def __init__(self, embedder: str = "minilm.v1", related: float = 0.55, min_shared_words: int = 2) -> None:
        self.embedder = embedder
        self.related = related
        self.min_shared_words = min_shared_words

    def compare(self, a: str, b: str) -> Relation:
        vectors = get_embedder(self.embedder).embed([a, b])
        words_a = {w.lower() for w in _WORD.findall(a)} - _STOP
        words_b = {w.lower() for w in _WORD.findall(b)} - _STOP
        shared = words_a & words_b
        if float(np.dot(vectors[0], vectors[1])) < self.related or len(shared) < self.min_shared_words:
            return Relation.UNRELATED
        if _numbers_differ(a, b) or _dates_differ(a, b):
            return Relation.CONTRADICT
        if bool(_NEGATION.search(a)) != bool(_NEGATION.search(b)):
            return Relation.CONTRADICT
        return Relation.AGREE


def _numbers_differ(a: str, b: str) -> bool:
    """Both give a number of the same kind (money, percent, a counted noun) and no value matches."""
    qa = {(q.label, _unit(q.text)): q.value for q in extract_quantities(a) if q.label != "CARDINAL"}
    qb = {(q.label, _unit(q.text)): q.value for q in extract_quantities(b) if q.label != "CARDINAL"}
    common = set(qa) & set(qb)
    return bool(common) and all(qa[k] != qb[k] for k in common)


def _unit(text: str) -> str:
    return re.sub(r"[\d.,$€£¥\s]|thousand|million|billion|trillion", "", text.lower())


def _dates_differ(a: str, b: str) -> bool:
    da = {d.value for d in extract_dates(a) if d.value and not d.value.startswith("-")}
    db = {d.value for d in extract_dates(b) if d.value and not d.value.startswith("-")}
    return bool(da) and bool(db) and not (da & db)


CLAIM_COMPARERS: dict[str, Callable[[], ClaimComparer]] = {"heuristic.v1": HeuristicClaimComparer}


def get_claim_comparer(name: str = "heuristic.v1") -> ClaimComparer:
    """A new comparer registered as `name`."""
    if name not in CLAIM_COMPARERS:
        raise ConfigError(f"unknown claim comparer {name!r}; known: {', '.join(sorted(CLAIM_COMPARERS))}")
    return CLAIM_COMPARERS[name]()
