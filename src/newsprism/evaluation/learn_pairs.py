"""Learns the pair pass of a cluster model (`cluster/_pending.py` `_pair_pass`) on NeuS train folds only.

Run `python -m newsprism.evaluation.learn_pairs [EMBEDDER] [CACHE_DIR] [--write] [--only N]`. With a
CACHE_DIR each fold's pairs are kept there (`pairs/<embedder>.fold<N>.json`), so the run resumes where
it stopped; `--only N` computes fold N alone and stops (~10 s each: short steps on a shared machine).
1. NeuS train is cut into folds of 307 gold stories (921 articles, the size of NeuS val and test: one
   undated stream each, so one window holds a fold's every story, as it holds val's).
2. Each fold is clustered by the whole pipeline up to the pair pass (assignment, second pass); every
   candidate pair of stories the pair pass would score is a row of `OnlineClusterer.pair_features`,
   labelled 1 when the two stories' majority gold stories are one.
3. A logistic model is fit on the rows. The threshold is chosen by leaving each fold out in turn
   (fit on the others, merge the held-out fold's pairs most probable first): the lowest of
   `THRESHOLDS` whose mean B³ precision over the folds stays >= 0.9, the precision the second pass keeps.
NeuS val is never read. With `--write`, the weights, bias, threshold and the table behind them go into
the model's artifact, the other fields unchanged.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from newsprism.cluster._model import ClusterModel, model_for, save_model
from newsprism.cluster._online import OnlineClusterer
from newsprism.cluster._pending import _resume, cluster_pending, merge_stories
from newsprism.cluster._working import WorkingSet
from newsprism.evaluation.datasets import LabelledSet, load_neus
from newsprism.evaluation.metrics import Scores, score_clustering
from newsprism.evaluation.paths import data_root
from newsprism.evaluation.vector_cache import stock_store
from newsprism.settings import Settings
from newsprism.store import Store

__all__ = ["FOLD_STORIES", "THRESHOLDS", "FoldPairs", "choose", "fold_pairs", "folds", "merged_scores"]

FOLD_STORIES = 307
THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


@dataclass(frozen=True)
class FoldPairs:
    """One fold after the second pass: its gold, each article's story key, and the candidate pairs
    (story keys, feature row, label)."""

    gold: tuple[str, ...]
    stories: tuple[int, ...]
    pairs: tuple[tuple[int, int, tuple[float, ...], int], ...]


def folds(data: LabelledSet, size: int = FOLD_STORIES) -> list[LabelledSet]:
    """`data` cut into consecutive folds of `size` gold stories (the last may be smaller)."""
    order = list(dict.fromkeys(data.labels))
    out = []
    for start in range(0, len(order), size):
        chosen = set(order[start:start + size])
        keep = [i for i, label in enumerate(data.labels) if label in chosen]
        out.append(LabelledSet(f"{data.name}", tuple(data.articles[i] for i in keep),
                               tuple(data.labels[i] for i in keep)))
    return out


def fold_pairs(data: LabelledSet, settings: Settings, model: ClusterModel, cache: Path | None) -> FoldPairs:
    """The pair rows of `data` where the pair pass would start (see the module docstring)."""
    base = replace(model, pair_weights=None)
    with Store() as store:
        stock_store(store, data, settings.cluster_embedder, cache)
        cluster_pending(store, settings, progress=False, model=base, join=False, split=False)
        merge_stories(store, settings, model=base)
        clusterer = OnlineClusterer(base, 0, float(settings.cluster_window_days))
        sid_of: dict[int, str] = {}
        items = _resume(store, clusterer, sid_of, -1e9, WorkingSet(store, base.embedder))
    gold_of = {a.id: g for a, g in zip(data.articles, data.labels, strict=True)}
    key_of = {m: k for k, s in clusterer.stories.items() for m in s.members}
    near = {k: {o: clusterer.agreement(k, o, items) for o in clusterer.story_candidates(k)}
            for k in clusterer.stories}
    majority = {k: Counter(gold_of[m] for m in s.members).most_common(1)[0][0]
                for k, s in clusterer.stories.items()}
    pairs = []
    for key, mine in near.items():
        for other in mine:
            row = clusterer.pair_features(key, other, items, mine, near[other])
            pairs.append((key, other, tuple(row), int(majority[key] == majority[other])))
    return FoldPairs(data.labels, tuple(key_of[a.id] for a in data.articles), tuple(pairs))


def _cached_fold(number: int, fold: LabelledSet, settings: Settings, model: ClusterModel, cache: Path | None
                 ) -> FoldPairs:
    path = None if cache is None else cache / "pairs" / f"{settings.cluster_embedder}.fold{number}.json"
    if path is not None and path.exists():
        data = json.loads(path.read_text("utf-8"))
        return FoldPairs(tuple(data["gold"]), tuple(data["stories"]),
                         tuple((a, b, tuple(row), label) for a, b, row, label in data["pairs"]))
    found = fold_pairs(fold, settings, model, cache)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = {"gold": found.gold, "stories": found.stories, "pairs": found.pairs}
        path.write_text(json.dumps(rows), "utf-8")
    return found


def merged_scores(fold: FoldPairs, probabilities: list[float], threshold: float) -> Scores:
    """B³ of the fold after merging its pairs at or above `threshold`, most probable first."""
    parent: dict[int, int] = {}

    def root(key: int) -> int:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    for p, (first, second, _, _) in sorted(zip(probabilities, fold.pairs, strict=True), key=lambda z: -z[0]):
        if p < threshold:
            break
        a, b = root(first), root(second)
        if a != b:
            parent[a] = b
    return score_clustering(list(fold.gold), [root(k) for k in fold.stories])


def _fit(pairs: list[tuple[int, int, tuple[float, ...], int]]) -> tuple[tuple[float, ...], float]:
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=1.0, max_iter=5000).fit([p[2] for p in pairs], [p[3] for p in pairs])
    return tuple(round(float(w), 3) for w in fitted.coef_[0]), round(float(fitted.intercept_[0]), 3)


def choose(found: list[FoldPairs], model: ClusterModel, least_precision: float = 0.9
           ) -> tuple[float, dict[float, tuple[float, float, float]]]:
    """(threshold, {threshold: mean held-out-fold (P, R, F1)}) by leaving each fold out in turn."""
    table: dict[float, list[Scores]] = {t: [] for t in THRESHOLDS}
    for i, held in enumerate(found):
        weights, bias = _fit([p for j, f in enumerate(found) if j != i for p in f.pairs])
        fitted = replace(model, pair_weights=weights, pair_bias=bias)
        probabilities = [fitted.pair_probability(list(p[2])) for p in held.pairs]
        for t in THRESHOLDS:
            table[t].append(merged_scores(held, probabilities, t))
    means = {t: (float(np.mean([s.b3_precision for s in v])), float(np.mean([s.b3_recall for s in v])),
                 float(np.mean([s.b3_f1 for s in v]))) for t, v in table.items()}
    keeping = [t for t in THRESHOLDS if means[t][0] >= least_precision]
    return (min(keeping) if keeping else max(THRESHOLDS)), means


def main(argv: list[str]) -> None:
    write = "--write" in argv
    only = int(argv[argv.index("--only") + 1]) if "--only" in argv else None
    args = [a for i, a in enumerate(argv) if a not in ("--write", "--only") and argv[i - 1] != "--only"]
    embedder = args[0] if args else Settings().cluster_embedder
    cache = Path(args[1]) if len(args) > 1 else None
    settings = Settings(cluster_embedder=embedder)
    model = model_for(embedder)
    train = load_neus(data_root(), "train")
    found = []
    for number, fold in enumerate(folds(train)):
        if only is not None and number != only:
            continue
        found.append(_cached_fold(number, fold, settings, model, cache))
        before = score_clustering(list(found[-1].gold), list(found[-1].stories))
        print(f"fold {number}: {len(fold.articles)} articles, {len(found[-1].pairs)} pairs, after the second"
              f" pass P {before.b3_precision:.3f} R {before.b3_recall:.3f} F1 {before.b3_f1:.3f}",
              file=sys.stderr, flush=True)
    if only is not None:
        return
    threshold, means = choose(found, model)
    for t, (p, r, f) in means.items():
        print(f"threshold {t}: held-out folds P {p:.3f} R {r:.3f} F1 {f:.3f}", file=sys.stderr)
    weights, bias = _fit([p for f in found for p in f.pairs])
    print(f"chosen {threshold}; weights {weights}, bias {bias}", file=sys.stderr)
    if write:
        p, r, f = means[threshold]
        baseline = [score_clustering(list(x.gold), list(x.stories)) for x in found]
        provenance = dict(model.provenance)
        provenance["pair_pass"] = (
            f"pair model over {', '.join(ClusterModel.PAIR_FEATURES)}: logistic regression by python -m"
            f" newsprism.evaluation.learn_pairs on NeuS train only, {len(found)} folds of {FOLD_STORIES}"
            f" gold stories ({sum(len(x.pairs) for x in found)} candidate pair rows after the second pass,"
            f" each pair from both sides);"
            f" threshold {threshold}: the lowest of {'/'.join(map(str, THRESHOLDS))} keeping mean B3"
            f" precision >= 0.9 on the held-out folds (each fold left out in turn, its pairs merged most"
            f" probable first): P {p:.3f} R {r:.3f} F1 {f:.3f}, against the second pass alone P"
            f" {np.mean([s.b3_precision for s in baseline]):.3f} R"
            f" {np.mean([s.b3_recall for s in baseline]):.3f} F1 {np.mean([s.b3_f1 for s in baseline]):.3f};"
            f" NeuS val not used")
        tuned = replace(model, pair_weights=weights, pair_bias=bias, pair_threshold=threshold,
                        provenance=provenance)
        save_model(tuned, Path(__file__).parents[1] / "cluster" / "models" / f"{embedder}.json")


if __name__ == "__main__":
    main(sys.argv[1:])
