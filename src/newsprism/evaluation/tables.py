"""The lab's own reads and resets of a store, in one place: what it asks of the tables to score a
clustering, which no stage needs, so none of it sits in the product's repositories (issue #18).

Every other lab module goes through these functions or the store's repositories; tests/test_store_tables.py
checks that only this module of `evaluation/` runs SQL.
"""

from __future__ import annotations

from newsprism.store import Store

__all__ = ["article_groups", "copy_store", "live_story_groups", "unlink_storylines"]


def article_groups(store: Store) -> tuple[dict[str, str], dict[str, str]]:
    """Each clustered article's story id, and its storyline id (its story's id when in no storyline)."""
    rows = store.connection.execute(
        "SELECT sa.article_id, sa.story_id, coalesce(s.storyline_id, s.id) FROM story_articles sa"
        " JOIN stories s ON s.id = sa.story_id"
    ).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}, {str(r[0]): str(r[2]) for r in rows}


def live_story_groups(store: Store) -> list[str]:
    """The storyline id of each live story (its own id when in no storyline), one entry per story."""
    rows = store.connection.execute(
        "SELECT coalesce(storyline_id, id) FROM stories WHERE retired_into IS NULL").fetchall()
    return [str(r[0]) for r in rows]


def unlink_storylines(store: Store) -> None:
    """Drops every storyline and marks every story to be linked again, so a rule can be tried afresh."""
    db = store.connection
    with store.transaction():
        db.execute("UPDATE stories SET storyline_id = NULL, linked_at = NULL, relink = 1")
        db.execute("DELETE FROM storylines")


def copy_store(source: Store, target: Store) -> None:
    """`target` becomes a copy of `source` (SQLite's online backup), so trials start from one first pass."""
    source.connection.backup(target.connection)
