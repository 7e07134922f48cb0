"""An article's lean is resolved once, at ingest, against the store's registry, and stored with it
(0021_article_lean); an outlet import rewrites it, and compose and the site read it (issue #18, 3.8).

Real SQLite stores over the batch sample (tests/data/batch: 26 articles of three outlets the shipped
table does not rate); the ratings are made up, as in tests/data/outlets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from newsprism.batch import load_result, run_batch
from newsprism.cli import main
from newsprism.compose.pending import compose_pending
from newsprism.ingest import ingest_paths
from newsprism.outlets import coverage, lean_lookup, save_profiles
from newsprism.outlets.importers import read_ratings
from newsprism.pipeline import build
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Coverage, Story

SAMPLE = Path(__file__).parent / "data" / "batch"
RATINGS = ("name,domain,lean,source\n"
           "Example Daily,example-daily.test,left,made-up test ratings\n"
           "Example Wire,example-wire.test,center,made-up test ratings\n")
# what a second import says of the wire: it moves from the centre to the right
RERATED = "name,domain,lean_score,source\nExample Wire,example-wire.test,0.8,made-up second ratings\n"


def _ratings(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _stored(store: Store) -> dict[str, tuple[str | None, str | None, float | None]]:
    rows = store.connection.execute("SELECT id, outlet, lean, lean_score FROM articles")
    return {str(r[0]): (r[1], r[2], r[3]) for r in rows}


def _registry_leans(store: Store) -> dict[str, tuple[str | None, str | None, float | None]]:
    """What the registry gives each stored article's outlet now: what the stored lean must equal."""
    lookup = lean_lookup(store)
    return {i: (outlet, lookup(outlet).lean, lookup(outlet).lean_score)
            for i, (outlet, _, _) in _stored(store).items()}


def _bars(store: Store) -> dict[str, Coverage]:
    rows = store.connection.execute(
        "SELECT id, composed FROM stories WHERE composed IS NOT NULL AND retired_into IS NULL")
    return {str(r[0]): Story.from_json(json.loads(r[1])).coverage for r in rows}


def _expected_bars(store: Store) -> dict[str, Coverage]:
    """Each story's article bar as the registry gives its articles' outlets (what compose used to ask)."""
    lookup = lean_lookup(store)
    return {i: coverage(lookup(a.outlet) for a in store.get_articles(store.stories.article_ids(i)))
            for i in _bars(store)}


def test_ingest_stores_the_lean_of_the_stores_registry(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        save_profiles(store, read_ratings(_ratings(tmp_path, RATINGS, "r.csv")))
        ingest_paths([SAMPLE], store, Settings(), progress=False)
        stored = _stored(store)
        assert stored == _registry_leans(store)
        assert {(o, lean) for o, lean, _ in stored.values()} == {
            ("Example Daily", "left"), ("Example Wire", "center"), ("wikinews.org", None)}
        # the record compose reads carries it
        article = store.get_article(next(iter(stored)))
        assert (article.outlet, article.lean, article.lean_score) == stored[article.id]
        assert "lean" not in json.loads(store.connection.execute(
            "SELECT data FROM articles WHERE id = ?", (article.id,)).fetchone()[0])


def test_an_import_after_ingest_rewrites_the_lean_and_the_next_compose_reads_it(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    runner = CliRunner()
    first = runner.invoke(main, ["outlets", "import", str(_ratings(tmp_path, RATINGS, "r.csv")),
                                 "--db", str(db)])
    assert first.exit_code == 0, first.output
    with Store(db) as store:
        ingest_paths([SAMPLE], store, Settings(), progress=False)
        build(store, Settings(), progress=False)
        before = _bars(store)
        assert before == _expected_bars(store) and any(bar.center for bar in before.values())
    again = runner.invoke(main, ["outlets", "import", str(_ratings(tmp_path, RERATED, "r2.csv")),
                                 "--db", str(db)])
    assert again.exit_code == 0, again.output
    with Store(db) as store:
        stored = _stored(store)
        assert stored == _registry_leans(store)
        assert {lean for o, lean, _ in stored.values() if o == "Example Wire"} == {"right"}
        assert _bars(store) == before  # composed pages change when their story is composed again
        with store.transaction() as tx:
            tx.execute("UPDATE stories SET dirty = 1 WHERE composed IS NOT NULL AND retired_into IS NULL")
        compose_pending(store, Settings(), progress=False)
        after = _bars(store)
        assert after == _expected_bars(store)
        assert after != before and not any(bar.center for bar in after.values())
        assert sum(b.right for b in after.values()) == sum(b.center + b.right for b in before.values())


@pytest.fixture(scope="module")
def imported_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the ratings imported and nothing else: the registry a batch run resolves against."""
    path = tmp_path_factory.mktemp("lean") / "registry.db"
    ratings = _ratings(path.parent, RATINGS, "r.csv")
    with Store(path) as store:
        save_profiles(store, read_ratings(ratings))
    return path


def test_local_and_batch_builds_store_the_same_leans(imported_store: Path, tmp_path: Path) -> None:
    with Store(imported_store) as registry:
        report = run_batch([str(SAMPLE)], tmp_path / "out", Settings(), registry=registry)
    assert report.articles > 0
    with Store() as local:
        with Store(imported_store) as registry:
            local.outlets.put(registry.outlets.rows())
        ingest_paths([SAMPLE], local, Settings(), progress=False)
        build(local, Settings(), progress=False)
        leans = {i: (lean, score) for i, (_, lean, score) in _stored(local).items()}
        pages = {str(r[0]): json.loads(r[1]) for r in local.connection.execute(
            "SELECT id, composed FROM stories WHERE composed IS NOT NULL AND retired_into IS NULL")}
    rows = pq.read_table(tmp_path / "out" / "articles.parquet").to_pylist()
    assert {r["id"]: (r["lean"], r["lean_score"]) for r in rows} == leans
    assert {lean for lean, _ in leans.values()} == {"left", "center", None}
    for story_id, page in pages.items():  # the same pages, bars and article leans included
        assert json.loads((tmp_path / "out" / "stories" / f"{story_id}.json").read_text("utf-8")) == page
    # loaded into a store that rates nothing, the articles take that store's leans
    with Store(tmp_path / "plain.db") as plain:
        load_result(tmp_path / "out", plain)
        assert {lean for _, lean, _ in _stored(plain).values()} == {None}
        assert _stored(plain) == _registry_leans(plain)


def test_the_migration_fills_the_lean_of_an_old_stores_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsprism.store as store_module
    from newsprism.store.migrations import MIGRATIONS

    with Store() as source:  # the sample's articles as ingest stores them, and the rated outlets
        save_profiles(source, read_ratings(_ratings(tmp_path, RATINGS, "r.csv")))
        ingest_paths([SAMPLE], source, Settings(), progress=False)
        columns = ("id", "title", "text", "outlet", "url", "byline", "published", "language", "path", "data",
                   "text_hash")
        articles = source.connection.execute(f"SELECT {', '.join(columns)} FROM articles").fetchall()
        outlets = source.outlets.rows()
        expected = _stored(source)
    names = [name for name, _ in MIGRATIONS]
    monkeypatch.setattr(store_module, "_MIGRATIONS", MIGRATIONS[: names.index("0021_article_lean")])
    db = tmp_path / "old.db"
    with Store(db) as old, old.transaction() as tx:
        assert "lean" not in {r[1] for r in tx.execute("PRAGMA table_info(articles)")}
        marks = ", ".join("?" * len(columns))
        tx.executemany(f"INSERT INTO articles ({', '.join(columns)}) VALUES ({marks})",
                       [tuple(r) for r in articles])
        tx.executemany("INSERT INTO outlets (name, data) VALUES (?, ?)", outlets)
    monkeypatch.setattr(store_module, "_MIGRATIONS", MIGRATIONS)
    with Store(db) as new:
        assert _stored(new) == expected == _registry_leans(new)
        assert {lean for _, lean, _ in expected.values()} == {"left", "center", None}


def test_leans_follow_a_shipped_table_that_changed_since_they_were_stored(tmp_path: Path) -> None:
    """A package upgrade (or `newsprism outlets train`) changes the shipped table: the next ingest
    rewrites the stored leans, as an import does, instead of leaving those of the old table."""
    with Store(tmp_path / "s.db") as store:
        save_profiles(store, read_ratings(_ratings(tmp_path, RATINGS, "r.csv")))
        ingest_paths([SAMPLE], store, Settings(), progress=False)
        right = _stored(store)
        with store.transaction() as tx:  # as if written under another table
            tx.execute("UPDATE articles SET lean = 'right', lean_score = 1.0")
            tx.execute("UPDATE counters SET value = value + 1 WHERE name = 'article_leans_shipped'")
        ingest_paths([SAMPLE], store, Settings(), progress=False)  # every article a duplicate now
        assert _stored(store) == right
        with store.transaction() as tx:  # under the same table, a stored lean is not asked again
            tx.execute("UPDATE articles SET lean = 'right' WHERE outlet = 'wikinews.org'")
        ingest_paths([SAMPLE], store, Settings(), progress=False)
        assert {lean for o, lean, _ in _stored(store).values() if o == "wikinews.org"} == {"right"}
