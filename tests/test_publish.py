"""The publisher over a real SQLite fixture store: pages, JSON API, feed, static site, digest, CLI."""

from __future__ import annotations

import email
import json
import re
import socket
import time
from collections.abc import Iterator
from email.message import EmailMessage, Message
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsprism.cli import main
from newsprism.evaluation.outlets_table import COMPUTED_SOURCE, IDIAP_SOURCE
from newsprism.publish import Reader, build_digest, create_app, export_site, parse_since, send_digest
from newsprism.publish.queries import fts_query, outlet_slug
from newsprism.types import Story
from test_publish_fixture import HOSTILE, HOSTILE_OUTLET, HOSTILE_TITLE, HOSTILE_URL, build_store

TOKYO, SEOUL, BLIND, EVIL = "s-tokyo-2023", "s-seoul-2023", "s-missile-budget", "s-hostile"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("publish") / "fixture.db")


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as test_client:
        yield test_client


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.links.append(value)
        if tag == "script":
            self.scripts.append(dict(attrs))


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


# --- JSON API ------------------------------------------------------------------------------


def test_api_stories_lists_every_composed_story_with_an_id(client: TestClient) -> None:
    stories = client.get("/api/stories").json()
    assert {s["id"] for s in stories} == {TOKYO, SEOUL, BLIND, EVIL}
    assert stories[0]["id"] == SEOUL  # newest multi-outlet story leads
    tokyo = next(s for s in stories if s["id"] == TOKYO)
    assert tokyo["coverage"] == {"left": 2, "center": 2, "right": 2, "unknown": 0}
    assert tokyo["sources"] == 6 and len(tokyo["outlets"]) == 6


def test_api_story_is_the_story_json_shape(client: TestClient) -> None:
    data = client.get(f"/api/story/{TOKYO}").json()
    story = Story.from_json(data)
    assert json.loads(json.dumps(story.to_json())) == data
    assert [n.label for n in story.narratives] == ["Narrative A", "Narrative B"]
    assert client.get("/api/story/missing").status_code == 404


def test_api_storyline_articles_outlets_search(client: TestClient) -> None:
    line = client.get("/api/storyline/sl-korea-japan").json()
    assert [s["id"] for s in line["stories"]] == [TOKYO, SEOUL]  # time order
    guardian = client.get("/api/articles", params={"outlet": "The Guardian"}).json()
    assert len(guardian) == 2 and all(a["lean"] == "left" for a in guardian)
    outlets = {o["name"]: o for o in client.get("/api/outlets").json()}
    assert outlets["The Guardian"]["reliability_source"] == IDIAP_SOURCE
    assert outlets["NHK World"]["reliability"] is None
    hits = client.get("/api/search", params={"q": "shuttle diplomacy"}).json()
    assert hits[0]["kind"] == "story" and TOKYO in {h["id"] for h in hits if h["kind"] == "story"}
    assert any(h["kind"] == "article" and h["outlet"] == "Yonhap" for h in hits)


def test_search_filters_by_date_outlet_and_lean(db: Path) -> None:
    reader = Reader(db)
    fox = reader.search("missile", outlet="Fox News")
    assert {h.outlet for h in fox if h.kind == "article"} == {"Fox News"}
    right = reader.search("Kishida", lean="right")
    assert right and all(h.lean == "right" for h in right if h.kind == "article")
    may = reader.search("Kishida", date_from="2023-05-01")
    assert may and all((h.date or "") >= "2023-05-01" for h in may)
    assert {h.id for h in may if h.kind == "story"} == {SEOUL}
    # FTS syntax in user input is taken as words, never as a query language
    assert reader.search('NEAR( " OR * -') == []
    assert fts_query('a"b OR c') == '"a" "b" "OR" "c"'


def test_openapi_docs_are_served_without_a_cdn(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/stories" in docs.text
    assert "cdn" not in docs.text.lower()
    assert "/api/search" in client.get("/openapi.json").json()["paths"]


# --- pages ---------------------------------------------------------------------------------


def test_front_page_ranks_stories_with_coverage_bars(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    order = [page.text.index(f'href="/story/{i}"') for i in (SEOUL, BLIND, EVIL)]
    assert order == sorted(order)
    assert page.text.count('class="coverage"') == 4
    assert "2 left · 2 center · 2 right" in page.text


def test_story_page_has_every_section_and_evidence(client: TestClient) -> None:
    text = client.get(f"/story/{TOKYO}").text
    for needle in ("Facts", "Narrative A", "Narrative B", "Nerd narrative", "72%", "Where sources disagree",
                   "Quotes", "Timeline", "Articles on this story", "In this storyline",
                   'href="/storyline/sl-korea-japan"'):
        assert needle in text, needle
    assert text.count("<details") == 8  # one chip per outlet per fact
    assert "North Korea test-fired an intercontinental ballistic missile hours before the summit." in text


def test_preferences_cookie_reorders_articles(client: TestClient) -> None:
    def first_group() -> str:
        html = client.get(f"/story/{TOKYO}").text
        return re.findall(r'data-lean="(\w+)"', html)[0]

    assert first_group() == "left"
    saved = client.post("/prefs", data={"left_right": "2", "establishment": "0", "recency": "0",
                                        "next": f"/story/{TOKYO}"}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/story/{TOKYO}"
    assert first_group() == "right"
    # within the left group, pro-establishment tilt puts The Guardian (+0.3) before Global Times (-0.9)
    client.post("/prefs", data={"left_right": "0", "establishment": "2", "recency": "0"})
    html = client.get(f"/story/{TOKYO}").text
    assert html.index("South Korea and Japan renew ties") < html.index("Yoon&#39;s Tokyo trip")
    # an off-site `next` is never followed
    away = client.post("/prefs", data={"next": "//evil.example/"}, follow_redirects=False)
    assert away.headers["location"] == "/"
    client.cookies.clear()


def test_outlet_page_shows_figures_sources_and_blind_spots(client: TestClient) -> None:
    page = client.get("/outlet/" + outlet_slug("The Guardian")).text
    assert "score −0.62 ± 0.08" in page.replace("-", "−") and "from 412 articles" in page
    assert f"Computed: {COMPUTED_SOURCE}" in page and f"Default: {IDIAP_SOURCE}" in page
    blind = page.split('id="blind-h"')[1].split("Stories it covered")[0]
    assert "Pentagon Weighs" in blind and "Tokyo" not in blind
    fox = client.get("/outlet/" + outlet_slug("Fox News")).text
    assert "None: it covered" in fox.split('id="blind-h"')[1].split("Stories it covered")[0]
    assert client.get("/outlet/nope").status_code == 404


def test_search_page_renders_highlights_safely(client: TestClient) -> None:
    page = client.get("/search", params={"q": "hostile headline"}).text
    assert "<mark>" in page
    assert "<script>alert" not in page
    assert "/search" in client.get("/search", params={"q": "Kishida", "lean": "right"}).text


# --- hostile input, server side ------------------------------------------------------------


def test_hostile_text_is_escaped_on_every_page(client: TestClient) -> None:
    pages = ["/", f"/story/{EVIL}", "/outlets", "/outlet/" + outlet_slug(HOSTILE_OUTLET),
             "/search?q=hostile", "/search?q=body"]
    for path in pages:
        html = client.get(path).text
        parsed = _parse(html)
        assert all(s.get("src", "").endswith("htmx.min.js") for s in parsed.scripts), path  # type: ignore[union-attr]
        assert not any(link.strip().lower().startswith("javascript:") for link in parsed.links), path
        assert "onerror=" not in html.replace("onerror=alert(&#34;title&#34;)", ""), path
    story = client.get(f"/story/{EVIL}")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in story.text
    assert "script-src 'self'" in story.headers["content-security-policy"]


# --- feed ----------------------------------------------------------------------------------


def test_feed_is_valid_atom_and_keeps_hostile_text_as_text(client: TestClient) -> None:
    response = client.get("/feed.xml")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = {e.title for e in feed.entries}
    assert "South Korea, Japan Renew Ties At Tokyo 'Fence-Mending' Summit" in titles
    assert HOSTILE_TITLE in titles  # text, exactly as written, not markup
    tokyo = next(e for e in feed.entries if "Tokyo" in e.title)
    assert tokyo.link == "http://testserver/story/s-tokyo-2023"
    assert b"<script>" not in response.content


# --- static site ---------------------------------------------------------------------------


def test_static_site_links_resolve_to_files(db: Path, tmp_path: Path) -> None:
    report = export_site(Reader(db), tmp_path / "site")
    root = report.out
    assert (root / "index.html").exists() and (root / "story" / f"{TOKYO}.html").exists()
    assert (root / "storyline" / "sl-korea-japan.html").exists()
    assert report.stories == 4
    checked = 0
    for page in root.rglob("*.html"):
        parsed = _parse(page.read_text("utf-8"))
        assert not parsed.scripts, page  # nothing to enhance without a server
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                continue
            assert not parts.scheme and not link.startswith("/"), (page, link)
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file() and root.resolve() in target.parents, (page, link)
            checked += 1
    assert checked > 50
    assert not feedparser.parse((root / "feed.xml").read_bytes()).bozo


# --- digest --------------------------------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _parts(message: Message) -> dict[str, str]:
    out = {}
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            out[part.get_content_subtype()] = payload.decode(part.get_content_charset() or "utf-8")
    return out


def test_digest_is_html_and_text_and_goes_through_a_real_smtp_server(db: Path) -> None:
    message = build_digest(Reader(db), since=parse_since("2d"), to="reader@example.org",
                           base_url="https://news.example")
    parts = _parts(message)
    assert set(parts) == {"plain", "html"}
    assert "Kishida Visits Seoul" in parts["plain"] and "Pentagon" in parts["plain"]
    assert "Fence-Mending" not in parts["plain"]  # two months before the newest story: outside 2d
    assert "https://news.example/story/s-seoul-2023" in parts["html"]

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        send_digest(message, "127.0.0.1", controller.port)
        deadline = time.monotonic() + 10
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    (sender, rcpts, content) = inbox.messages[0]
    assert sender == "newsprism@localhost" and rcpts == ["reader@example.org"]
    received = email.message_from_bytes(content)
    assert "Kishida Visits Seoul" in _parts(received)["html"]


def test_digest_escapes_hostile_text(db: Path) -> None:
    html = _parts(build_digest(Reader(db), since=parse_since("52w")))["html"]
    assert HOSTILE not in html and "&lt;script&gt;" in html
    assert HOSTILE_URL not in html


# --- CLI -----------------------------------------------------------------------------------


def test_cli_stories_json_matches_the_api(db: Path, client: TestClient) -> None:
    result = CliRunner().invoke(main, ["stories", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == client.get("/api/stories").json()


def test_cli_site_and_digest(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["site", str(tmp_path / "out"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "index.html").exists()
    eml = tmp_path / "d.eml"
    result = runner.invoke(main, ["digest", "--db", str(db), "--since", "1w", "--out", str(eml)])
    assert result.exit_code == 0, result.output
    parsed = email.message_from_bytes(eml.read_bytes())
    assert isinstance(parsed, Message) and parsed.is_multipart()
    bad = runner.invoke(main, ["digest", "--db", str(db), "--since", "soon"])
    assert bad.exit_code != 0 and "12h, 1d or 2w" in bad.output
    missing = runner.invoke(main, ["stories", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code != 0 and "no store" in missing.output
    assert isinstance(build_digest(Reader(db)), EmailMessage)
