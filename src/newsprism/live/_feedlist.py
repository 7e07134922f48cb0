"""Feed lists for the live loop: OPML files (the shipped `data/outlets.opml` by default) and bare URLs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from newsprism.errors import InputError
from newsprism.ingest import FeedSource

__all__ = ["DEFAULT_FEEDS", "default_feed_list", "read_feed_list"]

DEFAULT_FEEDS = "outlets.opml"
_URL = re.compile(r"^https?://", re.I)


def default_feed_list() -> Path:
    """The shipped OPML of English-language outlets' public feeds."""
    return Path(str(resources.files("newsprism.live").joinpath("data", DEFAULT_FEEDS)))


def opml_feeds(data: bytes, name: str = "OPML") -> list[FeedSource]:
    """The feeds of an OPML document, with the outline's title as the outlet."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        raise InputError(f"{name}: malformed OPML: {err}") from err
    feeds = [FeedSource(o.get("xmlUrl", ""), o.get("title") or o.get("text") or None)
             for o in root.iter("outline") if _URL.match(o.get("xmlUrl", ""))]
    if not feeds:
        raise InputError(f"{name}: OPML lists no feed URL (no outline with an http(s) xmlUrl)")
    return feeds


def read_feed_list(specs: Iterable[str]) -> list[FeedSource]:
    """Feeds from OPML files and feed URLs, in order, each URL once; none given: the shipped list."""
    specs = list(specs) or [str(default_feed_list())]
    feeds: list[FeedSource] = []
    for spec in specs:
        if _URL.match(spec):
            feeds.append(FeedSource(spec))
            continue
        path = Path(spec)
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(f"cannot read feed list {spec}: {err.strerror or err}") from err
        feeds.extend(opml_feeds(data, spec))
    unique: dict[str, FeedSource] = {}
    for feed in feeds:
        unique.setdefault(feed.url, feed)
    return list(unique.values())
