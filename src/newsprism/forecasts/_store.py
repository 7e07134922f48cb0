"""Questions in the `forecasts` table (id, platform, data JSON); upserts are idempotent."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from newsprism.forecasts._question import ProbabilityPoint, Question

if TYPE_CHECKING:
    # annotations only: importing the store here would load sqlite and its repositories at CLI start-up
    from newsprism.store import StoreTables

__all__ = ["latest_updated", "load_questions", "upsert_questions"]


def _merge(old: Question, new: Question) -> Question:
    """`new` with the union of both histories, so repeated listings (which carry only the current
    probability on Manifold and Polymarket) build up a history over time."""
    points: dict[str, ProbabilityPoint] = {p.at: p for p in old.history}
    points.update({p.at: p for p in new.history})
    if old.updated and new.updated and old.updated > new.updated:
        # an older copy of the question (e.g. a stale file imported later) must not win
        return replace(old, history=tuple(sorted(points.values())))
    return replace(new, history=tuple(sorted(points.values())))


def upsert_questions(store: StoreTables, questions: Iterable[Question]) -> int:
    """Inserts or merges `questions`; returns how many rows changed (0 when re-importing the same data).

    Any change marks composed stories for recomposition, so their forecast links follow.
    """
    todo = list(questions)
    with store.transaction():
        # one read for every question's stored copy; `stored` follows the writes, so a question listed
        # twice merges with its first listing as it did when each was read back one by one
        stored = store.forecasts.data_of(q.id for q in todo)
        rows: list[tuple[str, str, str]] = []
        for question in todo:
            old = stored.get(question.id)
            merged = question if old is None else _merge(Question.from_json(json.loads(old)), question)
            data = json.dumps(merged.to_json(), ensure_ascii=False, sort_keys=True)
            if old is not None and old == data:
                continue
            stored[merged.id] = data
            rows.append((merged.id, merged.platform, data))
        store.forecasts.put(rows)  # in order: a later listing of an id overwrites an earlier one
    return len(rows)

def load_questions(store: StoreTables, *, platform: str | None = None,
                   open_only: bool = False) -> list[Question]:
    """Stored questions, ordered by id."""
    questions = [Question.from_json(json.loads(data)) for data in store.forecasts.all_data(platform)]
    return [q for q in questions if q.is_open] if open_only else questions


def latest_updated(store: StoreTables, platform: str) -> str | None:
    """The newest `updated` stamp stored for `platform`: where an incremental update resumes."""
    return store.forecasts.latest_updated(platform)
