"""The orchestrator: ingest, then build (analyse → cluster → storylines → compose → link forecasts).

Each step is incremental: it works on what is new or changed since the last run and commits as it goes,
so a killed run resumed later finishes the job without duplicates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsprism.ingest import IngestReport, ingest_paths
from newsprism.settings import Settings
from newsprism.store import Store


@dataclass(frozen=True)
class BuildReport:
    analysed: int
    assigned: int
    stories: int
    storylines: int
    composed: int


def ingest(
    paths: Sequence[Path], store: Store, settings: Settings, *, fetch: bool = False, progress: bool = True
) -> IngestReport:

    return ingest_paths(paths, store, settings, fetch=fetch, progress=progress)


def build(store: Store, settings: Settings, *, progress: bool = True) -> BuildReport:
    from newsprism.analyse import analyse_pending
    from newsprism.cluster import cluster_pending, link_storylines
    from newsprism.compose.pending import compose_pending

    analysed = analyse_pending(store, settings, progress=progress)
    clustering = cluster_pending(store, settings, progress=progress)
    storylines = link_storylines(store, settings)
    composed = compose_pending(store, settings, progress=progress)
    return BuildReport(analysed, clustering.assigned, clustering.stories, storylines, composed)
