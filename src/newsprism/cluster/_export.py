"""The clustering of a store as plain records: which articles form each live story, and its storyline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsprism.store import StoreTables

__all__ = ["ClusteredArticle", "ClusteredStory", "stories_of"]


@dataclass(frozen=True)
class ClusteredArticle:
    id: str
    path: str | None
    title: str
    outlet: str | None


@dataclass(frozen=True)
class ClusteredStory:
    story: str
    storyline: str | None
    articles: tuple[ClusteredArticle, ...]

    def to_json(self) -> dict[str, Any]:
        """`{story, storyline, articles: [{id, path, title, outlet}]}`, the shape `cluster --json` prints."""
        return {"story": self.story, "storyline": self.storyline,
                "articles": [{"id": a.id, "path": a.path, "title": a.title, "outlet": a.outlet}
                             for a in self.articles]}


def stories_of(store: StoreTables) -> list[ClusteredStory]:
    """Live stories, oldest first, with their articles in ingest order."""
    members: dict[tuple[str, str | None], list[ClusteredArticle]] = {}
    for row in store.stories.live_articles():
        members.setdefault((row.story_id, row.storyline_id), []).append(
            ClusteredArticle(row.article_id, row.path, row.title, row.outlet))
    return [ClusteredStory(sid, line, tuple(articles)) for (sid, line), articles in members.items()]
