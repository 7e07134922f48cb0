"""Reader filters: the outlets, reliability level, keywords and topic sections a reader hides, kept in
the preferences cookie beside the sliders (`prefs.Prefs`), so no account is needed.

A filter kind is three things, each in one place below: a field of `Filters`, its part of the cookie
(`Filters.parts` / `_parse_part`: a letter, a dot, the value) and its test in `FilterView` (what story or
article it hides). Topic sections were added that way; the pages and the cache key (`Filters.key`)
follow without change.

Everything read from the cookie is checked and bounded (slug shape, word characters, counts, lengths):
a hostile value parses to fewer filters, never to markup or to unbounded work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar
from urllib.parse import quote, unquote

from newsprism.publish.queries import OutletView, outlet_slug
from newsprism.sections import SECTIONS, slug

__all__ = ["MAX_KEYWORDS", "MAX_OUTLETS", "RELIABILITY_LEVELS", "SECTION_SLUGS", "FilterView", "Filters",
           "parse_keywords"]

SECTION_SLUGS = {slug(s): s for s in SECTIONS}  # "sports" -> "Sports": the URL and cookie form of a section

MAX_OUTLETS = 60
MAX_KEYWORDS = 20
MAX_KEYWORD_CHARS = 40
# tenths of the reliability figure (0..1): outlets rated below the level are hidden; 0 hides none
RELIABILITY_LEVELS = (0, 3, 5, 7, 9)
_SLUG = re.compile(r"^[a-z0-9-]{1,64}$")
_NOT_WORD = re.compile(r"[^\w'’-]+")
_MAX_PARTS = 8  # cookie parts read after the sliders; more is junk


def parse_keywords(text: str) -> tuple[str, ...]:
    """Keywords from what a reader typed ("trump, royal family"): comma-separated phrases of word
    characters, case-folded, each at most MAX_KEYWORD_CHARS, at most MAX_KEYWORDS, in order, unique."""
    found: dict[str, None] = {}
    for piece in text.split(","):
        words = " ".join(_NOT_WORD.sub(" ", piece).split()).casefold()[:MAX_KEYWORD_CHARS].strip()
        if words:
            found.setdefault(words)
    return tuple(found)[:MAX_KEYWORDS]


@dataclass(frozen=True)
class Filters:
    """What a reader hides. `outlets` are outlet slugs (`queries.outlet_slug`, stable across aliases)."""

    outlets: tuple[str, ...] = ()
    min_reliability: int = 0  # a RELIABILITY_LEVELS value
    keywords: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()  # section names (SECTIONS), in SECTIONS order

    @classmethod
    def make(cls, outlets: Iterable[str] = (), min_reliability: int | str = 0,
             keywords: Iterable[str] = (), sections: Iterable[str] = ()) -> Filters:
        """Filters from untrusted values: bad slugs dropped, the level snapped down to a known one;
        `sections` are section slugs ("sports") or names ("Sports"), unknown ones dropped."""
        slugs = sorted({s for s in outlets if isinstance(s, str) and _SLUG.match(s)})[:MAX_OUTLETS]
        try:
            level = int(min_reliability)
        except (TypeError, ValueError):
            level = 0
        level = max((v for v in RELIABILITY_LEVELS if v <= level), default=0)
        words = parse_keywords(",".join(k.replace(",", " ") for k in keywords))
        wanted = {SECTION_SLUGS.get(x, x) for x in sections if isinstance(x, str)}
        return cls(tuple(slugs), level, words, tuple(name for name in SECTIONS if name in wanted))

    @classmethod
    def parse_parts(cls, parts: Sequence[str]) -> Filters:
        """The cookie's parts after the sliders ("o.slug|slug", "r.7", "k.word|two%20words", "s.sports")."""
        outlets: list[str] = []
        level = 0
        keywords: list[str] = []
        sections: list[str] = []
        for part in parts[:_MAX_PARTS]:
            kind, dot, value = part.partition(".")
            if not dot:
                continue
            items = value.split("|")[:MAX_OUTLETS]
            if kind == "o":
                outlets = items
            elif kind == "r":
                level = int(value) if value.isdigit() and len(value) < 3 else 0
            elif kind == "k":
                keywords = [unquote(k, errors="replace") for k in items[:MAX_KEYWORDS]]
            elif kind == "s":
                sections = [x for x in items if x in SECTION_SLUGS]
        return cls.make(outlets, level, keywords, sections)

    def parts(self) -> list[str]:
        """The cookie parts of the filters that are set; only cookie-safe characters."""
        parts = []
        if self.outlets:
            parts.append("o." + "|".join(self.outlets))
        if self.min_reliability:
            parts.append(f"r.{self.min_reliability}")
        if self.keywords:
            parts.append("k." + "|".join(quote(k, safe="") for k in self.keywords))
        if self.sections:
            parts.append("s." + "|".join(slug(name) for name in self.sections))
        return parts

    def key(self) -> str:
        """One string per distinct set of filters: the page cache keeps list pages per this key."""
        return ":".join(self.parts())

    @property
    def active(self) -> bool:
        return bool(self.outlets or self.min_reliability or self.keywords or self.sections)

    @property
    def keywords_text(self) -> str:
        return ", ".join(self.keywords)


class _Titled(Protocol):
    @property
    def outlet(self) -> str | None: ...

    @property
    def title(self) -> str: ...


class _Listed(Protocol):
    @property
    def headline(self) -> str: ...

    @property
    def outlets(self) -> tuple[str, ...]: ...


A = TypeVar("A", bound=_Titled)
S = TypeVar("S", bound=_Listed)


class FilterView:
    """`Filters` applied with the store's outlet table: which stories and articles a page leaves out."""

    def __init__(self, filters: Filters, outlets: Mapping[str, OutletView]) -> None:
        self.filters = filters
        self._outlets = outlets
        self._hidden: dict[str, bool] = {}
        words = "|".join(re.escape(k) for k in filters.keywords)
        self._words = re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE) if words else None

    def hides_outlet(self, name: str | None) -> bool:
        """A hidden outlet (any spelling of it), or one rated below the reliability level; an outlet
        with no reliability figure is never hidden by the level (unknown is not unreliable)."""
        if not name or not self.filters.active:
            return False
        hit = self._hidden.get(name)
        if hit is None:
            view = self._outlets.get(name)
            slug = view.slug if view is not None else outlet_slug(name)
            rating = view.reliability if view is not None else None
            level = self.filters.min_reliability / 10
            hit = slug in self.filters.outlets or (rating is not None and rating < level)
            self._hidden[name] = hit
        return hit

    def hides_title(self, title: str | None) -> bool:
        return bool(self._words and title and self._words.search(title))

    def hides_article(self, article: _Titled) -> bool:
        return self.hides_outlet(article.outlet) or self.hides_title(article.title)

    def hides_story(self, story: _Listed) -> bool:
        """A story of a hidden section, whose headline holds a hidden keyword, or whose every outlet is
        hidden."""
        if self.filters.sections and getattr(story, "section", None) in self.filters.sections:
            return True
        if self.hides_title(story.headline):
            return True
        return bool(story.outlets) and all(self.hides_outlet(o) for o in story.outlets)

    def stories(self, rows: Sequence[S]) -> tuple[list[S], int]:
        """(the rows shown, how many were hidden)."""
        shown = [r for r in rows if not self.hides_story(r)]
        return shown, len(rows) - len(shown)

    def articles(self, rows: Sequence[A]) -> tuple[list[A], int]:
        shown = [r for r in rows if not self.hides_article(r)]
        return shown, len(rows) - len(shown)
