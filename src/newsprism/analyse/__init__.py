"""Analysis of each article: sentences, entities, dates and quantities, embeddings, claim comparison.

Names load on first use, so importing the package does not load spaCy, scikit-learn or usearch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import newsprism._native  # noqa: F401  (first: see that module)
from newsprism._lazy import lazy_getattr

if TYPE_CHECKING:
    from newsprism.analyse._analysis import (
        ARTICLE_KIND,
        Analysis,
        CaptionReading,
        analyse_articles,
        analyse_pending,
        article_head,
        lead_of,
        load_analyses,
        outside_captions,
    )
    from newsprism.analyse._claims import (
        CLAIM_COMPARERS,
        ClaimComparer,
        HeuristicClaimComparer,
        Relation,
        get_claim_comparer,
    )
    from newsprism.analyse._dates import DatedMention, publication_day, resolve_dates
    from newsprism.analyse._embed import (
        CONCATENATED,
        EMBEDDERS,
        ConcatEmbedder,
        E5Embedder,
        Embedder,
        MiniLMEmbedder,
        TfidfEmbedder,
        WordLlamaEmbedder,
        cached_embed,
        get_embedder,
        stored_vectors,
        text_key,
    )
    from newsprism.analyse._entities import (
        ENTITY_LABELS,
        Entity,
        extract_dates,
        extract_entities,
        extract_quantities,
    )
    from newsprism.analyse._mentions import Mentions, sentence_mentions, sentence_text
    from newsprism.analyse._sentences import Span, split_sentences

__all__ = [
    "ARTICLE_KIND",
    "CLAIM_COMPARERS",
    "CONCATENATED",
    "EMBEDDERS",
    "ENTITY_LABELS",
    "Analysis",
    "CaptionReading",
    "ClaimComparer",
    "ConcatEmbedder",
    "DatedMention",
    "E5Embedder",
    "Embedder",
    "Entity",
    "HeuristicClaimComparer",
    "Mentions",
    "MiniLMEmbedder",
    "Relation",
    "Span",
    "TfidfEmbedder",
    "WordLlamaEmbedder",
    "analyse_articles",
    "analyse_pending",
    "article_head",
    "cached_embed",
    "extract_dates",
    "extract_entities",
    "extract_quantities",
    "get_claim_comparer",
    "get_embedder",
    "lead_of",
    "load_analyses",
    "outside_captions",
    "publication_day",
    "resolve_dates",
    "sentence_mentions",
    "sentence_text",
    "split_sentences",
    "stored_vectors",
    "text_key",
]

_HOME = {
    "ARTICLE_KIND": "newsprism.analyse._analysis",
    "Analysis": "newsprism.analyse._analysis",
    "CLAIM_COMPARERS": "newsprism.analyse._claims",
    "CaptionReading": "newsprism.analyse._analysis",
    "CONCATENATED": "newsprism.analyse._embed",
    "ClaimComparer": "newsprism.analyse._claims",
    "ConcatEmbedder": "newsprism.analyse._embed",
    "E5Embedder": "newsprism.analyse._embed",
    "DatedMention": "newsprism.analyse._dates",
    "EMBEDDERS": "newsprism.analyse._embed",
    "ENTITY_LABELS": "newsprism.analyse._entities",
    "Embedder": "newsprism.analyse._embed",
    "Entity": "newsprism.analyse._entities",
    "HeuristicClaimComparer": "newsprism.analyse._claims",
    "Mentions": "newsprism.analyse._mentions",
    "MiniLMEmbedder": "newsprism.analyse._embed",
    "Relation": "newsprism.analyse._claims",
    "Span": "newsprism.analyse._sentences",
    "TfidfEmbedder": "newsprism.analyse._embed",
    "WordLlamaEmbedder": "newsprism.analyse._embed",
    "analyse_articles": "newsprism.analyse._analysis",
    "analyse_pending": "newsprism.analyse._analysis",
    "article_head": "newsprism.analyse._analysis",
    "cached_embed": "newsprism.analyse._embed",
    "extract_dates": "newsprism.analyse._entities",
    "extract_entities": "newsprism.analyse._entities",
    "extract_quantities": "newsprism.analyse._entities",
    "get_claim_comparer": "newsprism.analyse._claims",
    "get_embedder": "newsprism.analyse._embed",
    "lead_of": "newsprism.analyse._analysis",
    "load_analyses": "newsprism.analyse._analysis",
    "outside_captions": "newsprism.analyse._analysis",
    "publication_day": "newsprism.analyse._dates",
    "resolve_dates": "newsprism.analyse._dates",
    "sentence_mentions": "newsprism.analyse._mentions",
    "sentence_text": "newsprism.analyse._mentions",
    "split_sentences": "newsprism.analyse._sentences",
    "stored_vectors": "newsprism.analyse._embed",
    "text_key": "newsprism.analyse._embed",
}

__getattr__ = lazy_getattr(__name__, _HOME)
