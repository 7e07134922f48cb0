"""`forecasts update`: fetch open questions from the platforms' public APIs, politely and incrementally.

Polite: one client with a User-Agent naming the project, timeouts, a pause between requests, a cap on
pages. Incremental: listings are read newest-changed first and paging stops at the first entry not
newer than what the store already holds for that platform (Manifold lists by creation time, so there
entries are filtered instead and paging stops at `max_pages`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsprism.errors import InputError
from newsprism.forecasts._importers import parse_listing
from newsprism.forecasts._question import DEFAULT_BASE_URLS, Question
from newsprism.forecasts._store import latest_updated, upsert_questions
from newsprism.types import Rejection

if TYPE_CHECKING:
    import httpx

    from newsprism.store import StoreTables

__all__ = ["DEFAULT_BASE_URLS", "USER_AGENT", "UpdateReport", "update_forecasts"]

USER_AGENT = "newsprism/0.1 (+https://github.com/newsprism/newsprism; forecasts linker)"
PAGE = 100


@dataclass(frozen=True)
class UpdateReport:
    fetched: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    rejections: tuple[Rejection, ...] = ()


def _pages(platform: str, base: str) -> Iterator[tuple[str, dict[str, Any]]]:
    offset = 0
    while True:
        if platform == "metaculus":
            yield (
                f"{base}/api/posts/",
                {"statuses": "open", "order_by": "-edited_at", "limit": PAGE, "offset": offset},
            )
        elif platform == "polymarket":
            yield (
                f"{base}/markets",
                {
                    "closed": "false",
                    "order": "updatedAt",
                    "ascending": "false",
                    "limit": PAGE,
                    "offset": offset,
                },
            )
        else:
            yield f"{base}/v0/markets", {"limit": PAGE}
        offset += PAGE


def update_forecasts(
    store: StoreTables,
    platforms: tuple[str, ...] = tuple(DEFAULT_BASE_URLS),
    *,
    base_urls: dict[str, str] | None = None,
    max_pages: int = 5,
    delay: float = 1.0,
    timeout: float = 20.0,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> UpdateReport:
    """Fetches questions changed since the last update of each platform and upserts them."""
    urls = {**DEFAULT_BASE_URLS, **(base_urls or {})}
    fetched: dict[str, int] = {}
    changed: dict[str, int] = {}
    rejections: list[Rejection] = []
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    import httpx  # here, not at import: the CLI reads this module's constants and httpx costs 0.1-0.2 s

    with httpx.Client(headers=headers, timeout=timeout, transport=transport, follow_redirects=True) as client:
        for platform in platforms:
            since = latest_updated(store, platform)
            new: list[Question] = []
            last_id: str | None = None
            for page, (url, params) in enumerate(_pages(platform, urls[platform].rstrip("/"))):
                if page >= max_pages:
                    break
                if page:
                    sleep(delay)  # the APIs are free and shared: never hammer them
                if platform == "manifold" and last_id:
                    params = {**params, "before": last_id}  # Manifold pages by the last id seen
                try:
                    response = client.get(url, params=params)
                    response.raise_for_status()
                    data = response.json()
                except (httpx.HTTPError, ValueError) as err:
                    raise InputError(f"cannot fetch {platform} questions from {url}: {err}") from err
                result = parse_listing(data, platform)
                rejections.extend(result.rejections)
                fresh = [q for q in result.questions if since is None or (q.updated or "") > since]
                new.extend(fresh)
                items = data.get("results", []) if isinstance(data, dict) else data
                if not items or len(items) < PAGE:
                    break
                if platform != "manifold" and len(fresh) < len(result.questions):
                    break  # sorted newest-changed first: the rest is already stored
                last_id = str(items[-1].get("id")) if isinstance(items[-1], dict) else None
            fetched[platform] = len(new)
            changed[platform] = upsert_questions(store, new)
    return UpdateReport(fetched, changed, tuple(rejections))
