"""Analysis of each article: sentences, entities, dates and quantities, embeddings, claim comparison."""

# onnxruntime's native module segfaults on import once spaCy, scikit-learn and usearch's numkong are
# loaded (seen with onnxruntime 1.32); loading it first, before any of them, avoids the crash.
import contextlib

with contextlib.suppress(ImportError):  # without it, minilm.v1 reports ModelUnavailable
    import onnxruntime  # noqa: F401

from newsprism.analyse._analysis import (
    ARTICLE_KIND,
    Analysis,
    analyse_articles,
    analyse_pending,
    article_head,
    lead_of,
    load_analyses,
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
    EMBEDDERS,
    Embedder,
    MiniLMEmbedder,
    TfidfEmbedder,
    WordLlamaEmbedder,
    cached_embed,
    get_embedder,
    text_key,
)
from newsprism.analyse._entities import (
    ENTITY_LABELS,
    Entity,
    extract_dates,
    extract_entities,
    extract_quantities,
)
from newsprism.analyse._sentences import Span, split_sentences

__all__ = [
    "ARTICLE_KIND",
    "CLAIM_COMPARERS",
    "EMBEDDERS",
    "ENTITY_LABELS",
    "Analysis",
    "ClaimComparer",
    "DatedMention",
    "Embedder",
    "Entity",
    "HeuristicClaimComparer",
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
    "publication_day",
    "resolve_dates",
    "split_sentences",
    "text_key",
]
