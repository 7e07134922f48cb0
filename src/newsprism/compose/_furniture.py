"""Page furniture that can reach an article's text whatever the input format: captions and photo credits,
archive notices, links to other stories, share/subscribe prompts, bylines, editor's notes, corrections
and copyright lines. None of it is ever a fact or a narrative; the raw-text cleaner (ingest/clean.py)
removes most of it first, this is the composer's own check on every sentence it reads."""

from __future__ import annotations

import re

__all__ = ["fragment_reason", "furniture_reason", "lowercase_share"]

_I = re.IGNORECASE
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("caption", re.compile(
        r"^(?:Image|Photo|Picture|Video|Media|Graphic|Gallery|Slideshow)(?: copyright| caption| credits?|"
        r" source)?\s*[:|©]|\bImage (?:copyright|caption)\b|^CLOSE\b|^(?:Photo|Video|Watch|Listen|"
        r"Graphic)\s*[:|]|"
        r"\((?:Photo|Image|Picture)s?(?::| by| credit)|\bPhoto(?:graph)?: |\bCredit: |"
        r"\b(?:AP|AFP|Getty|Reuters|EPA|Shutterstock|Bloomberg|Xinhua|Anadolu)(?:/[\w ]+)? (?:Photo|"
        r"Images?)\b|"
        r"\bGetty Images\b|\bvia Getty\b|\(AP Photo|/ ?(?:AP|AFP|Reuters|Getty)\b|\bFile photo\b", _I)),
    ("archive notice", re.compile(
        r"crawls are part of an effort to archive|\bWayback Machine\b|\barchive\.org\b|"
        r"\barchived (?:copy|page|version)\b", _I)),
    ("link", re.compile(
        r"\((?:Also on|Also read|Read more|Read also|Related|See also|More on|More from|READ|"
        r"RELATED|WATCH)\b|"
        r"^(?:Read more|Read also|Also read|Related(?: stories| articles| coverage)?|See also|More:|"
        r"READ MORE|RELATED|Recommended|Most read|Most popular|Trending|Top stories|Next up|Up next|"
        r"Continue reading|Story continues|Click here|More stories)\b|\bclick here\b|\btap here\b|"
        r"\bStory continues below\b|^Advertisement\b|^Sponsored\b|https?://|\bwww\.\w", _I)),
    ("prompt", re.compile(
        r"^(?:Leave a comment|Get (?:VIP|unlimited|full|digital) access|Sign up|Subscribe|Follow us|"
        r"Follow @|Share this|Share on|Like us|Download (?:the|our)|"
        r"Get (?:the|our) (?:\w+ )?(?:app|newsletter)|Join (?:us|our)|Listen to (?:this|"
        r"the) (?:article|podcast)|"
        r"Support (?:our|independent)|Thank you for (?:reading|subscribing)|Have a (?:news )?tip)\b|"
        r"\bsign up (?:for|to) (?:our|the) \w*\s*newsletter\b|\bsubscribe (?:to|for) (?:our|the)\b|"
        r"\bfollow (?:us|him|her|them|\w+) on (?:Twitter|Facebook|Instagram)\b|\bmin read\b|"
        r"\bnewsletter\b.*\b(?:inbox|sign up|subscribe)\b|\bShare this (?:item|article|story)\b|"
        r"\bfor (?:just|only) [$£€]\d+(?:\.\d+)?\s?(?:/|a |per )\s?(?:month|week|year)\b", _I)),
    ("editor's note", re.compile(
        r"^(?:Editor'?s'? notes?|Editors' note|Note to readers|Correction|Clarification|Updated?|"
        r"UPDATE)\b\s*[:—\-(]|"
        r"\bThis (?:article|story|post|report) (?:has been|was|is being) (?:updated|corrected|"
        r"amended|edited)\b|"
        r"\ban earlier version of this (?:article|story|report)\b|"
        r"\bcontributed (?:reporting )?to this (?:report|story|article)\b|"
        r"^(?:Reporting|Additional reporting|Writing|Editing|Compiled) by\b|"
        r"^(?:By|Written by|Posted by|Published by)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*(?:[,|]|$)|"
        r"^(?:Published|Posted|Last updated|Updated|First published)\s*(?:on|at)?\s*:?\s*"
        r"(?:\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)", _I)),
    ("copyright", re.compile(
        r"\bAll rights reserved\b|©|^Copyright\b|\bmay not be published, broadcast, rewritten\b|"
        r"\bThe views expressed\b.*\b(?:author|own)\b", _I)),
)


def furniture_reason(text: str) -> str | None:
    """Why the sentence `text` is page furniture ("caption", "link", "prompt", ...), or None."""
    text = " ".join(text.split())
    for reason, pattern in _RULES:
        if pattern.search(text):
            return reason
    return None


# Raw page text runs blocks together ("Our PartnersSports Betting", "does it do?Getty Images The ...") and
# keeps menus, link lists and byline-plus-time-stamp lines whole: text with the shape of a page, not of
# a sentence. These are structural tests, so they hold whatever the words.
_GLUED = re.compile(r"[a-z]{2}[A-Z][a-z]|[a-z]{2}[.?!:][A-Z][a-z]")
_MARKUP = re.compile(r"[A-Za-z]_[A-Za-z]|[{}<>]|\\[a-z]")
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s?(?:[ap]\.?m\b\.?|GMT|UTC|BST|[ECP][SD]T)", _I)
_MONTH_YEAR = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b|"
    r"\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4}\b")
_ALPHA = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# in a MultiLing or AP sentence heavy with names ("President Joe Biden and Prime Minister Fumio Kishida
# met in Tokyo on Monday.") about a quarter of the words start in lower case; menus and link lists
# ("Tim Rice January 11, 2023 Biden Administration WATCH: Joe Biden's Senior Moment of the Week") far fewer
_MIN_LOWER = 0.2


def lowercase_share(text: str) -> float:
    """Share of the words of `text` that start in lower case (prose is mostly lower-case words)."""
    words = _ALPHA.findall(text)
    return sum(1 for w in words if w[0].islower()) / len(words) if words else 0.0


def fragment_reason(text: str) -> str | None:
    """Why `text` is not a sentence but a piece of page ("run-together blocks", "markup", "time stamp",
    "menu"), or None."""
    text = " ".join(text.split())
    if len(_GLUED.findall(text)) >= 2:
        return "run-together blocks"
    if _MARKUP.search(text):
        return "markup"
    if _TIME.search(text) and _MONTH_YEAR.search(text):
        return "time stamp"
    if len(_ALPHA.findall(text)) >= 8 and lowercase_share(text) < _MIN_LOWER:
        return "menu"
    return None
