"""`prune`: drop the articles and stories older than a cutoff day, with everything derived from them.

What goes, one transaction per batch of old articles (a kill between batches leaves a consistent store;
a rerun finds what is left and goes on):

1. a story goes when every one of its articles is old, with all its articles, the stories merged into it
   (`retired_into`, recursively), its merge/split events, its splits, its summary and search row, and its
   storyline once no story is left in it;
2. an old article in no story goes; an old article of a story that also has newer ones stays ("spared"):
   a story is never cut in two, which would change its page under its readers and need a recompose;
3. with an article go its sightings, near-duplicate links, MinHash, analysis, search row and embeddings
   (its article and title vectors, and the sentence vectors composing it stored: `sentence_keys`).

An article is old when it was published before the cutoff day (the date as its outlet wrote it, as the
day pages read it); an undated article, when it was stored before it. Every step is an index lookup:
the old articles are read in (date, seq) order from an index range, never by a scan of the store.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from newsprism.errors import ConfigError
from newsprism.store import StoreTables
from newsprism.types import Article

if TYPE_CHECKING:
    from newsprism.analyse import Span

__all__ = ["PRUNED_TABLES", "PruneReport", "cutoff_day", "parse_age", "prune"]

# The tables a prune deletes from, in the order the report lists them.
PRUNED_TABLES = (
    "articles", "sightings", "near_duplicates", "minhashes", "analyses", "embeddings", "articles_fts",
    "stories", "story_articles", "story_events", "story_splits", "story_summaries", "stories_fts",
    "storylines",
)
_AGE = re.compile(r"^\s*(\d+)\s*([dwy]?)\s*$")
_DAYS = {"": 1, "d": 1, "w": 7, "y": 365}


def parse_age(text: str) -> int:
    """Days in "90d", "12w", "1y" or a bare number of days."""
    match = _AGE.match(text)
    if match is None or int(match[1]) <= 0:
        raise ConfigError(f"not an age: {text!r} (e.g. 90d, 12w, 1y)")
    return int(match[1]) * _DAYS[match[2]]


def cutoff_day(days: int, now: datetime | None = None) -> str:
    """The first day kept when keeping `days` days up to today (UTC): everything before it goes."""
    today = (now or datetime.now(UTC)).date()
    return (today - timedelta(days=days - 1)).isoformat()


@dataclass(frozen=True)
class PruneReport:
    """What a prune deleted (or, with `dry_run`, would delete), table by table."""

    cutoff: str  # YYYY-MM-DD: what is dated before this day is old
    dry_run: bool
    counts: tuple[tuple[str, int], ...]
    spared: int  # old articles kept because their story has newer ones

    def count(self, table: str) -> int:
        return dict(self.counts).get(table, 0)

    @property
    def deleted(self) -> int:
        return sum(n for _, n in self.counts)

    def summary(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        parts = ", ".join(f"{n} {table}" for table, n in self.counts if n) or "nothing"
        spared = f"; {self.spared} old articles kept with their newer stories" if self.spared else ""
        return f"before {self.cutoff}: {verb} {parts}{spared}"

    def to_json(self) -> dict[str, Any]:
        return {"cutoff": self.cutoff, "dry_run": self.dry_run, "counts": dict(self.counts),
                "spared": self.spared}


class _Rollback(Exception):
    """Raised inside a dry run's transaction so everything it did is rolled back."""


# (the articles, their stored body sentences by id) -> the sentence-vector keys composing them used
KeysOf = Callable[[Sequence[Article], Mapping[str, Sequence["Span"]]], set[str]]


def _sentence_keys(articles: Sequence[Article], sentences: Mapping[str, Sequence[Span]]) -> set[str]:
    from newsprism.compose.pending import sentence_keys

    return sentence_keys(articles, sentences)


def prune(store: StoreTables, before: str | date, *, dry_run: bool = False, batch: int = 500,
          keys_of: KeysOf = _sentence_keys) -> PruneReport:
    """Deletes what is older than the day `before` (see the module docstring); with `dry_run`, the
    same work in one transaction rolled back, so the counts are exact and nothing changes."""
    cut = before.isoformat() if isinstance(before, date) else date.fromisoformat(before).isoformat()
    counts: Counter[str] = Counter()
    spared = 0

    def run() -> None:
        nonlocal spared
        for ids in store.retention.old_articles(cut, batch):
            with store.transaction():
                done, kept = _prune_batch(store, ids, cut, keys_of)
                if any(done.values()) and not dry_run:
                    store.retention.mark_pruned()  # every cached page's version includes this counter
            counts.update(done)
            spared += kept

    if dry_run:
        try:
            with store.transaction():
                run()
                raise _Rollback
        except _Rollback:
            pass
    else:
        run()
    return PruneReport(cut, dry_run, tuple((t, counts[t]) for t in PRUNED_TABLES), spared)


def _prune_batch(store: StoreTables, ids: Sequence[str], cut: str,
                 keys_of: KeysOf) -> tuple[Counter[str], int]:
    """Deletes the old articles `ids` that may go and the stories that go with them; (counts, spared)."""
    tables = store.retention
    story_of = tables.story_of(ids)
    candidates = sorted(set(story_of.values()))
    kept = tables.with_newer_articles(candidates, cut)  # a story with a newer article stays, whole
    doomed = [s for s in candidates if s not in kept]
    stories = tables.with_retired(doomed)
    members = tables.members(stories)
    articles = sorted({a for a in ids if a not in story_of} | set(members))
    spared = sum(1 for a in ids if story_of.get(a) in kept)
    keys: list[str] = []
    if articles:
        from newsprism.analyse import load_analyses

        # only an analysed article was ever composed (analysis comes before clustering), so only its
        # sentences can have vectors; its stored sentences spare splitting its text again
        analysed = {i: a.sentences for i, a in load_analyses(store, articles).items()}
        if analysed:
            keys = sorted(keys_of(store.get_articles(list(analysed)), analysed))
    return tables.delete(articles, stories, keys), spared
