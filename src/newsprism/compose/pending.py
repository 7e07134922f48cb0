"""Compose every story the clusterer marked dirty, and store the result."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace

from newsprism.analyse import Span, load_analyses
from newsprism.compose import get_composer
from newsprism.compose.extractive import EmbedFn, Matrix
from newsprism.forecasts import Question, claims_to_watch, link_forecasts, load_questions
from newsprism.outlets import sync_leans
from newsprism.progress import progress_bar
from newsprism.settings import Settings
from newsprism.store import StoreTables
from newsprism.types import Article, Story

__all__ = [
    "compose_pending", "independent_groups", "sentence_keys", "story_articles", "story_body", "story_page",
    "story_vectors",
]


def _store_embed(store: StoreTables, name: str) -> EmbedFn:
    from newsprism.analyse import cached_embed, text_key

    def embed(texts: Sequence[str]) -> Matrix:
        # sentence vectors live in the store's `embeddings` table, so a recomposed story only embeds
        # the sentences of its new articles
        return cached_embed(store, name, "sentence", [text_key(t) for t in texts], texts)

    return embed


def sentence_keys(articles: Sequence[Article],
                  sentences: Mapping[str, Sequence[Span]] | None = None) -> set[str]:
    """The `embeddings` keys (kind "sentence") under which composing these articles stores vectors: each
    unit's text and each title (`ExtractiveComposer.prepare`), so retention can drop them with the
    articles. Units are per article, so the keys do not depend on the story an article is in. The texts
    are those of `build_units` (body sentences, then captions not in the body, whitespace collapsed),
    without the cues it also reads (a test holds the two equal): those cost 30x the split. `sentences`,
    the stored analyses' body sentences by article id (`split_sentences(article.text)`, computed once
    at analysis), spare splitting the bodies again."""
    from newsprism.analyse import split_sentences, text_key

    known = sentences or {}
    keys = {text_key(a.title or "") for a in articles}
    for article in articles:
        spans = list(known[article.id] if article.id in known else split_sentences(article.text))
        for caption in article.captions:
            if caption and caption not in article.text:
                spans += split_sentences(caption)
        keys.update(text_key(" ".join(span.text.split())) for span in spans)
    return keys


def story_articles(store: StoreTables, story_id: str) -> list[Article]:
    """The articles of a stored story in the order the composer reads them: by publication, then id."""
    ids = store.stories.article_ids(story_id)
    return sorted(store.get_articles(ids), key=lambda a: (a.published or "", a.id))


def story_vectors(store: StoreTables, articles: Sequence[Article]) -> dict[str, Matrix]:
    """The article vectors the section model reads (`analyse` stored them, kind "article", under the
    model's embedder), by article id; empty for a text-only model or articles not analysed yet."""
    from newsprism.analyse import ARTICLE_KIND
    from newsprism.sections import load_sections

    embedder = load_sections().embedder
    out: dict[str, Matrix] = {}
    if embedder is None:
        return out
    out.update(store.embeddings.get(embedder, ARTICLE_KIND, [a.id for a in articles]))
    return out


def story_page(
    story: Story, articles: Sequence[Article], *, storyline: str | None, questions: Sequence[Question]
) -> Story:
    """The composed story as its page shows it: with its storyline, linked forecasts and claims to watch.

    These belong to the page, not to the composer's pure job; store-free, so the batch runner shares it.
    """
    return replace(
        story,
        storyline=storyline,
        forecasts=link_forecasts(story, questions) if questions else (),
        claims_to_watch=claims_to_watch(articles),
    )


def independent_groups(store: StoreTables, articles: Sequence[Article]) -> dict[str, str]:
    """Near-duplicate copies share the group of their original; otherwise one outlet is one source."""
    groups: dict[str, str] = {}
    for article_id, original_id in store.originals_of([a.id for a in articles]):
        groups[article_id] = f"copy:{original_id}"
    for article in articles:
        if article.id not in groups and any(g == f"copy:{article.id}" for g in groups.values()):
            groups[article.id] = f"copy:{article.id}"
    return groups


def story_body(story: Story) -> str:
    """The searchable text of a story: lead, facts, narratives, quotes."""
    parts = [story.lead, *(f.text for f in story.facts), *(n.statement for n in story.narratives)]
    parts += [q.text for q in story.quotes]
    return "\n".join(p for p in parts if p)


def compose_pending(store: StoreTables, settings: Settings, *, progress: bool = True) -> int:
    """Composes every story with `dirty = 1`, each in its own transaction; returns how many."""
    pending = store.dirty_stories()
    if not pending:
        return 0
    composer = get_composer(settings, embed=_store_embed(store, settings.fast_embedder))
    sync_leans(store)  # a build after a package upgrade, before any ingest: the leans it ships
    questions = load_questions(store, open_only=True)
    done = 0
    with progress_bar(enabled=progress) as bar:
        task = bar.add_task("composing stories", total=len(pending))
        for story_id, storyline in pending:
            articles = story_articles(store, story_id)
            # the sentences, dates and quantities analysis stored: read once per article, at analyse,
            # not again per compose
            analyses = load_analyses(store, [a.id for a in articles])
            story = composer.compose(
                articles, story_id=story_id, independent=independent_groups(store, articles),
                analyses=analyses, vectors=story_vectors(store, articles),
            )
            story = story_page(story, articles, storyline=storyline, questions=questions)
            store.save_composed(story_id, json.dumps(story.to_json(), ensure_ascii=False), story.headline,
                                story_body(story))
            done += 1
            bar.advance(task)
    return done
