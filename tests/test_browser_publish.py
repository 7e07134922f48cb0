"""End to end in real headless Chromium: the site as a reader uses it, and hostile input kept inert.

Screenshots of each page type go to test-artifacts/ (git-ignored) so a person can look at them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from browser_support import NEEDS_CHROMIUM, chromium, served, shot
from newsprism.publish.queries import outlet_slug
from test_publish_fixture import HOSTILE_OUTLET, build_store

pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(build_store(tmp_path_factory.mktemp("browser") / "site.db")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_reader_journey(browser: Any, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(base_url + "/")
    cards = page.locator(".card h2")
    assert cards.count() == 4
    assert "Seoul" in cards.first.inner_text()  # the newest story with several outlets leads
    assert "Hostile" in cards.last.inner_text()  # one unknown outlet, months old
    shot(page, "front")

    # open a story
    page.get_by_role("link", name=re.compile("Tokyo 'Fence-Mending' Summit")).first.click()
    page.wait_for_url("**/story/s-tokyo-2023")
    assert page.locator(".fact").count() == 5
    assert page.locator(".narrative").count() == 2
    assert "72%" in page.locator(".forecasts").inner_text()

    # expand a fact's evidence: the exact sentence appears
    chip = page.locator(".fact").nth(3).locator("details.chip").first
    evidence = chip.locator(".evidence")
    assert not evidence.is_visible()
    chip.locator("summary").click()
    assert evidence.is_visible()
    assert "intercontinental ballistic missile hours before the summit" in evidence.inner_text()
    shot(page, "story")

    # change a preference: lean right → the Right group comes first, and stays first on reload (cookie)
    groups = page.locator("#articles .group")
    assert groups.first.get_attribute("data-lean") == "left"
    page.locator("#articles input[name=left_right]").fill("2")
    page.locator("#articles button[type=submit]").click()
    # a locator assertion, not wait_for_function: the page's CSP forbids evaluating a string predicate
    expect(page.locator("#articles .group").first).to_have_attribute("data-lean", "right")
    page.reload()
    assert page.locator("#articles .group").first.get_attribute("data-lean") == "right"
    assert page.locator("#articles input[name=left_right]").input_value() == "2"

    # the storyline from the story page
    page.locator(".kicker a").click()
    page.wait_for_url("**/storyline/sl-korea-japan")
    titles = page.locator(".thread-list h2").all_inner_texts()
    assert [("Tokyo" in t, "Seoul" in t) for t in titles] == [(True, False), (False, True)]
    shot(page, "storyline")

    page.goto(base_url + "/outlet/" + outlet_slug("The Guardian"))
    assert "Pentagon Weighs" in page.locator("#blind-h + p + .stories").inner_text()  # its blind spot
    assert "imported" in page.locator(".figures").inner_text().casefold()
    shot(page, "outlet")

    # search, typed and submitted as a reader would
    page.goto(base_url + "/search")
    page.locator("#q").fill("shuttle diplomacy")
    page.locator("#q").press("Enter")
    page.wait_for_selector(".hit")
    assert "Tokyo 'Fence-Mending' Summit" in page.locator("#results").inner_text()
    assert page.locator(".hit mark").count() >= 1
    shot(page, "search")
    page.close()


def test_phone_width_and_dark_mode(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = context.new_page()
    page.goto(base_url + "/story/s-tokyo-2023")
    # nothing overflows sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(20, 21, 24)"
    shot(page, "story-phone-dark")
    wsj = "/outlet/" + outlet_slug("The Wall Street Journal")
    for path in ["/blindspots", "/forecasts", "/outlets", wsj]:
        page.goto(base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    context.close()


def test_hostile_input_is_inert_in_the_browser(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    paths = ["/", "/story/s-hostile", "/outlets", "/outlet/" + outlet_slug(HOSTILE_OUTLET),
             "/search?q=hostile+headline", "/search?q=body", "/feed.xml"]
    for path in paths:
        page.goto(base_url + path)
        if path == "/story/s-hostile":
            for summary in page.locator("summary").all():
                summary.click()
            for link in page.locator("a").all():
                href = link.get_attribute("href") or ""
                assert not href.strip().lower().startswith("javascript:"), href
            shot(page, "hostile-story")
        scripts = page.evaluate("[...document.scripts].map(s => s.src || 'inline:' + s.textContent)")
        # the one script is our vendored htmx (its URL fingerprinted by version: /static/v-<hash>/...)
        ours = r"/static/(v-[0-9a-f]+/)?vendor/htmx\.min\.js$"
        assert all(re.search(ours, s) for s in scripts), (path, scripts)
        assert page.locator("iframe, img[onerror], [onmouseover]").count() == 0, path
        if path != "/feed.xml":
            assert '<script>alert("x")</script>' in page.locator("body").inner_text() or path.startswith(
                ("/outlet", "/search?q=body", "/outlets")
            ), path
    page.mouse.move(10, 10)
    page.wait_for_timeout(200)
    assert dialogs == []
    page.close()


def test_blindspots_and_forecasts_pages(browser: Any, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base_url + "/")
    page.get_by_role("link", name="Blind spots").click()
    page.wait_for_url("**/blindspots")
    spots = page.locator(".blindspot")
    assert spots.count() == 1 and spots.first.get_attribute("data-side") == "right"
    assert "Pentagon Weighs" in spots.first.inner_text()
    shot(page, "blindspots")

    page.get_by_role("link", name="Forecasts").click()
    page.wait_for_url("**/forecasts")
    items = page.locator(".question")
    assert items.count() == 2
    assert "72%" in items.first.inner_text() and "Metaculus" in items.first.inner_text()
    # the hostile title is text: the markup shows, no element was made, nothing ran
    assert '<script>alert("x")</script>' in items.nth(1).inner_text()
    assert page.locator(".question b, .question [onmouseover]").count() == 0
    items.nth(1).hover()
    shot(page, "forecasts")
    items.first.get_by_role("link", name=re.compile("Tokyo")).click()
    page.wait_for_url("**/story/s-tokyo-2023")
    assert page.locator(".fact[data-only=right]").count() == 1
    assert "G7 summit" in page.locator(".watch").inner_text()
    page.locator(".left-out").scroll_into_view_if_needed()
    shot(page, "story-fact-coverage")
    assert dialogs == []
    page.close()
