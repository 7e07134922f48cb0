"""Clustering on real text (MultiLing 2011 from the repo, the demo seeds), real SQLite, real models.
Storylines are tested in test_storylines.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import newsprism.cluster as cluster
from newsprism.cluster import cluster_pending
from newsprism.evaluation.datasets import load_multiling
from newsprism.evaluation.metrics import score_clustering
from newsprism.settings import Settings
from newsprism.store import Store

SEEDS = Path(__file__).parents[1] / "data" / "demo" / "seeds"


def test_all_names_exported() -> None:
    for name in cluster.__all__:
        assert hasattr(cluster, name), name


def test_metrics_on_known_cases() -> None:
    perfect = score_clustering(["a", "a", "b"], [1, 1, 2])
    assert perfect.b3_f1 == pytest.approx(1.0) and perfect.pairwise_f1 == pytest.approx(1.0)
    lumped = score_clustering(["a", "a", "b", "b"], [0, 0, 0, 0])
    assert lumped.b3_recall == pytest.approx(1.0) and lumped.b3_precision == pytest.approx(0.5)


@pytest.fixture(scope="module")
def multiling() -> cluster.LabelledSet:
    return load_multiling()


def test_incremental_clustering_keeps_story_ids(multiling: cluster.LabelledSet) -> None:
    settings = Settings()
    with Store() as store:
        half = len(multiling.articles) // 2
        for article in multiling.articles[:half]:
            store.add_article(article)
        first = cluster_pending(store, settings, progress=False)
        assert first.assigned == half and (
            first.created + first.split == first.stories + first.joined + first.merged)
        before = dict(store.connection.execute("SELECT article_id, story_id FROM story_articles").fetchall())
        store.connection.execute("UPDATE stories SET dirty = 0")
        for article in multiling.articles[half:]:
            store.add_article(article)
        second = cluster_pending(store, settings, progress=False)
        assert second.assigned == len(multiling.articles) - half
        after = dict(store.connection.execute("SELECT article_id, story_id FROM story_articles").fetchall())
        retired = dict(store.connection.execute(
            "SELECT id, retired_into FROM stories WHERE retired_into IS NOT NULL").fetchall())
        # an article keeps its story id unless that story was merged (and the merge was recorded)
        def survivor(story_id: str) -> str:
            while story_id in retired:
                story_id = retired[story_id]
            return story_id

        for article_id, story_id in before.items():
            assert after[article_id] == survivor(story_id)
        sql = "SELECT count(*) FROM story_events WHERE kind = 'merge'"
        events = store.connection.execute(sql).fetchone()[0]
        assert events == len(retired)
        touched = {after[a.id] for a in multiling.articles[half:]}
        dirty = {r[0] for r in store.connection.execute("SELECT id FROM stories WHERE dirty = 1")}
        assert touched <= dirty
        assert all(sid.startswith("s") and len(sid) == 7 for sid in after.values())
        assert cluster_pending(store, settings, progress=False).assigned == 0


def test_an_embedder_without_a_learned_model_is_a_config_error() -> None:
    from newsprism.errors import ConfigError

    with Store() as store, pytest.raises(ConfigError):
        cluster_pending(store, Settings(cluster_embedder="tfidf.v1"), progress=False)


def test_cli_cluster_json() -> None:
    from newsprism.cli import main

    result = CliRunner().invoke(main, ["cluster", str(SEEDS), "--json", "-q"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    stories = out["stories"]
    assert out["rejected"] == []
    articles = [a for s in stories for a in s["articles"]]
    assert len(articles) >= 2
    assert all({"id", "path", "title", "outlet"} <= set(a) for a in articles)
    assert all(set(s) == {"story", "storyline", "articles"} for s in stories)


def test_cli_cluster_lists_rejections_and_takes_short_items(tmp_path: Path) -> None:
    from newsprism.cli import main

    items = [
        {"title": "Quake of magnitude 6.1 hits central Chile", "outlet": "Wire A",
         "text": "A magnitude 6.1 earthquake struck central Chile on Monday, officials said."},
        {"title": "Strong earthquake shakes central Chile", "outlet": "Wire B",
         "text": "A strong 6.1 magnitude earthquake shook central Chile on Monday, with no damage reported."},
        {"title": "Brief", "text": "Too short to be an article.", "outlet": "Wire C"},
    ]
    (tmp_path / "items.jsonl").write_text("\n".join(json.dumps(i) for i in items) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["cluster", str(tmp_path), "--json", "-q"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    titles = {a["title"] for s in out["stories"] for a in s["articles"]}
    assert titles == {items[0]["title"], items[1]["title"]}  # RSS-sized title+lead items are articles
    assert len(out["rejected"]) == 1 and "too short" in out["rejected"][0]["reason"]


def _item(ident: str, vector: list[float], day: float | None, words: str) -> cluster.ArticleFeatures:
    import numpy as np

    v = np.asarray(vector, dtype=np.float32)
    terms = frozenset(words.split())
    return cluster.ArticleFeatures(ident, v / np.linalg.norm(v), terms, terms, day, terms)


def test_undated_articles_are_clustered_without_a_window() -> None:
    # a headline without a date joins the dated story it matches, whatever that story's date, and a
    # dated article joins an undated story; unrelated items stay apart
    online = cluster.OnlineClusterer(cluster.LEARNED, 3, window_days=7)
    items = [
        _item("a", [1, 0, 0], 100.0, "plosser fed tapering"),
        _item("b", [1, 0.02, 0], None, "plosser fed tapering"),
        _item("c", [0, 1, 0], None, "malaysia flight missing"),
        _item("d", [0, 1, 0.02], 900.0, "malaysia flight missing"),
        _item("e", [0, 0, 1], None, "oscars dress"),
    ]
    for item in items:
        online.assign(item)
    labels = online.labels([i.id for i in items])
    assert labels[0] == labels[1]
    assert labels[2] == labels[3]
    assert len(set(labels)) == 3


def test_learned_models_are_artifacts_with_provenance(tmp_path: Path) -> None:
    from newsprism.cluster._model import load_model, save_model

    for name, model in cluster.MODELS.items():
        assert model.embedder == name and len(model.weights) == len(model.FEATURES)
        assert {"data", "folds", "score"} <= set(model.provenance)
        save_model(model, tmp_path / f"{name}.json")
        assert load_model(tmp_path / f"{name}.json") == model
    assert cluster.model_for(Settings().cluster_embedder) is cluster.LEARNED


def test_headlines_alone_take_their_own_thresholds_and_old_artifacts_keep_theirs() -> None:
    from newsprism.cluster._model import ClusterModel

    shipped = cluster.model_for("minilm64.v1")
    assert shipped.join_at(headline=True) == shipped.headline_threshold < shipped.join_at(headline=False)
    assert shipped.agree_at(headlines=True) == shipped.headline_join_threshold
    assert shipped.agree_at(headlines=False) == shipped.join_threshold
    # an artifact written before these fields existed behaves as it did: one threshold for every item,
    # no veto, no third-story rivals
    old = shipped.to_json()
    for key in ("headline_threshold", "headline_join_threshold", "actor_veto", "pass_rivals"):
        del old[key]
    before = ClusterModel.from_json(old)
    assert before.join_at(headline=True) == before.threshold
    assert before.agree_at(headlines=True) == before.join_threshold
    assert not before.actor_veto and not before.pass_rivals


def test_a_headline_is_an_item_without_text_beyond_its_title() -> None:
    import numpy as np

    from newsprism.analyse import Analysis
    from newsprism.cluster._features import features_of
    from newsprism.types import Article

    articles = [Article(id="a", title="Sbarro files for bankruptcy", text=""),
                Article(id="b", title="Sbarro files for bankruptcy", text="Sbarro files for bankruptcy"),
                Article(id="c", title="Sbarro files", text="The pizza chain filed on Monday.",
                        published="2014-03-10")]
    analyses = [Analysis(a.id, (), (), (), ()) for a in articles]
    items = features_of(articles, analyses, np.zeros((3, 4), dtype=np.float32), [1.0, 1.0, None])
    assert [i.headline for i in items] == [True, True, False]
    assert [i.dated for i in items] == [False, False, True]


_FEATURE_ROWS = """
import numpy as np
from newsprism.cluster import ArticleFeatures, OnlineClusterer, model_for
from newsprism.cluster._features import title_words
from newsprism.evaluation.datasets import load_multiling

articles = load_multiling().articles
clusterer = OnlineClusterer(model_for("minilm64.v1"), 4, 30)
items = [ArticleFeatures(a.id, np.ones(4, dtype=np.float32) / 2, title_words(a.title),
                         title_words(a.title + " " + a.text[:600]), None, title_words(a.title))
         for a in articles]
for n, item in enumerate(items[:60]):
    clusterer.add_existing(item, n // 3)  # stories of three articles each
for item in items[60:]:
    for story in clusterer.stories.values():
        print(repr(clusterer.features(item, story, 0.5)))
"""


def test_feature_rows_do_not_depend_on_the_hash_seed() -> None:
    """A set's order changes with Python's hash seed; the idf-weighted overlaps sum over sets, so a
    running sum gave another last bit in another process, and the split figures stored by two runs on
    one store differed (issue #18). The rows on real MultiLing words must be equal to the bit."""
    import os
    import subprocess
    import sys

    rows = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", _FEATURE_ROWS], env=env, capture_output=True, text=True,
                             check=True)
        rows.append(out.stdout.splitlines())
    assert len(rows[0]) == 40 * 20
    assert rows[0] == rows[1]


def test_story_norm_is_memoised_and_follows_the_centroid() -> None:
    # the cached norm must be the very float np.linalg.norm gives, after every add and absorb, or
    # cosines (and so merges) would move in the last bit
    import numpy as np

    from newsprism.cluster import ArticleFeatures
    from newsprism.cluster._online import StoryState

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(5, 8)).astype(np.float32)
    made = [ArticleFeatures(f"a{i}", v / np.linalg.norm(v), frozenset(), frozenset(), 1.0)
            for i, v in enumerate(vectors)]
    first, second = StoryState(0, np.zeros(8, np.float32)), StoryState(1, np.zeros(8, np.float32))
    for item in made[:3]:
        first.add(item)
        assert first.norm() == float(np.linalg.norm(first.centroid))
    for item in made[3:]:
        second.add(item)
    first.absorb(second)
    assert first.norm() == float(np.linalg.norm(first.centroid))


def test_overlaps_from_the_memoised_weights_equal_the_full_sum_to_the_bit() -> None:
    # `_overlap` keeps each term set's idf weights until the next article is indexed and sums the shared
    # terms alone; on real MultiLing words it must give the very float the sum over every term gives
    import math

    import numpy as np

    from newsprism.cluster import ArticleFeatures, OnlineClusterer, model_for
    from newsprism.cluster._features import title_words

    def reference(clusterer: OnlineClusterer, terms: frozenset[str], counts: object, size: int) -> float:
        if not terms:
            return 0.0
        weights = [(clusterer._idf(t), counts.get(t, 0)) for t in terms]  # type: ignore[attr-defined]
        total = math.fsum(w for w, _ in weights)
        return math.fsum(w * min(1.0, c / size) for w, c in weights) / total if total else 0.0

    articles = load_multiling().articles
    clusterer = OnlineClusterer(model_for("minilm64.v1"), 4, 30)
    items = [ArticleFeatures(a.id, np.ones(4, dtype=np.float32) / 2, title_words(a.title),
                             title_words(a.title + " " + a.text[:600]), None, title_words(a.title))
             for a in articles]
    compared = 0
    for n, item in enumerate(items):
        for story in list(clusterer.stories.values()):
            for terms, counts in ((item.entities, story.entities), (item.words, story.words),
                                  (item.title_words, story.title_words)):
                assert clusterer._overlap(terms, counts, story.size) == reference(
                    clusterer, terms, counts, story.size)
                compared += 1
        clusterer.add_existing(item, n // 4)  # stories of four, indexed as they grow
    assert compared > 3000


def test_a_window_resumed_in_one_call_per_shard_finds_what_one_call_per_article_finds() -> None:
    # `_resume` fills each week's ANN shard in one call on one thread: the same inserts in the same order,
    # so every search, document frequency and story must come out as from one `add_existing` per article
    import numpy as np

    from newsprism.cluster import ArticleFeatures, OnlineClusterer, model_for
    from newsprism.cluster._features import title_words

    articles = load_multiling().articles
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(len(articles), 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    items = [ArticleFeatures(a.id, vectors[n], title_words(a.title),
                             title_words(a.title + " " + a.text[:600]),
                             None if n % 9 == 0 else float(n % 40), title_words(a.title))
             for n, a in enumerate(articles)]
    keys = [n // 3 for n in range(len(items))]
    one_by_one, batched = (OnlineClusterer(model_for("minilm64.v1"), 32, 10) for _ in range(2))
    for item, key in zip(items, keys, strict=True):
        one_by_one.add_existing(item, key)
    batched.add_existing_many(items, keys)
    assert batched._owner == one_by_one._owner and batched._df == one_by_one._df
    assert batched._docs == one_by_one._docs and list(batched._shards) == list(one_by_one._shards)
    assert {k: s.members for k, s in batched.stories.items()} == {
        k: s.members for k, s in one_by_one.stories.items()}
    probes = rng.normal(size=(60, 32)).astype(np.float32)
    for n, vector in enumerate(probes / np.linalg.norm(probes, axis=1, keepdims=True)):
        day = None if n % 5 == 0 else float(n % 40)
        probe = ArticleFeatures(f"p{n}", vector, frozenset(), frozenset(), day)
        assert batched.candidates(probe) == one_by_one.candidates(probe)
