"""Forecasts: prediction questions from Metaculus, Manifold and Polymarket, linked to stories.

questions = read_listing("metaculus.json").questions; upsert_questions(store, questions)
story = replace(story, forecasts=link_story_forecasts(store, story.id),
                claims_to_watch=claims_to_watch(articles))
"""

from newsprism.forecasts._claims import claims_to_watch, refers_to
from newsprism.forecasts._evaluate import (
    CrossValidation,
    LinkEval,
    cross_validate,
    demo_stories,
    evaluate_links,
    fit_threshold,
    load_labels,
    sample_questions,
    storyline_folds,
)
from newsprism.forecasts._fetch import DEFAULT_BASE_URLS, USER_AGENT, UpdateReport, update_forecasts
from newsprism.forecasts._importers import ImportResult, detect_platform, parse_listing, read_listing
from newsprism.forecasts._link import LinkScore, link_forecasts, link_story_forecasts, score_questions
from newsprism.forecasts._question import PLATFORMS, ProbabilityPoint, Question
from newsprism.forecasts._sentence import forecast_sentence, statement
from newsprism.forecasts._store import latest_updated, load_questions, upsert_questions

__all__ = [
    "DEFAULT_BASE_URLS",
    "PLATFORMS",
    "USER_AGENT",
    "CrossValidation",
    "ImportResult",
    "LinkEval",
    "LinkScore",
    "ProbabilityPoint",
    "Question",
    "UpdateReport",
    "claims_to_watch",
    "cross_validate",
    "demo_stories",
    "detect_platform",
    "evaluate_links",
    "fit_threshold",
    "forecast_sentence",
    "latest_updated",
    "link_forecasts",
    "link_story_forecasts",
    "load_labels",
    "load_questions",
    "parse_listing",
    "read_listing",
    "refers_to",
    "sample_questions",
    "score_questions",
    "statement",
    "storyline_folds",
    "update_forecasts",
    "upsert_questions",
]
