"""Learns the clusterer's weights and threshold on development data (BASIL, NeuS train; never NeuS val).

Run `python -m newsprism.evaluation.learn_cluster [--fresh] [DATA_DIR] [EMBEDDER] [CACHE_DIR]`; it writes
the artifact `cluster/models/<EMBEDDER>.json` (weights, threshold, provenance: data, folds, scores).
The model learns on the clusterer's own decisions (imitation learning, DAgger-style):
1. a first model is fit on pairs replayed from the gold grouping (each article against the candidate
   stories the ANN search finds when the earlier articles sit in their gold stories);
2. then, for a few rounds, the clusterer runs online with the current model; every candidate it scores is
   a training row (label: the candidate story is mostly the article's gold story), rows are pooled over
   rounds and the model is refit, so it learns from the candidates and mistakes it really makes;
3. the join threshold is the one that maximises mean B³-F1 of the online run over the sets.

The rest of the artifact was chosen after the weights, by hand or by `tune_join` on development sets (the
second-pass agreement, the headline thresholds, the actor veto, third-story rivals, docs/clustering.md
"Session 13"). The learner does not re-choose them: it carries them over from the artifact it replaces,
with their provenance notes and a `carried` note naming them (`artifact`), so re-learning keeps the shipped
behaviour; a fresh model (`--fresh`) has the dataclass defaults, that is none of those changes.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import fields, replace
from pathlib import Path

import numpy as np

from newsprism.analyse import analyse_articles, article_head, get_embedder
from newsprism.cluster._features import ArticleFeatures, features_of
from newsprism.cluster._model import LEARNED, MODELS, ClusterModel, save_model
from newsprism.cluster._online import OnlineClusterer
from newsprism.evaluation.datasets import LabelledSet, load_basil, load_neus
from newsprism.evaluation.metrics import score_clustering
from newsprism.evaluation.paths import data_root

__all__ = ["CHOSEN_AFTER", "LEARNED_FIELDS", "artifact", "dataset_features", "learn", "run_online"]

Rows = tuple[list[list[float]], list[int]]
Pool = list[tuple[list[float], int, float]]  # (features, label, sample weight)


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


def _replayed(items: list[ArticleFeatures], labels: tuple[str, ...], window: float) -> Rows:
    clusterer = OnlineClusterer(LEARNED, int(items[0].vector.shape[0]), window)
    keys: dict[str, int] = {}
    x, y = [], []
    for item, label in zip(items, labels, strict=True):
        for key, row in clusterer.scored_candidates(item):
            x.append(row)
            y.append(int(keys.get(label) == key))
        if label not in keys:
            keys[label] = clusterer.new_key()
        clusterer.add_existing(item, keys[label])
    return x, y


def _decisions(
    items: list[ArticleFeatures], labels: tuple[str, ...], model: ClusterModel, window: float
) -> Rows:
    """Rows of every candidate the clusterer scores while it runs online with `model`."""
    clusterer = OnlineClusterer(model, int(items[0].vector.shape[0]), window)
    gold_of: dict[int, Counter[str]] = {}
    x, y = [], []
    for item, label in zip(items, labels, strict=True):
        for key, row in clusterer.scored_candidates(item):
            counts = gold_of.get(key, Counter())
            x.append(row)
            y.append(int(2 * counts[label] >= sum(counts.values())))
        result = clusterer.assign(item)
        counts = gold_of.setdefault(result.key, Counter())
        for other in result.merged:
            counts.update(gold_of.pop(other, Counter()))
        counts[label] += 1
    return x, y


def _weighted(rows: Rows) -> Pool:
    # every set and class weighs the same in total: NeuS train's 7,000 articles must not drown BASIL's 300
    x, y = rows
    positives = max(1, sum(y))
    negatives = max(1, len(y) - positives)
    return [(f, t, 0.5 / (positives if t else negatives)) for f, t in zip(x, y, strict=True)]


def _fit(pool: Pool, embedder: str) -> ClusterModel:
    from sklearn.linear_model import LogisticRegression

    x, y, w = (np.array([r[0] for r in pool]), np.array([r[1] for r in pool]), np.array([r[2] for r in pool]))
    fit = LogisticRegression(C=1.0, max_iter=5000).fit(x, y, sample_weight=w * len(pool) / w.sum())
    weights = tuple(round(float(w), 3) for w in fit.coef_[0])
    return ClusterModel(weights, round(float(fit.intercept_[0]), 3), 0.5, embedder=embedder)


def _tune(model: ClusterModel, sets: list[tuple[LabelledSet, list[ArticleFeatures]]], window: float
          ) -> tuple[float, ClusterModel]:
    """The threshold with the best mean B³-F1: a coarse pass (steps of 0.1), then ±0.05 around the best."""
    tried: dict[float, float] = {}

    def trial(threshold: float) -> float:
        threshold = round(threshold, 2)
        if threshold not in tried:
            run = replace(model, threshold=threshold)
            f1s = [score_clustering(d.labels, run_online(i, run, window)).b3_f1 for d, i in sets]
            print(f"  threshold {threshold:.2f}: B3-F1 {' '.join(f'{f:.4f}' for f in f1s)}", file=sys.stderr)
            tried[threshold] = float(np.mean(f1s))
        return tried[threshold]

    coarse = max((0.4, 0.5, 0.6, 0.7, 0.8, 0.9), key=trial)
    best = max((coarse - 0.05, coarse, coarse + 0.05), key=trial)
    return tried[round(best, 2)], replace(model, threshold=round(best, 2))


def learn(
    sets: list[tuple[LabelledSet, list[ArticleFeatures]]], embedder: str, window: float = 7, rounds: int = 1
) -> ClusterModel:
    """Weights from the clusterer's own decisions (see the module docstring), threshold by mean B³-F1."""
    pool: Pool = []
    for data, items in sets:
        pool += _weighted(_replayed(items, data.labels, window))
    score, best = _tune(_fit(pool, embedder), sets, window)
    print(f"replayed: {score:.4f} {best}", file=sys.stderr)
    model = best
    for round_ in range(rounds):
        for data, items in sets:
            pool += _weighted(_decisions(items, data.labels, model, window))
        f1, model = _tune(_fit(pool, embedder), sets, window)
        print(f"round {round_ + 1}: {f1:.4f} {model}", file=sys.stderr)
        if f1 > score:
            score, best = f1, model
    return best


# what this script fits; every other field of ClusterModel was chosen after it and is carried over
LEARNED_FIELDS = ("weights", "bias", "threshold", "embedder", "provenance")
CHOSEN_AFTER = tuple(f.name for f in fields(ClusterModel) if f.name not in LEARNED_FIELDS)
# the provenance notes this script writes; the others belong to the carried fields
_OWN_NOTES = ("data", "folds", "method", "score", "carried")


def artifact(learned: ClusterModel, f1s: list[float], previous: ClusterModel | None) -> ClusterModel:
    """The model to write: `learned` with its provenance and, from `previous` (the artifact it
    replaces; None: a fresh model), every field chosen after the weights and their provenance notes.

    The online threshold is learned here, but `tune_join` may have re-chosen it on the whole pipeline
    (a `threshold` note in the provenance, as in minilm64+wordllama.v1); then it is carried too and the
    learned value stays in the `score` note."""
    provenance = {
        "data": "BASIL (300 articles) + NeuS train (7,356 articles), ../shared/data; each set and class"
                " weighs the same",
        "folds": "train only: NeuS val is never used to fit or choose",
        "method": f"python -m newsprism.evaluation.learn_cluster (embedder {learned.embedder}, window 7"
                  " days, replayed fit then one round on the clusterer's own decisions, the better kept)",
        "score": f"B3-F1 of one online pass at threshold {learned.threshold}: BASIL {f1s[0]:.3f},"
                 f" NeuS train {f1s[1]:.3f}",
    }
    if previous is None:
        return replace(learned, provenance=provenance)
    kept = {name: getattr(previous, name) for name in CHOSEN_AFTER}
    if "threshold" in previous.provenance:
        kept["threshold"] = previous.threshold
    default = ClusterModel((), 0.0, 0.0)
    changed = [name for name in kept if name == "threshold" or getattr(default, name) != kept[name]]
    notes = {k: v for k, v in previous.provenance.items() if k not in _OWN_NOTES}
    provenance |= notes
    provenance["carried"] = (
        f"carried over from the {previous.embedder} artifact this one replaced, chosen there after the"
        f" weights and not re-chosen for these: {', '.join(f'{n} {kept[n]}' for n in changed) or 'none'}"
        " (notes above); re-run tune_join or the docs/clustering.md grids to choose them again")
    return replace(learned, **kept, provenance=provenance)


def _cached_features(data: LabelledSet, embedder: str, cache: Path | None) -> list[ArticleFeatures]:
    """Features of `data` from the per-set caches of vectors and analyses (`vector_cache`): NER and
    embedding over thousands of leads take minutes on two cores, the clustering features seconds."""
    from newsprism.evaluation.vector_cache import cached_analyses, cached_vectors

    articles = list(data.articles)
    vectors = cached_vectors(data, embedder, cache)
    return features_of(articles, cached_analyses(data, cache), vectors, [0.0] * len(articles))


def main(argv: list[str]) -> None:
    """`python -m newsprism.evaluation.learn_cluster [--fresh] [DATA_DIR] [EMBEDDER] [CACHE_DIR]`;
    `--fresh`: do not carry the fields chosen after the weights over from the current artifact."""
    import os
    import tempfile

    fresh = "--fresh" in argv
    argv = [a for a in argv if a != "--fresh"]

    data_dir = Path(argv[0]) if argv else data_root()
    embedder = argv[1] if len(argv) > 1 else "minilm64.v1"
    cache = Path(argv[2]) if len(argv) > 2 else Path(os.environ.get("NEWSPRISM_CACHE", tempfile.gettempdir()))
    dev = (load_basil(data_dir), load_neus(data_dir, "train"))
    sets = [(d, _cached_features(d, embedder, cache)) for d in dev]
    print("features ready", file=sys.stderr)
    learned = learn(sets, embedder)
    f1s = [score_clustering(d.labels, run_online(i, learned)).b3_f1 for d, i in sets]
    learned = artifact(learned, f1s, None if fresh else MODELS.get(embedder))
    out = Path(__file__).parents[1] / "cluster" / "models" / f"{embedder}.json"
    save_model(learned, out)
    print(f"wrote {out}: {learned}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
