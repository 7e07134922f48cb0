"""The shared composer keeps no timings of its own: each thread's `step_seconds()` sees only its calls."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from newsprism.compose import get_composer, step_seconds
from newsprism.ingest import read_inputs
from newsprism.settings import Settings
from newsprism.types import Article

SEEDS = Path(__file__).resolve().parents[1] / "data" / "demo" / "seeds"


def test_two_threads_on_one_composer_each_count_their_own_stories() -> None:
    paths = sorted(SEEDS.glob("*.txt"))[:2]
    articles = [replace(a, published="2023-03-16") for a in read_inputs(paths) if isinstance(a, Article)]
    assert len(articles) == 2
    composer = get_composer(Settings())
    assert composer is get_composer(Settings())  # one shared instance, as compose_pending uses it
    counted: dict[int, dict[str, float]] = {}

    def run(rounds: int) -> None:
        with step_seconds() as seconds:
            for _ in range(rounds):
                composer.compose(articles)
        counted[rounds] = dict(seconds)

    threads = [threading.Thread(target=run, args=(n,)) for n in (1, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counted[1]["stories"] == 1 and counted[3]["stories"] == 3
    assert {"units", "embed", "facts", "assemble"} <= set(counted[1])
    with step_seconds() as outside:
        pass
    assert outside == {}  # a tally only holds what ran inside its block
    assert not hasattr(composer, "timings")
