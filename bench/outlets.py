"""Outlet benchmark: lean (held-out Spearman vs AllSides 2019, article accuracy) and establishment axis
(split-half stability, MBFC agreement), model sizes and per-article speed.

Usage: .venv/bin/python bench/outlets.py [PATH/articles.jsonl.gz [PATH/allsides_ratings_2019.csv]]
The eval cross-fits 5 folds grouped by outlet and refits the axis on 5 × 2 article halves (several
minutes); AllSides and MBFC ratings are evaluation-only data.
"""

from __future__ import annotations

import sys
import time
from importlib import resources
from pathlib import Path

from newsprism.evaluation.corpus import read_corpus
from newsprism.evaluation.outlets_build import run_eval
from newsprism.outlets.establishment import AXIS_FILE, article_establishment, load_axis
from newsprism.outlets.model import MODEL_FILE, article_lean, load_model
from newsprism.types import Article

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPUS = SHARED / "allsides-articles" / "articles.jsonl.gz"
ALLSIDES = SHARED / "ratings" / "allsides_ratings_2019.csv"


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    allsides = Path(sys.argv[2]) if len(sys.argv) > 2 else ALLSIDES
    model = load_model()
    size = resources.files("newsprism.outlets").joinpath("data", MODEL_FILE).read_bytes()
    print(f"shipped model: {len(model.weights)} phrases, {len(size) / 1e6:.2f} MB")
    sample = [Article(id=str(i), title=a.title, text=a.text) for i, a in enumerate(read_corpus(corpus, 2000))]
    start = time.perf_counter()
    for article in sample:
        article_lean(article, model)
    print(f"per-article lean: {len(sample) / (time.perf_counter() - start):.0f} articles/s")
    axis = load_axis()
    size = resources.files("newsprism.outlets").joinpath("data", AXIS_FILE).read_bytes()
    print(f"shipped establishment axis: {len(axis.weights)} phrases, {len(size) / 1e6:.2f} MB")
    start = time.perf_counter()
    for article in sample:
        article_establishment(article, axis)
    print(f"per-article establishment: {len(sample) / (time.perf_counter() - start):.0f} articles/s")
    start = time.perf_counter()
    for line in run_eval(corpus, allsides).lines():
        print(line)
    print(f"eval time: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
