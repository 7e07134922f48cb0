"""Linking stories to prediction questions, and the sentence each link is shown as.

A question is scored against a story in three steps, written once here:
1. gates: a question whose title names things (capitalised words, acronyms) none of which the story
   mentions is unrelated, however many ordinary words they share ("earthquake" in Chile is not
   "earthquake in Japan"); so is a question whose years all lie before the story or far after it.
   Names are compared after `_aliases` (North Korean = Pyongyang = DPRK; GSOMIA = General Security of
   Military Information Agreement). A title whose own names the story mostly lacks passes only when the
   story names one of them and most of the description's names too (the question's setting);
2. lexical relevance: IDF-weighted coverage of the question's names and content words by the story,
   a word mentioned once counting half as much as a word the story keeps returning to;
3. with an embedder, the cosine of story and question embeddings is blended in (it re-ranks and can
   veto, never admits a question the gates refused).
Questions at or above `threshold` are shown, best first, at most `limit`.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from newsprism.artifacts import read_artifact
from newsprism.errors import ConfigError, ModelUnavailable, NotFound
from newsprism.forecasts._aliases import canonical, expand
from newsprism.forecasts._question import Question
from newsprism.forecasts._sentence import forecast_sentence
from newsprism.forecasts._store import load_questions
from newsprism.store import StoreTables
from newsprism.types import Forecast, Story

__all__ = ["Embedder", "LinkScore", "link_forecasts", "link_story_forecasts", "score_questions", "story_text"]

LINK_MODEL = "link.v1"
FORMAT = "newsprism.forecast-link.v1"


def load_link_thresholds(name: str = LINK_MODEL) -> tuple[float, float]:
    """(lexical, embedded) cut of the link score, from the versioned artifact `forecasts/models/<name>.json`
    (its provenance says on which labelled pairs and folds they were fitted)."""
    data = read_artifact("forecasts", name)
    if data.get("format") != FORMAT:
        raise ConfigError(f"forecast link model {name!r} is not in format {FORMAT}")
    return float(data["lexical_threshold"]), float(data["embedded_threshold"])


THRESHOLD, EMBEDDED_THRESHOLD = load_link_thresholds()

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*[A-Za-z0-9]|[A-Za-z]|\d+(?:[.,]\d+)*\+?")
_STOP = frozenset(
    """a an the and or but if of in on at to for from by with without into onto over under about after
    before between during since until than then that this these those there their they them it its is
    are was were be been being has have had do does did will would shall should may might can could
    must not no yes any all some more most less least other such own same so too very just also as who
    whom whose which what when where why how whether per via s t don't won't new first next last end
    year years month day ever again least one two three four five six seven eight nine ten more than
    100 resolve resolves market question happen occur take place official officially become hold held
    get make remain still""".split()  # noqa: SIM905 - a word list reads better as text
)
_MONTHS = frozenset(
    """january february march april may june july august september october november december""".split()  # noqa: SIM905 - a word list reads better as text
)


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> Any: ...


def _norm(word: str) -> str:
    word = word.lower().replace("’", "'")
    word = word.removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _terms(text: str) -> list[str]:
    """Content words, normalised; a hyphenated word also counts as its parts ("test-fired": test, fired)."""
    terms: list[str] = []
    for word in _WORD.findall(text):
        parts = [word, *word.split("-")] if "-" in word else [word]
        terms.extend(n for n in map(_norm, parts) if n and n not in _STOP)
    return terms


def _names(title: str) -> set[str]:
    """Capitalised words and acronyms of a title (not its first word, which is capitalised anyway)."""
    names: set[str] = set()
    for index, word in enumerate(_WORD.findall(title)):
        norm = _norm(word)
        if norm in _STOP or norm in _MONTHS or not word[0].isupper():
            continue
        if index == 0 and not word.isupper():
            continue
        names.add(norm)
    return names


def _years(text: str) -> set[int]:
    return {int(y) for y in re.findall(r"\b(19[5-9]\d|20\d\d)\b", text)}


def story_text(story: Story) -> str:
    """The words of a story the linker reads: headline, lead, facts, narratives, timeline, titles."""
    parts = [story.headline, story.headline, story.lead]
    parts += [f.text for f in story.facts]
    parts += [n.statement for n in story.narratives]
    parts += [e.text for e in story.timeline]
    parts += [a.title for a in story.articles]
    return "\n".join(p for p in parts if p)


def _story_year(story: Story) -> int | None:
    dates = [story.date] + [a.published for a in story.articles]
    years = [int(d[:4]) for d in dates if d and d[:4].isdigit()]
    return min(years) if years else None


@dataclass(frozen=True)
class LinkScore:
    question: Question
    score: float
    lexical: float
    cosine: float | None = None


def _idf(questions: Sequence[Question]) -> dict[str, float]:
    # rarity among the candidate questions: "Japan" in many questions says less than "Tomahawk"
    df: Counter[str] = Counter()
    for q in questions:
        df.update(set(_terms(canonical(q.title + " " + q.description))))
    n = len(questions) + 1
    return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}


def _coverage(wanted: set[str], tf: Counter[str], idf: dict[str, float], default: float) -> float:
    total = sum(idf.get(t, default) for t in wanted)
    if not total:
        return 0.0
    got = sum(idf.get(t, default) * min(1.0, tf[t] / 2) for t in wanted if tf[t])
    return got / total


def _lexical(story_tf: Counter[str], year: int | None, q: Question, idf: dict[str, float]) -> float:
    default = max(idf.values(), default=1.0)
    title = canonical(q.title)
    names = _names(title)
    years = _years(title)
    if year is not None and years and all(y < year or y > year + 6 for y in years):
        return 0.0  # the question is about another period than the story
    if year is not None and any(y < year and not story_tf[str(y)] for y in years):
        return 0.0  # it asks about an earlier event ("the 7 July 2005 bombings") the story does not mention
    words = {t for t in set(_terms(title)) - names if not t[0].isdigit() and t not in _MONTHS}
    presence = Counter({t: 2 for t in story_tf})  # plain presence, for the gates
    description_names = _names(canonical(q.description)) - names - _MONTHS
    named = _coverage(names, presence, idf, default) if names else 0.0
    if names and named < 0.5:
        # the story does not name what the title is about; it may still name the question's setting
        # (Tomahawk missiles for Japan "amid missile threats from North Korea and China"), but only
        # when it names something of the title too and most of what the description names
        described = [n for n in description_names if story_tf[n]]
        if not (
            any(story_tf[n] for n in names)
            and len(described) >= 2
            and _coverage(description_names, presence, idf, default) >= 0.6
        ):
            return 0.0
        names = names | description_names
    # same names, different matter ("Japan" in a summit story vs "earthquake in Japan"), unless the story
    # names most of the title and of its description (Kyoto, the US and the Bali talks: not "ratify")
    several_names = sum(1 for n in names if story_tf[n]) >= 2 and named >= 0.75
    setting = bool(description_names) and _coverage(description_names, presence, idf, default) >= 0.5
    if words and not (several_names and setting) and _coverage(words, presence, idf, default) < 0.15:
        return 0.0
    word_cov = _coverage(words, story_tf, idf, default)
    name_cov = _coverage(names, story_tf, idf, default)
    context_cov = _coverage(description_names, story_tf, idf, default) if description_names else name_cov
    if not names:
        return 0.6 * word_cov + 0.2 * context_cov
    return 0.4 * name_cov + 0.4 * word_cov + 0.2 * context_cov


def score_questions(
    story: Story,
    questions: Sequence[Question],
    *,
    embedder: Embedder | None = None,
    pool: Sequence[Question] | None = None,
) -> list[LinkScore]:
    """Relevance of each question to `story` (0–1), in input order.

    `pool` is the set word rarity is computed over (default: `questions`).
    """
    text = story_text(story)
    story_tf = Counter(_terms(expand(text)))
    year = _story_year(story)
    idf = _idf(pool if pool is not None else questions)
    lexical = [_lexical(story_tf, year, q, idf) for q in questions]
    if embedder is None or not questions:
        return [LinkScore(q, s, s) for q, s in zip(questions, lexical, strict=True)]
    vectors = np.asarray(
        embedder.embed([text[:2000]] + [f"{q.title}\n{q.description[:500]}" for q in questions])
    )
    cosines = vectors[1:] @ vectors[0]
    scores = []
    for q, lex, cos in zip(questions, lexical, cosines, strict=True):
        semantic = min(1.0, max(0.0, (float(cos) - 0.15) / 0.45))
        # the lexical gates stay in charge: a zero lexical score is never rescued by similarity
        blended = 0.0 if lex == 0.0 else 0.6 * lex + 0.4 * semantic
        scores.append(LinkScore(q, blended, lex, float(cos)))
    return scores


def link_forecasts(
    story: Story,
    questions: Sequence[Question],
    *,
    embedder: Embedder | None = None,
    threshold: float | None = None,
    limit: int = 3,
    open_only: bool = True,
) -> tuple[Forecast, ...]:
    """The most relevant questions for `story` (open ones only, unless `open_only=False`), best first,
    as `Forecast`s with a sentence in the story page's style; nothing when none clears the threshold."""
    candidates = [q for q in questions if q.is_open or not open_only]
    cut = threshold if threshold is not None else (THRESHOLD if embedder is None else EMBEDDED_THRESHOLD)
    scored = score_questions(story, candidates, embedder=embedder, pool=questions)
    shown = sorted((s for s in scored if s.score >= cut), key=lambda s: (-s.score, s.question.id))[:limit]
    return tuple(
        Forecast(
            question=s.question.title,
            probability=s.question.probability,
            platform=s.question.platform,
            url=s.question.url,
            as_of=s.question.as_of,
            sentence=forecast_sentence(s.question),
            relevance=round(s.score, 4),
        )
        for s in shown
    )


def _named_embedder(name: str | None) -> Embedder | None:
    """The analyse stage's embedder `name`, or None (lexical linking) when it is unavailable."""
    if name is None:
        return None
    try:
        from newsprism.analyse import get_embedder
    except ImportError:
        return None
    try:
        return get_embedder(name)
    except (ConfigError, ModelUnavailable):
        return None


def link_story_forecasts(
    store: StoreTables, story_id: str, *, embedder: Embedder | str | None = None, limit: int = 3
) -> tuple[Forecast, ...]:
    """`link_forecasts` for the composed story `story_id`, against the open questions in the store.

    `embedder` is an embedder or a registered name ("minilm.v1"); None links lexically.
    """
    composed = store.forecasts.composed_story(story_id)
    if composed is None:
        raise NotFound(f"no composed story {story_id!r} in the store")
    story = Story.from_json(json.loads(composed))
    model = _named_embedder(embedder) if isinstance(embedder, str) else embedder
    return link_forecasts(story, load_questions(store), embedder=model, limit=limit)
