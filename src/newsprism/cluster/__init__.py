"""Online story clustering and storylines. Datasets, metrics and training live in `newsprism.evaluation`."""

import newsprism._native  # noqa: F401  (first: see that module)
from newsprism.cluster._export import ClusteredArticle, ClusteredStory, stories_of
from newsprism.cluster._features import ArticleFeatures
from newsprism.cluster._model import LEARNED, MODELS, ClusterModel, model_for
from newsprism.cluster._online import Assignment, OnlineClusterer
from newsprism.cluster._pending import ClusterReport, cluster_pending
from newsprism.cluster._storylines import StorylineRule, link_storylines
from newsprism.cluster._working import StorylineArticle, WorkingSet

__all__ = [
    "LEARNED",
    "MODELS",
    "ArticleFeatures",
    "Assignment",
    "ClusterModel",
    "ClusterReport",
    "ClusteredArticle",
    "ClusteredStory",
    "OnlineClusterer",
    "StorylineArticle",
    "StorylineRule",
    "WorkingSet",
    "cluster_pending",
    "link_storylines",
    "model_for",
    "stories_of",
]
