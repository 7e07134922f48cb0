"""The spark runner on a real local Spark (`local[2]`): the same records and the same stories as local."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsprism.batch import article_embedders, extract_splits, get_runner, list_splits, prepare, run_batch
from newsprism.batch._spark import SparkBatches
from newsprism.settings import Settings

pytestmark = pytest.mark.spark
SAMPLE = Path(__file__).parent / "data" / "batch"


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark for the whole test session: starting one takes seconds."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("the Spark tests need Java 17 (`java` on the PATH): "
                    "apt-get install openjdk-17-jre-headless")
    pytest.importorskip("pyspark", reason="the Spark tests need pyspark (pip install -e '.[spark]')")
    from newsprism.batch._spark import spark_session

    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = spark_session("local[2]", workers=2, conf={"spark.sql.shuffle.partitions": "2",
                                                          "spark.ui.enabled": "false"})
    yield session
    session.stop()


def _stages(runner: Any, settings: Settings) -> list[Any]:
    splits = list_splits([str(SAMPLE)], split_bytes=8000)
    extracted = runner.run(functools.partial(extract_splits, min_words=settings.min_article_words),
                           [[s] for s in splits])
    prepared = runner.run(functools.partial(prepare, embedders=article_embedders(settings)), extracted)
    return sorted((p for batch in prepared for p in batch), key=lambda p: p.ordinal)


def test_spark_runs_the_same_stage_code_to_the_same_records(spark: Any) -> None:
    settings = Settings()
    runner = get_runner("spark", session=spark)
    splits = [[s] for s in list_splits([str(SAMPLE)])]
    lazy = runner.run(functools.partial(extract_splits, min_words=40), splits)
    assert isinstance(lazy, SparkBatches)  # chained stages stay on the executors until iterated
    on_spark = _stages(runner, settings)
    local = _stages(get_runner("local"), settings)
    assert [(p.ordinal, p.item, p.digest, p.signature, p.analysis) for p in on_spark] == \
        [(p.ordinal, p.item, p.digest, p.signature, p.analysis) for p in local]
    assert len(on_spark) == 29


def test_spark_and_local_batch_results_hold_the_same_stories(spark: Any, tmp_path: Path) -> None:
    from newsprism.evaluation.metrics import score_clustering

    settings = Settings()
    local = run_batch([str(SAMPLE)], tmp_path / "local", settings, get_runner("local"))
    on_spark = run_batch([str(SAMPLE)], tmp_path / "spark", settings, get_runner("spark", session=spark))
    assert (on_spark.articles, on_spark.duplicates, on_spark.near_duplicates) == (26, 1, 1)
    assert (local.articles, local.stories) == (on_spark.articles, on_spark.stories)
    a, b = _memberships(tmp_path / "local"), _memberships(tmp_path / "spark")
    assert sorted(a) == sorted(b)
    assert score_clustering([a[i] for i in sorted(a)], [b[i] for i in sorted(a)]).b3_f1 >= 0.99
    assert sorted(p.name for p in (tmp_path / "spark" / "stories").glob("*.json")) == \
        sorted(p.name for p in (tmp_path / "local" / "stories").glob("*.json"))


def _memberships(result: Path) -> dict[str, str]:
    import pyarrow.parquet as pq

    rows = pq.read_table(result / "story_articles.parquet").to_pylist()
    return {str(r["article_id"]): str(r["story_id"]) for r in rows}
