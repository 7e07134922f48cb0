"""The `Runner` protocol and the in-process runner; runners are chosen by versioned name.

A stage is a plain function from one batch (a list of frozen records) to another. A runner decides only
*where* stages run: in this process (optionally on a worker pool) or on Spark executors. The stage code is
the same for every runner, so the two produce the same records.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from newsprism.errors import ConfigError

__all__ = ["RUNNERS", "LocalRunner", "Runner", "Stage", "get_runner"]

A = TypeVar("A")
B = TypeVar("B")

Stage = Callable[[list[A]], list[B]]
"""A batch-to-batch function. It must be picklable (a module-level function or a `functools.partial`
of one), because the spark runner ships it to executors and the local pool to worker processes."""


class Runner(Protocol):
    """Runs one stage over batches. The result is iterable (in input order) and may be lazy: handing it
    to the same runner's next `run` chains the stages without bringing the data back to the caller."""

    name: str

    def run(self, stage: Stage[A, B], batches: Iterable[list[A]]) -> Iterable[list[B]]: ...


class LocalRunner:
    """In-process; with `workers > 1`, batches go to a pool of worker processes (order kept)."""

    name = "local.v1"

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers

    def run(self, stage: Stage[A, B], batches: Iterable[list[A]]) -> list[list[B]]:
        if self.workers <= 1:
            return [stage(batch) for batch in batches]
        # spawn, not fork: the parent may hold onnxruntime/Spark threads, which do not survive a fork
        with multiprocessing.get_context("spawn").Pool(self.workers) as pool:
            return list(pool.imap(stage, batches))


def _spark(**options: Any) -> Runner:
    # imported on demand: the local runner must work where pyspark is not installed
    from newsprism.batch._spark import SparkRunner

    return SparkRunner(**options)


RUNNERS: dict[str, Callable[..., Runner]] = {
    "local.v1": LocalRunner,
    "spark.v1": _spark,
}
_ALIASES = {"local": "local.v1", "spark": "spark.v1"}


def get_runner(name: str = "local.v1", **options: Any) -> Runner:
    """The runner registered as `name` (`local`/`spark` mean their latest version), built with `options`
    (`workers` for both; `master`, `session` for spark)."""
    key = _ALIASES.get(name, name)
    if key not in RUNNERS:
        raise ConfigError(f"unknown runner {name!r}; known: {', '.join(sorted(RUNNERS))}")
    return RUNNERS[key](**options)


