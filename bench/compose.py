"""Composer throughput: stories/second and the time split by step, on MultiLing 2011 topics (10 articles
each). Embeddings are computed once first, as the pipeline's analysis stage would have.

Then the leave-topics-out check the fact weights (`_facts.Weights`) were tuned under: ROUGE of the facts
and of lead-3 on topics 0-4 and 5-9 separately (tuned on one half plus NeuS train, read on the other).
NeuS val is only read through `newsprism eval summarize`, never tuned on."""

from __future__ import annotations

import time
from pathlib import Path

from newsprism.compose import ExtractiveComposer, step_seconds
from newsprism.evaluation.rouge import rouge
from newsprism.evaluation.summarize import _lead, load_multiling
from newsprism.settings import Settings


def main() -> None:
    topics = load_multiling(Path(__file__).resolve().parents[1] / "data" / "multiling2011")
    composer = ExtractiveComposer(Settings())
    start = time.perf_counter()
    for articles, _refs in topics:  # cold: embeds every sentence (what analysis does once per article)
        composer.compose(articles)
    cold = time.perf_counter() - start
    rounds = 3
    start = time.perf_counter()
    with step_seconds() as timings:
        stories = [composer.compose(articles) for _ in range(rounds) for articles, _refs in topics]
    warm = time.perf_counter() - start
    n = len(stories)
    print(f"cold (embedding included): {len(topics) / cold:.1f} stories/s")
    print(f"warm (after analysis): {n / warm:.1f} stories/s, {1000 * warm / n:.0f} ms per 10-article story")
    for step, seconds in sorted(timings.items(), key=lambda kv: -kv[1]):
        if step != "stories":
            print(f"  {step:14} {1000 * seconds / n:7.1f} ms/story")
    facts = [f for s in stories for f in s.facts]
    print(f"facts with >=2 independent sources: {sum(f.sources >= 2 for f in facts) / len(facts):.0%}")
    for name, half in (("topics 0-4", topics[:5]), ("topics 5-9", topics[5:])):
        for system, run in (("facts", composer.summary), ("lead-3", _lead)):
            scores = [rouge(" ".join(run(arts, 250)), refs, max_words=250) for arts, refs in half]
            r1, r2, su4 = (sum(s[k].f for s in scores) / len(scores) for k in ("1", "2", "SU4"))
            print(f"{name} {system:7} R1 {r1:.3f}  R2 {r2:.3f}  SU4 {su4:.3f}")


if __name__ == "__main__":
    main()
