"""One working set per build: what clustering, the second pass, the split step and storylines read of
an article (its features, title, content-word weights, vector), loaded from the store once and handed
from step to step, instead of each step decoding the same articles, analyses and vectors again.

Its records are frozen and, once loaded, never change: within a build an article's text, analysis and
vector are fixed (analysis runs before clustering), and which story holds it is not part of the record,
so merges and splits leave the set valid. The set only grows, by batched reads of what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsprism.analyse import (
    ARTICLE_KIND,
    Analysis,
    article_head,
    cached_embed,
    load_analyses,
    stored_vectors,
)
from newsprism.cluster._features import ArticleFeatures, _entity_key, day_number, features_of, term_weights
from newsprism.store import StoreTables

__all__ = ["StorylineArticle", "WorkingSet"]


@dataclass(frozen=True)
class StorylineArticle:
    """What the storyline linker reads of an article: `entities` (sorted entity keys) is None when the
    article has no analysis, `vector` None when it has no stored vector of the embedder."""

    id: str
    title: str
    terms: tuple[tuple[str, float], ...]
    entities: tuple[str, ...] | None
    vector: npt.NDArray[np.float32] | None


class WorkingSet:
    """Articles of one build, by id, for the embedder `embedder` (see the module docstring).

    `loaded` counts the articles decoded from the store, so a bench can show that each is read once."""

    def __init__(self, store: StoreTables, embedder: str) -> None:
        self.store, self.embedder = store, embedder
        self._features: dict[str, ArticleFeatures] = {}
        self._lines: dict[str, StorylineArticle] = {}
        self.loaded = 0

    def features(self, article_ids: Sequence[str]) -> list[ArticleFeatures]:
        """Clustering features of `article_ids`, in order; those not loaded yet are read in batches and
        their missing vectors computed and stored (`cached_embed`), as the clusterer always did."""
        missing = [a for a in dict.fromkeys(article_ids) if a not in self._features]
        if missing:
            rows = self.store.articles_with_ingest_time(missing)
            self.loaded += len(rows)
            articles = [rows[a][0] for a in missing]
            found = load_analyses(self.store, missing)
            analyses: list[Analysis] = [found[a] for a in missing]
            vectors = cached_embed(self.store, self.embedder, ARTICLE_KIND, missing,
                                   [article_head(a) for a in articles])
            days = [_ingest_day(rows[a][1]) for a in missing]
            for article, item in zip(articles, features_of(articles, analyses, vectors, days), strict=True):
                self._features[item.id] = item
                self._lines.setdefault(item.id, StorylineArticle(
                    item.id, article.title, term_weights(article), tuple(sorted(item.entities)), item.vector))
        return [self._features[a] for a in article_ids]

    def storyline_articles(self, article_ids: Iterable[str]) -> dict[str, StorylineArticle]:
        """What storylines read of `article_ids`, by id. Those not loaded yet are read in batches; their
        vectors are taken as stored, never computed (a story of articles not analysed with this embedder
        has nothing to compare)."""
        wanted = list(dict.fromkeys(article_ids))
        missing = [a for a in wanted if a not in self._lines]
        if missing:
            rows = self.store.articles_with_ingest_time(missing)
            self.loaded += len(rows)
            analyses = load_analyses(self.store, missing)
            vectors = stored_vectors(self.store, self.embedder, ARTICLE_KIND, missing)
            for article_id in missing:
                if article_id not in rows:
                    continue
                article = rows[article_id][0]
                analysis = analyses.get(article_id)
                entities = None if analysis is None else tuple(sorted(
                    {_entity_key(e.text) for e in (*analysis.title_entities, *analysis.entities)}))
                self._lines[article_id] = StorylineArticle(
                    article_id, article.title, term_weights(article), entities, vectors.get(article_id))
        return {a: self._lines[a] for a in wanted if a in self._lines}


def _ingest_day(ingested_at: str) -> float:
    # in the store every article has a day: published, else the day it was ingested
    day = day_number(ingested_at)
    return 0.0 if day is None else day

