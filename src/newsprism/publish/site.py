"""The static site: the live site's pages written as files with relative links, from the same templates.

Works from `file://` and any static host: every link is relative and ends in `.html`, and the pages
that need a server (search, preferences) are left out, with their links.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from newsprism.publish.feed import atom_feed, blindspots_feed
from newsprism.publish.pages import (
    render_archive,
    render_blindspots,
    render_day,
    render_forecasts,
    render_front,
    render_outlet,
    render_outlets,
    render_section,
    render_story,
    render_storyline,
)
from newsprism.publish.prefs import Prefs
from newsprism.publish.queries import Reader
from newsprism.publish.render import STATIC_DIR, Links, static_name
from newsprism.sections import SECTIONS, slug

__all__ = ["SiteReport", "export_site"]


@dataclass(frozen=True)
class SiteReport:
    out: Path
    pages: int
    stories: int


def export_site(reader: Reader, out: Path, site_title: str = "newsprism", base_url: str = "") -> SiteReport:
    """Writes the site under `out` (created if needed); returns what was written."""
    out.mkdir(parents=True, exist_ok=True)
    top, nested = Links(static_site=True, depth=0), Links(static_site=True, depth=1)
    pages = 0

    def write(rel: str, body: str) -> None:
        nonlocal pages
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, "utf-8")
        pages += 1

    write("index.html", render_front(reader, top, site_title))
    write("outlets.html", render_outlets(reader, top, site_title))
    write("blindspots.html", render_blindspots(reader, top, site_title))
    write("forecasts.html", render_forecasts(reader, top, site_title))
    write("archive.html", render_archive(reader, top, site_title))
    for day, _ in reader.days():
        view = reader.day(day)
        if view is not None and view.stories:
            write(f"day/{static_name(day)}.html", render_day(reader, view, nested, site_title))
    rows = reader.stories()
    for row in rows:
        story = reader.story(row.id)
        if story is not None:
            body = render_story(reader, story, nested, site_title, Prefs())
            write(f"story/{static_name(row.id)}.html", body)
    for storyline_id in dict.fromkeys(r.storyline for r in rows if r.storyline):
        thread = render_storyline(reader, storyline_id, nested, site_title)
        if thread is not None:
            write(f"storyline/{static_name(storyline_id)}.html", thread)
    for outlet in reader.outlets():
        write(f"outlet/{static_name(outlet.slug)}.html", render_outlet(reader, outlet, nested, site_title))
    # Feed readers need absolute links; without a base URL the entries point at the relative pages.
    feed_links = Links(static_site=not base_url, base=base_url)
    (out / "feed.xml").write_bytes(atom_feed(rows[:50], feed_links, site_title))
    # a page and an Atom feed per section that has stories (the feed sits two folders down)
    counts = reader.section_counts()
    for name in SECTIONS:
        if not counts.get(name):
            continue
        write(f"section/{static_name(slug(name))}.html", render_section(reader, name, nested, site_title))
        section_links = Links(static_site=not base_url, depth=2, base=base_url)
        feed = out / "section" / static_name(slug(name)) / "feed.xml"
        feed.parent.mkdir(parents=True, exist_ok=True)
        feed.write_bytes(atom_feed(reader.section_stories(name, limit=50), section_links,
                                   f"{site_title}: {name}", self_href=section_links.section_feed(slug(name)),
                                   feed_id=f"urn:newsprism:section:{slug(name)}"))
    (out / "blindspots.xml").write_bytes(blindspots_feed(reader.blind_spots(), feed_links, site_title))
    shutil.copytree(STATIC_DIR, out / "static", dirs_exist_ok=True, ignore=shutil.ignore_patterns("vendor"))
    return SiteReport(out=out, pages=pages, stories=len(rows))
