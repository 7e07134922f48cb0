"""The ingest's shortcuts (one normalisation, vectorised MinHash, hand-built JSON) give exactly what the
reference functions give, so ids, duplicate keys and stored signatures stay comparable across versions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from datasketch import MinHash

from newsprism.ingest import dedup, read_inputs
from newsprism.ingest._normal import body_hash, fast_content_id, normalized_body
from newsprism.ingest._prepare import article_json as _article_json
from newsprism.store import text_hash
from newsprism.types import Article, content_id, normalize_text

ROOT = Path(__file__).resolve().parents[1]
# Real multilingual news (Arabic, Czech, Greek, Hebrew, ...) plus the Unicode corners normalisation has:
# combining marks at the start of the body, NBSP and ideographic spaces, ligatures, title-case digraphs.
TRICKY = [("Ti\u0301tle\u00a0 ", "\u0301e\u2003x  \u3000\ufb01 Stra\u00dfe"), ("x\u2028", "\u0300\u0300y z"),
          ("\u01c5", "\u1e9b\u0323 \u0130stanbul"), ("  ", "only a body"), ("Title", "\u00a0")]


def _texts() -> list[tuple[str, str]]:
    pairs = []
    for path in sorted((ROOT / "data" / "multiling2011" / "sources").glob("*.txt"))[:40]:
        text = path.read_text("utf-8")
        pairs.append((text.split("\n", 1)[0], text))
    return pairs + TRICKY


def _reference_signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=dedup.NUM_PERM, seed=1, hashfunc=int, scheme="affine32",
                      permutations=dedup._PERMUTATIONS)
    minhash.update_batch(dedup.shingle_hashes(text).tolist())
    return minhash


def test_one_normalisation_equals_the_reference_functions() -> None:
    for title, text in _texts():
        assert normalized_body(text) == normalize_text(text)
        assert fast_content_id(title, text) == content_id(title, text)
        assert body_hash(text) == text_hash(text)


def test_vectorised_minhash_equals_datasketch_update_batch() -> None:
    for _, text in _texts():
        want = _reference_signature(text).hashvalues
        for got in (dedup.signature(text), dedup.signature_of_normalized(normalize_text(text))):
            assert got.hashvalues.dtype == want.dtype and np.array_equal(got.hashvalues, want)
    a, b = dedup.signature(_texts()[0][1]), dedup.signature(_texts()[0][1] + " One more closing line.")
    assert a.jaccard(b) > 0.9 and a.jaccard(dedup.signature(_texts()[1][1])) < 0.2


def test_article_json_equals_to_json() -> None:
    articles = [a for a in read_inputs([ROOT / "data" / "demo" / "seeds"]) if isinstance(a, Article)]
    articles.append(Article(id="x", title="t", text="b", extra={"nested": {"k": [1, (2, 3)]}, "n": None}))
    assert len(articles) >= 4 and any(a.boilerplate for a in articles)
    for article in articles:
        assert _article_json(article) == json.dumps(article.to_json(), ensure_ascii=False)
