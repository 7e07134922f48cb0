"""The foundation: store schema and transactions, settings, the records' JSON round trip."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsprism.errors import ConfigError, NewsprismError, NotFound
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.store.migrations import MIGRATIONS
from newsprism.types import (
    Article,
    Boilerplate,
    Evidence,
    Fact,
    Narrative,
    OutletRef,
    Story,
    content_id,
)


def _article(title: str = "Leaders meet", text: str = "They met in Tokyo.") -> Article:
    return Article(id=content_id(title, text), title=title, text=text, outlet="IRIA",
                   boilerplate=(Boilerplate("Leave a comment", "call to action"),), extra={"k": 1})


def test_content_id_ignores_case_and_spacing_but_not_words() -> None:
    assert content_id("Title", "Some  text\n") == content_id("title", "some text")
    assert content_id("Title", "Some text") != content_id("Title", "Other text")


def test_store_migrates_once_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(path) as again:
        assert again.migrate() == []
        assert again.schema_version == len(MIGRATIONS)


def test_article_round_trips_and_reingest_is_a_noop(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        article = _article()
        assert store.add_article(article, "a.txt") is True
        assert store.add_article(article, "b.txt") is False
        assert store.article_count() == 1
        assert store.get_article(article.id) == article
        sources = {r[0] for r in store.connection.execute("SELECT source FROM sightings")}
        assert sources == {"a.txt", "b.txt"}
        # a missing id is an error of the tree (the CLI reports it in words), and still a KeyError
        with pytest.raises(NotFound, match="no article 'nope' in the store") as missing:
            store.get_articles([article.id, "nope"])
        assert isinstance(missing.value, NewsprismError) and isinstance(missing.value, KeyError)


def test_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.add_article(_article())
            raise RuntimeError("killed mid-write")
        assert store.article_count() == 0
        # the full-text index rolled back with it
        assert store.connection.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 0


def test_store_reports_an_unopenable_path(tmp_path: Path) -> None:
    from newsprism.errors import StoreError

    with pytest.raises((StoreError, sqlite3.Error)):
        Store(tmp_path / "missing-dir" / "n.db")


def test_settings_layer_defaults_file_and_overrides(tmp_path: Path) -> None:
    config = tmp_path / "n.toml"
    config.write_text('[newsprism]\nmax_facts = 5\ndb = "x.db"\n')
    settings = Settings.load(config, db=tmp_path / "y.db", max_facts=None)
    assert settings.max_facts == 5
    assert settings.db == tmp_path / "y.db"
    config.write_text("[newsprism]\nno_such_setting = 1\n")
    with pytest.raises(ConfigError, match="no_such_setting"):
        Settings.load(config)


def test_story_json_round_trip_keeps_nested_records() -> None:
    article = _article()
    evidence = Evidence(article=article.id, start=0, end=18, text=article.text[:18], outlet="IRIA")
    story = Story(
        id="s000001", headline="Leaders meet", date="2023-03-16",
        facts=(Fact(text="They met.", sources=1, evidence=(evidence,), outlets=("IRIA",)),),
        narratives=(Narrative("Narrative A", "A view.", (OutletRef("IRIA", "center", 0.0),), (evidence,)),),
        quotes=(), disagreements=(), timeline=(), articles=(),
    )
    data = story.to_json()
    assert data["facts"][0]["evidence"][0]["start"] == 0
    assert Story.from_json(data) == story
