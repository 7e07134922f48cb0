"""The orchestrator: ingest, then build (analyse → cluster → storylines → compose → link forecasts).

Each step is incremental: it works on what is new or changed since the last run and commits as it goes,
so a killed run resumed later finishes the job without duplicates.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsprism.ingest import IngestReport, ingest_paths
from newsprism.settings import Settings
from newsprism.store import StoreTables


@dataclass(frozen=True)
class BuildReport:
    analysed: int
    assigned: int
    stories: int
    storylines: int
    composed: int


def ingest(
    paths: Sequence[Path], store: StoreTables, settings: Settings, *, fetch: bool = False,
    progress: bool = True,
) -> IngestReport:

    return ingest_paths(paths, store, settings, fetch=fetch, progress=progress)


def build(store: StoreTables, settings: Settings, *, progress: bool = True,
          timings: dict[str, float] | None = None) -> BuildReport:
    """Runs the build steps in order; `timings`, when given, receives the seconds each step took."""
    from newsprism.analyse import analyse_pending
    from newsprism.cluster import WorkingSet, cluster_pending, link_storylines
    from newsprism.compose.pending import compose_pending

    clock = timings if timings is not None else {}
    start = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal start
        now = time.perf_counter()
        clock[step] = round(now - start, 3)
        start = now

    analysed = analyse_pending(store, settings, progress=progress)
    lap("analyse")
    # one working set: assignment, the second pass, splits and storylines read each article once
    working = WorkingSet(store, settings.cluster_embedder)
    clustering = cluster_pending(store, settings, progress=progress, working=working)
    lap("cluster")
    storylines = link_storylines(store, settings, working=working)
    lap("storylines")
    composed = compose_pending(store, settings, progress=progress)
    lap("compose")
    return BuildReport(analysed, clustering.assigned, clustering.stories, storylines, composed)
