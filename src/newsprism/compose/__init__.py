"""The story composer: a set of articles about one event in, a `Story` page out.

    story = compose(store.get_articles(ids))                  # facts, narratives, quotes, ... (leans
                                                              # as stored with the articles)
    words = summarize(articles, max_words=250)                  # facts alone, most important first

Composers sit behind the one-method `Composer` protocol and are chosen by versioned name from
`COMPOSERS` (`Settings.composer`, default "extractive.v1"), so an abstractive writer can be added
without touching the rest.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

import newsprism._native  # noqa: F401  (first: see that module)
from newsprism.compose.extractive import EmbedFn, ExtractiveComposer, step_seconds, unknown_lean
from newsprism.errors import ConfigError
from newsprism.settings import Settings
from newsprism.types import Article, OutletRef, Story

if TYPE_CHECKING:
    from newsprism.analyse import Analysis

__all__ = [
    "COMPOSERS",
    "Composer",
    "EmbedFn",
    "ExtractiveComposer",
    "compose",
    "get_composer",
    "step_seconds",
    "summarize",
    "unknown_lean",
]


class Composer(Protocol):
    """Writes the story page of one event's articles."""

    def compose(
        self,
        articles: Sequence[Article],
        *,
        story_id: str | None = None,
        lean_of: Callable[[str | None], OutletRef] | None = None,
        independent: Mapping[str, str] | None = None,
        max_words: int | None = None,
        analyses: Mapping[str, Analysis] | None = None,
        vectors: Mapping[str, npt.NDArray[np.float32]] | None = None,
    ) -> Story: ...


# A factory takes the settings and, optionally, the sentence embedder to use (the store's cache when
# composing stored stories); without one the composer embeds with `settings.fast_embedder` itself.
COMPOSERS: dict[str, Callable[[Settings, EmbedFn | None], Composer]] = {
    "extractive.v1": lambda settings, embed: ExtractiveComposer(settings, embed=embed),
}
_INSTANCES: dict[Settings, Composer] = {}
_LOCK = threading.Lock()


def get_composer(settings: Settings | None = None, *, embed: EmbedFn | None = None) -> Composer:
    """The composer named by `settings.composer`: shared and embedding-cached, or, with `embed`, a new
    one that embeds sentences through it (the store's vector cache)."""
    settings = settings or Settings()
    if settings.composer not in COMPOSERS:
        raise ConfigError(f"unknown composer {settings.composer!r}; known: {', '.join(sorted(COMPOSERS))}")
    if embed is not None:
        return COMPOSERS[settings.composer](settings, embed)
    # keyed by the whole (frozen) settings: two settings that differ in any compose option never share one
    with _LOCK:
        if settings not in _INSTANCES:
            _INSTANCES[settings] = COMPOSERS[settings.composer](settings, None)
        return _INSTANCES[settings]


def compose(
    articles: Sequence[Article],
    *,
    story_id: str | None = None,
    lean_of: Callable[[str | None], OutletRef] | None = None,
    independent: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    max_words: int | None = None,
    analyses: Mapping[str, Analysis] | None = None,
    vectors: Mapping[str, npt.NDArray[np.float32]] | None = None,
) -> Story:
    """The story page of `articles`. `independent` maps article ids to independent-source groups
    (wire copies share one); by default one outlet is one source. `lean_of` gives outlet leans (by
    default the ones the articles carry, stored at ingest: `outlets.article_leans`). With
    `max_words`, the facts are the whole sentences that fit that budget, most important first. `analyses`:
    the store's analyses by article id (body sentences, dates, quantities read once). `vectors`: the
    article vectors (`analyse`'s, of the section model's embedder) by article id, for the section."""
    return get_composer(settings).compose(
        articles, story_id=story_id, lean_of=lean_of, independent=independent, max_words=max_words,
        analyses=analyses, vectors=vectors,
    )


def summarize(articles: Sequence[Article], max_words: int, *, settings: Settings | None = None) -> list[str]:
    """The extractive facts of `articles`, most important first: whole sentences, `max_words` in total
    at most (a sentence that would overflow is left out, never cut)."""
    composer = get_composer(settings)
    if not isinstance(composer, ExtractiveComposer):
        composer = ExtractiveComposer(settings)
    return composer.summary(articles, max_words)
