"""Story JSON in and out: the per-class planned codec equals `dataclasses.asdict` and its reverse on real
composed stories (MultiLing 2011 topics and the demo seeds, CC BY, through the real composer)."""

from __future__ import annotations

import json
import types
import typing
from dataclasses import asdict, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from newsprism.compose import compose
from newsprism.evaluation.summarize import load_multiling
from newsprism.ingest import read_inputs
from newsprism.types import STORY_SCHEMA_VERSION, Article, ArticleRef, Coverage, Evidence, Fact, Story

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "demo" / "seeds"


def _reference(cls: Any, data: Any) -> Any:
    """The decoder as it was (type hints resolved for every nested record), kept here to compare."""
    hints = typing.get_type_hints(cls)
    return cls(**{f.name: _coerce(hints[f.name], data[f.name]) for f in fields(cls) if f.name in data})


def _coerce(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin is tuple:
        return tuple(_coerce(typing.get_args(hint)[0], v) for v in value)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _coerce(args[0], value) if len(args) == 1 else value
    if isinstance(hint, type) and is_dataclass(hint):
        return _reference(hint, value)
    return value


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    made = []
    outlets = ["Outlet A", "Outlet B", "Outlet C", "Outlet D", "Outlet E"]
    for articles, _ in load_multiling(ROOT / "data" / "multiling2011", topics=2):
        # MultiLing sources carry no outlet: spread them over five, so narratives and coverage are built
        articles = [replace(a, outlet=outlets[i % 5]) for i, a in enumerate(articles)]
        made.append(compose(articles, story_id=f"s{len(made):06d}"))
    seeds = [a for a in read_inputs(sorted(SEEDS.glob("*.txt"))) if isinstance(a, Article)]
    seeds = [replace(a, published="2023-03-16", outlet=a.outlet or f"Seed {i}") for i, a in enumerate(seeds)]
    made.append(compose(seeds, story_id="s-seeds"))
    return made


def test_real_stories_have_nested_parts(stories: list[Story]) -> None:
    # the round trips below must cover nested records, not only flat fields
    assert all(s.facts and s.articles for s in stories)
    assert any(f.evidence for s in stories for f in s.facts)
    assert any(s.quotes or s.timeline or s.narratives or s.disagreements for s in stories)


def test_to_json_equals_asdict(stories: list[Story]) -> None:
    for story in stories:
        assert story.to_json() == {**asdict(story), "schema_version": STORY_SCHEMA_VERSION}


def test_json_round_trip_is_exact(stories: list[Story]) -> None:
    for story in stories:
        data = json.loads(json.dumps(story.to_json()))
        back = Story.from_json(data)
        assert back == story
        assert back == _reference(Story, data)
        assert isinstance(back.facts, tuple) and isinstance(back.facts[0].evidence[0], Evidence)
        assert json.dumps(back.to_json(), sort_keys=True) == json.dumps(story.to_json(), sort_keys=True)


def test_missing_keys_take_defaults_unknown_keys_are_ignored() -> None:
    evidence = Evidence("a1", 0, 4, "Text", None)
    story = Story(id="s1", headline="H", date=None, facts=(Fact("Text", 1, (evidence,)),), narratives=(),
                  quotes=(), disagreements=(), timeline=(),
                  articles=(ArticleRef("a1", "T", None, None, None, supports=(0,)),))
    data = story.to_json()
    for key in ("coverage", "emphasis", "framing_split", "lead"):
        del data[key]
    data["added_by_a_later_version"] = {"x": 1}
    back = Story.from_json(json.loads(json.dumps(data)))
    assert back == story and back.coverage == Coverage() and back.articles[0].supports == (0,)
    assert Story.from_json({**data, "date": None, "storyline": None}).storyline is None
