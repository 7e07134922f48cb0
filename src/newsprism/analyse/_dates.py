"""Date mentions of a sentence resolved to absolute dates from the article's publication date.

Resolution rules (a sentence is read on its publication day; it *looks ahead* when it speaks of what is
to come, which the caller says or else its wording shows: "will", "is to", "is expected to", "next", …):
1. a calendar date ("March 16, 2023", "May 2023", "2023-03-16") is taken as written (`extract_dates`);
   a day without a year ("May 7") is in the publication year, or the year before (after) when that
   would put it more than a month after (before) publication in a sentence looking back (ahead);
2. a month ("in May this year", "last May", "in May") is `YYYY-MM` of the year it most plausibly means:
   the one named, the last or next occurrence, else the publication year, or looking ahead its next
   occurrence on or after the publication month;
3. a weekday ("on Thursday") is the last such day on or before publication, or the next one after it
   when the sentence's own wording speaks of the future ("will", "is to", "next Thursday"): a
   forward-looking claim often reports what someone said on a past weekday; a weekday followed by a
   calendar date ("Sunday, January 23") is left to the date;
4. "today", "yesterday", "tomorrow", "last night", "this/last/next week", "this/last/next month",
   "this/last/next year", "(by) the end of the year"; a count of days, weeks or months "from now" or
   "… time" ("two weeks from now"), and looking ahead also "… later";
5. a year ("since 2018", "in 2019", "by 2025", "mid-2024", "the 1998 declaration") is `YYYY`.
Without a publication date only absolute mentions (calendar dates with a year, years) are resolved.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from newsprism.analyse._entities import extract_dates

__all__ = ["DatedMention", "publication_day", "resolve_dates"]

_WEEKDAYS = [name.lower() for name in calendar.day_name]
_MONTHS = [name.lower() for name in calendar.month_name[1:]]
_WEEKDAY = re.compile(
    r"\b(?P<pre>on|last|this|next|since|until|by|from|early|late)?\s*"
    r"(?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_RELATIVE = re.compile(
    r"\b(?P<word>today|yesterday|tomorrow|last night|this week|last week|next week|"
    r"this month|last month|next month|this year|last year|next year|end of the year)\b",
    re.IGNORECASE,
)
# Month names are matched capitalised and after a preposition: "this may be" and "may" the verb are not
# months. A month followed by a day number is a calendar date, rule 1.
_MONTH = re.compile(
    r"\b(?P<pre>in|on|last|next|this|since|until|by|before|early|late|mid-)\s*(?P<month>January|"
    r"February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+(?P<rel>this year|last year|next year))?\b(?!\s+\d)"
)
_COUNT = re.compile(
    r"\b(?P<n>one|two|three|four|five|six|a|an|\d+)\s+(?P<unit>day|week|month)s?['’]?\s+"
    r"(?P<from>from now|time|later)\b",
    re.IGNORECASE,
)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a": 1, "an": 1}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30}
_YEAR = re.compile(
    r"\b(?:(?:since|in|by|until|from|before|earlier in|later in|back in|the|of|during|early|late|"
    r"end of)\s+|mid-\s*)"
    r"(?P<year>(?:19|20)\d\d)\b(?![-–]\d)(?!\s*(?:kilomet|km|mile|people|percent|%))"
)
_DATE_AFTER = re.compile(r",?\s*")
_AHEAD = re.compile(
    r"\b(will|shall|is to|are to|plans to|is scheduled|next|(?:is|are) (?:expected|due|set|likely) to)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DatedMention:
    """A date mention inside a sentence: `value` is ISO (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`);
    `start`/`end` index the sentence."""

    value: str
    start: int
    end: int


def publication_day(published: date | str | None) -> date | None:
    """The day of an ISO `published` timestamp (`Article.published`), or None if absent or unreadable."""
    try:
        day = published if published is None or isinstance(published, date) else (
            date.fromisoformat(published[:10]) if published else None)
    except (ValueError, TypeError):
        return None
    # far from the calendar's ends, so every offset `resolve_dates` takes from it stays a date
    return day if day is None or _FIRST_YEAR <= day.year <= _LAST_YEAR else None


_FIRST_YEAR, _LAST_YEAR = 1000, 9000


def _month_year(month: int, pub: date, rel: str | None, pre: str | None, ahead: bool) -> int:
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
    if ahead:
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year


def _relative(word: str, pub: date) -> str:
    return {
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
        "end of the year": str(pub.year),
        "last year": str(pub.year - 1),
        "next year": str(pub.year + 1),
    }[word]


def resolve_dates(
    sentence: str, published: date | str | None, *, ahead: bool | None = None
) -> list[DatedMention]:
    """Date mentions of `sentence` resolved against the publication date (rules in the module docstring),
    in text order, overlapping mentions dropped. `ahead` says whether the sentence speaks of what is to
    come (rules 1, 2 and 4); None guesses it from its wording, which alone decides weekdays (rule 3)."""
    pub = publication_day(published)
    future = bool(_AHEAD.search(sentence))
    if ahead is None:
        ahead = future
    found: list[DatedMention] = []

    def add(value: str, start: int, end: int) -> None:
        if not any(d.start < end and start < d.end for d in found):
            found.append(DatedMention(value, start, end))

    dates = extract_dates(sentence)
    written = [entity.start for entity in dates]
    for entity in dates:
        value = entity.value or ""
        if value.startswith("--"):  # no year in the text
            if pub is None:
                continue
            month, day = int(value[2:4]), int(value[5:7])
            year = pub.year
            try:
                if ahead and date(year, month, day) < pub - timedelta(days=31):
                    year += 1
                elif not ahead and date(year, month, day) > pub + timedelta(days=31):
                    year -= 1
            except ValueError:  # "February 30"
                continue
            value = f"{year}{value[1:]}"
        if value:
            add(value, entity.start, entity.end)
    if pub is not None:
        for m in _MONTH.finditer(sentence):
            month = _MONTHS.index(m["month"].lower()) + 1
            year = _month_year(month, pub, m["rel"], m["pre"], ahead)
            add(f"{year}-{month:02d}", m.start("month"), m.end())
        for m in _WEEKDAY.finditer(sentence):
            if any(_DATE_AFTER.fullmatch(sentence, m.end(), s) for s in written):
                continue  # "Sunday, January 23": the calendar date says which Sunday
            target = _WEEKDAYS.index(m["day"].lower())
            back = (pub.weekday() - target) % 7
            if m["pre"] == "next" or (future and m["pre"] != "last"):
                when = pub + timedelta(days=(target - pub.weekday()) % 7 or 7)
            else:
                when = pub - timedelta(days=back + (7 if m["pre"] == "last" and back == 0 else 0))
            add(when.isoformat(), m.start("day"), m.end())
        for m in _RELATIVE.finditer(sentence):
            add(_relative(m["word"].lower(), pub), m.start(), m.end())
        for m in _COUNT.finditer(sentence):
            # "two weeks later" counts from publication only in a sentence about what is to come; in a
            # narration it counts from the event just told
            if m["from"].lower() == "later" and not ahead:
                continue
            n = m["n"].lower()
            days = (int(n) if n.isdigit() else _NUMBERS[n]) * _UNIT_DAYS[m["unit"].lower()]
            try:
                add((pub + timedelta(days=days)).isoformat(), m.start(), m.end())
            except OverflowError:  # "9999999 years later": past the calendar, no date to give
                continue
    for m in _YEAR.finditer(sentence):
        add(m["year"], m.start("year"), m.end("year"))
    found.sort(key=lambda d: d.start)
    return found
