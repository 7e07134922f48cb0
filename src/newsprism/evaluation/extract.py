"""The extraction lab: real pages with gold bodies, turned into raw scraped text, and any cleaner scored.

Three page sets under `../shared/data/pages/` (see its README): fundus (English publishers, reviewed gold
title/body/date), trafilatura-eval (must / must-not snippets, title, date) and Mozilla Readability (gold
article HTML). Each page becomes raw text two ways, like the project's own scraped inputs:

  1. `text-blocks`: the text of `<body>`, one line per block element (lxml, here);
  2. `text-browser`: Chromium's `document.body.innerText` (Debian chromium through Playwright, no network,
     cached under `/work/cache/clean/pages-browser/` or `$NEWSPRISM_BROWSER_CACHE`, because it is slow);

and `html` is the page itself. Pages are split into folds by site (publisher or domain), so a cleaner
learned here is always scored on sites it never saw.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import statistics
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from newsprism.evaluation.paths import data_root

__all__ = [
    "FOLDS", "Page", "Predicted", "Score", "block_text", "browser_texts", "evaluate", "load_pages",
    "score_page", "summarize",
]

FOLDS = 5
ENGLISH_FUNDUS = ("us", "uk", "ca", "au", "za", "ind")
DEFAULT_DATA = data_root()  # the lab's one data setting (NEWSPRISM_DATA, else ../shared/data)
BROWSER_CACHE = Path(os.environ.get("NEWSPRISM_BROWSER_CACHE", "/work/cache/clean/pages-browser"))


@dataclass(frozen=True)
class Page:
    """One real page and its gold. `body` is the gold text (None when only snippets are known)."""

    set: str
    name: str
    site: str
    html: str
    url: str | None
    title: str | None
    date: str | None
    body: str | None = None
    body_lines: tuple[str, ...] = ()
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()

    @property
    def fold(self) -> int:
        """The page's fold: a stable hash of its site, so one site never spans two folds."""
        return zlib.crc32(self.site.encode("utf-8")) % FOLDS


@dataclass(frozen=True)
class Predicted:
    title: str
    body: str
    published: str | None = None


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    title: bool | None  # None: the page has no gold title
    date: bool | None


# --- pages and their gold ----------------------------------------------------------------------

def _read_html(path: Path) -> str:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    from newsprism.ingest._decode import Unreadable, decode_bytes

    text = decode_bytes(data)
    return "" if isinstance(text, Unreadable) else text


def _site(url: str | None, fallback: str) -> str:
    host = urlparse(url).hostname if url else None
    if not host:
        return fallback
    parts = host.removeprefix("www.").split(".")
    return ".".join(parts[-3:] if len(parts) > 2 and len(parts[-1]) == 2 and len(parts[-2]) <= 3
                    else parts[-2:])


def _fundus(root: Path, *, english: bool = True) -> Iterator[Page]:
    index = json.loads((root / "pairs_index.json").read_text("utf-8"))
    for entry in index:
        if (entry["country"] in ENGLISH_FUNDUS) != english:
            continue
        gold = json.loads((root / entry["gold_json"]).read_text("utf-8"))[entry["version"]]
        body = gold.get("body") or {}
        lines = list(body.get("summary") or [])
        for section in body.get("sections") or []:
            lines += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
        if not lines:
            continue
        date = str(gold.get("publishing_date") or "")[:10] or None
        yield Page("fundus" if english else "fundus-intl", Path(entry["html"]).name.removesuffix(".html.gz"),
                   entry["publisher"], _read_html(root / entry["html"]), entry["url"], gold.get("title"),
                   date,
                   body="\n".join(lines), body_lines=tuple(lines))


def _trafilatura(root: Path) -> Iterator[Page]:
    data = json.loads((root / "evaldata.json").read_text("utf-8"))
    for url, gold in sorted(data.items()):
        path = root / gold["file"]
        if not path.exists():
            continue
        date = str(gold.get("date") or "")[:10] or None
        yield Page("trafilatura", path.stem, _site(url, path.stem), _read_html(path), url,
                   gold.get("title") or None, date, must=tuple(gold.get("with") or ()),
                   must_not=tuple(gold.get("without") or ()))


def _readability(root: Path) -> Iterator[Page]:
    for path in sorted((root / "input").glob("*.html")):
        gold_path = root / "GoldStandard" / (path.stem + ".txt")
        if not gold_path.exists():
            continue
        lines = block_text(gold_path.read_text("utf-8", errors="replace"), whole=True).splitlines()
        if sum(len(line.split()) for line in lines) < 100:
            continue  # the suite's markup unit tests (base-url, svg classes ...) are not articles
        site = re.sub(r"-\d+$", "", path.stem)
        yield Page("readability", path.stem, site, _read_html(path), None, None, None,
                   body="\n".join(lines), body_lines=tuple(lines))


SETS = ("fundus", "fundus-intl", "trafilatura", "readability")


def load_pages(data: Path = DEFAULT_DATA, sets: Sequence[str] = SETS) -> list[Page]:
    """All pages of the named sets under `data/pages`; an empty list when the folder is absent.
    `fundus` is its English-language publishers, `fundus-intl` the other languages (Japanese, German ...)."""
    root = data / "pages"
    readers: dict[str, Callable[[Path], Iterator[Page]]] = {
        "fundus": _fundus, "fundus-intl": lambda r: _fundus(r, english=False), "trafilatura": _trafilatura,
        "readability": _readability}
    folders = {"fundus": "fundus", "fundus-intl": "fundus", "trafilatura": "trafilatura-eval",
               "readability": "readability"}
    pages: list[Page] = []
    for name in sets:
        if (root / folders[name]).is_dir():
            pages += [p for p in readers[name](root / folders[name]) if p.html]
    return pages


# --- raw text, two ways --------------------------------------------------------------------------

_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "thead", "tfoot", "tr", "td", "th", "ul", "option", "select", "button", "label", "caption"
})
_SKIP = frozenset({
    "script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas", "math"
})


def block_text(html: str, *, whole: bool = False) -> str:
    """The text of `<body>` (of the whole document when `whole`), one line per block element."""
    import lxml.html

    try:
        # bytes with an explicit parser encoding: lxml refuses str with an XML declaration, and guesses
        # Latin-1 for bytes of a page without a charset
        parser = lxml.html.HTMLParser(encoding="utf-8")
        doc = lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=parser)
    except Exception:  # lxml raises several types on empty or broken markup
        return ""
    root = doc if whole else (doc.find("body") if doc.find("body") is not None else doc)
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP or not isinstance(node.tag, str):
            if node.tail:
                current.append(node.tail)
            return
        block = tag in _BLOCKS
        if block:
            flush()
        if node.text:
            current.append(node.text)
        for child in node:
            walk(child)
        if block:
            flush()
        elif tag:
            current.append(" " if tag in ("span", "a", "td") and current and not current[-1].endswith(" ")
                           else "")
        if node.tail:
            current.append(node.tail)

    walk(root)
    flush()
    return "\n".join(lines)


_BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _cache_key(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8", errors="replace")).hexdigest()[:24]


def browser_texts(pages: Sequence[Page], cache: Path = BROWSER_CACHE) -> dict[str, str]:
    """`document.body.innerText` of each page (key: set/name) from Debian chromium, no network, cached."""
    out: dict[str, str] = {}
    todo: list[Page] = []
    for page in pages:
        path = cache / f"{_cache_key(page.html)}.txt"
        if path.exists():
            out[f"{page.set}/{page.name}"] = path.read_text("utf-8")
        else:
            todo.append(page)
    if not todo:
        return out
    from playwright.sync_api import sync_playwright

    cache.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=_BROWSER_ARGS)
        context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
        context.route("**/*", lambda route: route.abort())
        for page in todo:
            tab = context.new_page()
            try:
                tab.set_content(page.html, wait_until="domcontentloaded", timeout=20_000)
                text = str(tab.evaluate("() => document.body ? document.body.innerText : ''"))
            except Exception:  # a page that does not load in the browser gives no text, like a failed scrape
                text = ""
            finally:
                tab.close()
            (cache / f"{_cache_key(page.html)}.txt").write_text(text, "utf-8")
            out[f"{page.set}/{page.name}"] = text
        browser.close()
    return out


# --- scoring ---------------------------------------------------------------------------------------

def _mark_ranges() -> str:
    """A character class of every combining mark: `\\w` has none, so Bengali, Devanagari or Arabic words
    would split at each vowel sign or vowel point."""
    spans: list[str] = []
    start = None
    for code in range(0x300, 0x20000):
        mark = unicodedata.category(chr(code)).startswith("M")
        if mark and start is None:
            start = code
        elif not mark and start is not None:
            spans.append(f"\\U{start:08x}-\\U{code - 1:08x}")
            start = None
    return "".join(spans)


_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|(?:[^\W_]|[" + _mark_ranges() + r"])+")


def tokens(text: str) -> list[str]:
    """Word tokens, casefolded and in one Unicode form (a page and its gold may spell "ড়" as one code
    point or two); each CJK character is a token (those scripts write no spaces)."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text).casefold())


def _squash(text: str) -> str:
    return " ".join(tokens(text))


def title_matches(got: str, gold: str) -> bool:
    """Same words in the same order, allowing a site name after a separator on either side."""
    a, b = _squash(got), _squash(gold)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short + " ") and len(short.split()) >= 0.6 * len(long_.split())


def score_page(page: Page, got: Predicted) -> Score:
    """Token precision/recall/F1 of the body against the gold (against the snippets where only those
    are known: a must snippet found is a hit, a must-not snippet found a false positive)."""
    if page.body is not None:
        want, have = Counter(tokens(page.body)), Counter(tokens(got.body))
        overlap = sum((want & have).values())
        precision = overlap / sum(have.values()) if have else 0.0
        recall = overlap / sum(want.values()) if want else 0.0
    else:
        text = _squash(got.body)
        hit = sum(1 for s in page.must if _squash(s) in text)
        false = sum(1 for s in page.must_not if _squash(s) and _squash(s) in text)
        precision = hit / (hit + false) if hit + false else (1.0 if not page.must else 0.0)
        recall = hit / len(page.must) if page.must else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    title = title_matches(got.title, page.title) if page.title else None
    date = (got.published or "")[:10] == page.date if page.date else None
    return Score(precision, recall, f1, title, date)


# --- systems -------------------------------------------------------------------------------------

Cleaner = Callable[[str, Page], Predicted]


def newsprism_text(raw: str, page: Page) -> Predicted:
    """The shipped raw-text cleaner; subheadings count as body, as in the gold."""
    from newsprism.ingest.clean import clean_text

    got = clean_text(raw, url=page.url)
    return Predicted(got.title, "\n".join((*got.paragraphs, *got.subheadings)), got.published)


def long_lines(raw: str, page: Page) -> Predicted:
    """The one-line baseline: keep lines of >= 25 words; the title is the first line."""
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    return Predicted(lines[0] if lines else "", "\n".join(x for x in lines if len(x.split()) >= 25))


def trafilatura_html(html: str, page: Page) -> Predicted:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, url=page.url, with_metadata=True)
    except Exception:  # broken markup: nothing extracted
        doc = None
    if doc is None:
        return Predicted("", "")
    meta = doc if isinstance(doc, dict) else doc.as_dict()
    return Predicted(str(meta.get("title") or ""), str(meta.get("text") or ""), meta.get("date"))


def newsprism_html(html: str, page: Page) -> Predicted:
    from newsprism.ingest._context import ReadContext
    from newsprism.ingest._html import article_from_html
    from newsprism.types import Article

    got = article_from_html(page.name, html.encode("utf-8"), ReadContext(min_words=1), url=page.url)
    if not isinstance(got, Article):
        return Predicted("", "")
    # each subheading where it stood, as the gold has it (a must snippet may run across one)
    lines = list(got.paragraphs)
    for at, heading in reversed(list(zip(got.extra.get("subheading_at", ()), got.subheadings, strict=True))):
        lines.insert(at, heading)
    return Predicted(got.title, "\n".join(lines), got.published)


@dataclass
class Row:
    set: str
    input: str
    system: str
    scores: list[Score] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def mean(values: Iterable[float]) -> float:
            xs = list(values)
            return round(statistics.fmean(xs), 4) if xs else 0.0

        titles = [s.title for s in self.scores if s.title is not None]
        dates = [s.date for s in self.scores if s.date is not None]
        return {
            "set": self.set, "input": self.input, "system": self.system, "pages": len(self.scores),
            "precision": mean(s.precision for s in self.scores),
            "recall": mean(s.recall for s in self.scores),
            "f1": mean(s.f1 for s in self.scores),
            "median_f1": round(statistics.median([s.f1 for s in self.scores]), 4) if self.scores else 0.0,
            "title_accuracy": mean(float(t) for t in titles) if titles else None,
            "date_accuracy": mean(float(d) for d in dates) if dates else None,
        }


def raw_inputs(pages: Sequence[Page], *, browser: bool = True) -> dict[str, dict[str, str]]:
    """{input kind: {set/name: raw text}} for the text inputs."""
    out = {"text-blocks": {f"{p.set}/{p.name}": block_text(p.html) for p in pages}}
    if browser:
        out["text-browser"] = browser_texts(pages)
    return out


def evaluate(pages: Sequence[Page], *, browser: bool = True, html: bool = True,
             text_systems: dict[str, Cleaner] | None = None, cross_validated: bool = True,
             ) -> list[dict[str, Any]]:
    """Rows per (set, input, system) and pooled over all sets ("all"), means and medians.

    The shipped line model was trained on these pages, so by default newsprism's raw-text rows are
    cross-validated by site instead: each fold scored by a model trained on the other four (and the
    fixtures), the rows pooling every fold's held-out pages. `cross_validated=False` scores the shipped
    model as it is (in-sample on these pages)."""
    systems = dict(text_systems or {"newsprism": newsprism_text, "lines>=25 words": long_lines})
    rows: dict[tuple[str, str, str], Row] = {}

    def add(page: Page, kind: str, system: str, got: Predicted) -> None:
        score = score_page(page, got)
        for name in (page.set, "all"):
            rows.setdefault((name, kind, system), Row(name, kind, system)).scores.append(score)

    cv = cross_validated and systems.pop("newsprism", None) is not None
    for kind, texts in raw_inputs(pages, browser=browser).items():
        for page in pages:
            for system, clean in systems.items():
                add(page, kind, system, clean(texts[f"{page.set}/{page.name}"], page))
    if cv:
        from newsprism.evaluation import extract_train  # scikit-learn loads for this only

        exs = extract_train.examples(pages, browser=browser)
        scored = extract_train.cross_validate(exs, range(FOLDS),
                                              extra=extract_train.fixture_examples(extract_train.FIXTURES))
        for (set_, kind), ss in scored.items():
            rows.setdefault((set_, kind, "newsprism"), Row(set_, kind, "newsprism")).scores.extend(ss)
        # a page whose raw text is empty (the browser gave nothing) has no example: it scores as nothing
        # extracted, not left out
        have = {(e.page.set, e.page.name, e.kind) for e in exs}
        for kind in raw_inputs(pages[:0], browser=browser):
            for page in pages:
                if (page.set, page.name, kind) not in have:
                    add(page, kind, "newsprism", Predicted("", ""))
    if html:
        for page in pages:
            add(page, "html", "trafilatura", trafilatura_html(page.html, page))
            add(page, "html", "newsprism", newsprism_html(page.html, page))
    return [row.as_dict() for row in sorted(rows.values(), key=lambda r: (r.set, r.input, r.system))]


def summarize(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as a plain table."""
    head = f"{'set':<12} {'input':<13} {'system':<18} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'medF1':>6}" \
           f" {'title':>6} {'date':>6}"
    out = [head]
    for r in rows:
        def fmt(x: float | None) -> str:
            return f"{x:6.3f}" if x is not None else "     -"
        out.append(f"{r['set']:<12} {r['input']:<13} {r['system']:<18} {r['pages']:>5} {fmt(r['precision'])}"
                   f" {fmt(r['recall'])} {fmt(r['f1'])} {fmt(r['median_f1'])} {fmt(r['title_accuracy'])}"
                   f" {fmt(r['date_accuracy'])}")
    return "\n".join(out)
