"""The stories of a store as plain JSON-ready records (the `newsprism cluster --json` shape)."""

from __future__ import annotations

from typing import Any

from newsprism.store import Store

__all__ = ["stories_of"]


def stories_of(store: Store) -> list[dict[str, Any]]:
    """`[{story, storyline, articles: [{id, path, title, outlet}]}]` for live stories, oldest first;
    articles in ingest order."""
    rows = store.connection.execute(
        "SELECT s.id, s.storyline_id, a.id, a.path, a.title, a.outlet FROM stories s"
        " JOIN story_articles sa ON sa.story_id = s.id JOIN articles a ON a.id = sa.article_id"
        " WHERE s.retired_into IS NULL ORDER BY s.id, a.seq"
    ).fetchall()
    stories: dict[str, dict[str, Any]] = {}
    for sid, line, aid, path, title, outlet in rows:
        story = stories.setdefault(sid, {"story": sid, "storyline": line, "articles": []})
        story["articles"].append({"id": aid, "path": path, "title": title, "outlet": outlet})
    return list(stories.values())
