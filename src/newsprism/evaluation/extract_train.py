"""Training the line model (`newsprism.ingest._lines`) on the extraction lab's pages, folds split by site.

Every raw line is labelled from the page's gold: body when it is a gold paragraph or heading, or a run
of >= 4 gold words, or mostly made of one; on trafilatura-eval, where only snippets are known, lines with a
must snippet are body, lines with a must-not snippet are not, and the rest are left out of training.
The title label is the line whose words are the gold title's.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.evaluation.extract import (
    Page,
    Predicted,
    Score,
    _squash,
    raw_inputs,
    score_page,
    title_matches,
)
from newsprism.ingest._lines import (
    GAP_SIZE,
    LineModel,
    Stage,
    _Stage,
    _Trees,
    body_features,
    context_features,
    title_features,
)
from newsprism.ingest._titles import TitleModel, candidate_features, candidates
from newsprism.ingest.clean import clean_text, prepare_gaps, rule_labels, title_blocked

# new versions are written beside the shipped ones, into the package the ingest stage reads them from
MODELS = Path(__file__).parents[1] / "ingest" / "models"

__all__ = ["Example", "cross_validate", "examples", "fit", "fit_titles", "save", "save_titles"]


@dataclass(frozen=True)
class Example:
    page: Page
    kind: str
    raw: str
    units: list[str]
    rules: list[str]
    x1: np.ndarray
    body: np.ndarray  # 1 body, 0 not, -1 unknown
    title: np.ndarray  # 1 the title line
    gaps: tuple[bool, ...] = ()  # a blank line before the unit


def _labels(page: Page, units: list[str]) -> tuple[np.ndarray, np.ndarray]:
    body = np.full(len(units), -1.0)
    title = np.zeros(len(units))
    squashed = [_squash(u) for u in units]
    if page.title:
        for i, unit in enumerate(units):
            title[i] = float(title_matches(unit, page.title))
    if page.body is not None:
        gold_lines = {_squash(g) for g in page.body_lines}
        gold_long = [g for g in gold_lines if len(g.split()) >= 4]
        gold_all = " " + " ".join(_squash(g) for g in page.body_lines) + " "
        for i, sq in enumerate(squashed):
            if not sq:
                continue
            n = len(sq.split())
            hit = sq in gold_lines or (n >= 4 and f" {sq} " in gold_all)
            if not hit and n >= 4:
                covered = sum(len(g.split()) for g in gold_long if f" {g} " in f" {sq} ")
                hit = covered >= 0.5 * n
            body[i] = float(hit)
    else:
        must = [_squash(s) for s in page.must if _squash(s)]
        must_not = [_squash(s) for s in page.must_not if _squash(s)]
        for i, sq in enumerate(squashed):
            if any(s in sq for s in must):
                body[i] = 1.0
            elif any(s in sq for s in must_not):
                body[i] = 0.0
    return body, title


def examples(pages: Sequence[Page], *, browser: bool = True) -> list[Example]:
    """One example per page and raw-text kind, with features and labels."""
    out: list[Example] = []
    for kind, texts in raw_inputs(pages, browser=browser).items():
        for page in pages:
            raw = texts[f"{page.set}/{page.name}"]
            units, gaps, _ = prepare_gaps(raw)
            if not units:
                continue
            rules = rule_labels(units)
            body, title = _labels(page, units)
            x1 = body_features(units, rules, gaps, with_gaps=True)
            out.append(Example(page, kind, raw, units, rules, x1, body, title, tuple(gaps)))
    return out


def _fit_stage(x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float) -> _Stage:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=c, max_iter=2000)
    lr.fit((x - mean) / scale, y, sample_weight=w)
    return _Stage(mean, scale, lr.coef_[0].astype(np.float64), float(lr.intercept_[0]))


def _fit_trees(x: np.ndarray, y: np.ndarray, w: np.ndarray, *, trees: int = 150, leaves: int = 15,
               rate: float = 0.1, min_leaf: int = 40, seed: int = 0) -> _Trees:
    """Gradient-boosted trees (scikit-learn's histogram GBT, at training time only), exported to the flat
    arrays `_Trees` walks with numpy."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    gbt = HistGradientBoostingClassifier(max_iter=trees, max_leaf_nodes=leaves, learning_rate=rate,
                                         min_samples_leaf=min_leaf, l2_regularization=1.0,
                                         early_stopping=False, random_state=seed)
    gbt.fit(x, y, sample_weight=w)
    rows = []
    for (pred,) in gbt._predictors:
        nodes = pred.nodes
        leaf = nodes["is_leaf"].astype(bool)
        rows.append([
            [int(f) for f in nodes["feature_idx"]],
            [float(t) for t in nodes["num_threshold"]],
            [-1 if lf else int(v) for lf, v in zip(leaf, nodes["left"], strict=True)],
            [-1 if lf else int(v) for lf, v in zip(leaf, nodes["right"], strict=True)],
            [float(v) if lf else 0.0 for lf, v in zip(leaf, nodes["value"], strict=True)],
        ])
    depth = int(max(int(p.nodes["depth"].max()) for (p,) in gbt._predictors)) + 1
    return _Trees.from_json({"base": float(np.ravel(gbt._baseline_prediction)[0]), "depth": depth,
                             "trees": rows})


def _bin_edges(x: np.ndarray, bins: int) -> list[np.ndarray]:
    """Per feature the cut points a split may use: midpoints between its values (between the value at
    each quantile and the next when it has more than `bins` of them), never a value itself, so the
    artifact's rounded thresholds send every value the same way."""
    edges = []
    for j in range(x.shape[1]):
        u = np.unique(x[:, j])
        mids = (u[:-1] + u[1:]) / 2
        if len(u) > bins:
            at = np.searchsorted(u, np.quantile(x[:, j], np.linspace(0, 1, bins + 1)[1:-1]), side="right")
            mids = mids[np.unique(np.clip(at - 1, 0, len(mids) - 1))]
        edges.append(mids)
    return edges


def _fit_ranker(xs: Sequence[np.ndarray], ys: Sequence[np.ndarray], *, trees: int = 150, leaves: int = 7,
                rate: float = 0.1, min_leaf: int = 20, bins: int = 32, lam: float = 1.0) -> _Trees:
    """Trees boosted on a listwise objective: each page's candidates share one softmax and its gold title
    should take it, so a tree only gains by lifting the title over *its own page's* rivals (a binary
    classifier also gains by pushing a menu line of another page further down). Newton steps on the
    softmax loss; histogram trees grown leaf-wise, in numpy (scikit-learn has no listwise loss). Returns
    the arrays `_Trees` walks; a page's choice is the argmax of `_Trees.margin`."""
    x = np.vstack(xs)
    n, d = x.shape
    y = np.concatenate([yy / yy.sum() for yy in ys])
    sizes = np.array([len(yy) for yy in ys])
    page = np.repeat(np.arange(len(ys)), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    edges = _bin_edges(x, bins)
    width = max(len(e) for e in edges) + 1
    binned = np.column_stack([np.searchsorted(edges[j], x[:, j], side="left") for j in range(d)])
    flat = binned + (np.arange(d) * width)[None, :]
    no_cut = np.zeros((d, width - 1), dtype=bool)
    for j in range(d):
        no_cut[j, len(edges[j]):] = True
    Hist = tuple[np.ndarray, np.ndarray, np.ndarray]

    def hist(idx: np.ndarray, g: np.ndarray, h: np.ndarray) -> Hist:
        cells = flat[idx]
        out = np.zeros((3, d * width))
        for j in range(d):
            out[0] += np.bincount(cells[:, j], weights=g[idx], minlength=d * width)
            out[1] += np.bincount(cells[:, j], weights=h[idx], minlength=d * width)
            out[2] += np.bincount(cells[:, j], minlength=d * width)
        return out[0].reshape(d, width), out[1].reshape(d, width), out[2].reshape(d, width)

    def best(gs: np.ndarray, hs: np.ndarray, cs: np.ndarray) -> tuple[float, int, int]:
        gl, hl, cl = (np.cumsum(a, axis=1)[:, :-1] for a in (gs, hs, cs))
        gt, ht, ct = (a.sum(axis=1, keepdims=True) for a in (gs, hs, cs))
        gain = gl**2 / (hl + lam) + (gt - gl)**2 / (ht - hl + lam) - gt**2 / (ht + lam)
        gain[(cl < min_leaf) | (ct - cl < min_leaf) | no_cut] = -np.inf
        j, b = np.unravel_index(int(np.argmax(gain)), gain.shape)
        return float(gain[j, b]), int(j), int(b)

    f = np.zeros(n)
    rows: list[list[list[Any]]] = []
    depth = 1
    for _ in range(trees):
        e = np.exp(f - np.maximum.reduceat(f, starts)[page])
        p = e / np.add.reduceat(e, starts)[page]
        g, h = y - p, np.maximum(p * (1 - p), 1e-6)
        members, depths, hists = [np.arange(n)], [0], [hist(np.arange(n), g, h)]
        feature, threshold, left, right = [0], [0.0], [-1], [-1]
        open_ = {0: best(*hists[0])}
        while len(open_) and len(members) < 2 * leaves - 1:
            k = max(open_, key=lambda q: open_[q][0])
            gain, j, b = open_.pop(k)
            if not gain > 0:
                break
            idx = members[k]
            go = binned[idx, j] <= b
            small_left = int(go.sum()) <= int((~go).sum())
            small = hist(idx[go] if small_left else idx[~go], g, h)
            big = (hists[k][0] - small[0], hists[k][1] - small[1], hists[k][2] - small[2])
            feature[k], threshold[k] = j, float(edges[j][b])
            left[k], right[k] = len(members), len(members) + 1
            halves = (small, big) if small_left else (big, small)
            for part, hs in ((idx[go], halves[0]), (idx[~go], halves[1])):
                members.append(part)
                depths.append(depths[k] + 1)
                hists.append(hs)
                feature.append(0)
                threshold.append(0.0)
                left.append(-1)
                right.append(-1)
                open_[len(members) - 1] = best(*hs)
        value = [0.0] * len(members)
        for q, idx in enumerate(members):
            if left[q] < 0:
                value[q] = rate * float(g[idx].sum()) / (float(h[idx].sum()) + lam)
                f[idx] += value[q]
        depth = max(depth, max(depths) + 1)
        rows.append([feature, threshold, left, right, value])
    return _Trees.from_json({"base": 0.0, "depth": depth, "trees": rows})


def _weights(units: list[str]) -> np.ndarray:
    # token F1 counts words: a long paragraph matters more than a one-word menu item, but not linearly
    return np.asarray(np.sqrt(np.array([len(u.split()) + 1.0 for u in units])), dtype=np.float64)


def _stack(train: Sequence[Example], x: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    known = [ex.body >= 0 for ex in train]
    return (np.vstack([xi[k] for xi, k in zip(x, known, strict=True)]),
            np.concatenate([ex.body[k] for ex, k in zip(train, known, strict=True)]),
            np.concatenate([_weights(ex.units)[k] for ex, k in zip(train, known, strict=True)]))


def _cross_fitted(train: Sequence[Example], x: Sequence[np.ndarray], fit_one: Any,
                  groups: int | None = None) -> list[np.ndarray]:
    """Each example's stage scores from a stage trained without its site fold, so the next stage learns
    from scores as they look on unseen sites (in-sample scores are overconfident). `groups`: fit that
    many stages over groups of folds instead of one per fold (cheaper, for the costly trees)."""
    folds = sorted({ex.page.fold for ex in train})
    group = {f: (k % groups if groups else k) for k, f in enumerate(folds)}
    out: list[np.ndarray | None] = [None] * len(train)
    for g in sorted(set(group.values())):
        inside = [i for i, ex in enumerate(train) if group[ex.page.fold] != g]
        stage = fit_one(*_stack([train[i] for i in inside], [x[i] for i in inside]))
        for i, ex in enumerate(train):
            if group[ex.page.fold] == g:
                out[i] = stage.predict(x[i])
    return [p for p in out if p is not None]


def fit(train: Sequence[Example], *, c: float = 1.0, name: str = "lines.v3", provenance: str = "",
        trees: bool = True, params: dict[str, Any] | None = None, gaps: bool = True) -> LineModel:
    """Both body stages and the title stage on the given examples. Stage 1 is logistic; stage 2 is
    gradient-boosted trees (`trees`, lines.v2 on) or logistic (lines.v1), and learns from stage-1 scores
    cross-fitted by site fold, as they look on sites stage 1 never saw. The title stage is logistic.
    `gaps`: read the blank-line structure (lines.v3; lines.v2 did not)."""
    return fit_lines(train, c=c, name=name, provenance=provenance, trees=trees, params=params, gaps=gaps)[0]


def fit_lines(train: Sequence[Example], *, c: float = 1.0, name: str = "lines.v3", provenance: str = "",
              trees: bool = True, params: dict[str, Any] | None = None, cross_fit: bool = False,
              gaps: bool = True) -> tuple[LineModel, list[np.ndarray]]:
    """`fit`, and (with `cross_fit`) each example's stage-2 body scores from a model trained without its
    site fold, as the title chooser will see them on unseen sites; an empty list otherwise."""
    opts = {"trees": 120, "leaves": 15, "rate": 0.1, "min_leaf": 40, **(params or {})}

    def logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> Stage:
        return _fit_stage(x, y, w, c)

    x1 = [ex.x1 if gaps else ex.x1[:, :-GAP_SIZE] for ex in train]
    stage1 = logistic(*_stack(train, x1))
    p1 = _cross_fitted(train, x1, logistic)
    x2 = [np.hstack([x, context_features(p)]) for x, p in zip(x1, p1, strict=True)]
    stage2 = _fit_trees(*_stack(train, x2), **opts) if trees else logistic(*_stack(train, x2))
    tx, ty = [], []
    for ex, x in zip(train, x2, strict=True):
        if not ex.title.any():
            continue
        tx.append(title_features(ex.units, ex.rules, stage2.predict(x), ex.page.url))
        ty.append(ex.title)
    title = _fit_stage(np.vstack(tx), np.concatenate(ty), np.ones(sum(len(t) for t in ty)), c)
    model = LineModel(name, provenance, stage1, stage2, title, gaps=gaps)
    if not cross_fit:
        return model, []

    def second(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> Stage:
        return _fit_trees(x, y, w, **opts) if trees else logistic(x, y, w)

    # two groups of folds: two half-size tree fits instead of one per fold
    return model, _cross_fitted(train, x2, second, groups=2)


TITLE_PARAMS = {"trees": 150, "leaves": 7, "rate": 0.08, "min_leaf": 20}


def title_rows(ex: Example, body: np.ndarray) -> tuple[list[int], np.ndarray, np.ndarray]:
    """The title candidates of one example, their features and labels (1: the gold title)."""
    blocked = title_blocked(ex.units, ex.rules)
    cands = candidates(ex.units, blocked, body)
    if not cands:
        return [], np.zeros((0, 0)), np.zeros(0)
    x = candidate_features(ex.units, ex.rules, body, ex.page.url, cands, list(ex.gaps))
    return cands, x, ex.title[cands]


RANK_PARAMS = {"trees": 150, "leaves": 7, "rate": 0.1, "min_leaf": 20}


def fit_titles(train: Sequence[Example], body: Sequence[np.ndarray], *, name: str = "titles.v1",
               provenance: str = "", params: dict[str, Any] | None = None,
               objective: str = "binary") -> TitleModel:
    """The title chooser on the pages whose gold title is one of their candidates, from body scores
    `body` (cross-fitted: as the line model scores unseen sites). Each page weighs the same, its one
    title against all its rivals. `objective`: "binary" (title or not, each page's weights summing to
    one; titles.v1) or "softmax" (`_fit_ranker`: the candidates of a page compete for its title)."""
    xs, ys, ws = [], [], []
    for ex, p in zip(train, body, strict=True):
        if not ex.title.any():
            continue
        _, x, y = title_rows(ex, p)
        if not y.any():
            continue
        xs.append(x)
        ys.append(y)
        ws.append(np.where(y > 0, 0.5 / y.sum(), 0.5 / max(len(y) - y.sum(), 1)) * 20)
    if objective == "softmax":
        return TitleModel(name, provenance, _fit_ranker(xs, ys, **{**RANK_PARAMS, **(params or {})}))
    opts = {**TITLE_PARAMS, **(params or {})}
    stage = _fit_trees(np.vstack(xs), np.concatenate(ys), np.concatenate(ws), **opts)
    return TitleModel(name, provenance, stage)


def score_examples(model: LineModel, test: Sequence[Example], titles: TitleModel | None = None,
                   ) -> dict[tuple[str, str], list[Score]]:
    """Scores per (set, kind) of `clean_text` with these models on the test examples."""
    out: dict[tuple[str, str], list[Score]] = {}
    for ex in test:
        got = clean_text(ex.raw, url=ex.page.url, model=model, titles=titles)
        pred = Predicted(got.title, "\n".join((*got.paragraphs, *got.subheadings)), got.published)
        score = score_page(ex.page, pred)
        for key in ((ex.page.set, ex.kind), ("all", ex.kind)):
            out.setdefault(key, []).append(score)
    return out


def summary(scores: dict[tuple[str, str], list[Score]]) -> list[dict[str, Any]]:
    rows = []
    for (set_, kind), ss in sorted(scores.items()):
        titles = [float(s.title) for s in ss if s.title is not None]
        dates = [float(s.date) for s in ss if s.date is not None]
        rows.append({"set": set_, "input": kind, "pages": len(ss),
                     "precision": round(statistics.fmean(s.precision for s in ss), 4),
                     "recall": round(statistics.fmean(s.recall for s in ss), 4),
                     "f1": round(statistics.fmean(s.f1 for s in ss), 4),
                     "median_f1": round(statistics.median(s.f1 for s in ss), 4),
                     "title_accuracy": round(statistics.fmean(titles), 4) if titles else None,
                     "date_accuracy": round(statistics.fmean(dates), 4) if dates else None})
    return rows


def cross_validate(exs: Sequence[Example], folds: Sequence[int], *, extra: Sequence[Example] = (),
                   **fit_args: Any) -> dict[tuple[str, str], list[Score]]:
    """For each fold in `folds`: train on the other folds in `folds` (plus `extra`, e.g. the fixtures),
    score on it; pooled scores."""
    pooled: dict[tuple[str, str], list[Score]] = {}
    for k in folds:
        train = [e for e in exs if e.page.fold in folds and e.page.fold != k] + list(extra)
        test = [e for e in exs if e.page.fold == k]
        model, body = fit_lines(train, cross_fit=True, **fit_args)
        for key, ss in score_examples(model, test, fit_titles(train, body)).items():
            pooled.setdefault(key, []).extend(ss)
    return pooled


def _stage_json(s: Stage) -> dict[str, Any]:
    if isinstance(s, _Stage):
        return {"mean": [round(float(v), 6) for v in s.mean], "scale": [round(float(v), 6) for v in s.scale],
                "coef": [round(float(v), 6) for v in s.coef], "intercept": round(s.intercept, 6)}
    trees = []
    for t in range(len(s.feature)):
        used = int((s.left[t] >= 0).sum() * 2 + 1)  # a binary tree of k splits has 2k + 1 nodes
        trees.append([[int(v) for v in s.feature[t, :used]],
                      [float(f"{v:.7g}") for v in s.threshold[t, :used]],
                      [int(v) for v in s.left[t, :used]], [int(v) for v in s.right[t, :used]],
                      [round(float(v), 5) for v in s.value[t, :used]]])
    return {"base": round(s.base, 6), "depth": s.depth, "trees": trees}


def save(model: LineModel, path: Path | None = None) -> Path:
    """Writes the model as the versioned artifact `models/<name>.json`."""
    path = path or MODELS / f"{model.name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"name": model.name, "provenance": model.provenance,
                                "threshold": model.threshold, "gaps": model.gaps,
                                "stage1": _stage_json(model.stage1),
                                "stage2": _stage_json(model.stage2), "title": _stage_json(model.title)},
                               separators=(",", ":")) + "\n")
    return path


def save_titles(model: TitleModel, path: Path | None = None) -> Path:
    """Writes the title chooser as the versioned artifact `models/<name>.json`."""
    path = path or MODELS / f"{model.name}.json"
    path.write_text(json.dumps({"name": model.name, "provenance": model.provenance,
                                "prior_weight": model.prior_weight, "stage": _stage_json(model.stage)},
                               separators=(",", ":")) + "\n")
    return path


def fixture_examples(folder: Path, *, copies: int = 3) -> list[Example]:
    """The hand-labelled `.page` fixtures (tests/data/ingest/clean) as training examples of their own
    site "fixtures": they teach the model the shapes the rules were written for. `copies` weights them."""
    out: list[Example] = []
    for path in sorted(folder.glob("*.page")):
        raw_lines, body_lines, title = [], [], ""
        for line in path.read_text("utf-8").splitlines():
            label, text = line[:3], line[3:]
            raw_lines.append(text if line.strip() else "")
            if label == "T| " and not title:
                title = text
            elif label in ("B| ", "H| "):
                body_lines.append(text)
            elif label == "B+ " and body_lines:
                body_lines[-1] += " " + text
        raw = "\n".join(raw_lines)
        page = Page("fixtures", path.stem, "fixtures", "", None, title, None, body="\n".join(body_lines),
                    body_lines=tuple(body_lines))
        units, gaps, _ = prepare_gaps(raw)
        rules = rule_labels(units)
        gold = {_squash(b) for b in body_lines}
        body = np.array([float(_squash(u) in gold) for u in units])
        title_y = np.array([float(_squash(u) == _squash(title)) for u in units])
        ex = Example(page, "fixture", raw, units, rules, body_features(units, rules, gaps, with_gaps=True),
                     body, title_y, tuple(gaps))
        out += [ex] * copies
    return out


FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "data" / "ingest" / "clean"


def train_shipped(pages: Sequence[Page], *, name: str = "lines.v3", titles: str = "titles.v1",
                  when: str = "") -> Path:
    """The shipped models (line model and title chooser): trained on site folds 1-4 of every page set and
    raw-text kind plus the fixtures, fold 0 held out (the floors in tests/test_ingest_clean_pages.py are
    measured there), saved under their versioned names with a provenance line. The 5-fold figures come
    from `cross_validate`."""
    train = [e for e in examples(pages) if e.page.fold != 0]
    n_pages = len({(e.page.set, e.page.name) for e in train})
    provenance = (f"trained {when} on site folds 1-4 (fold 0 held out): {n_pages} pages of fundus, "
                  f"fundus-intl, trafilatura-eval, readability as text-blocks and text-browser, "
                  f"plus the 17 fixtures x3; 5-fold-by-site held-out figures: docs/measurements.md")
    train = [*train, *fixture_examples(FIXTURES)]
    model, body = fit_lines(train, name=name, provenance=provenance, cross_fit=True)
    save_titles(fit_titles(train, body, name=titles, provenance=provenance))
    return save(model)


if __name__ == "__main__":  # python -m newsprism.evaluation.extract_train: retrain the shipped model
    import datetime

    from newsprism.evaluation.extract import load_pages

    print(train_shipped(load_pages(), when=datetime.date.today().isoformat()))
