"""What the writer needs of a new article besides the article: its duplicate key and MinHash.

For big JSON-lines files this work (parsing, cleaning, normalising, shingling: two thirds of an ingest)
runs in one helper process while the main process writes the store, so the two cores both work. The
helper only computes; every write and every duplicate decision stays in the main process, in input
order, so the result equals a serial run and kill -9 safety is unchanged.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, fields
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

from newsprism.ingest._context import Item, ReadContext
from newsprism.ingest._normal import body_hash, normalized_body
from newsprism.ingest._records import read_record_lines
from newsprism.ingest.dedup import signature_of_normalized, to_blob
from newsprism.types import Article

__all__ = ["DedupKeys", "Preparer", "article_json", "dedup_keys"]

_FIELDS = tuple(f.name for f in fields(Article) if f.name not in ("lean", "lean_score"))  # as `to_json`
_CHUNK_LINES = 256
_IN_FLIGHT = 4  # chunks queued ahead: memory stays flat whatever the file size


def article_json(article: Article) -> str:
    """`json.dumps(article.to_json(), ensure_ascii=False)` without `asdict`'s deep copy (a tenth of the
    ingest in profiles); the result is the same string (tests pin it)."""
    data: dict[str, Any] = {name: getattr(article, name) for name in _FIELDS}
    data["boilerplate"] = [{"text": b.text, "reason": b.reason} for b in article.boilerplate]
    data["extra"] = dict(article.extra)
    return json.dumps(data, ensure_ascii=False)


@dataclass(frozen=True)
class DedupKeys:
    """An article with its exact-duplicate key and MinHash signature (in its stored blob form).

    The article's JSON is made by the writer: it balances the two processes (the helper does more per
    article) and saves sending a second copy of the body between them.
    """

    article: Article
    digest: str
    signature: bytes


def dedup_keys(article: Article) -> DedupKeys:
    minhash = signature_of_normalized(normalized_body(article.text))
    return DedupKeys(article, body_hash(article.text), to_blob(minhash))


def _prepare_chunk(path: Path, first_line: int, lines: list[bytes | None],
                   ctx: ReadContext) -> list[DedupKeys | Item]:
    return [dedup_keys(item) if isinstance(item, Article) else item
            for item in read_record_lines(path, lines, ctx, first_line=first_line)]


def _watch_parent() -> None:
    # A kill -9 of the ingest must not leave the helper waiting forever on its task queue.
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


class Preparer:
    """One helper process preparing JSON-lines records ahead of the writer; `close()` stops it."""

    def __init__(self) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._pool: Pool = context.Pool(1, initializer=_watch_parent)

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()

    def parse(self, path: Path, lines: Iterator[bytes | None],
              ctx: ReadContext) -> Iterator[DedupKeys | Item]:
        """Keyed articles and rejections of `lines`, in order (a `LineParser` for `_stream_records`)."""
        plain = ReadContext(min_words=ctx.min_words, max_bytes=ctx.max_bytes)  # JSONL never fetches
        queued: deque[AsyncResult[list[DedupKeys | Item]]] = deque()
        first_line = 1
        while True:
            while len(queued) < _IN_FLIGHT:
                chunk = list(islice(lines, _CHUNK_LINES))
                if not chunk:
                    break
                queued.append(self._pool.apply_async(_prepare_chunk, (path, first_line, chunk, plain)))
                first_line += len(chunk)
            if not queued:
                return
            yield from queued.popleft().get()
