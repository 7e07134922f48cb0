"""The Atom feed of stories. Built with ElementTree, which escapes every text node and attribute."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from newsprism.publish.queries import BlindSpotRow, StoryRow
from newsprism.publish.render import Links

__all__ = ["atom_feed", "blindspots_feed"]

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(value: str | None) -> str:
    """RFC 3339 timestamp for Atom; a bare date becomes midnight UTC."""
    if value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return "1970-01-01T00:00:00Z"


def atom_feed(
    stories: Sequence[StoryRow],
    links: Links,
    title: str,
    *,
    self_href: str | None = None,
    notes: Mapping[str, str] | None = None,
    feed_id: str | None = None,
) -> bytes:
    """An Atom 1.0 document with one entry per story; `links.base` should be absolute for readers.

    `notes[story_id]` is a line added to that entry's summary (e.g. why it is a blind spot)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id or links.home()
    ET.SubElement(feed, f"{{{ATOM}}}link", href=links.home())
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_href or links.feed())
    newest = max((s.last_published or s.date or "" for s in stories), default="")
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(newest or None)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = title
    for story in stories:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = story.headline
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:newsprism:story:{story.id}"
        ET.SubElement(entry, f"{{{ATOM}}}link", href=links.story(story.id))
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(story.last_published or story.date)
        if story.first_published:
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _stamp(story.first_published)
        c = story.coverage
        summary = f"{story.lead}\n\nCoverage: {c.left} left, {c.center} center, {c.right} right."
        if notes and story.id in notes:
            summary += "\n" + notes[story.id]
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = summary
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def blindspots_feed(spots: Sequence[BlindSpotRow], links: Links, title: str) -> bytes:
    """The Atom feed of blind spots: each entry says which side covered the story and who missed it."""
    notes = {
        b.story.id: f"Blind spot: {round(b.share * 100)}% of the rated outlets covering it lean {b.side}; "
        f"{b.missed_by}-leaning readers may not see it."
        for b in spots
    }
    return atom_feed([b.story for b in spots], links, f"{title}: blind spots",
                     self_href=links.blindspots_feed(), notes=notes, feed_id=links.blindspots())
