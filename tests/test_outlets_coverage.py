"""Story coverage, blind spots and fact-level coverage on a small real SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.outlets import lean_lookup, save_profiles, store_leans
from newsprism.outlets.blindspots import (
    blind_spots,
    fact_coverage,
    facts_left_out,
    outlet_blind_spots,
    story_coverage,
)
from newsprism.outlets.importers import read_ratings
from newsprism.store import Store
from newsprism.types import Article, ArticleRef, Coverage, Evidence, Fact, Story, content_id

DATA = Path(__file__).parent / "data" / "outlets"

# story id -> outlets of its articles (spelled as ingest would see them: names, domains, aliases)
STORIES = {
    "s-right": ["Red Valley Post", "rightrail.example", "https://www.redvalley.example/b", "Right Rail"],
    "s-left": ["BBH", "Lefty Ledger", "leftyledger.example"],
    "s-mixed": ["Blue Bay Herald", "Red Valley Post", "CSG", "Unknown Weekly"],
}


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "coverage.db")
    save_profiles(store, read_ratings(DATA / "newsprism_columns.csv"))
    for story_id, outlets in STORIES.items():
        with store.transaction() as db:
            db.execute("INSERT INTO stories (id, composed) VALUES (?, ?)", (story_id, None))
        for n, outlet in enumerate(outlets):
            title, text = f"{story_id} report {n}", f"Body of article {n} about {story_id}, by {outlet}."
            article = Article(id=content_id(title, text), title=title, text=text, outlet=outlet)
            store.add_article(article, source=f"test:{story_id}:{n}")
            with store.transaction() as db:
                db.execute(
                    "INSERT INTO story_articles (story_id, article_id) VALUES (?, ?)", (story_id, article.id)
                )
    store_leans(store)  # the leans ingest's writer stores with each article (0021_article_lean)
    return store


def test_story_coverage_counts_distinct_outlets_and_articles(store: Store) -> None:
    assert story_coverage(store, "s-right") == Coverage(right=2)
    assert story_coverage(store, "s-right", unit="articles") == Coverage(right=4)
    assert story_coverage(store, "s-mixed") == Coverage(left=1, center=1, right=1, unknown=1)


def test_blind_spots_are_one_sided_stories(store: Store) -> None:
    spots = blind_spots(store, threshold=0.8, min_outlets=2)
    assert [(s.story_id, s.side, s.missed_by) for s in spots] == [
        ("s-left", "left", "right"),
        ("s-right", "right", "left"),
    ]
    assert blind_spots(store, threshold=0.8, min_outlets=3) == []  # two outlets are not a pattern
    mine = outlet_blind_spots(store, "Blue Bay Herald", min_outlets=2)
    assert [s.story_id for s in mine] == ["s-right"]  # it covered s-left itself


def test_fact_coverage_and_facts_one_side_leaves_out(store: Store) -> None:
    lookup = lean_lookup(store)

    def evidence(outlet: str) -> Evidence:
        return Evidence(article="a1", start=0, end=4, text="Body", outlet=outlet)

    story = Story(
        id="s-mixed",
        headline="Mixed",
        date=None,
        facts=(
            Fact("Everyone reports this.", 3, (evidence("BBH"), evidence("RVP")), outlets=("CSG",)),
            Fact("Only the right reports this.", 1, (evidence("Red Valley Post"),)),
        ),
        narratives=(),
        quotes=(),
        disagreements=(),
        timeline=(),
        articles=(
            ArticleRef("a1", "t", "Blue Bay Herald", None, None),
            ArticleRef("a2", "t", "Red Valley Post", None, None),
        ),
    )
    per_fact = fact_coverage(story, lookup)
    assert per_fact[0].coverage == Coverage(left=1, center=1, right=1)
    assert [r.name for r in per_fact[1].outlets] == ["Red Valley Post"]
    assert facts_left_out(story, "left", lookup) == [1]
    assert facts_left_out(story, "right", lookup) == []
    assert facts_left_out(story, "center", lookup) == []  # no center article: not an omission


def test_framing_divides_are_two_sided_stories_whose_narratives_split_by_lean(store: Store) -> None:
    """A story both sides cover with a high framing split is listed, most divided first; a one-sided
    story (a blind spot) and one whose sides share a narrative are not."""
    from newsprism.outlets.blindspots import framing_divides

    splits = {"s-mixed": 1.0, "s-right": 1.0, "s-left": 0.0}
    with store.transaction() as db:
        for story_id, split in splits.items():
            story = Story(f"{story_id}", f"{story_id} headline", None, (), (), (), (), (), (),
                          framing_split=split)
            composed = json.dumps(story.to_json())
            db.execute("UPDATE stories SET composed = ? WHERE id = ?", (composed, story_id))
    found = framing_divides(store)
    assert [d.story_id for d in found] == ["s-mixed"]  # s-right has no left outlet; s-left split 0
    assert found[0].split == 1.0 and found[0].coverage.left == 1 and found[0].coverage.right == 1
    assert found[0].headline == "s-mixed headline"
    assert framing_divides(store, threshold=1.01) == []


def test_framing_split_is_kept_beside_the_summary_when_a_story_is_composed(store: Store) -> None:
    """0018_story_framing_split: the summary row carries the split of the composed JSON, follows each
    re-compose, is NULL when the story has none, and `framing_divides` leaves out a retired story."""
    from newsprism.outlets.blindspots import framing_divides

    def split_of(story_id: str) -> object:
        row = store.connection.execute(
            "SELECT framing_split FROM story_summaries WHERE story_id = ?", (story_id,)).fetchone()
        return row[0]

    for split in (0.75, None, 1.0):
        story = Story("s-mixed", "s-mixed headline", None, (), (), (), (), (), (), framing_split=split)
        with store.transaction() as db:
            composed = json.dumps(story.to_json())
            db.execute("UPDATE stories SET composed = ? WHERE id = ?", (composed, "s-mixed"))
        assert split_of("s-mixed") == split
    assert [d.story_id for d in framing_divides(store)] == ["s-mixed"]
    from newsprism.publish import Reader

    row = Reader(store).story_row("s-mixed")  # the lists (front page, API) carry it without the JSON
    assert row is not None and row.framing_split == 1.0 and row.to_json()["framing_split"] == 1.0
    with store.transaction() as db:
        db.execute("UPDATE stories SET retired_into = 's-left' WHERE id = 's-mixed'")
    assert framing_divides(store) == []


def test_the_split_migration_fills_the_column_of_stories_composed_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsprism.store as store_module
    from newsprism.store.migrations import MIGRATIONS

    names = [name for name, _ in MIGRATIONS]
    monkeypatch.setattr(store_module, "_MIGRATIONS", MIGRATIONS[: names.index("0018_story_framing_split")])
    db = tmp_path / "old.db"
    with Store(db) as old, old.transaction() as conn:
        for story_id, split in (("s1", 0.5), ("s2", None)):
            data = {"headline": story_id, "articles": [], "section": "World", "framing_split": split}
            row = (story_id, json.dumps(data))
            conn.execute("INSERT INTO stories (id, composed, dirty) VALUES (?, ?, 0)", row)
    monkeypatch.setattr(store_module, "_MIGRATIONS", MIGRATIONS)
    with Store(db) as new:
        rows = dict(new.connection.execute("SELECT story_id, framing_split FROM story_summaries").fetchall())
        sections = {r[0] for r in new.connection.execute("SELECT section FROM story_summaries")}
    assert rows == {"s1": 0.5, "s2": None} and sections == {"World"}
