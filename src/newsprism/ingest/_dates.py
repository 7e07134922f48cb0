"""Dates written in scraped text ("Last updated Mar 16, 2023", "2005/01/08", "Saturday, January 8, 2005")."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from dateutil import parser as date_parser

__all__ = ["DATE_PATTERN", "EARLIEST", "date_problem", "find_date", "iso_date", "latest"]

# A publication date outside [EARLIEST, today + 2 days] is a broken feed or a typo ("9999-12-31", "3024"),
# not news: it is dropped (the article is kept undated, with the reason) so no later stage meets it.
EARLIEST = date(1990, 1, 1)
_AHEAD_DAYS = 2


def latest() -> date:
    """The last day a publication date may fall on: today (UTC) plus two days of time-zone slack."""
    return datetime.now(UTC).date() + timedelta(days=_AHEAD_DAYS)


def date_problem(iso: str) -> str | None:
    """Why the ISO date/datetime `iso` is not a believable publication date, or None when it is."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return f"published date {iso!r} is not a calendar date"
    if day < EARLIEST:
        return f"published date {iso} is before {EARLIEST.isoformat()}"
    if day > latest():
        return f"published date {iso} is in the future (after {latest().isoformat()})"
    return None

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
DATE_PATTERN = re.compile(
    _WEEKDAY + r"(?:"
    + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    + r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+\d{4}"
    + r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    + r"|\d{1,2}/\d{1,2}/\d{4}"
    + r")",
    re.IGNORECASE,
)


def iso_date(text: str) -> str | None:
    """`YYYY-MM-DD` for one date expression, or None when it is not a real date."""
    try:
        parsed = date_parser.parse(text, fuzzy=True, default=datetime(1900, 1, 1))
    except (ValueError, OverflowError):
        return None
    if not EARLIEST.year <= parsed.year <= latest().year:
        return None
    return parsed.date().isoformat()


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The first parseable date in `text`, as (ISO date, match)."""
    for match in DATE_PATTERN.finditer(text):
        found = iso_date(match.group(0))
        if found:
            return found, match
    return None
