"""Opinion is not fact: which articles are opinion (op-ed, editorial, column, analysis), and which
sentences speak in the voice of opinion (a question to the reader, an imperative, second person,
first person outside quotes). Their sentences may feed narratives; they never state a story's facts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from newsprism.types import Article

__all__ = ["opinion_article", "voice_of"]

_KINDS = (
    r"op-?eds?|opinions?|editorials?|commentary|commentaries|columns?|columnists?|analysis|perspectives?|"
    r"viewpoints?|views|letters?(?: to the editor)?|guest (?:column|essay|opinion)|essay|the big read|blogs?"
)
_TITLE = re.compile(rf"^\s*(?:{_KINDS})\s*(?:[:|\-—–]|\s\|)", re.IGNORECASE)
_URL = re.compile(
    r"/(?:opinions?|op-?eds?|editorials?|commentary|columns?|columnists?|analysis|perspectives?|"
    r"letters|voices|comment|commentisfree|blogs/opinion|ideas)(?:/|$|-)", re.IGNORECASE
)
_FIELD_VALUE = re.compile(rf"^\s*(?:{_KINDS}|op-?ed piece|opinion piece)\s*$", re.IGNORECASE)
_FIELDS = (
    "opinionTag", "opinion_tag", "opinion", "type", "genre", "section", "category", "kind", "articleType"
)


def _field_reason(extra: Mapping[str, Any]) -> str | None:
    for key in _FIELDS:
        value = extra.get(key)
        if value is True and key in ("opinion",):
            return f"{key}: true"
        if isinstance(value, str) and _FIELD_VALUE.match(value):
            return f"{key}: {value.strip()}"
    return None


def opinion_article(article: Article) -> str | None:
    """Why `article` is opinion or analysis rather than reporting (title prefix, URL, a JSON field), or
    None for a news report."""
    if article.title and (match := _TITLE.match(article.title)):
        return f"title: {match.group().strip(' :|-—–')}"
    if article.url and _URL.search(article.url.split("?")[0]):
        return "url"
    return _field_reason(article.extra)


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]{12,}’")
_IMPERATIVE = re.compile(
    r"^(?:Imagine|Consider|Think|Remember|Look|Let's|Let us|Don't|Do not|Note|Take|Ask|Try|Stop|"
    r"Forget|Picture|Notice|Keep in mind|Make no mistake|Mind you|Beware|Believe|Admit|Face it|"
    r"Vote|Tell|Listen|Trust|Recall|Understand|Accept|Compare|Suppose)(?=[\s,])"
)
_SECOND = re.compile(r"\b(?:you|your|yours|yourself|yourselves|you're|you'll|you've|you'd|"
    r"ya)\b", re.IGNORECASE)
_FIRST = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|me|my|mine|myself|we|we're|we've|we'll|we'd|our|ours|"
    r"ourselves|us)\b")
_FIRST_START = re.compile(r"^(?:We|Our|My|Let us)\b")


def voice_of(text: str) -> str | None:
    """The opinion voice of a sentence outside its quotes: "question", "imperative", "second person",
    "first person"; None for a plain third-person statement."""
    text = " ".join(text.split())
    if text.rstrip("\"'”’) ").endswith("?"):
        return "question"
    bare = _QUOTED.sub(" ", text)
    if _IMPERATIVE.match(bare):
        return "imperative"
    if _SECOND.search(bare):
        return "second person"
    if _FIRST.search(bare) or _FIRST_START.match(bare):
        return "first person"
    return None
