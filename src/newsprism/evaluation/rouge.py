"""ROUGE-N and ROUGE-SU F-scores, reimplemented to match ROUGE-1.5.5 (Lin, 2004).

Matches the Perl toolkit's choices: text lower-cased, every character outside [A-Za-z0-9-] a space and
"-" split off (so it is dropped); tokens must start with [a-z0-9$]; with `stem` (toolkit flag -m)
tokens longer than 3 characters go through the original Porter stemmer; n-grams and skip-bigrams run
across sentence boundaries (the toolkit joins a summary's lines); SU counts skip-bigrams at most
`skip` words apart (-2 4) plus unigrams (-u); several references are scored as the toolkit's model
average (-f A): hits and counts are summed over references before dividing; F uses alpha 0.5 (-p 0.5).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Score", "rouge", "rouge_tokens"]

_NON_ALNUM = re.compile(r"[^A-Za-z0-9\-]")
_START = re.compile(r"^[a-z0-9$]")


@dataclass(frozen=True)
class Score:
    recall: float
    precision: float
    f: float


@lru_cache(maxsize=1)
def _stemmer() -> object:
    from nltk.stem.porter import PorterStemmer  # the toolkit ships Porter's original algorithm

    return PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return str(_stemmer().stem(word)) if len(word) > 3 else word  # type: ignore[attr-defined]


def rouge_tokens(text: str, *, stem: bool = False, max_words: int | None = None) -> list[str]:
    """Tokens as ROUGE-1.5.5 counts them; `max_words` cuts like the toolkit's -l (before stemming)."""
    words = _NON_ALNUM.sub(" ", text.replace("-", " - ")).lower().split()
    words = [w for w in words if _START.match(w)]
    if max_words is not None:
        words = words[:max_words]
    return [_stem(w) for w in words] if stem else words


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _skip_bigrams(tokens: Sequence[str], skip: int) -> Counter[tuple[str, ...]]:
    grams: Counter[tuple[str, ...]] = Counter()
    for i in range(len(tokens)):
        for j in range(i + 1, min(len(tokens), i + skip + 2)):
            grams[(tokens[i], tokens[j])] += 1
    grams.update((t,) for t in tokens)  # -u: unigrams count too
    return grams


def _grams(tokens: Sequence[str], metric: str) -> Counter[tuple[str, ...]]:
    if metric.startswith("SU"):
        return _skip_bigrams(tokens, int(metric[2:]))
    return _ngrams(tokens, int(metric))


def rouge(
    peer: str, references: Sequence[str], metrics: Sequence[str] = ("1", "2", "SU4"), *, stem: bool = False,
    max_words: int | None = None,
) -> dict[str, Score]:
    """ROUGE scores of `peer` against `references` for each metric ("1", "2", "SU4")."""
    peer_tokens = rouge_tokens(peer, stem=stem, max_words=max_words)
    ref_tokens = [rouge_tokens(r, stem=stem) for r in references]
    out = {}
    for metric in metrics:
        peer_grams = _grams(peer_tokens, metric)
        peer_total = sum(peer_grams.values())
        hits = total_ref = total_peer = 0
        for tokens in ref_tokens:
            ref_grams = _grams(tokens, metric)
            hits += sum(min(c, ref_grams[g]) for g, c in peer_grams.items() if g in ref_grams)
            total_ref += sum(ref_grams.values())
            total_peer += peer_total
        recall = hits / total_ref if total_ref else 0.0
        precision = hits / total_peer if total_peer else 0.0
        f = 0.0 if recall + precision == 0 else recall * precision / (0.5 * precision + 0.5 * recall)
        out[metric] = Score(recall, precision, f)
    return out
