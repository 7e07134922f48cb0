"""Online story clustering, storylines and clustering metrics."""

from newsprism.cluster._datasets import LabelledSet, load_basil, load_multiling, load_neus
from newsprism.cluster._export import stories_of
from newsprism.cluster._metrics import Scores, score_clustering
from newsprism.cluster._model import LEARNED, MODELS, ClusterModel, model_for
from newsprism.cluster._online import Assignment, OnlineClusterer
from newsprism.cluster._pending import ClusterReport, cluster_pending
from newsprism.cluster._storylines import StorylineRule, link_storylines

__all__ = [
    "LEARNED",
    "MODELS",
    "Assignment",
    "ClusterModel",
    "ClusterReport",
    "LabelledSet",
    "OnlineClusterer",
    "Scores",
    "StorylineRule",
    "cluster_pending",
    "link_storylines",
    "load_basil",
    "load_multiling",
    "load_neus",
    "model_for",
    "score_clustering",
    "stories_of",
]
