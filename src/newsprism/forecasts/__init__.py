"""Forecasts: prediction questions from Metaculus, Manifold and Polymarket, linked to stories.

    questions = read_listing("metaculus.json").questions; upsert_questions(store, questions)
    story = replace(story, forecasts=link_story_forecasts(store, story.id),
                    claims_to_watch=claims_to_watch(articles))
"""

from newsprism.forecasts._importers import ImportResult, detect_platform, parse_listing, read_listing
from newsprism.forecasts._question import PLATFORMS, ProbabilityPoint, Question
from newsprism.forecasts._store import latest_updated, load_questions, upsert_questions

__all__ = [
    "PLATFORMS",
    "ImportResult",
    "ProbabilityPoint",
    "Question",
    "detect_platform",
    "latest_updated",
    "load_questions",
    "parse_listing",
    "read_listing",
    "upsert_questions",
]
