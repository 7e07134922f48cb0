"""One path from raw article files to a published story page, through the real CLI and a real store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from newsprism.cli import main

REPO = Path(__file__).resolve().parents[1]


def test_raw_files_become_a_browsable_story_site(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(REPO / "data" / "demo" / "seeds", inputs / "seeds")
    # two MultiLing topics: ten articles on each of two unrelated events
    for name in sorted((REPO / "data" / "multiling2011" / "sources").glob("M000*.txt"))[:5]:
        shutil.copy(name, inputs / name.name)
    for name in sorted((REPO / "data" / "multiling2011" / "sources").glob("M003*.txt"))[:5]:
        shutil.copy(name, inputs / name.name)
    db = str(tmp_path / "n.db")
    runner = CliRunner()

    ingested = runner.invoke(main, ["ingest", str(inputs), "--db", db])
    assert ingested.exit_code == 0, ingested.output
    built = runner.invoke(main, ["build", "--db", db, "--quiet"])
    assert built.exit_code == 0, built.output

    listed = runner.invoke(main, ["stories", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    stories = json.loads(listed.stdout)
    assert len(stories) >= 2
    ids = [story["id"] for story in stories]

    site = tmp_path / "site"
    exported = runner.invoke(main, ["site", str(site), "--db", db])
    assert exported.exit_code == 0, exported.output
    assert (site / "index.html").is_file()
    pages = list(site.rglob("*.html"))
    assert any(story_id in str(page) for page in pages for story_id in ids)

    # the two seed articles about Japan–South Korea relations share a storyline
    clustered = runner.invoke(main, ["cluster", str(inputs / "seeds"), "--json"])
    assert clustered.exit_code == 0, clustered.output
    groups = json.loads(clustered.stdout)["stories"]
    by_path = {Path(a["path"]).name: g["storyline"] for g in groups for a in g["articles"] if a.get("path")}
    assert by_path["000_c0e5fdfcdfc52de7.txt"] == by_path["004_2b1bcd757c7649fc.txt"]
