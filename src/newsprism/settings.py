"""One frozen Settings object: defaults, then a TOML file, then explicit overrides (CLI flags)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from newsprism.errors import ConfigError


@dataclass(frozen=True)
class Settings:
    db: Path = Path("newsprism.db")
    max_file_bytes: int = 20_000_000
    min_article_words: int = 40
    near_duplicate_threshold: float = 0.8
    embedder: str = "minilm.v1"
    fast_embedder: str = "wordllama.v1"
    cluster_window_days: int = 7
    # article (title+lead) vectors: analysis stores them, clustering and storylines read them; the
    # clusterer's weights are learned per embedder (cluster/_model.py MODELS); MiniLM on the first 64
    # tokens clusters as well as on 256 at a quarter of the compute. The mean of its cosine and
    # wordllama's (minilm64+wordllama.v1) finds a gold neighbour 2-3 points more often on the development
    # sets, but with its re-learned model the whole pipeline scored lower there (docs/clustering.md)
    cluster_embedder: str = "minilm64.v1"
    storyline_window_days: int = 365  # threads (trials, inquiries) resume after months
    composer: str = "extractive.v1"
    # a learned fact scorer under word budgets (compose/models/<name>.json, e.g. "facts.v1"); "" = the
    # hand-weighted score alone (the default: facts.v1 lowers held-out MultiLing 5-9, docs/measurements.md)
    fact_scorer: str = ""
    max_facts: int = 8
    site_title: str = "newsprism"
    # polite fetching (`--fetch`, `newsprism run`): seconds between two requests to one host, per-request
    # timeout, retries of a timeout / 429 / 5xx
    fetch_min_interval: float = 1.0
    fetch_timeout: float = 10.0
    fetch_retries: int = 2
    # how many days of articles and stories to keep (`newsprism run` prunes each cycle, `newsprism prune`
    # on demand); 0 keeps everything
    retention_days: int = 0

    @classmethod
    def load(cls, path: Path | None = None, **overrides: Any) -> Settings:
        """Defaults, updated by the `[newsprism]` table of a TOML file, then by non-None overrides."""
        settings = cls()
        if path is not None:
            try:
                table = tomllib.loads(Path(path).read_text("utf-8")).get("newsprism", {})
            except (OSError, tomllib.TOMLDecodeError) as err:
                raise ConfigError(f"cannot read settings {path}: {err}") from err
            settings = settings.with_values(table)
        return settings.with_values({k: v for k, v in overrides.items() if v is not None})

    def with_values(self, values: dict[str, Any]) -> Settings:
        known = {f.name: f for f in fields(self)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(f"unknown settings: {', '.join(unknown)}")
        coerced: dict[str, Any] = {k: Path(v) if k == "db" else v for k, v in values.items()}
        return replace(self, **coerced)
