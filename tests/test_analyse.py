"""Analysis primitives on real text with the real models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import newsprism.analyse as analyse
from newsprism.analyse import (
    Analysis,
    Relation,
    analyse_pending,
    cached_embed,
    extract_dates,
    extract_entities,
    extract_quantities,
    get_claim_comparer,
    get_embedder,
    load_analyses,
    split_sentences,
)
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Article, content_id

SEEDS = Path(__file__).parents[1] / "data" / "demo" / "seeds"


def seed_article(name: str) -> Article:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    title, _, body = path.read_text("utf-8").partition("\n")
    text = "\n\n".join(p.strip() for p in body.split("\n\n") if p.strip())
    return Article(id=content_id(title, text), title=title.strip(), text=text, path=str(path))


def test_all_names_exported() -> None:
    assert sorted(analyse.__all__) == sorted(set(analyse.__all__))
    for name in analyse.__all__:
        assert hasattr(analyse, name), name


def test_sentences_respect_paragraphs_and_offsets() -> None:
    text = "Leaders meet in Tokyo\n\nDr. Kim arrived on Thursday. He met the U.S. envoy.  Talks went on.\n"
    spans = split_sentences(text)
    assert [s.text for s in spans] == [
        "Leaders meet in Tokyo",
        "Dr. Kim arrived on Thursday.",
        "He met the U.S. envoy.",
        "Talks went on.",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_a_title_before_a_name_never_ends_a_sentence() -> None:
    # Punkt broke after "Mt." because "hood" is often seen in lower case; "Gov. Newsom" held already
    text = "Climbers reached Mt. Hood. Rangers closed the trail.\nThe team reached Mt. Hood on Monday."
    spans = split_sentences(text)
    assert [s.text for s in spans] == [
        "Climbers reached Mt. Hood.", "Rangers closed the trail.", "The team reached Mt. Hood on Monday."]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_sentences_of_a_seed_article_index_its_text() -> None:
    article = seed_article("000")
    spans = split_sentences(article.text)
    assert len(spans) > 10
    assert all(article.text[s.start : s.end] == s.text for s in spans)


@pytest.mark.parametrize("name", ["minilm.v1", "minilm64.v1", "wordllama.v1", "minilm64+wordllama.v1",
                                  "tfidf.v1"])
def test_embedders_are_normalised_and_rank_paraphrases_first(name: str) -> None:
    embedder = get_embedder(name)
    assert get_embedder(name) is embedder
    vectors = embedder.embed([
        "Japan and South Korea hold a summit in Tokyo to mend ties",
        "South Korean and Japanese leaders meet in Tokyo to repair relations",
        "Heavy rain floods the streets of Rio de Janeiro",
    ])
    assert vectors.dtype == np.float32 and vectors.shape == (3, embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1


def test_concatenated_embedder_gives_the_mean_of_its_parts_cosines() -> None:
    # the clustering vector: one inner product in the ANN index stands for the two models' mean cosine
    texts = [
        "Japan and South Korea hold a summit in Tokyo to mend ties",
        "South Korean and Japanese leaders meet in Tokyo to repair relations",
        "Heavy rain floods the streets of Rio de Janeiro",
    ]
    both = get_embedder("minilm64+wordllama.v1").embed(texts)
    minilm, wordllama = get_embedder("minilm64.v1").embed(texts), get_embedder("wordllama.v1").embed(texts)
    assert both.shape == (3, 384 + 256)
    assert np.allclose(both @ both.T, (minilm @ minilm.T + wordllama @ wordllama.T) / 2, atol=1e-5)


def test_minilm_scores_unrelated_low_and_paraphrases_high() -> None:
    # mean-pooling over padding once put unrelated sentences at ~0.67 cosine; a batch mixing lengths
    # must also give each text the vector it gets alone
    embedder = get_embedder("minilm.v1")
    texts = [
        "Japan and South Korea hold a summit in Tokyo to mend ties",
        "South Korean and Japanese leaders meet in Tokyo to repair relations",
        "Heavy rain floods the streets of Rio de Janeiro",
        "The central bank raised interest rates by half a point on Wednesday after inflation rose again",
    ]
    vectors = embedder.embed(texts)
    assert vectors[0] @ vectors[1] > 0.6
    assert vectors[0] @ vectors[2] < 0.3 and vectors[0] @ vectors[3] < 0.3 and vectors[2] @ vectors[3] < 0.3
    alone = np.concatenate([embedder.embed([t]) for t in texts])
    assert np.allclose(alone, vectors, atol=1e-4)


def test_unknown_embedder_is_a_config_error() -> None:
    from newsprism.errors import ConfigError

    with pytest.raises(ConfigError):
        get_embedder("nope.v9")


def test_cached_embed_computes_each_text_once() -> None:
    with Store() as store:
        keys, texts = ["k1", "k2", "k1"], ["a cat", "a dog", "a cat"]
        first = cached_embed(store, "wordllama.v1", "sentence", keys, texts)
        assert np.allclose(first[0], first[2])
        count = store.connection.execute("SELECT count(*) FROM embeddings").fetchone()[0]
        assert count == 2
        # the stored vector is what comes back, even for a different text under the same key
        again = cached_embed(store, "wordllama.v1", "sentence", ["k2"], ["something else entirely"])
        assert np.allclose(again[0], first[1])


def test_entities_drop_photo_credits_and_keep_actors() -> None:
    text = (
        "Japanese Prime Minister Fumio Kishida met South Korean President Yoon Suk-yeol in Tokyo. "
        "Photo: Kiyoshi Ota/Reuters. Jung Yeon-je/Pool Photo via AP"
    )
    (entities,) = extract_entities([text])
    names = {e.text for e in entities}
    assert {"Fumio Kishida", "Yoon Suk-yeol", "Tokyo"} <= names
    assert not names & {"Kiyoshi Ota/Reuters", "Kiyoshi Ota", "Jung Yeon-je", "AP"}
    assert all(text[e.start : e.end] == e.text for e in entities)


def test_dates_and_quantities() -> None:
    text = (
        "On March 16, 2023 and again in May 2023, 3,000 people came; it cost $3.5 billion, up 40%."
        " In 2019, 12."
    )
    assert [d.value for d in extract_dates(text)] == ["2023-03-16", "2023-05"]
    values = {(q.label, q.value) for q in extract_quantities(text)}
    assert values == {("QUANTITY", "3000"), ("MONEY", "3500000000"), ("PERCENT", "40"), ("CARDINAL", "12")}


def test_analyse_pending_stores_analyses_and_vectors_once() -> None:
    settings = Settings(embedder="minilm.v1")
    with Store() as store:
        articles = [seed_article("000"), seed_article("004")]
        for article in articles:
            store.add_article(article)
        assert analyse_pending(store, settings, progress=False) == 2
        assert analyse_pending(store, settings, progress=False) == 0
        stored = load_analyses(store, [a.id for a in articles])
        first = stored[articles[0].id]
        assert isinstance(first, Analysis)
        assert Analysis.from_json(first.to_json()) == first
        assert "tokyo" in first.entity_names()
        assert any(d.value == "2023-03-16" for d in first.dates)
        sql = "SELECT count(*) FROM embeddings WHERE kind = 'article'"
        rows = store.connection.execute(sql).fetchone()[0]
        assert rows == 2


def test_claim_comparer() -> None:
    compare = get_claim_comparer().compare
    base = "The earthquake killed 120 people in the city of Antakya on Monday, officials said."
    assert compare(base, "Officials said the earthquake in Antakya killed 120 people.") is Relation.AGREE
    contradiction = "The earthquake in Antakya killed 300 people, officials said."
    assert compare(base, contradiction) is Relation.CONTRADICT
    assert compare(base, "The central bank raised interest rates by half a point.") is Relation.UNRELATED
