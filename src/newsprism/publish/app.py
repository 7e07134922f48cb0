"""The FastAPI app: server-rendered pages, the JSON API under /api/, the Atom feed and static assets."""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import anyio
import anyio.to_thread
from fastapi import FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsprism.publish._env import DB_ENV, TITLE_ENV
from newsprism.publish.cache import PageCache
from newsprism.publish.feed import atom_feed, blindspots_feed
from newsprism.publish.filters import Filters, parse_keywords
from newsprism.publish.pages import (
    SearchForm,
    render_api_docs,
    render_archive,
    render_blindspots,
    render_day,
    render_forecasts,
    render_front,
    render_outlet,
    render_outlets,
    render_prefs,
    render_search_result,
    render_section,
    render_story,
    render_storyline,
)
from newsprism.publish.prefs import COOKIE, SECTION_SLUGS, Prefs
from newsprism.publish.queries import SEARCH_PAGE_SIZE, Reader, SearchResult
from newsprism.publish.render import STATIC_DIR, Links, environment
from newsprism.settings import Settings
from newsprism.store import Store

__all__ = ["DB_ENV", "STATIC_DIR", "TITLE_ENV", "app_from_environment", "create_app"]


LINKS = Links()
# Pages are rendered once per version (`PageCache`); clients keep them and revalidate with their ETag.
PAGE_HEADERS = {"Cache-Control": "no-cache"}
# Pages that depend on the reader's cookie (sliders, filters): a shared cache must not hand them on.
PERSONAL_HEADERS = {"Cache-Control": "private, no-cache", "Vary": "Cookie"}
# Uncached searches run in a line of their own, at most SEARCH_THREADS at a time per worker, first come
# first served. A search costs ~10x a rendered page (FTS5 doclists, bm25); a burst of new searches on the
# shared thread pool (40 threads) made every page request wait behind them and, the GIL being unfair to
# that many threads, sent some searches to the back again and again (1.45 s at 50 clients while `build`
# wrote). In one line, each waits for the ones before it only, and pages keep the other threads.
SEARCH_THREADS = 1
# A search that has waited in that line and run for SEARCH_DEADLINE_SECONDS (wall clock, from its
# arrival) begins no further window of older articles: it answers with what it has, ranked, and says so
# (`SearchResult.busy`). The line makes a search wait for every one before it, so 50 new searches at once
# while `build` takes a core queued past 1 s (1,220 ms, issue 16); the deadline makes each search cheaper
# exactly when the line is long, and costs nothing when it is short. A busy answer is sent with
# `Cache-Control: no-store`, so the cache does not keep it: the same search later may look further.
SEARCH_DEADLINE_SECONDS = 0.25
# Pages of search hits: each kind is ranked among its SEARCH_WINDOW newest matches, so no page past
# these holds anything; the bound keeps odd page numbers out of the page cache.
SEARCH_MAX_PAGE = 100
SEARCH_API_MAX_LIMIT = 50
BUSY_HEADERS = {"Cache-Control": "no-store"}
SECURITY_HEADERS = {
    # Scripts only from this origin: if some text ever slipped through escaping, inline script would not run.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response. A plain ASGI wrapper, because Starlette's
    `@app.middleware("http")` runs each request through extra tasks and queues and halved throughput."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _page_number(text: str) -> int:
    """A search page number from the URL: anything that is not one (or is out of range) is the nearest one."""
    try:
        number = int(text)
    except ValueError:
        return 1
    return min(max(number, 1), SEARCH_MAX_PAGE)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect through the preferences form would be a phishing aid."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def create_app(store: Store | Path | str, settings: Settings | None = None, *,
               migrate: bool = True) -> FastAPI:
    """The newsprism site over a store (a file path, or an open Store). The app only reads it; with
    `migrate` it first applies pending schema migrations (`serve` does that once, before its workers)."""
    settings = settings or Settings()
    reader = Reader(store, migrate=migrate)
    title = settings.site_title
    # FastAPI's own /docs pulls Swagger UI from a CDN; ours renders the OpenAPI document server-side instead.
    app = FastAPI(title=f"{title} API", description="Composed news stories, their articles and outlets.",
                  version="1", docs_url=None, redoc_url=None)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # The cache's version reads run on the event loop, so they get a connection that never waits for a
    # lock (a busy store is answered uncached by the app, in the thread pool).
    versions = reader if reader.path == ":memory:" else Reader(reader.path, migrate=False, timeout=0)
    app.add_middleware(PageCache, reader=versions)
    if reader.path != ":memory:":
        threading.Thread(target=_warm, args=(reader,), name="newsprism-warm", daemon=True).start()
    app.add_middleware(SecurityHeaders)  # outermost: cached answers carry the headers too

    searching: list[anyio.CapacityLimiter] = []  # made in the worker's own event loop, on first use

    async def in_search_line(call: Callable[[], Any]) -> Any:
        if not searching:
            searching.append(anyio.CapacityLimiter(SEARCH_THREADS))
        return await anyio.to_thread.run_sync(call, limiter=searching[0])

    def html(body: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(body, status_code=status, headers=PAGE_HEADERS if status == 200 else None)

    def not_found(message: str) -> HTMLResponse:
        page = environment().get_template("error.html").render(
            links=LINKS, site_title=title, title="Not found", message=message)
        return HTMLResponse(page, status_code=404)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code)
        return not_found(str(exc.detail)) if exc.status_code == 404 else Response(status_code=exc.status_code)

    # --- pages -------------------------------------------------------------------------
    # Every handler is a plain `def`: it reads the store and renders, so it runs in the thread pool and a
    # slow page never holds up another request. PageCache answers repeated requests before they get here.

    def personal(body: str) -> HTMLResponse:
        return HTMLResponse(body, headers=PERSONAL_HEADERS)

    def prefs_of(request: Request) -> Prefs:
        return Prefs.parse(request.cookies.get(COOKIE))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def front(request: Request) -> HTMLResponse:
        # the page leaves out what the reader hides: it varies by cookie, and a filtered one is the
        # reader's own (a shared cache must not hand it to someone else)
        return personal(render_front(reader, LINKS, title, prefs_of(request)))

    @app.get("/section/{slug}", response_class=HTMLResponse, include_in_schema=False)
    def section_page(slug: str) -> HTMLResponse:
        name = SECTION_SLUGS.get(slug)
        return html(render_section(reader, name, LINKS, title)) if name else not_found("No such section.")

    @app.get("/section/{slug}/feed.xml", include_in_schema=False)
    def section_feed(slug: str, request: Request) -> Response:
        name = SECTION_SLUGS.get(slug)
        if name is None:
            raise HTTPException(404, "No such section.")
        links = Links(base=str(request.base_url).rstrip("/"))
        body = atom_feed(reader.section_stories(name, limit=50), links, f"{title}: {name}",
                         self_href=links.section_feed(slug), feed_id=f"urn:newsprism:section:{slug}")
        return Response(body, media_type="application/atom+xml; charset=utf-8", headers=PAGE_HEADERS)

    @app.get("/day/{day}", response_class=HTMLResponse, include_in_schema=False)
    def day_page(day: str, request: Request) -> HTMLResponse:
        view = reader.day(day)
        if view is None:
            return not_found("That is not a day (YYYY-MM-DD).")
        if not view.stories:
            return not_found("No stories on that day.")
        return personal(render_day(reader, view, LINKS, title, prefs_of(request)))

    @app.get("/archive", response_class=HTMLResponse, include_in_schema=False)
    def archive_page() -> HTMLResponse:
        return html(render_archive(reader, LINKS, title))

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str, request: Request) -> HTMLResponse:
        story = reader.story(story_id)
        if story is None:
            return not_found("No story has that id.")
        return personal(render_story(reader, story, LINKS, title, prefs_of(request)))

    @app.get("/storyline/{storyline_id}", response_class=HTMLResponse, include_in_schema=False)
    def storyline_page(storyline_id: str, request: Request) -> HTMLResponse:
        body = render_storyline(reader, storyline_id, LINKS, title, prefs_of(request))
        return personal(body) if body is not None else not_found("No storyline has that id.")

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page() -> HTMLResponse:
        return html(render_outlets(reader, LINKS, title))

    @app.get("/outlet/{slug}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(slug: str) -> HTMLResponse:
        outlet = reader.outlet_by_slug(slug)
        return html(render_outlet(reader, outlet, LINKS, title)) if outlet else not_found("No such outlet.")

    @app.get("/blindspots", response_class=HTMLResponse, include_in_schema=False)
    def blindspots_page(request: Request) -> HTMLResponse:
        return personal(render_blindspots(reader, LINKS, title, prefs_of(request)))

    @app.get("/blindspots.xml", include_in_schema=False)
    def blindspots_atom(request: Request) -> Response:
        links = Links(base=str(request.base_url).rstrip("/"))
        body = blindspots_feed(reader.blind_spots(), links, title)
        return Response(body, media_type="application/atom+xml; charset=utf-8", headers=PAGE_HEADERS)

    @app.get("/forecasts", response_class=HTMLResponse, include_in_schema=False)
    def forecasts_page() -> HTMLResponse:
        return html(render_forecasts(reader, LINKS, title))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    async def search_page(request: Request, q: str = "", date_from: str = "", date_to: str = "",
                          outlet: str = "", lean: str = "", page: str = "1") -> HTMLResponse:
        deadline = time.monotonic() + SEARCH_DEADLINE_SECONDS  # from arrival: the wait in line counts
        form = SearchForm(q=q[:200], date_from=date_from[:10], date_to=date_to[:10], outlet=outlet, lean=lean,
                          page=_page_number(page))
        call = functools.partial(render_search_result, reader, form, LINKS, title, prefs_of(request),
                                 deadline)
        body, result = await in_search_line(call)
        if result.busy:
            return HTMLResponse(body, headers={**PERSONAL_HEADERS, **BUSY_HEADERS})
        return personal(body)

    @app.get("/prefs", response_class=HTMLResponse, include_in_schema=False)
    def prefs_page(request: Request, next: str = "/") -> HTMLResponse:
        return HTMLResponse(render_prefs(reader, LINKS, title, prefs_of(request), _safe_next(next)))

    @app.post("/prefs", include_in_schema=False)
    def save_prefs(
        request: Request,
        left_right: Annotated[int, Form()] = 0,
        establishment: Annotated[int, Form()] = 0,
        recency: Annotated[int, Form()] = 0,
        next: Annotated[str, Form()] = "/",
        filters: Annotated[str, Form(max_length=1)] = "",
        keywords: Annotated[str, Form(max_length=2000)] = "",
        min_reliability: Annotated[str, Form(max_length=3)] = "0",
        hide_outlet: Annotated[list[str] | None, Form()] = None,
        hide_section: Annotated[list[str] | None, Form()] = None,
    ) -> RedirectResponse:
        # the story page's inline form sends the sliders only: the filters the cookie holds stay
        chosen = (Filters.make(hide_outlet or [], min_reliability, parse_keywords(keywords),
                               hide_section or [])
                  if filters else prefs_of(request).filters)
        prefs = Prefs.parse(f"{left_right}:{establishment}:{recency}")
        prefs = Prefs(prefs.left_right, prefs.establishment, prefs.recency, chosen)
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(COOKIE, prefs.cookie(), max_age=365 * 86400, httponly=True, samesite="lax")
        return response

    @app.get("/feed.xml", include_in_schema=False)
    def feed(request: Request) -> Response:
        links = Links(base=str(request.base_url).rstrip("/"))
        body = atom_feed(reader.stories(limit=50), links, title)
        return Response(body, media_type="application/atom+xml; charset=utf-8", headers=PAGE_HEADERS)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(render_api_docs(app.openapi(), LINKS, title))

    # --- JSON API ----------------------------------------------------------------------

    @app.get("/api/stories", summary="Stories, most significant first")
    def api_stories(limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict[str, Any]]:
        return [s.to_json() for s in reader.stories(limit=limit)]

    @app.get("/api/section/{slug}", summary="The stories of one section, most significant first")
    def api_section(slug: str, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict[str, Any]]:
        name = SECTION_SLUGS.get(slug)
        if name is None:
            raise HTTPException(404)
        return [s.to_json() for s in reader.section_stories(name, limit=limit)]

    @app.get("/api/story/{story_id}", summary="One composed story (Story JSON)")
    def api_story(story_id: str) -> dict[str, Any]:
        story = reader.story(story_id)
        if story is None:
            raise HTTPException(404)
        return story.to_json()

    @app.get("/api/storyline/{storyline_id}", summary="A storyline and its stories in time order")
    def api_storyline(storyline_id: str) -> dict[str, Any]:
        view = reader.storyline(storyline_id)
        if view is None:
            raise HTTPException(404)
        return view.to_json()

    @app.get("/api/articles", summary="Articles, newest first")
    def api_articles(outlet: str | None = None, story: str | None = None,
                     limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[dict[str, Any]]:
        return [a.to_json() for a in reader.articles(outlet=outlet, story_id=story, limit=limit)]

    @app.get("/api/outlets", summary="Outlets with lean and reliability, and where each figure comes from")
    def api_outlets() -> list[dict[str, Any]]:
        return [o.to_json() for o in reader.outlets()]

    @app.get("/api/blindspots", summary="Stories covered mostly by one side, strongest first")
    def api_blindspots() -> list[dict[str, Any]]:
        return [b.to_json() for b in reader.blind_spots()]

    @app.get("/api/forecasts", summary="Open forecast questions and the stories that link them")
    def api_forecasts() -> list[dict[str, Any]]:
        return [q.to_json() for q in reader.forecasts()]

    @app.get("/api/search", summary="Full-text search over stories and articles")
    async def api_search(request: Request, q: Annotated[str, Query(max_length=200)],
                         date_from: str | None = None,
                         date_to: str | None = None, outlet: str | None = None,
                         lean: str | None = None,
                         limit: Annotated[int, Query(ge=1, le=SEARCH_API_MAX_LIMIT)] = SEARCH_PAGE_SIZE,
                         page: Annotated[int, Query(ge=1, le=SEARCH_MAX_PAGE)] = 1) -> JSONResponse:
        deadline = time.monotonic() + SEARCH_DEADLINE_SECONDS  # from arrival: the wait in line counts
        call = functools.partial(reader.search_result, q, date_from=date_from, date_to=date_to,
                                 outlet=outlet, lean=lean, limit=limit, page=page, deadline=deadline)
        result: SearchResult = await in_search_line(call)
        # the body stays a list of hits; a search that ran out of time before the oldest articles says
        # so in headers (see SearchResult), and one cut short by a busy server is not to be kept
        headers = {} if result.complete else {"X-Search-Complete": "false",
                                               "X-Search-Searched-To": result.searched_to or ""}
        if result.busy:
            headers |= {"X-Search-Busy": "true", **BUSY_HEADERS}
        if result.more:  # RFC 8288, as paged APIs say where the next page is
            following = request.url.include_query_params(page=page + 1)
            headers["Link"] = f'<{following.path}?{following.query}>; rel="next"'
        return JSONResponse([h.to_json() for h in result.hits], headers=headers)

    return app


def _warm(reader: Reader) -> None:
    """Compiles the templates and builds the outlet tables while the server starts, so the first reader
    of a story page does not wait for them. Best effort: a store that cannot be read yet is read later."""
    env = environment()
    for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
        env.get_template(name)
    try:
        reader.outlet_map()
        reader.lookup()
    except sqlite3.Error:
        pass


def app_from_environment() -> FastAPI:
    """The app factory of `newsprism serve`: the store named by DB_ENV, already migrated by the parent."""
    settings = Settings(site_title=os.environ.get(TITLE_ENV) or Settings().site_title)
    return create_app(os.environ[DB_ENV], settings, migrate=False)
