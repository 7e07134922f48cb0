"""The composer reads the dates and quantities analysis stored (issue #18, house 3.3), and composes the
same story as when it reads them from the text itself: the test stories with planted date and number
disagreements, MultiLing 2011 topics (CC BY) and the demo seeds, through the real analyse stage."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from newsprism.analyse import (
    Analysis,
    Span,
    analyse_articles,
    outside_captions,
    sentence_mentions,
    sentence_text,
)
from newsprism.analyse._mentions import article_mentions, span_mentions
from newsprism.compose import _units as units_module
from newsprism.compose import compose
from newsprism.compose._units import build_units, source_groups
from newsprism.evaluation.summarize import load_multiling
from newsprism.ingest import read_inputs
from newsprism.types import Article, Story

ROOT = Path(__file__).resolve().parents[1]


def _stories() -> list[tuple[str, list[Article]]]:
    out = []
    for path in sorted((ROOT / "tests" / "data" / "compose").glob("*.json")):
        rows = json.loads(path.read_text("utf-8"))["articles"]
        out.append((path.stem, [Article(id=r["id"], title=r["title"], text=r["text"], outlet=r["outlet"],
                                        published=r["published"]) for r in rows]))
    topics = load_multiling(ROOT / "data" / "multiling2011")
    out += [(f"multiling-{t}", topics[t][0]) for t in (0, 3, 8)]
    seeds = [a for a in read_inputs(sorted((ROOT / "data" / "demo" / "seeds").glob("*.txt")))
             if isinstance(a, Article)]
    days = ("2023-03-16", "2023-04-02", "2023-05-07")
    out.append(("seeds", [replace(a, published=d) for a, d in zip(seeds, days, strict=True)]))
    return out


STORIES = _stories()


def _stored(articles: list[Article]) -> dict[str, Analysis]:
    # as the store holds them: through JSON and back
    return {a.article_id: Analysis.from_json(json.loads(json.dumps(a.to_json())))
            for a in analyse_articles(articles)}


def _read_by_composer(story: Story) -> dict[str, Any]:
    data = story.to_json()
    return {
        "timeline": data["timeline"],
        "date": data["date"],
        "dates": [d for d in data["disagreements"] if d["kind"] == "date"],
        "numbers": [d for d in data["disagreements"] if d["kind"] == "number"],
    }


@pytest.fixture(scope="module")
def both() -> list[tuple[str, Story, Story]]:
    return [(name, compose(articles, story_id=name),
             compose(articles, story_id=name, analyses=_stored(articles))) for name, articles in STORIES]


def test_stored_dates_and_quantities_compose_the_same_story(both: list[tuple[str, Story, Story]]) -> None:
    for name, read, stored in both:
        assert _read_by_composer(stored) == _read_by_composer(read), name
        assert stored.to_json() == read.to_json(), name
    # the sample holds what is compared: timelines, and the planted date and number disagreements
    found = {name: _read_by_composer(read) for name, read, _s in both}
    assert len(found["port_talks"]["dates"]) >= 1 and len(found["stadium_vote"]["numbers"]) >= 1
    assert sum(len(f["timeline"]) for f in found.values()) >= 30
    assert sum(len(f["numbers"]) for f in found.values()) >= 10


def test_with_stored_analyses_the_composer_reads_no_sentence_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counted(sentence: str, published: object) -> object:
        calls.append(sentence)
        return sentence_mentions(sentence, published)  # type: ignore[arg-type]

    monkeypatch.setattr(units_module, "sentence_mentions", counted)
    for _name, articles in STORIES:
        stored = _stored(articles)  # analyse's own call is not the composer's
        calls.clear()
        units = build_units(articles, source_groups(articles, None), stored)
        assert units and calls == []  # captions outside the body included: analysis read them
        calls.clear()
        again = build_units(articles, source_groups(articles, None))
        assert len(calls) == len(again) and again == units
    # the sample holds captions outside the body (the seeds'), so the caption path is exercised
    seeds = dict(STORIES)["seeds"]
    assert any(text for a in seeds for _c, text in outside_captions(a))


def test_a_changed_caption_or_an_older_analysis_reads_only_what_it_must(
        monkeypatch: pytest.MonkeyPatch) -> None:
    articles = dict(STORIES)["seeds"]
    article = next(a for a in articles if outside_captions(a))
    stored = _stored(articles)
    analysis = stored[article.id]
    assert analysis.captions and analysis.caption_mentions_of(article)
    c, _text = outside_captions(article)[0]
    edited = replace(article, captions=tuple(
        f"{t} Taken on 4 May." if i == c else t for i, t in enumerate(article.captions)))
    assert c not in analysis.caption_mentions_of(edited)  # read again, not trusted
    calls: list[str] = []

    def counted(sentence: str, published: object) -> object:
        calls.append(sentence)
        return sentence_mentions(sentence, published)  # type: ignore[arg-type]

    monkeypatch.setattr(units_module, "sentence_mentions", counted)
    units = build_units([edited], [0], {edited.id: analysis})
    assert calls and all(u.caption == c for u in units if u.text in calls)
    assert len(calls) == sum(u.caption == c for u in units)
    assert units == build_units([edited], [0])  # and read as the composer reads it without analyses
    # an analysis stored by session 18 (version 1) has body readings but no caption readings
    calls.clear()
    older = replace(analysis, mentions_version=1, captions=())
    units = build_units([article], [0], {article.id: older})
    assert calls and len(calls) == sum(u.caption is not None for u in units)


def test_stored_offsets_index_the_article_and_map_back_exactly() -> None:
    # a hard-wrapped sentence holds line breaks and runs of spaces; the composer reads it collapsed
    text = ("The  union met on\nMarch 16 and agreed\n  to a 4.5% rise, worth $3 million, after talks that"
            " began last\nweek.\n\nThe strike will end on Friday.")
    spans = [Span(0, text.index("week.") + 5, text[: text.index("week.") + 5]),
             Span(text.index("The strike"), len(text), text[text.index("The strike"):])]
    dates, quantities = article_mentions(text, spans, "2024-03-18")
    assert all(text[e.start:e.end] == e.text for e in (*dates, *quantities))
    assert "March 16" in {e.text for e in dates} and "$3 million" in {e.text for e in quantities}
    for span in spans:
        read = sentence_mentions(sentence_text(span.text), "2024-03-18")
        assert span_mentions(span, dates, quantities) == read


def test_an_analysis_of_another_reading_or_day_is_read_again() -> None:
    name, articles = STORIES[0]
    stored = _stored(articles)
    article = articles[0]
    analysis = stored[article.id]
    assert analysis.mentions_of(article) is not None
    assert analysis.mentions_of(replace(article, published="2020-01-01")) is None
    # text that grew past the last stored sentence keeps every span valid: the length tells
    grown = replace(article, text=article.text + " The talks resume on 9 June.")
    assert analysis.mentions_of(grown) is None and not analysis.reads(grown)
    assert build_units([grown], [0], {grown.id: analysis}) == build_units([grown], [0])
    assert replace(analysis, mentions_version=0).mentions_of(article) is None  # stored before session 18
    moved = {**stored, article.id: replace(analysis, published="2020-01-01")}
    again = compose(articles, story_id=name, analyses=moved)
    assert again.to_json() == compose(articles, story_id=name).to_json()
