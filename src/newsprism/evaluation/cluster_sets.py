"""Clustering sets beyond those of `cluster/_datasets.py`: the UCI News Aggregator headlines.

Read from `../shared/data` (evaluation only; never copied into the repository)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from newsprism.evaluation.datasets import LabelledSet
from newsprism.types import Article, content_id

__all__ = ["GRAIN", "load_uci_headlines"]

UCI_FILE = Path("clusters") / "uci-news-aggregator" / "uci-news-aggregator.sample.csv"

# the grain of each set's gold: "story" = one event, "storyline" = a thread of events
GRAIN = {
    "basil": "story",
    "roundups": "story",
    "neus-train": "story",
    "neus-val": "story",
    "neus-pooled": "story",
    "multiling2011": "storyline",
    "uci-headlines": "storyline",
}


def load_uci_headlines(data_dir: Path) -> LabelledSet:
    """6,366 Google News headlines of 10-12 March 2014 (UCI News Aggregator sample, CC BY 4.0): title,
    publisher, URL and the crawl time (ms) only, no text; gold = Google's story cluster (broader than one
    event: a storyline grain). Articles arrive in timestamp order (ties: the row id)."""
    rows: list[tuple[int, int, Article, str]] = []
    with (data_dir / UCI_FILE).open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            title = (record["TITLE"] or "").strip()
            stamp = int(record["TIMESTAMP"])
            when = datetime.fromtimestamp(stamp / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            url = record["URL"] or None
            article = Article(id=content_id(title, url or record["ID"]), title=title, text="",
                              outlet=record["PUBLISHER"] or None, url=url, published=when)
            rows.append((stamp, int(record["ID"]), article, record["STORY"]))
    rows.sort(key=lambda r: (r[0], r[1]))
    return LabelledSet("uci-headlines", tuple(r[2] for r in rows), tuple(r[3] for r in rows))
