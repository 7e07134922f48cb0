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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.analyse import get_embedder, split_sentences
from newsprism.compose import ExtractiveComposer
from newsprism.compose._narratives import keeps_qualifiers, statement_of
from newsprism.evaluation.rouge import rouge
from newsprism.outlets import lean_lookup, resolve_outlet
from newsprism.settings import Settings
from newsprism.types import Article, Emphasis, Narrative, OutletRef, content_id

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
        articles = []
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
        if len(articles) >= 2:
            out.append(RoundupStory(index, tuple(articles), _editor_sides(roundup.get("roundup", [])[1:])))
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


def _roundups(
    stories: Sequence[RoundupStory], composer: ExtractiveComposer, base: Callable[[str | None], OutletRef]
) -> dict[str, Any]:
    tally, pairs = _Tally(), []
    rng = random.Random(13)
    for story in stories:
        articles = list(story.articles)
        lean = _lookup(articles, base)
        units, sims, _titles = composer.prepare(articles)
        narratives, single, emphasis = composer.framing(articles, units, sims, lean)
        _kept(narratives, emphasis, tally)
        sides = [lean(a.outlet).lean for a in articles]
        if "left" in sides and "right" in sides:
            tally.add("split_by_side", float(len(narratives) >= 2 and _separates(narratives)))
            tally.add("two_narratives", float(len(narratives) >= 2))
            tally.add("single_framing", float(single))
            tally.add("random_camps", _random_split(sides, rng))
        for side, words in story.editors.items():
            mine = [i for i, u in enumerate(units) if sides[u.article] == side and not u.photo]
            if not mine:
                continue
            tally.add("editor_sides_covered", 1.0)
            emph = next((e for e in emphasis if e.side == side), None)
            held = [n for n in narratives if any(o.lean == side for o in n.outlets)]
            lead = min(mine, key=lambda i: (units[i].position, units[i].article))
            subj = max(
                (i for i in mine if units[i].words >= 6), key=lambda i: units[i].subjectivity, default=lead
            )
            pairs += [
                ("emphasis", emph.evidence[0].text if emph else "", words),
                ("narrative", held[0].statement if held else "", words),
                ("lead sentence", units[lead].text, words),
                ("most subjective sentence", units[subj].text, words),
            ]
    _similarity(pairs, get_embedder("minilm.v1").embed, tally)
    out: dict[str, Any] = {
        "stories": len(stories),
        "left_and_right": tally.count("split_by_side"),
        "split_by_side": tally.mean("split_by_side"),
        "split_by_side_random_camps": tally.mean("random_camps"),
        "two_narratives": tally.mean("two_narratives"),
        "single_framing": tally.mean("single_framing"),
        "editor_sides": tally.count("editor_sides_covered"),
        "attribution_kept": tally.mean("attribution_kept"),
        "narratives_checked": tally.count("attribution_kept"),
        "side_similarity": {
            system: {m: tally.mean(f"{system}.{m}") for m in ("R1", "R2", "cos")}
            for system in ("emphasis", "narrative", "lead sentence", "most subjective sentence")
        },
    }
    return out


def _hit(article_id: str, start: int, end: int, spans: dict[str, list[tuple[int, int]]]) -> bool:
    return any(s < end and start < e for s, e in spans.get(article_id, []))


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
        by_id = {a.id: k for k, a in enumerate(articles)}
        for kind, evidence in (
            ("narrative", [e for n in narratives for e in n.evidence]),
            ("emphasis", [e for x in emphasis for e in x.evidence]),
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
        "attribution_kept": tally.mean("attribution_kept"),
        "narratives_checked": tally.count("attribution_kept"),
    }


def evaluate_narratives(
    data_dir: Path, settings: Settings | None = None, *, fold: str = "both"
) -> dict[str, Any]:
    """The narrative figures per fold ("dev", "held_out" or "both"); the top-level `split_by_side`,
    `lift` and `attribution_kept` are the held-out ones when the held-out fold ran."""
    composer = ExtractiveComposer(settings or Settings())
    base = lean_lookup(None)
    stories = load_roundup_stories(data_dir)
    events = load_basil_events(data_dir)
    folds = ["dev", "held_out"] if fold == "both" else [fold]
    result: dict[str, Any] = {"data": str(data_dir), "folds": {}}
    for name in folds:
        keep = 0 if name == "dev" else 1
        rs = _roundups([s for s in stories if s.index % 2 == keep], composer, base)
        bs = _basil([e for e in events if (e.index >= 50) == bool(keep)], composer, base)
        result["folds"][name] = {"roundups": rs, "basil": bs}
    top = result["folds"][folds[-1]]
    checked = [f[s]["narratives_checked"] for f in result["folds"].values() for s in ("roundups", "basil")]
    kept = [
        f[s]["attribution_kept"] * f[s]["narratives_checked"]
        for f in result["folds"].values()
        for s in ("roundups", "basil")
        if f[s]["attribution_kept"] is not None
    ]
    result["reported_fold"] = folds[-1]
    result["split_by_side"] = top["roundups"]["split_by_side"]
    result["lift"] = top["basil"]["lift"]
    result["attribution_kept"] = round(sum(kept) / sum(checked), 4) if sum(checked) else None
    return result


def render(result: dict[str, Any]) -> str:
    """A plain-text report of `evaluate_narratives`."""
    lines = [f"narratives on {result['data']} (reported fold: {result['reported_fold']})"]
    for name, fold in result["folds"].items():
        r, b = fold["roundups"], fold["basil"]
        lines += [
            f"[{name}] roundups: {r['stories']} stories, {r['left_and_right']} with left and right outlets",
            f"  split_by_side {r['split_by_side']}  (random camps {r['split_by_side_random_camps']}; "
            f"two narratives {r['two_narratives']}, single framing {r['single_framing']})",
            f"  side similarity to the editors' words ({r['editor_sides']} story-sides):",
        ]
        for system, s in r["side_similarity"].items():
            lines.append(f"    {system:26} R1 {s['R1']}  R2 {s['R2']}  cos {s['cos']}")
        lines += [
            f"[{name}] BASIL: {b['events']} events, {b['evidence_sentences']} evidence sentences; "
            f"on bias spans {b['evidence_on_bias_spans']} vs random {b['random_on_bias_spans']}: "
            f"lift {b['lift']} (emphasis lift {b['emphasis_lift']})",
        ]
    lines.append(f"attribution_kept {result['attribution_kept']} (all narratives and emphasis lines)")
    return "\n".join(lines)
