"""The batch pipeline without Spark: splits, extraction equal to ingest, Parquet output, `load`, CLI."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from newsprism.batch import (
    LocalRunner,
    add_prepared,
    article_embedders,
    extract_splits,
    get_runner,
    list_splits,
    load_result,
    prepare,
    run_batch,
)
from newsprism.cli import main
from newsprism.errors import ConfigError, InputError
from newsprism.ingest import ingest_paths
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Article, Rejection

SAMPLE = Path(__file__).parent / "data" / "batch"


def _extract(split_bytes: int, runner: LocalRunner | None = None) -> list[tuple[tuple[int, int], object]]:
    splits = list_splits([str(SAMPLE)], split_bytes)
    batches = (runner or LocalRunner()).run(functools.partial(extract_splits, min_words=40),
                                            [[s] for s in splits])
    return sorted(((e.ordinal, e.item) for b in batches for e in b), key=lambda pair: pair[0])


def test_jsonl_byte_splits_read_every_line_once() -> None:
    whole = _extract(1 << 30)
    assert len(list_splits([str(SAMPLE)], 4000)) > len(list_splits([str(SAMPLE)], 1 << 30)) + 3
    for size in (4000, 997):  # 997 bytes cuts most lines mid-way
        assert _extract(size) == whole
    assert len(whole) == 29
    reasons = sorted(item.reason for _, item in whole if isinstance(item, Rejection))
    assert reasons == ["malformed JSON line: Expecting value", "too short (6 words < 40)"]


def test_a_worker_pool_gives_the_same_records() -> None:
    assert _extract(4000, LocalRunner(workers=2)) == _extract(4000)


def test_batch_dedup_matches_local_ingest() -> None:
    settings = Settings()
    splits = list_splits([str(SAMPLE)])
    runner = get_runner("local")
    prepared = runner.run(functools.partial(prepare, embedders=article_embedders(settings)),
                          runner.run(functools.partial(extract_splits, min_words=40), [[s] for s in splits]))
    with Store() as batch_store, Store() as local_store:
        report = add_prepared([p for b in prepared for p in b], batch_store, settings)
        ingested = ingest_paths([SAMPLE], local_store, settings, progress=False)
        assert (report.articles, report.duplicates, report.near_duplicates) == (
            ingested.ingested, ingested.duplicates, ingested.near_duplicates) == (26, 1, 1)
        for sql in ("SELECT id FROM articles", "SELECT article_id, original_id FROM near_duplicates",
                    "SELECT article_id, outlet FROM sightings"):
            assert sorted(map(tuple, batch_store.connection.execute(sql))) == \
                sorted(map(tuple, local_store.connection.execute(sql)))


def test_unknown_runner_and_missing_input_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown runner"):
        get_runner("dask")
    with pytest.raises(InputError, match="no such input"):
        list_splits([str(tmp_path / "nothing.jsonl")])
    (tmp_path / "notes.txt").write_text("hello", "utf-8")
    with pytest.raises(InputError, match="not JSONL"):
        list_splits([str(tmp_path / "notes.txt")])


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch") / "out"
    run_batch([str(SAMPLE)], out, Settings(), get_runner("local"))
    return out


def test_result_holds_parquet_tables_and_one_json_file_per_story(result: Path) -> None:
    articles = pq.read_table(result / "articles.parquet").to_pylist()
    stories = pq.read_table(result / "stories.parquet").to_pylist()
    members = pq.read_table(result / "story_articles.parquet").to_pylist()
    assert len(articles) == 26
    assert {m["article_id"] for m in members} == {a["id"] for a in articles}
    live = [s for s in stories if s["retired_into"] is None]
    assert sorted(p.stem for p in (result / "stories").glob("*.json")) == sorted(s["id"] for s in live)
    for story in live:
        page = json.loads((result / "stories" / f"{story['id']}.json").read_text("utf-8"))
        assert page == json.loads(story["composed"])
        assert page["id"] == story["id"] and page["facts"]
        ids = {m["article_id"] for m in members if m["story_id"] == story["id"]}
        assert {a["id"] for a in page["articles"]} == ids
    Article.from_json(json.loads(articles[0]["data"]))  # the full article record round-trips
    # four MultiLing topics went in (three as JSONL, one as WARC pages): at least four stories come out
    assert len(live) >= 4


def test_load_puts_the_result_in_a_store_the_site_reads(result: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "site.db") as store:
        report = load_result(result, store)
        assert report.articles == 26
        db = store.connection
        assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == report.stories
        # every live story is composed; one merged into another (retired_into) is not, and the merge
        # passes do retire some of this sample's stories
        live = db.execute("SELECT count(*) FROM stories WHERE retired_into IS NULL").fetchone()[0]
        composed = db.execute("SELECT count(*) FROM stories WHERE composed IS NOT NULL").fetchone()[0]
        assert composed == live
        assert db.execute("SELECT count(*) FROM stories WHERE retired_into IS NULL AND composed IS NULL"
                          ).fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM story_articles").fetchone()[0] == 26
        assert db.execute("SELECT count(*) FROM analyses").fetchone()[0] == 26
        hit = db.execute("SELECT id FROM stories_fts WHERE stories_fts MATCH 'tsunami'").fetchall()
        assert hit
        # a later `build` finds nothing left to do: everything is analysed, assigned and composed
        # (a retired story keeps its dirty mark, as a merge in `build` leaves it; compose never reads it)
        assert store.dirty_stories() == []
        with pytest.raises(Exception, match="already in the store"):
            load_result(result, store)


def test_cli_batch_then_load(tmp_path: Path) -> None:
    cli = CliRunner()
    out = tmp_path / "out"
    done = cli.invoke(main, ["batch", str(SAMPLE / "articles.jsonl"), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "local.v1: 17 articles (1 duplicates" in done.output
    db = str(tmp_path / "n.db")
    loaded = cli.invoke(main, ["load", str(out), "--db", db])
    assert loaded.exit_code == 0, loaded.output
    listed = cli.invoke(main, ["stories", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.output)) == len(list((out / "stories").glob("*.json")))
    bad = cli.invoke(main, ["batch", str(tmp_path / "missing.jsonl"), "--out", str(out)])
    assert bad.exit_code != 0 and "no such input" in bad.output


def test_remote_uris_are_listed_and_read_through_pyarrow_filesystems(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyarrow import fs

    from newsprism.batch import _inputs

    # a stand-in scheme served by pyarrow's local filesystem takes the same code path as s3a:// or hdfs://
    monkeypatch.setattr(_inputs, "_is_remote", lambda uri: uri.startswith("mock://"))
    monkeypatch.setattr(_inputs, "_filesystem", lambda uri: (fs.LocalFileSystem(), uri.split("://", 1)[1]))
    remote = f"mock://{SAMPLE.resolve()}"
    assert [s.uri for s in list_splits([remote + "/*.jsonl*"])] == [
        f"{remote}/articles.jsonl", f"{remote}/more.jsonl.gz"]
    splits = list_splits([remote], 4000)
    items = sorted(((e.ordinal, e.item) for s in splits for e in extract_splits([s])), key=lambda p: p[0])
    assert [item.id for _, item in items if isinstance(item, Article)] == \
        [item.id for _, item in _extract(4000) if isinstance(item, Article)]


def test_batch_result_is_what_ingest_and_build_make_locally(result: Path) -> None:
    from newsprism.pipeline import build

    with Store() as store:
        ingest_paths([SAMPLE], store, Settings(), progress=False)
        build(store, Settings(), progress=False)
        db = store.connection
        local = dict(map(tuple, db.execute("SELECT article_id, story_id FROM story_articles")))
        pages = {str(r[0]): json.loads(r[1]) for r in db.execute(
            "SELECT id, composed FROM stories WHERE composed IS NOT NULL AND retired_into IS NULL")}
        storylines = sorted(map(tuple, db.execute("SELECT id, storyline_id FROM stories")))
    members = pq.read_table(result / "story_articles.parquet").to_pylist()
    assert {r["article_id"]: r["story_id"] for r in members} == local  # same stories, even the same ids
    stories = pq.read_table(result / "stories.parquet").to_pylist()
    assert sorted((r["id"], r["storyline_id"]) for r in stories) == storylines
    for story_id, page in pages.items():
        assert json.loads((result / "stories" / f"{story_id}.json").read_text("utf-8")) == page
