"""Every store read the publisher makes, returning frozen records or `Story` objects.

The publisher never writes: it opens its own read-only connections, one per thread, because the web
server answers requests from a thread pool and a sqlite3 connection belongs to the thread that made it.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from newsprism.errors import UsageError
from newsprism.forecasts import Question, load_questions
from newsprism.outlets import (
    BLIND_SPOT_MIN_OUTLETS,
    BLIND_SPOT_THRESHOLD,
    Figure,
    Registry,
    blind_spot_side,
    coverage,
    load_registry,
    outlet_ref,
    registry_lookup,
)
from newsprism.outlets import OutletProfile as RegistryProfile
from newsprism.store import Store
from newsprism.store.migrations import SEARCH_RECENT_ARTICLES
from newsprism.types import Coverage, OutletRef, Story

__all__ = [
    "BLIND_SPOT_MIN_OUTLETS",
    "BLIND_SPOT_THRESHOLD",
    "BLIND_SPOT_WINDOW",
    "DAY_LIMIT",
    "ArchiveMonth",
    "ArticleRow",
    "BlindSpotRow",
    "DayView",
    "OutletView",
    "QuestionRow",
    "Reader",
    "SearchHit",
    "SearchResult",
    "StoryRow",
    "StorylineExcerpt",
    "StorylineView",
    "Versions",
    "connect_read_only",
    "day_score",
    "outlet_slug",
    "outlet_view",
    "snippet",
]

LEANS = ("left", "center", "right")
Lookup = Callable[[str | None], OutletRef]
# The library's defaults, written here so the page can say what "mostly" means.
# Blind spots are looked for among this many newest stories, so the pages that list them cost the same
# on a 10k- or a 1M-article archive (over the whole archive it was 0.7 s at 100k articles, and growing);
# below it, every live story is examined, as `newsprism.outlets.blind_spots` does.
BLIND_SPOT_WINDOW = 5000


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
    section: str | None = None  # the story's topic section (Story.section), from story_summaries
    # how far its narratives divide by outlet lean (Story.framing_split), from story_summaries
    framing_split: float | None = None

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
            "section": self.section,
            "framing_split": self.framing_split,
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
class SearchResult:
    """A search's hits, and whether every article was looked at: matches older than the scored index
    are looked up within a time budget (SEARCH_BUDGET_SECONDS), newest first; when it runs out first,
    `complete` is False and `searched_to` is the date of the oldest article reached. `busy`: it stopped
    at the caller's wall-clock deadline instead (a server with searches queued), so the same search
    later, on a quieter server, may find more: such an answer is not kept."""

    hits: tuple[SearchHit, ...]
    complete: bool = True
    searched_to: str | None = None
    busy: bool = False
    more: bool = False  # stories or articles ranked past this page: the next page shows them


@dataclass(frozen=True)
class OutletView:
    """An outlet as the registry describes it (`newsprism.outlets.load_registry`: shipped table, then the
    store's `outlets` rows), with the figures that win and every figure with where it comes from."""

    name: str
    slug: str
    spellings: tuple[str, ...] = ()  # the names its articles carry (aliases resolve to one outlet)
    lean: str | None = None  # "left" | "center" | "right", the bucket of the winning lean score
    lean_figure: Figure | None = None
    reliability_figure: Figure | None = None
    establishment: float | None = None  # -1 anti-establishment .. +1 pro-establishment, when rated
    country: str | None = None
    domains: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()  # all of them, winners and overridden ones
    winners: tuple[Figure, ...] = ()  # the figure that counts, one per kind
    articles: int = 0

    @property
    def lean_score(self) -> float | None:
        return None if self.lean_figure is None else self.lean_figure.value

    @property
    def reliability(self) -> float | None:
        return None if self.reliability_figure is None else self.reliability_figure.value

    def used(self, figure: Figure) -> bool:
        """Whether `figure` is the one that counts for its kind (others of its kind were overridden)."""
        return figure in self.winners

    def to_json(self) -> dict[str, Any]:
        lean, rel = self.lean_figure, self.reliability_figure
        return {
            "name": self.name,
            "slug": self.slug,
            "lean": self.lean,
            "lean_score": self.lean_score,
            "lean_uncertainty": lean.uncertainty if lean else None,
            "lean_articles": lean.count if lean else None,
            "lean_source": lean.source if lean else None,
            "lean_origin": lean.origin if lean else None,
            "reliability": self.reliability,
            "reliability_source": rel.source if rel else None,
            "reliability_origin": rel.origin if rel else None,
            "establishment": self.establishment,
            "country": self.country,
            "domains": list(self.domains),
            "articles": self.articles,
            "figures": [{**f.to_json(), "used": self.used(f)} for f in self.figures],
        }


@dataclass(frozen=True)
class BlindSpotRow:
    """A story covered mostly by one side: `side` had `share` of the outlets with a known lean."""

    story: StoryRow
    side: str  # "left" | "right"
    missed_by: str
    share: float
    outlet_coverage: Coverage  # distinct outlets per lean (the story's own bar counts articles)

    def to_json(self) -> dict[str, Any]:
        c = self.outlet_coverage
        return {
            **self.story.to_json(),
            "side": self.side,
            "missed_by": self.missed_by,
            "share": self.share,
            "outlet_coverage": {"left": c.left, "center": c.center, "right": c.right, "unknown": c.unknown},
        }


@dataclass(frozen=True)
class QuestionRow:
    """An open forecast question and the stories whose composed `forecasts` link it."""

    question: Question
    stories: tuple[StoryRow, ...]

    def to_json(self) -> dict[str, Any]:
        q = self.question
        return {
            "id": q.id,
            "platform": q.platform,
            "title": q.title,
            "url": q.url,
            "probability": q.probability,
            "summary": q.summary,
            "as_of": q.as_of,
            "resolution_date": q.resolution_date,
            "kind": q.kind,
            "stories": [{"id": s.id, "headline": s.headline, "date": s.date} for s in self.stories],
        }


@dataclass(frozen=True)
class StorylineView:
    id: str
    title: str
    stories: tuple[StoryRow, ...]  # in time order

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "stories": [s.to_json() for s in self.stories]}


@dataclass(frozen=True)
class StorylineExcerpt:
    """The stories of a storyline nearest one of them in time, as its story page lists them."""
    id: str
    title: str
    stories: tuple[StoryRow, ...]  # in time order, the story itself among them when it is live
    total: int  # live stories in the whole storyline


@dataclass(frozen=True)
class DayView:
    """One day's edition: its stories ranked by that day's coverage, and the neighbouring days."""

    day: str  # YYYY-MM-DD
    stories: tuple[StoryRow, ...]  # at most DAY_LIMIT, best first (`score` is `day_score`)
    total: int  # live stories on the day
    day_articles: tuple[int, ...]  # per story shown: its articles published that day
    previous: str | None
    next: str | None

    def to_json(self) -> dict[str, Any]:
        return {"day": self.day, "total": self.total, "previous": self.previous, "next": self.next,
                "stories": [{**s.to_json(), "day_articles": n}
                            for s, n in zip(self.stories, self.day_articles, strict=True)]}


@dataclass(frozen=True)
class ArchiveMonth:
    month: str  # YYYY-MM
    days: tuple[tuple[str, int], ...]  # (day, stories), newest first


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


_KIND_ORDER = {"lean_score": 0, "reliability": 1, "establishment": 2}


def outlet_view(name: str, profile: RegistryProfile | None, articles: int = 0,
                spellings: tuple[str, ...] = ()) -> OutletView:
    """The view of one outlet: `name` as the site shows it, and its registry profile when known."""
    if profile is None:
        return OutletView(name, outlet_slug(name), spellings=spellings or (name,), articles=articles)
    lean = profile.figure("lean_score")
    establishment = profile.figure("establishment")
    kinds = sorted(dict.fromkeys(f.kind for f in profile.figures), key=lambda k: (_KIND_ORDER.get(k, 9), k))
    winners = tuple(w for w in (profile.figure(k) for k in kinds) if w is not None)
    # shown grouped by kind, the figure that counts first
    figures = sorted(profile.figures, key=lambda f: (kinds.index(f.kind), f not in winners))
    return OutletView(
        name=name,
        slug=outlet_slug(name),
        spellings=spellings or (name,),
        lean=outlet_ref(profile).lean,
        lean_figure=lean,
        reliability_figure=profile.figure("reliability"),
        establishment=establishment.value if establishment else None,
        country=profile.country,
        domains=profile.domains,
        figures=tuple(figures),
        winners=winners,
        articles=articles,
    )


class _Parsed:
    """Parsed stories keyed by (id, summary version), newest kept: a recomposed story has a new version,
    so an entry is never stale, and a lookup never hashes the story's whole JSON."""

    def __init__(self, size: int = 512) -> None:
        self._items: OrderedDict[tuple[str, int], Story] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int]) -> Story | None:
        with self._lock:
            story = self._items.get(key)
            if story is not None:
                self._items.move_to_end(key)
            return story

    def put(self, key: tuple[str, int], story: Story) -> None:
        with self._lock:
            self._items[key] = story
            while len(self._items) > self._size:
                self._items.popitem(last=False)


# Older than this, a story's recency bonus (3·e^(−age/3), see `significance`) is below 1e-4: the front page
# ranks those by size (`story_summaries.weight`) read from an index, instead of scoring every story.
RECENT_DAYS = 30
# Search scores (bm25) the SEARCH_WINDOW most recently indexed matches of each kind, so a word found in
# half the archive costs what a rare one does, then ranks the best SEARCH_CANDIDATES by relevance and
# recency (`_search_score`). Below SEARCH_WINDOW matches, every match is scored. The window bounds the
# work: FTS5 walks the doclists newest first and stops there, and bm25 reads each scored row's sizes,
# so a store ten or a hundred times larger costs at most what SEARCH_WINDOW matches cost (bench/archive.py:
# 2,000 made "trade tariffs" 5.6x slower from 10k to 100k articles, while it had ~300 matches at 10k).
SEARCH_WINDOW = 500
SEARCH_CANDIDATES = 200
# Matches older than the scored index are looked up newest first, SEARCH_OLDER_WINDOW rows of the whole
# archive's FTS index at a time (`rowid BETWEEN`: FTS5 seeks each word's doclist to the window, so a step
# costs what its window holds, not what the archive does), until SEARCH_CANDIDATES are found, the archive's
# start is reached, or the query has spent SEARCH_BUDGET_SECONDS of CPU on them (then it says so).
# Without the windows, a rare combination of words walked every doclist of the archive: linear in its size.
# A window has a fixed cost of its own (each word's doclist is sought again in every segment): at 1M
# articles, 100k-row windows made a rare two-word query walk ten of them, 46 ms at worst and 42 of 200 new
# queries out of budget, where one 1M-row window walks the same rows in 7 ms (bench/archive.py search).
SEARCH_OLDER_WINDOW = 1_000_000
SEARCH_BUDGET_SECONDS = 0.03
# The score of an older, unscored match: below every scored one (those are >= 0). They keep the order they
# were looked up in, newest indexed first (a stable sort), not re-sorted by date: a page then needs only
# the first `shown + 1` of them, and page 2 continues page 1 exactly. (Sorted by date, a match looked up
# for page 2 only could move into page 1's places: shown twice, another never.)
UNSCORED = -1.0
# A hit's snippet: the text around its first matching word, SNIPPET_CHARS either side (cut at spaces).
# Made here from the stored text, not by FTS5's snippet(), which re-tokenises and scores every fragment
# of each hit's whole text: 5-7 ms of the 8 ms a search took at 10k articles.
SNIPPET_CHARS = 90
FIND_CHUNK = 2048  # characters lower-cased at a time when looking for a hit's first match
SEARCH_RECENCY_DAYS = 30.0
SEARCH_RECENCY_WEIGHT = 0.25
# Hits of each kind per page (`page` turns it). A page of 50 stories and 50 articles read 100 texts for
# their snippets, 38% of an uncached search's run, for hits past what a reader looks at.
SEARCH_PAGE_SIZE = 20
_SUMMARY_OF = (
    "SELECT story_id, version, headline, date, lead, cov_left, cov_center, cov_right, cov_unknown, sources,"
    " outlets, n_outlets, sources_leans, storyline_id, first_published, last_published, rank_time, section,"
    " framing_split FROM story_summaries "
)
_SUMMARY = _SUMMARY_OF + "WHERE live = 1 "
T = TypeVar("T")
DAY_LIMIT = 200  # stories a day page lists (it says how many more the day had)
STORYLINE_NEAR = 5  # stories a story page lists on each side of it in its storyline (its page has all)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MMAP_BYTES = 4 * 2**30


@dataclass(frozen=True)
class Versions:
    """What the store's pages are built from, as numbers that rise on every change (see 0010_story_summaries):
    `stories` is the highest story summary version (the front page's build), `articles` the last article
    seq, `outlets` and `forecasts` change counters of those tables, `pruned` the count of prunes that
    deleted anything (deleting rows can lower the others, so every page's version includes it)."""

    stories: int
    articles: int
    outlets: int
    forecasts: int
    pruned: int = 0


def day_score(day_articles: int, outlets: int) -> float:
    """Rank on a day page: the story's articles that day, and its independent outlets, weighed as
    `significance` weighs them (no recency term: every story on the page is of that day)."""
    return math.log1p(day_articles) + 1.5 * math.log1p(outlets)


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


_SERIALS = itertools.count(1)  # one per read connection ever opened (`Reader.data_version`)


class Reader:
    """Read-only view of a store. Safe to share between threads: each thread gets its own connection.

    Lists (front page, storylines, feeds, search, forecasts) read `story_summaries`, never the composed
    JSON of every story; only a story's own page parses its JSON, once per version. What is derived from
    many rows (the outlet map, blind spots, forecasts) is kept until the `versions()` it depends on move.
    """

    def __init__(self, source: Store | Path | str, *, migrate: bool = True, timeout: float = 30.0) -> None:
        self._timeout = timeout
        self._local = threading.local()
        self._snapshot: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self._registry: tuple[int, Registry, Lookup] | None = None
        self._parsed = _Parsed()
        self._memo: dict[str, tuple[object, object]] = {}
        path = source.path if isinstance(source, Store) else str(source)
        if path == ":memory:":
            # An in-memory store is invisible to other connections: copy it once into a shareable one.
            if not isinstance(source, Store):
                raise UsageError("an in-memory store must be passed as a Store")
            snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            source.connection.backup(snapshot)
            snapshot.row_factory = sqlite3.Row
            self._snapshot = snapshot
        elif migrate:
            Store(path).close()  # creates and migrates the file once, so read-only opens see the schema
        self.path = path

    @property
    def db(self) -> sqlite3.Connection:
        if self._snapshot is not None:
            return self._snapshot
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = connect_read_only(self.path, self._timeout)
            self._local.connection = connection
            self._local.serial = next(_SERIALS)
        return connection

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        if self._snapshot is not None:
            with self._lock:
                return self.db.execute(sql, params).fetchall()
        return self.db.execute(sql, params).fetchall()

    def _memoized(self, name: str, key: object, make: Callable[[], T]) -> T:
        """`make()`, kept under `name` until `key` (the versions it was built from) changes."""
        with self._lock:
            hit = self._memo.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]  # type: ignore[return-value]
        value = make()
        with self._lock:
            self._memo[name] = (key, value)
        return value

    # --- versions -----------------------------------------------------------------------

    def versions(self) -> Versions:
        """One indexed read: the versions every page of this store is built from."""
        row = self._rows(
            "SELECT (SELECT coalesce(max(version), 0) FROM story_summaries),"
            " (SELECT coalesce(max(seq), 0) FROM articles),"
            " (SELECT coalesce(max(value), 0) FROM counters WHERE name = 'publish_outlets'),"
            " (SELECT coalesce(max(value), 0) FROM counters WHERE name = 'publish_forecasts'),"
            " (SELECT coalesce(max(value), 0) FROM counters WHERE name = 'publish_pruned')"
        )[0]
        return Versions(int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]))

    def data_version(self) -> tuple[int, int]:
        """Changes whenever another connection (any process) has committed to the store since the last
        call on this thread's connection (SQLite's `PRAGMA data_version`, no table read). The
        connection's serial is part of it: each thread has its own connection, whose counter means
        nothing to another's (thread idents and object ids are reused, serials never)."""
        version = int(self._rows("PRAGMA data_version")[0][0])
        return (0 if self._snapshot is not None else int(self._local.serial)), version

    def story_version(self, story_id: str) -> tuple[int, int] | None:
        """(the story's version, its storyline's newest version), or None when no such live story."""
        rows = self._rows(
            "SELECT s.version, (SELECT max(t.version) FROM story_summaries t WHERE t.storyline_id ="
            " s.storyline_id) FROM story_summaries s WHERE s.story_id = ? AND s.live = 1",
            (story_id,),
        )
        return (int(rows[0][0]), int(rows[0][1] or 0)) if rows else None

    def storyline_version(self, storyline_id: str) -> int:
        rows = self._rows("SELECT coalesce(max(version), 0) FROM story_summaries WHERE storyline_id = ?",
                          (storyline_id,))
        return int(rows[0][0])

    # --- outlets ------------------------------------------------------------------------

    @contextmanager
    def library_store(self) -> Iterator[Store]:
        """This reader's connection as a `Store`, for the library functions that take one
        (`newsprism.outlets`, `newsprism.forecasts`). They only read; the connection is read-only."""
        if self._snapshot is not None:
            with self._lock:
                yield _ReadStore(self._snapshot, self.path)
        else:
            yield _ReadStore(self.db, self.path)

    def registry(self) -> Registry:
        """The outlet registry as `load_registry(store)` builds it, rebuilt only when `outlets` changes."""
        return self._outlet_tables()[0]

    def lookup(self) -> Lookup:
        """`newsprism.outlets.lean_lookup` over this store: any outlet spelling to its `OutletRef`.
        For names, not articles (whose lean is stored: `article_leans`): a sighting's outlet, a fact's."""
        return self._outlet_tables()[1]

    def _outlet_tables(self) -> tuple[Registry, Lookup]:
        version = self.versions().outlets
        with self._lock:
            cached = self._registry
        if cached is not None and cached[0] == version:
            return cached[1], cached[2]
        with self.library_store() as store:
            registry = load_registry(store)
            lookup = registry_lookup(registry)  # over the registry just loaded, not a second load
        with self._lock:
            self._registry = (version, registry, lookup)
        return registry, lookup

    def outlets(self) -> list[OutletView]:
        """Every outlet with articles or a row in the store's `outlets` table, by name.

        Article outlet names are resolved through the registry, so aliases of one outlet are one entry.
        """
        v = self.versions()
        return self._memoized("outlets", (v.outlets, v.articles, v.pruned), self._build_outlets)

    def _build_outlets(self) -> list[OutletView]:
        registry = self.registry()
        counts: dict[str, int] = {}
        spellings: dict[str, list[str]] = {}
        profiles: dict[str, RegistryProfile | None] = {}
        for row in self._rows("SELECT outlet, articles FROM outlet_counts WHERE articles > 0"):
            spelling = str(row[0])
            profile = registry.resolve(spelling)
            name = profile.name if profile else spelling
            profiles[name] = profile
            counts[name] = counts.get(name, 0) + int(row[1])
            spellings.setdefault(name, []).append(spelling)
        for row in self._rows("SELECT name FROM outlets"):
            profile = registry.resolve(str(row[0])) or registry.get(str(row[0]))
            if profile is not None:
                profiles.setdefault(profile.name, profile)
        names = sorted(profiles, key=str.casefold)
        return [outlet_view(n, profiles[n], counts.get(n, 0), tuple(spellings.get(n, [n]))) for n in names]

    def outlet_map(self) -> dict[str, OutletView]:
        """Outlets by canonical name and by every spelling their articles use."""
        v = self.versions()
        return self._memoized("outlet_map", (v.outlets, v.articles, v.pruned), self._build_outlet_map)

    def _build_outlet_map(self) -> dict[str, OutletView]:
        result: dict[str, OutletView] = {}
        for outlet in self.outlets():
            for spelling in outlet.spellings:
                result.setdefault(spelling, outlet)
            result[outlet.name] = outlet
        return result

    def article_leans(self) -> dict[str, str | None]:
        """The lean stored with the articles of each outlet name they carry (0021_article_lean): one
        index lookup per name, not the registry again."""
        v = self.versions()
        return self._memoized("article_leans", (v.outlets, v.articles, v.pruned), lambda: {
            str(r[0]): r[1] for r in self._rows(
                "SELECT o.outlet, (SELECT a.lean FROM articles a INDEXED BY articles_outlet"
                " WHERE a.outlet = o.outlet LIMIT 1) FROM outlet_counts o WHERE o.articles > 0")})

    def outlet_by_slug(self, slug: str) -> OutletView | None:
        return next((o for o in self.outlets() if o.slug == slug), None)

    # --- stories ------------------------------------------------------------------------

    def _summaries(self, where: str = "", params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self._rows(_SUMMARY + where, params)

    def _in_chunks(self, sql: str, values: Sequence[Any]) -> list[sqlite3.Row]:
        """`sql` (its `{}` the list of marks) over `values`, 500 at a time (SQLite's variable limit)."""
        rows: list[sqlite3.Row] = []
        for at in range(0, len(values), 500):
            chunk = values[at:at + 500]
            rows += self._rows(sql.format(",".join("?" * len(chunk))), chunk)
        return rows

    def _summaries_of(self, story_ids: Sequence[str]) -> list[sqlite3.Row]:
        rows: list[sqlite3.Row] = []
        for at in range(0, len(story_ids), 500):
            chunk = story_ids[at:at + 500]
            # `+live`: by id, never through the live-first indexes (with many ids the planner scans them)
            marks = ",".join("?" * len(chunk))
            rows += self._rows(_SUMMARY_OF + f"WHERE story_id IN ({marks}) AND +live = 1", chunk)
        return rows

    def story(self, story_id: str) -> Story | None:
        """The composed story, parsed once per version."""
        rows = self._rows(
            "SELECT m.version, s.composed FROM story_summaries m JOIN stories s ON s.id = m.story_id"
            " WHERE m.story_id = ? AND m.live = 1",
            (story_id,),
        )
        if not rows or rows[0][1] is None:
            return None
        key = (story_id, int(rows[0][0]))
        story = self._parsed.get(key)
        if story is None:
            story = Story.from_json(json.loads(rows[0][1]))
            self._parsed.put(key, story)
        return story

    def story_rows(self, story_ids: Sequence[str]) -> list[StoryRow]:
        """The listed rows of these stories (one read per 500), in the order given; unknown ids skipped."""
        rows = {r.id: r for r in self._to_rows(self._summaries_of(list(story_ids)))}
        return [rows[i] for i in story_ids if i in rows]

    def story_row(self, story_id: str) -> StoryRow | None:
        rows = self._summaries("AND story_id = ?", (story_id,))
        return self._to_rows(rows)[0] if rows else None

    def stories(self, limit: int | None = None, since: datetime | None = None) -> list[StoryRow]:
        """Composed stories, most significant first.

        With a `limit`, only the stories of the last RECENT_DAYS and the largest older ones are scored
        (two index ranges): older stories have no recency bonus left, so their size alone ranks them."""
        newest = self.newest_time()
        if limit is not None and since is None and newest is not None:
            return self._top(limit, newest)
        if since is not None:
            rows = self._summaries("AND rank_time >= ?", ((since - timedelta(days=1)).strftime("%Y-%m-%d"),))
        else:
            rows = self._summaries()
        ranked = self._to_rows(rows, newest)
        if since is not None:
            ranked = [
                s for s in ranked
                if (t := _parse_time(s.last_published or s.date)) is not None and t >= since
            ]
        ranked.sort(key=lambda s: (-s.score, s.id))
        return ranked[:limit] if limit is not None else ranked

    def _top(self, limit: int, newest: datetime, section: str | None = None) -> list[StoryRow]:
        """The `limit` most significant stories (of one section, when given), scored in SQL over two
        index ranges (see `stories`)."""
        newest_text = self._newest_text()
        cutoff = (newest - timedelta(days=RECENT_DAYS + 1)).strftime("%Y-%m-%d")
        # as significance(): weight = log1p(sources) + 1.5·log1p(outlets), plus 3·e^(−age/3)
        score = ("weight + 3.0 * exp(-max(coalesce(julianday(?) - julianday(rank_time), 30.0), 0.0) / 3.0)")
        only, extra = ("AND section = ? ", (section,)) if section is not None else ("", ())
        found = self._rows(
            f"SELECT story_id, {score} FROM story_summaries WHERE live = 1 {only}AND rank_time >= ?"
            f" UNION ALL SELECT * FROM (SELECT story_id, {score} FROM story_summaries WHERE live = 1 {only}"
            " ORDER BY weight DESC LIMIT ?)",
            (newest_text, *extra, cutoff, newest_text, *extra, limit),
        )
        scores: dict[str, float] = {}
        for story_id, value in found:
            scores[str(story_id)] = max(scores.get(str(story_id), value), value)
        chosen = sorted(scores, key=lambda i: (-scores[i], i))[:limit]
        rows = {r.id: r for r in self._to_rows(self._summaries_of(chosen), newest)}
        return [replace(rows[i], score=scores[i]) for i in chosen if i in rows]

    def section_stories(self, section: str, limit: int | None = None) -> list[StoryRow]:
        """The stories of one section (`Story.section`), most significant first."""
        newest = self.newest_time()
        if limit is not None and newest is not None:
            return self._top(limit, newest, section)
        ranked = self._to_rows(self._summaries("AND section = ?", (section,)), newest)
        ranked.sort(key=lambda s: (-s.score, s.id))
        return ranked[:limit] if limit is not None else ranked

    def section_counts(self) -> dict[str, int]:
        """Live stories per section (stories without one are not counted)."""
        rows = self._rows("SELECT section, stories FROM section_counts WHERE stories > 0")
        return {str(r[0]): int(r[1]) for r in rows}

    def newest_time(self) -> datetime | None:
        return _parse_time(self._newest_text())

    def _newest_text(self) -> str | None:
        rows = self._rows("SELECT rank_time FROM story_summaries WHERE live = 1 AND rank_time IS NOT NULL"
                          " ORDER BY rank_time DESC LIMIT 1")
        return str(rows[0][0]) if rows else None

    def _to_rows(self, rows: Iterable[sqlite3.Row], newest: datetime | None = None) -> list[StoryRow]:
        rows = list(rows)
        if newest is None and rows:
            newest = self.newest_time()
        result = []
        for row in rows:
            outlets = tuple(str(o) for o in _json_list(row["outlets"]) if o)
            sources = int(row["sources"])
            last = _parse_time(row["rank_time"])
            age = (newest - last) / timedelta(days=1) if newest and last else 30.0
            result.append(
                StoryRow(
                    id=str(row["story_id"]),
                    headline=str(row["headline"] or ""),
                    date=row["date"],
                    lead=str(row["lead"] or ""),
                    coverage=Coverage(_int(row["cov_left"]), _int(row["cov_center"]), _int(row["cov_right"]),
                                      _int(row["cov_unknown"])),
                    sources=sources,
                    outlets=outlets,
                    storyline=row["storyline_id"],
                    first_published=row["first_published"],
                    last_published=row["last_published"],
                    score=significance(sources, len(outlets), age),
                    section=row["section"],
                    framing_split=row["framing_split"],
                )
            )
        return result

    def storyline(self, storyline_id: str) -> StorylineView | None:
        found = self._rows("SELECT id, title FROM storylines WHERE id = ?", (storyline_id,))
        # through the storyline index: with `live = 1` first the planner took a live-first index and
        # read every live story (a story page 2.1x slower at 100k articles than at 10k)
        stories = self._to_rows(self._rows(
            _SUMMARY_OF + "INDEXED BY story_summaries_storyline WHERE storyline_id = ? AND live = 1",
            (storyline_id,)))
        if not found and not stories:
            return None
        stories.sort(key=lambda s: (s.first_published or s.date or "", s.id))
        title = str(found[0]["title"]) if found else stories[0].headline
        return StorylineView(id=storyline_id, title=title, stories=tuple(stories))

    def storyline_near(self, storyline_id: str, story_id: str,
                       each_side: int = STORYLINE_NEAR) -> StorylineExcerpt | None:
        """The storyline's live stories nearest `story_id` in time (the newest when it is not among
        them) and how many it has. A thread grows with the archive (a story of the 37k store sat in one
        of 78 stories on average, up to 500), so its story page lists a window, not the thread."""
        found = self._rows("SELECT id, title FROM storylines WHERE id = ?", (storyline_id,))
        keys = self._rows(
            "SELECT story_id, first_published, date FROM story_summaries INDEXED BY story_summaries_storyline"
            " WHERE storyline_id = ? AND live = 1", (storyline_id,))
        if not found and not keys:
            return None
        # the order of `storyline()`: first published, else the date, then the id
        ordered = sorted(keys, key=lambda r: (r[1] or r[2] or "", str(r[0])))
        ids = [str(r[0]) for r in ordered]
        at = ids.index(story_id) if story_id in ids else len(ids) - 1
        start = max(0, min(at - each_side, len(ids) - (2 * each_side + 1)))
        window = self._to_rows(self._summaries_of(ids[start:start + 2 * each_side + 1]))
        window.sort(key=lambda s: (s.first_published or s.date or "", s.id))
        title = str(found[0]["title"]) if found else (window[0].headline if window else "")
        return StorylineExcerpt(id=storyline_id, title=title, stories=tuple(window), total=len(ids))

    def storylines(self) -> list[StorylineView]:
        ids = [str(r[0]) for r in self._rows("SELECT id FROM storylines ORDER BY id")]
        return [v for i in ids if (v := self.storyline(i)) is not None]

    # --- editions: the stories of each day (story_days / edition_days, 0014_editions) -------

    def day(self, day: str, limit: int = DAY_LIMIT) -> DayView | None:
        """The live stories with an article published on `day` (YYYY-MM-DD), ranked by that day's
        coverage (`day_score`), with the days before and after that have stories; None for a string
        that is not a calendar day. Undated articles are on no day."""
        if not _DAY.match(day):
            return None
        try:
            date.fromisoformat(day)
        except ValueError:
            return None
        # the day's rows by key, then their live summaries by id: joined in one statement, the planner
        # walked every live summary (a live-first index) and probed the day for each, so a day page
        # cost grew with the archive (7 ms at 10k articles, 49 ms at 37k)
        found = self._rows("SELECT story_id, articles FROM story_days WHERE day = ?", (day,))
        counts = {str(r[0]): int(r[1]) for r in found}
        rows = self._to_rows(self._summaries_of(list(counts)))
        ranked = sorted(((day_score(counts[r.id], len(r.outlets)), r) for r in rows),
                        key=lambda item: (-item[0], item[1].id))
        before = self._rows("SELECT max(day) FROM edition_days WHERE day < ?", (day,))[0][0]
        after = self._rows("SELECT min(day) FROM edition_days WHERE day > ?", (day,))[0][0]
        return DayView(day, tuple(replace(r, score=score) for score, r in ranked[:limit]), len(ranked),
                       tuple(counts[r.id] for _, r in ranked[:limit]), before, after)

    def days(self) -> list[tuple[str, int]]:
        """Every day with stories and how many, newest first (one small table, one row per day)."""
        return [(str(r[0]), int(r[1])) for r in self._rows(
            "SELECT day, stories FROM edition_days WHERE stories > 0 ORDER BY day DESC")]

    def archive(self) -> list[ArchiveMonth]:
        """The days with stories grouped by month, newest first."""
        months: dict[str, list[tuple[str, int]]] = {}
        for day, stories in self.days():
            months.setdefault(day[:7], []).append((day, stories))
        return [ArchiveMonth(m, tuple(days)) for m, days in months.items()]

    def latest_day(self) -> str | None:
        rows = self._rows("SELECT max(day) FROM edition_days")
        return str(rows[0][0]) if rows and rows[0][0] else None

    # --- articles -----------------------------------------------------------------------

    def articles(
        self, outlet: str | None = None, story_id: str | None = None, limit: int = 200
    ) -> list[ArticleRow]:
        """Articles, newest first, optionally of one outlet or one story."""
        outlets = self.outlet_map()
        select = ("SELECT a.id, a.title, a.outlet, a.published, a.url, a.seq, a.lean, sa.story_id"
                  " FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id")
        order = " ORDER BY a.published DESC, a.seq DESC LIMIT ?"
        if story_id is not None:
            rows = self._rows(f"{select} WHERE sa.story_id = ?{order}", (story_id, limit))
            if outlet is not None:
                view = outlets.get(outlet)
                names = set(view.spellings if view is not None else (outlet,))
                rows = [r for r in rows if r["outlet"] in names]
        elif outlet is not None:
            view = outlets.get(outlet)
            # one index range per spelling, merged here: an IN over several would sort them all
            rows = []
            for name in view.spellings if view is not None else (outlet,):
                rows += self._rows(f"{select} WHERE a.outlet = ?{order}", (name, limit))
            rows.sort(key=lambda r: (r["published"] or "", r["seq"]), reverse=True)
        else:
            rows = self._rows(select + order, (limit,))
        return [_article_row(r) for r in rows[:limit]]

    def blind_spots(self, outlet: OutletView | None = None) -> list[BlindSpotRow]:
        """Stories covered mostly by one side (`newsprism.outlets.blind_spots`), strongest first; with
        `outlet`, those it missed that the other side covered (`outlet_blind_spots`)."""
        v = self.versions()
        key = (v.stories, v.outlets, v.articles, v.pruned)
        return self._memoized(f"blind_spots:{outlet.name if outlet else ''}", key,
                              lambda: self._build_blind_spots(outlet))

    def _build_blind_spots(self, outlet: OutletView | None) -> list[BlindSpotRow]:
        """`newsprism.outlets.blind_spots` / `outlet_blind_spots`, computed from one pass over the
        stories' outlets (`_story_outlets`) instead of a query per article: same outlets (each article's
        and its near-duplicate copies'), same bar, same threshold rule and order (the tests compare)."""
        me = self.lookup()(outlet.name) if outlet is not None else None
        v = self.versions()
        spots, rows = self._memoized("blind_spot_bars", (v.stories, v.outlets, v.articles, v.pruned),
                                     self._blind_spot_bars)
        opposite = {"left": "right", "right": "left"}
        return [BlindSpotRow(rows[i], side, opposite[side], share, bar)
                for i, names, side, share, bar in spots
                if i in rows and (me is None or (me.name not in names and side != me.lean))]

    def _blind_spot_bars(self) -> tuple[list[tuple[str, frozenset[str], str, float, Coverage]],
                                        dict[str, StoryRow]]:
        """The window's stories that one side covers mostly, strongest first, each with its outlets,
        side, share and bar, and their rows: the same for every outlet page, so built once per version
        (each of the 353 outlet pages of a 37k archive rebuilt it: 24 ms a page)."""
        lookup = self.lookup()  # the outlets of sightings and copies, which no article row of theirs names
        v = self.versions()
        outlets_of = self._memoized("story_outlets", (v.stories, v.articles, v.pruned), self._story_outlets)
        spots: list[tuple[str, frozenset[str], str, float, Coverage]] = []
        for story_id, names in outlets_of.items():
            refs: dict[str, OutletRef] = {}
            for name in names:
                ref = lookup(name)
                if ref.name:
                    refs.setdefault(ref.name, ref)
            bar = coverage(refs.values())
            found = blind_spot_side(bar)
            if found is not None:
                spots.append((story_id, frozenset(refs), found[0], found[1], bar))
        spots.sort(key=lambda s: (-s[3], -(s[4].left + s[4].center + s[4].right), s[0]))
        rows = {r.id: r for r in self._to_rows(self._summaries_of([s[0] for s in spots]))}
        return spots, rows

    def _story_outlets(self) -> dict[str, set[str]]:
        """The outlet spellings of each of the BLIND_SPOT_WINDOW newest live stories: those that published
        its articles or their near-duplicate copies (`Store.outlets_of`), read in one query."""
        found: dict[str, set[str]] = {}
        for story_id, name in self._rows(
            "WITH recent(story_id) AS (SELECT story_id FROM story_summaries WHERE live = 1"
            "  ORDER BY rank_time DESC LIMIT ?),"
            " mine(story_id, article_id) AS (SELECT sa.story_id, sa.article_id FROM recent r"
            "  JOIN story_articles sa ON sa.story_id = r.story_id),"
            " linked(story_id, article_id) AS ("
            " SELECT story_id, article_id FROM mine"
            " UNION SELECT m.story_id, n.original_id FROM mine m"
            "  JOIN near_duplicates n ON n.article_id = m.article_id"
            " UNION SELECT m.story_id, n.article_id FROM mine m"
            "  JOIN near_duplicates n ON n.original_id = m.article_id)"
            # CROSS JOIN: from the window's articles into sightings by key; the planner otherwise scanned
            # every sighting of the archive (0.25 s at 460k articles)
            " SELECT DISTINCT l.story_id, s.outlet FROM linked l"
            " CROSS JOIN sightings s ON s.article_id = l.article_id WHERE s.outlet IS NOT NULL",
            (BLIND_SPOT_WINDOW,),
        ):
            found.setdefault(str(story_id), set()).add(str(name))
        return found

    # --- forecasts --------------------------------------------------------------------

    def forecasts(self) -> list[QuestionRow]:
        """Open questions (`newsprism.forecasts.load_questions`), each with the stories that link it;
        questions that stories touch come first."""
        v = self.versions()
        return self._memoized("forecasts", (v.stories, v.forecasts, v.pruned), self._build_forecasts)

    def _build_forecasts(self) -> list[QuestionRow]:
        with self.library_store() as store:
            questions = load_questions(store, open_only=True)
        touching: dict[tuple[str, str], list[StoryRow]] = {}
        linked = self._rows(_SUMMARY.replace(" FROM ", ", forecasts FROM ", 1) + "AND forecasts IS NOT NULL")
        for row, summary in zip(self._to_rows(linked), linked, strict=True):
            for item in _json_list(summary["forecasts"]):
                if not isinstance(item, list) or len(item) != 3:
                    continue
                platform, url, text = (str(x) if x is not None else None for x in item)
                for key in _forecast_keys(platform or "", url, text or ""):
                    touching.setdefault(key, []).append(row)
        result = []
        for question in questions:
            found: dict[str, StoryRow] = {}
            for key in _forecast_keys(question.platform, question.url, question.title):
                for row in touching.get(key, []):
                    found.setdefault(row.id, row)
            stories = sorted(found.values(), key=lambda r: (-r.score, r.id))
            result.append(QuestionRow(question, tuple(stories)))
        result.sort(key=lambda r: (-len(r.stories), r.question.title.casefold(), r.question.id))
        return result

    # --- search -------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        outlet: str | None = None,
        lean: str | None = None,
        limit: int = SEARCH_PAGE_SIZE,
        page: int = 1,
    ) -> list[SearchHit]:
        """Stories then articles matching every word of `query` (FTS5), filtered by date, outlet, lean,
        each kind ranked by relevance (bm25) and recency (`_search_score`); see `search_result`."""
        return list(self.search_result(query, date_from=date_from, date_to=date_to, outlet=outlet,
                                       lean=lean, limit=limit, page=page).hits)

    def search_result(
        self,
        query: str,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        outlet: str | None = None,
        lean: str | None = None,
        limit: int = SEARCH_PAGE_SIZE,
        page: int = 1,
        deadline: float | None = None,
    ) -> SearchResult:
        """`search`, and whether it looked at every article (`SearchResult`). With a `deadline` (a
        `time.monotonic()` value) no window of older matches is begun after it: the scored matches are
        always ranked and shown, the archive below them is looked through only while time is left.
        `page` (from 1) shows the `limit` hits of each kind after the first (page - 1) * limit; only the
        shown ones are read whole and get a snippet."""
        skip = max(0, page - 1) * max(0, limit)
        match = fts_query(query)
        if not match:
            return SearchResult(())
        # a story composed before an outlet import holds no lean for it: its articles' stored one then
        stored = self.article_leans() if lean else {}
        newest = self.newest_time()
        filtered = bool(outlet or lean or date_from or date_to)
        # Unscored (older) matches rank after every scored one, newest first, so without filters the page
        # and whether more follow need only `shown + 1` of them: the newest ones, the same prefix that
        # SEARCH_CANDIDATES of them would start with. Asking for fewer is what keeps a query flat as the
        # archive grows: "north korea missile" took 186 older stories and 60 older articles at 1M articles
        # to show 20 of each. A filter can drop any candidate, so then, or when a lookup cut short by
        # `want` leaves the page short (a story no longer live, an article pruned), all are asked for.
        shown = skip + limit
        want = SEARCH_CANDIDATES if filtered else min(SEARCH_CANDIDATES, shown + 1)
        ranked, cut = self._ranked_stories(match, want, newest, date_from, date_to, outlet, lean, stored)
        if cut and len(ranked) <= shown:
            ranked, _ = self._ranked_stories(match, SEARCH_CANDIDATES, newest, date_from, date_to, outlet,
                                             lean, stored)
        more = len(ranked) > shown
        ranked = ranked[skip:shown]
        hits: list[SearchHit] = []
        full = {str(r["story_id"]): r for r in self._summaries_of([story for _, _, story in ranked])}
        scored = [(score, rowid, full[story]) for score, rowid, story in ranked if story in full]
        snippets = self._snippets("stories_fts", query, [rowid for _, rowid, _ in scored])
        for _, rowid, summary in scored:
            hits.append(SearchHit("story", summary["story_id"], summary["headline"] or "",
                                  snippets.get(rowid) or summary["lead"] or "", summary["date"], None, None,
                                  summary["story_id"]))
        picked, reached, busy, cut = self._ranked_articles(match, want, deadline, newest, date_from, date_to,
                                                           outlet, lean)
        if cut and len(picked) <= shown:
            picked, reached, busy, _ = self._ranked_articles(match, SEARCH_CANDIDATES, deadline, newest,
                                                             date_from, date_to, outlet, lean)
        more = more or len(picked) > shown
        picked = picked[skip:shown]
        snippets = self._snippets("articles", query, [rowid for _, rowid, _ in picked])
        stories = {str(r[0]): r[1] for r in self._in_chunks(
            "SELECT article_id, story_id FROM story_articles WHERE article_id IN ({})",
            [str(a["id"]) for _, _, a in picked])}
        for _, rowid, article in picked:
            name = article["outlet"]
            hits.append(SearchHit("article", article["id"], article["title"], snippets.get(rowid) or "",
                                  article["published"], name, article["lean"],
                                  stories.get(str(article["id"]))))
        if reached is None:
            return SearchResult(tuple(hits), more=more)
        day = self._rows("SELECT published FROM articles WHERE seq >= ? AND published IS NOT NULL"
                         " ORDER BY seq LIMIT 1", (reached,))
        return SearchResult(tuple(hits), complete=False, searched_to=str(day[0][0])[:10] if day else None,
                            busy=busy, more=more)

    def _ranked_stories(self, match: str, want: int, newest: datetime | None, date_from: str | None,
                        date_to: str | None, outlet: str | None, lean: str | None,
                        stored: Mapping[str, str | None]) -> tuple[list[tuple[float, int, str]], bool]:
        """Matching live stories that pass the filters as (score, rowid, story id), best first, from at
        most `want` older matches; and whether the older lookup stopped at `want` (more may exist)."""
        matches, cut = self._story_matches(match, want)
        found = self._best("stories_fts", matches)
        # what ranking and the filters read of every candidate first; whole summaries of the shown only
        light = {str(r[0]): r for r in self._in_chunks(
            "SELECT story_id, date, rank_time" + (", sources_leans" if outlet or lean else ", NULL")
            + " FROM story_summaries INDEXED BY story_summaries_search WHERE story_id IN ({}) AND live = 1",
            [str(r["id"]) for r in found])}
        ranked: list[tuple[float, int, str]] = []
        best = found[0]["rank"] if found and found[0]["rank"] is not None else 0.0
        for row in found:
            summary = light.get(str(row["id"]))
            if summary is None:
                continue
            if outlet or lean:
                pairs = [p for p in _json_list(summary[3])
                         if isinstance(p, list) and len(p) == 2]
                if outlet and outlet not in {p[0] for p in pairs}:
                    continue
                if lean and lean not in {p[1] or stored.get(p[0]) for p in pairs}:
                    continue
            if not _in_range(summary["date"], date_from, date_to):
                continue
            if row["rank"] is None:  # older than the scored index: after every scored match (UNSCORED)
                score = UNSCORED
            else:
                score = _search_score(row["rank"], best, summary["rank_time"], newest)
            ranked.append((score, row["rowid"], str(summary["story_id"])))
        ranked.sort(key=lambda item: -item[0])
        return ranked, cut

    def _ranked_articles(self, match: str, want: int, deadline: float | None, newest: datetime | None,
                         date_from: str | None, date_to: str | None, outlet: str | None, lean: str | None
                         ) -> tuple[list[tuple[float, int, sqlite3.Row]], int | None, bool, bool]:
        """Matching articles that pass the filters as (score, seq, row), best first; the lowest seq looked
        at and whether the deadline stopped it (see `_article_matches`); whether the lookup stopped at
        `want` matches (more may exist)."""
        found, reached, busy = self._article_matches(match, deadline, want)
        cut = want < SEARCH_CANDIDATES and reached is None and len(found) >= want
        # what ranking and the filters read of every candidate (from the covering index); the story of
        # each is read for the shown ones only
        articles = {int(r["seq"]): r for r in self._in_chunks(
            "SELECT seq, id, title, outlet, published, lean FROM articles INDEXED BY articles_hits"
            " WHERE seq IN ({})", [r["rowid"] for r in found])}
        best = found[0]["rank"] if found else 0.0
        picked: list[tuple[float, int, sqlite3.Row]] = []
        for hit in found:
            article = articles.get(int(hit["rowid"]))
            if article is None:
                continue
            if outlet and article["outlet"] != outlet:
                continue
            if lean and article["lean"] != lean:
                continue
            if not _in_range(article["published"], date_from, date_to):
                continue
            if hit["rank"] is None:  # older than the scored index: after every scored match (UNSCORED)
                score = UNSCORED
            else:
                score = _search_score(hit["rank"], best, article["published"], newest)
            picked.append((score, hit["rowid"], article))
        picked.sort(key=lambda item: -item[0])
        return picked, reached, busy, cut

    def _article_matches(self, match: str, deadline: float | None = None, want: int = SEARCH_CANDIDATES
                         ) -> tuple[list[dict[str, Any]], int | None, bool]:
        """Matching articles as {rowid: seq, rank}: the best SEARCH_CANDIDATES by bm25 among the newest
        SEARCH_WINDOW matches in `articles_recent_fts` (the newest SEARCH_RECENT_ARTICLES articles, so bm25's
        per-term counting stays bounded), then, when those are fewer than `want` (at most SEARCH_CANDIDATES),
        the newest older matches from the whole archive's `articles_fts`, unscored (rank None), window by
        window (SEARCH_OLDER_WINDOW), up to `want` in all. Also the lowest seq looked at when the time
        budget (or the `deadline`, a monotonic time) ran out first, else None; and whether it was the
        deadline."""
        began = time.thread_time()  # CPU time: the same budget on an idle and on a busy machine
        recent = self._rows(
            "SELECT rowid, bm25(articles_recent_fts) AS rank FROM articles_recent_fts"
            " WHERE articles_recent_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            (match, SEARCH_WINDOW),
        )
        found: list[dict[str, Any]] = [
            {"rowid": int(r["rowid"]), "rank": float(r["rank"])}
            for r in sorted(recent, key=lambda r: float(r["rank"]))[:SEARCH_CANDIDATES]
        ]
        if len(found) >= want:
            return found, None, False
        # the lowest seq the recent index holds (it is external content: scanning it would read `articles`)
        last = self._rows("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'articles'")[0][0]
        floor = int(last) - SEARCH_RECENT_ARTICLES + 1
        if floor <= 1 or not self._rows("SELECT 1 FROM articles WHERE seq < ? LIMIT 1", (floor,)):
            return found, None, False  # the recent index holds the whole archive
        # the older part of the archive, newest first: FTS rowids rise with seq (both in ingest order), so
        # the newest matches of each window below the recent index's are the next older ones
        # the first window starts at the FTS row of the newest article below the recent index (found by
        # id through `articles_fts_ids`), so no step reads again the matches the recent index gave
        below = self._rows("SELECT c.id FROM articles_fts_content c WHERE c.c0 = (SELECT id FROM articles"
                           " WHERE seq < ? ORDER BY seq DESC LIMIT 1)", (floor,))
        if not below:
            below = self._rows("SELECT rowid FROM articles_fts ORDER BY rowid DESC LIMIT 1")
        high = int(below[0][0]) if below else 0
        while high >= 1 and len(found) < want:
            if deadline is not None and time.monotonic() >= deadline:
                # out of wall-clock time (queued behind other searches): what the windows so far found
                reached = self._rows("SELECT a.seq FROM articles a WHERE a.id = (SELECT id FROM articles_fts"
                                     " WHERE rowid > ? ORDER BY rowid LIMIT 1)", (high,))
                return found, int(reached[0][0]) if reached else floor, True
            low = max(1, high - SEARCH_OLDER_WINDOW + 1)
            older = self._rows(
                "SELECT a.seq FROM articles a WHERE a.seq < ? AND a.id IN (SELECT id FROM articles_fts"
                " WHERE articles_fts MATCH ? AND rowid BETWEEN ? AND ? ORDER BY rowid DESC LIMIT ?)"
                " ORDER BY a.seq DESC",
                (floor, match, low, high, want - len(found)),
            )
            found += [{"rowid": int(r[0]), "rank": None} for r in older[:want - len(found)]]
            high = low - 1
            if high >= 1 and len(found) < want \
                    and time.thread_time() - began > SEARCH_BUDGET_SECONDS:
                reached = self._rows("SELECT a.seq FROM articles a WHERE a.id = (SELECT id FROM articles_fts"
                                     " WHERE rowid >= ? ORDER BY rowid LIMIT 1)", (low,))
                return found, int(reached[0][0]) if reached else 1, False
        return found, None, False

    def _story_matches(self, match: str, want: int = SEARCH_CANDIDATES) -> tuple[list[dict[str, Any]], bool]:
        """Matching stories as {rowid, rank}: the newest SEARCH_WINDOW matches in `stories_recent_fts`
        (the newest SEARCH_RECENT_STORIES rows of `stories_fts`, same rowids, so bm25's per-term counting
        stays bounded), then, when those are fewer than `want`, the newest older matches of `stories_fts`,
        unscored (rank None), up to `want` in all; and whether that lookup stopped at `want`. Stories
        are a tenth of the articles or fewer: their older matches are read in one step, without the
        articles' windows and budget."""
        found: list[dict[str, Any]] = [
            {"rowid": int(r["rowid"]), "rank": float(r["rank"])} for r in self._rows(
                "SELECT rowid, bm25(stories_recent_fts) AS rank FROM stories_recent_fts"
                " WHERE stories_recent_fts MATCH ? ORDER BY rowid DESC LIMIT ?", (match, SEARCH_WINDOW))]
        if len(found) >= want:  # cut short when fewer than SEARCH_CANDIDATES: older matches not looked at
            return found, len(found) < SEARCH_CANDIDATES
        # the oldest row the recent index holds, from its content table (a plain b-tree)
        floor = self._rows("SELECT min(id) FROM stories_recent_fts_content")[0][0]
        if floor is None:  # nothing in it: every story is older
            floor = int(self._rows("SELECT coalesce(max(id), 0) FROM stories_fts_content")[0][0]) + 1
        if int(floor) <= 1:
            return found, False  # the recent index holds every story
        older = self._rows("SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? AND rowid < ?"
                           " ORDER BY rowid DESC LIMIT ?",
                           (match, int(floor), want - len(found)))
        return found + [{"rowid": int(r[0]), "rank": None} for r in older], len(older) >= want - len(found)

    def _best(self, table: str, matches: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """The SEARCH_CANDIDATES best of `matches` (rowid, rank; unscored ones, rank None, after the
        scored in the order given), with each row's `id` read only now: an FTS row's columns live beside
        its text, so reading them for every match costs what the texts do."""
        scored = sorted((r for r in matches if r["rank"] is not None), key=lambda r: float(r["rank"]))
        found = (scored + [r for r in matches if r["rank"] is None])[:SEARCH_CANDIDATES]
        if not found:
            return []
        marks = ",".join("?" * len(found))
        # from the FTS table's content table (`c0` is its first column, `id`), a plain table: a lookup
        # by rowid through the FTS5 module cost ~5 us a row, several times a b-tree lookup
        rows = self._rows(f"SELECT id, c0 FROM {table}_content WHERE id IN ({marks})",
                          [r["rowid"] for r in found])
        ids = {int(r[0]): str(r[1]) for r in rows}
        return [{"rowid": r["rowid"], "rank": r["rank"], "id": ids.get(r["rowid"])} for r in found]

    def _snippets(self, table: str, query: str, rowids: Sequence[int]) -> dict[int, str]:
        """Highlighted snippets of the hits shown only, from the FTS rows' own text (read by rowid)."""
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        if table == "stories_fts":  # its content table: c1 headline, c2 body (see `_best`)
            rows = self._rows(f"SELECT id, c2, c1 FROM stories_fts_content WHERE id IN ({marks})",
                              list(rowids))
        else:  # articles: by seq, their text read where it is
            rows = self._rows(f"SELECT seq, text, title FROM articles WHERE seq IN ({marks})", list(rowids))
        words = re.findall(r"\w+", query)[:20]
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
        lowered = tuple({w.lower() for w in words})
        found = {}
        for rowid, text, heading in rows:
            # the body where it holds a query word, else the title where it does (FTS5 matched one)
            text, heading = _unmarked(str(text or "")), _unmarked(str(heading or ""))
            match = first_match(text, pattern, lowered)
            if match is None:
                in_heading = first_match(heading, pattern, lowered)
                if in_heading is not None:
                    text, match = heading, in_heading
            found[int(rowid)] = _snippet_at(text, match, pattern, SNIPPET_CHARS)
        return found


def _unmarked(text: str) -> str:
    if HIGHLIGHT_START in text or HIGHLIGHT_END in text:
        return text.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
    return text


def first_match(text: str, pattern: re.Pattern[str], words: Sequence[str] = ()) -> re.Match[str] | None:
    """The first match of `pattern` in `text`. Given `words` (the pattern's words, lower-cased), the regex
    starts where the first of them occurs in the lower-cased text, as a part of a word or not: a whole-word
    match can start no earlier, and `str.find` goes through a long article many times faster than the
    regex (the regex over whole texts was half of an uncached search's CPU). The text is lower-cased a
    FIND_CHUNK at a time, so a match near the start costs no more than a short text. No occurrence: no
    match."""
    if not words:
        return pattern.search(text)
    overlap = max(len(w) for w in words)
    for start in range(0, len(text), FIND_CHUNK):
        piece = text[start:start + FIND_CHUNK + overlap]
        low = piece.lower()
        if len(low) != len(piece):  # lower() lengthened a letter (such as İ): offsets differ, the regex
            return pattern.search(text, start)
        at = 0
        while True:  # each place a word starts in this chunk, in order, until one is a whole-word match
            places = [i for i in (low.find(w, at) for w in words) if 0 <= i < FIND_CHUNK]
            if not places:
                break
            first = min(places)
            found = pattern.match(text, start + first)
            if found is not None:
                return found
            at = first + 1
    return None


def snippet(text: str, pattern: re.Pattern[str], width: int = SNIPPET_CHARS) -> str:
    """The text around the first match of `pattern` (its start when none), matches wrapped in the
    HIGHLIGHT markers; the markers' own characters are removed from the text first, so stored text can
    never open or close a highlight."""
    text = _unmarked(text)
    return _snippet_at(text, pattern.search(text), pattern, width)


def _snippet_at(text: str, found: re.Match[str] | None, pattern: re.Pattern[str], width: int) -> str:
    at = found.start() if found else 0
    start = max(0, at - width)
    end = min(len(text), at + 2 * width)
    if start > 0:  # begin and end on whole words
        space = text.find(" ", start, at)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", at, end)
        end = space if space > at else end
    piece = " ".join(text[start:end].split())
    marked = pattern.sub(lambda m: HIGHLIGHT_START + m.group(0) + HIGHLIGHT_END, piece)
    return ("… " if start > 0 else "") + marked + (" …" if end < len(text) else "")


def _search_score(rank: float, best: float, when: str | None, newest: datetime | None) -> float:
    """Relevance relative to the best match (bm25 ranks are negative: nearer 0 is weaker), plus a
    recency bonus of up to SEARCH_RECENCY_WEIGHT that halves about every three weeks: a much weaker
    match never overtakes a strong one for being new, a near-tie goes to the newer."""
    relevance = rank / best if best else 1.0
    stamp = _parse_time(when)
    age = (newest - stamp) / timedelta(days=1) if newest and stamp else 10 * SEARCH_RECENCY_DAYS
    return relevance + SEARCH_RECENCY_WEIGHT * math.exp(-max(age, 0.0) / SEARCH_RECENCY_DAYS)


def connect_read_only(path: str, timeout: float = 30.0) -> sqlite3.Connection:
    """A connection that cannot write (`mode=ro`, `query_only`): readers never hold a write lock, and a
    `build` writing at the same time (WAL) never waits for them nor they for it."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA query_only = 1")
    # Reads through a shared memory map: every thread's connection (and every worker) uses the OS page
    # cache directly, instead of copying the same FTS and index pages into a private cache each.
    connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    return connection


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _json_list(text: str | None) -> list[Any]:
    try:
        value = json.loads(text or "[]")
    except json.JSONDecodeError:
        return []
    return value if isinstance(value, list) else []


def _forecast_keys(platform: str, url: str | None, title: str) -> list[tuple[str, str]]:
    """How a story's `Forecast` is matched to its `Question`: a story keeps the question's URL and title
    (not its id), and the platform as an id ("metaculus") or a display name ("Metaculus")."""
    where = platform.casefold()
    keys = [(where, "title:" + " ".join(title.split()).casefold())]
    if url:
        keys.append((where, "url:" + url.strip()))
    return keys


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression that finds every word of `text`; user syntax is never interpreted."""
    words = re.findall(r"\w+", text)
    return " ".join('"' + w.replace('"', "") + '"' for w in words[:20])


def _in_range(date: str | None, date_from: str | None, date_to: str | None) -> bool:
    day = (date or "")[:10]
    if date_from and (not day or day < date_from):
        return False
    return not (date_to and (not day or day > date_to))


def _article_row(row: sqlite3.Row) -> ArticleRow:
    # the lean stored with the article (0021_article_lean), not the registry's again
    return ArticleRow(
        id=row["id"], title=row["title"], outlet=row["outlet"], published=row["published"], url=row["url"],
        lean=row["lean"], story_id=row["story_id"],
    )


class _ReadStore(Store):
    """A `Store` over an existing read-only connection: no migration, no writes (see `library_store`)."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self.path = path
        self.connection = connection
        self._depth = 0
