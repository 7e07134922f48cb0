"""Relative dates resolved against the publication date (`newsprism.analyse.resolve_dates`), on sentences
from the demo seeds and MultiLing 2011 (CC BY), each dated by the line under its title."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from newsprism.analyse import DatedMention, publication_day, resolve_dates
from newsprism.forecasts import refers_to

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "demo" / "seeds"
MULTILING = ROOT / "data" / "multiling2011" / "sources"


def multiling(name: str, fragment: str) -> tuple[str, str]:
    """The sentence of MultiLing source `name` that contains `fragment`, and the day it was published."""
    lines = (MULTILING / f"{name}.txt").read_text("utf-8").splitlines()
    published = datetime.strptime(lines[2].strip(), "%A, %B %d, %Y").date().isoformat()
    body = " ".join(lines[3:])
    at = body.index(fragment)
    start = body.rfind(". ", 0, at) + 1  # 0 when the sentence opens the body
    end = body.find(". ", at) + 1 or len(body)
    return body[start:end].strip(), published


def seed(prefix: str, fragment: str) -> str:
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text("utf-8")
    assert fragment in text
    return fragment


def values(sentence: str, published: str | date | None, **kw: bool) -> list[str]:
    return [m.value for m in resolve_dates(sentence, published, **kw)]


def test_seed_sentences_resolve_weekdays_months_years_and_counts() -> None:
    # seed 002 is dated Thursday 2023-03-16: "on Thursday" is that day
    thursday = seed("002", "Yoon Suk Yeol on Thursday met with his Japanese counterpart")
    assert values(thursday, "2023-03-16") == ["2023-03-16"]
    assert values(thursday, "2023-03-17T09:00:00+09:00") == ["2023-03-16"]
    g7 = seed("000", "the upcoming G7 event that shall be held in Hiroshima in May this year")
    assert values(g7, "2023-03-16") == ["2023-05"]
    since = seed("000", "restore security dialogues that were suspended since 2018")
    assert resolve_dates(since, "2023-03-16") == [DatedMention("2018", len(since) - 4, len(since))]
    hiroshima = seed("004", "Two weeks from now, I will welcome President Yoon to Hiroshima")
    assert values(hiroshima, "2023-05-07") == ["2023-05-21"]
    assert values(seed("002", "by mid-2027, according to the Metaculus"), "2023-03-16") == ["2027"]


def test_multiling_sentences_resolve_against_their_publication_day() -> None:
    sentence, published = multiling("M0035", "Tomorrow's stage will take the race")
    assert published == "2007-07-21" and values(sentence, published) == ["2007-07-22"]
    sentence, published = multiling("M0012", "if they saw Hussain last Thursday")
    assert values(sentence, published)[-1] == "2005-07-07"  # published on a Thursday: the one before
    sentence, published = multiling("M0070", "made public in early 2004")
    assert values(sentence, published) == ["2004"]


def test_weekday_before_a_calendar_date_is_left_to_the_date() -> None:
    sentence, published = multiling("M0009", "in Bucharest on Sunday, January 23")
    mentions = resolve_dates(sentence, published)
    assert [m.value for m in mentions] == ["2005-01-23", "2004-12-26"]
    assert sentence[mentions[0].start : mentions[0].end] == "January 23"


def test_wording_decides_which_way_a_weekday_points() -> None:
    # published Wednesday 2007-12-12: "is expected to end on Friday" is the Friday to come
    sentence, published = multiling("M0044", "The Bali conference is expected to end on Friday")
    assert values(sentence, published) == ["2007-12-14"]
    assert values("The Bali conference ended on Friday.", published) == ["2007-12-07"]


def test_looking_ahead_moves_months_and_days_without_a_year_forward() -> None:
    deal = "The deal is expected to be signed in January"
    assert values(deal, "2023-03-16", ahead=True) == ["2024-01"]
    assert values(deal, "2023-03-16", ahead=False) == ["2023-01"]
    # nine days before publication, a day without a year stays in the past even read as looking ahead
    sentence, published = multiling("M0088", "to Paris on May 27, just days before")
    assert published == "2009-06-05"
    assert values(sentence, published, ahead=True) == ["2009-05-27"]
    assert values("The summit will be held on February 20.", "2023-03-16", ahead=True) == ["2023-02-20"]
    assert values("The summit will be held on January 20.", "2023-03-16", ahead=True) == ["2024-01-20"]
    # looking back, a day more than a month after publication is last year's
    assert values("The talks broke down on December 2.", "2023-03-16", ahead=False) == ["2022-12-02"]


def test_without_a_publication_date_only_absolute_mentions_resolve() -> None:
    sentence, _ = multiling("M0009", "in Bucharest on Sunday, January 23")
    assert values(sentence, None) == ["2004-12-26"]
    assert values("Talks resumed on Thursday, suspended since 2018.", "not a date") == ["2018"]
    assert publication_day("2023-03-16T10:00:00Z") == date(2023, 3, 16)
    assert publication_day("") is None and publication_day(None) is None


def test_refers_to_picks_the_most_precise_date_not_yet_past() -> None:
    sentence, published = multiling("M0009", "in Bucharest on Sunday, January 23")
    assert refers_to(sentence, date.fromisoformat(published)) == "2005-01-23"  # not the 2004 tsunami
    sentence, published = multiling("M0035", "Tomorrow's stage will take the race")
    assert refers_to(sentence, date.fromisoformat(published)) == "2007-07-22"
    assert refers_to("This may be true", date(2023, 3, 16)) is None  # "may" is not the month


@pytest.mark.parametrize("word, expected", [
    ("yesterday", "2023-03-15"), ("last night", "2023-03-15"), ("today", "2023-03-16"),
    ("next week", "2023-03"), ("last month", "2023-02"), ("next month", "2023-04"),
    ("by the end of the year", "2023"), ("next year", "2024"),
])
def test_relative_words(word: str, expected: str) -> None:
    assert values(f"Officials met {word} in Tokyo.", "2023-03-16") == [expected]
