"""A real store for the section tests: held-out UCI headlines (CC BY, tests/data/sections/) of stories
in three categories, ingested and built by the real pipeline (cluster, compose, section classifier)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from newsprism.cli import main

SAMPLE = Path(__file__).parent / "data" / "sections" / "uci-heldout.jsonl"
UCI_SECTIONS = {"b": "Business", "t": "Technology", "e": "Entertainment", "m": "Health"}
# three Google stories of the held-out fold: US stocks (b), the Cosmos series (t), Prince Harry (e),
# and a few headlines of nine more, so that the front page has stories beyond its top for the sections
STORIES = {
    "d-hjSD-DwX_qXnMBFcMkgFLw6bKqM": 12,
    "dZ9Dt3M_96s6vvMSB5n0INMObqVuM": 12,
    "dij14v8cFo92W2Motx3LIiDRgIb8M": 12,
    "dw0Jnfj8vEPaLZM8TQMSCbVaYeyrM": 4,
    "dkPpmX2BDXp_I-M_YvnONLZAorKYM": 4,
    "dSg2r49OAZjxU0MKNazc_QdiwDkOM": 4,
    "die2_r19Z7sKHWMxXKmRyZXY38mnM": 4,
    "djvA-kSZxWVLPwM4kiW9vhu4H1sLM": 4,
    "dwKnXRvpNBjrrGMSTNYEvS-Dj_rIM": 4,
    "dPhGU51DcrolUIMxbRm0InaHGA2XM": 4,
    "d5QLB3YPAiLMvLMBwfhnasFbY4gkM": 4,
    "dqGernbFbzJ9-vM23ku_IW3-I2IPM": 4,
}


def sample_rows() -> list[dict[str, str]]:
    with open(SAMPLE, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def build_sections_store(tmp: Path) -> tuple[Path, dict[str, str]]:
    """The built store, and each ingested headline's gold section (its UCI category), by title (the
    store gives articles content ids of its own), whitespace collapsed as ingest cleans it."""
    taken: Counter[str] = Counter()
    gold: dict[str, str] = {}
    lines = []
    for row in sample_rows():
        story = row["story"]
        if story in STORIES and taken[story] < STORIES[story]:
            taken[story] += 1
            gold[" ".join(row["title"].split())] = UCI_SECTIONS[row["category"]]
            lines.append(
                json.dumps(
                    {
                        "id": row["id"],
                        "title": row["title"],
                        "text": row["title"],
                        "outlet": row["outlet"],
                        "published": row["published"],
                    }
                )
            )
    assert taken == Counter(STORIES), "the sample lacks a fixture story"
    feed = tmp / "headlines.jsonl"
    feed.write_text("\n".join(lines) + "\n", "utf-8")
    config = tmp / "headlines.toml"
    config.write_text("[newsprism]\nmin_article_words = 1\n", "utf-8")  # a headline is the whole item
    db = tmp / "sections.db"
    runner = CliRunner()
    for args in (["ingest", str(feed)], ["build", "--quiet"]):
        result = runner.invoke(main, [*args, "--db", str(db), "--config", str(config)])
        assert result.exit_code == 0, result.output
    return db, gold
