"""Evaluation sets as (articles, gold labels). Only MultiLing 2011 ships in the repo (CC BY); BASIL and
NeuS are read from `../shared/data` (evaluation only, never copied into the repo)."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

from newsprism.analyse import extract_dates
from newsprism.types import Article, content_id

__all__ = ["LabelledSet", "default_data_dir", "load_basil", "load_multiling", "load_neus"]

REPO = Path(__file__).resolve().parents[3]


def default_data_dir() -> Path:
    """`../shared/data` next to the repository checkout."""
    return REPO.parent / "shared" / "data"


@dataclass(frozen=True)
class LabelledSet:
    """Articles in arrival order and, for each, its gold cluster label."""

    name: str
    articles: tuple[Article, ...]
    labels: tuple[str, ...]


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


def load_multiling(sources: Path | None = None) -> LabelledSet:
    """MultiLing 2011 (WikiNews, CC BY): M00AB.txt is article B of topic A; a topic is a storyline."""
    sources = sources or REPO / "data" / "multiling2011" / "sources"
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
