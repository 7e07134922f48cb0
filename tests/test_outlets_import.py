"""Ratings import in the three shapes (made-up outlets), overriding computed lean with its source kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.cli import main
from newsprism.errors import InputError
from newsprism.outlets import Figure, OutletProfile, lean_lookup, load_registry, save_profiles
from newsprism.outlets.importers import read_ratings
from newsprism.store import Store

DATA = Path(__file__).parent / "data" / "outlets"


def test_allsides_shape_maps_grades_and_prefers_the_news_desk(tmp_path: Path) -> None:
    profiles = read_ratings(DATA / "allsides_shape.csv")
    assert {p.name for p in profiles} >= {"Daily Lantern - News", "Harbor Courier", "Mixed Signals Weekly"}
    mixed = next(p for p in profiles if p.name == "Mixed Signals Weekly")
    assert mixed.figure("lean_score") is None  # "allsides" (mixed) is no left–right figure
    store = Store(tmp_path / "s.db")
    save_profiles(store, [OutletProfile("Daily Lantern", domains=("dailylantern.example",))])
    save_profiles(store, profiles)
    lantern = lean_lookup(store)("dailylantern.example")
    assert (lantern.name, lantern.lean, lantern.lean_score) == ("Daily Lantern", "left", -0.5)
    figure = load_registry(store, shipped=False).resolve("Daily Lantern")
    assert figure is not None and figure.figure("lean_score") == Figure(
        "lean_score", -0.5, "AllSides (allsides_shape.csv)", label="left-center"
    )


def test_mbfc_shape_gives_lean_and_reliability_by_domain() -> None:
    profiles = {p.name: p for p in read_ratings(DATA / "mbfc_shape.json")}
    harbor = profiles["Harbor Courier"]
    assert harbor.domains == ("harborcourier.example",)
    lean, reliability = harbor.figure("lean_score"), harbor.figure("reliability")
    assert lean is not None and lean.value == 0.5 and lean.label == "right-center"
    assert reliability is not None and reliability.value == pytest.approx(0.6)
    tinfoil = profiles["Tinfoil Times"]
    assert tinfoil.figure("lean_score") is None  # conspiracy is not a place on the left–right axis
    assert tinfoil.figure("reliability") is not None


def test_import_overrides_computed_and_keeps_every_source(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    computed = Figure("lean_score", -0.3, "newsprism lean.v1", origin="computed", uncertainty=0.1, count=12)
    save_profiles(
        store, [OutletProfile("Red Valley Post", domains=("redvalley.example",), figures=(computed,))]
    )
    save_profiles(store, read_ratings(DATA / "newsprism_columns.csv"))
    lookup = lean_lookup(store)
    assert lookup("RVP").lean == "right" and lookup("https://redvalley.example/x").lean_score == 1.0
    assert lookup("bbherald.example").name == "Blue Bay Herald"
    profile = load_registry(store).resolve("Red Valley Post")
    assert profile is not None
    assert {f.source for f in profile.figures if f.kind == "lean_score"} == {
        "newsprism lean.v1",
        "made-up test ratings",
    }


def test_unknown_lean_label_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lean\nSomewhere Sun,far-out\n", "utf-8")
    with pytest.raises(InputError):
        read_ratings(bad)


def test_cli_import_then_list_json(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    result = runner.invoke(main, ["outlets", "import", str(DATA / "newsprism_columns.csv"), "--db", db])
    assert result.exit_code == 0, result.output
    assert "imported 5 outlets" in result.output
    listed = runner.invoke(main, ["outlets", "list", "--json", "--db", db])
    assert listed.exit_code == 0, listed.output
    rows = {row["name"]: row for row in map(json.loads, listed.output.splitlines())}
    assert rows["Center Square Gazette"]["figures"][0]["source"] == "made-up test ratings"


def test_ingest_names_outlets_by_the_stores_registry_as_compose_and_the_site_do(tmp_path: Path) -> None:
    """An outlet imported into the store is the outlet of the files ingested after it, as of the feeds:
    one registry at ingest, compose and render (issue #18), not the shipped table for files alone."""
    from newsprism.ingest import ingest_paths
    from newsprism.settings import Settings

    body = ("The harbour council voted on Tuesday to rebuild the north pier after the winter storms, "
            "officials said, and the work is to start in the spring. ") * 3
    records = [{"title": "Council votes to rebuild the north pier", "text": body, "outlet": "exdaily",
                "url": "https://exdaily.example/pier"},
               {"title": "A column no registry knows", "text": body.replace("pier", "quay"),
                "outlet": "Some Blog", "url": "https://someblog.example/quay"}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    with Store(tmp_path / "s.db") as store:
        save_profiles(store, [OutletProfile("Example Daily", domains=("exdaily.example",))])
        report = ingest_paths([tmp_path / "in.jsonl"], store, Settings(), progress=False)
        assert report.ingested == 2
        outlets = {a.url: a.outlet for _, a in store.iter_articles()}
    assert outlets == {"https://exdaily.example/pier": "Example Daily",
                       "https://someblog.example/quay": "Some Blog"}
