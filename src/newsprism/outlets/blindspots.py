"""Coverage over the store: per-story lean bars, blind spots, and which facts each side reports.

Pure functions over `Store` and `Story`; the site and feeds call them. Outlets of a story are every
outlet that published one of its articles or a near-duplicate copy (`Store.outlets_of`), so a wire
story re-run by ten papers counts ten outlets.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from newsprism.errors import UsageError
from newsprism.outlets.lookup import LEAN_BUCKETS, coverage, lean_lookup
from newsprism.store import StoreTables
from newsprism.types import Coverage, OutletRef, Story

__all__ = [
    "BLIND_SPOT_MIN_OUTLETS",
    "BLIND_SPOT_THRESHOLD",
    "BlindSpot",
    "FactCoverage",
    "FramingDivide",
    "blind_spot_side",
    "blind_spots",
    "fact_coverage",
    "facts_left_out",
    "framing_divides",
    "outlet_blind_spots",
    "story_coverage",
    "story_outlets",
]

Lookup = Callable[[str | None], OutletRef]
_OPPOSITE = {"left": "right", "right": "left"}
# A blind spot: one side has at least this share of the outlets with a known lean, among at least this many.
BLIND_SPOT_THRESHOLD = 0.8
BLIND_SPOT_MIN_OUTLETS = 3


def blind_spot_side(bar: Coverage, threshold: float = BLIND_SPOT_THRESHOLD,
                    min_outlets: int = BLIND_SPOT_MIN_OUTLETS) -> tuple[str, float] | None:
    """(side, share) when `bar` is a blind spot, the one rule of the site and these functions; else None."""
    known = _known(bar)
    if known < min_outlets:
        return None
    for side in ("left", "right"):
        share = getattr(bar, side) / known
        if share >= threshold:
            return side, round(share, 4)
    return None


@dataclass(frozen=True)
class BlindSpot:
    """A story covered mostly by one side: `side` supplied `share` of the outlets with a known lean."""

    story_id: str
    headline: str | None
    side: str  # "left" | "right": who covered it
    missed_by: str  # the other side, whose readers would not see it
    share: float
    coverage: Coverage


@dataclass(frozen=True)
class FramingDivide:
    """A story both sides cover but tell apart: its composed `framing_split` (the share of its
    opposite-lean outlet pairs that hold no narrative in common) is at least the threshold. The other
    kind of blind spot: each side's readers see the story, but not the other side's reading of it."""

    story_id: str
    headline: str | None
    split: float
    coverage: Coverage


@dataclass(frozen=True)
class FactCoverage:
    """Which outlets report fact `index` of a story, and their lean bar."""

    index: int
    text: str
    outlets: tuple[OutletRef, ...]
    coverage: Coverage


def story_outlets(store: StoreTables, story_id: str, lookup: Lookup | None = None) -> list[OutletRef]:
    """The distinct canonical outlets of a story's articles and their copies, in first-seen order."""
    lookup = lookup or lean_lookup(store)  # sightings' outlets: names, not stored articles
    seen: dict[str, OutletRef] = {}
    for article_id in store.stories.article_ids(story_id, by_publication=True):
        for name in store.outlets_of(article_id):
            ref = lookup(name)
            if ref.name:
                seen.setdefault(ref.name, ref)
    return list(seen.values())


def story_coverage(
    store: StoreTables, story_id: str, *, lookup: Lookup | None = None, unit: str = "outlets"
) -> Coverage:
    """The lean bar of a story: distinct outlets per bucket, or its articles when `unit="articles"`
    (their stored leans, unless `lookup` is given)."""
    if unit == "outlets":
        return coverage(story_outlets(store, story_id, lookup or lean_lookup(store)))
    if unit != "articles":
        raise UsageError(f"unit must be 'outlets' or 'articles', not {unit!r}")
    if lookup is None:
        return coverage(OutletRef("", lean) for lean in store.stories.article_leans(story_id))
    return coverage(lookup(outlet) for outlet in store.stories.article_outlets(story_id))


def blind_spots(
    store: StoreTables, *, threshold: float = BLIND_SPOT_THRESHOLD, min_outlets: int = BLIND_SPOT_MIN_OUTLETS,
    lookup: Lookup | None = None
) -> list[BlindSpot]:
    """Live stories where one side (left or right) has >= `threshold` of the outlets with a known lean.

    Stories with fewer than `min_outlets` known-lean outlets are skipped: two outlets are not a pattern.
    Sorted by share, then by number of outlets, strongest first.
    """
    lookup = lookup or lean_lookup(store)  # for `story_outlets`: sightings' outlet names
    found = []
    for story_id, headline in _live_stories(store):
        spot = _blind_spot(
            story_id, headline, coverage(story_outlets(store, story_id, lookup)), threshold, min_outlets
        )
        if spot is not None:
            found.append(spot)
    return sorted(found, key=lambda s: (-s.share, -_known(s.coverage), s.story_id))


def framing_divides(
    store: StoreTables, *, threshold: float = 0.5, min_outlets: int = 2, lookup: Lookup | None = None
) -> list[FramingDivide]:
    """Live stories covered by outlets of opposite lean whose narratives divide by lean
    (`framing_split` >= `threshold`), most divided first, then by outlets with a known lean.

    One-sided stories are `blind_spots`, never here: a split needs opposite-lean outlets to compare.
    Stories composed before the split existed (no `framing_split`) are left out: no split was measured."""
    lookup = lookup or lean_lookup(store)  # for `story_outlets`: sightings' outlet names
    found = []
    for story_id, headline, split in store.stories.framing_splits(threshold):
        bar = coverage(story_outlets(store, str(story_id), lookup))
        wings = (bar.left > 0) + (bar.right > 0)
        opposite = wings == 2 or (wings == 1 and bar.center > 0)  # as `framing_split` pairs outlets
        if _known(bar) < min_outlets or not opposite:
            continue
        found.append(FramingDivide(str(story_id), headline, round(float(split), 4), bar))
    return sorted(found, key=lambda d: (-d.split, -_known(d.coverage), d.story_id))


def outlet_blind_spots(
    store: StoreTables, outlet: str, *, threshold: float = BLIND_SPOT_THRESHOLD,
    min_outlets: int = BLIND_SPOT_MIN_OUTLETS, lookup: Lookup | None = None
) -> list[BlindSpot]:
    """Blind spots that `outlet` did not cover and that the other side covered (its readers' blind spots).

    For an outlet without a left/right lean, every blind spot it did not cover.
    """
    lookup = lookup or lean_lookup(store)  # for `story_outlets`: sightings' outlet names
    me = lookup(outlet)
    found = []
    for story_id, headline in _live_stories(store):
        refs = story_outlets(store, story_id, lookup)
        if any(ref.name == me.name for ref in refs):
            continue
        spot = _blind_spot(story_id, headline, coverage(refs), threshold, min_outlets)
        if spot is not None and spot.side != me.lean:
            found.append(spot)
    return sorted(found, key=lambda s: (-s.share, -_known(s.coverage), s.story_id))


def fact_coverage(story: Story, lookup: Lookup) -> list[FactCoverage]:
    """For each fact of a composed story: the outlets that report it (names and evidence) and their bar."""
    result = []
    for index, fact in enumerate(story.facts):
        names = [*fact.outlets, *(e.outlet for e in fact.evidence if e.outlet)]
        refs = _distinct(lookup(name) for name in names)
        result.append(FactCoverage(index, fact.text, refs, coverage(refs)))
    return result


def facts_left_out(story: Story, side: str, lookup: Lookup) -> list[int]:
    """Indices of facts no outlet of `side` reports, although `side` has articles in the story.

    Empty when the side does not cover the story at all: that is a blind spot, not an omission.
    """
    if side not in LEAN_BUCKETS:
        raise UsageError(f"side must be one of {LEAN_BUCKETS}, not {side!r}")
    if not any(lookup(a.outlet).lean == side for a in story.articles if a.outlet):
        return []
    return [fc.index for fc in fact_coverage(story, lookup) if not any(r.lean == side for r in fc.outlets)]


def _live_stories(store: StoreTables) -> list[tuple[str, str | None]]:
    result = []
    for story_id, composed in store.stories.live_composed():
        headline = None
        if composed:
            headline = json.loads(composed).get("headline")
        result.append((str(story_id), headline))
    return result


def _blind_spot(
    story_id: str, headline: str | None, bar: Coverage, threshold: float, min_outlets: int
) -> BlindSpot | None:
    found = blind_spot_side(bar, threshold, min_outlets)
    if found is None:
        return None
    side, share = found
    return BlindSpot(story_id, headline, side, _OPPOSITE[side], share, bar)


def _known(bar: Coverage) -> int:
    return bar.left + bar.center + bar.right


def _distinct(refs: Iterable[OutletRef]) -> tuple[OutletRef, ...]:
    seen: dict[str, OutletRef] = {}
    for ref in refs:
        if ref.name:
            seen.setdefault(ref.name, ref)
    return tuple(seen.values())
