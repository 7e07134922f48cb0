"""Reproduces the shipped model, axis and outlet table (`newsprism outlets train`) and runs the eval.

`build_shipped` in order: read the corpus; count phrases; cross-fit by outlet (held-out lean scores for
the table and the eval); fit the final lean model on every article; find the establishment axis over the
lean model's phrases (establishment_fit.py) and project every article on it; group sources into outlets
with idiap reliability; write `lean_model.json.gz`, `establishment_axis.json.gz` and `outlets.json.gz`.
Deterministic for the same inputs.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsprism.evaluation.corpus import CorpusArticle, read_corpus
from newsprism.evaluation.establishment_eval import (
    EstablishmentEval,
    mbfc_validity,
    split_halves,
)
from newsprism.evaluation.establishment_fit import AxisConfig, AxisFit, fit_axis, is_reference, project_rows
from newsprism.evaluation.outlets_eval import OutletEval, allsides_truth, evaluate_scores
from newsprism.evaluation.outlets_table import build_profiles, read_idiap
from newsprism.evaluation.outlets_train import Counts, TrainConfig, count_phrases, cross_fit, fit_model
from newsprism.evaluation.paths import shared
from newsprism.outlets.establishment import AXIS_FILE, EstablishmentAxis
from newsprism.outlets.model import MODEL_FILE, LeanModel
from newsprism.outlets.registry import SHIPPED_TABLE, OutletProfile

__all__ = ["DEFAULT_IDIAP", "PACKAGE_DATA", "BuildReport", "EvalReport", "build_shipped", "run_eval"]

DEFAULT_IDIAP = "ratings/idiap_reliability_scores.json"  # inside the data root
PACKAGE_DATA = Path(__file__).resolve().parents[1] / "outlets" / "data"  # the shipped artifacts


@dataclass(frozen=True)
class BuildReport:
    articles: int
    outlets: int
    phrases: int
    model_bytes: int
    table_bytes: int
    axis_phrases: int = 0
    axis_bytes: int = 0


@dataclass(frozen=True)
class EvalReport:
    """Both axes' evaluation, printed by `newsprism eval outlets`."""

    lean: OutletEval
    establishment: EstablishmentEval

    def lines(self) -> list[str]:
        return ["left–right lean:", *self.lean.lines(), *self.establishment.lines()]


@dataclass(frozen=True)
class _Trained:
    articles: list[CorpusArticle]
    counts: Counts
    probs: np.ndarray
    folds: np.ndarray
    model: LeanModel
    columns: np.ndarray
    fit: AxisFit
    axis: EstablishmentAxis
    stances: np.ndarray  # raw establishment projection per article

    @property
    def lean(self) -> np.ndarray:
        return np.asarray(self.probs[:, 2] - self.probs[:, 0])

    def profiles(self, reliability: dict[str, float] | None = None) -> list[OutletProfile]:
        return build_profiles(
            self.articles,
            self.lean.tolist(),
            establishment=self.stances.tolist(),
            axis=self.axis,
            reliability=reliability,
        )


def _train(
    corpus: Path | None, config: TrainConfig, axis_config: AxisConfig, limit: int | None = None
) -> _Trained:
    articles = list(read_corpus(corpus, limit))
    counts = count_phrases(articles, config.min_df)
    probs, folds = cross_fit(counts, config)
    model = fit_model(counts, np.arange(len(articles)), config)
    column = {p: j for j, p in enumerate(counts.vocabulary)}
    columns = np.array(sorted(column[p] for p in model.weights if p in column))
    lean = probs[:, 2] - probs[:, 0]
    hosts = [a.host for a in articles]
    fit = fit_axis(counts, np.arange(len(articles)), columns, lean, hosts, axis_config)
    meta = {
        "articles": len(articles),
        "outlets": len(fit.outlets),
        "component": fit.component + 1,
        "lean_component": fit.lean_component + 1,
        "config": axis_config.__dict__,
    }
    axis = fit.axis(counts.vocabulary, meta)
    stances = project_rows(fit, counts, np.arange(len(articles)))
    return _Trained(articles, counts, probs, folds, model, columns, fit, axis, stances)


def build_shipped(
    corpus: Path | None = None,
    idiap: Path | None = None,
    out_dir: Path = PACKAGE_DATA,
    config: TrainConfig = TrainConfig(),
    limit: int | None = None,
    axis_config: AxisConfig = AxisConfig(),
) -> BuildReport:
    """Trains and writes the model, axis and outlet table into `out_dir` (the package by default)."""
    trained = _train(corpus, config, axis_config, limit)
    idiap = idiap or shared(DEFAULT_IDIAP)
    reliability = read_idiap(idiap) if idiap is not None and idiap.exists() else {}
    profiles = trained.profiles(reliability)
    out_dir.mkdir(parents=True, exist_ok=True)
    trained.model.save(out_dir / MODEL_FILE)
    trained.axis.save(out_dir / AXIS_FILE)
    table = {
        "about": "newsprism outlet table: see NOTICE for the origin of names, domains and figures",
        "model": trained.model.name,
        "axis": trained.axis.name,
        "outlets": [p.to_json() for p in profiles],
    }
    with open(out_dir / SHIPPED_TABLE, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return BuildReport(
        len(trained.articles),
        len(profiles),
        len(trained.model.weights),
        (out_dir / MODEL_FILE).stat().st_size,
        (out_dir / SHIPPED_TABLE).stat().st_size,
        len(trained.axis.weights),
        (out_dir / AXIS_FILE).stat().st_size,
    )


def run_eval(
    corpus: Path | None = None,
    allsides: Path | None = None,
    config: TrainConfig = TrainConfig(),
    min_articles: int = 10,
    mbfc: Path | None = None,
    axis_config: AxisConfig = AxisConfig(),
) -> EvalReport:
    """Lean: held-out outlets vs AllSides 2019. Establishment: split-half stability and MBFC agreement.

    AllSides and MBFC are evaluation-only data; neither enters any fit.
    """
    truth = allsides_truth(allsides)
    trained = _train(corpus, config, axis_config)
    counts = trained.counts
    lean = evaluate_scores(
        counts.outlets, counts.labels, trained.probs, trained.folds.tolist(), truth, min_articles=min_articles
    )
    hosts = [a.host for a in trained.articles]
    stability = split_halves(counts, trained.columns, trained.lean, hosts, trained.fit, axis_config)
    profiles = trained.profiles()
    validity = mbfc_validity(profiles, mbfc, min_articles)
    reference = tuple(
        (p.name, figure.value)
        for p in profiles
        if any(is_reference(d) for d in p.domains) and (figure := p.figure("establishment")) is not None
    )
    return EvalReport(lean, EstablishmentEval(trained.fit, stability, validity, reference, min_articles))
