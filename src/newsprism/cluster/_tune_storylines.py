"""Tunes the storyline linking rule on MultiLing 2011 (10 WikiNews topics; a topic is a storyline).

Run `python -m newsprism.cluster._tune_storylines`; it prints the grid's best `StorylineRule(...)` and
window to paste into `_storylines.py` and `settings.py`. Stories are clustered once; each grid point then
relinks them from scratch. Only rules that keep the demo seeds' Tokyo summit (2023-03-16) and Seoul visit
(2023-05-07) in one storyline qualify. With ten topics the grid is small on purpose: it is tuned and
scored on the same set, so report the figure as in-sample.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import replace

from newsprism.cluster._datasets import LabelledSet, load_multiling
from newsprism.cluster._metrics import score_clustering
from newsprism.cluster._pending import cluster_pending
from newsprism.cluster._storylines import StorylineRule, link_storylines
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Article

__all__ = ["storyline_f1", "tune"]


def _clustered(data: LabelledSet | list[Article], settings: Settings) -> Store:
    store = Store()
    for article in data.articles if isinstance(data, LabelledSet) else data:
        store.add_article(article)
    cluster_pending(store, settings, progress=False)
    return store


def _relink(store: Store, settings: Settings, rule: StorylineRule) -> dict[str, str]:
    db = store.connection
    with store.transaction():
        db.execute("UPDATE stories SET storyline_id = NULL")
        db.execute("DELETE FROM storylines")
    link_storylines(store, settings, rule)
    rows = db.execute(
        "SELECT sa.article_id, coalesce(s.storyline_id, s.id) FROM story_articles sa"
        " JOIN stories s ON s.id = sa.story_id"
    ).fetchall()
    return {str(a): str(line) for a, line in rows}


def storyline_f1(store: Store, data: LabelledSet, settings: Settings, rule: StorylineRule) -> float:
    """B³-F1 of storylines (of an already clustered store of `data`) under `rule`."""
    where = _relink(store, settings, rule)
    return score_clustering(data.labels, [where[a.id] for a in data.articles]).b3_f1


def tune(settings: Settings, seeds: list[Article]) -> tuple[float, StorylineRule, int]:
    """The best (B³-F1, rule, window days) on MultiLing among rules that link the two seed events."""
    data = load_multiling()
    store, seed_store = _clustered(data, settings), _clustered(seeds, settings)
    best: tuple[float, StorylineRule, int] = (-1.0, StorylineRule(), settings.storyline_window_days)
    grid = itertools.product((0.3, 0.35, 0.4, 0.45, 0.5, 0.55), (1, 2, 3), (0.5, 0.6, 0.7, 0.8),
                             (30, 60, 120, 365))
    for min_cos, shared, strong, window in grid:
        if strong < min_cos:
            continue
        rule = StorylineRule(min_cos, shared, strong)
        trial = replace(settings, storyline_window_days=window)
        if len(set(_relink(seed_store, trial, rule).values())) != 1:
            continue
        f1 = storyline_f1(store, data, trial, rule)
        if f1 > best[0]:
            best = (f1, rule, window)
            print(f"{f1:.4f} {rule} window {window}", file=sys.stderr)
    return best


if __name__ == "__main__":
    from pathlib import Path

    from newsprism.types import content_id

    seeds = []
    for name, day in (("000", "2023-03-16"), ("004", "2023-05-07")):
        path = next((Path(__file__).resolve().parents[3] / "data" / "demo" / "seeds").glob(f"{name}_*.txt"))
        title, _, body = path.read_text("utf-8").partition("\n")
        text = "\n\n".join(p.strip() for p in body.split("\n\n") if p.strip())
        seeds.append(Article(id=content_id(title, text), title=title.strip(), text=text, published=day))
    print(tune(Settings(), seeds))
