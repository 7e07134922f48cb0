"""What the clusterer reads from an article: its vector, entities, content words and day."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsprism.analyse import Analysis, lead_of
from newsprism.types import Article

__all__ = ["ACTOR_LABELS", "ArticleFeatures", "actor_tokens", "day_number", "features_of", "iso_day",
           "term_weights", "title_words"]

_WORD = re.compile(r"[a-z][a-z0-9'-]{2,}")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "new", "news", "year", "years", "people", "told"}
_EPOCH = date(1970, 1, 1)
# who or what a headline is about: the labels of the named entities that can be a story's actor. Not
# dates, numbers or laws ("Chapter 11": the template two events share), nor countries and peoples (GPE,
# NORP: the setting, and spelt many ways: "China", "Chinese", "Asian")
ACTOR_LABELS = frozenset({"PERSON", "ORG", "LOC", "PRODUCT", "FAC", "EVENT", "WORK_OF_ART"})


@dataclass(frozen=True)
class ArticleFeatures:
    """`vector` is L2-normalised; `day` counts days since 1970 (published, else the fallback: ingest
    time in the store); None when the article has no date at all (no time window applies to it)."""

    id: str
    vector: npt.NDArray[np.float32]
    entities: frozenset[str]
    words: frozenset[str]
    day: float | None
    title_words: frozenset[str] = frozenset()
    # content words of the title's named actors ("Mt. Gox" -> {"gox"}): see `OnlineClusterer.disagree`
    actors: frozenset[str] = frozenset()
    # a headline alone (a Google News listing): no text beyond the title
    headline: bool = False
    # the article carries its own date (`day` may be the ingest day standing in for one)
    dated: bool = True


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP)


def term_weights(article: Article) -> tuple[tuple[str, float], ...]:
    """Content words of the title and lead with sublinear term frequencies (1 + log count): the TF half
    of a TF-IDF vector."""
    text = (article.title + " " + lead_of(article)).lower()
    counts = Counter(w for w in _WORD.findall(text) if w not in _STOP)
    return tuple(sorted((w, 1.0 + math.log(c)) for w, c in counts.items()))


def title_words(title: str) -> frozenset[str]:
    """Content words of a title (lower case, stop words removed)."""
    return _words(title)


def actor_tokens(names: Sequence[str]) -> frozenset[str]:
    """Content words of actor names, possessives stripped ("Fed's" -> "fed"), and each name of several
    words run together ("Mt. Gox" -> "gox", "mtgox": how "MtGox" is spelt elsewhere)."""
    out: set[str] = set()
    for name in names:
        words = [re.sub(r"'s$", "", w) for w in _WORD.findall(name.replace("’", "'").lower())]
        out.update(w for w in words if w not in _STOP)
        joined = re.sub(r"[^a-z0-9]", "", re.sub(r"['’]s\b", "", name.lower()))
        if len(name.split()) > 1 and len(joined) >= 3:
            out.add(joined)
    return frozenset(out)


def day_number(when: str | None) -> float | None:
    """Days since 1970 of an ISO date/datetime string, or None when it is absent or unreadable.
    Total: any string gives a number or None, never an exception."""
    if not when or not isinstance(when, str):
        return None
    try:
        if len(when) <= 10:
            return float((date.fromisoformat(when[:10]) - _EPOCH).days)
        moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
        return (moment.date() - _EPOCH).days + moment.hour / 24
    except (ValueError, OverflowError, TypeError):
        return None


_FIRST_DAY = float((date.min - _EPOCH).days)
_LAST_DAY = float((date.max - _EPOCH).days)


def iso_day(day: float) -> str:
    """The ISO date of a day number (the inverse of `day_number`, to the day). Total: a day beyond the
    calendar (a window reaching past 9999-12-31, NaN) is clamped to its first or last day."""
    if math.isnan(day):
        day = 0.0
    return (_EPOCH + timedelta(days=int(min(max(day, _FIRST_DAY), _LAST_DAY)))).isoformat()


def _entity_key(name: str) -> str:
    # "the White House" and "White House" and "Biden's" are one entity to the clusterer
    key = name.casefold().strip()
    key = re.sub(r"^the\s+", "", key)
    return re.sub(r"['’]s$", "", key)


def features_of(
    articles: Sequence[Article],
    analyses: Sequence[Analysis],
    vectors: npt.NDArray[np.float32],
    fallback_days: Sequence[float | None],
) -> list[ArticleFeatures]:
    """Features of each article; `fallback_days[i]` stands in when article i has no usable date."""
    out = []
    for i, (article, analysis) in enumerate(zip(articles, analyses, strict=True)):
        names = frozenset(_entity_key(e.text) for e in (*analysis.title_entities, *analysis.entities))
        day = day_number(article.published)
        lead = lead_of(article).strip()
        out.append(
            ArticleFeatures(
                id=article.id,
                vector=vectors[i],
                entities=names,
                words=_words(article.title + " " + lead),
                day=fallback_days[i] if day is None else day,
                title_words=_words(article.title),
                actors=actor_tokens([e.text for e in analysis.title_entities if e.label in ACTOR_LABELS]),
                headline=lead in ("", article.title.strip()),
                dated=day is not None,
            )
        )
    return out
