"""Sections in real headless Chromium: tabs, a section page, and hiding a section from the front page
through the preferences form (the cookie), over a store built by the real pipeline from held-out UCI
headlines. Screenshots go to test-artifacts/."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from browser_support import NEEDS_CHROMIUM, chromium, served, shot
from newsprism.sections import slug
from sections_fixture import build_sections_store

pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    db, _ = build_sections_store(tmp_path_factory.mktemp("browser-sections"))
    with sqlite3.connect(db) as conn:
        sections = {
            str(r[0]): str(r[1])
            for r in conn.execute("SELECT story_id, section FROM story_summaries WHERE live = 1")
        }
    with served(db) as url:
        yield url, sections


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _story_ids(page: Any, selector: str) -> set[str]:
    hrefs = page.locator(f"{selector} .card h2 a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return {h.rsplit("/", 1)[1] for h in hrefs}


def test_a_reader_browses_a_section_and_hides_one(browser: Any, site: tuple[str, dict[str, str]]) -> None:
    base_url, sections = site
    big = Counter(sections.values()).most_common(1)[0][0]
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(base_url + "/")
    tabs = page.locator("nav.section-tabs a").all_inner_texts()
    assert tabs[0] == "All" and set(tabs[1:]) == set(sections.values())
    blocks = page.locator("section.front-section")
    assert blocks.count() >= 1
    for i in range(blocks.count()):
        name = blocks.nth(i).get_attribute("data-section")
        shown = _story_ids(page, f"section.front-section[data-section='{name}']")
        assert shown and all(sections[s] == name for s in shown)
    shot(page, "sections-front")

    # a tab opens the section's page: its stories alone, the tab marked current
    page.locator("nav.section-tabs a", has_text=big).click()
    page.wait_for_url(f"**/section/{slug(big)}")
    assert page.locator("h1.page-title").inner_text() == big
    assert page.locator("nav.section-tabs a[aria-current=page]").inner_text() == big
    assert _story_ids(page, ".stories") == {s for s, n in sections.items() if n == big}
    shot(page, "sections-page")

    # hide it in the preferences: the front page drops its block and its stories, and keeps that
    page.goto(base_url + "/prefs")
    page.locator(f"input[name=hide_section][value={slug(big)}]").check()
    page.locator("form.prefs button[type=submit]").click()
    page.wait_for_url(base_url + "/")
    assert page.locator(f"section.front-section[data-section='{big}']").count() == 0
    assert not _story_ids(page, "main") & {s for s, n in sections.items() if n == big}
    assert big in page.locator(".hidden-sections").inner_text()
    page.reload()
    assert page.locator(f"section.front-section[data-section='{big}']").count() == 0
    shot(page, "sections-hidden")

    # unhide: it comes back
    page.goto(base_url + "/prefs")
    assert page.locator(f"input[name=hide_section][value={slug(big)}]").is_checked()
    page.locator(f"input[name=hide_section][value={slug(big)}]").uncheck()
    page.locator("form.prefs button[type=submit]").click()
    page.wait_for_url(base_url + "/")
    assert _story_ids(page, "main") & {s for s, n in sections.items() if n == big}
    page.close()
