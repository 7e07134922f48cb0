"""Finds the establishment axis in the corpus: SVD of the outlet × phrase frequency matrix.

Steps (`fit_axis`), after D'Alonzo & Tegmark (PLoS ONE 2022):
  1. pool the phrase counts (the lean model's phrases) of every outlet with >= `min_articles` articles;
     keep phrases that at least `min_spread` of those outlets use, since a phrase of one or two outlets
     (a byline, a newsletter's boilerplate) would otherwise become a component of its own; divide by
     the outlet's total over the kept phrases, giving relative frequencies;
  2. standardise each phrase across outlets (mean 0, spread 1), so frequent function words do not
     dominate the decomposition;
  3. take the `components` leading singular vectors;
  4. the left–right component is the one whose outlet scores correlate most (|Pearson r|) with our
     computed lean (the model's held-out article scores, averaged per outlet);
  5. the establishment axis is the strongest remaining component (largest singular value);
  6. orientation rule: the sign is chosen so that the articles of wire services and large mainstream
     outlets (`REFERENCE_HOSTS`: AP, Reuters, NYT, WSJ, BBC, Washington Post, NPR, Bloomberg) project
     positive on average. Only the sign is set this way; no outlet's score is set by hand.
The axis is unsupervised: no rating of any kind enters it, so in-sample outlet scores leak no labels.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from newsprism.evaluation.outlets_train import Counts
from newsprism.outlets._names import host_candidates, host_of
from newsprism.outlets.establishment import EstablishmentAxis

__all__ = ["REFERENCE_HOSTS", "AxisConfig", "AxisFit", "fit_axis", "is_reference", "project_rows"]

REFERENCE_HOSTS = frozenset(
    {
        "apnews.com",
        "reuters.com",
        "nytimes.com",
        "wsj.com",
        "bbc.com",
        "bbc.co.uk",
        "washingtonpost.com",
        "npr.org",
        "bloomberg.com",
    }
)


@dataclass(frozen=True)
class AxisConfig:
    min_articles: int = 30
    min_spread: float = 0.5
    components: int = 6
    splits: int = 5


@dataclass(frozen=True)
class AxisFit:
    """A fitted axis over the phrase columns `columns` of a `Counts`, with how it was identified."""

    columns: np.ndarray  # indices into Counts.vocabulary
    weights: np.ndarray  # per column: oriented loading / outlet spread
    offset: float
    scale: float  # spread (sd) of outlet projections
    loading: np.ndarray  # unit vector in standardised phrase space (oriented)
    component: int  # index of the establishment component among the leading ones
    lean_component: int
    lean_r: tuple[float, ...]  # Pearson r of every leading component's outlet scores with computed lean
    explained: tuple[float, ...]  # share of standardised variance per leading component
    outlets: tuple[str, ...]  # the outlets (corpus sources) that formed the matrix

    def axis(self, vocabulary: Sequence[str], meta: dict[str, object] | None = None) -> EstablishmentAxis:
        """The shippable projection: phrase -> weight, offset and scale."""
        weights = {vocabulary[j]: float(w) for j, w in zip(self.columns, self.weights, strict=True)}
        return EstablishmentAxis(weights, self.offset, self.scale, meta=meta)


def is_reference(host: str) -> bool:
    """Whether an article's host belongs to one of the orientation rule's reference outlets."""
    found = host_of(host) or host.lower()
    return any(c in REFERENCE_HOSTS for c in host_candidates(found))


def project_rows(fit: AxisFit, counts: Counts, rows: np.ndarray) -> np.ndarray:
    """Raw projections of articles `rows` (same as `EstablishmentAxis.project(...).raw`); NaN if no phrase."""
    x = counts.matrix[rows][:, fit.columns].astype(np.float64).tocsr()
    totals = np.asarray(x.sum(axis=1)).ravel()
    dots = np.asarray(x @ fit.weights).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, dots / totals + fit.offset, np.nan)


def fit_axis(
    counts: Counts,
    rows: np.ndarray,
    columns: np.ndarray,
    lean: np.ndarray,
    hosts: Sequence[str],
    config: AxisConfig = AxisConfig(),
) -> AxisFit:
    """Steps 1–6 on articles `rows`; `lean[i]` is article i's computed lean, `hosts[i]` its host."""
    x = counts.matrix[rows][:, columns].astype(np.float64).tocsr()
    outlets = [counts.outlets[i] for i in rows]
    per_outlet = Counter(outlets)
    names = tuple(sorted(o for o, n in per_outlet.items() if n >= config.min_articles))
    index = {name: k for k, name in enumerate(names)}
    kept = [i for i, o in enumerate(outlets) if o in index]
    membership = sparse.csr_matrix(
        (np.ones(len(kept)), ([index[outlets[i]] for i in kept], kept)), shape=(len(names), len(rows))
    )
    pooled = np.asarray((membership @ x).todense())
    common = (pooled > 0).mean(axis=0) >= config.min_spread
    columns, x, pooled = columns[common], x[:, np.flatnonzero(common)], pooled[:, common]
    freq = pooled / pooled.sum(axis=1, keepdims=True)
    mean, spread = freq.mean(axis=0), freq.std(axis=0)
    spread[spread == 0] = 1.0  # a phrase every outlet uses equally carries no direction
    u, s, vt = np.linalg.svd((freq - mean) / spread, full_matrices=False)
    k = min(config.components, len(s))
    scores = u[:, :k] * s[:k]
    sizes = np.maximum(np.asarray(membership.sum(axis=1)).ravel(), 1)
    outlet_lean = np.asarray(membership @ lean[rows]).ravel() / sizes
    lean_r = tuple(float(np.corrcoef(scores[:, c], outlet_lean)[0, 1]) for c in range(k))
    lean_component = int(np.argmax(np.abs(lean_r)))
    component = min(c for c in range(k) if c != lean_component)
    loading = vt[component].copy()
    weights = loading / spread
    offset = -float(mean @ weights)
    fit = AxisFit(
        columns, weights, offset, 1.0, loading, component, lean_component, lean_r,
        tuple(float(v) for v in (s[:k] ** 2 / (s**2).sum())), names,
    )
    raw = project_rows(fit, counts, rows)
    reference = np.array([is_reference(hosts[i]) for i in rows])
    sign = -1.0 if reference.any() and np.nanmean(raw[reference]) < 0 else 1.0
    outlet_raw = sign * scores[:, component]
    return AxisFit(
        columns, sign * weights, sign * offset, float(outlet_raw.std()), sign * loading, component,
        lean_component, lean_r, fit.explained, names,
    )
