"""The topic section of a story (World, Politics, Business, ...): a small linear classifier.

Features are cheap and offline: lower-cased word unigrams and bigrams of an article's title and lead,
hashed (CRC-32) into a fixed number of buckets, sublinear TF-IDF, L2-normalised. The model is a
multinomial logistic regression over those buckets. Its weights are an artifact, not code:
`sections/models/sections.v1.json.gz` (format `newsprism.sections-model.v1`: classes, buckets, IDF and
int8-quantised weights with a scale per class, and a provenance record of the data, folds and scores),
written by `newsprism eval sections --train` and loaded by name. Inference is numpy alone.

A story's section is the class with the highest mean probability over its articles, so one stray
article does not move a story that the others agree on.
"""

from __future__ import annotations

import base64
import gzip
import itertools
import json
import re
import threading
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from newsprism.errors import ConfigError, ModelUnavailable
from newsprism.sections._names import SECTIONS, slug
from newsprism.types import Article

__all__ = [
    "DEFAULT_MODEL",
    "FORMAT",
    "SECTIONS",
    "SectionModel",
    "article_text",
    "hashed_counts",
    "load_sections",
    "section_of",
    "slug",
]

FORMAT = "newsprism.sections-model.v1"
DEFAULT_MODEL = "sections.v1"
# the lead: the words of the body the classifier reads after the title (an RSS snippet is about this long)
LEAD_WORDS = 60
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
Vector = npt.NDArray[np.float32]


def article_text(title: str, text: str, lead_words: int = LEAD_WORDS) -> str:
    """What the classifier reads of an article: its title and the first words of its body (a listing
    that repeats the title as its text is not read twice)."""
    body = text.strip()
    if body == title.strip():
        body = ""
    words = body.split()
    return f"{title}\n{' '.join(words[:lead_words])}"


def hashed_counts(text: str, buckets: int) -> dict[int, int]:
    """Counts of the text's unigrams and bigrams by hash bucket (CRC-32: stable across runs and
    platforms, unlike Python's `hash`)."""
    tokens = _TOKEN.findall(text.lower())
    grams = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
    counts: dict[int, int] = {}
    for gram in grams:
        index = zlib.crc32(gram.encode("utf-8")) % buckets
        counts[index] = counts.get(index, 0) + 1
    return counts


def _b64(array: npt.NDArray[Any]) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _unb64(text: str, dtype: Any, shape: tuple[int, ...]) -> npt.NDArray[Any]:
    return np.frombuffer(base64.b64decode(text), dtype=dtype).reshape(shape)


@dataclass(frozen=True)
class SectionModel:
    """p(section | text) = softmax(weights · tfidf(text) + bias), over hashed unigram+bigram buckets."""

    classes: tuple[str, ...]
    buckets: int
    idf: Vector                    # (buckets,)
    weights: Vector                # (classes, buckets)
    bias: Vector                   # (classes,)
    provenance: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def vector(self, text: str) -> tuple[npt.NDArray[np.int64], Vector]:
        """The sparse TF-IDF vector of a text: bucket indices and L2-normalised values."""
        counts = hashed_counts(text, self.buckets)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        values = (1.0 + np.log(tf)) * self.idf[index]
        norm = float(np.linalg.norm(values))
        return index, (values / norm if norm > 0 else values).astype(np.float32)

    def probabilities(self, texts: Sequence[str]) -> Vector:
        """One row of class probabilities per text (a text with no words gets the prior of the bias)."""
        out = np.empty((len(texts), len(self.classes)), dtype=np.float32)
        for row, text in enumerate(texts):
            index, values = self.vector(text)
            z = self.bias + self.weights[:, index] @ values
            z = np.exp(z - z.max())
            out[row] = z / z.sum()
        return out

    def predict(self, texts: Sequence[str]) -> list[str]:
        probs = self.probabilities(texts)
        return [self.classes[int(i)] for i in probs.argmax(axis=1)]

    def classify(self, texts: Sequence[str]) -> str | None:
        """The section of a group of texts (one story's articles): highest mean probability; None
        when there is no text at all."""
        texts = [t for t in texts if t.strip()]
        if not texts:
            return None
        mean = self.probabilities(texts).mean(axis=0)
        return self.classes[int(mean.argmax())]

    def to_json(self) -> dict[str, Any]:
        # int8 weights with one scale per class: a quarter of float32, and a small package
        scale = np.abs(self.weights).max(axis=1) / 127.0
        scale[scale == 0] = 1.0
        quantised = np.round(self.weights / scale[:, None]).astype(np.int8)
        return {
            "format": FORMAT,
            "classes": list(self.classes),
            "buckets": self.buckets,
            "features": "crc32 unigrams+bigrams of title + lead words, sublinear tf-idf, l2",
            "lead_words": LEAD_WORDS,
            "idf": _b64(self.idf.astype(np.float16)),
            "weights_int8": _b64(quantised),
            "scale": [float(s) for s in scale],
            "bias": [round(float(b), 5) for b in self.bias],
            "provenance": dict(self.provenance),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SectionModel:
        if data.get("format") != FORMAT:
            raise ConfigError(f"not a {FORMAT} model")
        classes = tuple(str(c) for c in data["classes"])
        buckets = int(data["buckets"])
        idf = _unb64(data["idf"], np.float16, (buckets,)).astype(np.float32)
        quantised = _unb64(data["weights_int8"], np.int8, (len(classes), buckets)).astype(np.float32)
        scale = np.asarray(data["scale"], dtype=np.float32)
        return cls(classes, buckets, idf, quantised * scale[:, None], np.asarray(data["bias"], np.float32),
                   {str(k): str(v) for k, v in data.get("provenance", {}).items()})

    def save(self, path: Path) -> None:
        # mtime=0 and no file name: the same model gives the same bytes wherever it is written
        with open(path, "wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=0) as handle:
            handle.write(json.dumps(self.to_json(), indent=0).encode("utf-8"))


_CACHE: dict[str, SectionModel] = {}
_LOCK = threading.Lock()


def load_sections(name: str = DEFAULT_MODEL, path: Path | None = None) -> SectionModel:
    """The shipped section model `sections/models/<name>.json.gz` (or the file at `path`), cached."""
    key = str(path) if path is not None else name
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        if path is not None:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                data = json.load(handle)
        else:
            resource = resources.files("newsprism.sections").joinpath("models", f"{name}.json.gz")
            if not resource.is_file():
                raise ModelUnavailable(f"no shipped section model {name!r}; run `newsprism eval sections"
                                       " --train`")
            with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
                data = json.load(handle)
        model = SectionModel.from_json(data)
        _CACHE[key] = model
        return model


def section_of(articles: Iterable[Article], model: SectionModel | None = None,
               limit: int = 50) -> str | None:
    """The section of a story from its articles' titles and leads (the first `limit` articles: a
    story of hundreds is decided by its first fifty as well as by all)."""
    model = model or load_sections()
    texts = []
    for k, article in enumerate(articles):
        if k >= limit:
            break
        texts.append(article_text(article.title or "", article.text or ""))
    return model.classify(texts)
