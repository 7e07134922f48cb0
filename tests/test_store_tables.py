"""The store owns its tables: no stage outside it runs SQL of their own, and one working set per build
reads each article once while giving the same stories and storylines as separate reads."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

from newsprism.cluster import WorkingSet, cluster_pending, link_storylines
from newsprism.evaluation.datasets import load_multiling
from newsprism.settings import Settings
from newsprism.store import Store, StoreTables

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsprism"
# Everything but the store runs its SQL through the store's repositories (issue #18). Left out: the site's
# read side (`publish/queries.py`, owned elsewhere) and the lab's one module of its own reads
# (`evaluation/tables.py`: what scoring a clustering asks of the tables, which no stage needs).
_OWN_SQL = (PACKAGE / "store", PACKAGE / "publish" / "queries.py", PACKAGE / "evaluation" / "tables.py")
MOVED = [path for path in sorted(PACKAGE.rglob("*.py"))
         if not any(path == own or own in path.parents for own in _OWN_SQL)]
SQL_CALLS = {"execute", "executemany", "executescript", "cursor"}


def _sql_calls(path: Path) -> list[str]:
    calls = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Attribute) and (node.attr in SQL_CALLS or node.attr == "connection"):
            calls.append(f"{path.name}:{node.lineno} .{node.attr}")
    return calls


def test_moved_stages_run_no_sql_of_their_own() -> None:
    assert [call for path in MOVED for call in _sql_calls(path)] == []


def test_the_check_sees_sql() -> None:
    # the AST check above must be able to fail: it finds the store's own statements
    assert _sql_calls(PACKAGE / "store" / "_stories.py")
    # and it covers the stages: ingest, batch, the CLI, not only the packages moved first
    assert {PACKAGE / "ingest" / "_writer.py", PACKAGE / "batch" / "_load.py",
            PACKAGE / "cli" / "build.py", PACKAGE / "evaluation" / "tune_storylines.py"} <= set(MOVED)
    assert _sql_calls(PACKAGE / "evaluation" / "tables.py")


# What reads the SQLite file itself may name the concrete `Store`: the CLI opens it, the site's app and its
# `Reader` read it through their own connections, and the live cycle hands it to that `Reader`.
_CONCRETE = {("publish/app.py", "create_app"), ("live/_cycle.py", "run_cycle"),
             ("live/_cycle.py", "_write_site")}


def _concrete_store_parameters(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        for arg in args:
            if arg.annotation is not None and any(
                    isinstance(n, ast.Name) and n.id == "Store" for n in ast.walk(arg.annotation)):
                found.append(f"{path.relative_to(PACKAGE).as_posix()}:{node.name}")
    return found


def test_stages_take_the_store_protocol_not_the_sqlite_class() -> None:
    stages = [path for path in MOVED if not {"cli", "evaluation"} & set(path.relative_to(PACKAGE).parts)]
    named = {hit for path in stages for hit in _concrete_store_parameters(path)}
    assert {tuple(hit.split(":")) for hit in named} <= _CONCRETE, sorted(named)
    # and the check can fail: the store's own repositories take the concrete class
    assert _concrete_store_parameters(PACKAGE / "store" / "_repository.py")


def _tables(store: Store) -> list[str]:
    out = []
    for query in ["SELECT story_id, article_id, score FROM story_articles ORDER BY article_id",
                  "SELECT id, storyline_id, retired_into, first_published, last_published FROM stories"
                  " ORDER BY id",
                  "SELECT id, title, data FROM storylines ORDER BY id",
                  "SELECT kind, story_id, other_id, detail FROM story_events ORDER BY rowid",
                  "SELECT story_id, new_story_id, articles, apart, together FROM story_splits"
                  " ORDER BY story_id, new_story_id"]:
        rows = [tuple(r) for r in store.connection.execute(query)]
        out.append(hashlib.sha256(repr(rows).encode()).hexdigest())
    return out


def test_one_working_set_reads_each_article_once_and_changes_nothing() -> None:
    data = load_multiling()
    settings = Settings()
    results = []
    for shared in (False, True):
        with Store() as store:
            tables: StoreTables = store  # the local store is one implementation of the protocol
            assert tables.stories is store.stories
            for article in data.articles:
                store.add_article(article)
            working = WorkingSet(store, settings.cluster_embedder) if shared else None
            cluster_pending(store, settings, progress=False, working=working)
            lines = link_storylines(store, settings, working=working)
            if working is not None:
                # assignment, the second pass, splits and storylines: every article decoded once
                assert working.loaded == store.article_count()
            results.append((lines, _tables(store)))
    assert results[0] == results[1]
    assert results[0][0] > 0
