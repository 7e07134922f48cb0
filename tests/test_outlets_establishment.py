"""The establishment axis: the fit's rules, shipped axis and figures, import override, the site's slider."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from scipy.stats import spearmanr

from newsprism.evaluation.corpus import CorpusArticle
from newsprism.evaluation.establishment_eval import REPORTING, mbfc_validity, split_halves
from newsprism.evaluation.establishment_fit import AxisConfig, fit_axis, project_rows
from newsprism.evaluation.outlets_table import ESTABLISHMENT_SOURCE
from newsprism.evaluation.outlets_train import count_phrases
from newsprism.outlets import load_registry, resolve_outlet, save_profiles
from newsprism.outlets.establishment import (
    AXIS_FILE,
    EstablishmentAxis,
    article_establishment,
    load_axis,
    text_establishment,
)
from newsprism.outlets.importers import read_ratings
from newsprism.outlets.registry import shipped_profiles
from newsprism.publish import create_app
from newsprism.publish.prefs import Prefs, order_articles
from newsprism.publish.queries import outlet_view
from newsprism.store import Store
from newsprism.types import Article, ArticleRef, Story
from test_publish_fixture import _insert_story

# Hand-written for this test: a wire report sourced to officials, and an argumentative column.
WIRE = (
    "The Senate voted on Tuesday to approve the spending bill, officials said. The measure now goes to the "
    "House, which is expected to take it up on Thursday, a senior aide told reporters. The White House said "
    "in a statement that the president would sign it, adding that talks had been productive."
)
COLUMN = (
    "Of course nobody actually believes the spending bill will fix anything. The real problem is that "
    "politicians always seem to think that more money is the answer, and it is easy to see why: it makes "
    "them look busy. The idea that this is reform is, frankly, just a joke, and things will only get worse."
)
MAJOR = ("apnews.com", "reuters.com", "nytimes.com", "wsj.com", "bbc.com", "foxnews.com", "cnn.com")
# Partisan and alternative outlets in the shipped table, left and right.
FRINGE = ("breitbart.com", "dailykos.com", "democracynow.org", "salon.com", "hotair.com", "townhall.com")


def _value(domain: str) -> float:
    profile = resolve_outlet(domain)
    assert profile is not None, domain
    figure = profile.figure("establishment")
    assert figure is not None, domain
    return figure.value


def test_shipped_axis_is_small_deterministic_and_survives_serialisation() -> None:
    data = resources.files("newsprism.outlets").joinpath("data", AXIS_FILE).read_bytes()
    assert len(data) < 200_000
    axis = load_axis()
    assert 500 <= len(axis.weights) <= 20_000 and axis.scale > 0
    article = Article(id="w", title="Senate passes bill", text=WIRE)
    first = article_establishment(article)
    assert article_establishment(article) == first and first.phrases_used > 10
    again = EstablishmentAxis.from_json(axis.to_json())
    assert again.project(article.title + "\n\n" + article.text).score == pytest.approx(first.score, abs=1e-4)
    assert text_establishment("").phrases_used == 0


def test_wire_prose_projects_more_pro_establishment_than_a_column() -> None:
    wire, column = text_establishment(WIRE), text_establishment(COLUMN)
    assert -1.0 <= column.score < wire.score <= 1.0
    assert wire.score > 0 > column.score


def _corpus(per_outlet: int = 4) -> tuple[list[CorpusArticle], list[float]]:
    # Six made-up outlets: three write wire prose (one on a reference host), three write columns;
    # each says "border" or "climate" in its own share, so one component tracks the given lean.
    articles, lean = [], []
    for k, (host, style) in enumerate(
        [("apnews.com", WIRE), ("a.example", WIRE), ("b.example", WIRE),
         ("c.example", COLUMN), ("d.example", COLUMN), ("e.example", COLUMN)]
    ):
        for i in range(per_outlet):
            topic = " border security" * (k % 3) + " climate change" * (2 - k % 3) + f" item{i % 3}"
            title = f"Story {i}"
            articles.append(CorpusArticle(f"Outlet {k}", f"https://{host}/", "center", title, style + topic))
            lean.append(float(k % 3 - 1))
    return articles, lean


def test_fit_finds_the_axis_orients_it_by_the_rule_and_projects_like_the_shipped_form() -> None:
    articles, lean = _corpus()
    counts = count_phrases(articles, min_df=1)
    rows = np.arange(len(articles))
    columns = np.arange(len(counts.vocabulary))
    hosts = [a.host for a in articles]
    config = AxisConfig(min_articles=3, components=4)
    fit = fit_axis(counts, rows, columns, np.array(lean), hosts, config)
    again = fit_axis(counts, rows, columns, np.array(lean), hosts, config)
    assert np.array_equal(fit.weights, again.weights) and fit.offset == again.offset
    assert len(fit.outlets) == 6 and fit.component != fit.lean_component
    raw = project_rows(fit, counts, rows)
    assert raw[:12].mean() > 0 > raw[12:].mean()  # wire outlets, like the reference host, score positive
    axis = fit.axis(counts.vocabulary)
    for i in (0, 13):
        text = articles[i].title + "\n\n" + articles[i].text
        assert axis.project(text).raw == pytest.approx(raw[i], abs=1e-6)


def test_shipped_table_has_establishment_figures_for_major_outlets() -> None:
    for domain in MAJOR:
        profile = resolve_outlet(domain)
        assert profile is not None, domain
        figure = profile.figure("establishment")
        assert figure is not None, domain
        assert figure.origin == "computed" and figure.source == ESTABLISHMENT_SOURCE
        assert figure.source.startswith("newsprism establishment.v1")
        assert -1.0 <= figure.value <= 1.0
        assert figure.uncertainty is not None and 0 < figure.uncertainty < 0.2
        assert figure.count is not None and figure.count >= 100
    with_figure = [p for p in shipped_profiles() if p.figure("establishment") is not None]
    assert len(with_figure) >= 80


def test_wire_services_are_more_pro_establishment_than_fringe_outlets() -> None:
    for wire in ("apnews.com", "reuters.com"):
        assert _value(wire) > 0.3
        for fringe in FRINGE:
            assert _value(wire) > _value(fringe), (wire, fringe)
    assert np.mean([_value(d) for d in MAJOR]) > np.mean([_value(d) for d in FRINGE])


def test_imported_establishment_overrides_the_computed_figure(tmp_path: Path) -> None:
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("name,domain,establishment,source\nReuters,reuters.com,-0.5,my panel\n", "utf-8")
    store = Store(tmp_path / "s.db")
    save_profiles(store, read_ratings(ratings))
    profile = load_registry(store).resolve("https://www.reuters.com/world/x")
    assert profile is not None
    figure = profile.figure("establishment")
    assert figure is not None
    assert (figure.value, figure.origin, figure.source) == (-0.5, "imported", "my panel")
    # the computed figure is kept beside it, so the page can show both and where each comes from
    assert any(f.kind == "establishment" and f.source == ESTABLISHMENT_SOURCE for f in profile.figures)


def _story_store(path: Path, pro: str, anti: str) -> Path:
    articles = [
        Article(id=f"a-{outlet}", title=f"Report by {outlet}", text=WIRE, outlet=outlet,
                url=f"https://{outlet}/x", published="2023-03-16T00:00:00+00:00", paragraphs=(WIRE,))
        for outlet in (anti, pro)
    ]
    refs = tuple(ArticleRef(a.id, a.title, a.outlet, a.published, a.url) for a in articles)
    story = Story("s-est", "Senate passes spending bill", "2023-03-16", (), (), (), (), (), refs)
    with Store(path) as store:
        for article in articles:
            store.add_article(article, source="test")
        _insert_story(store, story, articles)
    return path


def test_story_page_order_follows_the_establishment_slider_with_shipped_figures(tmp_path: Path) -> None:
    # same lean group, so only the establishment slider decides which comes first
    pro, anti = "reuters.com", "salon.com"
    assert _value(pro) > _value(anti)
    db = _story_store(tmp_path / "s.db", pro, anti)
    with TestClient(create_app(db)) as client:
        def titles() -> list[str]:
            return re.findall(r"Report by ([\w.]+)", client.get("/story/s-est").text)

        client.post("/prefs", data={"left_right": "0", "establishment": "2", "recency": "0"})
        assert titles().index(pro) < titles().index(anti)
        client.post("/prefs", data={"left_right": "0", "establishment": "-2", "recency": "0"})
        assert titles().index(anti) < titles().index(pro)
    # the same through the ordering function the page uses
    views = {d: outlet_view(d, resolve_outlet(d)) for d in (pro, anti)}
    refs = [ArticleRef(d, d, d, None, None) for d in (anti, pro)]
    assert [r.outlet for r in order_articles(refs, Prefs(0, 2, 0), views)] == [pro, anti]
    assert [r.outlet for r in order_articles(refs, Prefs(0, -2, 0), views)] == [anti, pro]


def test_stability_and_mbfc_figures_are_computed_on_a_small_corpus(tmp_path: Path) -> None:
    articles, lean = _corpus(per_outlet=30)
    counts = count_phrases(articles, min_df=1)
    rows, columns = np.arange(len(articles)), np.arange(len(counts.vocabulary))
    hosts = [a.host for a in articles]
    config = AxisConfig(min_articles=20, components=4, splits=2)
    fit = fit_axis(counts, rows, columns, np.array(lean), hosts, config)
    stability = split_halves(counts, columns, np.array(lean), hosts, fit, config)
    # two clear styles, enough articles per half: both half fits find the same axis
    assert len(stability.cosines) == 2 and all(c > 0.9 for c in stability.cosines)
    assert stability.outlets == 6 and all(r > 0.5 for r in stability.split_half)
    assert -1.0 <= stability.spearman_brown <= 1.0
    # MBFC's shape, made-up grades for shipped outlets: the figures are matched by domain
    grades = {"reuters.com": "very-high", "apnews.com": "high", "salon.com": "mixed", "hotair.com": "low"}
    ratings = tmp_path / "mbfc.json"
    ratings.write_text(json.dumps([
        {"domain": d, "reporting": g, "credibility": "high-credibility"} for d, g in grades.items()
    ]), "utf-8")
    validity = mbfc_validity(shipped_profiles(), ratings, min_articles=10)
    expected = spearmanr([_value(d) for d in grades], [REPORTING[g] for g in grades.values()]).statistic
    assert validity.outlets == 4 and validity.reporting == pytest.approx(expected)
    assert validity.credibility != validity.credibility  # one credibility grade only: no correlation (NaN)
