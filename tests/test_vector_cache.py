"""The evaluation caches of article vectors and analyses: a cached run clusters exactly as a fresh one."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from newsprism.analyse import analyse_articles, article_head, get_embedder
from newsprism.evaluation.cluster_grains import grouped
from newsprism.evaluation.datasets import LabelledSet, load_multiling
from newsprism.evaluation.vector_cache import cached_analyses, cached_vectors
from newsprism.settings import Settings


def _sample() -> LabelledSet:
    data = load_multiling()
    return LabelledSet(data.name, data.articles[:40], data.labels[:40])


def test_cached_vectors_and_analyses_are_the_models_own(tmp_path: Path) -> None:
    data = _sample()
    name = Settings().cluster_embedder
    first = cached_vectors(data, name, tmp_path, data.articles[:25])
    again = cached_vectors(data, name, tmp_path)  # 25 read back, 15 computed and added
    fresh = get_embedder(name).embed([article_head(a) for a in data.articles])
    assert np.allclose(again[:25], first, atol=1e-6) and np.allclose(again, fresh, atol=1e-5)
    assert cached_analyses(data, tmp_path) == analyse_articles(list(data.articles))
    assert cached_analyses(data, tmp_path) == cached_analyses(data, tmp_path)  # read from the file


def test_a_run_seeded_from_the_cache_groups_as_a_fresh_run(tmp_path: Path) -> None:
    data = _sample()
    settings = Settings()
    assert grouped(data, settings, tmp_path) == grouped(data, settings)
    assert (tmp_path / "analyses" / f"{data.name.replace(' ', '_')}.jsonl").is_file()
