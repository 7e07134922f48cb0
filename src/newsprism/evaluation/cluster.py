"""`newsprism eval cluster`: the clusterer next to baselines, on the same data, in the same process."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsprism.evaluation.baselines import all_in_one, singletons, tfidf_agglomerative_cuts
from newsprism.evaluation.datasets import LabelledSet, load_basil, load_multiling, load_neus, load_roundups
from newsprism.evaluation.metrics import Scores, score_clustering
from newsprism.evaluation.tables import article_groups
from newsprism.settings import Settings
from newsprism.store import Store

__all__ = ["EvalRow", "evaluate_clustering", "story_labels", "story_labels_split", "storyline_labels"]

CUTS = tuple(round(float(c), 2) for c in np.arange(0.3, 0.96, 0.05))


@dataclass(frozen=True)
class EvalRow:
    dataset: str
    system: str
    scores: Scores


def _store_with(data: LabelledSet, settings: Settings, *, split: bool = True) -> Store:
    from newsprism.cluster._pending import cluster_pending

    store = Store()
    for article in data.articles:
        store.add_article(article)
    cluster_pending(store, settings, progress=False, split=split)
    return store


def _labels_in(store: Store, data: LabelledSet) -> list[str]:
    where = article_groups(store)[0]
    return [where[a.id] for a in data.articles]


def story_labels(data: LabelledSet, settings: Settings) -> list[str]:
    """Story id of each article after `cluster_pending` on a fresh in-memory store."""
    with _store_with(data, settings) as store:
        return _labels_in(store, data)


def story_labels_split(data: LabelledSet, settings: Settings) -> tuple[list[str], list[str]]:
    """Story ids of each article without, then with the split step (one analysis, one clustering)."""
    from newsprism.cluster._pending import split_stories

    with _store_with(data, settings, split=False) as store:
        before = _labels_in(store, data)
        split_stories(store, settings)
        return before, _labels_in(store, data)


def storyline_labels(data: LabelledSet, settings: Settings) -> list[str]:
    """Storyline id of each article (its story id when the story joined no storyline)."""
    from newsprism.cluster._storylines import link_storylines

    with _store_with(data, settings) as store:
        link_storylines(store, settings)
        where = article_groups(store)[1]
    return [where[a.id] for a in data.articles]


def _rows(data: LabelledSet, ours: list[str], name: str, unsplit: list[str] | None = None) -> list[EvalRow]:
    gold = list(data.labels)
    by_cut = tfidf_agglomerative_cuts(data.articles, CUTS)
    best_cut = max(CUTS, key=lambda c: score_clustering(gold, by_cut[c]).b3_f1)
    systems: list[tuple[str, Callable[[], Sequence[Hashable]]]] = [(name, lambda: ours)]
    if unsplit is not None:
        systems.append((f"{name}, no split step", lambda: unsplit))
    systems += [
        ("all-in-one", lambda: all_in_one(data.articles)),
        ("singletons", lambda: singletons(data.articles)),
        (f"tfidf+agglomerative (cut {best_cut}, tuned on this set)",
         lambda: by_cut[best_cut]),
    ]
    return [EvalRow(data.name, system, score_clustering(gold, run())) for system, run in systems]


def evaluate_clustering(
    data_dir: Path, settings: Settings, *, neus: bool = True, roundups: bool = True
) -> list[EvalRow]:
    """Rows for BASIL, the dated AllSides roundups, NeuS train/val/pooled (when present under `data_dir`)
    and MultiLing 2011 (storylines; in the repo)."""
    rows: list[EvalRow] = []
    sets: list[LabelledSet] = []
    if (data_dir / "basil").is_dir():
        sets.append(load_basil(data_dir))
    if roundups and (data_dir / "neus" / "raw_roundups.jsonl").is_file():
        # dated, with outlet names and 2-3 articles a story: closer to a desk's input than NeuS lines
        sets.append(load_roundups(data_dir))
    if neus and (data_dir / "neus").is_dir():
        train, val = load_neus(data_dir, "train"), load_neus(data_dir, "val")
        pooled = LabelledSet("neus-pooled", train.articles + val.articles, train.labels + val.labels)
        sets += [val, train, pooled]
    for data in sets:
        unsplit, ours = story_labels_split(data, settings)
        rows += _rows(data, ours, "newsprism online", unsplit)
    multiling = load_multiling()
    rows += _rows(
        LabelledSet("multiling2011 (storylines)", multiling.articles, multiling.labels),
        storyline_labels(multiling, settings), "newsprism stories+storylines",
    )
    return rows
