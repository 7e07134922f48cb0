"""Dated events: date expressions in sentences resolved to absolute dates from the publication date.

Resolution rules (an article is read on its publication day):
- a calendar date ("March 16, 2023", "May 7") is taken as written; a missing year is the publication
  year, or the year before when that would put the date more than a month after publication;
- a weekday ("on Thursday") is the last such day on or before publication, or the next one after it when
  the sentence speaks of the future ("will", "next Thursday");
- "today", "yesterday", "tomorrow", "last night", "this week/month/year", "last week/month/year";
- a month ("in May this year", "last May", "in May") is `YYYY-MM` of the year it most plausibly means;
- a year ("since 2018", "in 2019", "the 1998 declaration") is `YYYY`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from newsprism.analyse import extract_dates

__all__ = ["DatedMention", "resolve_dates"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [name.lower() for name in calendar.month_name[1:]]
_WEEKDAY = re.compile(
    r"\b(?P<pre>on|last|this|next|since|until|by|from|early|late)?\s*"
    r"(?P<day>Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_RELATIVE = re.compile(
    r"\b(?P<word>today|yesterday|tomorrow|last night|this week|last week|next week|"
    r"this month|last month|next month|this year|last year|next year)\b",
    re.IGNORECASE,
)
_MONTH = re.compile(
    r"\b(?P<pre>in|last|next|this|since|until|by|early|late|mid-)\s*(?P<month>January|"
    r"February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+(?P<rel>this year|last year|next year))?\b(?!\s+\d)"
)
_YEAR = re.compile(
    r"\b(?P<pre>since|in|by|until|from|earlier in|later in|back in|the|of|during)\s+"
    r"(?P<year>(?:19|20)\d\d)\b(?![-–]\d)(?!\s*(?:kilomet|km|mile|people|percent|%))"
)
_FUTURE = re.compile(r"\b(will|shall|is to|are to|plans to|is scheduled|next)\b", re.IGNORECASE)


class DatedMention:
    """A date mention inside a sentence: `value` is ISO (day, month or year precision)."""

    __slots__ = ("end", "start", "value")

    def __init__(self, value: str, start: int, end: int) -> None:
        self.value, self.start, self.end = value, start, end

    def __repr__(self) -> str:
        return f"DatedMention({self.value!r}, {self.start}, {self.end})"


def _parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _month_year(month: int, pub: date, rel: str | None, pre: str | None) -> int:
    if rel == "last year":
        return pub.year - 1
    if rel == "next year":
        return pub.year + 1
    if rel == "this year":
        return pub.year
    if pre == "last":
        return pub.year if month < pub.month else pub.year - 1
    if pre == "next":
        return pub.year if month > pub.month else pub.year + 1
    return pub.year


def resolve_dates(sentence: str, published: str | None) -> list[DatedMention]:
    """Date mentions of `sentence` resolved against the publication date, in text order.

    Without a publication date only absolute mentions (full dates, years) are returned."""
    pub = _parse_published(published)
    found: list[DatedMention] = []
    taken: list[tuple[int, int]] = []

    def add(value: str, start: int, end: int) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(DatedMention(value, start, end))

    for entity in extract_dates(sentence):
        value = entity.value or ""
        if value.startswith("--"):  # no year in the text
            if pub is None:
                continue
            month, day = int(value[2:4]), int(value[5:7]) if len(value) > 5 else 1
            year = pub.year
            try:
                if date(year, month, day) > pub + timedelta(days=31):
                    year -= 1
            except ValueError:
                continue
            value = f"{year}{value[1:]}"
        if value:
            add(value, entity.start, entity.end)
    future = bool(_FUTURE.search(sentence))
    if pub is not None:
        for m in _MONTH.finditer(sentence):
            month = _MONTHS.index(m["month"].lower()) + 1
            if m["month"] == "May" and m["pre"] is None:
                continue
            year = _month_year(month, pub, m["rel"], m["pre"])
            add(f"{year}-{month:02d}", m.start("month"), m.end())
        for m in _WEEKDAY.finditer(sentence):
            target = _WEEKDAYS.index(m["day"].lower())
            back = (pub.weekday() - target) % 7
            if m["pre"] == "next" or (future and m["pre"] != "last"):
                when = pub + timedelta(days=(target - pub.weekday()) % 7 or 7)
            else:
                when = pub - timedelta(days=back + (7 if m["pre"] == "last" and back == 0 else 0))
            add(when.isoformat(), m.start("day"), m.end())
        for m in _RELATIVE.finditer(sentence):
            word = m["word"].lower()
            value = {
                "today": pub.isoformat(),
                "yesterday": (pub - timedelta(days=1)).isoformat(),
                "last night": (pub - timedelta(days=1)).isoformat(),
                "tomorrow": (pub + timedelta(days=1)).isoformat(),
                "this week": pub.isoformat()[:7],
                "last week": (pub - timedelta(days=7)).isoformat()[:7],
                "next week": (pub + timedelta(days=7)).isoformat()[:7],
                "this month": pub.isoformat()[:7],
                "last month": (pub.replace(day=1) - timedelta(days=1)).isoformat()[:7],
                "next month": (pub.replace(day=28) + timedelta(days=4)).isoformat()[:7],
                "this year": str(pub.year),
                "last year": str(pub.year - 1),
                "next year": str(pub.year + 1),
            }[word]
            add(value, m.start(), m.end())
    for m in _YEAR.finditer(sentence):
        add(m["year"], m.start("year"), m.end("year"))
    found.sort(key=lambda d: d.start)
    return found
