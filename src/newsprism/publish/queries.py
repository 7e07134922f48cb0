"""Every store read the publisher makes, returning frozen records or `Story` objects.

The publisher never writes: it opens its own read-only connections, one per thread, because the web
server answers requests from a thread pool and a sqlite3 connection belongs to the thread that made it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsprism.store import Store
from newsprism.types import Coverage, Story

__all__ = [
    "ArticleRow",
    "OutletProfile",
    "Reader",
    "SearchHit",
    "StoryRow",
    "StorylineView",
    "lean_label",
    "outlet_slug",
]

LEANS = ("left", "center", "right")


@dataclass(frozen=True)
class StoryRow:
    """One story as listed: enough for the front page, the feed, the digest and `/api/stories`."""

    id: str
    headline: str
    date: str | None
    lead: str
    coverage: Coverage
    sources: int  # articles behind the story
    outlets: tuple[str, ...]
    storyline: str | None
    first_published: str | None
    last_published: str | None
    score: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "headline": self.headline,
            "date": self.date,
            "lead": self.lead,
            "coverage": {
                "left": self.coverage.left,
                "center": self.coverage.center,
                "right": self.coverage.right,
                "unknown": self.coverage.unknown,
            },
            "sources": self.sources,
            "outlets": list(self.outlets),
            "storyline": self.storyline,
            "first_published": self.first_published,
            "last_published": self.last_published,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class ArticleRow:
    id: str
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    lean: str | None
    story_id: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "url": self.url,
            "lean": self.lean,
            "story": self.story_id,
        }


@dataclass(frozen=True)
class OutletProfile:
    """An outlet as the registry describes it; every figure keeps the source it came from."""

    name: str
    slug: str
    lean: str | None = None
    lean_score: float | None = None
    lean_source: str | None = None
    reliability: float | None = None
    reliability_source: str | None = None
    establishment: float | None = None  # -1 anti-establishment .. +1 pro-establishment
    country: str | None = None
    articles: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "slug": self.slug,
            "lean": self.lean,
            "lean_score": self.lean_score,
            "lean_source": self.lean_source,
            "reliability": self.reliability,
            "reliability_source": self.reliability_source,
            "establishment": self.establishment,
            "country": self.country,
            "articles": self.articles,
        }


@dataclass(frozen=True)
class StorylineView:
    id: str
    title: str
    stories: tuple[StoryRow, ...]  # in time order

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "stories": [s.to_json() for s in self.stories]}


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "story" | "article"
    id: str
    title: str
    snippet: str  # plain text; highlight spans are wrapped in HIGHLIGHT_START/END
    date: str | None
    outlet: str | None
    lean: str | None
    story_id: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "snippet": self.snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, ""),
            "date": self.date,
            "outlet": self.outlet,
            "lean": self.lean,
            "story": self.story_id,
        }


# Private-use characters mark FTS highlights so the template can escape the text first, then mark.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"


def outlet_slug(name: str) -> str:
    """A URL- and file-safe name for an outlet; the hash keeps distinct names distinct."""
    base = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40] or "outlet"
    return f"{base}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"


def lean_label(value: Any) -> str | None:
    """"left"/"center"/"right" from a label ("Lean Left", "centre") or a score in [-1, 1] (left < 0)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return "left" if value < -1 / 3 else "right" if value > 1 / 3 else "center"
    text = str(value).casefold()
    for lean in ("left", "right"):
        if lean in text:
            return lean
    return "center" if "cent" in text else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        for key in ("score", "value", "mean"):
            if key in value:
                return _number(value[key])
    return None


def _source(data: dict[str, Any], key: str) -> str | None:
    """Where a figure came from: `<key>_source`, a nested `source`/`method`, or the entry's `source`."""
    nested = data.get(key)
    candidates = [data.get(f"{key}_source")]
    if isinstance(nested, dict):
        candidates += [nested.get("source"), nested.get("method")]
    sources = data.get("sources")
    if isinstance(sources, dict):
        candidates.append(sources.get(key))
    candidates.append(data.get("source"))
    for candidate in candidates:
        if candidate:
            return str(candidate)
    return None


def parse_outlet(name: str, data: dict[str, Any], articles: int = 0) -> OutletProfile:
    """Reads an `outlets.data` entry tolerantly: the registry's shape may grow keys over time."""
    lean_raw = data.get("lean")
    score = _number(data.get("lean_score"))
    if score is None:
        score = _number(lean_raw)
    label = lean_label(lean_raw.get("label") if isinstance(lean_raw, dict) else lean_raw)
    if label is None and score is not None:
        label = lean_label(score)
    establishment = _number(data.get("establishment"))
    return OutletProfile(
        name=name,
        slug=outlet_slug(name),
        lean=label,
        lean_score=score,
        lean_source=_source(data, "lean") if (label or score is not None) else None,
        reliability=_number(data.get("reliability")),
        reliability_source=_source(data, "reliability") if data.get("reliability") is not None else None,
        establishment=establishment,
        country=str(data["country"]) if data.get("country") else None,
        articles=articles,
    )


@lru_cache(maxsize=512)
def _parse_story(composed: str) -> Story:
    # Keyed by the JSON text itself: a recomposed story has new text, so the cache is never stale.
    return Story.from_json(json.loads(composed))


def significance(sources: int, outlets: int, age_days: float) -> float:
    """Front-page rank: more articles, more independent outlets, and recency all count.

    Outlets weigh more than articles, since ten copies from one outlet are one voice; recency halves
    a story's weight every ~2 days so yesterday's big story yields to today's.
    """
    return math.log1p(sources) + 1.5 * math.log1p(outlets) + 3.0 * math.exp(-max(age_days, 0.0) / 3.0)


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


class Reader:
    """Read-only view of a store. Safe to share between threads: each thread gets its own connection."""

    def __init__(self, source: Store | Path | str) -> None:
        self._local = threading.local()
        self._snapshot: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        path = source.path if isinstance(source, Store) else str(source)
        if path == ":memory:":
            # An in-memory store is invisible to other connections: copy it once into a shareable one.
            if not isinstance(source, Store):
                raise ValueError("an in-memory store must be passed as a Store")
            snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            source.connection.backup(snapshot)
            snapshot.row_factory = sqlite3.Row
            self._snapshot = snapshot
        else:
            Store(path).close()  # creates and migrates the file once, so read-only opens see the schema
        self.path = path

    @property
    def db(self) -> sqlite3.Connection:
        if self._snapshot is not None:
            return self._snapshot
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            uri = Path(self.path).resolve().as_uri() + "?mode=ro"
            connection = sqlite3.connect(uri, uri=True, timeout=30)
            connection.row_factory = sqlite3.Row
            self._local.connection = connection
        return connection

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        if self._snapshot is not None:
            with self._lock:
                return self.db.execute(sql, params).fetchall()
        return self.db.execute(sql, params).fetchall()

    # --- outlets ------------------------------------------------------------------------

    def outlets(self) -> list[OutletProfile]:
        """Every outlet with articles or a registry entry, by name."""
        counts = {
            str(r[0]): int(r[1])
            for r in self._rows(
                "SELECT outlet, count(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet"
            )
        }
        registry = {str(r[0]): _json_dict(r[1]) for r in self._rows("SELECT name, data FROM outlets")}
        names = sorted(set(counts) | set(registry), key=str.casefold)
        return [parse_outlet(n, registry.get(n, {}), counts.get(n, 0)) for n in names]

    def outlet_map(self) -> dict[str, OutletProfile]:
        return {o.name: o for o in self.outlets()}

    def outlet_by_slug(self, slug: str) -> OutletProfile | None:
        return next((o for o in self.outlets() if o.slug == slug), None)

    # --- stories ------------------------------------------------------------------------

    def _story_rows(self, where: str = "", params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self._rows(
            "SELECT s.id, s.storyline_id, s.composed, s.first_published, s.last_published,"
            " (SELECT count(*) FROM story_articles sa WHERE sa.story_id = s.id) AS n"
            " FROM stories s WHERE s.composed IS NOT NULL AND s.retired_into IS NULL " + where,
            params,
        )

    def story(self, story_id: str) -> Story | None:
        rows = self._story_rows("AND s.id = ?", (story_id,))
        return _parse_story(rows[0]["composed"]) if rows else None

    def story_row(self, story_id: str) -> StoryRow | None:
        rows = self._story_rows("AND s.id = ?", (story_id,))
        return self._to_rows(rows)[0] if rows else None

    def stories(self, limit: int | None = None, since: datetime | None = None) -> list[StoryRow]:
        """Composed stories, most significant first."""
        ranked = self._to_rows(self._story_rows())
        if since is not None:
            ranked = [
                s for s in ranked
                if (t := _parse_time(s.last_published or s.date)) is not None and t >= since
            ]
        ranked.sort(key=lambda s: (-s.score, s.id))
        return ranked[:limit] if limit is not None else ranked

    def newest_time(self) -> datetime | None:
        row = self._rows("SELECT max(coalesce(last_published, first_published)) FROM stories")[0]
        return _parse_time(row[0])

    def _to_rows(self, rows: Iterable[sqlite3.Row]) -> list[StoryRow]:
        rows = list(rows)
        newest = self.newest_time()
        result = []
        for row in rows:
            story = _parse_story(row["composed"])
            outlets = tuple(dict.fromkeys(a.outlet for a in story.articles if a.outlet))
            sources = max(int(row["n"]), len(story.articles))
            last = _parse_time(row["last_published"] or story.date)
            age = (newest - last) / timedelta(days=1) if newest and last else 30.0
            result.append(
                StoryRow(
                    id=story.id,
                    headline=story.headline,
                    date=story.date,
                    lead=story.lead or (story.facts[0].text if story.facts else ""),
                    coverage=story.coverage,
                    sources=sources,
                    outlets=outlets,
                    storyline=row["storyline_id"] or story.storyline,
                    first_published=row["first_published"],
                    last_published=row["last_published"],
                    score=significance(sources, len(outlets), age),
                )
            )
        return result

    def storyline(self, storyline_id: str) -> StorylineView | None:
        found = self._rows("SELECT id, title FROM storylines WHERE id = ?", (storyline_id,))
        stories = self._to_rows(self._story_rows("AND s.storyline_id = ?", (storyline_id,)))
        if not found and not stories:
            return None
        stories.sort(key=lambda s: (s.first_published or s.date or "", s.id))
        title = str(found[0]["title"]) if found else stories[0].headline
        return StorylineView(id=storyline_id, title=title, stories=tuple(stories))

    def storylines(self) -> list[StorylineView]:
        ids = [str(r[0]) for r in self._rows("SELECT id FROM storylines ORDER BY id")]
        return [v for i in ids if (v := self.storyline(i)) is not None]

    # --- articles -----------------------------------------------------------------------

    def articles(
        self, outlet: str | None = None, story_id: str | None = None, limit: int = 200
    ) -> list[ArticleRow]:
        """Articles, newest first, optionally of one outlet or one story."""
        clauses, params = [], []
        if outlet is not None:
            clauses.append("a.outlet = ?")
            params.append(outlet)
        if story_id is not None:
            clauses.append("sa.story_id = ?")
            params.append(story_id)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._rows(
            "SELECT a.id, a.title, a.outlet, a.published, a.url, sa.story_id FROM articles a"
            f" LEFT JOIN story_articles sa ON sa.article_id = a.id {where}"
            " ORDER BY a.published DESC, a.seq DESC LIMIT ?",
            (*params, limit),
        )
        outlets = self.outlet_map()
        return [_article_row(r, outlets) for r in rows]

    def blind_spots(self, outlet: OutletProfile) -> list[StoryRow]:
        """Stories that outlets of another lean covered and this outlet did not (needs a known lean)."""
        if outlet.lean is None:
            return []
        leans = {o.name: o.lean for o in self.outlets()}
        missed = []
        for row in self.stories():
            if outlet.name in row.outlets:
                continue
            if any(leans.get(name) not in (None, outlet.lean) for name in row.outlets):
                missed.append(row)
        return missed

    # --- search -------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        outlet: str | None = None,
        lean: str | None = None,
        limit: int = 50,
    ) -> list[SearchHit]:
        """Stories then articles matching every word of `query` (FTS5), filtered by date, outlet, lean."""
        match = fts_query(query)
        if not match:
            return []
        outlets = self.outlet_map()
        hits: list[SearchHit] = []
        story_rows = self._rows(
            "SELECT f.id, snippet(stories_fts, -1, ?, ?, ' … ', 16) AS snip, s.composed"
            " FROM stories_fts f JOIN stories s ON s.id = f.id"
            " WHERE stories_fts MATCH ? AND s.composed IS NOT NULL AND s.retired_into IS NULL"
            " ORDER BY rank LIMIT ?",
            (HIGHLIGHT_START, HIGHLIGHT_END, match, limit),
        )
        for row in story_rows:
            story = _parse_story(row["composed"])
            story_outlets = {a.outlet for a in story.articles if a.outlet}
            story_leans = {a.lean or _lean_of(a.outlet, outlets) for a in story.articles}
            if outlet and outlet not in story_outlets:
                continue
            if lean and lean not in story_leans:
                continue
            if not _in_range(story.date, date_from, date_to):
                continue
            hits.append(SearchHit("story", story.id, story.headline, row["snip"] or story.lead,
                                  story.date, None, None, story.id))
        article_rows = self._rows(
            "SELECT f.id, snippet(articles_fts, -1, ?, ?, ' … ', 16) AS snip, a.title, a.outlet, a.published,"
            " a.url, sa.story_id FROM articles_fts f JOIN articles a ON a.id = f.id"
            " LEFT JOIN story_articles sa ON sa.article_id = a.id"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (HIGHLIGHT_START, HIGHLIGHT_END, match, limit),
        )
        for row in article_rows:
            article_lean = _lean_of(row["outlet"], outlets)
            if outlet and row["outlet"] != outlet:
                continue
            if lean and article_lean != lean:
                continue
            if not _in_range(row["published"], date_from, date_to):
                continue
            hits.append(SearchHit("article", row["id"], row["title"], row["snip"] or "", row["published"],
                                  row["outlet"], article_lean, row["story_id"]))
        return hits


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression that finds every word of `text`; user syntax is never interpreted."""
    words = re.findall(r"\w+", text)
    return " ".join('"' + w.replace('"', "") + '"' for w in words[:20])


def _in_range(date: str | None, date_from: str | None, date_to: str | None) -> bool:
    day = (date or "")[:10]
    if date_from and (not day or day < date_from):
        return False
    return not (date_to and (not day or day > date_to))


def _lean_of(outlet: str | None, outlets: dict[str, OutletProfile]) -> str | None:
    profile = outlets.get(outlet or "")
    return profile.lean if profile else None


def _article_row(row: sqlite3.Row, outlets: dict[str, OutletProfile]) -> ArticleRow:
    return ArticleRow(
        id=row["id"], title=row["title"], outlet=row["outlet"], published=row["published"], url=row["url"],
        lean=_lean_of(row["outlet"], outlets), story_id=row["story_id"],
    )


def _json_dict(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
