"""Precision and recall of shown links on a labelled set of story–question pairs.

Stories are built from the demo corpus (data/demo/seeds: the Tokyo and Seoul summits; one story per
data/multiling2011 topic); questions are the sample listings. Labels (JSONL: story, question, relevant,
note) list the relevant pairs and the near-misses worth naming; every pair not labelled relevant counts
as irrelevant, so a link the labeller never thought of is a false positive, not ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dateutil.parser import parse

from newsprism.errors import InputError
from newsprism.forecasts._importers import read_listing
from newsprism.forecasts._link import Embedder, link_forecasts
from newsprism.forecasts._question import Question
from newsprism.types import ArticleRef, Fact, Story

__all__ = ["LinkEval", "demo_stories", "evaluate_links", "load_labels", "sample_questions"]

# the ITN seed page ends with its own forecast; cut it so the linker cannot read the answer
_SEED_STORIES = {
    "seed:tokyo": (("000_c0e5fdfcdfc52de7.txt", "002_54ac012270ea1e60.txt"), "2023-03-16"),
    "seed:seoul": (("004_2b1bcd757c7649fc.txt",), "2023-05-07"),
}
_DATE_LINE = re.compile(r"^\s*(?:\w+day, )?(\w+ \d{1,2}, \d{4})\s*$")


def _story(story_id: str, date: str | None, docs: Sequence[tuple[str, str]]) -> Story:
    facts: list[Fact] = []
    for _title, body in docs:
        paragraphs = [p.strip() for p in body.split("\n") if len(p.split()) > 6]
        facts.extend(Fact(text=p, sources=1, evidence=()) for p in paragraphs[:3])
    refs = tuple(
        ArticleRef(id=f"{story_id}/{i}", title=t, outlet=None, published=date, url=None)
        for i, (t, _) in enumerate(docs)
    )
    return Story(
        id=story_id,
        headline=docs[0][0],
        date=date,
        facts=tuple(facts),
        narratives=(),
        quotes=(),
        disagreements=(),
        timeline=(),
        articles=refs,
        lead=facts[0].text if facts else "",
    )


def _split(text: str) -> tuple[str, str]:
    title, _, body = text.strip().partition("\n")
    return title.strip(), body.split("Nerd narrative")[0]


def demo_stories(data_dir: Path | str) -> list[Story]:
    """The evaluation stories: two seed stories and one story per MultiLing 2011 topic."""
    root = Path(data_dir)
    stories = []
    for story_id, (names, seed_date) in _SEED_STORIES.items():
        stories.append(
            _story(story_id, seed_date, [_split((root / "demo/seeds" / n).read_text("utf-8")) for n in names])
        )
    sources = sorted((root / "multiling2011/sources").glob("M*.txt"))
    for topic in sorted({p.stem[:4] for p in sources}):
        docs = [_split(p.read_text("utf-8")) for p in sources if p.stem.startswith(topic)]
        dates = [m.group(1) for _, body in docs for m in [_DATE_LINE.match(body.strip().split("\n")[0])] if m]
        date = parse(dates[0]).date().isoformat() if dates else None
        stories.append(_story(f"multiling:{topic}", date, docs))
    return stories


def sample_questions(forecasts_dir: Path | str) -> list[Question]:
    """Every question of the sample listings (*.json) in `forecasts_dir`."""
    questions: list[Question] = []
    for path in sorted(Path(forecasts_dir).glob("*.json")):
        questions.extend(read_listing(path).questions)
    return questions


def load_labels(path: Path | str) -> dict[tuple[str, str], bool]:
    labels: dict[tuple[str, str], bool] = {}
    try:
        for line in Path(path).read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels[(row["story"], row["question"])] = bool(row["relevant"])
    except (OSError, json.JSONDecodeError, KeyError) as err:
        raise InputError(f"cannot read link labels {path}: {err}") from err
    return labels


@dataclass(frozen=True)
class LinkEval:
    precision: float
    recall: float
    shown: int
    correct: int
    relevant: int
    false_links: tuple[tuple[str, str], ...]
    missed: tuple[tuple[str, str], ...]


def evaluate_links(
    stories: Sequence[Story],
    questions: Sequence[Question],
    labels: dict[tuple[str, str], bool],
    *,
    embedder: Embedder | None = None,
) -> LinkEval:
    """Links every story against every question (closed ones too: relevance is what is measured)."""
    by_title = {q.title: q.id for q in questions}
    shown: set[tuple[str, str]] = set()
    for story in stories:
        for forecast in link_forecasts(story, questions, embedder=embedder, open_only=False, limit=5):
            shown.add((story.id, by_title[forecast.question]))
    relevant = {pair for pair, good in labels.items() if good}
    correct = shown & relevant
    return LinkEval(
        precision=len(correct) / len(shown) if shown else 1.0,
        recall=len(correct) / len(relevant) if relevant else 1.0,
        shown=len(shown),
        correct=len(correct),
        relevant=len(relevant),
        false_links=tuple(sorted(shown - relevant)),
        missed=tuple(sorted(relevant - shown)),
    )
