"""Day pages, the archive and the reader's filters in real headless Chromium, on a real store built by the
real pipeline (editions_fixture), served live and exported as a static site opened from file://."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from browser_support import NEEDS_CHROMIUM, chromium, served, shot
from editions_fixture import build_editions_store
from newsprism.publish import Reader, export_site
from newsprism.publish.prefs import COOKIE
from newsprism.publish.queries import outlet_slug

pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_editions_store(tmp_path_factory.mktemp("browser-editions") / "store.db")


@pytest.fixture(scope="module")
def base_url(db: Path) -> Iterator[str]:
    with served(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_a_reader_browses_past_days(browser: Any, base_url: str, db: Path) -> None:
    reader = Reader(db)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(base_url + "/")
    page.get_by_role("link", name="all days").click()
    page.wait_for_url("**/archive")
    months = [m.casefold() for m in page.locator(".month h2").all_inner_texts()]  # styled in capitals
    assert months[:2] == ["may 2023", "march 2023"] and "march 2014" in months
    shot(page, "archive")
    page.get_by_role("link", name="Mar 11, 2014").click()
    page.wait_for_url("**/day/2014-03-11")
    view = reader.day("2014-03-11")
    assert view is not None
    cards = page.locator(".day-story")
    assert cards.count() == view.total
    assert cards.first.locator("h2").inner_text() == view.stories[0].headline.strip()
    counts = [int(c.get_attribute("data-day-articles") or 0) for c in cards.all()[:5]]
    assert counts[0] == max(counts)
    shot(page, "day")
    page.locator("a[rel=next]").click()
    page.wait_for_url("**/day/2014-03-12")
    page.locator("a[rel=prev]").click()
    page.wait_for_url("**/day/2014-03-11")
    page.locator("a[rel=prev]").click()
    page.wait_for_url("**/day/2014-03-10")
    # a story of the day opens, and it has an article of that day
    page.locator(".day-story h2 a").first.click()
    page.wait_for_url("**/story/*")
    assert "Mar 10, 2014" in page.locator("#articles").inner_text()
    page.close()


def test_filters_set_on_the_prefs_page_apply_everywhere(browser: Any, base_url: str, db: Path) -> None:
    reader = Reader(db)
    top = reader.stories(limit=1)[0]
    word = next(w for w in re.findall(r"[A-Za-z]{5,}", top.headline))
    # a story with several outlets, and one of its outlets to hide
    def clear(story_id: str) -> bool:
        composed = reader.story(story_id)
        titles = [a.title.casefold() for a in composed.articles] if composed is not None else [word]
        return not any(word.casefold() in t for t in titles)

    story = next(s for s in reader.stories() if len(s.outlets) >= 3 and clear(s.id))
    hidden_outlet = story.outlets[0]
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(base_url + "/")
    # the first .stories block holds the top stories; the section blocks follow it
    assert top.headline.strip() in page.locator(".stories").first.inner_text()
    assert page.locator(".filtered").count() == 0
    page.get_by_role("link", name="Preferences").click()
    page.locator("#keywords").fill(word)
    page.locator("#min_reliability").select_option("5")
    page.locator("details.hide-outlets summary").click()
    page.locator(f"input[name=hide_outlet][value='{outlet_slug(hidden_outlet)}']").check()
    shot(page, "prefs-filters")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(base_url + "/")
    # the front page leaves out the keyword's stories and says so
    headlines = page.locator(".card h2").all_inner_texts()
    assert headlines and not any(re.search(rf"(?<!\w){word}(?!\w)", h, re.I) for h in headlines)
    assert "hidden by your filters" in page.locator(".filtered").first.inner_text()
    shot(page, "front-filtered")
    # the story page's article list leaves out the hidden outlet, and says how many it hid
    page.goto(base_url + f"/story/{story.id}")
    articles = page.locator("#articles .group li")
    assert hidden_outlet not in page.locator("#articles .groups").inner_text()
    assert articles.count() >= 1
    expect(page.locator("#articles .filtered")).to_contain_text("hidden by your filters")
    # moving a slider on the story page keeps the filters
    page.locator("#articles input[name=left_right]").fill("2")
    # htmx posts it in the background: reloading before its answer (which sets the cookie) has come would
    # race it, and the slider already shows "2", so wait for the swapped-in list the redirect brings
    story_url = base_url + f"/story/{story.id}"
    with page.expect_response(lambda r: r.url == story_url and r.request.redirected_from is not None):
        page.locator("#articles button[type=submit]").click()
    expect(page.locator("#articles input[name=left_right]")).to_have_value("2")
    page.reload()
    assert page.locator("#articles input[name=left_right]").input_value() == "2"
    assert hidden_outlet not in page.locator("#articles .groups").inner_text()
    expect(page.locator("#articles .filtered")).to_contain_text("hidden by your filters")
    page.goto(base_url + "/prefs")
    assert page.locator("#keywords").input_value() == word.casefold()
    assert page.locator("#min_reliability").input_value() == "5"
    # a day page applies them too
    page.goto(base_url + "/day/2014-03-11")
    day_headlines = page.locator(".day-story h2").all_inner_texts()
    assert not any(re.search(rf"(?<!\w){word}(?!\w)", h, re.I) for h in day_headlines)
    page.close()


def test_hostile_cookie_values_stay_inert(browser: Any, base_url: str) -> None:
    context = browser.new_context()
    host = base_url.removeprefix("http://").split(":")[0]
    evil = ('0:0:0:o.%3Cscript%3E|x"onmouseover=alert(1):k.%3Cscript%3Ealert(%22k%22)%3C%2Fscript%3E'
            '|%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E:r.9999')
    context.add_cookies([{"name": COOKIE, "value": evil, "domain": host, "path": "/"}])
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in ["/", "/day/2014-03-11", "/archive", "/prefs", "/blindspots", "/search?q=fed"]:
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, path
        assert page.locator("img[onerror], [onmouseover], iframe").count() == 0, path
        scripts = page.evaluate("[...document.scripts].map(s => s.src || 'inline')")
        assert all(re.search(r"/static/vendor/htmx\.min\.js$", s) for s in scripts), (path, scripts)
    # the keywords read back as plain words in the form, nothing else
    page.goto(base_url + "/prefs")
    assert page.locator("#keywords").input_value() == "script alert k script, img src x onerror alert 1"
    page.mouse.move(5, 5)
    page.wait_for_timeout(200)
    assert dialogs == []
    context.close()


def test_the_static_site_has_the_days_and_the_archive(browser: Any, db: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    export_site(Reader(db), site)
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="Archive").first.click()
    page.wait_for_url("**/archive.html")
    page.get_by_role("link", name="Mar 12, 2014").click()
    page.wait_for_url("**/day/2014-03-12.html")
    assert page.locator(".day-story").count() == Reader(db).day("2014-03-12").total  # type: ignore[union-attr]
    page.locator("a[rel=prev]").click()
    page.wait_for_url("**/day/2014-03-11.html")
    page.locator(".day-story h2 a").first.click()
    page.wait_for_url("**/story/*.html")
    assert page.locator("h1").inner_text()
    page.close()
