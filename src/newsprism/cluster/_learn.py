"""Learns the clusterer's weights and threshold on development data (BASIL, NeuS train).

Run `python -m newsprism.cluster._learn [DATA_DIR]`; it prints a `ClusterModel(...)` to paste into
`_model.py`. Pairs come from replaying the gold clustering in arrival order (each article against the
candidate stories the ANN search finds), so the model learns on the candidates it will really see.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from newsprism.analyse import analyse_articles, article_head, get_embedder
from newsprism.cluster._datasets import LabelledSet, default_data_dir, load_basil, load_neus
from newsprism.cluster._features import ArticleFeatures, features_of
from newsprism.cluster._metrics import score_clustering
from newsprism.cluster._model import LEARNED, ClusterModel
from newsprism.cluster._online import OnlineClusterer

__all__ = ["dataset_features", "learn", "run_online"]


def dataset_features(data: LabelledSet, embedder: str) -> list[ArticleFeatures]:
    """Features of a labelled set; undated articles all count as ingested on one day."""
    articles = list(data.articles)
    vectors = get_embedder(embedder).embed([article_head(a) for a in articles])
    return features_of(articles, analyse_articles(articles), vectors, [0.0] * len(articles))


def run_online(items: list[ArticleFeatures], model: ClusterModel, window_days: float = 7) -> list[int]:
    """Online cluster labels of `items` in order."""
    clusterer = OnlineClusterer(model, int(items[0].vector.shape[0]), window_days)
    for item in items:
        clusterer.assign(item)
    return clusterer.labels([i.id for i in items])


def _pairs(items: list[ArticleFeatures], labels: tuple[str, ...], window: float) -> tuple[list, list]:
    clusterer = OnlineClusterer(LEARNED, int(items[0].vector.shape[0]), window, neighbours=24)
    keys: dict[str, int] = {}
    x, y = [], []
    for item, label in zip(items, labels, strict=True):
        for key, cosine in clusterer.candidates(item).items():
            x.append(clusterer.features(item, clusterer.stories[key], cosine))
            y.append(int(keys.get(label) == key))
        if label not in keys:
            keys[label] = clusterer.new_key()
        clusterer.add_existing(item, keys[label])
    return x, y


def learn(
    sets: list[tuple[LabelledSet, list[ArticleFeatures]]], embedder: str, window: float = 7
) -> ClusterModel:
    """Logistic weights from replayed pairs, then the threshold that maximises mean B³-F1 online."""
    from sklearn.linear_model import LogisticRegression

    x, y = [], []
    for data, items in sets:
        px, py = _pairs(items, data.labels, window)
        x += px
        y += py
    fit = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit(np.array(x), np.array(y))
    model = ClusterModel(tuple(round(float(w), 3) for w in fit.coef_[0]), round(float(fit.intercept_[0]), 3),
                         0.5, embedder=embedder)
    best = (-1.0, 0.5)
    for threshold in np.arange(0.2, 0.96, 0.05):
        trial = replace(model, threshold=round(float(threshold), 2))
        f1 = float(np.mean([score_clustering(d.labels, run_online(i, trial, window)).b3_f1 for d, i in sets]))
        print(f"threshold {threshold:.2f}: mean B3-F1 {f1:.4f}", file=sys.stderr)
        best = max(best, (f1, trial.threshold))
    return replace(model, threshold=best[1])


def _cached_features(data: LabelledSet, embedder: str, cache: Path) -> list[ArticleFeatures]:
    # NER over thousands of leads takes minutes on two cores: keep features between runs of this script
    import pickle

    path = cache / f"newsprism-features-{data.name}-{embedder}.pkl"
    if path.exists():
        items: list[ArticleFeatures] = pickle.loads(path.read_bytes())
        return items
    items = dataset_features(data, embedder)
    path.write_bytes(pickle.dumps(items))
    return items


if __name__ == "__main__":
    import tempfile

    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else default_data_dir()
    embedder = sys.argv[2] if len(sys.argv) > 2 else "wordllama.v1"
    cache = Path(tempfile.gettempdir())
    dev = (load_basil(data_dir), load_neus(data_dir, "train"))
    sets = [(d, _cached_features(d, embedder, cache)) for d in dev]
    print("features ready", file=sys.stderr)
    print(learn(sets, embedder))
