"""Reproduces the shipped model and outlet table (`newsprism outlets train`) and runs the eval.

`build_shipped` in order: read the corpus; count phrases; cross-fit by outlet (held-out scores for the
table and the eval); fit the final model on every article; group sources into outlets with idiap
reliability; write `lean_model.json.gz` and `outlets.json.gz`. Deterministic for the same inputs.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsprism.outlets.corpus import DEFAULT_CORPUS, read_corpus
from newsprism.outlets.evaluate import DEFAULT_ALLSIDES, OutletEval, allsides_truth, evaluate_scores
from newsprism.outlets.model import MODEL_FILE
from newsprism.outlets.registry import SHIPPED_TABLE
from newsprism.outlets.table import build_profiles, read_idiap
from newsprism.outlets.train import TrainConfig, count_phrases, cross_fit, fit_model

__all__ = ["DEFAULT_IDIAP", "PACKAGE_DATA", "BuildReport", "build_shipped", "run_eval"]

DEFAULT_IDIAP = Path("../shared/data/ratings/idiap_reliability_scores.json")
PACKAGE_DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class BuildReport:
    articles: int
    outlets: int
    phrases: int
    model_bytes: int
    table_bytes: int


def build_shipped(
    corpus: Path = DEFAULT_CORPUS,
    idiap: Path | None = DEFAULT_IDIAP,
    out_dir: Path = PACKAGE_DATA,
    config: TrainConfig = TrainConfig(),
    limit: int | None = None,
) -> BuildReport:
    """Trains and writes the model and outlet table into `out_dir` (the package by default)."""
    articles = list(read_corpus(corpus, limit))
    counts = count_phrases(articles, config.min_df)
    probs, _folds = cross_fit(counts, config)
    model = fit_model(counts, np.arange(len(articles)), config)
    reliability = read_idiap(idiap) if idiap is not None and idiap.exists() else {}
    profiles = build_profiles(articles, (probs[:, 2] - probs[:, 0]).tolist(), reliability=reliability)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir / MODEL_FILE)
    table = {
        "about": "newsprism outlet table: see NOTICE for the origin of names, domains and figures",
        "model": model.name,
        "outlets": [p.to_json() for p in profiles],
    }
    with open(out_dir / SHIPPED_TABLE, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return BuildReport(
        len(articles),
        len(profiles),
        len(model.weights),
        (out_dir / MODEL_FILE).stat().st_size,
        (out_dir / SHIPPED_TABLE).stat().st_size,
    )


def run_eval(
    corpus: Path = DEFAULT_CORPUS,
    allsides: Path = DEFAULT_ALLSIDES,
    config: TrainConfig = TrainConfig(),
    min_articles: int = 10,
) -> OutletEval:
    """Cross-fits by outlet and scores the held-out outlets against AllSides 2019 (evaluation-only data)."""
    truth = allsides_truth(allsides)
    articles = list(read_corpus(corpus))
    counts = count_phrases(articles, config.min_df)
    probs, folds = cross_fit(counts, config)
    return evaluate_scores(
        counts.outlets, counts.labels, probs, folds.tolist(), truth, min_articles=min_articles
    )
