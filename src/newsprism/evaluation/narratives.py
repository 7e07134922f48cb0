"""Narrative benchmarks: do the narratives split the way the outlets do, and do they carry the framing?

Roundups (`neus/raw_roundups.jsonl`, 506 AllSides stories with a left, centre and right article):
- `split_by_side`: among stories with a left and a right outlet (lean from the product's outlet
  registry, never from the file's labels), the share whose narratives separate them: one narrative held
  by a left outlet and no right one, another by a right outlet and no left one. Next to it, the same
  share for random camps (each story's sources cut in two at random), since with three sources a random
  cut separates left and right two times in three.
- side similarity: for each (story, side) where the editors wrote how that side framed it ("Left-rated
  outlets tended to focus on …") and the registry gives the story an outlet of that side, ROUGE-1/2 F
  and MiniLM cosine between the editors' words and (a) that side's emphasis sentence, (b) the statement
  of the narrative its outlets hold, against two baselines: the side's lead sentence and its most
  subjective sentence (textblob).
BASIL (100 events x Fox News, NYT, HuffPost, span-level lexical/informational bias annotations):
- `lift`: share of narrative evidence sentences that overlap an annotated bias span, over the same
  share for length-matched random sentences of the same articles.
- left+right pairs (the shape of the held-out partisan set): each left article (HuffPost, NYT) with
  Fox News's as a story of two outlets; the share with two narratives and the share whose narratives
  hold the two outlets apart (`pair_split_by_side`), with the registry's leans and with BASIL_SIDES.
Both: `attribution_kept`, the share of narratives (and emphasis lines) whose statement keeps every
negation, hedge and attribution of the source sentences it is made of.

Folds: roundups with an even line index and BASIL events 0-49 (in date order) are the development half;
odd roundups and events 50-99 are held out.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from newsprism.analyse import get_embedder, split_sentences
from newsprism.compose import ExtractiveComposer
from newsprism.compose._emphasis import DIFF_PARAMS
from newsprism.compose._narratives import keeps_qualifiers, statement_of
from newsprism.compose._units import Unit
from newsprism.evaluation.rouge import rouge
from newsprism.outlets import lean_lookup, resolve_outlet
from newsprism.settings import Settings
from newsprism.types import Article, Emphasis, Evidence, Narrative, OutletRef, content_id

__all__ = [
    "BasilEvent",
    "RoundupStory",
    "evaluate_narratives",
    "load_basil_events",
    "load_roundup_stories",
    "render",
    "statement_kept",
]

SIDES = ("left", "right")
Matrix = npt.NDArray[np.float32]
_SIDE_WORD = re.compile(
    r"\b(left|right)(?:-|\s)(?:\s*and\s+center-?\s*)?(?:rated|leaning|wing|of[- ]center)\b"
    r"|\b(?:the\s+)?(left|right)(?=\s+(?:outlets|sources|voices|media|coverage|reports))",
    re.IGNORECASE,
)
_PARTS = re.compile(r";\s+|,?\s+while\s+|,?\s+whereas\s+")


@dataclass(frozen=True)
class RoundupStory:
    index: int
    articles: tuple[Article, ...]
    editors: dict[str, str]  # side -> the editors' words about that side's framing
    # per article, the side AllSides filed it under ("left", "center", "right"): the outlet's AllSides
    # rating at the time, read only when the eval is asked for `lean="labels"`
    sides: tuple[str, ...] = ()


@dataclass(frozen=True)
class BasilEvent:
    index: int
    articles: tuple[Article, ...]
    spans: dict[str, list[tuple[int, int]]]  # article id -> annotated bias spans (char offsets in text)


def _editor_sides(paragraphs: Sequence[str]) -> dict[str, str]:
    """The editors' words about each side: sentence parts that name exactly one of left- or
    right-rated outlets (a part naming both, "more common in left- than right-rated outlets", says
    nothing about either side's framing)."""
    out: dict[str, list[str]] = {}
    for paragraph in paragraphs:
        for sentence in split_sentences(paragraph.replace("\xa0", " ")):
            for part in _PARTS.split(sentence.text):
                named = {(m.group(1) or m.group(2)).lower() for m in _SIDE_WORD.finditer(part)}
                if len(named) == 1:
                    out.setdefault(named.pop(), []).append(part.strip())
    return {side: " ".join(parts) for side, parts in out.items()}


def load_roundup_stories(data_dir: Path) -> list[RoundupStory]:
    """Every roundup with two or more articles, in file order; `editors` from its framing sentences
    (the first paragraph, the neutral summary, is skipped)."""
    out = []
    lines = (data_dir / "neus" / "raw_roundups.jsonl").read_text("utf-8").splitlines()
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        roundup = json.loads(line)
        articles, sides = [], []
        for side, news in sorted((roundup.get("news") or {}).items()):
            body = [p.replace("\xa0", " ").strip() for p in news.get("newBody") or [] if p and p.strip()]
            title = (news.get("newsTitle") or "").strip()
            if body and title:
                text = "\n\n".join(body)
                articles.append(
                    Article(
                        id=f"r{roundup['id']}{side[0]}-{content_id(title, text)[1:9]}",
                        title=title,
                        text=text,
                        outlet=news.get("newsSource") or None,
                        url=news.get("newsLink") or None,
                        published=roundup.get("date"),
                        paragraphs=tuple(body),
                    )
                )
                sides.append(side)
        if len(articles) >= 2:
            editors = _editor_sides(roundup.get("roundup", [])[1:])
            out.append(RoundupStory(index, tuple(articles), editors, tuple(sides)))
    return out


def _locate(
    paragraphs: Sequence[Sequence[str]], annotations: Iterable[dict[str, Any]]
) -> list[tuple[int, int]]:
    """Annotation spans (offsets within one unnamed sentence) as offsets in the article text, which is
    the paragraphs joined by blank lines, each paragraph its sentences joined by spaces."""
    sentences, starts, pos = [], [], 0
    for paragraph in paragraphs:
        for s in paragraph:
            sentences.append(s)
            starts.append(pos)
            pos += len(s) + 1
        pos += 1  # "\n\n" between paragraphs instead of one space
    spans = []
    for ann in annotations:
        txt, start = str(ann.get("txt") or ""), int(ann.get("start") or 0)
        if not txt:
            continue
        exact = [k for k, s in enumerate(sentences) if s[start : start + len(txt)] == txt]
        loose = [k for k, s in enumerate(sentences) if txt in s]
        for k in (exact or loose)[:1]:
            offset = start if exact else sentences[k].find(txt)
            spans.append((starts[k] + offset, starts[k] + offset + len(txt)))
    return spans


def load_basil_events(data_dir: Path) -> list[BasilEvent]:
    """BASIL's 100 events in date order, each with its three articles and their bias spans. An article's
    outlet is the registry's name for its URL when the registry knows it, else BASIL's source code."""
    root = data_dir / "basil"
    by_event: dict[str, list[tuple[str, Article, list[tuple[int, int]]]]] = {}
    for path in sorted((root / "articles").glob("*/*.json")):
        data = json.loads(path.read_text("utf-8"))
        ann_path = root / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        annotations = json.loads(ann_path.read_text("utf-8")).get("phrase-level-annotations", [])
        paragraphs = [
            [str(x) for x in p] if isinstance(p, list) else [str(p)] for p in data["body-paragraphs"]
        ]
        text = "\n\n".join(" ".join(p) for p in paragraphs)
        spans = _locate(paragraphs, annotations)
        profile = resolve_outlet(data.get("url"))
        outlet = profile.name if profile else str(data["source"]).lower()
        article = Article(
            id=f"b-{data['uuid']}",
            title=data["title"],
            text=text,
            outlet=outlet,
            url=data.get("url"),
            published=data.get("date"),
        )
        by_event.setdefault(data["triplet-uuid"], []).append((data["date"], article, spans))
    events = sorted(by_event.items(), key=lambda kv: (min(r[0] for r in kv[1]), kv[0]))
    return [
        BasilEvent(k, tuple(r[1] for r in rows), {r[1].id: r[2] for r in rows})
        for k, (_uuid, rows) in enumerate(events)
    ]


def statement_kept(statement: str, evidence_texts: Sequence[str]) -> bool:
    """Whether a statement is made of its evidence sentences and keeps each one's qualifiers."""
    sources = [t for t in evidence_texts if statement_of(t) in statement]
    return bool(sources) and all(keeps_qualifiers(statement, t) for t in sources)


@dataclass
class _Tally:
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, key: str, value: float) -> None:
        self.values.setdefault(key, []).append(value)

    def mean(self, key: str) -> float | None:
        vals = self.values.get(key)
        return round(float(np.mean(vals)), 4) if vals else None

    def count(self, key: str) -> int:
        return len(self.values.get(key, []))


def _lookup(
    articles: Sequence[Article], base: Callable[[str | None], OutletRef]
) -> Callable[[str | None], OutletRef]:
    """The registry lookup, falling back to an article's URL when its outlet name is not known."""
    urls = {a.outlet: a.url for a in articles if a.outlet}

    def lookup(name: str | None) -> OutletRef:
        ref = base(name)
        if ref.lean is None and name in urls and urls[name]:
            by_url = base(urls[name])
            if by_url.lean is not None:
                return OutletRef(name or "", by_url.lean, by_url.lean_score)
        return ref

    return lookup


def _separates(narratives: Sequence[Narrative]) -> bool:
    leans = [{o.lean for o in n.outlets} for n in narratives]
    return any("left" in a and "right" not in a for a in leans) and any(
        "right" in b and "left" not in b for b in leans
    )


def _random_split(sources: Sequence[str | None], rng: random.Random, draws: int = 200) -> float:
    """Expected `_separates` when the story's sources are cut into two non-empty camps at random."""
    hits = 0
    for _ in range(draws):
        while True:
            cut = [rng.random() < 0.5 for _ in sources]
            if any(cut) and not all(cut):
                break
        camps = [{s for s, c in zip(sources, cut, strict=True) if c == side} for side in (True, False)]
        hits += any("left" in a and "right" not in a for a in camps) and any(
            "right" in b and "left" not in b for b in camps
        )
    return hits / draws


def _kept(narratives: Sequence[Narrative], emphasis: Sequence[Emphasis], tally: _Tally) -> None:
    for n in narratives:
        tally.add("attribution_kept", float(statement_kept(n.statement, [e.text for e in n.evidence])))
    for e in emphasis:
        sentence = e.text.split(" focus on: ", 1)[-1]
        tally.add("attribution_kept", float(statement_kept(sentence, [x.text for x in e.evidence])))


def _similarity(
    pairs: list[tuple[str, str, str]], embed: Callable[[Sequence[str]], Any], tally: _Tally
) -> None:
    """(system, text, editors' words) -> ROUGE-1/2 F and cosine, tallied by system."""
    if not pairs:
        return
    vecs = np.asarray(embed([t for _s, t, _r in pairs] + [r for _s, _t, r in pairs]), dtype=np.float64)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
    n = len(pairs)
    for k, (system, text, ref) in enumerate(pairs):
        scores = rouge(text, [ref], metrics=("1", "2"))
        tally.add(f"{system}.R1", scores["1"].f)
        tally.add(f"{system}.R2", scores["2"].f)
        tally.add(f"{system}.cos", float(vecs[k] @ vecs[n + k]))


def _label_lookup(story: RoundupStory) -> Callable[[str | None], OutletRef]:
    """Lean from the roundup itself: the side AllSides filed each article under."""
    score = {"left": -1.0, "center": 0.0, "right": 1.0}
    by_name = {a.outlet: side for a, side in zip(story.articles, story.sides, strict=True) if a.outlet}

    def lookup(name: str | None) -> OutletRef:
        side = by_name.get(name) if name else None
        return OutletRef(name or "", side, score[side]) if side in score else OutletRef(name or "")

    return lookup


def _subset(units: Sequence[Unit], sims: Matrix, keep: Sequence[int]) -> tuple[list[Unit], Matrix]:
    """The units of the articles `keep` (renumbered in that order) and their similarity block, as if
    the story had been covered by those articles alone."""
    index = {a: k for k, a in enumerate(keep)}
    rows = [i for i, u in enumerate(units) if u.article in index]
    return [replace(units[i], article=index[units[i].article]) for i in rows], sims[np.ix_(rows, rows)]


def _side_texts(
    narratives: Sequence[Narrative], emphasis: Sequence[Emphasis]
) -> dict[str, dict[str, str]]:
    """Per system, the text it gives each of left and right: the emphasis line's sentences (one with
    narratives.v2, up to the budget with v4), and the statement of a narrative held by that side's
    outlets and by none of the other's."""
    out: dict[str, dict[str, str]] = {"emphasis": {}, "narrative": {}}
    for e in emphasis:
        if e.side in SIDES and e.evidence:
            out["emphasis"][e.side] = " ".join(ev.text for ev in e.evidence)
    for side, other in (("left", "right"), ("right", "left")):
        for n in narratives:
            leans = {o.lean for o in n.outlets}
            if side in leans and other not in leans:
                out["narrative"][side] = n.statement
                break
    return out


def _first_sentences(units: Sequence[Unit], mine: Sequence[int]) -> str:
    """A length-matched baseline for a multi-sentence emphasis: the side's sentences in reading order
    while they fit the shipped emphasis budget (`budget` words, at most `sentences`; the lead sentence
    alone when the budget is 0), so a longer emphasis is not credited for its length alone."""
    budget, most = DIFF_PARAMS.budget, DIFF_PARAMS.sentences
    order = sorted(mine, key=lambda i: (units[i].position, units[i].article))
    chosen = order[:1]
    for i in order[1:]:
        if len(chosen) >= most or sum(units[j].words for j in chosen) + units[i].words > budget:
            break
        chosen.append(i)
    return " ".join(units[i].text for i in chosen)


def _roundups(
    stories: Sequence[RoundupStory],
    composer: ExtractiveComposer,
    base: Callable[[str | None], OutletRef] | None,
) -> dict[str, Any]:
    """The roundup figures; `base` is the registry lookup, or None to take each article's lean from
    the side the roundup files it under."""
    tally, pairs = _Tally(), []
    matches: list[tuple[str, dict[str, str], dict[str, str]]] = []
    rng = random.Random(13)
    for story in stories:
        articles = list(story.articles)
        lean = _label_lookup(story) if base is None else _lookup(articles, base)
        units, sims, _titles = composer.prepare(articles)
        narratives, single, emphasis = composer.framing(articles, units, sims, lean)
        _kept(narratives, emphasis, tally)
        sides = [lean(a.outlet).lean for a in articles]
        texts = _side_texts(narratives, emphasis)
        if "left" in sides and "right" in sides:
            tally.add("split_by_side", float(len(narratives) >= 2 and _separates(narratives)))
            tally.add("two_narratives", float(len(narratives) >= 2))
            tally.add("single_framing", float(single))
            tally.add("random_camps", _random_split(sides, rng))
            # the story as if only its left and its right article covered it (the held-out set)
            keep = [sides.index("left"), sides.index("right")]
            pair_units, pair_sims = _subset(units, sims, keep)
            pair_articles = [articles[k] for k in keep]
            pair, _s, _e = composer.framing(pair_articles, pair_units, pair_sims, lean)
            tally.add("pair_split", float(len(pair) >= 2 and _separates(pair)))
        for side, words in story.editors.items():
            mine = [i for i, u in enumerate(units) if sides[u.article] == side and not u.photo]
            if not mine:
                continue
            tally.add("editor_sides_covered", 1.0)
            lead = min(mine, key=lambda i: (units[i].position, units[i].article))
            subj = max(
                (i for i in mine if units[i].words >= 6), key=lambda i: units[i].subjectivity, default=lead
            )
            first = _first_sentences(units, mine)
            texts.setdefault("lead sentence", {})[side] = units[lead].text
            texts.setdefault("most subjective sentence", {})[side] = units[subj].text
            texts.setdefault("first sentences in budget", {})[side] = first
            pairs += [
                ("emphasis", texts["emphasis"].get(side, ""), words),
                ("narrative", texts["narrative"].get(side, ""), words),
                ("lead sentence", units[lead].text, words),
                ("most subjective sentence", units[subj].text, words),
                ("first sentences in budget", first, words),
            ]
        if all(s in story.editors for s in SIDES) and all(s in sides for s in SIDES):
            for system, by_side in texts.items():
                matches.append((system, by_side, story.editors))
    embed = get_embedder("minilm.v1").embed
    _similarity(pairs, embed, tally)
    _side_match(matches, embed, tally)
    systems = (
        "emphasis", "narrative", "lead sentence", "most subjective sentence", "first sentences in budget"
    )
    split, rand = tally.mean("split_by_side"), tally.mean("random_camps")
    out: dict[str, Any] = {
        "stories": len(stories),
        "left_and_right": tally.count("split_by_side"),
        "split_by_side": split,
        "split_by_side_random_camps": rand,
        "split_by_side_over_random": round(split / rand, 4) if split is not None and rand else None,
        "two_narratives": tally.mean("two_narratives"),
        "single_framing": tally.mean("single_framing"),
        "left_right_pair_split": tally.mean("pair_split"),
        "editor_sides": tally.count("editor_sides_covered"),
        "attribution_kept": tally.mean("attribution_kept"),
        "narratives_checked": tally.count("attribution_kept"),
        "side_similarity": {
            system: {m: tally.mean(f"{system}.{m}") for m in ("R1", "R2", "cos")} for system in systems
        },
        "side_match_stories": tally.count("lead sentence.match"),
        "side_match": {system: tally.mean(f"{system}.match") for system in systems},
    }
    return out


def _side_match(
    matches: list[tuple[str, dict[str, str], dict[str, str]]],
    embed: Callable[[Sequence[str]], Any],
    tally: _Tally,
) -> None:
    """Whether each side's text reads more like the editors' words about that side than about the
    other (MiniLM cosine, matched pair sum against swapped): 1 or 0, 0.5 when the system gives no
    text for a side. Chance is 0.5, so this measures separation by lean in what the text says."""
    texts: list[str] = []
    for _system, by_side, editors in matches:
        texts += [by_side.get("left", ""), by_side.get("right", ""), editors["left"], editors["right"]]
    if not texts:
        return
    vecs = np.asarray(embed(texts), dtype=np.float64)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
    for k, (system, by_side, _editors) in enumerate(matches):
        if not by_side.get("left") or not by_side.get("right"):
            tally.add(f"{system}.match", 0.5)
            continue
        tl, tr, el, er = vecs[4 * k : 4 * k + 4]
        matched, swapped = float(tl @ el + tr @ er), float(tl @ er + tr @ el)
        tally.add(f"{system}.match", 1.0 if matched > swapped else 0.0 if matched < swapped else 0.5)


def _hit(article_id: str, start: int, end: int, spans: dict[str, list[tuple[int, int]]]) -> bool:
    return any(s < end and start < e for s, e in spans.get(article_id, []))


# BASIL's three outlets by their AllSides 2019 rating (HuffPost left, NYT News left-center, Fox News
# right): the side each article is judged by in the left+right pairs, like the held-out partisan set.
BASIL_SIDES = {"hpo": "left", "nyt": "left", "fox": "right"}


def _basil_source(article: Article) -> str:
    url = (article.url or "").lower()
    return "fox" if "foxnews" in url else "nyt" if "nytimes" in url else "hpo" if "huff" in url else ""


def _held_apart(narratives: Sequence[Narrative], a: str | None, b: str | None) -> bool:
    """Two narratives or more, one held by outlet `a` and not `b`, another by `b` and not `a`."""
    names = [{o.name for o in n.outlets} for n in narratives]
    return (
        len(narratives) >= 2
        and any(a in s and b not in s for s in names)
        and any(b in s and a not in s for s in names)
    )


def _basil_pairs(
    articles: Sequence[Article], units: Sequence[Unit], sims: Matrix, composer: ExtractiveComposer,
    lean: Callable[[str | None], OutletRef], tally: _Tally,
) -> list[Evidence]:
    """Each left article (HuffPost, NYT) with the right one (Fox News) as a story of its own: two
    narratives, and the two outlets held apart. Composed twice: with the registry's leans (what the
    product knows: Fox right, NYT centre, HuffPost unrated) and with BASIL_SIDES."""
    source = [_basil_source(a) for a in articles]
    stated: list[Evidence] = []
    if "fox" not in source:
        return stated
    right = source.index("fox")
    by_side = {a.outlet: BASIL_SIDES.get(s) for a, s in zip(articles, source, strict=True)}
    labelled = lambda name: OutletRef(name or "", by_side.get(name))  # noqa: E731
    for k, s in enumerate(source):
        if BASIL_SIDES.get(s) != "left":
            continue
        pair_units, pair_sims = _subset(units, sims, [k, right])
        pair = [articles[k], articles[right]]
        for key, look in (("pair", lean), ("pair_labels", labelled)):
            narratives, _single, emphasis = composer.framing(pair, pair_units, pair_sims, look)
            _kept(narratives, emphasis, tally)
            tally.add(f"{key}.two", float(len(narratives) >= 2))
            tally.add(f"{key}.split", float(_held_apart(narratives, pair[0].outlet, pair[1].outlet)))
            tally.add(f"{key}.{s}.split", float(_held_apart(narratives, pair[0].outlet, pair[1].outlet)))
            if key == "pair":  # the sentences each pair narrative states (not its further evidence)
                stated += [e for n in narratives for e in n.evidence if statement_of(e.text) in n.statement]
    return stated


def _basil(
    events: Sequence[BasilEvent], composer: ExtractiveComposer, base: Callable[[str | None], OutletRef]
) -> dict[str, Any]:
    tally = _Tally()
    for event in events:
        articles = list(event.articles)
        lean = _lookup(articles, base)
        units, sims, _titles = composer.prepare(articles)
        narratives, _single, emphasis = composer.framing(articles, units, sims, lean)
        _kept(narratives, emphasis, tally)
        tally.add("two_narratives", float(len(narratives) >= 2))
        stated = _basil_pairs(articles, units, sims, composer, lean, tally)
        by_id = {a.id: k for k, a in enumerate(articles)}
        for kind, evidence in (
            ("narrative", [e for n in narratives for e in n.evidence]),
            ("emphasis", [e for x in emphasis for e in x.evidence]),
            ("pair", stated),
        ):
            seen: set[tuple[str, int]] = set()
            for ev in evidence:
                if ev.caption is not None or (ev.article, ev.start) in seen:
                    continue
                seen.add((ev.article, ev.start))
                tally.add(f"{kind}.hit", float(_hit(ev.article, ev.start, ev.end, event.spans)))
                pool = [
                    u
                    for u in units
                    if u.article == by_id[ev.article]
                    and u.caption is None
                    and u.start != ev.start
                    and not u.photo
                ]
                if not pool:
                    continue
                words = len(ev.text.split())
                pool.sort(key=lambda u: abs(u.words - words))
                near = pool[: max(3, len(pool) // 5)]
                # the expected hit rate of a sentence drawn at random from the length-matched pool
                rate = np.mean([_hit(ev.article, u.start, u.end, event.spans) for u in near])
                tally.add(f"{kind}.random", float(rate))

    def lift(kind: str) -> float | None:
        hit, rand = tally.mean(f"{kind}.hit"), tally.mean(f"{kind}.random")
        return round(hit / rand, 4) if hit is not None and rand else None

    return {
        "events": len(events),
        "evidence_sentences": tally.count("narrative.hit"),
        "evidence_on_bias_spans": tally.mean("narrative.hit"),
        "random_on_bias_spans": tally.mean("narrative.random"),
        "lift": lift("narrative"),
        "emphasis_lift": lift("emphasis"),
        "two_narratives": tally.mean("two_narratives"),
        # the held-out shape: a left and a right outlet alone (registry leans; BASIL_SIDES)
        "pairs": tally.count("pair.two"),
        "pair_two_narratives": tally.mean("pair.two"),
        "pair_split_by_side": tally.mean("pair.split"),
        "pair_split_by_side_huffpost": tally.mean("pair.hpo.split"),
        "pair_split_by_side_nyt": tally.mean("pair.nyt.split"),
        "pair_statement_lift": lift("pair"),
        "pair_labels_two_narratives": tally.mean("pair_labels.two"),
        "pair_labels_split_by_side": tally.mean("pair_labels.split"),
        "attribution_kept": tally.mean("attribution_kept"),
        "narratives_checked": tally.count("attribution_kept"),
    }


def evaluate_narratives(
    data_dir: Path, settings: Settings | None = None, *, fold: str = "both"
) -> dict[str, Any]:
    """The narrative figures per fold ("dev", "held_out" or "both"); the top-level `split_by_side`,
    `lift` and `attribution_kept` are the held-out ones when the held-out fold ran.

    The roundups run twice: with each article's lean from the side the roundup files it under
    (`roundups`, every story has a left, a centre and a right article) and from the product's outlet
    registry (`roundups_registry`, only the stories whose outlets the registry rates). Camps never read
    lean either way; lean decides only which side an outlet counts for, and the difference test."""
    composer = ExtractiveComposer(settings or Settings())
    registry = lean_lookup(None)
    stories = load_roundup_stories(data_dir)
    events = load_basil_events(data_dir)
    folds = ["dev", "held_out"] if fold == "both" else [fold]
    result: dict[str, Any] = {"data": str(data_dir), "folds": {}}
    for name in folds:
        keep = 0 if name == "dev" else 1
        mine = [s for s in stories if s.index % 2 == keep]
        result["folds"][name] = {
            "roundups": _roundups(mine, composer, None),
            "roundups_registry": _roundups(mine, composer, registry),
            "basil": _basil([e for e in events if (e.index >= 50) == bool(keep)], composer, registry),
        }
    top = result["folds"][folds[-1]]
    sets = ("roundups", "roundups_registry", "basil")
    checked = [f[s]["narratives_checked"] for f in result["folds"].values() for s in sets]
    kept = [
        f[s]["attribution_kept"] * f[s]["narratives_checked"]
        for f in result["folds"].values()
        for s in sets
        if f[s]["attribution_kept"] is not None
    ]
    result["reported_fold"] = folds[-1]
    result["split_by_side"] = top["roundups"]["split_by_side"]
    result["split_by_side_random_camps"] = top["roundups"]["split_by_side_random_camps"]
    result["split_by_side_registry"] = top["roundups_registry"]["split_by_side"]
    result["side_match"] = top["roundups"]["side_match"]
    result["lift"] = top["basil"]["lift"]
    result["basil_pair_split_by_side"] = top["basil"]["pair_split_by_side"]
    result["attribution_kept"] = round(sum(kept) / sum(checked), 4) if sum(checked) else None
    return result


def render(result: dict[str, Any]) -> str:
    """A plain-text report of `evaluate_narratives`."""
    lines = [f"narratives on {result['data']} (reported fold: {result['reported_fold']})"]
    for name, fold in result["folds"].items():
        for key, how in (("roundups", "roundup labels"), ("roundups_registry", "registry")):
            r = fold[key]
            lines += [
                f"[{name}] roundups, lean from {how}: {r['stories']} stories, "
                f"{r['left_and_right']} with left and right outlets",
                f"  split_by_side {r['split_by_side']}  (random camps {r['split_by_side_random_camps']}, "
                f"ratio {r['split_by_side_over_random']}; two narratives {r['two_narratives']}, "
                f"single framing {r['single_framing']}; left+right pair alone {r['left_right_pair_split']})",
                f"  side similarity to the editors' words ({r['editor_sides']} story-sides), and side match "
                f"({r['side_match_stories']} stories, chance 0.5):",
            ]
            for system, s in r["side_similarity"].items():
                lines.append(
                    f"    {system:26} R1 {s['R1']}  R2 {s['R2']}  cos {s['cos']}  "
                    f"match {r['side_match'][system]}"
                )
        b = fold["basil"]
        lines += [
            f"[{name}] BASIL: {b['events']} events, {b['evidence_sentences']} evidence sentences; "
            f"on bias spans {b['evidence_on_bias_spans']} vs random {b['random_on_bias_spans']}: "
            f"lift {b['lift']} (emphasis lift {b['emphasis_lift']}); two narratives {b['two_narratives']}",
            f"  left+right pairs ({b['pairs']}: HuffPost or NYT with Fox News): two narratives "
            f"{b['pair_two_narratives']}, split by side {b['pair_split_by_side']} (HuffPost "
            f"{b['pair_split_by_side_huffpost']}, NYT {b['pair_split_by_side_nyt']}; statement lift "
            f"{b['pair_statement_lift']}); with BASIL's sides "
            f"{b['pair_labels_two_narratives']} / {b['pair_labels_split_by_side']}",
        ]
    lines.append(f"attribution_kept {result['attribution_kept']} (all narratives and emphasis lines)")
    return "\n".join(lines)
