"""The `Question` record: one prediction question from any platform, in one shape."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

PLATFORMS = ("metaculus", "manifold", "polymarket")
PLATFORM_NAMES = {"metaculus": "Metaculus", "manifold": "Manifold", "polymarket": "Polymarket"}
# beside the platform names rather than in `_fetch`, so the CLI can show them as defaults without
# importing the fetcher and, through it, the store
DEFAULT_BASE_URLS = {
    "metaculus": "https://www.metaculus.com",
    "manifold": "https://api.manifold.markets",
    "polymarket": "https://gamma-api.polymarket.com",
}


@dataclass(frozen=True, order=True)
class ProbabilityPoint:
    """The probability (or distribution centre) of a question at time `at` (ISO 8601, UTC)."""

    at: str
    probability: float


@dataclass(frozen=True)
class Question:
    """A prediction question. `id` is `platform:native id`; dates are ISO 8601 strings.

    `probability` is P(yes) for binary questions and None otherwise; `summary` then describes the
    distribution (e.g. "median 2027-03-01"). `history` is oldest first; `updated` is when the platform
    last changed the question (the key of incremental updates).
    """

    id: str
    platform: str
    title: str
    url: str | None
    status: str  # "open" | "closed"
    updated: str | None
    description: str = ""
    resolution_date: str | None = None
    probability: float | None = None
    summary: str | None = None
    history: tuple[ProbabilityPoint, ...] = ()
    kind: str = "binary"  # "binary" | "numeric" | "date" | "multiple_choice" | ...
    resolution: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def as_of(self) -> str | None:
        """Date (YYYY-MM-DD) of the current probability: its last history point, else `updated`."""
        stamp = self.history[-1].at if self.history else self.updated
        return stamp[:10] if stamp else None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Question:
        kwargs = dict(data)
        kwargs["history"] = tuple(
            p if isinstance(p, ProbabilityPoint) else ProbabilityPoint(str(p["at"]), float(p["probability"]))
            for p in data.get("history") or ()
        )
        return cls(**kwargs)
