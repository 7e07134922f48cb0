"""The compose stage: one composed story per story, independent of every other story, so it runs in
parallel wherever the story's articles are."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from newsprism.types import Article

__all__ = ["ComposedStory", "StoryInput", "compose_stories"]


@dataclass(frozen=True)
class StoryInput:
    """A story's id and storyline (from the assignment) and its articles in ingest order."""

    story_id: str
    storyline_id: str | None
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class ComposedStory:
    story_id: str
    composed: str  # `Story.to_json()` as JSON text, the shape of `stories.composed`


def compose_stories(batch: list[StoryInput]) -> list[ComposedStory]:
    """`newsprism.compose.compose` of each story, carrying the story's stable id and storyline."""
    from newsprism.compose import compose

    out = []
    for item in batch:
        story = replace(compose(list(item.articles)), id=item.story_id, storyline=item.storyline_id)
        out.append(ComposedStory(item.story_id, json.dumps(story.to_json(), ensure_ascii=False)))
    return out
