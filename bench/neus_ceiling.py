"""How far pairwise similarity can go on NeuS val: an upper bound for any clusterer built on it.

Usage: python bench/neus_ceiling.py [--data ../shared/data]
Prints, for NeuS val (921 title + lead articles, 307 gold stories, no dates), how often an article's
nearest neighbour is in its gold story under each similarity the clusterer can compute offline, how many
gold pairs look less alike than the closest wrong pairs, and the B³-F1 of average-linkage clustering over
a pairwise logistic model trained on NeuS train pairs, with the cut chosen *on val itself* (an oracle:
no honest system tuned elsewhere does better with these similarities).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

import newsprism.analyse  # noqa: F401  (loads onnxruntime first; see analyse/__init__)
from newsprism.evaluation.datasets import LabelledSet, load_neus
from newsprism.evaluation.learn_cluster import _cached_features
from newsprism.evaluation.metrics import score_clustering
from newsprism.evaluation.paths import data_root

Matrix = npt.NDArray[np.float64]


def similarities(data: LabelledSet, cache: Path) -> dict[str, Matrix]:
    items = _cached_features(data, "minilm64.v1", cache)
    vectors = np.stack([i.vector for i in items]).astype(np.float64)
    texts = [a.title + " " + a.text for a in data.articles]
    body = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    titles = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [a.title for a in data.articles])
    entities = [i.entities for i in items]
    jaccard = np.array([[len(a & b) / max(1, len(a | b)) for b in entities] for a in entities])
    return {
        "minilm64 cosine": vectors @ vectors.T,
        "tfidf cosine (title+lead)": (body @ body.T).toarray(),
        "title tfidf cosine": (titles @ titles.T).toarray(),
        "entity jaccard": jaccard,
    }


def nearest_is_gold(matrix: Matrix, labels: npt.NDArray[np.str_]) -> float:
    masked = matrix.copy()
    np.fill_diagonal(masked, -np.inf)
    return float(np.mean(labels[masked.argmax(1)] == labels))


Pairs = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]


def candidate_pairs(sims: dict[str, Matrix], k: int = 15) -> Pairs:
    combined = sims["minilm64 cosine"] + sims["tfidf cosine (title+lead)"]
    np.fill_diagonal(combined, -np.inf)
    near = np.argsort(-combined, axis=1)[:, :k]
    pairs = {(min(i, int(j)), max(i, int(j))) for i in range(len(near)) for j in near[i]}
    first, second = zip(*sorted(pairs), strict=True)
    return np.array(first), np.array(second)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=data_root())
    args = parser.parse_args()
    cache = Path(tempfile.gettempdir())
    train, val = load_neus(args.data, "train"), load_neus(args.data, "val")
    train_sims, val_sims = similarities(train, cache), similarities(val, cache)
    gold = np.array(val.labels)

    print(f"NeuS val: {len(gold)} articles, {len(set(gold))} gold stories")
    for name, matrix in val_sims.items():
        print(f"  nearest neighbour in the gold story, {name:28s} {nearest_is_gold(matrix, gold):.3f}")
    both = val_sims["minilm64 cosine"] + val_sims["tfidf cosine (title+lead)"]
    name = "minilm64 + tfidf"
    print(f"  nearest neighbour in the gold story, {name:28s} {nearest_is_gold(both, gold):.3f}")

    upper = np.triu_indices(len(gold), 1)
    same = gold[upper[0]] == gold[upper[1]]
    mean = both[upper] / 2
    print(f"  gold pairs with mean similarity < 0.4: {np.mean(mean[same] < 0.4):.1%} of {same.sum()};"
          f" wrong pairs > 0.6: {int(np.sum(mean[~same] > 0.6))}")

    names = sorted(train_sims)
    i, j = candidate_pairs(train_sims)
    x = np.stack([train_sims[n][i, j] for n in names], 1)
    y = np.array(train.labels)[i] == np.array(train.labels)[j]
    model = LogisticRegression(max_iter=3000).fit(x, y)
    vi, vj = candidate_pairs(val_sims)
    p = model.predict_proba(np.stack([val_sims[n][vi, vj] for n in names], 1))[:, 1]
    distance = np.ones((len(gold), len(gold)))
    distance[vi, vj] = distance[vj, vi] = 1 - p
    np.fill_diagonal(distance, 0)
    best = (0.0, 0.0)
    for cut in np.arange(0.5, 0.995, 0.01):
        found = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                        distance_threshold=cut).fit_predict(distance)
        f1 = score_clustering(list(gold), [str(c) for c in found]).b3_f1
        best = max(best, (f1, round(float(cut), 2)))
    print(f"  average linkage over a pairwise model (trained on NeuS train), cut chosen on val:"
          f" B3-F1 {best[0]:.4f} (cut {best[1]})")


if __name__ == "__main__":
    main()
