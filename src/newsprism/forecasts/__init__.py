"""Forecasts: prediction questions from Metaculus, Manifold and Polymarket, linked to stories.

questions = read_listing("metaculus.json").questions; upsert_questions(store, questions)
story = replace(story, forecasts=link_story_forecasts(store, story.id),
                claims_to_watch=claims_to_watch(articles))

Names load on first use, so the CLI starts without the models that linking needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsprism._lazy import lazy_getattr

if TYPE_CHECKING:
    from newsprism.forecasts._claims import claims_to_watch, refers_to
    from newsprism.forecasts._fetch import USER_AGENT, UpdateReport, update_forecasts
    from newsprism.forecasts._importers import ImportResult, detect_platform, parse_listing, read_listing
    from newsprism.forecasts._link import LinkScore, link_forecasts, link_story_forecasts, score_questions
    from newsprism.forecasts._question import DEFAULT_BASE_URLS, PLATFORMS, ProbabilityPoint, Question
    from newsprism.forecasts._sentence import forecast_sentence, statement
    from newsprism.forecasts._store import latest_updated, load_questions, upsert_questions

__all__ = [
    "DEFAULT_BASE_URLS",
    "PLATFORMS",
    "USER_AGENT",
    "ImportResult",
    "LinkScore",
    "ProbabilityPoint",
    "Question",
    "UpdateReport",
    "claims_to_watch",
    "detect_platform",
    "forecast_sentence",
    "latest_updated",
    "link_forecasts",
    "link_story_forecasts",
    "load_questions",
    "parse_listing",
    "read_listing",
    "refers_to",
    "score_questions",
    "statement",
    "update_forecasts",
    "upsert_questions",
]

_HOME = {
    "DEFAULT_BASE_URLS": "newsprism.forecasts._question",
    "ImportResult": "newsprism.forecasts._importers",
    "LinkScore": "newsprism.forecasts._link",
    "PLATFORMS": "newsprism.forecasts._question",
    "ProbabilityPoint": "newsprism.forecasts._question",
    "Question": "newsprism.forecasts._question",
    "USER_AGENT": "newsprism.forecasts._fetch",
    "UpdateReport": "newsprism.forecasts._fetch",
    "claims_to_watch": "newsprism.forecasts._claims",
    "detect_platform": "newsprism.forecasts._importers",
    "forecast_sentence": "newsprism.forecasts._sentence",
    "latest_updated": "newsprism.forecasts._store",
    "link_forecasts": "newsprism.forecasts._link",
    "link_story_forecasts": "newsprism.forecasts._link",
    "load_questions": "newsprism.forecasts._store",
    "parse_listing": "newsprism.forecasts._importers",
    "read_listing": "newsprism.forecasts._importers",
    "refers_to": "newsprism.forecasts._claims",
    "score_questions": "newsprism.forecasts._link",
    "statement": "newsprism.forecasts._sentence",
    "update_forecasts": "newsprism.forecasts._fetch",
    "upsert_questions": "newsprism.forecasts._store",
}

__getattr__ = lazy_getattr(__name__, _HOME)
