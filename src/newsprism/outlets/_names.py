"""Normal forms of outlet names and web hosts, so spellings of one outlet meet on one key."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

__all__ = ["clean_display_name", "host_candidates", "host_of", "looks_like_host", "name_key"]

# Rating tables and corpora label the same outlet "CNN (Web News)", "NPR Online News" or
# "New York Times - News"; the channel suffix says which desk, not which outlet.
_CHANNEL_SUFFIX = re.compile(
    r"\s*(\((online|web)( news)?\)|\(opinion\)|\(news\)|-\s*(news|opinion|editorial|online)|online news)\s*$",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Hosts carry technical prefixes that never distinguish outlets.
_HOST_PREFIX = re.compile(r"^(www\d?|amp|m|mobile)\.")
_HOST_LIKE = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(/.*)?$", re.IGNORECASE)


def clean_display_name(name: str) -> str:
    """`name` without a channel suffix ("CNN (Web News)" -> "CNN"), whitespace collapsed."""
    cleaned = " ".join(name.split())
    while True:
        shorter = _CHANNEL_SUFFIX.sub("", cleaned).strip()
        if shorter == cleaned or not shorter:
            return cleaned
        cleaned = shorter


def name_key(name: str) -> str:
    """Lookup key of a name: accents, case, punctuation, a leading "the" and channel suffixes dropped."""
    text = unicodedata.normalize("NFKD", clean_display_name(name)).encode("ascii", "ignore").decode()
    text = text.casefold().replace("&", " and ")
    words = _NON_WORD.sub(" ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def looks_like_host(text: str) -> bool:
    """True for "nytimes.com", "www.bbc.co.uk" or a URL, false for "The New York Times"."""
    text = text.strip()
    return "://" in text or (" " not in text and _HOST_LIKE.match(text) is not None)


def host_of(name_or_url: str) -> str | None:
    """The lower-cased host of a URL or bare domain without "www."-like prefixes; None for plain names."""
    text = name_or_url.strip()
    if not looks_like_host(text):
        return None
    host = urlsplit(text if "://" in text else "//" + text).hostname
    if not host:
        return None
    host = host.lower().rstrip(".")
    while True:
        stripped = _HOST_PREFIX.sub("", host)
        if stripped == host or "." not in stripped:
            return host
        host = stripped


def host_candidates(host: str) -> list[str]:
    """`host` and its parent domains, most specific first ("blogs.cnn.com", "cnn.com"); never a bare TLD."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]
