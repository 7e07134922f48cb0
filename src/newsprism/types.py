"""The frozen records that travel between pipeline stages.

Every stage takes and returns these; nothing crosses a module boundary as a bare dict or tuple.
`Story` and its parts serialise to the JSON shape documented in `schema/story.schema.json`.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

STORY_SCHEMA_VERSION = "1.1"

_SPACES = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Casefolded, NFKC, whitespace-collapsed text: the form content ids and exact dedup hash."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def content_id(title: str, text: str) -> str:
    """Stable article id from normalized content, so re-ingesting the same input is a no-op."""
    digest = hashlib.sha256(normalize_text(title + "\n" + text).encode("utf-8")).hexdigest()
    return "a" + digest[:15]


@dataclass(frozen=True)
class Boilerplate:
    """A piece of scraped text removed from an article, with why it was removed."""

    text: str
    reason: str


@dataclass(frozen=True)
class Article:
    """One cleaned news article. `text` is the body paragraphs joined by blank lines.

    `published` is an ISO 8601 date or datetime string (or None); `path` is the input file it came
    from, when it came from a file. `lean` ("left" | "center" | "right" | None when unknown) and
    `lean_score` are the outlet's, resolved once by the store's writer against the store's registry and
    rewritten by an outlet import: the store's columns, not the article's JSON (`to_json` leaves them out).
    """

    id: str
    title: str
    text: str
    outlet: str | None = None
    url: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    path: str | None = None
    paragraphs: tuple[str, ...] = ()
    subheadings: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    boilerplate: tuple[Boilerplate, ...] = ()
    authors: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    lean: str | None = None
    lean_score: float | None = None

    @property
    def published_date(self) -> str | None:
        """The `YYYY-MM-DD` part of `published`."""
        return self.published[:10] if self.published else None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["extra"] = dict(self.extra)
        del data["lean"], data["lean_score"]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Article:
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        for name in ("paragraphs", "subheadings", "captions", "authors"):
            kwargs[name] = tuple(kwargs.get(name) or ())
        kwargs["boilerplate"] = tuple(
            b if isinstance(b, Boilerplate) else Boilerplate(**b) for b in kwargs.get("boilerplate") or ()
        )
        kwargs["extra"] = dict(kwargs.get("extra") or {})
        return cls(**kwargs)


@dataclass(frozen=True)
class Rejection:
    """An input that was not ingested, and why (an expected outcome, not an exception)."""

    source: str
    reason: str


# --- composed story -------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """An exact source sentence: `text == article_text[start:end]` of article `article`.

    When `caption` is set, the sentence is in a photo caption that is not part of the body:
    `text == article.captions[caption][start:end]`."""

    article: str
    start: int
    end: int
    text: str
    outlet: str | None = None
    caption: int | None = None


@dataclass(frozen=True)
class Fact:
    text: str
    sources: int  # independent sources: near-duplicate wire copies count once
    evidence: tuple[Evidence, ...]
    outlets: tuple[str, ...] = ()
    importance: float = 0.0


@dataclass(frozen=True)
class OutletRef:
    name: str
    lean: str | None = None  # "left" | "center" | "right" | None when unknown
    lean_score: float | None = None


@dataclass(frozen=True)
class Narrative:
    label: str  # "Narrative A", "Narrative B", ...
    statement: str
    outlets: tuple[OutletRef, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Emphasis:
    """What one side's outlets report first or alone ("Left-leaning outlets (…) focus on: …")."""

    side: str  # "left" | "center" | "right"
    text: str
    outlets: tuple[OutletRef, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Quote:
    speaker: str | None
    text: str
    article: str
    start: int
    end: int
    outlet: str | None = None


@dataclass(frozen=True)
class Claim:
    """One side of a disagreement: what a source says about the disputed thing."""

    text: str
    value: str | None
    evidence: Evidence


@dataclass(frozen=True)
class Disagreement:
    kind: str  # "number" | "date" | "claim" | "coverage"
    subject: str
    claims: tuple[Claim, ...]
    note: str = ""


@dataclass(frozen=True)
class TimelineEvent:
    date: str  # ISO date, or YYYY-MM / YYYY when that is all the text says
    text: str
    evidence: Evidence


@dataclass(frozen=True)
class ArticleRef:
    id: str
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    path: str | None = None
    lean: str | None = None
    supports: tuple[int, ...] = ()  # indices into Story.facts
    place: str | None = None  # from the dateline ("LONDON (AP) —" -> "London", "AP"), cut off the text
    agency: str | None = None


@dataclass(frozen=True)
class Forecast:
    question: str
    probability: float | None
    platform: str
    url: str | None
    as_of: str | None
    sentence: str
    relevance: float = 0.0


@dataclass(frozen=True)
class ClaimToWatch:
    text: str
    refers_to: str | None
    evidence: Evidence


@dataclass(frozen=True)
class Coverage:
    left: int = 0
    center: int = 0
    right: int = 0
    unknown: int = 0


@dataclass(frozen=True)
class Story:
    """A composed story page. Serialises to `schema/story.schema.json`."""

    id: str
    headline: str
    date: str | None
    facts: tuple[Fact, ...]
    narratives: tuple[Narrative, ...]
    quotes: tuple[Quote, ...]
    disagreements: tuple[Disagreement, ...]
    timeline: tuple[TimelineEvent, ...]
    articles: tuple[ArticleRef, ...]
    storyline: str | None = None
    lead: str = ""
    coverage: Coverage = field(default_factory=Coverage)
    forecasts: tuple[Forecast, ...] = ()
    claims_to_watch: tuple[ClaimToWatch, ...] = ()
    single_framing: bool = False  # all sources frame it alike: no narrative split invented
    # (kept last: fields added by parallel work go here, each with a default)
    emphasis: tuple[Emphasis, ...] = ()  # per side, what its outlets report first or alone
    framing_split: float | None = None  # share of opposite-lean outlet pairs sharing no narrative
    section: str | None = None  # topic section (compose._sections.SECTIONS), decided once at compose time

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = _encoder(Story)(self)
        data["schema_version"] = STORY_SCHEMA_VERSION
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Story:
        story: Story = _decoder(cls)(data)
        return story


# A story page parses its story's JSON, and the composer writes one per story: the walk over each class's
# fields is planned once per class (type hints resolved once, not per nested object as
# `typing.get_type_hints` on every record would), then each record is a loop over that plan.
# Same shapes as `dataclasses.asdict` and the reverse (tests/test_types_codec.py compares them).
_Convert = Callable[[Any], Any]


_DECODERS: dict[type, _Convert] = {}
_ENCODERS: dict[type, _Convert] = {}


def _decoder(cls: type) -> _Convert:
    """dict (the `asdict` form, from JSON) -> `cls`: nested records rebuilt, lists made tuples, missing
    keys left to their defaults, unknown keys ignored."""
    known = _DECODERS.get(cls)
    if known is not None:
        return known
    hints = typing.get_type_hints(cls)
    plan = [(f.name, _from_hint(hints[f.name])) for f in fields(cls)]

    def decode(data: Mapping[str, Any]) -> Any:
        kwargs = {}
        for name, convert in plan:
            if name in data:
                value = data[name]
                kwargs[name] = value if convert is None or value is None else convert(value)
        return cls(**kwargs)

    _DECODERS[cls] = decode
    return decode


def _from_hint(hint: Any) -> _Convert | None:
    """How a JSON value becomes a value of type `hint` (None: as it is)."""
    origin = typing.get_origin(hint)
    if origin is tuple:
        inner = _from_hint(typing.get_args(hint)[0])
        if inner is None:
            return tuple
        return lambda value: tuple(None if v is None else inner(v) for v in value)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _from_hint(args[0]) if len(args) == 1 else None
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _decoder(hint)
    return None


def _encoder(cls: type) -> _Convert:
    """`cls` -> dict, equal to `dataclasses.asdict` of it (tuples stay tuples), planned once per class."""
    known = _ENCODERS.get(cls)
    if known is not None:
        return known
    hints = typing.get_type_hints(cls)
    plan = [(f.name, _to_hint(hints[f.name])) for f in fields(cls)]

    def encode(record: Any) -> dict[str, Any]:
        data = {}
        for name, convert in plan:
            value = getattr(record, name)
            data[name] = value if convert is None or value is None else convert(value)
        return data

    _ENCODERS[cls] = encode
    return encode


def _to_hint(hint: Any) -> _Convert | None:
    origin = typing.get_origin(hint)
    if origin is tuple:
        inner = _to_hint(typing.get_args(hint)[0])
        if inner is None:
            return tuple
        return lambda value: tuple(None if v is None else inner(v) for v in value)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _to_hint(args[0]) if len(args) == 1 else copy.deepcopy
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _encoder(hint)
    if hint in (str, int, float, bool):
        return None
    return copy.deepcopy  # as asdict does for anything else (a dict, a list)


def independent_outlets(articles: Sequence[Article]) -> tuple[str, ...]:
    """Distinct outlet names of `articles`, in first-seen order."""
    seen: dict[str, None] = {}
    for article in articles:
        if article.outlet:
            seen.setdefault(article.outlet, None)
    return tuple(seen)
