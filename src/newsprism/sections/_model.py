"""The topic section of a story (World, Politics, Business, ...): a small linear classifier.

Two feature sets, one model file:
- the article vector that `analyse` already stores for every article (`embeddings`, kind "article": the
  MiniLM vector of title and lead, `Settings.cluster_embedder`), which knows that a Tour de France stage
  is sport and a TV finale entertainment however few of their words were in the labelled data;
- lower-cased word unigrams and bigrams of the title and lead, hashed (CRC-32) into a fixed number of
  buckets, sublinear TF-IDF, L2-normalised: always there, even when no vector is.
An article with a vector is read by the joint model (both feature sets, one multinomial logistic
regression); one without, by the text-only model. The weights are an artifact, not code:
`sections/models/sections.v2.json.gz` (format `newsprism.sections-model.v2`: classes, buckets, IDF,
int8-quantised weights with a scale per class, the embedder the vector weights were learnt on, and a
provenance record of the data, folds and scores), written by `newsprism eval sections --train` and
loaded by name (`sections.v1`, text only, still loads). Inference is numpy alone.

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from newsprism.artifacts import read_artifact
from newsprism.errors import ConfigError, ModelUnavailable, UsageError
from newsprism.sections._names import SECTIONS, slug
from newsprism.types import Article

__all__ = [
    "DEFAULT_MODEL",
    "FORMAT",
    "FORMATS",
    "SECTIONS",
    "SectionModel",
    "VectorHead",
    "article_text",
    "hashed_counts",
    "load_sections",
    "section_of",
    "slug",
]

FORMAT = "newsprism.sections-model.v2"
FORMATS = ("newsprism.sections-model.v1", FORMAT)  # v1: the text-only model, no vector weights
DEFAULT_MODEL = "sections.v2"
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


def _int8(weights: Vector) -> tuple[str, list[float]]:
    # int8 weights with one scale per class: a quarter of float32, and a small package
    scale = np.abs(weights).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    return _b64(np.round(weights / scale[:, None]).astype(np.int8)), [float(s) for s in scale]


def _from_int8(text: str, scale: Sequence[float], shape: tuple[int, int]) -> Vector:
    quantised = _unb64(text, np.int8, shape).astype(np.float32)
    return quantised * np.asarray(scale, dtype=np.float32)[:, None]


@dataclass(frozen=True)
class VectorHead:
    """The joint model of an article that has a vector:
    p(section) = softmax(text_weights · tfidf(text) + weights · vector + bias)."""

    embedder: str                  # whose vectors `weights` read (an `analyse` embedder name)
    weights: Vector                # (classes, dim)
    text_weights: Vector           # (classes, buckets)
    bias: Vector                   # (classes,)

    def to_json(self) -> dict[str, Any]:
        weights, scale = _int8(self.weights)
        text_weights, text_scale = _int8(self.text_weights)
        return {"embedder": self.embedder, "dim": int(self.weights.shape[1]), "weights_int8": weights,
                "scale": scale, "text_weights_int8": text_weights, "text_scale": text_scale,
                "bias": [round(float(b), 5) for b in self.bias]}

    @classmethod
    def from_json(cls, data: dict[str, Any], classes: int, buckets: int) -> VectorHead:
        return cls(str(data["embedder"]),
                   _from_int8(data["weights_int8"], data["scale"], (classes, int(data["dim"]))),
                   _from_int8(data["text_weights_int8"], data["text_scale"], (classes, buckets)),
                   np.asarray(data["bias"], np.float32))


@dataclass(frozen=True)
class SectionModel:
    """p(section | text) = softmax(weights · tfidf(text) + bias), over hashed unigram+bigram buckets;
    with `vector_head`, an article that comes with its vector is read by the joint model instead."""

    classes: tuple[str, ...]
    buckets: int
    idf: Vector                    # (buckets,)
    weights: Vector                # (classes, buckets)
    bias: Vector                   # (classes,)
    provenance: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    vector_head: VectorHead | None = None

    @property
    def embedder(self) -> str | None:
        """The embedder whose article vectors the model reads (None: text only)."""
        return self.vector_head.embedder if self.vector_head else None

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

    def probabilities(self, texts: Sequence[str], vectors: Sequence[Vector | None] | None = None) -> Vector:
        """One row of class probabilities per text (a text with no words gets the prior of the bias).
        `vectors`, aligned with `texts`: each article's vector (`embedder`'s), or None where it has none;
        a row with a vector is read by the joint model, one without by the text model."""
        if vectors is not None and len(vectors) != len(texts):
            raise UsageError("texts and vectors differ in length")
        head = self.vector_head
        out = np.empty((len(texts), len(self.classes)), dtype=np.float32)
        for row, text in enumerate(texts):
            index, values = self.vector(text)
            found = vectors[row] if vectors is not None else None
            if head is not None and found is not None:
                z = head.bias + head.text_weights[:, index] @ values + head.weights @ found
            else:
                z = self.bias + self.weights[:, index] @ values
            z = np.exp(z - z.max())
            out[row] = z / z.sum()
        return out

    def predict(self, texts: Sequence[str], vectors: Sequence[Vector | None] | None = None) -> list[str]:
        probs = self.probabilities(texts, vectors)
        return [self.classes[int(i)] for i in probs.argmax(axis=1)]

    def classify(self, texts: Sequence[str], vectors: Sequence[Vector | None] | None = None) -> str | None:
        """The section of a group of texts (one story's articles, with their vectors where known):
        highest mean probability; None when there is neither text nor vector at all."""
        rows = [k for k, t in enumerate(texts)
                if t.strip() or (vectors is not None and vectors[k] is not None)]
        if not rows:
            return None
        kept = [vectors[k] for k in rows] if vectors is not None else None
        mean = self.probabilities([texts[k] for k in rows], kept).mean(axis=0)
        return self.classes[int(mean.argmax())]

    def to_json(self) -> dict[str, Any]:
        weights, scale = _int8(self.weights)
        data: dict[str, Any] = {
            "format": FORMAT if self.vector_head else FORMATS[0],
            "classes": list(self.classes),
            "buckets": self.buckets,
            "features": "crc32 unigrams+bigrams of title + lead words, sublinear tf-idf, l2",
            "lead_words": LEAD_WORDS,
            "idf": _b64(self.idf.astype(np.float16)),
            "weights_int8": weights,
            "scale": scale,
            "bias": [round(float(b), 5) for b in self.bias],
        }
        if self.vector_head:
            data["vector"] = self.vector_head.to_json()
        data["provenance"] = dict(self.provenance)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SectionModel:
        if data.get("format") not in FORMATS:
            raise ConfigError(f"not a section model ({' or '.join(FORMATS)})")
        classes = tuple(str(c) for c in data["classes"])
        buckets = int(data["buckets"])
        idf = _unb64(data["idf"], np.float16, (buckets,)).astype(np.float32)
        head = VectorHead.from_json(data["vector"], len(classes), buckets) if "vector" in data else None
        weights = _from_int8(data["weights_int8"], data["scale"], (len(classes), buckets))
        return cls(classes, buckets, idf, weights, np.asarray(data["bias"], np.float32),
                   {str(k): str(v) for k, v in data.get("provenance", {}).items()}, head)

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
            try:
                data = read_artifact("sections", name)
            except ConfigError as err:
                raise ModelUnavailable(f"{err}; run `newsprism eval sections --train`") from err
        model = SectionModel.from_json(data)
        _CACHE[key] = model
        return model


def section_of(articles: Iterable[Article], model: SectionModel | None = None, limit: int = 50,
               vectors: Mapping[str, Vector] | None = None) -> str | None:
    """The section of a story from its articles' titles and leads (the first `limit` articles: a
    story of hundreds is decided by its first fifty as well as by all) and, where `vectors` has an
    article's id, its vector (the model's `embedder`'s, as `analyse` stored it)."""
    model = model or load_sections()
    texts: list[str] = []
    found: list[Vector | None] = []
    for k, article in enumerate(articles):
        if k >= limit:
            break
        texts.append(article_text(article.title or "", article.text or ""))
        found.append(vectors.get(article.id) if vectors else None)
    return model.classify(texts, found if vectors else None)
