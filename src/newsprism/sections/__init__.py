"""Topic sections of stories (World, Politics, Business, ...): a small linear classifier over the article
vector and hashed TF-IDF words.

    section = section_of(articles, vectors=by_id)  # the story's section: titles, leads, article vectors
    model = load_sections("sections.v2")           # the shipped model, loaded by name (numpy only)

The composer decides a story's section once, when it composes it (`Story.section`); the publisher
lists stories by it. Training and measurement live in `newsprism.evaluation.sections`
(`newsprism eval sections`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsprism._lazy import lazy_getattr
from newsprism.sections._names import SECTIONS, slug

if TYPE_CHECKING:
    from newsprism.sections._model import (
        DEFAULT_MODEL,
        FORMAT,
        FORMATS,
        SectionModel,
        VectorHead,
        article_text,
        hashed_counts,
        load_sections,
        section_of,
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

# the classifier (numpy) loads on first use: the site reads only the names, and `serve` starts faster
# without numpy (~0.1-0.2 s of each start on this machine)
_HOME = {name: "newsprism.sections._model" for name in
         ("DEFAULT_MODEL", "FORMAT", "FORMATS", "SectionModel", "VectorHead", "article_text", "hashed_counts",
          "load_sections", "section_of")}
__getattr__ = lazy_getattr(__name__, _HOME)
