"""The shipped lean model and outlet table: plausible, deterministic, consistent, small."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from newsprism.evaluation.corpus import CorpusArticle
from newsprism.evaluation.outlets_train import count_phrases, predict_rows
from newsprism.outlets import lean_lookup, resolve_outlet
from newsprism.outlets.model import MODEL_FILE, LeanModel, article_lean, load_model, text_lean
from newsprism.outlets.registry import shipped_profiles
from newsprism.types import Article

# Hand-written for this test: the same events told in each side's vocabulary.
LEFT = (
    "Advocates for undocumented immigrants warned that the administration's cruel family separation policy "
    "is a humanitarian crisis. Progressive Democrats said the climate crisis, gun violence and "
    "systemic racism demand action, and called for Medicare for All, "
    "reproductive rights and voting rights protections."
)
RIGHT = (
    "Conservatives warned that illegal aliens are pouring across the open border and that the radical left "
    "wants to abolish ICE. Republicans defended Second Amendment rights, the unborn, tax cuts and religious "
    "liberty against liberal media bias and Democrat socialism."
)
NEUTRAL = (
    "The city council voted on Tuesday to approve the budget for the next fiscal year. The measure passed "
    "seven to two after a public hearing, officials said, and takes effect in July."
)


def test_shipped_model_is_small_and_loads() -> None:
    data = resources.files("newsprism.outlets").joinpath("data", MODEL_FILE).read_bytes()
    assert len(data) < 2_000_000
    model = load_model()
    assert 1000 <= len(model.weights) <= 20_000


def test_leans_of_hand_written_texts_are_plausible() -> None:
    left, right, neutral = text_lean(LEFT), text_lean(RIGHT), text_lean(NEUTRAL)
    assert left.score < neutral.score < right.score
    assert left.lean == "left" and right.lean == "right"
    assert left.score < -0.2 and right.score > 0.2
    assert sum(left.probabilities.values()) == pytest.approx(1.0)


def test_prediction_is_deterministic_and_survives_serialisation() -> None:
    model = load_model()
    article = Article(id="x", title="Border debate", text=RIGHT)
    first = article_lean(article)
    assert article_lean(article) == first
    again = LeanModel.from_json(model.to_json())
    assert again.predict(article.title + "\n\n" + article.text).score == pytest.approx(first.score, abs=1e-4)


def test_vectorized_training_path_matches_model_predict() -> None:
    texts = [LEFT, RIGHT, NEUTRAL]
    articles = [CorpusArticle("t", "", "center", "", t) for t in texts]
    counts = count_phrases(articles, min_df=1)
    probs = predict_rows(load_model(), counts, np.arange(3))
    # count_phrases reads "title\n\ntext"; the title is empty here, so the phrases are the same
    for row, text in zip(probs, texts, strict=True):
        expected = text_lean(text).probabilities
        assert row.tolist() == pytest.approx(
            [expected["left"], expected["center"], expected["right"]], abs=1e-6
        )


def test_shipped_table_resolves_spellings_to_one_outlet() -> None:
    assert len(shipped_profiles()) > 200
    nyt = resolve_outlet("nytimes.com")
    assert nyt is not None and nyt.name == "The New York Times"
    for spelling in (
        "The New York Times",
        "NYT",
        "New York Times - Opinion",
        "https://www.nytimes.com/2020/x.html",
    ):
        found = resolve_outlet(spelling)
        assert found is not None and found.name == nyt.name, spelling
    assert resolve_outlet("blogs.cnn.com") == resolve_outlet("CNN (Web News)")
    lean = nyt.figure("lean_score")
    assert lean is not None and lean.origin == "computed" and lean.count and lean.uncertainty is not None
    reliability = nyt.figure("reliability")
    assert reliability is not None and reliability.source.startswith("idiap")


def test_computed_leans_order_well_known_outlets() -> None:
    lookup = lean_lookup(None)
    scores = {name: lookup(name).lean_score for name in ("Vox", "Reuters", "Breitbart News", "foxnews.com")}
    assert all(s is not None for s in scores.values()), scores
    assert scores["Vox"] < scores["Reuters"] < scores["Breitbart News"], scores  # type: ignore[operator]
    assert scores["Reuters"] < scores["foxnews.com"], scores  # type: ignore[operator]
