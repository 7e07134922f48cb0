"""Per-article analysis (sentences, entities, dates, quantities), stored as JSON in `analyses`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from itertools import islice
from typing import Any

from newsprism.analyse._embed import cached_embed
from newsprism.analyse._entities import Entity, extract_entities
from newsprism.analyse._mentions import Mentions, article_mentions, span_mentions
from newsprism.analyse._sentences import Span, split_sentences
from newsprism.settings import Settings
from newsprism.store import StoreTables
from newsprism.types import Article

__all__ = [
    "ARTICLE_KIND",
    "Analysis",
    "CaptionReading",
    "analyse_articles",
    "analyse_pending",
    "article_head",
    "lead_of",
    "load_analyses",
    "outside_captions",
]

ARTICLE_KIND = "article"  # `embeddings.kind` of the title+lead vector of an article
LEAD_CHARS = 600  # the article vector and the clusterer's words read the title and about 100 words
# NER reads the title and the first ~50 words: spaCy's cost grows with the text, and the actors of a
# story are named at its start (300 characters halve NER time next to 600)
NER_LEAD_CHARS = 300
# How `Analysis.dates` and `quantities` were read. 0: analyses stored before session 18 (calendar dates
# of the whole text, unresolved), which the composer cannot use; 1: per body sentence, resolved
# (`article_mentions`), the composer's own reading; 2: the same, and the captions the body does not hold
# are read too (`Analysis.captions`), so the composer reads no text itself.
MENTIONS_VERSION = 2
_BODY_MENTIONS_SINCE = 1  # version 1's body readings are version 2's: they stay usable


@dataclass(frozen=True)
class CaptionReading:
    """One caption the body does not hold (`Article.captions[caption]`), split and read as the composer
    reads it; offsets index the caption's text."""

    caption: int
    chars: int  # the caption's length when read: with the sentences, what tells it changed
    sentences: tuple[Span, ...]
    dates: tuple[Entity, ...]
    quantities: tuple[Entity, ...]

    @classmethod
    def of(cls, caption: int, text: str, published: str | None) -> CaptionReading:
        sentences = tuple(split_sentences(text))
        return cls(caption, len(text), sentences, *article_mentions(text, sentences, published))

    def mentions_in(self, text: str) -> list[tuple[Span, Mentions]] | None:
        """Each sentence with its dates and quantities, or None when they cannot stand for `text`'s
        (the caption changed since it was read)."""
        if not _still_read(text, self.chars, self.sentences):
            return None
        return [(s, span_mentions(s, self.dates, self.quantities)) for s in self.sentences]


def _still_read(text: str, chars: int | None, sentences: Sequence[Span]) -> bool:
    """Whether `sentences`, read from a text of `chars` characters (None: not recorded), are still
    `text`'s: every span indexes it, and it has not grown past the last one."""
    if chars is not None and chars != len(text):
        return False
    return all(text[s.start:s.end] == s.text for s in sentences)


def outside_captions(article: Article) -> list[tuple[int, str]]:
    """The captions (index, text) that the body does not hold: the composer makes them units of their
    own, so analysis reads them."""
    return [(c, text) for c, text in enumerate(article.captions) if text and text not in article.text]


@dataclass(frozen=True)
class Analysis:
    """What later stages need from one article. Offsets of `sentences`, `entities`, `dates` and
    `quantities` index `Article.text`; `title_entities` index `Article.title`. Entities come from the
    title and lead only (the part that says what the story is); dates and quantities are those of each
    body sentence as the composer reads it (`article_mentions`), a date's `value` resolved against
    `published` (ISO `YYYY-MM-DD`, `YYYY-MM` or `YYYY`)."""

    article_id: str
    sentences: tuple[Span, ...]
    entities: tuple[Entity, ...]
    dates: tuple[Entity, ...]
    quantities: tuple[Entity, ...]
    title_entities: tuple[Entity, ...] = ()
    published: str | None = None  # the `Article.published` the dates were resolved against
    mentions_version: int = 0  # `MENTIONS_VERSION` when made; 0 in analyses stored before it
    captions: tuple[CaptionReading, ...] = ()  # the captions outside the body (version 2 on)
    # `len(Article.text)` when read (version 2 on): text that grew past the last sentence read keeps
    # every stored span valid, so the spans alone would not tell
    text_chars: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Analysis:
        def entities(rows: Sequence[dict[str, Any]]) -> tuple[Entity, ...]:
            return tuple(Entity(**e) for e in rows)

        def ents(key: str) -> tuple[Entity, ...]:
            return entities(data.get(key, ()))

        def spans(rows: Sequence[dict[str, Any]]) -> tuple[Span, ...]:
            return tuple(Span(**s) for s in rows)

        return cls(
            article_id=data["article_id"],
            sentences=spans(data["sentences"]),
            entities=ents("entities"),
            dates=ents("dates"),
            quantities=ents("quantities"),
            title_entities=ents("title_entities"),
            published=data.get("published"),
            mentions_version=data.get("mentions_version", 0),
            text_chars=data.get("text_chars"),
            captions=tuple(
                CaptionReading(c["caption"], c["chars"], spans(c["sentences"]),
                               entities(c["dates"]), entities(c["quantities"]))
                for c in data.get("captions", ())
            ),
        )

    def mentions_of(self, article: Article) -> list[Mentions] | None:
        """The dates and quantities of each of `sentences` (offsets into its collapsed text), or None
        when they cannot stand for `article`'s: an older reading, another publication date, or
        sentences that no longer index its text (the caller reads the sentences again)."""
        if self.mentions_version < _BODY_MENTIONS_SINCE or self.published != article.published:
            return None
        if not self.reads(article):
            return None
        return [span_mentions(s, self.dates, self.quantities) for s in self.sentences]

    def reads(self, article: Article) -> bool:
        """Whether `sentences` are still `article`'s body sentences (else it changed since analysis)."""
        return _still_read(article.text, self.text_chars, self.sentences)

    def caption_mentions_of(self, article: Article) -> dict[int, list[tuple[Span, Mentions]]]:
        """The sentences of each caption outside the body with their dates and quantities, by caption
        index; a caption is absent when no reading here stands for it (an older analysis, another
        publication date, or a caption that changed): the caller reads that one."""
        if self.mentions_version < MENTIONS_VERSION or self.published != article.published:
            return {}
        out = {}
        for reading in self.captions:
            if reading.caption < len(article.captions):
                found = reading.mentions_in(article.captions[reading.caption])
                if found is not None:
                    out[reading.caption] = found
        return out

    def entity_names(self) -> frozenset[str]:
        """Casefolded names of the title and lead entities."""
        return frozenset(e.text.casefold() for e in (*self.title_entities, *self.entities))


def lead_of(article: Article, chars: int = LEAD_CHARS) -> str:
    """The start of the body up to the first sentence end after `chars` characters."""
    text = article.text
    if len(text) <= chars:
        return text
    cut = len(text)
    for mark in (". ", ".\n", "? ", "! "):
        found = text.find(mark, chars)
        if found != -1:
            cut = min(cut, found + 1)
    return text[: min(cut, chars * 2)]


def article_head(article: Article) -> str:
    """The text an article vector is computed from: title and lead."""
    return f"{article.title}\n\n{lead_of(article)}".strip()


def _split_head_entities(
    entities: Sequence[Entity], title_length: int
) -> tuple[tuple[Entity, ...], tuple[Entity, ...]]:
    """Entities of "title\n\nlead" as (title entities, lead entities with offsets into the lead)."""
    lead_start = title_length + 2
    title = tuple(e for e in entities if e.end <= title_length)
    lead = tuple(
        replace(e, start=e.start - lead_start, end=e.end - lead_start)
        for e in entities
        if e.start >= lead_start
    )
    return title, lead


def analyse_articles(articles: Sequence[Article]) -> list[Analysis]:
    """Analyses of `articles` in order (no store, no embeddings)."""
    # one spaCy doc per article ("title\n\nlead"): half the docs of a title pass plus a lead pass, and
    # batching is where spaCy's speed comes from; the blank line keeps entities from spanning both
    heads = [f"{a.title}\n\n{lead_of(a, NER_LEAD_CHARS)}" for a in articles]
    entities = extract_entities(heads)
    out = []
    for article, found in zip(articles, entities, strict=True):
        title_entities, lead_entities = _split_head_entities(found, len(article.title))
        sentences = tuple(split_sentences(article.text))
        # each sentence's dates and quantities are read here, once, as the composer reads them
        dates, quantities = article_mentions(article.text, sentences, article.published)
        out.append(
            Analysis(
                article_id=article.id,
                sentences=sentences,
                entities=lead_entities,
                dates=dates,
                quantities=quantities,
                title_entities=title_entities,
                published=article.published,
                mentions_version=MENTIONS_VERSION,
                text_chars=len(article.text),
                captions=tuple(CaptionReading.of(c, text, article.published)
                               for c, text in outside_captions(article)),
            )
        )
    return out


def load_analyses(store: StoreTables, article_ids: Sequence[str]) -> dict[str, Analysis]:
    """Stored analyses of the given articles (missing ones are absent from the result)."""
    return {a: Analysis.from_json(data) for a, data in store.analyses.data_of(article_ids).items()}


def _pending(store: StoreTables, batch: int) -> Iterator[list[Article]]:
    articles = store.analyses.pending_articles()
    while chunk := list(islice(articles, batch)):
        yield chunk


def analyse_pending(store: StoreTables, settings: Settings, *, progress: bool = True,
                    batch: int = 256) -> int:
    """Analyses and embeds (title+lead, `settings.cluster_embedder`) every article without an analysis yet;
    commits batch by batch so an interrupted run resumes. Returns how many were analysed."""
    from rich.progress import Progress

    total = store.analyses.pending_count()
    if total == 0:  # `cluster_pending` asks again after a build's own call: one count, nothing reread
        return 0
    done = 0
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("analysing", total=total)
        # spaCy runs in a worker thread while onnxruntime embeds in this one (the store's connection
        # belongs to this thread); both release the GIL for most of their work, so on two cores the
        # wall time is about the larger of the two instead of their sum
        with ThreadPoolExecutor(max_workers=1) as worker:
            for articles in _pending(store, batch):
                analysing = worker.submit(analyse_articles, articles)
                with store.transaction():
                    cached_embed(
                        store, settings.cluster_embedder, ARTICLE_KIND, [a.id for a in articles],
                        [article_head(a) for a in articles],
                    )
                    analyses = analysing.result()
                    store.analyses.put([(a.article_id, a.to_json()) for a in analyses])
                done += len(articles)
                bar.advance(task, len(articles))
    return done
