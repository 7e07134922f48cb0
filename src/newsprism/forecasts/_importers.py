"""Importers for the public JSON shapes of Metaculus, Manifold and Polymarket question listings.

Fields read (everything else is ignored, so new fields in the APIs do not break imports):

Metaculus, current API (`GET /api/posts/` → `{"results": [post, ...]}`, or one post):
    post.id (the id in the URL), post.title, post.slug, post.edited_at / post.published_at (updated),
    post.question.{title, description, type, status, scheduled_resolve_time, scheduled_close_time,
    resolution, options, scaling.{range_min, range_max, zero_point}},
    post.question.aggregations.recency_weighted.{latest, history[]}.{start_time (epoch s), centers[]}
    (falling back to the `unweighted` aggregation when the recency-weighted one is absent).
Metaculus, legacy api2 (`GET /api2/questions/` → `{"results": [question, ...]}`, or one question):
    id, title, page_url / url, description, possibilities.type, active_state / status, resolve_time,
    close_time, last_activity_time, resolution, community_prediction.full.{q1,q2,q3},
    community_prediction.history[].{t, x1.q2} or prediction_timeseries[].{t, community_prediction}.
Manifold (`GET /v0/markets` → `[market, ...]`, or one market from `/v0/market/{id}`):
    id, question, url, outcomeType, probability, closeTime (epoch ms), isResolved, resolution,
    lastUpdatedTime (epoch ms; else createdTime), textDescription, answers[].{text, probability}.
Polymarket gamma (`GET /markets` → `[market, ...]`, or one market):
    id, question, slug, description, outcomes and outcomePrices (JSON arrays *encoded as strings*;
    newer payloads may send real arrays), endDate, closed, updatedAt.

An entry that cannot be read is returned as a `Rejection` with the reason, not raised.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsprism.errors import InputError
from newsprism.forecasts._question import PLATFORMS, ProbabilityPoint, Question
from newsprism.types import Rejection

__all__ = ["ImportResult", "detect_platform", "parse_listing", "read_listing"]

METACULUS_SITE = "https://www.metaculus.com"


@dataclass(frozen=True)
class ImportResult:
    questions: tuple[Question, ...]
    rejections: tuple[Rejection, ...] = ()


def _iso(value: Any) -> str | None:
    """ISO 8601 UTC (`YYYY-MM-DDTHH:MM:SSZ`) from an ISO string or epoch seconds/milliseconds."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value  # Manifold sends milliseconds
        return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = str(value).strip().replace(" ", "T", 1)
    if text.endswith("+00"):
        text += ":00"  # Polymarket's closedTime uses a bare '+00' offset
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _items(data: Any) -> list[Any]:
    if isinstance(data, Mapping):
        for key in ("results", "markets", "data"):
            if isinstance(data.get(key), list):
                return list(data[key])
        return [data]
    if isinstance(data, list):
        return data
    raise InputError("a question listing must be a JSON object or array")


def detect_platform(data: Any) -> str:
    """Which platform's shape `data` (a parsed listing or single entry) has."""
    items = [i for i in _items(data) if isinstance(i, Mapping)]
    if not items:
        raise InputError("empty listing: cannot tell its platform")
    first = items[0]
    if "outcomePrices" in first or "conditionId" in first:
        return "polymarket"
    if "outcomeType" in first or "mechanism" in first or "isResolved" in first:
        return "manifold"
    if (
        isinstance(first.get("question"), Mapping)
        or "community_prediction" in first
        or "possibilities" in first
    ):
        return "metaculus"
    raise InputError("unknown listing shape: expected Metaculus, Manifold or Polymarket JSON")


# --- Metaculus ---------------------------------------------------------------------------------


def _scaled(center: float, scaling: Mapping[str, Any]) -> float | None:
    """A continuous question's internal 0–1 location mapped onto its real axis (linear or log)."""
    low, high, zero = scaling.get("range_min"), scaling.get("range_max"), scaling.get("zero_point")
    if low is None or high is None:
        return None
    lo, hi = float(low), float(high)
    if zero is not None and lo != float(zero):
        # Metaculus log scale: the axis is exponential with this ratio of derivatives at the ends
        ratio = (hi - float(zero)) / (lo - float(zero))
        if ratio > 0 and ratio != 1:
            return lo + (hi - lo) * (float(ratio**center) - 1) / (ratio - 1)
    return lo + center * (hi - lo)


def _summary(kind: str, centers: Sequence[float], question: Mapping[str, Any]) -> str | None:
    if not centers:
        return None
    if kind == "multiple_choice":
        options = question.get("options") or []
        pairs = sorted(zip(options, centers, strict=False), key=lambda p: -p[1])[:3]
        return ", ".join(f"{name} {round(100 * p)}%" for name, p in pairs) or None
    value = _scaled(centers[0], question.get("scaling") or {})
    if value is None:
        return None
    if kind == "date":
        return f"median {_iso(value)[:10]}"  # type: ignore[index]
    return f"median {value:.3g}"


def _metaculus_post(post: Mapping[str, Any], now: str) -> Question:
    q = post["question"]
    kind = str(q.get("type") or "binary")
    aggregations = q.get("aggregations") or {}
    aggregation = aggregations.get("recency_weighted") or aggregations.get("unweighted") or {}
    history = tuple(
        ProbabilityPoint(_iso(h["start_time"]) or "", float(h["centers"][0]))
        for h in aggregation.get("history") or ()
        if h.get("centers") and kind == "binary"
    )
    latest = aggregation.get("latest") or {}
    centers = [float(c) for c in latest.get("centers") or ()]
    if kind == "binary" and centers and (not history or history[-1].probability != centers[0]):
        history += (ProbabilityPoint(_iso(latest.get("start_time")) or now, centers[0]),)
    status = str(q.get("status") or post.get("status") or "open")
    return Question(
        id=f"metaculus:{post['id']}",
        platform="metaculus",
        title=str(q.get("title") or post["title"]),
        url=f"{METACULUS_SITE}/questions/{post['id']}/",
        status="open" if status == "open" else "closed",
        updated=_iso(post.get("edited_at") or post.get("published_at")),
        description=str(q.get("description") or ""),
        resolution_date=_iso(q.get("scheduled_resolve_time") or q.get("scheduled_close_time")),
        probability=centers[0] if kind == "binary" and centers else None,
        summary=None if kind == "binary" else _summary(kind, centers, q),
        history=history,
        kind=kind,
        resolution=None if q.get("resolution") is None else str(q.get("resolution")),
    )


def _metaculus_legacy(item: Mapping[str, Any], now: str) -> Question:
    kind = str((item.get("possibilities") or {}).get("type") or item.get("type") or "binary")
    prediction = item.get("community_prediction") or {}
    full = prediction.get("full") or {} if isinstance(prediction, Mapping) else {}
    q2 = full.get("q2")
    points = (
        [(h.get("t"), (h.get("x1") or {}).get("q2")) for h in (prediction.get("history") or ())]
        if isinstance(prediction, Mapping)
        else []
    )
    points += [(h.get("t"), h.get("community_prediction")) for h in item.get("prediction_timeseries") or ()]
    history = tuple(
        sorted(
            ProbabilityPoint(_iso(t) or "", float(p)) for t, p in points if t is not None and p is not None
        )
    )
    state = str(item.get("active_state") or item.get("status") or "OPEN").lower()
    page = str(item.get("page_url") or item.get("url") or f"/questions/{item['id']}/")
    return Question(
        id=f"metaculus:{item['id']}",
        platform="metaculus",
        title=str(item["title"]),
        url=page if page.startswith("http") else METACULUS_SITE + page,
        status="open" if state in ("open", "active") else "closed",
        updated=_iso(item.get("last_activity_time") or item.get("publish_time")) or now,
        description=str(item.get("description") or ""),
        resolution_date=_iso(item.get("resolve_time") or item.get("close_time")),
        probability=float(q2) if kind == "binary" and q2 is not None else None,
        summary=None if kind == "binary" or q2 is None else f"median (scaled) {float(q2):.3g}",
        history=history if kind == "binary" else (),
        kind=kind,
        resolution=None if item.get("resolution") is None else str(item.get("resolution")),
    )


# --- Manifold ----------------------------------------------------------------------------------


def _manifold(market: Mapping[str, Any], now: str) -> Question:
    kind = str(market.get("outcomeType") or "BINARY")
    probability = market.get("probability") if kind == "BINARY" else None
    closed = bool(market.get("isResolved")) or (_iso(market.get("closeTime")) or "9999") <= now
    updated = _iso(market.get("lastUpdatedTime") or market.get("createdTime"))
    answers = sorted(
        ((str(a.get("text")), float(a.get("probability") or 0)) for a in market.get("answers") or ()),
        key=lambda a: -a[1],
    )[:3]
    return Question(
        id=f"manifold:{market['id']}",
        platform="manifold",
        title=str(market["question"]),
        url=market.get("url"),
        status="closed" if closed else "open",
        updated=updated,
        description=str(market.get("textDescription") or ""),
        resolution_date=_iso(market.get("closeTime")),
        probability=None if probability is None else float(probability),
        summary=", ".join(f"{t} {round(100 * p)}%" for t, p in answers) or None,
        history=() if probability is None else (ProbabilityPoint(updated or now, float(probability)),),
        kind=kind.lower(),
        resolution=None if market.get("resolution") is None else str(market.get("resolution")),
    )


# --- Polymarket --------------------------------------------------------------------------------


def _json_list(value: Any) -> list[Any]:
    # gamma encodes these arrays as JSON *strings* ("[\"Yes\", \"No\"]"); accept real arrays too
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    return list(value or [])


def _polymarket(market: Mapping[str, Any], now: str) -> Question:
    outcomes = [str(o) for o in _json_list(market.get("outcomes"))]
    prices = [float(p) for p in _json_list(market.get("outcomePrices"))]
    if not prices or any(math.isnan(p) for p in prices):
        raise InputError("no outcomePrices")
    binary = [o.lower() for o in outcomes] == ["yes", "no"]
    updated = _iso(market.get("updatedAt")) or now
    ranked = sorted(zip(outcomes, prices, strict=False), key=lambda p: -p[1])[:3]
    return Question(
        id=f"polymarket:{market['id']}",
        platform="polymarket",
        title=str(market["question"]),
        url=f"https://polymarket.com/market/{market['slug']}" if market.get("slug") else None,
        status="closed" if market.get("closed") else "open",
        updated=updated,
        description=str(market.get("description") or ""),
        resolution_date=_iso(market.get("endDate")),
        probability=prices[0] if binary else None,
        summary=None if binary else ", ".join(f"{o} {round(100 * p)}%" for o, p in ranked),
        history=(ProbabilityPoint(updated, prices[0]),) if binary else (),
        kind="binary" if binary else "multiple_choice",
    )


def _parse_one(platform: str, item: Mapping[str, Any], now: str) -> Question:
    if platform == "polymarket":
        return _polymarket(item, now)
    if platform == "manifold":
        return _manifold(item, now)
    if isinstance(item.get("question"), Mapping):
        return _metaculus_post(item, now)
    if "possibilities" not in item and "community_prediction" not in item:
        raise InputError("a post without a question (notebook or discussion)")
    return _metaculus_legacy(item, now)


def parse_listing(data: Any, platform: str = "auto", *, now: datetime | None = None) -> ImportResult:
    """Questions from a parsed listing (or single entry) of `platform` ("auto" detects it).

    `now` decides whether a Manifold market past its close time is closed (default: the clock).
    """
    if platform == "auto":
        platform = detect_platform(data)
    if platform not in PLATFORMS:
        raise InputError(f"unknown platform {platform!r}; known: {', '.join(PLATFORMS)}")
    stamp = _iso((now or datetime.now(UTC)).timestamp()) or ""
    questions: list[Question] = []
    rejections: list[Rejection] = []
    for index, item in enumerate(_items(data)):
        source = f"{platform}[{index}]"
        if not isinstance(item, Mapping):
            rejections.append(Rejection(source, "not a JSON object"))
            continue
        source = f"{platform}:{item.get('id', index)}"
        try:
            questions.append(_parse_one(platform, item, stamp))
        except (InputError, KeyError, TypeError, ValueError, IndexError) as err:
            # Metaculus notebooks/discussions (posts without a question) land here, as do malformed rows
            rejections.append(Rejection(source, f"not a readable question: {type(err).__name__} {err}"))
    return ImportResult(tuple(questions), tuple(rejections))


def read_listing(path: Path | str, platform: str = "auto", *, now: datetime | None = None) -> ImportResult:
    """`parse_listing` of a JSON file."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"cannot read question listing {path}: {err}") from err
    return parse_listing(data, platform, now=now)
