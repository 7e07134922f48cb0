"""Learned parameters: versioned JSON artifacts (`<kind>.v<N>.json`, or `.json.gz`), read by name.

Each artifact ships as package data in the `models/` folder of the stage that reads it, so it installs
with that stage; this module is the one way they are found and read, and `shipped_artifacts()` is the
one list of them (`newsprism eval` writes new versions beside the old ones, which stay loadable).
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from newsprism.errors import ConfigError

__all__ = ["STAGES_WITH_ARTIFACTS", "artifact_file", "read_artifact", "shipped_artifacts"]

STAGES_WITH_ARTIFACTS = ("analyse", "cluster", "compose", "forecasts", "ingest", "sections")
_SUFFIXES = (".json", ".json.gz")


def _folder(stage: str) -> Traversable:
    if stage not in STAGES_WITH_ARTIFACTS:
        shipping = ", ".join(STAGES_WITH_ARTIFACTS)
        raise ConfigError(f"no stage {stage!r} ships artifacts; those that do: {shipping}")
    return resources.files(f"newsprism.{stage}").joinpath("models")


def shipped_artifacts(stage: str | None = None) -> dict[str, tuple[str, ...]]:
    """The artifact names (without suffix) each stage ships, sorted; only `stage`'s when given."""
    stages = STAGES_WITH_ARTIFACTS if stage is None else (stage,)
    found: dict[str, tuple[str, ...]] = {}
    for name in stages:
        entries = (e.name for e in _folder(name).iterdir() if e.is_file())
        found[name] = tuple(sorted(_strip(e) for e in entries if e.endswith(_SUFFIXES)))
    return found


def artifact_file(stage: str, name: str) -> Traversable:
    """The shipped file of artifact `name` of `stage`; ConfigError (naming what is shipped) when absent."""
    folder = _folder(stage)
    for suffix in _SUFFIXES:
        entry = folder.joinpath(name + suffix)
        if entry.is_file():
            return entry
    have = ", ".join(shipped_artifacts(stage)[stage]) or "none"
    raise ConfigError(f"no {stage} artifact named {name!r}; shipped: {have}")


def read_artifact(stage: str, name: str) -> Any:
    """The parsed JSON of artifact `name` of `stage` (gzip-compressed ones are decompressed)."""
    entry = artifact_file(stage, name)
    if entry.name.endswith(".gz"):
        with entry.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    return json.loads(entry.read_text("utf-8"))


def _strip(filename: str) -> str:
    for suffix in sorted(_SUFFIXES, key=len, reverse=True):
        if filename.endswith(suffix):
            return filename[: -len(suffix)]
    return filename
