"""Outlet profiles: a registry of outlets, their lean and reliability, coverage bars and blind spots.

lookup = lean_lookup(store)          # name / alias / domain / URL -> OutletRef(name, lean, lean_score)
coverage(lookup(a.outlet) for a in articles)  # -> Coverage(left, center, right, unknown)
"""

from __future__ import annotations

from newsprism.outlets.lookup import (
    LEAN_BUCKETS,
    coverage,
    lean_bucket,
    lean_lookup,
    outlet_ref,
    resolve_outlet,
)
from newsprism.outlets.registry import Figure, OutletProfile, Registry, load_registry, save_profiles

__all__ = [
    "LEAN_BUCKETS",
    "Figure",
    "OutletProfile",
    "Registry",
    "coverage",
    "lean_bucket",
    "lean_lookup",
    "load_registry",
    "outlet_ref",
    "resolve_outlet",
    "save_profiles",
]
