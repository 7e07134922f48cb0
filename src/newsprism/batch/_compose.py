"""The compose stage: one composed story per story, independent of every other story, so it runs in
parallel wherever the story's articles are.

It composes exactly as `compose_pending` does (articles by publication date, the story's id and
storyline, near-duplicate copies counted as one source, the outlet leans stored with the articles,
claims to watch); what `compose_pending` reads from the store, the driver puts into the `StoryInput`.
Forecasts are not linked here: a batch run has no forecast questions, as a fresh store has none;
`newsprism forecasts update` links them after `load`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from newsprism.analyse import Analysis
from newsprism.settings import Settings
from newsprism.store import StoreTables
from newsprism.types import Article

__all__ = ["ComposedStory", "StoryInput", "compose_stories", "story_input"]


@dataclass(frozen=True)
class StoryInput:
    """What composing one story needs: its id and storyline, its articles in the order the composer
    reads them, the independent-source group of each copied article, the article vectors the
    section model reads (as `story_vectors`), and the articles' stored analyses (sentences, dates,
    quantities), by article id."""

    story_id: str
    storyline_id: str | None
    articles: tuple[Article, ...]
    independent: Mapping[str, str] = field(default_factory=dict)
    vectors: Mapping[str, npt.NDArray[np.float32]] = field(default_factory=dict)
    analyses: Mapping[str, Analysis] = field(default_factory=dict)


@dataclass(frozen=True)
class ComposedStory:
    story_id: str
    composed: str  # `Story.to_json()` as JSON text, the shape of `stories.composed`
    headline: str
    body: str  # the searchable text (`story_body`), for `stories_fts`


def story_input(store: StoreTables, story_id: str, storyline_id: str | None) -> StoryInput:
    """The `StoryInput` of a stored story, read as `compose_pending` reads it."""
    from newsprism.analyse import load_analyses
    from newsprism.compose.pending import independent_groups, story_articles, story_vectors

    articles = story_articles(store, story_id)
    return StoryInput(story_id, storyline_id, tuple(articles), independent_groups(store, articles),
                      story_vectors(store, articles), load_analyses(store, [a.id for a in articles]))


def compose_stories(batch: list[StoryInput], settings: Settings) -> list[ComposedStory]:
    """The composed story of each `StoryInput`, with the configured composer."""
    from newsprism.compose import get_composer
    from newsprism.compose.pending import story_body, story_page

    composer = get_composer(settings)
    out = []
    for item in batch:
        # the leans the working store's writer stored with the articles, as `compose_pending` reads them
        story = composer.compose(item.articles, story_id=item.story_id, independent=item.independent,
                                 vectors=item.vectors, analyses=item.analyses)
        story = story_page(story, item.articles, storyline=item.storyline_id, questions=())
        out.append(ComposedStory(item.story_id, json.dumps(story.to_json(), ensure_ascii=False),
                                 story.headline, story_body(story)))
    return out
