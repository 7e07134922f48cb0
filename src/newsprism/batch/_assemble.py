"""The driver's part of a batch run: dedup decisions and story assignment, in global input order.

Both depend on order (the first copy is the original; an article joins the stories of articles before
it), and the clusterer's scores read running document frequencies over every earlier article, so they
cannot be split into independent groups without changing the result. They are cheap once every article
carries its keys, analysis and vector, so one ordered pass over compact records runs here, through the
very code local mode runs: ingest's near-duplicate index, then `cluster_pending` and `link_storylines`
over a working store (whose time-window ANN shards are the candidate blocking).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsprism.analyse import ARTICLE_KIND
from newsprism.batch._prepare import Prepared
from newsprism.ingest.dedup import NearDuplicateIndex, from_blob
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Article, Rejection

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


def _sighting_source(article: Article) -> str:
    # the same key as ingest's sightings, so a later local ingest of the same input is a no-op
    return article.url or f"{article.path}#{article.id}"


def add_prepared(records: Iterable[Prepared], store: Store, settings: Settings) -> AssembleReport:
    """Stores the records in `ordinal` order with ingest's duplicate rules, plus their analyses and
    vectors, so the store looks as after local `ingest` + `analyse_pending`."""
    db = store.connection
    stored = db.execute("SELECT article_id, signature FROM minhashes ORDER BY rowid")
    index = NearDuplicateIndex(settings.near_duplicate_threshold, ((r[0], r[1]) for r in stored))
    added = duplicates = near = 0
    rejected: list[Rejection] = []
    with store.transaction():
        for record in sorted(records, key=lambda r: r.ordinal):
            item = record.item
            if isinstance(item, Rejection):
                rejected.append(item)
                store.add_rejection(item)
                continue
            source = _sighting_source(item)
            same = item.id if store.has_article(item.id) else store.find_by_text_hash(record.text_hash)
            if same is not None:
                store.add_sighting(same, source, item.outlet, item.url)
                duplicates += 1
                continue
            minhash = from_blob(record.minhash)
            matches = index.matches(minhash)
            store.add_article(item, source)
            db.execute("INSERT INTO minhashes (article_id, signature) VALUES (?, ?)",
                       (item.id, record.minhash))
            db.executemany(
                "INSERT OR IGNORE INTO near_duplicates (article_id, original_id, similarity) VALUES (?,?,?)",
                [(item.id, original, round(sim, 4)) for original, sim in matches])
            index.add(item.id, minhash)
            db.execute("INSERT OR REPLACE INTO analyses (article_id, data) VALUES (?, ?)",
                       (item.id, record.analysis))
            db.executemany("INSERT OR REPLACE INTO embeddings (key, model, kind, vector) VALUES (?,?,?,?)",
                           [(item.id, name, ARTICLE_KIND, vector) for name, vector in record.vectors])
            added += 1
            near += bool(matches)
    return AssembleReport(added, duplicates, near, tuple(rejected), 0, 0)


def assemble(records: Iterable[Prepared], store: Store, settings: Settings) -> AssembleReport:
    """Dedup, then assign stories and storylines exactly as `newsprism build` would."""
    from newsprism.cluster import cluster_pending, link_storylines

    report = add_prepared(records, store, settings)
    # every vector the clusterer reads was made by `prepare`; analyse_pending here finds nothing to do
    clustering = cluster_pending(store, settings, progress=False)
    storylines = link_storylines(store, settings)
    return AssembleReport(report.articles, report.duplicates, report.near_duplicates, report.rejected,
                          clustering.stories, storylines)
