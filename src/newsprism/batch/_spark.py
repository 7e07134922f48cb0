"""The spark runner: each batch is one RDD element, each stage one `map` over them.

Why an RDD of batches and not DataFrames with pandas/Arrow UDFs: every stage is Python in and Python
out, and PySpark fuses consecutive Python `map`s into one Python worker pipeline, so records never cross
into the JVM between stages. Arrow would only pay where data meets the JVM; the inputs are opened by the
stages themselves and the Parquet output is written with pyarrow, so there is no such boundary here.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar

from newsprism.batch._runner import Stage
from newsprism.errors import ModelUnavailable

__all__ = ["SparkBatches", "SparkRunner", "spark_session"]

A = TypeVar("A")
B = TypeVar("B")


def spark_session(master: str | None = None, workers: int = 2, conf: dict[str, str] | None = None) -> Any:
    """The active SparkSession (e.g. under spark-submit), or a new one on `master` (default
    `local[workers]`) with settings for a small machine. Raises ModelUnavailable without Java."""
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise ModelUnavailable(
            "the spark runner needs Java 17 (a `java` on the PATH or JAVA_HOME); on Debian/Ubuntu: "
            "apt-get install openjdk-17-jre-headless"
        )
    try:
        from pyspark.sql import SparkSession
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ModelUnavailable(f"the spark runner needs pyspark: pip install 'newsprism[spark]' ({err})") \
            from err
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    master = master or os.environ.get("NEWSPRISM_SPARK_MASTER") or f"local[{workers}]"
    if master.startswith("local"):
        # a local Spark must bind to loopback (the machine may have no resolvable hostname) and must run
        # the executors' Python from the same environment as the driver, or the stages cannot be imported
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName("newsprism-batch")
    defaults = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(max(2, workers * 2)),
        # one Python worker per core, reused across tasks: the models load once per worker, not per task
        "spark.python.worker.reuse": "true",
    }
    for key, value in {**defaults, **(conf or {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkBatches(Generic[A]):
    """A lazy RDD whose elements are batches; iterating runs it and brings the batches to the driver in
    order."""

    def __init__(self, rdd: Any) -> None:
        self.rdd = rdd

    def __iter__(self) -> Iterator[list[A]]:
        # collect, not toLocalIterator: that one runs a job per partition, one after the other, and so
        # leaves all but one core idle; the driver keeps every record for the ordered assembly anyway
        return iter(self.rdd.collect())


class SparkRunner:
    """Runs stages on Spark executors, one task per batch slice."""

    name = "spark.v1"

    def __init__(self, workers: int = 2, master: str | None = None, session: Any = None,
                 batches_per_task: int = 1) -> None:
        self.workers = workers
        self.master = master
        self.batches_per_task = batches_per_task
        self._session = session

    @property
    def session(self) -> Any:
        if self._session is None:
            self._session = spark_session(self.master, self.workers)
        return self._session

    def run(self, stage: Stage[A, B], batches: Iterable[list[A]]) -> SparkBatches[B]:
        if isinstance(batches, SparkBatches):
            rdd = batches.rdd
        else:
            items = list(batches)
            # one slice per batch (up to a cap) so that a few large batches still spread over executors
            slices = max(1, min(len(items), 4096) // max(1, self.batches_per_task))
            rdd = self.session.sparkContext.parallelize(items, slices)
        return SparkBatches(rdd.map(stage))
