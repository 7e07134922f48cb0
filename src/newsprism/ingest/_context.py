"""What every format reader needs to know about the run: limits, and how (whether) to fetch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from newsprism.types import Article, Rejection

Item = Article | Rejection


class Fetcher(Protocol):
    """Downloads one URL; None when it may not or could not be fetched (the reason is in `.why`)."""

    def get(self, url: str) -> FetchResult: ...


@dataclass(frozen=True)
class FetchResult:
    url: str
    body: bytes | None
    reason: str = ""  # why body is None: robots.txt, HTTP status, timeout, ...
    not_modified: bool = False


@dataclass(frozen=True)
class ReadContext:
    min_words: int = 40
    max_bytes: int = 20_000_000
    fetcher: Fetcher | None = None  # None: never touch the network


class Reader(Protocol):
    """One input format: a file (already size-checked) to articles and rejections."""

    def __call__(self, path: Path, data: bytes, ctx: ReadContext) -> Iterator[Item]: ...
