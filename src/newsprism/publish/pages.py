"""Page renderers: (reader, links, …) -> HTML. The live app and the static export both call these."""

from __future__ import annotations

import urllib.parse
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from newsprism.outlets import FactCoverage, fact_coverage, facts_left_out
from newsprism.publish.filters import RELIABILITY_LEVELS, FilterView
from newsprism.publish.prefs import Prefs, order_articles
from newsprism.publish.queries import (
    BLIND_SPOT_MIN_OUTLETS,
    BLIND_SPOT_THRESHOLD,
    BLIND_SPOT_WINDOW,
    DayView,
    OutletView,
    Reader,
    SearchHit,
    SearchResult,
    StoryRow,
)
from newsprism.publish.render import Links, environment, human_date
from newsprism.sections import SECTIONS, slug
from newsprism.types import ArticleRef, Coverage, Evidence, OutletRef, Story

__all__ = [
    "SearchForm",
    "render_api_docs",
    "render_archive",
    "render_blindspots",
    "render_day",
    "render_forecasts",
    "render_front",
    "render_outlet",
    "render_outlets",
    "render_prefs",
    "render_search",
    "render_search_result",
    "render_section",
    "render_story",
    "render_storyline",
]

FRONT_LIMIT = 60
# the front page's sections: the top stories, then this many more of each section
FRONT_TOP = 8
FRONT_PER_SECTION = 5
SECTION_LIMIT = 60


@dataclass(frozen=True)
class SectionGroup:
    """One section's block on the front page (or tab): its name, URL slug, stories and live count."""

    name: str
    slug: str
    stories: tuple[StoryRow, ...]
    count: int


@dataclass(frozen=True)
class SearchForm:
    q: str = ""
    date_from: str = ""
    date_to: str = ""
    outlet: str = ""
    lean: str = ""
    page: int = 1

    def query_string(self, page: int) -> str:
        """This search's URL query for `page`: the filters that are set, and the page when not the first."""
        fields = {"q": self.q, "date_from": self.date_from, "date_to": self.date_to, "outlet": self.outlet,
                  "lean": self.lean}
        pairs = [(k, v) for k, v in fields.items() if v] + ([("page", str(page))] if page > 1 else [])
        return urllib.parse.urlencode(pairs)


@dataclass(frozen=True)
class SourceChip:
    """One source of a fact: an outlet and the exact sentences it was taken from."""

    outlet: str
    lean: str | None
    article: ArticleRef | None
    sentences: tuple[str, ...]


def _render(name: str, links: Links, site_title: str, **context: object) -> str:
    return environment().get_template(name).render(links=links, site_title=site_title, **context)


def _view(reader: Reader, prefs: Prefs) -> FilterView:
    return FilterView(prefs.filters, reader.outlet_map() if prefs.filters.active else {})


def render_front(reader: Reader, links: Links, site_title: str, prefs: Prefs = Prefs()) -> str:
    """The top stories, then a block per section (its most significant stories not shown above); what
    the reader's filters hide (cookie: sections, outlets, keywords) is left out of both."""
    view = _view(reader, prefs)
    stories, hidden = view.stories(reader.stories(limit=FRONT_LIMIT))
    top = stories[:FRONT_TOP]
    shown = {s.id for s in top}
    groups = []
    counts = reader.section_counts()
    for name in SECTIONS:
        if name in prefs.hide_sections or not counts.get(name):
            continue
        listed, _ = view.stories(reader.section_stories(name, limit=FRONT_PER_SECTION + FRONT_TOP))
        more = [s for s in listed if s.id not in shown][:FRONT_PER_SECTION]
        groups.append(SectionGroup(name, slug(name), tuple(more), counts[name]))
    return _render("front.html", links, site_title, stories=top, groups=groups, title=site_title,
                   tabs=section_tabs(reader), section=None, hidden=hidden,
                   hidden_sections=sorted(prefs.hide_sections), latest_day=reader.latest_day())


def section_tabs(reader: Reader) -> list[tuple[str, str, int]]:
    """(name, slug, live stories) of each section that has stories, in SECTIONS order."""
    counts = reader.section_counts()
    return [(name, slug(name), counts[name]) for name in SECTIONS if counts.get(name)]


def render_section(reader: Reader, name: str, links: Links, site_title: str) -> str:
    """A section's page: its stories, most significant first (not filtered by the reader's cookie:
    who opens a section asks for it)."""
    stories = reader.section_stories(name, limit=SECTION_LIMIT)
    return _render("section.html", links, site_title, section=name, slug=slug(name), stories=stories,
                   tabs=section_tabs(reader), title=name)


def render_day(reader: Reader, view: DayView, links: Links, site_title: str, prefs: Prefs = Prefs()) -> str:
    """One day's edition: its stories by that day's coverage, the reader's filters applied."""
    articles = dict(zip((s.id for s in view.stories), view.day_articles, strict=True))
    stories, hidden = _view(reader, prefs).stories(view.stories)
    return _render("day.html", links, site_title, view=view, stories=stories, hidden=hidden,
                   day_articles=articles, title=human_date(view.day))


def render_archive(reader: Reader, links: Links, site_title: str) -> str:
    return _render("archive.html", links, site_title, months=reader.archive(), title="Archive")


def _chips(evidence: tuple[Evidence, ...], articles: dict[str, ArticleRef],
           stored: dict[str, str | None]) -> list[SourceChip]:
    """Groups a fact's evidence by outlet, so each chip opens all the sentences one outlet gave."""
    grouped: dict[str, list[Evidence]] = defaultdict(list)
    for item in evidence:
        ref = articles.get(item.article)
        grouped[item.outlet or (ref.outlet if ref else None) or "Unknown outlet"].append(item)
    chips = []
    for outlet, items in grouped.items():
        ref = articles.get(items[0].article)
        # the lean composed into the page, else (an outlet rated after it was composed) the stored one
        lean = (ref.lean if ref else None) or stored.get(outlet)
        sentences = tuple(dict.fromkeys(i.text for i in items))
        chips.append(SourceChip(outlet, lean, ref, sentences))
    return chips


@dataclass(frozen=True)
class FactReach:
    """Who reports one fact: its outlets (with lean), their bar, and the side when only one side does."""

    outlets: tuple[OutletRef, ...]
    coverage: Coverage
    only: str | None  # "left" | "right" when every rated outlet reporting it leans that way


def _reach(item: FactCoverage) -> FactReach:
    c = item.coverage
    sides = {side for side in ("left", "center", "right") if getattr(c, side)}
    only = next(iter(sides)) if len(sides) == 1 and "center" not in sides else None
    return FactReach(item.outlets, c, only)


def render_story(reader: Reader, story: Story, links: Links, site_title: str, prefs: Prefs) -> str:
    outlets = reader.outlet_map()
    # the registry, not the stored leans: a fact's outlets are names merged by canonical outlet
    lookup = reader.lookup()
    by_id = {a.id: a for a in story.articles}
    reach = [_reach(item) for item in fact_coverage(story, lookup)]
    stored = reader.article_leans()
    facts = [(fact, _chips(fact.evidence, by_id, stored), reach[i]) for i, fact in enumerate(story.facts)]
    # "Facts one side leaves out": only for a side that covers the story at all (else it is a blind spot)
    left_out = [(side, [story.facts[i] for i in facts_left_out(story, side, lookup)])
                for side in ("left", "right")]
    shown, hidden_articles = FilterView(prefs.filters, outlets).articles(story.articles)
    ordered = order_articles(shown, prefs, outlets)
    groups: dict[str | None, list[ArticleRef]] = defaultdict(list)
    for article in ordered:
        groups[article.lean or stored.get(article.outlet or "")].append(article)
    article_groups = [(lean, groups[lean]) for lean in prefs.lean_groups() if groups.get(lean)]
    storyline = reader.storyline_near(story.storyline, story.id) if story.storyline else None
    slugs = {o.name: o.slug for o in outlets.values()}
    return _render(
        "story.html", links, site_title, story=story, facts=facts, article_groups=article_groups,
        storyline=storyline, prefs=prefs, slugs=slugs, title=story.headline,
        left_out=[(side, items) for side, items in left_out if items], articles_by_id=by_id,
        hidden_articles=hidden_articles,
    )


def render_storyline(reader: Reader, storyline_id: str, links: Links, site_title: str,
                     prefs: Prefs = Prefs()) -> str | None:
    view = reader.storyline(storyline_id)
    if view is None:
        return None
    stories, hidden = _view(reader, prefs).stories(view.stories)
    return _render("storyline.html", links, site_title, storyline=view, stories=stories, hidden=hidden,
                   title=view.title)


def render_outlet(reader: Reader, outlet: OutletView, links: Links, site_title: str) -> str:
    articles = reader.articles(outlet=outlet.name)
    story_ids = dict.fromkeys(a.story_id for a in articles if a.story_id)
    stories = reader.story_rows(list(story_ids))
    return _render(
        "outlet.html", links, site_title, outlet=outlet, articles=articles, stories=stories,
        blind_spots=reader.blind_spots(outlet), title=outlet.name,
    )


def render_blindspots(reader: Reader, links: Links, site_title: str, prefs: Prefs = Prefs()) -> str:
    view = _view(reader, prefs)
    spots = reader.blind_spots()
    shown = [b for b in spots if not view.hides_story(b.story)]
    return _render(
        "blindspots.html", links, site_title, spots=shown, hidden=len(spots) - len(shown),
        threshold=BLIND_SPOT_THRESHOLD, min_outlets=BLIND_SPOT_MIN_OUTLETS, window=BLIND_SPOT_WINDOW,
        title="Blind spots",
    )


def render_forecasts(reader: Reader, links: Links, site_title: str) -> str:
    return _render("forecasts.html", links, site_title, questions=reader.forecasts(), title="Forecasts")


def render_outlets(reader: Reader, links: Links, site_title: str) -> str:
    return _render("outlets.html", links, site_title, outlets=reader.outlets(), title="Outlets")


def render_search(reader: Reader, form: SearchForm, links: Links, site_title: str,
                  prefs: Prefs = Prefs(), deadline: float | None = None) -> str:
    """The search page; `deadline` as `Reader.search_result` takes it."""
    return render_search_result(reader, form, links, site_title, prefs, deadline)[0]


def render_search_result(reader: Reader, form: SearchForm, links: Links, site_title: str,
                         prefs: Prefs = Prefs(), deadline: float | None = None) -> tuple[str, SearchResult]:
    """The search page and the result it shows (the app reads whether it was cut short)."""
    result = SearchResult(())
    if form.q.strip():
        result = reader.search_result(
            form.q, date_from=form.date_from or None, date_to=form.date_to or None,
            outlet=form.outlet or None, lean=form.lean or None, page=form.page, deadline=deadline,
        )
    hits: tuple[SearchHit, ...] = result.hits
    view = _view(reader, prefs)
    # a story hit is hidden by its headline; an article hit by its outlet or title
    shown = [h for h in hits if not (view.hides_title(h.title) or view.hides_outlet(h.outlet))]
    page = _render(
        "search.html", links, site_title, form=form, hits=shown, hidden=len(hits) - len(shown),
        outlets=reader.outlets(), title="Search", partial=result,
    )
    return page, result


def render_api_docs(openapi: dict[str, Any], links: Links, site_title: str) -> str:
    """The OpenAPI document as a plain page: each endpoint, its summary and its parameters."""
    endpoints = [
        (method.upper(), path, op.get("summary", ""), [p["name"] for p in op.get("parameters", [])])
        for path, ops in openapi.get("paths", {}).items()
        for method, op in ops.items()
    ]
    return _render("api.html", links, site_title, endpoints=endpoints, title="API")


def render_prefs(reader: Reader, links: Links, site_title: str, prefs: Prefs, next_url: str) -> str:
    # outlets with articles, most articles first: the ones a reader meets are at the top
    outlets = sorted((o for o in reader.outlets() if o.articles),
                     key=lambda o: (-o.articles, o.name.casefold()))
    return _render("prefs.html", links, site_title, prefs=prefs, next_url=next_url, title="Preferences",
                   outlets=outlets, levels=RELIABILITY_LEVELS,
                   sections=[(name, slug(name)) for name in SECTIONS])
