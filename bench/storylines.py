"""Time of `link_storylines` as the store grows: 1k, 5k and 20k synthetic stories, then an incremental run.

Usage: python bench/storylines.py [--sizes 1000,5000,20000] [--per-day 5] [--new 100]
Stories arrive at `--per-day` a day (20k stories span 11 years, so the archive outgrows the one-year
window); each is one article in a thread that runs for weeks, with a vector near its thread's centre and
title words from its thread's vocabulary (no entities: analysis is not run). Prints, for each size, the
wall seconds of linking every story at once and of a later run that links `--new` new stories, and the
storylines found. Synthetic, because the real articles would first need an hour of analysis and
clustering on this machine; `docs/storylines.md` gives real-data timings too. The machine is shared: note
the load.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date, timedelta

import numpy as np

from newsprism.analyse import ARTICLE_KIND
from newsprism.cluster import link_storylines
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Article, content_id

DIM = 384
WORDS = [f"w{i:04d}" for i in range(5000)]


class Threads:
    """A stream of synthetic stories: each joins a live thread (started in the last 60 days) or opens one."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = np.random.default_rng(seed)
        self.threads: list[tuple[float, np.ndarray, list[str]]] = []

    def story(self, day: float) -> tuple[np.ndarray, str]:
        live = [t for t in self.threads if day - t[0] <= 60]
        if not live or self.rng.random() < 0.3:
            centre = self.rng.standard_normal(DIM).astype(np.float32)
            words = list(self.rng.choice(WORDS, 8, replace=False))
            self.threads.append((day, centre, words))
            live = [self.threads[-1]]
        _, centre, words = live[int(self.rng.integers(len(live)))]
        vector = centre + 0.8 * self.rng.standard_normal(DIM).astype(np.float32)
        title = " ".join(self.rng.choice(words, 4)) + " " + " ".join(self.rng.choice(WORDS, 4))
        return (vector / np.linalg.norm(vector)).astype(np.float32), title


def add_stories(store: Store, threads: Threads, first: int, n: int, per_day: float,
                embedder: str) -> None:
    """Stories number `first`..`first + n - 1` (story k published on day k / per_day), one article each."""
    db = store.connection
    with store.transaction():
        for k in range(first, first + n):
            day = (date(2010, 1, 1) + timedelta(days=int(k / per_day))).isoformat()
            vector, title = threads.story(k / per_day)
            text = f"{title}. Story number {k} of the synthetic benchmark."
            article = Article(id=content_id(title, text), title=title, text=text, published=day)
            store.add_article(article, search=False)
            sid = f"s{k + 1:06d}"
            db.execute("INSERT INTO stories (id, first_published, last_published) VALUES (?,?,?)",
                       (sid, day, day))
            db.execute("INSERT INTO story_articles (story_id, article_id) VALUES (?,?)", (sid, article.id))
            db.execute("INSERT INTO embeddings (key, model, kind, vector) VALUES (?,?,?,?)",
                       (article.id, embedder, ARTICLE_KIND, vector.astype("<f4").tobytes()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--per-day", type=float, default=5.0)
    parser.add_argument("--new", type=int, default=100)
    args = parser.parse_args()
    settings = Settings()
    print(f"load average {os.getloadavg()[0]:.2f}; window {settings.storyline_window_days} days,"
          f" {args.per_day:g} stories a day")
    print(f"{'stories':>8} {'link all (s)':>13} {'ms/story':>9} {'+' + str(args.new) + ' new (s)':>12}"
          f" {'ms/new story':>13} {'storylines':>11}")
    for size in (int(s) for s in args.sizes.split(",")):
        threads = Threads()
        with Store() as store:
            add_stories(store, threads, 0, size, args.per_day, settings.cluster_embedder)
            start = time.perf_counter()
            link_storylines(store, settings)
            whole = time.perf_counter() - start
            add_stories(store, threads, size, args.new, args.per_day, settings.cluster_embedder)
            start = time.perf_counter()
            lines = link_storylines(store, settings)
            more = time.perf_counter() - start
        print(f"{size:>8} {whole:>13.2f} {1000 * whole / size:>9.2f} {more:>12.2f}"
              f" {1000 * more / args.new:>13.1f} {lines:>11}")


if __name__ == "__main__":
    main()
