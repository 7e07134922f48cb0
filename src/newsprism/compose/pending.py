"""Compose every story the clusterer marked dirty, and store the result."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace

from newsprism.compose.extractive import EmbedFn, ExtractiveComposer, Matrix, unknown_lean
from newsprism.forecasts import claims_to_watch, link_forecasts, load_questions
from newsprism.progress import progress_bar
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Article, OutletRef, Story

__all__ = ["compose_pending", "story_body"]


def _lean_lookup(store: Store) -> Callable[[str | None], OutletRef]:
    """The outlet registry's lookup when the outlets stage is installed, else unknown leans."""
    try:
        from newsprism.outlets import lean_lookup
    except ImportError:
        return unknown_lean
    return lean_lookup(store)


def _store_embed(store: Store, name: str) -> EmbedFn:
    from newsprism.analyse import cached_embed, text_key

    def embed(texts: Sequence[str]) -> Matrix:
        # sentence vectors live in the store's `embeddings` table, so a recomposed story only embeds
        # the sentences of its new articles
        return cached_embed(store, name, "sentence", [text_key(t) for t in texts], texts)

    return embed


def _independent(store: Store, articles: Sequence[Article]) -> dict[str, str]:
    """Near-duplicate copies share the group of their original; otherwise one outlet is one source."""
    groups: dict[str, str] = {}
    ids = [a.id for a in articles]
    marks = ",".join("?" * len(ids))
    rows = store.connection.execute(
        f"SELECT article_id, original_id FROM near_duplicates WHERE article_id IN ({marks})", ids
    )
    for article_id, original_id in rows:
        groups[str(article_id)] = f"copy:{original_id}"
    for article in articles:
        if article.id not in groups and any(g == f"copy:{article.id}" for g in groups.values()):
            groups[article.id] = f"copy:{article.id}"
    return groups


def story_body(story: Story) -> str:
    """The searchable text of a story: lead, facts, narratives, quotes."""
    parts = [story.lead, *(f.text for f in story.facts), *(n.statement for n in story.narratives)]
    parts += [q.text for q in story.quotes]
    return "\n".join(p for p in parts if p)


def compose_pending(store: Store, settings: Settings, *, progress: bool = True) -> int:
    """Composes every story with `dirty = 1`, each in its own transaction; returns how many."""
    db = store.connection
    pending = [
        (str(r[0]), r[1])
        for r in db.execute(
            "SELECT id, storyline_id FROM stories WHERE dirty = 1 AND retired_into IS NULL ORDER BY id"
        )
    ]
    if not pending:
        return 0
    composer = ExtractiveComposer(settings, embed=_store_embed(store, settings.fast_embedder))
    lean_of = _lean_lookup(store)
    questions = load_questions(store, open_only=True)
    done = 0
    with progress_bar(enabled=progress) as bar:
        task = bar.add_task("composing stories", total=len(pending))
        for story_id, storyline in pending:
            ids = [
                str(r[0])
                for r in db.execute(
                    "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY article_id",
                    (story_id,),
                )
            ]
            articles = store.get_articles(ids)
            articles.sort(key=lambda a: (a.published or "", a.id))
            story = composer.compose(
                articles, story_id=story_id, lean_of=lean_of, independent=_independent(store, articles)
            )
            # forecasts and claims to watch belong to the page but not to the composer's pure job
            story = replace(
                story,
                storyline=None if storyline is None else str(storyline),
                forecasts=link_forecasts(story, questions) if questions else (),
                claims_to_watch=claims_to_watch(articles),
            )
            with store.transaction() as tx:
                tx.execute(
                    "UPDATE stories SET composed = ?, dirty = 0,"
                    " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                    (json.dumps(story.to_json(), ensure_ascii=False), story_id),
                )
                tx.execute("DELETE FROM stories_fts WHERE id = ?", (story_id,))
                tx.execute(
                    "INSERT INTO stories_fts (id, headline, body) VALUES (?,?,?)",
                    (story_id, story.headline, story_body(story)),
                )
            done += 1
            bar.advance(task)
    return done
