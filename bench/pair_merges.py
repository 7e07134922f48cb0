"""How honest the merge passes are: for every merge `cluster_pending` makes on an evaluation set, whether
the two stories' members come from the same gold cluster (majority label of each side) or from different
ones, counted separately for the second pass and the pair pass (`"pass": "pair"` in the merge detail).

Usage: python bench/pair_merges.py CACHE_DIR SET [SET ...]  (e.g. /work/cache/cluster/sets neus-train)
A lab count, not a stage: it watches `_pending._merge` and reads each side's members just before the
merge. Dev sets only (do not run it on NeuS val to choose anything).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import newsprism.analyse  # noqa: F401  (loads onnxruntime first; see analyse/__init__)
from newsprism.cluster import _pending
from newsprism.evaluation.cluster_grains import SETS
from newsprism.evaluation.paths import data_root
from newsprism.evaluation.vector_cache import stock_store
from newsprism.settings import Settings
from newsprism.store import Store


def _majority(labels: list[str]) -> str:
    return Counter(labels).most_common(1)[0][0]


def main(cache: Path, names: list[str]) -> None:
    settings = Settings()
    real = _pending._merge
    for name in names:
        data = SETS[name][0](data_root())
        gold = {a.id: label for a, label in zip(data.articles, data.labels, strict=True)}
        seen: list[tuple[str, bool, int, int]] = []  # pass, same gold, cross member pairs, all pairs

        def watched(store: Any, survivor: str, retired: str, bridge: str | None,
                    detail: dict[str, object] | None = None, gold: dict[str, str] = gold,
                    seen: list[tuple[str, bool, int, int]] = seen) -> None:
            big = [gold[i] for i in store.stories.article_ids(survivor)]
            small = [gold[i] for i in store.stories.article_ids(retired)]
            kind = str((detail or {}).get("pass", "online bridge"))
            cross = sum(a != b for a in big for b in small)
            seen.append((kind, _majority(big) == _majority(small), cross, len(big) * len(small)))
            real(store, survivor, retired, bridge, detail)

        _pending._merge = watched
        try:
            with Store() as store:
                stock_store(store, data, settings.cluster_embedder, cache)
                _pending.cluster_pending(store, settings, progress=False)
        finally:
            _pending._merge = real
        for kind in sorted({s[0] for s in seen}):
            rows = [s for s in seen if s[0] == kind]
            same = sum(s[1] for s in rows)
            cross, pairs = sum(s[2] for s in rows), sum(s[3] for s in rows)
            print(f"{name} {kind} pass: {len(rows)} merges, {same} of one gold story, {len(rows) - same} of"
                  f" different ones; member pairs joined across gold {cross} of {pairs}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2:])
