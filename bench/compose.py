"""Composer throughput: stories/second and the time split by step, on MultiLing 2011 topics (10 articles
each). Embeddings are computed once first, as the pipeline's analysis stage would have."""

from __future__ import annotations

import time
from pathlib import Path

from newsprism.compose import ExtractiveComposer
from newsprism.compose.evaluate import load_multiling
from newsprism.settings import Settings


def main() -> None:
    topics = load_multiling(Path(__file__).resolve().parents[1] / "data" / "multiling2011")
    composer = ExtractiveComposer(Settings())
    start = time.perf_counter()
    for articles, _refs in topics:  # cold: embeds every sentence (what analysis does once per article)
        composer.compose(articles)
    cold = time.perf_counter() - start
    composer.timings.clear()
    rounds = 3
    start = time.perf_counter()
    stories = [composer.compose(articles) for _ in range(rounds) for articles, _refs in topics]
    warm = time.perf_counter() - start
    n = len(stories)
    print(f"cold (embedding included): {len(topics) / cold:.1f} stories/s")
    print(f"warm (after analysis): {n / warm:.1f} stories/s, {1000 * warm / n:.0f} ms per 10-article story")
    for step, seconds in sorted(composer.timings.items(), key=lambda kv: -kv[1]):
        if step != "stories":
            print(f"  {step:14} {1000 * seconds / n:7.1f} ms/story")
    facts = [f for s in stories for f in s.facts]
    print(f"facts with >=2 independent sources: {sum(f.sources >= 2 for f in facts) / len(facts):.0%}")


if __name__ == "__main__":
    main()
