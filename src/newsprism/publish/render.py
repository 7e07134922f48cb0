"""The Jinja2 environment and the link builders shared by the live site, the static site and the digest.

Templates never build URLs themselves: a `Links` object does, so the same template renders absolute
paths for the server and relative file links for the static export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from hashlib import sha1
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup, escape

from newsprism.publish.queries import HIGHLIGHT_END, HIGHLIGHT_START
from newsprism.sections import slug

__all__ = ["STATIC_DIR", "Links", "asset_fingerprint", "environment", "human_date", "safe_url"]

STATIC_DIR = Path(__file__).parent / "static"


@lru_cache(maxsize=64)
def asset_fingerprint(path: str) -> str:
    """A short hash of a static file's bytes: the live site links `/v/<hash>/static/x`, so the file can
    be cached for a year and a changed file gets a new URL."""
    try:
        return sha1((STATIC_DIR / path).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


@dataclass(frozen=True)
class Links:
    """URLs of every page. `depth` is how many folders deep the current static page sits."""

    static_site: bool = False
    depth: int = 0
    base: str = ""  # absolute origin for links that leave the site (feed, email), e.g. http://host:8000

    def _page(self, *parts: str) -> str:
        if not self.static_site:
            return self.base + "/" + "/".join(quote(p, safe="") for p in parts)
        prefix = "../" * self.depth
        if not parts:
            return prefix + "index.html"
        *folders, name = parts
        return prefix + "/".join([*folders, static_name(name) + ".html"])

    def at_depth(self, depth: int) -> Links:
        return Links(self.static_site, depth, self.base)

    def home(self) -> str:
        return self._page() if self.static_site else self.base + "/"

    def story(self, story_id: str) -> str:
        return self._page("story", story_id)

    def storyline(self, storyline_id: str) -> str:
        return self._page("storyline", storyline_id)

    def outlet(self, slug: str) -> str:
        return self._page("outlet", slug)

    def outlets(self) -> str:
        return self._page("outlets")

    def blindspots(self) -> str:
        return self._page("blindspots")

    def blindspots_feed(self) -> str:
        return ("../" * self.depth + "blindspots.xml") if self.static_site else self.base + "/blindspots.xml"

    def forecasts(self) -> str:
        return self._page("forecasts")

    def section(self, slug: str) -> str:
        return self._page("section", slug)

    def section_feed(self, slug: str) -> str:
        if self.static_site:
            return "../" * self.depth + f"section/{static_name(slug)}/feed.xml"
        return f"{self.base}/section/{quote(slug, safe='')}/feed.xml"

    def day(self, day: str) -> str:
        return self._page("day", day)

    def archive(self) -> str:
        return self._page("archive")

    def static(self, path: str) -> str:
        if self.static_site:
            return "../" * self.depth + "static/" + path
        return f"{self.base}/v/{asset_fingerprint(path)}/static/{path}"

    def feed(self) -> str:
        return ("../" * self.depth + "feed.xml") if self.static_site else self.base + "/feed.xml"

    def search(self) -> str:
        return self.base + "/search"

    def prefs(self) -> str:
        return self.base + "/prefs"


def static_name(name: str) -> str:
    """A file name for an id: ids are usually safe already; anything else is percent-encoded, then
    its `%` is made safe too, since a browser decodes `%xx` in a relative link before opening a file."""
    return quote(name, safe="-_.~").replace("%", "_")


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s); None for `javascript:`, `data:` and anything else."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.casefold()
    return url.strip() if scheme in ("http", "https") else None


def human_date(value: str | None) -> str:
    """`2023-03-16` → `Mar 16, 2023`; partial dates (`2023-03`) and junk pass through unchanged."""
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return f"{parsed:%b} {parsed.day}, {parsed.year}"


def month_name(value: str) -> str:
    """`2023-03-01` → `March 2023`; anything else passes through."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    return f"{parsed:%B} {parsed.year}"


def highlight(snippet: str) -> Markup:
    """Escapes a search snippet, then turns the FTS highlight markers into <mark>."""
    escaped = str(escape(snippet))
    return Markup(escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>"))


def platform_name(platform: str) -> str:
    """ "metaculus" (a platform id, as the linker stores it) -> "Metaculus"; display names pass through."""
    return platform.title() if platform.islower() else platform


def section_slug(name: str) -> str:
    return slug(name)


def percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one template environment. HTML and XML are autoescaped; `.txt` templates (the plain-text
    email) are not, because HTML-escaping plain text would only corrupt it and it is never parsed."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("newsprism.publish", "templates"),
        autoescape=lambda name: not (name or "").endswith(".txt"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(safe_url=safe_url, human_date=human_date, highlight=highlight, percent=percent,
                       platform_name=platform_name, section_slug=section_slug, month_name=month_name)
    return env
