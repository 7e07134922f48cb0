"""Evaluation sets as (articles, gold labels). Only MultiLing 2011 ships in the repo (CC BY); BASIL,
NeuS and the AllSides roundups are read from `../shared/data` (evaluation only, never copied into the
repo)."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsprism.analyse import extract_dates
from newsprism.evaluation.paths import demo_root
from newsprism.types import Article, content_id

__all__ = ["LabelledSet", "load_basil", "load_multiling", "load_neus", "load_roundups"]

@dataclass(frozen=True)
class LabelledSet:
    """Articles in arrival order and, for each, its gold cluster label; `skipped` counts source
    articles left out (no text)."""

    name: str
    articles: tuple[Article, ...]
    labels: tuple[str, ...]
    skipped: int = 0


def _article(title: str, text: str, **kw: str | None) -> Article:
    return Article(id=content_id(title, text), title=title, text=text, **kw)  # type: ignore[arg-type]


def load_basil(data_dir: Path) -> LabelledSet:
    """BASIL: 100 events × 3 outlets; gold = `triplet-uuid`. Ordered by date, as a desk would see them."""
    rows = []
    for path in sorted((data_dir / "basil" / "articles").glob("*/*.json")):
        data = json.loads(path.read_text("utf-8"))
        paragraphs = data["body-paragraphs"]
        if isinstance(paragraphs, str):
            paragraphs = ast.literal_eval(paragraphs)
        text = "\n\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in paragraphs)
        article = _article(data["title"], text, outlet=data["source"], published=data["date"], path=str(path))
        rows.append((data["date"], path.name, article, data["triplet-uuid"]))
    rows.sort(key=lambda r: (r[0], r[1]))
    return LabelledSet("basil", tuple(r[2] for r in rows), tuple(r[3] for r in rows))


_NEUS_PART = re.compile(r"TITLE=>\s*(?P<title>.*?)\s*ARTICLE=>\s*(?P<text>.*)", re.S)


def load_neus(data_dir: Path, split: str) -> LabelledSet:
    """NeuS `split`.source: one line = one gold story of three (title, lead) articles; no dates, so the
    arrival order is the file order."""
    articles, labels = [], []
    lines = (data_dir / "neus" / f"{split}.source").read_text("utf-8").splitlines()
    for number, line in enumerate(lines):
        for part in line.split(" [SEP] "):
            match = _NEUS_PART.search(part)
            if not match:
                continue
            articles.append(_article(match["title"].strip(), match["text"].strip()))
            labels.append(f"{split}:{number}")
    return LabelledSet(f"neus-{split}", tuple(articles), tuple(labels))


def load_roundups(data_dir: Path) -> LabelledSet:
    """NeuS `raw_roundups.jsonl`: 506 AllSides stories of 2021, each with up to three articles (left,
    centre, right) with outlet name, headline and lead paragraphs; gold = the roundup id.

    The file dates stories, not articles, so every article's `published` is its story's date and time;
    articles arrive in that order (ties: roundup id, then side), as a desk would receive them. Articles
    without a headline or text are skipped and counted in `skipped` (one roundup holds no articles)."""
    rows: list[tuple[datetime, int, str, Article]] = []
    skipped = 0
    for line in (data_dir / "neus" / "raw_roundups.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        roundup = json.loads(line)
        when = datetime.fromisoformat(roundup["date"])
        for side, news in sorted((roundup.get("news") or {}).items()):
            body = (news or {}).get("newBody") or []
            paragraphs = [p.strip() for p in ([body] if isinstance(body, str) else body) if p and p.strip()]
            title = ((news or {}).get("newsTitle") or "").strip()
            if not paragraphs or not title:
                skipped += 1
                continue
            article = _article(title, "\n\n".join(paragraphs), outlet=news.get("newsSource") or None,
                               url=news.get("newsLink") or None, published=roundup["date"])
            rows.append((when, int(roundup["id"]), side, article))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return LabelledSet("roundups", tuple(r[3] for r in rows), tuple(f"roundup:{r[1]}" for r in rows), skipped)


def load_multiling(sources: Path | None = None) -> LabelledSet:
    """MultiLing 2011 (WikiNews, CC BY): M00AB.txt is article B of topic A; a topic is a storyline."""
    sources = sources or demo_root() / "multiling2011" / "sources"
    rows = []
    for path in sorted(sources.glob("M00*.txt")):
        title, _, rest = path.read_text("utf-8").strip().partition("\n")
        paragraphs = [p.strip() for p in rest.split("\n\n") if p.strip()]
        # WikiNews puts a dateline ("Tuesday, January 18, 2005") near the top, sometimes glued to the text
        full = [d.value for d in extract_dates(rest[:400]) if d.value and len(d.value) == 10]
        published = full[0] if full and not full[0].startswith("-") else None
        article = _article(title.strip(), "\n\n".join(paragraphs), published=published, path=str(path))
        rows.append((published or "", path.name, article, path.stem[3]))
    rows.sort(key=lambda r: (r[0], r[1]))
    return LabelledSet("multiling2011", tuple(r[2] for r in rows), tuple(r[3] for r in rows))
