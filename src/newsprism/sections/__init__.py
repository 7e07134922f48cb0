"""Topic sections of stories (World, Politics, Business, ...): a small linear classifier over the article
vector and hashed TF-IDF words.

    section = section_of(articles, vectors=by_id)  # the story's section: titles, leads, article vectors
    model = load_sections("sections.v2")           # the shipped model, loaded by name (numpy only)

The composer decides a story's section once, when it composes it (`Story.section`); the publisher
lists stories by it. Training and measurement live in `newsprism.evaluation.sections`
(`newsprism eval sections`).
"""

from __future__ import annotations

from newsprism.sections._model import (
    DEFAULT_MODEL,
    FORMAT,
    FORMATS,
    SECTIONS,
    SectionModel,
    VectorHead,
    article_text,
    hashed_counts,
    load_sections,
    section_of,
    slug,
)

__all__ = [
    "DEFAULT_MODEL",
    "FORMAT",
    "FORMATS",
    "SECTIONS",
    "SectionModel",
    "VectorHead",
    "article_text",
    "hashed_counts",
    "load_sections",
    "section_of",
    "slug",
]
