"""`newsprism ingest --strict`: the first rejected input stops the run, says where and why, and what was
stored before it stays stored (real demo seeds, real store)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from newsprism.cli import main
from newsprism.store import Store

SEEDS = Path(__file__).resolve().parents[1] / "data" / "demo" / "seeds"


def test_strict_stops_at_the_first_rejection_and_keeps_what_came_before(tmp_path: Path) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_text("", "utf-8")
    (bad / "zz-never-read.txt").write_text("A title\n\n" + "Words that would be an article. " * 30, "utf-8")
    db = str(tmp_path / "strict.db")
    run = CliRunner().invoke(main, ["ingest", str(SEEDS), str(bad), "--db", db, "--strict", "-q"])
    assert run.exit_code == 1
    assert "Stopped by --strict: " in run.output and "3 new articles stored" in run.output
    assert f"--strict: stopped at {bad / 'empty.txt'}: empty file" in run.output
    assert "Inputs after it were not read" in run.output
    with Store(db) as store:
        assert store.article_count() == 3  # the seeds before the stop, committed; the file after it unread
    # without --strict the same inputs are all handled: exit 0, the rejection listed with its reason
    again = CliRunner().invoke(main, ["ingest", str(SEEDS), str(bad), "--db", db, "-q"])
    assert again.exit_code == 0 and "empty file" in again.output and "1 new article stored" in again.output
