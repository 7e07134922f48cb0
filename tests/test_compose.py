"""The story composer on real inputs: the demo seeds and MultiLing 2011 (CC BY), with real models."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from newsprism.analyse import Analysis, Span, resolve_dates, split_sentences
from newsprism.cli import main
from newsprism.compose import compose, summarize
from newsprism.compose.pending import compose_pending
from newsprism.evaluation.rouge import rouge, rouge_tokens
from newsprism.evaluation.summarize import load_multiling
from newsprism.ingest import read_inputs
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Article, Story

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "demo" / "seeds"
MULTILING = ROOT / "data" / "multiling2011"
SCHEMA = json.loads((ROOT / "schema" / "story.schema.json").read_text())


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    paths = [SEEDS / "000_c0e5fdfcdfc52de7.txt", SEEDS / "004_2b1bcd757c7649fc.txt"]
    articles = [a for a in read_inputs(paths) if isinstance(a, Article)]
    # plain-text seeds carry no date; give the ones the pages were published on
    return [
        replace(articles[0], published="2023-03-16", outlet=articles[0].outlet or "IRIA"),
        replace(articles[1], published="2023-05-07", outlet=articles[1].outlet or "The Epoch Times"),
    ]


@pytest.fixture(scope="module")
def story(seeds: list[Article]) -> Story:
    return compose(seeds)


def _evidence_exact(story: Story, articles: list[Article]) -> bool:
    by_id = {a.id: a for a in articles}
    for fact in story.facts:
        if not fact.evidence:
            return False
        for ev in fact.evidence:
            source = by_id[ev.article].text if ev.caption is None else by_id[ev.article].captions[ev.caption]
            if source[ev.start : ev.end] != ev.text:
                return False
    return True


def test_seed_facts_have_exact_evidence_and_no_loaded_words(story: Story, seeds: list[Article]) -> None:
    assert 4 <= len(story.facts) <= 10
    assert _evidence_exact(story, seeds)
    for fact in story.facts:
        assert fact.sources >= 1
        low = fact.text.lower()
        assert "landmark" not in low and "groining" not in low
    assert "landmark" not in story.headline.lower()


def test_no_two_facts_repeat(story: Story) -> None:
    texts = [f.text for f in story.facts]
    assert len(set(texts)) == len(texts)


def test_quotes_resolve_kishida(story: Story) -> None:
    speakers = {q.speaker for q in story.quotes}
    assert "Fumio Kishida" in speakers
    # "he added" after Kishida's quote is Kishida too
    added = [q for q in story.quotes if q.text.startswith("I hope this visit")]
    assert added and added[0].speaker == "Fumio Kishida"


def test_caption_distance_disagreement(story: Story) -> None:
    numbers = [d for d in story.disagreements if d.kind == "number"]
    values = {tuple(sorted(c.value or "" for c in d.claims)) for d in numbers}
    assert ("1,000 kilometers", "6,000 kilometers") in values


def test_timeline_resolves_relative_dates(story: Story) -> None:
    assert resolve_dates("Yoon on Thursday met with Kishida.", "2023-03-17")[0].value == "2023-03-16"
    assert resolve_dates("the G7 summit in May this year", "2023-03-16")[0].value == "2023-05"
    assert resolve_dates("dialogues suspended since 2018", "2023-03-16")[0].value == "2018"
    dates = [e.date for e in story.timeline]
    assert dates == sorted(dates) and "2018" in dates and "2023-03-16" in dates


def test_schema_validates_and_round_trips(story: Story) -> None:
    data = json.loads(json.dumps(story.to_json()))
    jsonschema.validate(data, SCHEMA)
    assert Story.from_json(data) == story


def test_narratives_come_from_interpretation(story: Story) -> None:
    assert story.narratives
    for narrative in story.narratives:
        assert narrative.evidence and narrative.statement
    assert story.single_framing == (len(story.narratives) <= 1)


def test_rouge_matches_hand_counts() -> None:
    assert rouge_tokens("U.S.-led talks, 2,000 $5") == ["u", "s", "led", "talks", "2", "000", "5"]
    s = rouge("the cat sat on the mat", ["the cat lay on the mat"])
    assert s["1"].recall == pytest.approx(5 / 6) and s["2"].recall == pytest.approx(3 / 5)
    # SU4 on 3 tokens: 3 skip-bigrams + 3 unigrams; peer "a b c" vs ref "a c b": (a,c),(a,b) + 3 unigrams
    su = rouge("a1 b1 c1", ["a1 c1 b1"], metrics=("SU4",))["SU4"]
    assert su.recall == pytest.approx(5 / 6)
    assert rouge_tokens("running", stem=True) == ["run"]


def test_multiling_rouge2_floor() -> None:
    topics = load_multiling(MULTILING, topics=3)
    r2 = []
    for articles, refs in topics:
        facts = summarize(articles, 250)
        assert sum(len(f.split()) for f in facts) <= 250
        r2.append(rouge(" ".join(facts), refs, max_words=250)["2"].f)
    # measured 0.185 on all 10 topics (best published system 0.169); pinned on topics 0-2
    assert sum(r2) / len(r2) >= 0.15


def test_multiling_story_evidence(tmp_path: Path) -> None:
    articles, _refs = load_multiling(MULTILING, topics=1)[0]
    story = compose(articles)
    assert _evidence_exact(story, articles)
    assert 4 <= len(story.facts) <= 10


def test_compose_pending_writes_story(seeds: list[Article]) -> None:
    with Store() as store:
        for article in seeds:
            store.add_article(article)
        with store.transaction() as db:
            db.execute("INSERT INTO storylines (id, title) VALUES ('L1', 'Japan-South Korea')")
            db.execute("INSERT INTO stories (id, storyline_id, dirty) VALUES ('S1', 'L1', 1)")
            for article in seeds:
                db.execute(
                    "INSERT INTO story_articles (story_id, article_id) VALUES ('S1', ?)", (article.id,)
                )
        assert compose_pending(store, Settings(), progress=False) == 1
        row = store.connection.execute("SELECT composed, dirty FROM stories WHERE id = 'S1'").fetchone()
        assert row["dirty"] == 0
        data = json.loads(row["composed"])
        jsonschema.validate(data, SCHEMA)
        assert data["storyline"] == "L1"
        hit = store.connection.execute(
            "SELECT id FROM stories_fts WHERE stories_fts MATCH 'Kishida'"
        ).fetchone()
        assert hit[0] == "S1"
        assert compose_pending(store, Settings(), progress=False) == 0


def _split_only(article_id: str, sentences: Sequence[Span]) -> Analysis:
    # an analysis that holds sentences only (no dates or quantities of the current reading)
    return Analysis(article_id, tuple(sentences), (), (), ())


def test_composer_reads_the_stored_sentences(seeds: list[Article]) -> None:
    # compose_pending hands the composer the sentences analysis stored; they are the splitter's own, so
    # the story is the one composed from the text; spans that no longer index the text are split again
    stored = {a.id: _split_only(a.id, split_sentences(a.text)) for a in seeds}
    plain = compose(seeds, story_id="S1")
    assert compose(seeds, story_id="S1", analyses=stored).to_json() == plain.to_json()
    first = seeds[0]
    merged = (Span(0, len(first.text), first.text),)  # one "sentence" spanning the whole body
    one_unit = compose([first], story_id="S1", analyses={first.id: _split_only(first.id, merged)})
    assert len(one_unit.facts) <= 1 < len(compose([first], story_id="S1").facts)
    stale = {first.id: _split_only(first.id, (Span(0, 5, "other"),))}
    assert compose([first], story_id="S1", analyses=stale).to_json() == \
        compose([first], story_id="S1").to_json()


def test_cli_summarize() -> None:
    files = [str(SEEDS / "000_c0e5fdfcdfc52de7.txt"), str(SEEDS / "004_2b1bcd757c7649fc.txt")]
    runner = CliRunner()
    out = runner.invoke(main, ["summarize", *files, "--max-words", "60"])
    assert out.exit_code == 0, out.output
    assert 0 < len(out.output.split()) <= 60
    out = runner.invoke(main, ["summarize", *files, "--json"])
    assert out.exit_code == 0, out.output
    jsonschema.validate(json.loads(out.output), SCHEMA)


def test_embedding_cache_answers_calls_larger_than_itself() -> None:
    import numpy as np

    from newsprism.compose.extractive import _EmbedCache

    calls: list[int] = []

    def embed(texts: Sequence[str]) -> np.ndarray:
        calls.append(len(texts))
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)

    cache = _EmbedCache(embed, size=3)
    first = cache(["a", "bb", "ccc"])
    both = cache(["a", "dddd", "eeeee", "bb"])  # hits, then more misses than the cache holds
    assert both[:, 0].tolist() == [1.0, 4.0, 5.0, 2.0]
    assert first.shape == (3, 2) and calls == [3, 2]
