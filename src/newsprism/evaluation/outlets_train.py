"""Trains the lean model on the allsides-articles labels, with outlets held out for honest scores.

Steps (`train_lean_model`):
  1. count phrases (model.phrases) of every article once;
  2. keep phrases used by at least `min_outlets` outlets, so the model learns shared political vocabulary
     rather than one outlet's bylines and boilerplate, which would not carry over to unseen outlets;
  3. keep the `n_features` phrases most associated with the labels (chi²);
  4. fit a multinomial logistic regression on sublinear tf-idf, each outlet's articles weighted down by
     1/sqrt(its article count) so a few big outlets do not define "left" and "right" alone.
`cross_fit` runs the same steps k times over a group split by outlet: every article gets a score from a
model that never saw its outlet. Those scores are what the eval reports and what the outlet table ships.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.feature_selection import chi2
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from newsprism.evaluation.corpus import CorpusArticle
from newsprism.outlets.model import CLASSES, LeanModel, phrases

__all__ = ["Counts", "TrainConfig", "count_phrases", "cross_fit", "fit_model", "predict_rows"]


@dataclass(frozen=True)
class TrainConfig:
    n_features: int = 4000
    min_outlets: int = 8
    min_df: int = 10
    c: float = 2.0
    folds: int = 5
    seed: int = 0


@dataclass(frozen=True)
class Counts:
    """Phrase counts of a corpus: `matrix[i, j]` = count of `vocabulary[j]` in article i."""

    matrix: sparse.csr_matrix
    vocabulary: tuple[str, ...]
    outlets: tuple[str, ...]  # per article
    labels: np.ndarray  # per article, index into CLASSES


def count_phrases(articles: Sequence[CorpusArticle], min_df: int = 10) -> Counts:
    """Step 1: one sparse count matrix over all articles (phrases in fewer than `min_df` dropped)."""
    vectorizer = CountVectorizer(analyzer=phrases, min_df=min_df, dtype=np.float32)
    matrix = vectorizer.fit_transform(a.title + "\n\n" + a.text for a in articles).tocsr()
    vocabulary = tuple(str(v) for v in vectorizer.get_feature_names_out())
    labels = np.array([CLASSES.index(a.label) for a in articles])
    return Counts(matrix, vocabulary, tuple(a.source for a in articles), labels)


def fit_model(counts: Counts, rows: np.ndarray, config: TrainConfig) -> LeanModel:
    """Steps 2–4 on the articles `rows` of `counts`."""
    x = counts.matrix[rows]
    y = counts.labels[rows]
    outlets = [counts.outlets[i] for i in rows]
    per_outlet = Counter(outlets)
    names = sorted(per_outlet)
    index = {name: k for k, name in enumerate(names)}
    membership = sparse.csr_matrix(
        (np.ones(len(rows)), ([index[o] for o in outlets], np.arange(len(rows)))),
        shape=(len(names), len(rows)),
    )
    present = (x > 0).astype(np.float32)
    spread = np.asarray(((membership @ present) > 0).sum(axis=0)).ravel()
    df = np.asarray(present.sum(axis=0)).ravel()
    candidates = np.flatnonzero((spread >= config.min_outlets) & (df >= config.min_df))
    chi, _ = chi2(present[:, candidates], y)
    chi = np.nan_to_num(chi)
    # stable tie-break by column: the same data always selects the same phrases
    order = np.lexsort((candidates, -chi))[: config.n_features]
    selected = np.sort(candidates[order])
    tfidf = TfidfTransformer(sublinear_tf=True)
    features = tfidf.fit_transform(x[:, selected])
    weights = np.array([1.0 / np.sqrt(per_outlet[o]) for o in outlets])
    weights *= len(weights) / weights.sum()
    classifier = LogisticRegression(C=config.c, max_iter=2000, class_weight="balanced")
    classifier.fit(features, y, sample_weight=weights)
    coef = classifier.coef_
    table = {
        counts.vocabulary[j]: (float(tfidf.idf_[k]), float(coef[0, k]), float(coef[1, k]), float(coef[2, k]))
        for k, j in enumerate(selected)
    }
    b = classifier.intercept_
    meta = {"articles": len(rows), "outlets": len(names), "config": config.__dict__}
    return LeanModel(table, (float(b[0]), float(b[1]), float(b[2])), meta=meta)


def predict_rows(model: LeanModel, counts: Counts, rows: np.ndarray) -> np.ndarray:
    """P(left), P(center), P(right) of articles `rows`, vectorized (same result as `LeanModel.predict`)."""
    column = {p: j for j, p in enumerate(counts.vocabulary)}
    used = [(column[p], row) for p, row in model.weights.items() if p in column]
    cols = np.array([c for c, _ in used])
    table = np.array([row for _, row in used])
    x = counts.matrix[rows][:, cols].tocsr()
    x.data = 1.0 + np.log(x.data)
    x = x.multiply(table[:, 0]).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    x = sparse.diags(1.0 / norms) @ x
    logits = np.asarray(x @ table[:, 1:]) + np.array(model.intercepts)
    logits -= logits.max(axis=1, keepdims=True)
    probs = np.exp(logits)
    return np.asarray(probs / probs.sum(axis=1, keepdims=True))


def cross_fit(counts: Counts, config: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold (left, center, right) probabilities of every article, and each article's fold.

    Folds are grouped by outlet: no outlet is in two folds, so no article is scored by a model that saw
    its outlet.
    """
    probs = np.zeros((len(counts.outlets), 3))
    fold_of = np.zeros(len(counts.outlets), dtype=int)
    groups = np.array(counts.outlets)
    splitter = GroupKFold(n_splits=config.folds)
    for fold, (train_rows, test_rows) in enumerate(
        splitter.split(np.zeros(len(groups)), counts.labels, groups)
    ):
        model = fit_model(counts, train_rows, config)
        probs[test_rows] = predict_rows(model, counts, test_rows)
        fold_of[test_rows] = fold
    return probs, fold_of
