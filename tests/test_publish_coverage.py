"""Outlet figures, blind spots, fact-level coverage and forecasts on the site, over a real SQLite store.

The store is the publish fixture (`test_publish_fixture.build_store`): outlet profiles written by
`newsprism.outlets.save_profiles` and a ratings file read by `read_ratings` (the `outlets import` path).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient

from newsprism.evaluation.outlets_table import COMPUTED_SOURCE, IDIAP_SOURCE
from newsprism.publish import Reader, create_app, export_site
from newsprism.publish.queries import outlet_slug
from test_publish_fixture import TOMAHAWK_URL, build_store

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
    figures = page.split("Where the figures come from")[1].split('id="blind-h"')[0]
    assert f"Imported: {IMPORT_SOURCE}" in page
    # header; computed and imported lean; reliability; computed and imported establishment
    assert figures.count("<tr") == 6
    assert figures.count('class="overridden"') == 2 and "−0.15" in figures.replace("-0.15", "−0.15")
    assert "(347 articles)" in figures
    unrated = client.get("/outlet/" + outlet_slug("Yonhap")).text
    assert "± 0.20" in unrated and "from 88 articles" in unrated


# --- blind spots ---------------------------------------------------------------------------


def test_blindspots_page_api_and_feed(client: TestClient) -> None:
    spots = client.get("/api/blindspots").json()
    found = [(s["id"], s["side"], s["missed_by"], s["share"]) for s in spots]
    assert found == [(BLIND, "right", "left", 1.0)]
    assert spots[0]["outlet_coverage"] == {"left": 0, "center": 0, "right": 3, "unknown": 0}
    page = client.get("/blindspots").text
    assert 'href="/blindspots"' in page.split("</nav>")[0]  # linked from the nav of every page
    assert 'href="/blindspots"' in client.get("/").text.split("</nav>")[0]
    right = page.split('id="bs-right"')[1]
    assert "Pentagon Weighs Bigger Pacific Missile Defense Budget" in right
    assert "a blind spot for the left" in right and 'id="bs-left"' not in page
    assert "Tokyo" not in page and "Seoul" not in page  # covered across the spectrum
    response = client.get("/blindspots.xml")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.feed.title.endswith("blind spots")
    assert [e.link for e in feed.entries] == [f"http://testserver/story/{BLIND}"]
    assert "lean right" in feed.entries[0].summary


def test_static_export_has_blindspots_and_forecasts(db: Path, tmp_path: Path) -> None:
    export_site(Reader(db), tmp_path / "site")
    page = (tmp_path / "site" / "blindspots.html").read_text("utf-8")
    assert f'href="story/{BLIND}.html"' in page and 'href="blindspots.xml"' in page
    assert (tmp_path / "site" / "forecasts.html").is_file()
    story = (tmp_path / "site" / "story" / f"{TOKYO}.html").read_text("utf-8")
    assert 'href="../blindspots.html"' in story and 'href="../forecasts.html"' in story
    assert not feedparser.parse((tmp_path / "site" / "blindspots.xml").read_bytes()).bozo


# --- fact-level coverage -------------------------------------------------------------------


def _facts(page: str) -> list[str]:
    return page.split('id="facts-h"')[1].split('id="leftout-h"')[0].split('<li class="fact"')[1:]


def test_story_page_shows_which_side_reports_each_fact(client: TestClient) -> None:
    page = client.get(f"/story/{TOKYO}").text
    facts = _facts(page)
    assert len(facts) == 5
    only = [("Reported only by right outlets" in f, 'data-only="right"' in f) for f in facts]
    assert only == [(False, False)] * 3 + [(True, True)] + [(False, False)]  # the ICBM: WSJ and Fox only
    assert 'class="tag lean-left" title="Left">The Guardian<' in facts[0]
    assert 'class="tag lean-center" title="Center">Yonhap<' in facts[0]
    left_out = page.split('id="leftout-h"')[1].split("</section>")[0]
    left, right = left_out.split('data-side="left"')[1].split('data-side="right"')
    # only the first fact has a left source
    assert left.count("<li>") == 4 and "intercontinental ballistic missile" in left
    assert right.count("<li>") == 3 and "shuttle diplomacy" in right and "export restrictions" not in right


def test_a_side_absent_from_the_story_leaves_nothing_out(client: TestClient) -> None:
    page = client.get(f"/story/{BLIND}").text  # right outlets only: a blind spot, not an omission
    assert "Reported only by right outlets" in page
    assert 'id="leftout-h"' not in page


# --- forecasts -----------------------------------------------------------------------------


def test_forecasts_page_and_api_list_open_questions_with_their_stories(client: TestClient) -> None:
    questions = client.get("/api/forecasts").json()
    assert [q["id"] for q in questions] == ["metaculus:12345", "manifold:evil"]  # open only; linked first
    tomahawk = questions[0]
    figures = (tomahawk["platform"], tomahawk["probability"], tomahawk["as_of"])
    assert figures == ("metaculus", 0.72, "2023-03-16")
    assert tomahawk["url"] == TOMAHAWK_URL
    assert [s["id"] for s in tomahawk["stories"]] == [TOKYO] and questions[1]["stories"] == []
    page = client.get("/forecasts").text
    item = page.split('<li class="question">')[1]
    assert "72%" in item and "Metaculus" in item
    assert 'as of <time datetime="2023-03-16">Mar 16, 2023' in item
    assert f'href="{TOMAHAWK_URL}"' in item and f'href="/story/{TOKYO}"' in item
    assert "Will the summit be held" not in page  # closed


def test_hostile_question_title_renders_as_text(client: TestClient) -> None:
    page = client.get("/forecasts").text
    assert "<script>" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Will &lt;b onmouseover=alert(2)&gt;" in page
    assert 'href="javascript:' not in page and "javascript:alert(1)" in page  # as text, never as a link


def test_story_page_shows_nerd_narrative_and_claims_to_watch(client: TestClient) -> None:
    page = client.get(f"/story/{TOKYO}").text
    nerd = page.split('id="nerd-h"')[1].split("</section>")[0]
    assert "72% chance that the Japan Self-Defense Forces" in nerd and "as of Mar 16, 2023" in nerd
    assert f'href="{TOMAHAWK_URL}"' in nerd and "All forecasts" in nerd
    watch = page.split('id="watch-h"')[1].split("</section>")[0]
    assert "invite the South Korean president to the G7 summit" in watch
    assert "The Guardian" in watch and 'datetime="2023-05"' in watch
    assert client.get(f"/api/story/{TOKYO}").json()["claims_to_watch"][0]["refers_to"] == "2023-05"
