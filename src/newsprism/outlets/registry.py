"""The outlet registry: canonical outlets with their domains, aliases, country and sourced figures.

Three layers, later ones winning (the order is written here once):
  1. the shipped table `data/outlets.json.gz` (names and domains from the allsides-articles corpus,
     lean computed by our own model, reliability from idiap, Apache-2.0), and merged over it
     `data/feed_outlets.json`, the outlets of the shipped feed list (`newsprism run`) with their
     countries, and idiap reliability for those the corpus lacks;
  2. rows of the store's `outlets` table (`newsprism outlets import`, or `save_profiles`);
  3. within one outlet, an *imported* figure beats a *computed* one, which beats a *default* one.
Every figure keeps its source, so a page can say where each number came from.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from newsprism.outlets._names import host_candidates, host_of, name_key

if TYPE_CHECKING:
    # annotations only: importing the store here would load sqlite and its repositories at CLI start-up
    from newsprism.store import StoreTables

__all__ = [
    "ORIGIN_RANK",
    "Figure",
    "OutletProfile",
    "Registry",
    "feed_outlet_profiles",
    "load_registry",
    "save_profiles",
    "shipped_profiles",
]

# Higher wins: a rating someone chose to import is a deliberate override of what we compute.
ORIGIN_RANK = {"default": 0, "computed": 1, "imported": 2}

SHIPPED_TABLE = "outlets.json.gz"
FEED_OUTLETS = "feed_outlets.json"


@dataclass(frozen=True)
class Figure:
    """One rating of an outlet, e.g. kind "lean_score" (-1 left .. 1 right) or "reliability" (0..1).

    `origin` is "imported" | "computed" | "default"; `source` names where the value comes from
    ("allsides-2019.csv", "newsprism lean.v1", "idiap News-Media-Reliability"); `uncertainty` is a
    standard error when known, `count` the number of articles behind a computed value, `label` the
    source's own wording ("left-center", "mostly-factual").
    """

    kind: str
    value: float
    source: str
    origin: str = "imported"
    uncertainty: float | None = None
    count: int | None = None
    label: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Figure:
        return cls(
            kind=str(data["kind"]),
            value=float(data["value"]),
            source=str(data["source"]),
            origin=str(data.get("origin", "imported")),
            uncertainty=None if data.get("uncertainty") is None else float(data["uncertainty"]),
            count=None if data.get("count") is None else int(data["count"]),
            label=None if data.get("label") is None else str(data["label"]),
        )


@dataclass(frozen=True)
class OutletProfile:
    """A canonical outlet: display name, domains ("nytimes.com"), aliases ("NYT"), country, figures."""

    name: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    country: str | None = None
    figures: tuple[Figure, ...] = field(default=())

    def figure(self, kind: str) -> Figure | None:
        """The winning figure of `kind`: highest origin rank, then the one added last."""
        best: Figure | None = None
        for fig in self.figures:
            if fig.kind == kind and (
                best is None or ORIGIN_RANK.get(fig.origin, 0) >= ORIGIN_RANK.get(best.origin, 0)
            ):
                best = fig
        return best

    def merged(self, other: OutletProfile) -> OutletProfile:
        """This outlet updated by `other`: names and domains unioned, `other`'s figures added last.

        A figure of `other` with the same kind and source replaces ours (a re-import updates, not doubles).
        """
        replaced = {(f.kind, f.source) for f in other.figures}
        kept = tuple(f for f in self.figures if (f.kind, f.source) not in replaced)
        aliases = _unique((*self.aliases, *other.aliases, *([other.name] if other.name != self.name else [])))
        return replace(
            self,
            domains=_unique((*self.domains, *other.domains)),
            aliases=aliases,
            country=other.country or self.country,
            figures=kept + other.figures,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "domains": list(self.domains),
            "aliases": list(self.aliases),
        }
        if self.country:
            data["country"] = self.country
        data["figures"] = [f.to_json() for f in self.figures]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OutletProfile:
        return cls(
            name=str(data["name"]),
            domains=tuple(str(d) for d in data.get("domains", ())),
            aliases=tuple(str(a) for a in data.get("aliases", ())),
            country=data.get("country"),
            figures=tuple(Figure.from_json(f) for f in data.get("figures", ())),
        )


class Registry:
    """Outlets indexed by every name key, alias key and domain; `resolve` maps any spelling to one."""

    def __init__(self, profiles: Iterable[OutletProfile] = ()) -> None:
        self._profiles: dict[str, OutletProfile] = {}
        self._by_name: dict[str, str] = {}
        self._by_domain: dict[str, str] = {}
        for profile in profiles:
            self.add(profile)

    def __iter__(self) -> Iterator[OutletProfile]:
        return iter(sorted(self._profiles.values(), key=lambda p: p.name.casefold()))

    def __len__(self) -> int:
        return len(self._profiles)

    def add(self, profile: OutletProfile) -> OutletProfile:
        """Adds `profile`, merged into the outlet it already resolves to (by name, alias or domain)."""
        existing = self._match(profile)
        if existing is not None:
            profile = existing.merged(profile)
        self._profiles[profile.name] = profile
        for spelling in (profile.name, *profile.aliases):
            key = name_key(spelling)
            if key:
                self._by_name.setdefault(key, profile.name)
        for domain in profile.domains:
            self._by_domain.setdefault(domain.lower(), profile.name)
        return profile

    def get(self, name: str) -> OutletProfile | None:
        """The outlet with exactly this canonical name."""
        return self._profiles.get(name)

    def resolve(self, name_or_url: str | None) -> OutletProfile | None:
        """The outlet meant by a name, alias, domain or URL; None when unknown."""
        if not name_or_url or not name_or_url.strip():
            return None
        host = host_of(name_or_url)
        if host is not None:
            for candidate in host_candidates(host):
                if candidate in self._by_domain:
                    return self._profiles[self._by_domain[candidate]]
        key = name_key(name_or_url)
        canonical = self._by_name.get(key)
        return None if canonical is None else self._profiles[canonical]

    def _match(self, profile: OutletProfile) -> OutletProfile | None:
        if profile.name in self._profiles:
            return self._profiles[profile.name]
        for domain in profile.domains:
            if domain.lower() in self._by_domain:
                return self._profiles[self._by_domain[domain.lower()]]
        # By its own name only, not its aliases: matching on every alias chains unrelated outlets
        # together (a regional paper's alias meets a columnist's, and so on).
        found = self._by_name.get(name_key(profile.name))
        return None if found is None else self._profiles[found]


@cache
def shipped_profiles() -> tuple[OutletProfile, ...]:
    """The outlet table shipped in the package (empty when it has not been built)."""
    table = resources.files("newsprism.outlets").joinpath("data", SHIPPED_TABLE)
    if not table.is_file():
        return ()
    with table.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    return tuple(OutletProfile.from_json(row) for row in data["outlets"])


@cache
def feed_outlet_profiles() -> tuple[OutletProfile, ...]:
    """The outlets of the shipped feed list, merged over the shipped table by `load_registry`."""
    text = resources.files("newsprism.outlets").joinpath("data", FEED_OUTLETS).read_text("utf-8")
    return tuple(OutletProfile.from_json(row) for row in json.loads(text)["outlets"])


def load_registry(store: StoreTables | None = None, *, shipped: bool = True) -> Registry:
    """The shipped tables, then the store's `outlets` rows merged over them (see the module docstring)."""
    registry = Registry((*shipped_profiles(), *feed_outlet_profiles()) if shipped else ())
    if store is not None:
        for data in store.outlets.all_data():
            registry.add(OutletProfile.from_json(json.loads(data)))
    return registry


def save_profiles(store: StoreTables, profiles: Iterable[OutletProfile]) -> int:
    """Writes `profiles` into the store, each merged into the stored row of the same outlet, and rewrites
    the stored lean of the articles whose outlet's lean that changes (`store_leans`), in one transaction;
    returns the profiles written."""
    from newsprism.outlets.lookup import store_leans

    with store.transaction():
        stored = Registry(OutletProfile.from_json(json.loads(d)) for d in store.outlets.all_data())
        rows = []
        for profile in profiles:
            merged = stored.add(profile)
            rows.append((merged.name, json.dumps(merged.to_json(), ensure_ascii=False)))
        store.outlets.put(rows)  # in order: a later profile of a name overwrites an earlier one
        store_leans(store)
    return len(rows)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))
