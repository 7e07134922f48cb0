"""`newsprism eval cluster --json`: stories and storylines of every set next to the TF-IDF baseline.

Each set is clustered once in a fresh in-memory store (`cluster_pending`, split step on), its storylines
linked (`link_storylines`), and both groupings scored with B³ against the gold; the baseline is TF-IDF
title+lead vectors with average linkage at the cut that scores best against the gold (an upper bound of
that method, chosen on the set itself)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from newsprism.evaluation.baselines import tfidf_agglomerative_cuts
from newsprism.evaluation.cluster import CUTS
from newsprism.evaluation.cluster_sets import GRAIN, load_uci_headlines
from newsprism.evaluation.datasets import LabelledSet, load_basil, load_multiling, load_neus, load_roundups
from newsprism.evaluation.metrics import score_clustering
from newsprism.evaluation.tables import article_groups
from newsprism.evaluation.vector_cache import stock_store
from newsprism.settings import Settings
from newsprism.store import Store

__all__ = ["SETS", "evaluate_sets", "grouped"]


def _neus_pooled(data_dir: Path) -> LabelledSet:
    train, val = load_neus(data_dir, "train"), load_neus(data_dir, "val")
    return LabelledSet("neus-pooled", train.articles + val.articles, train.labels + val.labels)


# name -> (loader, the file or folder it needs under the data folder)
SETS: dict[str, tuple[Callable[[Path], LabelledSet], str]] = {
    "basil": (load_basil, "basil"),
    "roundups": (load_roundups, "neus/raw_roundups.jsonl"),
    "neus-train": (lambda d: load_neus(d, "train"), "neus/train.source"),
    "neus-val": (lambda d: load_neus(d, "val"), "neus/val.source"),
    "multiling2011": (lambda d: load_multiling(), ""),
    "uci-headlines": (load_uci_headlines, "clusters/uci-news-aggregator"),
}


def grouped(data: LabelledSet, settings: Settings, cache: Path | None = None) -> tuple[list[str], list[str]]:
    """Story id and storyline id (its story's id when in no storyline) of each article of `data`; with
    `cache`, vectors and analyses come from the per-set caches there (`vector_cache.seed_store`)."""
    from newsprism.cluster._pending import cluster_pending
    from newsprism.cluster._storylines import link_storylines

    with Store() as store:
        stock_store(store, data, settings.cluster_embedder, cache)
        cluster_pending(store, settings, progress=False)
        link_storylines(store, settings)
        story, line = article_groups(store)
    missing = [a.id for a in data.articles if a.id not in story]
    if missing:  # every input counts: a dropped article is a bug, not a row to score around
        raise RuntimeError(f"{data.name}: {len(missing)} articles in no story")
    return [story[a.id] for a in data.articles], [line[a.id] for a in data.articles]


def _row(data: LabelledSet, system: str, predicted: list[Any]) -> dict[str, Any]:
    s = score_clustering(list(data.labels), predicted)
    return {"set": data.name, "grain": GRAIN.get(data.name, "story"), "system": system,
            "precision": round(s.b3_precision, 4), "recall": round(s.b3_recall, 4),
            "f1": round(s.b3_f1, 4), "clusters": s.clusters, "items": len(predicted)}


def evaluate_sets(data_dir: Path, settings: Settings, names: Iterable[str] | None = None,
                  cache: Path | None = None) -> list[dict[str, Any]]:
    """Rows `{set, grain, system, precision, recall, f1, clusters, items}` (B³) for each set of `names`
    (default: all of `SETS` whose data is present); `cache`: see `grouped`."""
    out: list[dict[str, Any]] = []
    for name in names or SETS:
        loader, needs = SETS[name]
        if needs and not (data_dir / needs).exists():
            continue
        data = loader(data_dir)
        stories, lines = grouped(data, settings, cache)
        out.append(_row(data, "newsprism stories", stories))
        out.append(_row(data, "newsprism storylines", lines))
        by_cut = tfidf_agglomerative_cuts(data.articles, CUTS)
        gold = list(data.labels)
        best = max(CUTS, key=lambda c: score_clustering(gold, by_cut[c]).b3_f1)
        out.append(_row(data, f"tfidf+average linkage, best cut {best} (chosen on the gold)", by_cut[best]))
    return out
