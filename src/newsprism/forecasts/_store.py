"""Questions in the `forecasts` table (id, platform, data JSON); upserts are idempotent."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from newsprism.forecasts._question import ProbabilityPoint, Question
from newsprism.store import Store

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


def upsert_questions(store: Store, questions: Iterable[Question]) -> int:
    """Inserts or merges `questions`; returns how many rows changed (0 when re-importing the same data).

    Any change marks composed stories for recomposition, so their forecast links follow.
    """
    changed = 0
    with store.transaction() as db:
        for question in questions:
            row = db.execute("SELECT data FROM forecasts WHERE id = ?", (question.id,)).fetchone()
            merged = question if row is None else _merge(Question.from_json(json.loads(row[0])), question)
            data = json.dumps(merged.to_json(), ensure_ascii=False, sort_keys=True)
            if row is not None and row[0] == data:
                continue
            db.execute(
                "INSERT INTO forecasts (id, platform, data) VALUES (?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET platform = excluded.platform, data = excluded.data",
                (merged.id, merged.platform, data),
            )
            changed += 1
        if changed:
            # forecast links are part of each composed page: the next `build` relinks every story
            db.execute("UPDATE stories SET dirty = 1 WHERE composed IS NOT NULL")
    return changed


def load_questions(store: Store, *, platform: str | None = None, open_only: bool = False) -> list[Question]:
    """Stored questions, ordered by id."""
    sql, args = "SELECT data FROM forecasts", []
    if platform is not None:
        sql, args = sql + " WHERE platform = ?", [platform]
    questions = [
        Question.from_json(json.loads(r[0])) for r in store.connection.execute(sql + " ORDER BY id", args)
    ]
    return [q for q in questions if q.is_open] if open_only else questions


def latest_updated(store: Store, platform: str) -> str | None:
    """The newest `updated` stamp stored for `platform`: where an incremental update resumes."""
    row = store.connection.execute(
        "SELECT max(json_extract(data, '$.updated')) FROM forecasts WHERE platform = ?", (platform,)
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])
