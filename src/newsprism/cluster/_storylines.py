"""Storylines: stories of one thread (same actors, same issue) linked over weeks, each with a title."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsprism.analyse import ARTICLE_KIND, load_analyses
from newsprism.cluster._features import _entity_key, day_number
from newsprism.cluster._pending import next_id
from newsprism.settings import Settings
from newsprism.store import Store

__all__ = ["StorylineRule", "link_storylines", "shorten"]


@dataclass(frozen=True)
class StorylineRule:
    """Two stories are one thread when their centroids are this close and they share this many of their
    main entities (people, organisations, places named by most of their articles)."""

    # tuned by `python -m newsprism.cluster._tune_storylines` on MultiLing 2011 (in-sample, 10 topics):
    # storyline B³-F1 0.69 with a 365-day window (0.60 with 60 days; 0.52 before, old rule and model).
    # Threads are few and unrelated there, so the low cosine is checked only by those ten topics.
    min_cosine: float = 0.3
    min_shared_entities: int = 1
    strong_cosine: float = 0.5  # close enough that one shared entity will do


@dataclass
class _Story:
    id: str
    storyline: str | None
    day: float
    vector: npt.NDArray[np.float32]
    entities: Counter[str]  # key -> weight
    names: dict[str, str]  # key -> display form
    headline: str = ""  # the title of the story's first article
    size: int = 1


def _stories(store: Store, embedder: str) -> list[_Story]:
    db = store.connection
    rows = db.execute(
        "SELECT s.id, s.storyline_id, s.first_published, sa.article_id, a.title FROM stories s"
        " JOIN story_articles sa ON sa.story_id = s.id JOIN articles a ON a.id = sa.article_id"
        " WHERE s.retired_into IS NULL ORDER BY s.first_published, s.id, a.seq"
    ).fetchall()
    members: dict[str, list[str]] = {}
    meta: dict[str, tuple[str | None, str | None]] = {}
    headlines: dict[str, str] = {}
    for sid, line, first, article_id, title in rows:
        members.setdefault(sid, []).append(article_id)
        meta[sid] = (line, first)
        headlines.setdefault(sid, str(title or ""))
    stories = []
    for sid, ids in members.items():
        marks = ",".join("?" * len(ids))
        blobs = db.execute(
            f"SELECT vector FROM embeddings WHERE model = ? AND kind = ? AND key IN ({marks})",
            (embedder, ARTICLE_KIND, *ids),
        ).fetchall()
        if not blobs:
            continue
        vector = np.mean([np.frombuffer(b[0], dtype="<f4") for b in blobs], axis=0)
        vector = (vector / (np.linalg.norm(vector) or 1.0)).astype(np.float32)
        counts: Counter[str] = Counter()
        names: dict[str, str] = {}
        for analysis in load_analyses(store, ids).values():
            seen = set()
            for entity in (*analysis.title_entities, *analysis.entities):
                if entity.label in ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "LAW"):
                    key = _entity_key(entity.text)
                    names.setdefault(key, entity.text)
                    seen.add(key)
            # sorted: Counter breaks ties by insertion order, and a set's order changes with the hash seed
            counts.update(sorted(seen))
        line, first = meta[sid]
        stories.append(_Story(sid, line, day_number(first) or 0.0, vector, counts, names, headlines[sid],
                              len(ids)))
    return stories


_SET_LINE = "UPDATE stories SET storyline_id = ?, dirty = 1 WHERE id = ?"


def _main(story: _Story, top: int = 8) -> set[str]:
    return {k for k, _ in story.entities.most_common(top)}


def shorten(headline: str, limit: int = 80) -> str:
    """A headline cut at a word boundary to at most `limit` characters (with "…" when cut), without an
    outlet suffix ("... | Reuters", "... - BBC News")."""
    text = re.sub(r"\s+", " ", headline).strip()
    text = re.sub(r"\s+[|–—-]\s+[^|–—-]{2,40}$", "", text) if len(text) > 30 else text
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"


def _title(stories: list[_Story]) -> str:
    # the headline of the thread's largest story (the earliest among equals) reads like a page title;
    # an entity list ("Japan, South Korea, Yoon") does not
    lead = min(stories, key=lambda s: (-s.size, s.day, s.id))
    if lead.headline.strip():
        return shorten(lead.headline)
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for story in stories:
        counts.update(sorted(_main(story, 5)))
        for key, name in story.names.items():
            names.setdefault(key, name)
    return ", ".join(names[k] for k, _ in counts.most_common(3)) or "Untitled storyline"


def link_storylines(store: Store, settings: Settings, rule: StorylineRule = StorylineRule()) -> int:
    """Gives each live story without a storyline the storyline of its closest earlier (or later) story
    within `settings.storyline_window_days`, opening a storyline when two unlinked stories match.
    Stories keep the storyline they have. Returns the number of storylines in the store."""
    stories = _stories(store, settings.cluster_embedder)
    window = float(settings.storyline_window_days)
    db = store.connection
    changed: set[str] = set()
    with store.transaction():
        for story in stories:
            if story.storyline is not None:
                continue
            best, best_cos = None, rule.min_cosine
            main = _main(story)
            for other in stories:
                if other is story or abs(other.day - story.day) > window:
                    continue
                cosine = float(story.vector @ other.vector)
                shared = len(main & _main(other))
                enough = shared >= rule.min_shared_entities or (shared >= 1 and cosine >= rule.strong_cosine)
                if enough and cosine >= best_cos:
                    best, best_cos = other, cosine
            if best is None:
                continue
            if best.storyline is None:
                best.storyline = next_id(store, "storyline", "l")
                db.execute("INSERT INTO storylines (id, title) VALUES (?, '')", (best.storyline,))
                db.execute(_SET_LINE, (best.storyline, best.id))
            story.storyline = best.storyline
            db.execute(_SET_LINE, (story.storyline, story.id))
            changed.add(story.storyline)
        for line in changed:
            members = [s for s in stories if s.storyline == line]
            data = {"stories": [s.id for s in members]}
            db.execute("UPDATE storylines SET title = ?, data = ? WHERE id = ?",
                       (_title(members), json.dumps(data), line))
    return int(db.execute("SELECT count(*) FROM storylines").fetchone()[0])
