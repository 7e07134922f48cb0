"""Topic sections of stories (World, Politics, Business, ...): a small hashed TF-IDF linear classifier.

    section = section_of(articles)              # the story's section, from its titles and leads
    model = load_sections("sections.v1")        # the shipped model, loaded by name (numpy only)

The composer decides a story's section once, when it composes it (`Story.section`); the publisher
lists stories by it. Training and measurement live in `newsprism.evaluation.sections`
(`newsprism eval sections`).
"""

from __future__ import annotations

from newsprism.sections._model import (
    DEFAULT_MODEL,
    FORMAT,
    SECTIONS,
    SectionModel,
    article_text,
    hashed_counts,
    load_sections,
    section_of,
    slug,
)

__all__ = [
    "DEFAULT_MODEL",
    "FORMAT",
    "SECTIONS",
    "SectionModel",
    "article_text",
    "hashed_counts",
    "load_sections",
    "section_of",
    "slug",
]
