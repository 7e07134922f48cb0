"""Gzipped JSON files for the shipped outlet model and axis: written byte-reproducibly, read from disk or
from the package's data folder."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path
from typing import Any

from newsprism.errors import ModelUnavailable

__all__ = ["read_json_gz", "read_shipped_json_gz", "write_json_gz"]


def write_json_gz(path: Path, data: Any) -> None:
    # mtime=0: the same content gives the same bytes, so retraining does not churn the repository.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def read_json_gz(path: Path) -> Any:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def read_shipped_json_gz(name: str, what: str) -> Any:
    """A file of the package's data folder; `ModelUnavailable` naming `what` if it was not built."""
    resource = resources.files("newsprism.outlets").joinpath("data", name)
    if not resource.is_file():
        raise ModelUnavailable(f"no shipped {what} ({name}); run `newsprism outlets train`")
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        return json.load(handle)
