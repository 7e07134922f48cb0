"""The batch pipeline: the same stages as local mode over batches, run in-process or on Apache Spark.

`run_batch(inputs, out, settings, get_runner("spark"))` writes Parquet and story JSON under `out`;
`load_result(out, store)` puts such a result into a store for the site.
"""

import newsprism._native  # noqa: F401  (first: see that module)
from newsprism.batch._assemble import AssembleReport, add_prepared, article_embedders, assemble
from newsprism.batch._compose import ComposedStory, StoryInput, compose_stories, story_input
from newsprism.batch._inputs import Extracted, InputSplit, extract_splits, list_splits, open_uri
from newsprism.batch._load import LoadReport, load_result
from newsprism.batch._output import export_store
from newsprism.batch._pipeline import BatchReport, run_batch
from newsprism.batch._prepare import ArticleVector, Prepared, prepare
from newsprism.batch._runner import RUNNERS, LocalRunner, Runner, Stage, get_runner

__all__ = [
    "RUNNERS",
    "ArticleVector",
    "AssembleReport",
    "BatchReport",
    "ComposedStory",
    "Extracted",
    "InputSplit",
    "LoadReport",
    "LocalRunner",
    "Prepared",
    "Runner",
    "Stage",
    "StoryInput",
    "add_prepared",
    "article_embedders",
    "assemble",
    "compose_stories",
    "export_store",
    "extract_splits",
    "get_runner",
    "list_splits",
    "load_result",
    "open_uri",
    "prepare",
    "run_batch",
    "story_input",
]
