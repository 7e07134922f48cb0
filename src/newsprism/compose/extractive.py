"""The default composer: extractive, offline, every line traceable to source sentences.

Steps (each timed inside `step_seconds()`, for the bench):
1. units: split every article (and caption) into sentences and read neutrality cues;
2. embed: one batched call for all sentences and titles (cached by text across calls);
3. facts: rank by support, centrality and position, select (MMR + submodular coverage), attach evidence;
4. narratives (stance camps), each side's emphasis, the framing split;
5. quotes, disagreements, timeline, headline, date, articles, coverage.
"""

from __future__ import annotations

import re
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from newsprism.compose._disagreements import (
    claim_conflicts,
    coverage_gaps,
    date_conflicts,
    number_conflicts,
)
from newsprism.compose._emphasis import differs, framing_split, side_emphasis, sides_of
from newsprism.compose._facts import (
    THRESHOLDS,
    WEIGHTS,
    Thresholds,
    Weights,
    clean_wording,
    cross_support,
    independent_count,
    pack_budget,
    ranked_facts,
    refill_budget,
    select_facts,
    support_of,
)
from newsprism.compose._headline import (
    compress_sentence,
    headline_problems,
    strip_title_furniture,
    without_full_stop,
)
from newsprism.compose._lexicon import arousal, loaded_words, subjectivity
from newsprism.compose._narratives import build_narratives
from newsprism.compose._opinion import opinion_article
from newsprism.compose._quotes import find_quotes
from newsprism.compose._scorer import FactScorer, fact_features, load_fact_scorer
from newsprism.compose._units import Unit, build_units, source_groups
from newsprism.outlets import article_leans, coverage
from newsprism.sections import section_of
from newsprism.settings import Settings

if TYPE_CHECKING:
    from newsprism.analyse import Analysis, ClaimComparer
from newsprism.types import (
    Article,
    ArticleRef,
    Emphasis,
    Fact,
    Narrative,
    OutletRef,
    Quote,
    Story,
    TimelineEvent,
    content_id,
)

__all__ = ["EmbedFn", "ExtractiveComposer", "step_seconds", "unknown_lean"]

Matrix = npt.NDArray[np.float32]
EmbedFn = Callable[[Sequence[str]], Matrix]
_CLICKBAIT = re.compile(
    r"(\?|!|\byou\b|\bhere's\b|\bthis is why\b|\bwhat we know\b|\bwatch\b|\blive\b|"
    r"\bbreaking\b|\bshocking\b|\bupdates?\b:)",
    re.IGNORECASE,
)
_OUTLET_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")


def unknown_lean(name: str | None) -> OutletRef:
    """The lean lookup used when none is given: every outlet's lean is unknown."""
    return OutletRef(name=name or "")


class _EmbedCache:
    """Vectors by text for one embedder, so recomposing a story embeds only its new sentences."""

    def __init__(self, embed: EmbedFn, size: int = 50_000) -> None:
        self._embed, self._size = embed, size
        self._vectors: OrderedDict[str, Matrix] = OrderedDict()

    def __call__(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        # The answer is gathered before eviction, so a call larger than the cache still gets every vector.
        found: dict[str, Matrix] = {}
        for text in dict.fromkeys(texts):
            if text in self._vectors:
                self._vectors.move_to_end(text)
                found[text] = self._vectors[text]
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            for text, vector in zip(missing, self._embed(missing), strict=True):
                found[text] = self._vectors[text] = vector
            while len(self._vectors) > self._size:
                self._vectors.popitem(last=False)
        return np.stack([found[t] for t in texts]).astype(np.float32)


# The composer is shared (one per settings, with its models loaded), so it keeps no timings of its own:
# each thread or task that asks for them gets its own tally.
_STEP_SECONDS: ContextVar[dict[str, float] | None] = ContextVar("compose_step_seconds", default=None)


@contextmanager
def step_seconds() -> Iterator[dict[str, float]]:
    """Seconds spent in each compose step (and `stories`, how many were composed) by the compose calls
    made inside the block, in this thread or task only."""
    seconds: dict[str, float] = {}
    token = _STEP_SECONDS.set(seconds)
    try:
        yield seconds
    finally:
        _STEP_SECONDS.reset(token)


class ExtractiveComposer:
    """`compose()` picks and arranges source sentences; it never writes a claim of its own."""

    def __init__(self, settings: Settings | None = None, embed: EmbedFn | None = None) -> None:
        self.settings = settings or Settings()
        if embed is None:
            from newsprism.analyse import get_embedder

            embed = get_embedder(self.settings.fast_embedder).embed
        self.embed = _EmbedCache(embed)
        self.thresholds: Thresholds = THRESHOLDS.get(self.settings.fast_embedder, Thresholds())
        self.weights: Weights = WEIGHTS
        self.scorer: FactScorer | None = (
            load_fact_scorer(self.settings.fact_scorer) if self.settings.fact_scorer else None
        )
        self._claim_comparer: ClaimComparer | None = None

    def _comparer(self) -> ClaimComparer:
        """The claim comparer for date and claim disagreements (built on first use: it loads a model)."""
        if self._claim_comparer is None:
            from newsprism.analyse import get_claim_comparer

            self._claim_comparer = get_claim_comparer()
        return self._claim_comparer

    def _tick(self, step: str, since: float) -> float:
        now = time.perf_counter()
        seconds = _STEP_SECONDS.get()
        if seconds is not None:
            seconds[step] = seconds.get(step, 0.0) + now - since
        return now

    # --- facts only (what summarization benchmarks score) --------------------------------------

    def prepare(
        self, articles: Sequence[Article], independent: Mapping[str, str] | None = None,
        analyses: Mapping[str, Analysis] | None = None,
    ) -> tuple[list[Unit], Matrix, Matrix]:
        """Units, their pairwise cosine matrix, and the title vectors; `analyses` as `build_units`."""
        t = time.perf_counter()
        units = build_units(articles, source_groups(articles, independent), analyses)
        t = self._tick("units", t)
        vectors = self.embed([u.text for u in units] + [a.title or "" for a in articles])
        t = self._tick("embed", t)
        unit_vecs, title_vecs = vectors[: len(units)], vectors[len(units) :]
        sims = (unit_vecs @ unit_vecs.T).astype(np.float32) if len(units) else np.zeros((0, 0), np.float32)
        self._tick("similarity", t)
        return units, sims, title_vecs

    def features(self, units: Sequence[Unit], sims: Matrix, title_vecs: Matrix) -> npt.NDArray[np.float64]:
        """The fact scorer's features of every unit (compose/_scorer.py FEATURES)."""
        th = self.thresholds
        body = [i for i, u in enumerate(units) if u.supports]
        sources = [independent_count(support_of(i, units, sims, th), units, sims, th)
                   for i in range(len(units))]
        cross = cross_support(units, sims, body) if body else np.zeros(len(units))
        unit_vecs = self.embed([u.text for u in units])
        return fact_features(units, sims, unit_vecs, title_vecs, sources, [float(c) for c in cross])

    def learned(
        self, units: Sequence[Unit], sims: Matrix, title_vecs: Matrix
    ) -> npt.NDArray[np.float64] | None:
        """The fact scorer's log-odds for every unit (None without a scorer)."""
        if self.scorer is None or not units:
            return None
        return self.scorer.score(self.features(units, sims, title_vecs))

    def summary(self, articles: Sequence[Article], max_words: int) -> list[str]:
        """Fact sentences, most important first, as many whole sentences as fit in `max_words` words."""
        units, sims, titles = self.prepare(articles)
        learned = self.learned(units, sims, titles)
        return [clean_wording(units[i].text) for i in self._fitted(units, sims, max_words, learned)]

    def _fitted(
        self, units: Sequence[Unit], sims: Matrix, max_words: int,
        learned: npt.NDArray[np.float64] | None = None,
    ) -> list[int]:
        """Chosen facts that fit `max_words` as whole sentences: in order of importance, a sentence that
        would overflow is passed over for a shorter one after it; none is ever cut. The rest of the budget
        is then refilled (`refill_budget`: next-best candidates, then reporting sentences in lead order,
        each a whole source sentence with its evidence). Only when no
        candidate sentence fits at all is one longer sentence given (never an empty summary)."""
        w = self.weights
        scores = ranked_facts(units, sims, self.thresholds, w, fill=max_words, learned=learned)
        th = self.thresholds
        if w.short_redundant and sum(u.words for u in units if u.fact_candidate) < w.short_input * max_words:
            th = replace(th, redundant=max(th.redundant, w.short_redundant))
        # select past the budget, so that shorter facts are there to fill what an overflowing one leaves
        chosen = select_facts(scores, units, sims, th, limit=10_000, word_budget=2 * max_words + 40, w=w)
        out: list[int] = []
        if self.weights.fill:
            lengths = [len(clean_wording(units[i].text).split()) for i in chosen[:12]]
            out = pack_budget(chosen, scores, lengths, max_words, self.weights.fill)
        else:
            used = 0
            for i in chosen:
                words = len(clean_wording(units[i].text).split())
                if used + words <= max_words:
                    out.append(i)
                    used += words
        if out:
            printed = {i: len(clean_wording(u.text).split()) for i, u in enumerate(units)
                       if i in scores or u.stand_in}
            out = refill_budget(out, scores, units, sims, max_words, printed, self.weights)
        if not out and scores:
            # no chosen fact fits: the best-scored candidate that does, else (every sentence is longer
            # than the budget) the shortest of the five best, whole: a summary is never empty or cut
            ranked = sorted(scores, key=lambda i: -scores[i])
            fitting = [i for i in ranked if len(clean_wording(units[i].text).split()) <= max_words]
            out = fitting[:1] or [min(ranked[:5], key=lambda i: units[i].words)]
        return out

    # --- the whole story ------------------------------------------------------------------------

    def framing(
        self,
        articles: Sequence[Article],
        units: Sequence[Unit],
        sims: Matrix,
        lean: Callable[[str | None], OutletRef],
    ) -> tuple[tuple[Narrative, ...], bool, tuple[Emphasis, ...]]:
        """Narratives, whether the sources frame the story alike, and each side's emphasis.
        The difference test between outlets of opposite lean runs before "alike" is said."""
        sides = sides_of(articles, lean)
        narratives, single = build_narratives(
            articles, units, sims, lean, force_split=differs(units, sims, sides) is not None, sides=sides
        )
        return narratives, single, side_emphasis(articles, units, sims, sides, lean)

    def compose(
        self,
        articles: Sequence[Article],
        *,
        story_id: str | None = None,
        lean_of: Callable[[str | None], OutletRef] | None = None,
        independent: Mapping[str, str] | None = None,
        max_words: int | None = None,
        analyses: Mapping[str, Analysis] | None = None,
        vectors: Mapping[str, Matrix] | None = None,
    ) -> Story:
        """The story page of `articles` (one event); with `max_words`, its facts are the whole sentences
        that fit in that many words (as `summary`), else up to `settings.max_facts` facts. `analyses`:
        the store's analyses by article id, whose body sentences, dates and quantities the composer
        reads instead of reading the text again (done here when absent). `vectors`:
        the article vectors `analyse` stored, by article id, which the section model reads where given
        (`story_vectors`); without them the section comes from the words alone."""
        articles = list(articles)
        # by default the leans stored with the articles at ingest: compose asks no registry
        lean = lean_of or article_leans(articles)
        units, sims, title_vecs = self.prepare(articles, independent, analyses)
        th = self.thresholds
        t = time.perf_counter()
        if max_words is None:
            # the page shows each fact's sources: it keeps ranking by cross-outlet support first (the
            # learned gains trade some support for centroid words, which a budgeted summary wants)
            scores = ranked_facts(units, sims, th, self.weights)
            limit = max(4, min(10, self.settings.max_facts))
            chosen = select_facts(scores, units, sims, th, limit=limit, w=self.weights)
        else:
            learned = self.learned(units, sims, title_vecs)
            scores = ranked_facts(units, sims, th, self.weights, fill=max_words, learned=learned)
            chosen = self._fitted(units, sims, max_words, learned)
            # a reporting sentence that filled the budget's rest ranks below every scored fact
            floor = min(scores.values(), default=0.0)
            scores = {**scores, **{i: floor - 0.01 * (k + 1) for k, i in enumerate(
                i for i in chosen if i not in scores)}}
        facts = tuple(self._fact(i, units, sims, scores, articles, th) for i in chosen)
        t = self._tick("facts", t)
        narratives, single, emphasis = self.framing(articles, units, sims, lean)
        t = self._tick("narratives", t)
        quotes = self._quotes(articles)
        t = self._tick("quotes", t)
        comparer = self._comparer()
        disagreements = (
            tuple(number_conflicts(articles, units, sims, min_similarity=th.related)[:5])
            + tuple(date_conflicts(articles, units, sims, comparer, min_similarity=th.related)[:5])
            + tuple(claim_conflicts(articles, units, sims, comparer, min_similarity=th.related)[:5])
            + tuple(coverage_gaps(facts, lean, [a.outlet for a in articles if a.outlet]))
        )
        t = self._tick("disagreements", t)
        timeline = self._timeline(articles, units, sims)
        t = self._tick("timeline", t)
        headline = self._headline(articles, units, chosen, title_vecs, sims)
        datelines: dict[int, tuple[str | None, str | None]] = {}
        for u in units:
            if (u.place or u.agency) and u.article not in datelines:
                datelines[u.article] = (u.place, u.agency)
        refs = tuple(
            self._ref(a, facts, lean, datelines.get(k, (None, None))) for k, a in enumerate(articles)
        )
        story = Story(
            id=story_id or "s" + content_id("|".join(sorted(a.id for a in articles)), "")[1:],
            headline=headline,
            date=self._date(articles, facts, units),
            facts=facts,
            narratives=narratives,
            quotes=quotes,
            disagreements=disagreements,
            timeline=timeline,
            articles=refs,
            lead=facts[0].text if facts else headline,
            coverage=coverage(refs),
            single_framing=single,
            emphasis=emphasis,
            framing_split=framing_split(narratives),
            section=section_of(articles, vectors=vectors),
        )
        self._tick("assemble", t)
        seconds = _STEP_SECONDS.get()
        if seconds is not None:
            seconds["stories"] = seconds.get("stories", 0.0) + 1
        return story

    def _fact(
        self,
        i: int,
        units: Sequence[Unit],
        sims: Matrix,
        scores: Mapping[int, float],
        articles: Sequence[Article],
        th: Thresholds,
    ) -> Fact:
        members = support_of(i, units, sims, th)
        # one evidence sentence per article is enough to show it says this; keep the closest
        best_per_article: dict[int, int] = {}
        for m in members:
            best_per_article.setdefault(units[m].article, m)
        kept = list(best_per_article.values())
        evidence = tuple(units[m].evidence(articles) for m in kept)
        outlets = tuple(dict.fromkeys(e.outlet for e in evidence if e.outlet))
        return Fact(
            text=clean_wording(units[i].text),
            sources=independent_count(kept, units, sims, th),
            evidence=evidence,
            outlets=outlets,
            importance=round(float(scores[i]), 4),
        )

    def _quotes(self, articles: Sequence[Article], limit: int = 12) -> tuple[Quote, ...]:
        seen: set[str] = set()
        out: list[Quote] = []
        for article in articles:
            for quote in find_quotes(article):
                key = re.sub(r"\W+", " ", quote.text.lower()).strip()
                if key in seen:
                    continue
                seen.add(key)
                out.append(quote)
        out.sort(key=lambda q: q.speaker is None)  # attributed quotes first, stable otherwise
        return tuple(out[:limit])

    def _timeline(
        self, articles: Sequence[Article], units: Sequence[Unit], sims: Matrix, limit: int = 15
    ) -> tuple[TimelineEvent, ...]:
        events: list[tuple[str, int]] = []
        for i, unit in enumerate(units):
            if not unit.supports or unit.quoted >= 0.5:
                continue
            mentions = unit.mentions.dates
            if not mentions:
                continue
            date = mentions[0].value
            if any(d == date and sims[i, j] >= 0.6 for d, j in events):
                continue  # the same event told by another sentence or source
            events.append((date, i))
        if len(events) > limit:
            # keep the most specific dates, then the earliest sentences of each article
            events.sort(key=lambda e: (-len(e[0]), units[e[1]].position))
            events = events[:limit]
        events.sort(key=lambda e: (e[0], units[e[1]].article, units[e[1]].position))
        return tuple(TimelineEvent(d, units[i].text, units[i].evidence(articles)) for d, i in events)

    def _headline(
        self,
        articles: Sequence[Article],
        units: Sequence[Unit],
        chosen: Sequence[int],
        title_vecs: Matrix,
        sims: Matrix,
    ) -> str:
        """A neutral, informative headline: the most central outlet title with no neutrality problem
        (loaded words, clickbait, a question; labels such as "BREAKING:" removed), or the top fact
        compressed to headline length. An opinion title ("Op-Ed: ...", an opinion article's) or a title
        with a problem never heads the page, not even word for word as a last resort."""
        if not articles:
            return ""
        candidates: list[tuple[float, str]] = []
        usable: list[tuple[int, str]] = []
        short: list[str] = []  # clean 2-3 word titles ("Food for fungi"): only when nothing else will do
        for k, article in enumerate(articles):
            title = strip_title_furniture(_OUTLET_SUFFIX.sub("", (article.title or "").strip()))
            if title is None or len(title.split()) < 2 or headline_problems(title):
                continue
            if opinion_article(article):
                continue
            if len(title.split()) < 4:
                short.append(title)
            else:
                usable.append((k, title))
        if usable and len({u.source for u in units} or {0}) <= 1:
            # one outlet: its own title is the headline it wrote for this story, and it has passed the
            # neutrality checks; a compressed lead sentence reads worse ("It was built deliberately ...")
            return _finish(usable[0][1])
        if chosen:
            center = self.embed([units[i].text for i in chosen]).mean(axis=0) if usable else None
            for k, title in usable:
                centrality = float(title_vecs[k] @ center) if center is not None else 0.0
                penalty = 2.0 * arousal(title) + 0.3 * subjectivity(title) + 0.1 * len(loaded_words(title))
                penalty += 0.3 * len(_CLICKBAIT.findall(title)) + _wordiness(title)
                candidates.append((centrality - penalty, title))
            text = clean_wording(units[chosen[0]].text)
            top = compress_sentence(text)
            # the top fact heads the page when it is short, or when no title of the outlets' will do
            if (not headline_problems(top) and not _WEAK_START.match(top)
                    and (len(text.split()) <= 22 or not (usable or short))):
                candidates.append((0.5 - 2.0 * arousal(top) - _wordiness(top), top))
        else:
            candidates = [(0.0, title) for _k, title in usable]
        if not candidates:
            # a sentence that leans on the one before ("It ...", "But ...") cannot head a page
            plain = [u for u in units if u.supports and u.voice is None and u.words >= 6
                     and u.fragment is None and not _WEAK_START.match(u.text)]
            strong = [i for i in chosen if not _WEAK_START.match(units[i].text)]
            if short:
                best = short[0]
            elif strong:
                best = compress_sentence(clean_wording(units[strong[0]].text))
            elif plain:
                best = compress_sentence(clean_wording(plain[0].text))
            else:
                best = strip_title_furniture(articles[0].title or "") or ""
                if not best and chosen:
                    best = compress_sentence(clean_wording(units[chosen[0]].text))
        else:
            best = max(candidates)[1]
        return _finish(best)

    def _date(
        self, articles: Sequence[Article], facts: Sequence[Fact], units: Sequence[Unit]
    ) -> str | None:
        """The event's day: a day-precise date in the top facts, else the most common publication day."""
        published = [a.published_date for a in articles if a.published_date]
        latest = max(published) if published else None
        # each fact's first evidence is one unit's sentence: its dates are that unit's, read once
        by_evidence = {(articles[u.article].id, u.caption, u.start, u.end): u for u in units}
        for fact in facts[:3]:
            ev = fact.evidence[0]
            for mention in by_evidence[(ev.article, ev.caption, ev.start, ev.end)].mentions.dates:
                if len(mention.value) == 10 and (latest is None or mention.value <= latest):
                    return mention.value
        if published:
            return Counter(published).most_common(1)[0][0]
        return None

    def _ref(
        self,
        article: Article,
        facts: Sequence[Fact],
        lean: Callable[[str | None], OutletRef],
        dateline: tuple[str | None, str | None] = (None, None),
    ) -> ArticleRef:
        supports = tuple(k for k, f in enumerate(facts) if any(e.article == article.id for e in f.evidence))
        return ArticleRef(
            id=article.id,
            title=article.title,
            outlet=article.outlet,
            published=article.published,
            url=article.url,
            path=article.path,
            lean=lean(article.outlet).lean if article.outlet else None,
            supports=supports,
            place=dateline[0],
            agency=dateline[1],
        )


_WEAK_START = re.compile(
    r"^[\"'“‘(]?(?:it|its|this|that|these|those|he|she|they|them|his|her|their|we|our|you|i|there|"
    r"but|and|so|also|however|meanwhile|still|instead|then|yet|such|which|both)\b",
    re.IGNORECASE,
)


def _finish(headline: str) -> str:
    return without_full_stop(clean_wording(headline).strip()).replace("‘", "'").replace("’", "'")


def _wordiness(text: str) -> float:
    """A headline reads at a glance: each word past twelve costs a little."""
    return 0.03 * max(0, len(text.split()) - 12)
