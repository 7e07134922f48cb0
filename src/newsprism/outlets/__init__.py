"""Outlet profiles: a registry of outlets, their lean and reliability, coverage bars and blind spots.

    lookup = lean_lookup(store)                     # name / alias / domain / URL -> OutletRef
    coverage(lookup(a.outlet) for a in articles)    # -> Coverage(left, center, right, unknown)
    resolve_outlet("https://www.nytimes.com/...")   # -> OutletProfile("The New York Times", ...)
    article_lean(article)                           # -> ArticleLean(lean, score, probabilities)
    article_establishment(article)                  # -> ArticleEstablishment(score, raw, phrases_used)
    story_coverage(store, story_id), blind_spots(store), outlet_blind_spots(store, outlet)
    framing_divides(store)                          # stories both sides tell apart (framing_split)
    fact_coverage(story, lookup), facts_left_out(story, "right", lookup)

An outlet's establishment stance is its figure of kind "establishment" (-1 anti- .. +1 pro-establishment).
Training and evaluation (`newsprism outlets train`, `newsprism eval outlets`) live in `build.py`;
they need scikit-learn and the allsides-articles corpus, which the functions above do not.

Names load on first use, so the CLI starts without what it does not call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsprism._lazy import lazy_getattr

if TYPE_CHECKING:
    from newsprism.outlets.blindspots import (
        BLIND_SPOT_MIN_OUTLETS,
        BLIND_SPOT_THRESHOLD,
        BlindSpot,
        FactCoverage,
        FramingDivide,
        blind_spot_side,
        blind_spots,
        fact_coverage,
        facts_left_out,
        framing_divides,
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
        article_leans,
        coverage,
        lean_bucket,
        lean_lookup,
        outlet_ref,
        registry_lookup,
        resolve_outlet,
        store_leans,
        sync_leans,
    )
    from newsprism.outlets.model import ArticleLean, LeanModel, article_lean, load_model, text_lean
    from newsprism.outlets.registry import Figure, OutletProfile, Registry, load_registry, save_profiles

__all__ = [
    "BLIND_SPOT_MIN_OUTLETS",
    "BLIND_SPOT_THRESHOLD",
    "LEAN_BUCKETS",
    "ArticleEstablishment",
    "ArticleLean",
    "BlindSpot",
    "EstablishmentAxis",
    "FactCoverage",
    "Figure",
    "FramingDivide",
    "LeanModel",
    "OutletProfile",
    "Registry",
    "article_establishment",
    "article_lean",
    "article_leans",
    "blind_spot_side",
    "blind_spots",
    "coverage",
    "fact_coverage",
    "facts_left_out",
    "framing_divides",
    "lean_bucket",
    "lean_lookup",
    "load_axis",
    "load_model",
    "load_registry",
    "outlet_blind_spots",
    "outlet_ref",
    "read_ratings",
    "registry_lookup",
    "resolve_outlet",
    "save_profiles",
    "store_leans",
    "story_coverage",
    "story_outlets",
    "sync_leans",
    "text_establishment",
    "text_lean",
]

_HOME = {
    "BLIND_SPOT_MIN_OUTLETS": "newsprism.outlets.blindspots",
    "BLIND_SPOT_THRESHOLD": "newsprism.outlets.blindspots",
    "blind_spot_side": "newsprism.outlets.blindspots",
    "ArticleEstablishment": "newsprism.outlets.establishment",
    "ArticleLean": "newsprism.outlets.model",
    "BlindSpot": "newsprism.outlets.blindspots",
    "EstablishmentAxis": "newsprism.outlets.establishment",
    "FactCoverage": "newsprism.outlets.blindspots",
    "FramingDivide": "newsprism.outlets.blindspots",
    "Figure": "newsprism.outlets.registry",
    "LEAN_BUCKETS": "newsprism.outlets.lookup",
    "LeanModel": "newsprism.outlets.model",
    "OutletProfile": "newsprism.outlets.registry",
    "Registry": "newsprism.outlets.registry",
    "article_establishment": "newsprism.outlets.establishment",
    "article_lean": "newsprism.outlets.model",
    "article_leans": "newsprism.outlets.lookup",
    "blind_spots": "newsprism.outlets.blindspots",
    "coverage": "newsprism.outlets.lookup",
    "fact_coverage": "newsprism.outlets.blindspots",
    "facts_left_out": "newsprism.outlets.blindspots",
    "framing_divides": "newsprism.outlets.blindspots",
    "lean_bucket": "newsprism.outlets.lookup",
    "lean_lookup": "newsprism.outlets.lookup",
    "load_axis": "newsprism.outlets.establishment",
    "load_model": "newsprism.outlets.model",
    "load_registry": "newsprism.outlets.registry",
    "outlet_blind_spots": "newsprism.outlets.blindspots",
    "outlet_ref": "newsprism.outlets.lookup",
    "read_ratings": "newsprism.outlets.importers",
    "registry_lookup": "newsprism.outlets.lookup",
    "resolve_outlet": "newsprism.outlets.lookup",
    "save_profiles": "newsprism.outlets.registry",
    "store_leans": "newsprism.outlets.lookup",
    "sync_leans": "newsprism.outlets.lookup",
    "story_coverage": "newsprism.outlets.blindspots",
    "story_outlets": "newsprism.outlets.blindspots",
    "text_establishment": "newsprism.outlets.establishment",
    "text_lean": "newsprism.outlets.model",
}

__getattr__ = lazy_getattr(__name__, _HOME)
