"""newsprism: raw news from many outlets into honest story pages.

The library is usable without the CLI. Heavy stages (models, web app) load on first use, so
`import newsprism` stays fast. The composer is `newsprism.compose.compose` (a subpackage of the same
name, so it is not re-exported here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsprism._lazy import lazy_getattr
from newsprism.errors import ConfigError, InputError, ModelUnavailable, NewsprismError, StoreError
from newsprism.settings import Settings
from newsprism.types import Article, Evidence, Fact, Narrative, Rejection, Story

if TYPE_CHECKING:
    from newsprism.analyse import analyse_pending, get_embedder, split_sentences
    from newsprism.cluster import cluster_pending, link_storylines
    from newsprism.ingest import extract_file, ingest_paths, read_inputs
    from newsprism.pipeline import build
    from newsprism.store import Store

__all__ = [
    "Article",
    "ConfigError",
    "Evidence",
    "Fact",
    "InputError",
    "ModelUnavailable",
    "Narrative",
    "NewsprismError",
    "Rejection",
    "Settings",
    "Store",
    "StoreError",
    "Story",
    "analyse_pending",
    "build",
    "cluster_pending",
    "extract_file",
    "get_embedder",
    "ingest_paths",
    "link_storylines",
    "read_inputs",
    "split_sentences",
]

_LAZY = {
    "analyse_pending": "newsprism.analyse",
    "get_embedder": "newsprism.analyse",
    "split_sentences": "newsprism.analyse",
    "cluster_pending": "newsprism.cluster",
    "link_storylines": "newsprism.cluster",
    "extract_file": "newsprism.ingest",
    "ingest_paths": "newsprism.ingest",
    "read_inputs": "newsprism.ingest",
    "build": "newsprism.pipeline",
    # the store (sqlite, its repositories) loads on first use: `newsprism --help` never needs it
    "Store": "newsprism.store",
}

__getattr__ = lazy_getattr(__name__, _LAZY)
