"""Outlet profiles: a registry of outlets, their lean and reliability, coverage bars and blind spots.

    lookup = lean_lookup(store)                     # name / alias / domain / URL -> OutletRef
    coverage(lookup(a.outlet) for a in articles)    # -> Coverage(left, center, right, unknown)
    resolve_outlet("https://www.nytimes.com/...")   # -> OutletProfile("The New York Times", ...)
    article_lean(article)                           # -> ArticleLean(lean, score, probabilities)
    article_establishment(article)                  # -> ArticleEstablishment(score, raw, phrases_used)
    story_coverage(store, story_id), blind_spots(store), outlet_blind_spots(store, outlet)
    fact_coverage(story, lookup), facts_left_out(story, "right", lookup)

An outlet's establishment stance is its figure of kind "establishment" (-1 anti- .. +1 pro-establishment).
Training and evaluation (`newsprism outlets train`, `newsprism eval outlets`) live in `build.py`;
they need scikit-learn and the allsides-articles corpus, which the functions above do not.
"""

from __future__ import annotations

from newsprism.outlets.blindspots import (
    BlindSpot,
    FactCoverage,
    blind_spots,
    fact_coverage,
    facts_left_out,
    outlet_blind_spots,
    story_coverage,
    story_outlets,
)
from newsprism.outlets.establishment import (
    ArticleEstablishment,
    EstablishmentAxis,
    article_establishment,
    load_axis,
    text_establishment,
)
from newsprism.outlets.importers import read_ratings
from newsprism.outlets.lookup import (
    LEAN_BUCKETS,
    coverage,
    lean_bucket,
    lean_lookup,
    outlet_ref,
    resolve_outlet,
)
from newsprism.outlets.model import ArticleLean, LeanModel, article_lean, load_model, text_lean
from newsprism.outlets.registry import Figure, OutletProfile, Registry, load_registry, save_profiles

__all__ = [
    "LEAN_BUCKETS",
    "ArticleEstablishment",
    "ArticleLean",
    "BlindSpot",
    "EstablishmentAxis",
    "FactCoverage",
    "Figure",
    "LeanModel",
    "OutletProfile",
    "Registry",
    "article_establishment",
    "article_lean",
    "blind_spots",
    "coverage",
    "fact_coverage",
    "facts_left_out",
    "lean_bucket",
    "lean_lookup",
    "load_axis",
    "load_model",
    "load_registry",
    "outlet_blind_spots",
    "outlet_ref",
    "read_ratings",
    "resolve_outlet",
    "save_profiles",
    "story_coverage",
    "story_outlets",
    "text_establishment",
    "text_lean",
]
