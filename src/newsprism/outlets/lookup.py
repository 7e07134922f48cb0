"""From any outlet spelling to an `OutletRef` with its lean, and from refs to a coverage bar."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from newsprism.outlets.registry import (
    OutletProfile,
    Registry,
    feed_outlet_profiles,
    load_registry,
    shipped_profiles,
)
from newsprism.types import Article, Coverage, OutletRef

if TYPE_CHECKING:
    # annotations only: importing the store here would load sqlite and its repositories at CLI start-up
    from newsprism.store import StoreTables

__all__ = [
    "LEAN_BUCKETS",
    "article_leans",
    "coverage",
    "lean_bucket",
    "lean_lookup",
    "outlet_ref",
    "registry_lookup",
    "resolve_outlet",
    "store_leans",
    "sync_leans",
]

LEAN_BUCKETS = ("left", "center", "right")
# AllSides' five grades sit at -1, -0.5, 0, 0.5, 1; "lean left" counts as left on a three-part bar
# (as Ground News does), so the cut is between center (0) and lean (±0.5).
_CUT = 0.25


def lean_bucket(score: float | None) -> str | None:
    """ "left" | "center" | "right" for a left–right score in [-1, 1]; None for None."""
    if score is None:
        return None
    if score <= -_CUT:
        return "left"
    if score >= _CUT:
        return "right"
    return "center"


def outlet_ref(profile: OutletProfile) -> OutletRef:
    """The `OutletRef` of a registry outlet: canonical name, winning lean score and its bucket."""
    figure = profile.figure("lean_score")
    score = None if figure is None else max(-1.0, min(1.0, figure.value))
    return OutletRef(name=profile.name, lean=lean_bucket(score), lean_score=score)


def lean_lookup(store: StoreTables | None) -> Callable[[str | None], OutletRef]:
    """A function from an outlet name, alias, domain or URL to its `OutletRef`.

    Reads the registry once (shipped table, then the store's imported rows, which override computed
    values). Unknown outlets keep the given name with lean None; None or "" gives `OutletRef("")`.
    After ingest, an article's lean is stored with it (`Article.lean`, `article_leans`): ask this only
    for a name no article carries (an outlet's own page, a sighting's outlet).
    """
    registry = _shipped_registry() if store is None or not store.outlets.all_data() else load_registry(store)
    return registry_lookup(registry)


def registry_lookup(registry: Registry) -> Callable[[str | None], OutletRef]:
    """`lean_lookup` over a registry already loaded."""
    cache: dict[str, OutletRef] = {}

    def lookup(name: str | None) -> OutletRef:
        if not name or not name.strip():
            return OutletRef(name="")
        if name not in cache:
            profile = registry.resolve(name)
            cache[name] = OutletRef(name=name.strip()) if profile is None else outlet_ref(profile)
        return cache[name]

    return lookup


def article_leans(articles: Iterable[Article]) -> Callable[[str | None], OutletRef]:
    """`lean_lookup`'s function, from the leans the articles carry (stored with each at ingest): what
    the composer gives an outlet name of its story, without asking the registry again. A name none of
    them carries is unknown, as an unknown outlet is."""
    refs: dict[str, OutletRef] = {}
    for article in articles:
        if article.outlet and article.outlet.strip():
            ref = OutletRef(article.outlet.strip(), article.lean, article.lean_score)
            refs.setdefault(article.outlet, ref)

    def lookup(name: str | None) -> OutletRef:
        if not name or not name.strip():
            return OutletRef(name="")
        return refs.get(name) or OutletRef(name=name.strip())

    return lookup


def store_leans(store: StoreTables, registry: Registry | None = None) -> int:
    """Sets the stored lean of every article to its outlet's in the store's registry (or `registry`);
    returns the articles changed. Run in the transaction of whatever changes the registry (an outlet
    import), so compose and the site never read a lean the registry no longer gives."""
    lookup = registry_lookup(registry) if registry is not None else lean_lookup(store)
    with store.transaction():
        rows = [(name, ref.lean, ref.lean_score) for name in store.outlets.article_spellings()
                for ref in (lookup(name),)]
        changed = store.outlets.set_article_leans(rows)
        store.outlets.set_leans_mark(shipped_mark())
    return changed


def sync_leans(store: StoreTables) -> int:
    """`store_leans` when the shipped outlet table changed since the stored leans were resolved (a
    package upgrade, `newsprism outlets train`), so they follow it as the store's imports are followed;
    else nothing but one counter read. Returns the articles changed."""
    if store.outlets.leans_mark() == shipped_mark():
        return 0
    return store_leans(store)


def fill_leans(store: StoreTables) -> None:
    """0021_article_lean's fill (`store.migrations.FILLS`): the leans of the articles stored before it."""
    if store.outlets.article_spellings():
        store_leans(store)


@functools.cache
def shipped_mark() -> int:
    """A number that changes when the shipped outlet tables do (their profiles' JSON, hashed)."""
    rows = [p.to_json() for p in (*shipped_profiles(), *feed_outlet_profiles())]
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode("utf-8")).hexdigest()
    return int(digest[:15], 16)  # fits SQLite's INTEGER


def resolve_outlet(name_or_url: str | None, registry: Registry | None = None) -> OutletProfile | None:
    """The canonical outlet of a name, alias, domain or URL (shipped table unless `registry` given)."""
    return (registry if registry is not None else _shipped_registry()).resolve(name_or_url)


class _HasLean(Protocol):
    @property
    def lean(self) -> str | None: ...


def coverage(outlet_refs: Iterable[_HasLean]) -> Coverage:
    """Counts of `outlet_refs` (outlet or article refs) per lean bucket, one per ref given: the one rule
    every lean bar uses (story pages, composer, blind spots, coverage gaps).

    Pass one ref per article for an article bar, or distinct outlets for an outlet bar.
    """
    counts = {"left": 0, "center": 0, "right": 0, "unknown": 0}
    for ref in outlet_refs:
        counts[ref.lean if ref.lean in LEAN_BUCKETS else "unknown"] += 1
    return Coverage(**counts)


_SHIPPED: list[Registry] = []


def _shipped_registry() -> Registry:
    # Built once per process: resolving at ingest time must not re-read the table per article.
    if not _SHIPPED:
        _SHIPPED.append(load_registry(None))
    return _SHIPPED[0]
