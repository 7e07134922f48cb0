"""Forecasts: importers on recorded-shape samples, idempotent upserts, sentences, claims to watch."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import newsprism.forecasts as forecasts
from newsprism.cli import main
from newsprism.errors import InputError
from newsprism.forecasts import (
    Question,
    claims_to_watch,
    forecast_sentence,
    link_forecasts,
    link_story_forecasts,
    load_questions,
    read_listing,
    refers_to,
    statement,
    upsert_questions,
)
from newsprism.store import Store
from newsprism.types import Article, Story

SAMPLES = Path(__file__).parent / "data" / "forecasts"
ROOT = Path(__file__).parent.parent
NOW = datetime(2026, 11, 22, tzinfo=UTC)


def all_questions() -> list[Question]:
    return [q for f in sorted(SAMPLES.glob("*.json")) for q in read_listing(f, now=NOW).questions]


def test_all_is_exported() -> None:
    for name in forecasts.__all__:
        assert hasattr(forecasts, name), name


@pytest.mark.parametrize(
    ("name", "platform", "count"),
    [
        ("metaculus_posts.json", "metaculus", 8),
        ("metaculus_api2_questions.json", "metaculus", 5),
        ("manifold_markets.json", "manifold", 13),
        ("polymarket_markets.json", "polymarket", 8),
    ],
)
def test_importers_read_each_sample(name: str, platform: str, count: int) -> None:
    data = json.loads((SAMPLES / name).read_text("utf-8"))
    assert forecasts.detect_platform(data) == platform
    result = read_listing(SAMPLES / name, now=NOW)
    assert len(result.questions) == count
    assert all(q.platform == platform and q.id.startswith(platform + ":") for q in result.questions)
    assert all(q.url and q.url.startswith("https://") for q in result.questions)


def test_metaculus_new_shape_reads_aggregations_and_history() -> None:
    questions = {q.id: q for q in read_listing(SAMPLES / "metaculus_posts.json").questions}
    tomahawk = questions["metaculus:14265"]
    assert tomahawk.probability == pytest.approx(0.72)
    assert tomahawk.is_open and tomahawk.as_of == "2026-11-20"
    assert [p.probability for p in tomahawk.history] == [0.61, 0.68, 0.72]
    assert tomahawk.resolution_date == "2027-07-01T00:00:00Z"
    assert tomahawk.url == "https://www.metaculus.com/questions/14265/"
    assert questions["metaculus:3479"].summary == "median 2064-01-01"  # date question on its real axis
    assert questions["metaculus:20772"].probability is None
    # the notebook post has no question: a rejection value, not an exception
    rejections = read_listing(SAMPLES / "metaculus_posts.json").rejections
    assert [r.source for r in rejections] == ["metaculus:30001"]


def test_metaculus_legacy_shape_reads_community_prediction() -> None:
    haiti = read_listing(SAMPLES / "metaculus_api2_questions.json").questions[0]
    assert haiti.probability == pytest.approx(0.81)
    assert haiti.status == "closed" and haiti.resolution == "1.0"
    assert [p.at[:10] for p in haiti.history] == ["2010-01-15", "2010-01-25", "2010-02-09"]
    assert haiti.url and haiti.url.startswith("https://www.metaculus.com/questions/3721/")


def test_manifold_and_polymarket_fields() -> None:
    manifold = {q.id: q for q in read_listing(SAMPLES / "manifold_markets.json", now=NOW).questions}
    bitcoin = manifold["manifold:a3k1RgxAVYiAU1qeA5Su"]
    assert bitcoin.status == "closed" and bitcoin.resolution == "NO"
    assert bitcoin.resolution_date == "2024-02-01T22:59:00Z"  # closeTime in epoch milliseconds
    assert (
        manifold["manifold:SeoulLocal2027mc"].summary
        == "Democratic Party 58%, People Power Party 39%, Other 3%"
    )
    poly = {q.id: q for q in read_listing(SAMPLES / "polymarket_markets.json").questions}
    ethiopia = poly["polymarket:2063134"]  # gamma shape: outcomePrices is a JSON string
    assert ethiopia.probability == pytest.approx(0.01) and ethiopia.is_open
    assert (
        ethiopia.url
        == "https://polymarket.com/market/will-a-new-prime-minister-of-ethiopia-take-office-after-the-2026-election"
    )
    assert poly["polymarket:40"].status == "closed"
    assert (
        poly["polymarket:561200"].probability is None and poly["polymarket:561200"].kind == "multiple_choice"
    )


def test_unknown_shape_and_bad_file_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        forecasts.parse_listing([{"foo": 1}])
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(InputError):
        read_listing(bad)


def test_upserts_are_idempotent_and_merge_history() -> None:
    questions = all_questions()
    with Store() as store:
        assert upsert_questions(store, questions) == len(questions)
        assert upsert_questions(store, questions) == 0  # the same data again changes nothing
        assert len(load_questions(store)) == len(questions)
        ethiopia = next(q for q in questions if q.id == "polymarket:2063134")
        later = replace(
            ethiopia,
            updated="2026-11-21T00:00:00Z",
            probability=0.02,
            history=(forecasts.ProbabilityPoint("2026-11-21T00:00:00Z", 0.02),),
        )
        assert upsert_questions(store, [later]) == 1
        stored = next(q for q in load_questions(store) if q.id == ethiopia.id)
        assert [p.probability for p in stored.history] == [0.01, 0.02]  # listings build up a history
        assert stored.probability == 0.02
        assert upsert_questions(store, [ethiopia]) == 0  # an older copy does not win
        assert forecasts.latest_updated(store, "polymarket") == "2026-11-21T10:00:00Z"


def test_sentences_follow_the_seed_style() -> None:
    tomahawk = next(q for q in all_questions() if q.id == "metaculus:14265")
    assert forecast_sentence(tomahawk) == (
        "There's a 72% chance that the Japan Self-Defense Forces will have tested a Tomahawk cruise missile "
        "by mid-2027, according to the Metaculus prediction community (probability as of 2026-11-20)."
    )
    # "before <deadline>" reads as the future perfect with the deadline the day before it ends
    assert statement("Will North Korea conduct a nuclear test before 2027?") == (
        "North Korea will have conducted a nuclear test by the end of 2026"
    )
    assert statement("Will North Korea launch an ICBM before July 2023?") == (
        "North Korea will have launched an ICBM by the end of June 2023"
    )
    assert statement("Will the Pentagon release further photos by 2010?") == (
        "the Pentagon will have released further photos by 2010"
    )
    # a state on a date, or a deadline-free event, keeps the plain future
    assert statement("Will Fumio Kishida be Prime Minister of Japan on January 1, 2025?") == (
        "Fumio Kishida will be Prime Minister of Japan on January 1, 2025"
    )
    assert statement("Will Charles Graner be released from military prison before 2012?") == (
        "Charles Graner will be released from military prison before 2012"
    )
    assert statement("Will Alberto Contador win the 2007 Tour de France?") == (
        "Alberto Contador will win the 2007 Tour de France"
    )
    haiti = next(q for q in all_questions() if q.id == "metaculus:3721")
    assert forecast_sentence(haiti).startswith(
        "The Metaculus prediction community gave an 81% chance that the"
    )


def seed_article(name: str, published: str) -> Article:
    raw = (ROOT / "data" / "demo" / "seeds" / name).read_text("utf-8")
    title, _, body = raw.partition("\n")
    text = "\n\n".join(p.strip() for p in body.split("\n") if p.strip())
    return Article(id=name[:3], title=title.strip(), text=text, published=published, outlet="seed")


def test_claims_to_watch_finds_the_g7_invitation_in_seed_000() -> None:
    article = seed_article("000_c0e5fdfcdfc52de7.txt", "2023-03-16")
    claims = claims_to_watch([article])
    g7 = [c for c in claims if "G7" in c.text]
    assert len(g7) == 1
    assert g7[0].refers_to == "2023-05"
    assert "it is speculated that Japanese leadership may invite the South Korean president" in g7[0].text
    evidence = g7[0].evidence
    assert article.text[evidence.start : evidence.end] == evidence.text == g7[0].text
    assert evidence.article == "000"
    # opinion without a time ("will nurture trust") is not something to check later
    assert not any("nurture trust" in c.text for c in claims)


def test_claims_to_watch_resolves_relative_dates() -> None:
    article = seed_article("004_2b1bcd757c7649fc.txt", "2023-05-07")
    claims = claims_to_watch([article])
    hiroshima = next(c for c in claims if "Hiroshima" in c.text)
    assert hiroshima.refers_to == "2023-05-21"  # "two weeks from now"
    assert not any(c.refers_to == "2023-05-07" for c in claims)  # the publication day is reporting
    published = datetime(2023, 3, 16).date()
    assert refers_to("The deal is expected to be signed in January", published) == "2024-01"
    assert refers_to("Elections will be held next year", published) == "2024"
    assert refers_to("The summit will be held on June 3, 2025", published) == "2025-06-03"
    assert refers_to("Officials may resign", published) is None


def test_claims_to_watch_skips_reporting_of_past_days_in_multiling() -> None:
    from newsprism.evaluation.datasets import load_multiling

    claims = [c for a in load_multiling().articles for c in claims_to_watch([a], limit=20)]
    texts = [c.text for c in claims]
    # past days next to a future word elsewhere in the sentence are reporting, not claims
    assert not any(t.startswith("Earlier this week the British government") for t in texts)
    assert not any(t.startswith("On Tuesday Prime Minister") for t in texts)
    assert not any("on May 4, the search was extended" in t for t in texts)  # "May 4" is no verb
    # while real claims about named days stay, with the day they name
    def when(opening: str) -> str | None:
        return next(c.refers_to for c in claims if c.text.startswith(opening))

    assert when("Several prominent Romanian artists") == "2005-01-23"
    assert when("Tomorrow's stage will take the race") == "2007-07-22"
    assert when("According to CNN, a vessel from the Brazilian navy") == "2009-06-03"


def test_linking_shows_open_relevant_questions_only() -> None:
    story = Story(
        id="s1",
        headline="Japan to buy Tomahawk cruise missiles as North Korea tests missiles",
        date="2026-11-21",
        facts=(),
        narratives=(),
        quotes=(),
        disagreements=(),
        timeline=(),
        articles=(),
        lead="Japan's Self-Defense Forces will receive Tomahawk missiles; North Korea conducted a missile "
        "test and may prepare a nuclear test, Japan and South Korea said.",
    )
    shown = link_forecasts(story, all_questions())
    assert shown and shown[0].question.startswith("Will the Japan Self-Defense Forces test a Tomahawk")
    assert shown[0].sentence.startswith("There's a 72% chance") and shown[0].platform == "metaculus"
    assert all(f.relevance >= 0.48 for f in shown)
    unrelated = replace(
        story, headline="Bake-off final: the judges pick a lemon tart", lead="A lemon tart won."
    )
    assert link_forecasts(unrelated, all_questions()) == ()


def test_link_story_forecasts_reads_story_and_questions_from_the_store() -> None:
    story = Story(
        id="st1",
        headline="North Korea nuclear test fears grow",
        date="2026-11-21",
        facts=(),
        narratives=(),
        quotes=(),
        disagreements=(),
        timeline=(),
        articles=(),
        lead="North Korea may conduct a nuclear test soon, South Korea warned.",
    )
    with Store() as store:
        upsert_questions(store, all_questions())
        with store.transaction() as db:
            db.execute(
                "INSERT INTO stories (id, composed) VALUES (?, ?)", (story.id, json.dumps(story.to_json()))
            )
        linked = link_story_forecasts(store, "st1")
    assert [f.question for f in linked][:1] == ["Will North Korea conduct a nuclear test before 2027?"]
    assert linked[0].as_of == "2026-11-18" and linked[0].url == "https://www.metaculus.com/questions/7410/"


def test_cli_import_list_and_eval(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "f.db")
    result = runner.invoke(main, ["forecasts", "import", str(SAMPLES / "manifold_markets.json"), "--db", db])
    assert result.exit_code == 0, result.output
    assert "read 13 questions" in result.output and "13 new or changed" in result.output
    again = runner.invoke(main, ["forecasts", "import", str(SAMPLES / "manifold_markets.json"), "--db", db])
    assert "0 new or changed" in again.output
    listed = runner.invoke(main, ["forecasts", "list", "--all", "--json", "--db", db])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert len(rows) == 13 and {r["platform"] for r in rows} == {"manifold"}
    bad = runner.invoke(main, ["forecasts", "import", str(SAMPLES / "links.jsonl"), "--db", db])
    assert bad.exit_code != 0
    for command in (["forecasts", "--help"], ["eval", "forecasts", "--help"]):
        help_text = runner.invoke(main, command).output
        assert "Usage" in help_text and len(help_text) > 100  # every command is documented


def test_link_thresholds_are_a_versioned_artifact() -> None:
    # learned parameters live in forecasts/models/, with where they were fitted, not as literals in code
    from importlib import resources

    from newsprism.forecasts._link import EMBEDDED_THRESHOLD, THRESHOLD, load_link_thresholds

    data = json.loads(resources.files("newsprism.forecasts").joinpath("models", "link.v1.json").read_text())
    assert (THRESHOLD, EMBEDDED_THRESHOLD) == load_link_thresholds("link.v1") == (
        data["lexical_threshold"], data["embedded_threshold"])
    assert 0 < THRESHOLD < 1 and 0 < EMBEDDED_THRESHOLD < 1
    assert {"data", "fit"} <= set(data["provenance"])
