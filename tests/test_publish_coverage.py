"""Outlet figures, blind spots, fact-level coverage and forecasts on the site, over a real SQLite store.

The store is the publish fixture (`test_publish_fixture.build_store`): outlet profiles written by
`newsprism.outlets.save_profiles` and a ratings file read by `read_ratings` (the `outlets import` path).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism.outlets.table import COMPUTED_SOURCE, IDIAP_SOURCE
from newsprism.publish import create_app
from newsprism.publish.queries import outlet_slug
from test_publish_fixture import build_store

TOKYO, SEOUL, BLIND = "s-tokyo-2023", "s-seoul-2023", "s-missile-budget"
IMPORT_SOURCE = "ratings.csv (publish fixture)"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("coverage") / "fixture.db")


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as test_client:
        yield test_client


# --- outlet figures ------------------------------------------------------------------------


def test_api_outlets_reads_the_registry_shape(client: TestClient) -> None:
    outlets = {o["name"]: o for o in client.get("/api/outlets").json()}
    guardian = outlets["The Guardian"]
    assert guardian["lean"] == "left"
    lean = (guardian["lean_score"], guardian["lean_uncertainty"], guardian["lean_articles"])
    assert lean == (-0.62, 0.08, 412)
    assert (guardian["lean_source"], guardian["lean_origin"]) == (COMPUTED_SOURCE, "computed")
    assert (guardian["reliability"], guardian["reliability_source"]) == (0.87, IDIAP_SOURCE)
    assert guardian["reliability_origin"] == "default"
    assert guardian["establishment"] == 0.3 and guardian["country"] == "GB"
    # the import overrides the computed lean: the WSJ moves from center to right, and both figures are listed
    wsj = outlets["The Wall Street Journal"]
    assert (wsj["lean"], wsj["lean_score"], wsj["lean_origin"]) == ("right", 0.41, "imported")
    assert wsj["lean_source"] == IMPORT_SOURCE
    leans = {(f["origin"], f["value"], f["used"]) for f in wsj["figures"] if f["kind"] == "lean_score"}
    assert leans == {("computed", -0.15, False), ("imported", 0.41, True)}
    assert wsj["reliability_origin"] == "default"  # the import had no reliability: the default stays
    gt = outlets["Global Times"]
    assert (gt["lean"], gt["reliability"], gt["reliability_origin"]) == ("left", 0.31, "imported")
    assert outlets["NHK World"]["reliability"] is None


def test_outlet_page_says_where_the_figures_come_from(client: TestClient) -> None:
    page = client.get("/outlet/" + outlet_slug("The Wall Street Journal")).text
    figures = page.split("Where the figures come from")[1].split("Blind spots")[0]
    assert f"Imported: {IMPORT_SOURCE}" in page
    assert figures.count("<tr") == 5  # header, two leans, reliability, establishment
    assert 'class="overridden"' in figures and "−0.15" in figures.replace("-0.15", "−0.15")
    assert "(347 articles)" in figures
    unrated = client.get("/outlet/" + outlet_slug("Yonhap")).text
    assert "± 0.20" in unrated and "from 88 articles" in unrated
