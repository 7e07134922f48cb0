"""`run_batch`: the batch pipeline, top to bottom.

  1. list the inputs and cut them into splits                          (driver, file listing only)
  2. extract: each split into articles and rejections                  (runner)
  3. prepare: exact hash, MinHash, analysis, article vector            (runner, fused with 2 on Spark)
  4. assemble: dedup and story/storyline assignment in input order     (driver, compact records)
  5. compose each story                                                (runner)
  6. write Parquet and story JSON                                      (driver)
"""

from __future__ import annotations

import functools
import itertools
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from newsprism.batch._assemble import article_embedders, assemble
from newsprism.batch._compose import ComposedStory, StoryInput, compose_stories, story_input
from newsprism.batch._inputs import SPLIT_BYTES, Extracted, extract_splits, list_splits
from newsprism.batch._output import export_store
from newsprism.batch._prepare import Prepared, prepare
from newsprism.batch._runner import Runner, get_runner
from newsprism.settings import Settings
from newsprism.store import Store, StoreTables
from newsprism.types import Rejection

__all__ = ["BatchReport", "run_batch"]

T = TypeVar("T")
STORIES_PER_BATCH = 8  # compose is per story; a few per task amortise the task overhead


@dataclass(frozen=True)
class BatchReport:
    runner: str
    inputs: int
    articles: int
    duplicates: int
    near_duplicates: int
    rejected: tuple[Rejection, ...]
    stories: int
    storylines: int
    seconds: float


def _flatten(batches: Iterable[list[T]]) -> Iterator[T]:
    return itertools.chain.from_iterable(batches)


def _story_inputs(store: StoreTables) -> Iterator[StoryInput]:
    for story_id, storyline_id in store.dirty_stories():
        yield story_input(store, story_id, storyline_id)


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def run_batch(inputs: Sequence[str], out: Path, settings: Settings, runner: Runner | None = None, *,
              split_bytes: int = SPLIT_BYTES, work_db: Path | None = None,
              registry: StoreTables | None = None) -> BatchReport:
    """Runs the batch pipeline over `inputs` (paths or URIs) and writes the result under `out`.

    `registry`: the store whose outlet registry the run names outlets and leans by (its imported
    `outlets` rows are copied into the working store), as a local build resolves against the store it
    builds; without one, the shipped table alone, as for a store with nothing imported."""
    runner = runner or get_runner("local")
    started = time.perf_counter()
    splits = list_splits(inputs, split_bytes)
    extracted: Iterable[list[Extracted]] = runner.run(
        functools.partial(extract_splits, min_words=settings.min_article_words),
        [[split] for split in splits])
    prepared: Iterable[list[Prepared]] = runner.run(
        functools.partial(prepare, embedders=article_embedders(settings)), extracted)
    with tempfile.TemporaryDirectory(prefix="newsprism-batch-") as tmp:
        store = Store(work_db or Path(tmp) / "work.db")
        try:
            if registry is not None:
                store.outlets.put(registry.outlets.rows())
            report = assemble(_flatten(prepared), store, settings)
            composed: Iterable[list[ComposedStory]] = runner.run(
                functools.partial(compose_stories, settings=settings),
                _batched(_story_inputs(store), STORIES_PER_BATCH))
            with store.transaction():
                for story in _flatten(composed):
                    store.save_composed(story.story_id, story.composed, story.headline, story.body)
            export_store(store, out)
        finally:
            store.close()
    return BatchReport(runner.name, len({s.index for s in splits}), report.articles, report.duplicates,
                       report.near_duplicates, report.rejected, report.stories, report.storylines,
                       time.perf_counter() - started)

