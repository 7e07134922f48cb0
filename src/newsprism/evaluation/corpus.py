"""Reads the allsides-articles corpus (Baly et al., 2020): one JSON article a line, labelled by lean."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsprism.errors import InputError
from newsprism.evaluation.paths import shared

__all__ = ["DEFAULT_CORPUS", "LABEL_SCORE", "CorpusArticle", "read_corpus"]

DEFAULT_CORPUS = "allsides-articles/articles.jsonl.gz"  # inside the data root
LABEL_SCORE = {"left": -1.0, "center": 0.0, "right": 1.0}
# The model reads only the first MAX_TOKENS words (model.py); keeping more text wastes memory.
_MAX_CHARS = 12_000


@dataclass(frozen=True)
class CorpusArticle:
    source: str  # the outlet as the corpus names it, e.g. "New York Times - News"
    host: str  # e.g. "www.nytimes.com"
    label: str  # "left" | "center" | "right"
    title: str
    text: str


def read_corpus(path: Path | None = None, limit: int | None = None) -> Iterator[CorpusArticle]:
    """The corpus articles in file order; `InputError` when the file is missing or malformed."""
    path = path or shared(DEFAULT_CORPUS)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if limit is not None and number >= limit:
                    return
                row = json.loads(line)
                if row.get("bias") not in LABEL_SCORE:
                    continue
                yield CorpusArticle(
                    source=str(row["source"]),
                    host=str(row.get("source_url") or ""),
                    label=str(row["bias"]),
                    title=str(row.get("title") or ""),
                    text=str(row.get("text") or "")[:_MAX_CHARS],
                )
    except (OSError, ValueError, KeyError) as err:
        raise InputError(f"cannot read the allsides-articles corpus at {path}: {err}") from err
