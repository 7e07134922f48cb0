"""Outlet resolution, lean lookup with overrides, and coverage counts on a real SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest

import newsprism.outlets as outlets
from newsprism.outlets import (
    Figure,
    OutletProfile,
    coverage,
    lean_bucket,
    lean_lookup,
    load_registry,
    save_profiles,
)
from newsprism.outlets._names import clean_display_name, host_of, name_key
from newsprism.store import Store
from newsprism.types import Coverage, OutletRef


def test_public_names_are_exported() -> None:
    for name in outlets.__all__:
        assert hasattr(outlets, name), name


def test_name_keys_meet_across_spellings() -> None:
    assert clean_display_name("CNN (Web News)") == "CNN"
    assert clean_display_name("New York Times - News") == "New York Times"
    assert clean_display_name("NPR Online News") == "NPR"
    assert name_key("The New York Times") == name_key("New York Times - Opinion") == "new york times"
    assert name_key("AT&T") == "at and t"
    assert host_of("https://www.nytimes.com/2020/01/01/x.html") == "nytimes.com"
    assert host_of("amp.dailycaller.com") == "dailycaller.com"
    assert host_of("The New York Times") is None


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "outlets.db")
    save_profiles(
        store,
        [
            OutletProfile(
                name="The Daily Lantern",
                domains=("dailylantern.example",),
                aliases=("Lantern", "TDL"),
                country="US",
                figures=(Figure("lean_score", -0.62, "newsprism lean.v1", origin="computed", count=40),),
            ),
            OutletProfile(
                name="Harbor Courier",
                domains=("harborcourier.example",),
                figures=(Figure("lean_score", 0.05, "newsprism lean.v1", origin="computed"),),
            ),
        ],
    )
    return store


def test_lookup_resolves_aliases_domains_and_urls(store: Store) -> None:
    lookup = lean_lookup(store)
    by_alias = lookup("TDL")
    assert by_alias == OutletRef(name="The Daily Lantern", lean="left", lean_score=-0.62)
    assert lookup("dailylantern.example") == by_alias
    assert lookup("https://www.dailylantern.example/politics/a.html") == by_alias
    assert lookup("Daily Lantern - Opinion") == by_alias
    assert lookup("Harbor Courier").lean == "center"
    assert lookup("Nowhere Gazette") == OutletRef(name="Nowhere Gazette")
    assert lookup(None) == OutletRef(name="")


def test_imported_value_overrides_computed_and_keeps_both(store: Store) -> None:
    imported = OutletProfile(
        name="Daily Lantern",  # a different spelling of the same outlet
        figures=(Figure("lean_score", 1.0, "test-ratings.csv", origin="imported", label="right"),),
    )
    save_profiles(store, [imported])
    assert lean_lookup(store)("Lantern") == OutletRef(name="The Daily Lantern", lean="right", lean_score=1.0)
    profile = load_registry(store, shipped=False).resolve("TDL")
    assert profile is not None
    assert {f.source for f in profile.figures} == {"newsprism lean.v1", "test-ratings.csv"}
    # a computed value saved later still does not beat an import
    save_profiles(
        store,
        [OutletProfile("The Daily Lantern", figures=(Figure("lean_score", -0.9, "lean.v2", "computed"),))],
    )
    assert lean_lookup(store)("TDL").lean_score == 1.0


def test_coverage_counts_buckets() -> None:
    refs = [
        OutletRef("a", "left", -0.8),
        OutletRef("b", "left", -0.4),
        OutletRef("c", "right", 0.9),
        OutletRef("d"),
    ]
    assert coverage(refs) == Coverage(left=2, center=0, right=1, unknown=1)
    assert [lean_bucket(s) for s in (-1.0, -0.5, -0.1, 0.0, 0.3, None)] == [
        "left",
        "left",
        "center",
        "center",
        "right",
        None,
    ]


def test_merging_matches_on_own_name_or_domain_not_on_aliases() -> None:
    registry = outlets.Registry(
        [OutletProfile("Daily Lantern", domains=("dailylantern.example",), aliases=("DL",))]
    )
    # an unrelated outlet that happens to list a shared alias must stay its own outlet
    registry.add(OutletProfile("Lantern Radio", aliases=("DL",)))
    assert len(registry) == 2
    registry.add(OutletProfile("The Daily Lantern", figures=(Figure("reliability", 0.4, "x.csv"),)))
    assert len(registry) == 2
    merged = registry.resolve("dailylantern.example")
    assert merged is not None and merged.figure("reliability") is not None
