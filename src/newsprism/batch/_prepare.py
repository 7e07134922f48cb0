"""The per-article stage after extraction: dedup keys (exact hash, MinHash), analysis and article vector.

This is where the work of a batch run is (shingling, spaCy, the embedding model), and it needs nothing but
the article, so it runs wherever the article is. The driver then only makes order-dependent decisions.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsprism.analyse import Analysis, analyse_articles, article_head, get_embedder
from newsprism.batch._inputs import Extracted
from newsprism.ingest import dedup_keys
from newsprism.types import Article, Rejection

__all__ = ["ArticleVector", "Prepared", "prepare"]

_CHUNK = 256  # articles per model call: big enough for batching to pay, small enough for memory


@dataclass(frozen=True)
class ArticleVector:
    """An article's title+lead vector by one embedder, as the `embeddings` table stores it."""

    embedder: str
    vector: bytes  # float32, little-endian


@dataclass(frozen=True)
class Prepared:
    """An extracted record with what the driver and the clusterer need from it (empty for rejections)."""

    ordinal: tuple[int, int]
    item: Article | Rejection
    digest: str = ""  # ingest's exact-duplicate key and MinHash blob, made by ingest's own `prepare`
    signature: bytes = b""
    analysis: Analysis | None = None
    vectors: tuple[ArticleVector, ...] = ()


def prepare(batch: list[Extracted], embedders: tuple[str, ...]) -> list[Prepared]:
    """Keys, analysis and the title+lead vector by each of `embedders` of every article in `batch`;
    rejections pass through."""
    out: list[Prepared] = [Prepared(e.ordinal, e.item) for e in batch if isinstance(e.item, Rejection)]
    found = [e for e in batch if isinstance(e.item, Article)]
    for start in range(0, len(found), _CHUNK):
        chunk = found[start : start + _CHUNK]
        articles = [e.item for e in chunk if isinstance(e.item, Article)]
        analyses = analyse_articles(articles)
        heads = [article_head(a) for a in articles]
        vectors = {name: get_embedder(name).embed(heads) for name in embedders}
        for row, (entry, article, analysis) in enumerate(zip(chunk, articles, analyses, strict=True)):
            keys = dedup_keys(article)
            out.append(Prepared(
                entry.ordinal, article, keys.digest, keys.signature,
                analysis,
                tuple(ArticleVector(name, matrix[row].astype("<f4").tobytes())
                      for name, matrix in vectors.items()),
            ))
    return out
