"""The driver's part of a batch run: dedup decisions and story assignment, in global input order.

Both depend on order (the first copy is the original; an article joins the stories of articles before
it), and the clusterer's scores read running document frequencies over every earlier article, so they
cannot be split into independent groups without changing the result. They are cheap once every article
carries its keys, analysis and vector, so one ordered pass over compact records runs here, through the
very code local mode runs: ingest's near-duplicate index, then `cluster_pending` and `link_storylines`
over a working store (whose time-window ANN shards are the candidate blocking).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from newsprism.analyse import ARTICLE_KIND
from newsprism.batch._prepare import Prepared
from newsprism.ingest import ArticleWriter, DedupKeys
from newsprism.settings import Settings
from newsprism.store import StoreTables
from newsprism.types import Rejection

__all__ = ["AssembleReport", "add_prepared", "article_embedders", "assemble"]


def article_embedders(settings: Settings) -> tuple[str, ...]:
    """The embedders whose title+lead vectors local mode computes for every article (analyse_pending's
    `cluster_embedder`, which the clusterer and storylines read). A vector the clusterer wants and
    `prepare` did not make is still computed, on the driver, by the embedding cache: slower, not wrong."""
    return (settings.cluster_embedder,)


@dataclass(frozen=True)
class AssembleReport:
    articles: int
    duplicates: int
    near_duplicates: int
    rejected: tuple[Rejection, ...]
    stories: int
    storylines: int


def add_prepared(records: Iterable[Prepared], store: StoreTables, settings: Settings) -> AssembleReport:
    """Stores the records in `ordinal` order through ingest's dedup writer, plus the analyses and vectors
    of the new ones, so the store looks as after local `ingest` + `analyse_pending`."""
    writer = ArticleWriter(store, settings, commit_every=1000)
    rejected: list[Rejection] = []
    try:
        for record in sorted(records, key=lambda r: r.ordinal):
            item = record.item
            if isinstance(item, Rejection):
                rejected.append(item)
                writer.rejection(item)
                continue
            if not writer.article(item, DedupKeys(item, record.digest, record.signature)):
                continue
            assert record.analysis is not None  # `prepare` analyses every article it passes on
            # inside the article's commit group: an article is never stored without its analysis
            writer.tables.put_analysis(item.id, json.dumps(record.analysis.to_json(), ensure_ascii=False),
                                       [(v.embedder, ARTICLE_KIND, v.vector) for v in record.vectors])
        writer.flush()
    except BaseException:
        writer.abort()
        raise
    return AssembleReport(writer.ingested, writer.duplicates, writer.near, tuple(rejected), 0, 0)


def assemble(records: Iterable[Prepared], store: StoreTables, settings: Settings) -> AssembleReport:
    """Dedup, then assign stories and storylines exactly as `newsprism build` would."""
    from newsprism.cluster import cluster_pending, link_storylines

    report = add_prepared(records, store, settings)
    # every vector the clusterer reads was made by `prepare`; analyse_pending here finds nothing to do
    clustering = cluster_pending(store, settings, progress=False)
    storylines = link_storylines(store, settings)
    return AssembleReport(report.articles, report.duplicates, report.near_duplicates, report.rejected,
                          clustering.stories, storylines)
