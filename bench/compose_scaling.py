"""How the composer's cost per article grows with story size (issue #18: "cost grows linearly").

At 37,554 articles the build composed bigger stories than at 10k (1.78 against 1.12 articles per story)
and compose CPU per article rose 78 -> 128 ms. This composes prefixes of one pool of same-topic,
same-day AllSides articles (k = 1, 2, 4, ... articles) and prints, per k, milliseconds per article for
each composer step, warm (sentence vectors cached, as after the analysis stage). A step whose ms per
article grows with k is super-linear in the story's size.

    python bench/compose_scaling.py [--data DIR] [--sizes 1,2,4,8,16,32] [--analysed]

With `--analysed` the composer is given the pool's analyses (`analyse_articles`, made once before
timing), as `compose_pending` gives it the stored ones: sentences, dates and quantities are read, not
computed (house 3.3); without it, it reads them from the text, as for raw files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import defaultdict
from pathlib import Path

from newsprism.analyse import analyse_articles
from newsprism.compose import ExtractiveComposer, step_seconds
from newsprism.evaluation.paths import data_root
from newsprism.settings import Settings
from newsprism.types import Article


def _pool(data: Path, size: int) -> list[Article]:
    """The largest (topic, date) group of AllSides articles with bodies of 150+ words, up to `size`."""
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    with gzip.open(data / "allsides-articles" / "articles.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if len((row.get("text") or "").split()) >= 150 and row.get("date"):
                groups[(row.get("topic") or "", row["date"])].append(row)
    rows = max(groups.values(), key=len)[:size]
    return [
        Article(id=r["id"], title=r.get("title") or "", text=r["text"], outlet=r.get("source"),
                url=r.get("url"), published=r["date"])
        for r in rows
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="data folder (default: data_root())")
    parser.add_argument("--sizes", default="1,2,4,8,16,32")
    parser.add_argument("--analysed", action="store_true", help="compose with the articles' analyses")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    articles = _pool(args.data or data_root(), max(sizes))
    print(f"pool: {len(articles)} articles, topic/date group of {articles[0].published}")
    composer = ExtractiveComposer(Settings())
    analyses = {a.article_id: a for a in analyse_articles(articles)} if args.analysed else None
    composer.compose(articles, analyses=analyses)  # warm: every sentence embedded once, as analysis had
    steps: list[str] = []
    rows = []
    for k in sizes:
        if k > len(articles):
            break
        rounds = max(1, 16 // k)
        cpu = time.process_time()
        with step_seconds() as timings:
            for _ in range(rounds):
                composer.compose(articles[:k], analyses=analyses)
        cpu = time.process_time() - cpu
        per = {s: 1000 * v / (rounds * k) for s, v in timings.items() if s != "stories"}
        steps = steps or sorted(per, key=lambda s: -per[s])
        rows.append((k, 1000 * cpu / (rounds * k), per))
    print("k  cpu ms/article  " + "  ".join(f"{s:>12}" for s in steps))
    for k, total, per in rows:
        print(f"{k:<3}{total:14.1f}  " + "  ".join(f"{per.get(s, 0.0):12.1f}" for s in steps))


if __name__ == "__main__":
    main()
