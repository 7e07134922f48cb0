"""The stories tables (stories, story_articles, story_events, story_splits, storylines, counters) behind
typed methods: the clusterer, the split step and the storyline linker say what they want, the store says
how. Reads are batched (one statement for a window's members, not one per story); writes join the
caller's transaction when there is one (`Store.transaction()` nests)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.store._repository import Repository

__all__ = ["LineMember", "LiveArticle", "StoryMember", "StoryRepository", "StorySpan", "WindowMember"]

_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"


@dataclass(frozen=True)
class StoryMember:
    """An article of a live story, as the clusterer replays it (in ingest order)."""

    article_id: str
    story_id: str


@dataclass(frozen=True)
class StorySpan:
    """A live story and the days (ISO dates) its articles span."""

    id: str
    first_published: str | None
    last_published: str | None


@dataclass(frozen=True)
class WindowMember:
    """An article of a live story inside a storyline window, with its story's storyline and span."""

    story_id: str
    storyline_id: str | None
    first_published: str | None
    last_published: str | None
    article_id: str


@dataclass(frozen=True)
class LineMember:
    """A live story of a storyline: its first day, size and the title of its first article."""

    story_id: str
    first_published: str | None
    size: int
    first_title: str | None


@dataclass(frozen=True)
class LiveArticle:
    """An article of a live story with what `cluster --json` shows of it."""

    story_id: str
    storyline_id: str | None
    article_id: str
    path: str | None
    title: str
    outlet: str | None


class StoryRepository(Repository):
    """Stories of one store (`store.stories`)."""

    # --- ids ------------------------------------------------------------------------------

    def next_id(self, counter: str, prefix: str) -> str:
        """The next id of a counter (`s000001`, ...); ids are never reused, so nothing is renumbered."""
        with self._store.transaction() as db:
            db.execute("INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)", (counter,))
            db.execute("UPDATE counters SET value = value + 1 WHERE name = ?", (counter,))
            value = int(db.execute("SELECT value FROM counters WHERE name = ?", (counter,)).fetchone()[0])
        return f"{prefix}{value:06d}"

    # --- reads ----------------------------------------------------------------------------

    def unclustered_article_ids(self) -> list[str]:
        """Articles in no story yet, in ingest order."""
        rows = self._db.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles) ORDER BY seq")
        return [str(r[0]) for r in rows]

    def article_ids(self, story_id: str, *, by_publication: bool = False) -> list[str]:
        """The articles of a story, by id (or by publication, then ingest order)."""
        if by_publication:
            rows = self._db.execute(
                "SELECT sa.article_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
                " WHERE sa.story_id = ? ORDER BY a.published, a.seq", (story_id,))
        else:
            rows = self._db.execute(
                "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY article_id", (story_id,))
        return [str(r[0]) for r in rows]

    def article_outlets(self, story_id: str) -> list[str | None]:
        """The outlet of each article of a story (one per article, None when unknown)."""
        rows = self._db.execute(
            "SELECT a.outlet FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
            " WHERE sa.story_id = ?", (story_id,))
        return [None if r[0] is None else str(r[0]) for r in rows]

    def article_leans(self, story_id: str) -> list[str | None]:
        """The lean stored with each article of a story (0021_article_lean; None when unknown)."""
        rows = self._db.execute(
            "SELECT a.lean FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
            " WHERE sa.story_id = ?", (story_id,))
        return [None if r[0] is None else str(r[0]) for r in rows]

    def live_composed(self) -> list[tuple[str, str | None]]:
        """(id, composed JSON or None) of every live story, by id."""
        rows = self._db.execute("SELECT id, composed FROM stories WHERE retired_into IS NULL ORDER BY id")
        return [(str(i), None if c is None else str(c)) for i, c in rows]

    def framing_splits(self, threshold: float) -> list[tuple[str, str, float]]:
        """(id, headline, framing split) of every live story whose split is at least `threshold`, by id.

        The split is kept beside each story's summary when it is composed (0018_story_framing_split):
        only the stories past the threshold are read, from an index, never every story's JSON."""
        rows = self._db.execute(
            "SELECT story_id, headline, framing_split FROM story_summaries"
            " WHERE live = 1 AND framing_split IS NOT NULL AND framing_split >= ? ORDER BY story_id",
            (threshold,),
        )
        return [(str(i), str(h or ""), float(x)) for i, h, x in rows]

    def live_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM stories WHERE retired_into IS NULL").fetchone()[0])

    def dirty_ids(self) -> list[str]:
        """Live stories marked dirty, by id."""
        rows = self._db.execute("SELECT id FROM stories WHERE dirty = 1 AND retired_into IS NULL ORDER BY id")
        return [str(r[0]) for r in rows]

    def earliest_dirty(self) -> str | None:
        row = self._db.execute(
            "SELECT min(first_published) FROM stories WHERE dirty = 1 AND retired_into IS NULL").fetchone()
        return None if row[0] is None else str(row[0])

    def to_resplit(self, min_size: int) -> list[str]:
        """Live stories marked `resplit` with at least `min_size` articles, by id."""
        rows = self._db.execute(
            "SELECT s.id FROM stories s JOIN story_articles sa ON sa.story_id = s.id"
            " WHERE s.resplit = 1 AND s.retired_into IS NULL GROUP BY s.id HAVING count(*) >= ?"
            " ORDER BY s.id",
            (min_size,),
        )
        return [str(r[0]) for r in rows]

    def earliest_resplit(self) -> str | None:
        row = self._db.execute(
            "SELECT min(first_published) FROM stories WHERE resplit = 1 AND retired_into IS NULL").fetchone()
        return None if row[0] is None else str(row[0])

    def split_pairs(self) -> list[tuple[str, str]]:
        """(story, the story split off it) of every recorded split."""
        rows = self._db.execute("SELECT story_id, new_story_id FROM story_splits")
        return [(str(a), str(b)) for a, b in rows]

    def members_since(self, since: str) -> list[StoryMember]:
        """Members of live stories last active on or after day `since`, in ingest order (one query)."""
        rows = self._db.execute(
            "SELECT sa.article_id, sa.story_id FROM story_articles sa"
            " JOIN articles a ON a.id = sa.article_id"
            " JOIN stories s ON s.id = sa.story_id WHERE s.retired_into IS NULL AND s.last_published >= ?"
            " ORDER BY a.seq",
            (since,),
        )
        return [StoryMember(str(a), str(s)) for a, s in rows]

    def to_relink(self) -> list[StorySpan]:
        """Live stories whose articles changed since they were last linked into storylines."""
        rows = self._db.execute(
            "SELECT id, first_published, last_published FROM stories"
            " WHERE retired_into IS NULL AND relink = 1")
        return [StorySpan(str(i), first, last) for i, first, last in rows]

    def window_members(self, since: str, until: str) -> list[WindowMember]:
        """Members of live stories whose span meets days [since, until], by story start, story id and
        ingest order (one query)."""
        rows = self._db.execute(
            "SELECT s.id, s.storyline_id, s.first_published, s.last_published, sa.article_id FROM stories s"
            " JOIN story_articles sa ON sa.story_id = s.id JOIN articles a ON a.id = sa.article_id"
            " WHERE s.retired_into IS NULL AND s.last_published >= ? AND s.first_published <= ?"
            " ORDER BY s.first_published, s.id, a.seq",
            (since, until),
        )
        return [WindowMember(str(s), None if line is None else str(line), first, last, str(a))
                for s, line, first, last, a in rows]

    def line_members(self, storyline_id: str) -> list[LineMember]:
        """The live stories of a storyline, by first day and id, with their sizes and first titles."""
        rows = self._db.execute(
            "SELECT s.id, s.first_published, count(*),"
            " (SELECT a.title FROM story_articles x JOIN articles a ON a.id = x.article_id"
            "  WHERE x.story_id = s.id ORDER BY a.seq LIMIT 1)"
            " FROM stories s JOIN story_articles sa ON sa.story_id = s.id"
            " WHERE s.storyline_id = ? AND s.retired_into IS NULL GROUP BY s.id"
            " ORDER BY s.first_published, s.id",
            (storyline_id,),
        )
        return [LineMember(str(s), first, int(n), title) for s, first, n, title in rows]

    def live_articles(self) -> list[LiveArticle]:
        """Every article of every live story, by story id and ingest order (one query)."""
        rows = self._db.execute(
            "SELECT s.id, s.storyline_id, a.id, a.path, a.title, a.outlet FROM stories s"
            " JOIN story_articles sa ON sa.story_id = s.id JOIN articles a ON a.id = sa.article_id"
            " WHERE s.retired_into IS NULL ORDER BY s.id, a.seq")
        return [LiveArticle(str(s), None if line is None else str(line), str(a), path, str(title), outlet)
                for s, line, a, path, title, outlet in rows]

    def storyline_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM storylines").fetchone()[0])

    # --- writes ---------------------------------------------------------------------------

    def create(self, story_id: str) -> None:
        with self._store.transaction() as db:
            db.execute("INSERT INTO stories (id) VALUES (?)", (story_id,))

    def assign(self, story_id: str, article_id: str, score: float, day: str) -> None:
        """Puts an article in a story, marks the story dirty and widens its span to `day`."""
        with self._store.transaction() as db:
            db.execute("INSERT INTO story_articles (story_id, article_id, score) VALUES (?,?,?)",
                       (story_id, article_id, score))
            db.execute(
                f"UPDATE stories SET dirty = 1, updated_at = {_NOW},"
                " first_published = min(coalesce(first_published, ?), ?),"
                " last_published = max(coalesce(last_published, ?), ?) WHERE id = ?",
                (day, day, day, day, story_id),
            )

    def merge(self, survivor: str, retired: str, detail: dict[str, object]) -> None:
        """Moves `retired`'s articles into `survivor`, retires it (its row stays, `retired_into` set) and
        records the merge in `story_events` with `detail`."""
        with self._store.transaction() as db:
            db.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (survivor, retired))
            db.execute("UPDATE stories SET retired_into = ?, dirty = 1 WHERE id = ?", (survivor, retired))
            db.execute(
                "UPDATE stories SET first_published = min(first_published, (SELECT first_published"
                " FROM stories WHERE id = ?)),"
                " last_published = max(last_published, (SELECT last_published FROM stories WHERE id = ?))"
                " WHERE id = ?",
                (retired, retired, survivor),
            )
            db.execute(
                "INSERT INTO story_events (kind, story_id, other_id, detail) VALUES ('merge', ?, ?, ?)",
                (survivor, retired, json.dumps(detail)))

    def split(self, story_id: str, new_id: str, moved: Sequence[str], apart: float, together: float,
              reason: str) -> None:
        """Moves `moved` from `story_id` to the new story `new_id` and records the split; both stories are
        marked dirty and their spans follow the articles they keep."""
        with self._store.transaction() as db:
            # the moved part is another event: the storyline step places it afresh (a new story has
            # relink = 1)
            db.execute("INSERT INTO stories (id) VALUES (?)", (new_id,))
            marks = ",".join("?" * len(moved))
            db.execute(f"UPDATE story_articles SET story_id = ? WHERE article_id IN ({marks})",
                       (new_id, *moved))
            span = ("(SELECT {}(substr(coalesce(a.published, a.ingested_at), 1, 10)) FROM story_articles sa"
                    " JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ?1)")
            for sid in (story_id, new_id):
                # the story dates follow the articles that stay (published, else the day they were ingested)
                db.execute(
                    f"UPDATE stories SET dirty = 1, updated_at = {_NOW},"
                    f" first_published = {span.format('min')}, last_published = {span.format('max')}"
                    " WHERE id = ?1",
                    (sid,),
                )
            db.execute(
                "INSERT INTO story_splits (story_id, new_story_id, articles, apart, together, reason)"
                " VALUES (?,?,?,?,?,?)",
                (story_id, new_id, json.dumps(list(moved)), apart, together, reason),
            )
            db.execute(
                "INSERT INTO story_events (kind, story_id, other_id, detail) VALUES ('split', ?, ?, ?)",
                (story_id, new_id, json.dumps({"moved": list(moved), "apart": round(apart, 4),
                                               "together": round(together, 4), "reason": reason})),
            )

    def clear_resplit(self) -> None:
        with self._store.transaction() as db:
            db.execute("UPDATE stories SET resplit = 0 WHERE resplit = 1")

    def open_storyline(self, storyline_id: str) -> None:
        with self._store.transaction() as db:
            db.execute("INSERT INTO storylines (id, title) VALUES (?, '')", (storyline_id,))

    def set_storyline(self, story_id: str, storyline_id: str) -> None:
        with self._store.transaction() as db:
            db.execute("UPDATE stories SET storyline_id = ?, dirty = 1 WHERE id = ?",
                       (storyline_id, story_id))

    def title_storyline(self, storyline_id: str, title: str, story_ids: Sequence[str]) -> None:
        with self._store.transaction() as db:
            db.execute("UPDATE storylines SET title = ?, data = ? WHERE id = ?",
                       (title, json.dumps({"stories": list(story_ids)}), storyline_id))

    def mark_linked(self, story_ids: Sequence[str]) -> None:
        with self._store.transaction() as db:
            db.executemany(f"UPDATE stories SET relink = 0, linked_at = {_NOW} WHERE id = ?",
                           [(sid,) for sid in story_ids])
