"""The tuned weights of the narratives, the difference test and the side emphasis, loaded by name from
a versioned artifact (`models/<name>.json`) that says which data and folds chose them and how they
scored; nothing here is a literal in the code."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from newsprism.artifacts import read_artifact
from newsprism.errors import ConfigError

__all__ = ["MODEL", "CampParams", "DiffParams", "FramingModel", "load_framing_model"]

MODEL = "narratives.v4"


@dataclass(frozen=True)
class CampParams:
    """How sources are cut into camps (`_narratives.camps_of`)."""

    split_distance: float  # camps this far apart are a split by themselves
    stance_gap: int  # a net stance of at least this size, on opposite sides, separates two sources
    opposite_stance: float  # distance added between two sources of opposite net stance
    evidence_framing: float  # evidence of a narrative: framed at least this much
    actor_tone: float  # weight of how differently two sources speak of the actors both name
    partisan: float  # weight of the gap in partisan wording (lean.v1 phrase model on the text)
    contrast_framing: float  # side contrast: a side's own statement is framed at least this much
    contrast_alone: float  # ... and its best match on the other side is below this
    side_cut: bool  # the side contrast also replaces a two-camp cut that puts both sides in one camp


@dataclass(frozen=True)
class DiffParams:
    """The difference test and the side emphasis (`_emphasis`).

    emphasis score = alone * a + first * min(1, a / told) / (1 + position) + framed * framing
                     - long * words past 35 + headline * h + story * o + central * c,
    where a = 1 - best match on the other sides (v2: a lead the other side leads with too is not what
    this side "reports first"), h and o the word overlap with the side's own and the other sides'
    headlines, c the mean match to the side's other sentences. The best sentence leads; with
    `budget` > 0 the next best join it while the whole fits in `budget` words (at most `sentences`,
    none matching a chosen one `repeat` or more). narratives.v2 is one sentence (budget 0, the v4
    terms 0)."""

    lead_similarity: float  # leads less alike than this are about different things
    alone_similarity: float  # a sentence whose best match on the other side is below this is "alone"
    lead_sentences: int  # how deep into each article "reports first" looks
    alone: float
    first: float
    framed: float
    long: float
    told: float
    headline: float
    story: float
    central: float
    budget: int  # words of the whole emphasis (0 = one sentence)
    sentences: int
    repeat: float


@dataclass(frozen=True)
class FramingModel:
    name: str
    provenance: str
    camps: CampParams
    emphasis: DiffParams


def _build(cls: type[Any], data: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    if set(data) != names:  # a missing or unknown weight is an error, never a silent default
        # ConfigError like the other artifacts (fact scorer, cluster weights): the CLI reports it
        raise ConfigError(f"{cls.__name__}: expected {sorted(names)}, got {sorted(data)}")
    return cls(**data)


@cache
def load_framing_model(name: str = MODEL) -> FramingModel:
    """The shipped framing weights of that versioned name."""
    data = read_artifact("compose", name)
    try:
        return FramingModel(
            name=data["name"],
            provenance=data["provenance"],
            camps=_build(CampParams, data["camps"]),
            emphasis=_build(DiffParams, data["emphasis"]),
        )
    except KeyError as err:  # a missing section, never a bare KeyError out of the composer
        raise ConfigError(f"framing model {name!r} has no {err.args[0]!r}") from err
