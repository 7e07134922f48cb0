"""Per-set caches of what evaluation runs recompute most: article vectors (per embedder) and analyses.

Embedding and NER are the costly part of every clustering evaluation (minutes for NeuS train on two
cores), and neither depends on the clusterer's settings; so `cached_vectors` and `cached_analyses` keep
them in a folder (e.g. `/work/cache/clust/`, never the repo), keyed by set name and article id, and
`seed_store` writes them into a fresh store so `cluster_pending` finds them (its `cached_embed` and
`analyse_pending` skip what the store holds). The vectors are the embedder's own output: what the
product would compute and store for the same article.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from newsprism.analyse import (
    ARTICLE_KIND,
    CONCATENATED,
    Analysis,
    analyse_articles,
    article_head,
    get_embedder,
)
from newsprism.evaluation.datasets import LabelledSet
from newsprism.store import Store
from newsprism.types import Article

__all__ = ["cached_analyses", "cached_vectors", "embed_timed", "seed_store", "stock_store"]

Matrix = npt.NDArray[np.float32]


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in name)


def embed_timed(embedder: str, texts: Sequence[str]) -> tuple[Matrix, float, float]:
    """Vectors of `texts` with the process CPU seconds and wall seconds they took (model load excluded)."""
    model = get_embedder(embedder)
    cpu, wall = time.process_time(), time.perf_counter()
    vectors = model.embed(list(texts))
    return vectors, time.process_time() - cpu, time.perf_counter() - wall


def cached_vectors(data: LabelledSet, embedder: str, cache: Path | None, articles: Sequence[Article] = ()
                   ) -> Matrix:
    """Vectors (`article_head`, `embedder`) of `articles` (default: all of `data`), read from
    `cache/vectors/<set>.<embedder>.npz` where present, computed and added to it otherwise."""
    chosen = list(articles or data.articles)
    if cache is None:
        return get_embedder(embedder).embed([article_head(a) for a in chosen])
    if embedder in CONCATENATED:  # an ensemble is its parts' cached rows, scaled and side by side
        parts = CONCATENATED[embedder]
        blocks = [cached_vectors(data, p, cache, chosen) / np.sqrt(len(parts)) for p in parts]
        return np.ascontiguousarray(np.hstack(blocks), dtype=np.float32)
    path = cache / "vectors" / f"{_safe(data.name)}.{_safe(embedder)}.npz"
    known: dict[str, Matrix] = {}
    if path.exists():
        with np.load(path) as stored:
            known = dict(zip((str(i) for i in stored["ids"]), stored["vectors"], strict=True))
    missing = list({a.id: a for a in chosen if a.id not in known}.values())
    if missing:
        vectors = get_embedder(embedder).embed([article_head(a) for a in missing])
        known.update(zip((a.id for a in missing), vectors, strict=True))
        path.parent.mkdir(parents=True, exist_ok=True)
        ids = list(known)
        partial = path.with_suffix(".tmp.npz")
        np.savez(partial, ids=np.array(ids), vectors=np.stack([known[i] for i in ids]).astype(np.float32))
        partial.replace(path)
    return np.stack([known[a.id] for a in chosen]).astype(np.float32)


def cached_analyses(data: LabelledSet, cache: Path | None, articles: Sequence[Article] = ()
                    ) -> list[Analysis]:
    """Analyses of `articles` (default: all of `data`), kept in `cache/analyses/<set>.jsonl`."""
    chosen = list(articles or data.articles)
    if cache is None:
        return analyse_articles(chosen)
    path = cache / "analyses" / f"{_safe(data.name)}.jsonl"
    known: dict[str, Analysis] = {}
    if path.exists():
        for line in path.read_text("utf-8").splitlines():
            found = Analysis.from_json(json.loads(line))
            known[found.article_id] = found
    missing = list({a.id: a for a in chosen if a.id not in known}.values())
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            for found in analyse_articles(missing):
                known[found.article_id] = found
                handle.write(json.dumps(found.to_json(), ensure_ascii=False) + "\n")
    return [known[a.id] for a in chosen]


def stock_store(store: Store, data: LabelledSet, embedder: str, cache: Path | None) -> None:
    """`data`'s articles added to `store`, and with `cache` their cached vectors and analyses too
    (`seed_store`), ready for `cluster_pending`."""
    for article in data.articles:
        store.add_article(article)
    if cache is not None:
        seed_store(store, data, embedder, cache)


def seed_store(store: Store, data: LabelledSet, embedder: str, cache: Path, articles: Sequence[Article] = ()
               ) -> None:
    """Writes the cached vectors and analyses of `articles` (default: all of `data`; computed on a miss)
    into `store`, so that `cluster_pending` reads them instead of recomputing them."""
    chosen = list(articles or data.articles)
    vectors = cached_vectors(data, embedder, cache, chosen)
    analyses = cached_analyses(data, cache, chosen)
    with store.transaction():  # through the store's own writers: what the product would have stored
        store.embeddings.put(embedder, ARTICLE_KIND, list(zip((a.id for a in chosen), vectors, strict=True)))
        store.analyses.put([(a.article_id, a.to_json()) for a in analyses])
