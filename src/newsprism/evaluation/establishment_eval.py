"""How far the establishment axis can be trusted: its stability, and agreement with MBFC (evaluation only).

Stability (`split_halves`), over `splits` random halvings of the articles:
  - axis agreement: the axis fit on half A vs the one fit on half B (cosine of loadings; 1 = same);
  - independent reliability: outlets scored on half B by A's axis vs on half A by B's axis (Spearman),
    so neither score saw the other half's articles at all;
  - split-half reliability of outlet scores under the shipped axis (Spearman, and Spearman–Brown for
    the full article count).
External validity (`mbfc_validity`): Spearman of outlet scores with MBFC factual reporting and
credibility, next to two trivial predictors (|lean|, and the outlet's article count). MBFC rates
accuracy, not stance, so agreement is expected to be partial: a check, never a target.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from newsprism.errors import InputError
from newsprism.evaluation.establishment_fit import AxisConfig, AxisFit, fit_axis, project_rows
from newsprism.evaluation.outlets_train import Counts
from newsprism.evaluation.paths import shared
from newsprism.outlets._names import host_candidates
from newsprism.outlets.registry import OutletProfile

__all__ = ["DEFAULT_MBFC", "EstablishmentEval", "Stability", "Validity", "mbfc_validity", "split_halves"]

DEFAULT_MBFC = "ratings/mbfc_sources.json"  # inside the data root
REPORTING = {"very-low": 0, "low": 1, "mixed": 2, "mostly-factual": 3, "high": 4, "very-high": 5}
CREDIBILITY = {"low-credibility": 0, "medium-credibility": 1, "high-credibility": 2}
_MIN_HALF = 10  # articles an outlet needs in each half to be compared


@dataclass(frozen=True)
class Stability:
    cosines: tuple[float, ...]
    independent: tuple[float, ...]
    split_half: tuple[float, ...]
    outlets: int  # compared per split (the fewest over splits)

    @property
    def spearman_brown(self) -> float:
        r = float(np.mean(self.split_half))
        return 2 * r / (1 + r)


@dataclass(frozen=True)
class Validity:
    outlets: int
    reporting: float
    credibility: float
    extremity_reporting: float  # baseline: -|lean| vs reporting
    size_reporting: float  # baseline: article count vs reporting
    lean_reporting: float  # for contrast: the left–right score vs reporting


@dataclass(frozen=True)
class EstablishmentEval:
    fit: AxisFit
    stability: Stability
    validity: Validity
    reference: tuple[tuple[str, float], ...]  # reference outlets' shipped scores
    min_articles: int

    def lines(self) -> list[str]:
        fit, st, va = self.fit, self.stability, self.validity
        comps = ", ".join(f"{e:.2f}" for e in fit.explained)
        rs = ", ".join(f"{r:+.2f}" for r in fit.lean_r)
        return [
            f"establishment axis: SVD of {len(fit.outlets)} outlets × {len(fit.columns)} phrases; "
            f"variance share of leading components: {comps}",
            f"  r with computed lean per component: {rs} -> left–right = #{fit.lean_component + 1}, "
            f"establishment = #{fit.component + 1}",
            f"  axis fit on one half vs the other, cosine: {_ms(st.cosines)} over {len(st.cosines)} splits",
            f"  independent halves (each scored by the other half's axis), Spearman over >= {st.outlets} "
            f"outlets: {_ms(st.independent)}",
            f"  split-half reliability of outlet scores, Spearman: {_ms(st.split_half)}; "
            f"Spearman–Brown (full data): {st.spearman_brown:.3f}",
            f"  MBFC (evaluation only), {va.outlets} outlets with >= {self.min_articles} articles: Spearman "
            f"with factual reporting {va.reporting:+.3f}, with credibility {va.credibility:+.3f}",
            f"    baselines vs factual reporting: -|lean| {va.extremity_reporting:+.3f}, "
            f"article count {va.size_reporting:+.3f}; left–right score {va.lean_reporting:+.3f}",
            "  reference outlets (orientation rule): "
            + ", ".join(f"{name} {value:+.2f}" for name, value in self.reference),
        ]


def split_halves(
    counts: Counts,
    columns: np.ndarray,
    lean: np.ndarray,
    hosts: Sequence[str],
    full: AxisFit,
    config: AxisConfig = AxisConfig(),
) -> Stability:
    """Stability figures over `config.splits` seeded random halvings of all articles."""
    rows = np.arange(len(counts.outlets))
    raw = project_rows(full, counts, rows)
    half_config = replace(config, min_articles=max(2, config.min_articles // 2))
    cosines, independent, split_half, compared = [], [], [], []
    for seed in range(config.splits):
        in_a = np.random.default_rng(seed).random(len(rows)) < 0.5
        a, b = rows[in_a], rows[~in_a]
        fit_a = fit_axis(counts, a, columns, lean, hosts, half_config)
        fit_b = fit_axis(counts, b, columns, lean, hosts, half_config)
        cosines.append(_cosine(fit_a, fit_b))
        x, y = _paired(counts, a, project_rows(fit_b, counts, a), b, project_rows(fit_a, counts, b), full)
        independent.append(_spearman(x, y))
        x, y = _paired(counts, a, raw[a], b, raw[b], full)
        split_half.append(_spearman(x, y))
        compared.append(len(x))
    return Stability(tuple(cosines), tuple(independent), tuple(split_half), min(compared))


def mbfc_validity(
    profiles: Sequence[OutletProfile], path: Path | None = None, min_articles: int = 10
) -> Validity:
    """Spearman of computed establishment figures with MBFC ratings, matched by domain."""
    path = path or shared(DEFAULT_MBFC)
    try:
        with open(path, encoding="utf-8") as handle:
            mbfc = {str(row["domain"]).lower(): row for row in json.load(handle) if row.get("domain")}
    except (OSError, ValueError, KeyError) as err:
        raise InputError(f"cannot read MBFC ratings {path}: {err}") from err
    points: list[tuple[float, float, float, float, float | None]] = []
    for profile in profiles:
        stance, lean = profile.figure("establishment"), profile.figure("lean_score")
        if stance is None or lean is None or (stance.count or 0) < min_articles:
            continue
        row = next((mbfc[c] for d in profile.domains for c in host_candidates(d.lower()) if c in mbfc), None)
        if row is None or row.get("reporting") not in REPORTING:
            continue
        credibility = CREDIBILITY.get(str(row.get("credibility")))
        factual = REPORTING[row["reporting"]]
        points.append((stance.value, lean.value, float(stance.count or 0), factual, credibility))
    reporting = [p[3] for p in points]
    rated = [p for p in points if p[4] is not None]
    return Validity(
        outlets=len(points),
        reporting=_spearman([p[0] for p in points], reporting),
        credibility=_spearman([p[0] for p in rated], [float(p[4] or 0) for p in rated]),
        extremity_reporting=_spearman([-abs(p[1]) for p in points], reporting),
        size_reporting=_spearman([p[2] for p in points], reporting),
        lean_reporting=_spearman([p[1] for p in points], reporting),
    )


def _cosine(a: AxisFit, b: AxisFit) -> float:
    """Cosine of two unit loadings whose phrase sets may differ (each half keeps its own common phrases)."""
    _, in_a, in_b = np.intersect1d(a.columns, b.columns, assume_unique=True, return_indices=True)
    return float(a.loading[in_a] @ b.loading[in_b])


def _paired(
    counts: Counts, a: np.ndarray, raw_a: np.ndarray, b: np.ndarray, raw_b: np.ndarray, full: AxisFit
) -> tuple[list[float], list[float]]:
    """Per outlet of the full fit, mean projection over its half-A articles and over its half-B ones."""
    means = []
    for rows, raw in ((a, raw_a), (b, raw_b)):
        grouped: dict[str, list[float]] = defaultdict(list)
        for i, value in zip(rows, raw, strict=True):
            if not math.isnan(value):
                grouped[counts.outlets[i]].append(float(value))
        means.append({o: float(np.mean(v)) for o, v in grouped.items() if len(v) >= _MIN_HALF})
    shared = [o for o in full.outlets if o in means[0] and o in means[1]]
    return [means[0][o] for o in shared], [means[1][o] for o in shared]


def _spearman(x: Sequence[float], y: Sequence[float]) -> float:
    if len(x) < 3 or len(set(y)) < 2:
        return float("nan")
    return float(spearmanr(x, y).statistic)


def _ms(values: Sequence[float]) -> str:
    return f"{np.mean(values):.3f} ± {np.std(values):.3f}"
