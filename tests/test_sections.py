"""Sections: the classifier on held-out real data (floors next to baselines), the store column and its
migration, section pages and Atom feeds (live and static), and the hide-sections filter with the cache."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import feedparser
import numpy as np
import numpy.typing as npt
import pytest
from fastapi.testclient import TestClient

import newsprism.store as store_module
from newsprism.analyse import article_head, get_embedder
from newsprism.evaluation.paths import shared
from newsprism.evaluation.sections import (
    HELD_OUT,
    Example,
    keyword_section,
    load_examples,
    load_uci,
    score,
    split,
)
from newsprism.publish import Reader, create_app, export_site
from newsprism.publish.filters import Filters
from newsprism.publish.prefs import COOKIE, Prefs
from newsprism.sections import SECTIONS, load_sections, section_of, slug
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.store.migrations import MIGRATIONS
from newsprism.types import Article
from sections_fixture import UCI_SECTIONS, build_sections_store, sample_rows

ATOM = "{http://www.w3.org/2005/Atom}"
MODELS = Path(__file__).resolve().parents[1] / "src" / "newsprism" / "sections" / "models"
MODEL = MODELS / "sections.v2.json.gz"
HAVE_DATA = (
    shared("allsides-articles/articles.jsonl.gz").exists()
    and shared("clusters/uci-news-aggregator/uci-news-aggregator.sample.csv").exists()
)


# --- the classifier ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sections.v1", "sections.v2"])
def test_the_shipped_models_are_small_versioned_and_say_where_they_come_from(name: str, tmp_path: Path
                                                                              ) -> None:
    path = MODELS / f"{name}.json.gz"
    assert path.stat().st_size < 1_000_000
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["format"] == f"newsprism.sections-model.{name.split('.')[1]}"
    assert tuple(data["classes"]) == SECTIONS
    provenance = data["provenance"]
    assert {"data", "folds", "score"} <= set(provenance)
    assert f"held-out fold {HELD_OUT}" in provenance["score"]
    if name == "sections.v2":
        # the vector head reads the article vectors analyse stores (title + lead, the cluster embedder)
        assert data["vector"]["embedder"] == Settings().cluster_embedder == load_sections(name).embedder
        assert "CV on folds 0-3" in provenance["vector_head"]
    # byte-reproducible: saving what was loaded gives the same file (retraining does not churn the repo)
    load_sections(name).save(tmp_path / "again.json.gz")
    assert (tmp_path / "again.json.gz").read_bytes() == path.read_bytes()


def test_inference_needs_numpy_alone() -> None:
    code = (
        "from newsprism.sections import load_sections; import sys;"
        "m = load_sections(); print(m.predict(['Apple unveils new iPhone at Cupertino event'])[0]);"
        "print(','.join(sorted({n.split('.')[0] for n in sys.modules} & {'sklearn', 'scipy', 'torch'})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "Technology"
    assert out[1] == ""


def _heldout_sample() -> list[Example]:
    """The committed held-out UCI fold (CC BY): the model never saw these stories. The head is what the
    demo's listing gives `analyse` to embed: its headline is its text too."""
    return [
        Example(r["title"] + "\n", UCI_SECTIONS[r["category"]], "uci", HELD_OUT, r["story"],
                article_head(Article(id=r["id"], title=r["title"], text=r["title"])))
        for r in sample_rows()
    ]


@pytest.fixture(scope="module")
def heldout() -> tuple[list[Example], list[npt.NDArray[np.float32]]]:
    sample = _heldout_sample()
    vectors = get_embedder(load_sections().embedder or "").embed([e.head for e in sample])
    return sample, list(vectors)


def test_floor_on_the_committed_held_out_headlines_beats_the_text_model_and_both_baselines(
    heldout: tuple[list[Example], list[npt.NDArray[np.float32]]],
) -> None:
    sample, vectors = heldout
    assert len({e.group for e in sample}) >= 15
    model = load_sections()
    gold = [e.section for e in sample]
    ours = score("uci", "model", gold, model.predict([e.text for e in sample], vectors))
    text = score("uci", "text", gold, model.predict([e.text for e in sample]))
    v1 = score("uci", "v1", gold, load_sections("sections.v1").predict([e.text for e in sample]))
    keywords = score("uci", "keywords", gold, [keyword_section(e.text) for e in sample])
    majority = score("uci", "majority", gold, [Counter(gold).most_common(1)[0][0]] * len(gold))
    # measured 0.859 / 0.866 (v1, text only: 0.661 / 0.635; docs/measurements.md); floors: noise only
    assert ours.accuracy >= 0.83 and ours.macro_f1 >= 0.83, ours
    assert ours.macro_f1 > v1.macro_f1 + 0.05 and ours.accuracy > v1.accuracy + 0.05, (ours, v1)
    # without vectors the model is the text model it falls back to
    assert text.accuracy >= 0.62 and text.macro_f1 >= 0.58, text
    assert ours.macro_f1 > keywords.macro_f1 + 0.2 and ours.macro_f1 > majority.macro_f1 + 0.3
    # a story is decided by the mean over its headlines: most of the held-out stories come out right
    stories: dict[str, list[int]] = {}
    for k, e in enumerate(sample):
        stories.setdefault(e.group, []).append(k)
    right = sum(
        model.classify([sample[k].text for k in rows], [vectors[k] for k in rows]) == sample[rows[0]].section
        for rows in stories.values()
    )
    assert right / len(stories) >= 0.85


def test_the_misfiled_demo_stories_come_out_right_with_their_vectors() -> None:
    """Headlines the text model misfiled as Business on the demo's front page (an example, not the
    metric). Not yet right: the demo's Tour de France stories come out World (v1: Politics, Technology),
    as the labelled Sports articles are 84 AllSides pieces on the politics of sport."""
    cases = {
        "True Detective finale: The universe turns out to be more than just a flat circle": "Entertainment",
        "Prince Harry and Cressida Bonas Set to Meet the Queen at Balmoral": "Entertainment",
    }
    model = load_sections()
    articles = [Article(id=f"a{k}", title=title, text=title) for k, title in enumerate(cases)]
    vectors = get_embedder(model.embedder or "").embed([article_head(a) for a in articles])
    by_id = {a.id: v for a, v in zip(articles, vectors, strict=True)}
    assert [section_of([a], model, vectors=by_id) for a in articles] == list(cases.values())
    # without the vectors the words alone decide, as sections.v1 did
    assert [section_of([a], model) for a in articles] == [
        section_of([a], load_sections("sections.v1")) for a in articles
    ]


@pytest.mark.skipif(not HAVE_DATA, reason="../shared/data (AllSides, UCI) is not on this machine")
def test_floor_on_the_held_out_fold_of_both_labelled_sets() -> None:
    examples = load_examples()
    train, test = split(examples)
    # folds keep a story (UCI) or a week (AllSides) whole: nothing straddles train and test
    assert not {e.group for e in train if e.fold >= 0} & {e.group for e in test}
    assert {e.fold for e in test} == {HELD_OUT}
    assert len(load_uci()) == 6366
    model = load_sections()
    # every fourth held-out AllSides article with its vector (embedding all 5,424 takes minutes here)
    allsides = [e for e in test if e.dataset == "allsides"][::4]
    vectors = list(get_embedder(model.embedder or "").embed([e.head for e in allsides]))
    gold = [e.section for e in allsides]
    ours = score("allsides", "model", gold, model.predict([e.text for e in allsides], vectors))
    keywords = score("allsides", "keywords", gold, [keyword_section(e.text) for e in allsides])
    # measured 0.848 / 0.671 on this quarter (all of fold 4, 0.852 / 0.725: docs/measurements.md)
    assert ours.accuracy >= 0.82 and ours.macro_f1 >= 0.62, ours
    assert ours.macro_f1 > keywords.macro_f1 + 0.2, (ours, keywords)
    # the text-only fallback on the whole held-out fold (sections.v1's floors)
    for dataset, acc, f1 in (("allsides", 0.83, 0.55), ("uci", 0.62, 0.58)):
        items = [e for e in test if e.dataset == dataset]
        text = score(dataset, "text", [e.section for e in items], model.predict([e.text for e in items]))
        assert text.accuracy >= acc and text.macro_f1 >= f1, text


# --- the pipeline, the store, the pages ----------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return build_sections_store(tmp_path_factory.mktemp("sections"))


@pytest.fixture(scope="module")
def client(built: tuple[Path, dict[str, str]]) -> Iterator[TestClient]:
    with TestClient(create_app(built[0])) as test_client:
        yield test_client


def _sections_in_store(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT s.id, s.composed, m.section FROM stories s"
            " JOIN story_summaries m ON m.story_id = s.id WHERE m.live = 1"
        ).fetchall()
    out = {}
    for story_id, composed, column in rows:
        assert json.loads(composed)["section"] == column, story_id  # the column is the JSON's field
        out[story_id] = column
    return out


def test_every_built_story_gets_a_section_decided_from_its_articles(
    built: tuple[Path, dict[str, str]],
) -> None:
    db, gold = built
    sections = _sections_in_store(db)
    assert len(sections) >= 3 and all(s in SECTIONS for s in sections.values())
    with sqlite3.connect(db) as conn:
        members = conn.execute(
            "SELECT sa.story_id, a.title FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
        ).fetchall()
    by_story: dict[str, list[str]] = {}
    for story_id, title in members:
        by_story.setdefault(story_id, []).append(gold[" ".join(title.split())])
    # measured on this fixture: the stock-market and Cosmos stories are right, the royal ones not all
    right = sum(Counter(by_story[s]).most_common(1)[0][0] == sections[s] for s in sections)
    assert right / len(sections) >= 0.5, (sections, by_story)


def test_compose_reads_the_article_vectors_that_analyse_stored(built: tuple[Path, dict[str, str]]) -> None:
    from newsprism.compose.pending import story_articles, story_vectors

    db, _ = built
    model = load_sections()
    with Store(db) as store:
        for story_id, section in _sections_in_store(db).items():
            articles = story_articles(store, story_id)
            vectors = story_vectors(store, articles)
            assert set(vectors) == {a.id for a in articles}  # every article has its vector, of this embedder
            assert all(v.shape == (get_embedder(model.embedder or "").dim,) for v in vectors.values())
            assert section_of(articles, model, vectors=vectors) == section


def test_the_migration_fills_the_column_and_the_triggers_keep_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [name for name, _ in MIGRATIONS]
    before = MIGRATIONS[: names.index("0015_story_sections")]
    db = tmp_path / "old.db"
    monkeypatch.setattr(store_module, "_MIGRATIONS", before)
    with Store(db) as old, old.transaction() as conn:
        conn.execute(
            "INSERT INTO stories (id, composed, dirty) VALUES (?, ?, 0)",
            ("s1", json.dumps({"headline": "Fed holds rates", "articles": [], "section": "Business"})),
        )
    monkeypatch.setattr(store_module, "_MIGRATIONS", MIGRATIONS)
    with Store(db) as new:
        conn = new.connection
        assert conn.execute("SELECT section FROM story_summaries WHERE story_id = 's1'").fetchone()[0] == (
            "Business"
        )
        version = conn.execute("SELECT version FROM story_summaries WHERE story_id = 's1'").fetchone()[0]
        with new.transaction():
            conn.execute(
                "UPDATE stories SET composed = ? WHERE id = 's1'",
                (json.dumps({"headline": "Fed holds rates", "articles": [], "section": "World"}),),
            )
            conn.execute(
                "INSERT INTO stories (id, composed, dirty) VALUES ('s2', ?, 0)",
                (json.dumps({"headline": "x", "articles": []}),),
            )
        rows = {r[0]: r[1] for r in conn.execute("SELECT story_id, section FROM story_summaries")}
        assert rows == {"s1": "World", "s2": None}
        assert (
            conn.execute("SELECT version FROM story_summaries WHERE story_id = 's1'").fetchone()[0] > version
        )


def test_section_pages_list_exactly_their_stories(
    built: tuple[Path, dict[str, str]], client: TestClient
) -> None:
    sections = _sections_in_store(built[0])
    front = client.get("/").text
    for name in set(sections.values()):
        page = client.get(f"/section/{slug(name)}")
        assert page.status_code == 200
        listed = {sid for sid in sections if f'href="/story/{sid}"' in page.text}
        assert listed == {sid for sid, s in sections.items() if s == name}
        assert f'href="/section/{slug(name)}"' in front  # a tab per section with stories
        api = client.get(f"/api/section/{slug(name)}").json()
        assert {s["id"] for s in api} == listed and all(s["section"] == name for s in api)
    assert client.get("/section/opinion").status_code == 404
    assert client.get("/section/opinion/feed.xml").status_code == 404


def _front_blocks(html: str) -> dict[str, str]:
    blocks = {}
    for part in html.split('<section class="front-section"')[1:]:
        name = part.split('data-section="', 1)[1].split('"', 1)[0]
        blocks[name] = part.split("</section>", 1)[0]
    return blocks


def test_front_page_groups_stories_by_section(built: tuple[Path, dict[str, str]], client: TestClient) -> None:
    sections = _sections_in_store(built[0])
    blocks = _front_blocks(client.get("/").text)
    assert blocks
    for name, block in blocks.items():
        shown = {sid for sid in sections if f'href="/story/{sid}"' in block}
        assert shown and all(sections[sid] == name for sid in shown), (name, shown)


def test_section_feed_is_valid_atom_of_that_section(
    built: tuple[Path, dict[str, str]], client: TestClient
) -> None:
    sections = _sections_in_store(built[0])
    name = Counter(sections.values()).most_common(1)[0][0]
    response = client.get(f"/section/{slug(name)}/feed.xml")
    assert response.headers["content-type"].startswith("application/atom+xml")
    _assert_atom(response.content, {sid for sid, s in sections.items() if s == name})
    root = ET.fromstring(response.content)
    assert (
        root.find(f"{ATOM}link[@rel='self']").get("href")
        == f"http://testserver/section/{slug(name)}/feed.xml"
    )


def _assert_atom(body: bytes, story_ids: set[str]) -> None:
    """RFC 4287 as feed readers need it: feedparser reads it cleanly, and the feed and every entry
    have the required id, title and updated (entries a link too)."""
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    for element in (root, *root.findall(f"{ATOM}entry")):
        for required in ("id", "title", "updated"):
            assert (element.findtext(f"{ATOM}{required}") or "").strip(), required
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    ids = {e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")}
    assert ids == {f"urn:newsprism:story:{sid}" for sid in story_ids}
    assert all(e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry"))


def test_hidden_sections_leave_the_front_page_and_the_cache_keeps_readers_apart(
    built: tuple[Path, dict[str, str]], client: TestClient
) -> None:
    sections = _sections_in_store(built[0])
    hide = Counter(sections.values()).most_common(1)[0][0]
    plain = client.get("/")
    assert "Cookie" in plain.headers["vary"]
    cookie = Prefs(filters=Filters.make(sections=[hide])).cookie()
    assert cookie.endswith(f":s.{slug(hide)}")
    client.cookies.set(COOKIE, cookie)
    try:
        filtered = client.get("/")
        again = client.get("/")
    finally:
        client.cookies.clear()
    assert filtered.headers["cache-control"].startswith("private")
    assert hide not in _front_blocks(filtered.text)
    hidden_ids = {sid for sid, s in sections.items() if s == hide}
    assert not any(f'href="/story/{sid}"' in filtered.text for sid in hidden_ids)
    assert f"Hidden by your preferences: {hide}" in filtered.text
    assert again.text == filtered.text
    # the unfiltered page is still what a reader without the cookie gets (a separate cache entry)
    assert client.get("/").text == plain.text and any(
        f'href="/story/{sid}"' in plain.text for sid in hidden_ids
    )
    # the section page itself is not filtered: who opens it asks for it
    client.cookies.set(COOKIE, cookie)
    try:
        assert all(f'href="/story/{sid}"' in client.get(f"/section/{slug(hide)}").text for sid in hidden_ids)
    finally:
        client.cookies.clear()


def test_the_prefs_form_saves_hidden_sections_and_the_sliders_keep_them(client: TestClient) -> None:
    form = client.get("/prefs").text
    assert 'name="hide_section" value="sports"' in form
    saved = client.post(
        "/prefs",
        data={"left_right": "1", "filters": "1", "hide_section": ["sports", "world", "bogus"]},
        follow_redirects=False,
    )
    cookie = saved.cookies.get(COOKIE)
    assert Prefs.parse(cookie) == Prefs(left_right=1, filters=Filters.make(sections=["sports", "world"]))
    assert Prefs.parse(cookie).hide_sections == {"Sports", "World"}
    # the story page's slider form carries no filters: saving it keeps the reader's hidden sections
    client.cookies.set(COOKIE, cookie)
    try:
        slid = client.post("/prefs", data={"left_right": "-2"}, follow_redirects=False)
    finally:
        client.cookies.clear()
    assert Prefs.parse(slid.cookies.get(COOKIE)) == Prefs(
        left_right=-2, filters=Filters.make(sections=["Sports", "World"])
    )
    # old cookies and junk stay readable
    assert Prefs.parse("1:0:2") == Prefs(1, 0, 2)
    assert Prefs.parse("1:0:2:s.nope|sports:zz~1") == Prefs(1, 0, 2, Filters.make(sections=["sports"]))


def test_cached_section_page_changes_when_a_story_changes_section(tmp_path: Path) -> None:
    # a story moving section is a composed-JSON update (as a recompose writes), which the triggers see
    src = tmp_path / "s.db"
    with Store(src) as store, store.transaction() as conn:
        conn.execute(
            "INSERT INTO stories (id, composed, dirty) VALUES ('s1', ?, 0)",
            (json.dumps(_story_json("s1", "Business")),),
        )
    with TestClient(create_app(src)) as test_client:
        assert 'href="/story/s1"' in test_client.get("/section/business").text
        assert 'href="/story/s1"' not in test_client.get("/section/world").text
        with Store(src) as store, store.transaction() as conn:
            conn.execute(
                "UPDATE stories SET composed = ? WHERE id = 's1'", (json.dumps(_story_json("s1", "World")),)
            )
        assert 'href="/story/s1"' not in test_client.get("/section/business").text
        assert 'href="/story/s1"' in test_client.get("/section/world").text


def _story_json(story_id: str, section: str) -> dict[str, object]:
    return {
        "id": story_id,
        "headline": f"A {section} story",
        "date": "2014-03-10",
        "facts": [],
        "narratives": [],
        "quotes": [],
        "disagreements": [],
        "timeline": [],
        "articles": [],
        "lead": "Lead.",
        "section": section,
    }


def test_static_export_writes_a_page_and_a_feed_per_section(
    built: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, _ = built
    sections = _sections_in_store(db)
    report = export_site(Reader(db), tmp_path / "site")
    root = report.out
    index = (root / "index.html").read_text("utf-8")
    for name in set(sections.values()):
        page = root / "section" / f"{slug(name)}.html"
        html = page.read_text("utf-8")
        assert f'href="section/{slug(name)}.html"' in index
        ids = {sid for sid, s in sections.items() if s == name}
        assert all(f'href="../story/{sid}.html"' in html for sid in ids)
        assert f'href="../section/{slug(name)}/feed.xml"' in html
        feed = root / "section" / slug(name) / "feed.xml"
        _assert_atom(feed.read_bytes(), ids)
        # the feed's relative links resolve from where it sits
        for entry in ET.fromstring(feed.read_bytes()).findall(f"{ATOM}entry"):
            assert (feed.parent / entry.find(f"{ATOM}link").get("href")).resolve().is_file()


def test_the_seed_story_is_world_news() -> None:
    """The three seed documents (a Japan–South Korea summit) read as one story: World."""
    from newsprism.ingest import read_inputs
    from newsprism.sections import section_of
    from newsprism.types import Article

    seeds = Path(__file__).resolve().parents[1] / "data" / "demo" / "seeds"
    articles = [a for a in read_inputs(sorted(seeds.glob("*"))) if isinstance(a, Article)]
    assert len(articles) == 3
    assert section_of(articles) == "World"
