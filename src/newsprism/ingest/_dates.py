"""Dates written in scraped text ("Last updated Mar 16, 2023", "2005/01/08", "Saturday, January 8, 2005")."""

from __future__ import annotations

import re
from datetime import date, datetime

from dateutil import parser as date_parser

__all__ = ["DATE_PATTERN", "find_date", "iso_date"]

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
    if not 1800 < parsed.year <= date.today().year + 1:
        return None
    return parsed.date().isoformat()


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The first parseable date in `text`, as (ISO date, match)."""
    for match in DATE_PATTERN.finditer(text):
        found = iso_date(match.group(0))
        if found:
            return found, match
    return None
