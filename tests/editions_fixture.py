"""A real store for the editions, retention and filter tests, built by the real pipeline from real data:

- every 6th of the UCI News Aggregator headlines in data/ (Google News, 10-12 March 2014, CC BY 4.0):
  many outlets on the same events over three days, so stories span days;
- the three seeds (March and May 2023) and four MultiLing 2011 articles (WikiNews, CC BY, 2004-2005);
- two more MultiLing articles (the Chile earthquake, M0050-M0051) with their date lines taken out and no
  `published`: undated articles, which must never put a story on a day page.

Built once per test module (about 15 s of CPU).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from newsprism import pipeline
from newsprism.settings import Settings
from newsprism.store import Store

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
UNDATED = ("M0050.txt", "M0051.txt")
_DATE_LINE = re.compile(r"^\s*\w+day, \w+ \d{1,2}, \d{4}\s*$")


def _inputs(folder: Path) -> tuple[list[Path], Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    headlines = folder / "uci.jsonl"
    source = DATA / "uci-news-aggregator" / "headlines.jsonl"
    rows = [json.loads(line) for line in source.open(encoding="utf-8")]
    headlines.write_text("".join(json.dumps(r) + "\n" for r in rows[::6]), "utf-8")
    undated = folder / "undated.jsonl"
    records = []
    for name in UNDATED:
        title, _, body = (DATA / "multiling2011" / "sources" / name).read_text("utf-8").partition("\n")
        text = "\n".join(line for line in body.splitlines() if not _DATE_LINE.match(line)).strip()
        records.append({"id": f"undated-{name[:-4]}", "title": title.strip(), "text": text,
                        "outlet": "Wikinews"})
    undated.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    multiling = DATA / "multiling2011" / "sources"
    files = [DATA / "demo" / "seeds", *(multiling / f"M000{i}.txt" for i in range(4))]
    return files, headlines, undated


def build_editions_store(db: Path) -> Path:
    """Ingests and builds the store described above at `db`; returns `db`."""
    files, headlines, undated = _inputs(db.parent / "inputs")
    settings = Settings(db=db)
    with Store(db) as store:
        pipeline.ingest(files, store, settings, progress=False)
        short = Settings(db=db, min_article_words=1)  # as data/uci-news-aggregator/headlines.toml says
        pipeline.ingest([headlines, undated], store, short, progress=False)
        pipeline.build(store, settings, progress=False)
    return db
