# ruff: noqa: E501  -- the article texts below are data; wrapping them would only make them harder to read
"""A real SQLite store for the publish tests: the seed's Tokyo summit and Seoul visit as one storyline,
an unrelated story the left did not cover, and a hostile story whose every field tries to inject markup.

Articles go in through `Store.add_article`; stories are hand-written `types.Story` objects stored as the
composer stores them (`stories.composed` = `Story.to_json()`), so the publisher reads only the store.
"""

from __future__ import annotations

import json
from pathlib import Path

from newsprism.evaluation.outlets_table import COMPUTED_SOURCE, IDIAP_SOURCE
from newsprism.forecasts import ProbabilityPoint, Question, upsert_questions
from newsprism.outlets import Figure, OutletProfile, read_ratings, save_profiles, store_leans
from newsprism.store import Store, add_story_search
from newsprism.types import (
    Article,
    ArticleRef,
    Claim,
    ClaimToWatch,
    Coverage,
    Disagreement,
    Evidence,
    Fact,
    Forecast,
    Narrative,
    OutletRef,
    Quote,
    Story,
    TimelineEvent,
    content_id,
)

HOSTILE = '<script>alert("x")</script>'
HOSTILE_TITLE = f'{HOSTILE}<img src=x onerror=alert("title")> Hostile headline'
HOSTILE_OUTLET = '<script>alert("outlet")</script><b onmouseover=alert(1)>Evil Outlet</b>'
HOSTILE_URL = "javascript:alert('url')"

TOMAHAWK_URL = "https://www.metaculus.com/questions/12345/japan-tomahawk-test/"
HOSTILE_QUESTION = f"{HOSTILE} Will <b onmouseover=alert(2)>javascript:alert(1)</b> happen?"
# Stored through `upsert_questions`, as `newsprism forecasts import` stores them; the story's linked
# forecast (below) carries the first question's title and URL, as `link_story_forecasts` writes it.
QUESTIONS = (
    Question(
        "metaculus:12345", "metaculus", "Will Japan test a Tomahawk missile before July 2027?", TOMAHAWK_URL,
        "open", "2023-03-16T08:00:00Z", resolution_date="2027-07-01", probability=0.72,
        history=(ProbabilityPoint("2023-03-01T00:00:00Z", 0.65), ProbabilityPoint("2023-03-16T00:00:00Z", 0.72)),
    ),
    Question("manifold:evil", "manifold", HOSTILE_QUESTION, "javascript:alert('q')", "open",
             "2023-04-02T00:00:00Z", probability=0.1),
    Question("polymarket:closed", "polymarket", "Will the summit be held in 2023?", None, "closed",
             "2023-03-17T00:00:00Z", probability=1.0),
)
RATINGS = Path(__file__).parent / "data" / "publish" / "ratings.csv"


def _computed(score: float, uncertainty: float | None = None, count: int | None = None) -> Figure:
    return Figure("lean_score", score, COMPUTED_SOURCE, "computed", uncertainty, count)


def _idiap(value: float) -> Figure:
    return Figure("reliability", value, IDIAP_SOURCE, "default")


def _establishment(value: float) -> Figure:
    return Figure("establishment", value, "publish fixture", "imported")


# What `newsprism outlets train` would compute (same source names, so they replace the shipped figures),
# written through `save_profiles`; Global Times and the WSJ's lean then come from an import (RATINGS).
PROFILES = (
    OutletProfile("The Guardian", ("theguardian.com",), country="GB",
                  figures=(_computed(-0.62, 0.08, 412), _idiap(0.87), _establishment(0.3))),
    OutletProfile("Global Times", ("globaltimes.cn",), figures=(_establishment(-0.9),)),
    OutletProfile("Yonhap", ("yna.co.kr",), country="KR",
                  figures=(_computed(0.02, 0.2, 88), _idiap(0.82), _establishment(0.6))),
    OutletProfile("NHK World", ("nhk.or.jp",), figures=(_computed(-0.05, 0.15, 40), _establishment(0.8))),
    OutletProfile("The Wall Street Journal", ("wsj.com",),
                  figures=(_computed(-0.15, 0.02, 347), _idiap(0.9), _establishment(0.7))),
    OutletProfile("Fox News", ("foxnews.com",),
                  figures=(_computed(0.78, 0.01, 3588), _idiap(0.55), _establishment(-0.2))),
    OutletProfile("The Washington Times", ("washingtontimes.com",),
                  figures=(_computed(0.66, 0.03, 590), _idiap(0.6))),
)
# The lean bucket each outlet ends with (the WSJ's import moves it from center to right).
LEANS = {
    "The Guardian": "left",
    "Global Times": "left",
    "Yonhap": "center",
    "NHK World": "center",
    "The Wall Street Journal": "right",
    "Fox News": "right",
    "The Washington Times": "right",
}

TOKYO = [
    (
        "Yonhap",
        "2023-03-16T09:00:00+09:00",
        "Yoon, Kishida agree to restore shuttle diplomacy in Tokyo summit",
        "South Korean President Yoon Suk Yeol met Japanese Prime Minister Fumio Kishida in Tokyo on Thursday for a "
        'summit to repair historically strained relations. The two leaders agreed to restore "shuttle diplomacy". '
        "It is the first formal meeting between the leaders of the two countries since 2011. "
        '"We have opened a new chapter," Yoon said at a joint press conference.',
    ),
    (
        "NHK World",
        "2023-03-16T12:00:00+09:00",
        "Japan, South Korea to resume security dialogue",
        "Prime Minister Fumio Kishida met South Korean President Yoon Suk Yeol in Tokyo. "
        "The two leaders are preparing to announce the resumption of a bilateral security dialogue, which has been "
        "suspended since 2018. Japan also removed the 2019 export restrictions on some key materials to South Korea.",
    ),
    (
        "The Wall Street Journal",
        "2023-03-16T15:00:00+00:00",
        "Japan and South Korea mend ties as threats mount",
        "Japan and South Korea have no other option than to ease tensions as they face mounting threats from North "
        "Korea and a rising China. North Korea test-fired an intercontinental ballistic missile hours before the "
        "summit. The meeting was the first formal summit in 12 years.",
    ),
    (
        "Fox News",
        "2023-03-16T18:00:00+00:00",
        "North Korea fires ICBM as Yoon lands in Tokyo",
        "North Korea test-fired an intercontinental ballistic missile for the second time this month. "
        "The missile reportedly fell into waters west of Japan. Seoul withdrew its complaint filed with the World "
        "Trade Organization.",
    ),
    (
        "Global Times",
        "2023-03-17T08:00:00+08:00",
        "Yoon's Tokyo trip means little for ties",
        "Historical disputes between Seoul and Tokyo will not cease overnight as they are rooted deeply in both "
        "nations. Yoon risks infuriating domestic public opinion by bowing to the US-Japan strategy against China.",
    ),
    (
        "The Guardian",
        "2023-03-16T20:00:00+00:00",
        "South Korea and Japan renew ties at fence-mending summit",
        "South Korean President Yoon Suk Yeol met Fumio Kishida in Tokyo for a summit to repair historically "
        'strained relations. Kishida vowed to adhere to the 1998 declaration expressing "deep remorse" for Japan\'s '
        "colonial rule. Critics in Seoul said the labor compensation plan lets Japanese firms off the hook. "
        "It is speculated that Japanese leadership may invite the South Korean president to the G7 summit in "
        "Hiroshima in May.",
    ),
]

SEOUL = [
    (
        "Yonhap",
        "2023-05-07T10:00:00+09:00",
        "Kishida arrives in Seoul for reciprocal visit",
        "Japanese Prime Minister Fumio Kishida arrived in Seoul on Sunday for a two-day visit. "
        "The visit completes the resumption of shuttle diplomacy agreed in Tokyo in March. "
        "Kishida said his heart aches for those who suffered under colonial rule.",
    ),
    (
        "The Guardian",
        "2023-05-07T14:00:00+00:00",
        "Kishida expresses sympathy over colonial-era suffering",
        "Fumio Kishida arrived in Seoul on Sunday and said his heart aches for those who suffered under colonial "
        "rule. He stopped short of a fresh apology.",
    ),
    (
        "The Wall Street Journal",
        "2023-05-07T16:00:00+00:00",
        "Japan's Kishida visits Seoul to cement thaw",
        "Fumio Kishida arrived in Seoul on Sunday for a two-day visit. The leaders discussed North Korea's missile "
        "programme and semiconductor supply chains.",
    ),
]

BLIND = [
    (
        "Fox News",
        "2023-05-06T09:00:00+00:00",
        "Pentagon weighs new missile defense budget",
        "The Pentagon is weighing a larger missile defense budget for the Pacific. Officials cited North Korea's "
        "repeated launches.",
    ),
    (
        "The Wall Street Journal",
        "2023-05-06T11:00:00+00:00",
        "Missile defense spending set to rise",
        "Missile defense spending is set to rise as the Pentagon weighs a larger budget for the Pacific.",
    ),
    (
        "The Washington Times",
        "2023-05-06T13:00:00+00:00",
        "Pacific missile shield gets a bigger budget",
        "The Pacific missile shield is getting a bigger budget. The Pentagon is weighing a larger missile defense "
        "budget for the Pacific.",
    ),
]


def _article(outlet: str, published: str, title: str, text: str, url: str | None = None) -> Article:
    return Article(
        id=content_id(title, text),
        title=title,
        text=text,
        outlet=outlet,
        url=url or f"https://example.org/{content_id(title, text)}",
        published=published,
        paragraphs=(text,),
    )


def _ev(article: Article, sentence: str) -> Evidence:
    start = article.text.index(sentence)
    return Evidence(
        article=article.id, start=start, end=start + len(sentence), text=sentence, outlet=article.outlet
    )


def _ref(article: Article) -> ArticleRef:
    lean = LEANS.get(article.outlet or "")
    return ArticleRef(
        id=article.id,
        title=article.title,
        outlet=article.outlet,
        published=article.published,
        url=article.url,
        lean=str(lean) if lean else None,
    )


def _coverage(articles: list[Article]) -> Coverage:
    counts = {"left": 0, "center": 0, "right": 0, "unknown": 0}
    for article in articles:
        counts[LEANS.get(article.outlet or "", "unknown")] += 1
    return Coverage(**counts)


def tokyo_story(a: list[Article]) -> Story:
    yon, nhk, wsj, fox, gt, gdn = a
    return Story(
        id="s-tokyo-2023",
        headline="South Korea, Japan Renew Ties At Tokyo 'Fence-Mending' Summit",
        date="2023-03-16",
        lead="Yoon Suk Yeol and Fumio Kishida met in Tokyo to repair strained relations.",
        storyline="sl-korea-japan",
        coverage=_coverage(a),
        facts=(
            Fact(
                "South Korean Pres. Yoon Suk Yeol met Japanese Prime Minister Fumio Kishida in Tokyo for a summit "
                "to repair historically strained relations.",
                2,
                (_ev(yon, yon.text.split(". ")[0] + "."), _ev(gdn, gdn.text.split(". ")[0] + ".")),
                ("Yonhap", "The Guardian"),
                1.0,
            ),
            Fact(
                'They agreed to restore "shuttle diplomacy".',
                1,
                (_ev(yon, 'The two leaders agreed to restore "shuttle diplomacy".'),),
                ("Yonhap",),
                0.9,
            ),
            Fact(
                "The two leaders are preparing to resume a bilateral security dialogue suspended since 2018.",
                1,
                (_ev(nhk, nhk.text.split(". ")[1] + "."),),
                ("NHK World",),
                0.8,
            ),
            Fact(
                "North Korea test-fired an intercontinental ballistic missile hours before the summit.",
                2,
                (
                    _ev(
                        wsj,
                        "North Korea test-fired an intercontinental ballistic missile hours before the summit.",
                    ),
                    _ev(
                        fox,
                        "North Korea test-fired an intercontinental ballistic missile for the second time this "
                        "month.",
                    ),
                ),
                ("The Wall Street Journal", "Fox News"),
                0.7,
            ),
            Fact(
                "Japan removed the 2019 export restrictions and Seoul withdrew its WTO complaint.",
                2,
                (
                    _ev(
                        nhk,
                        "Japan also removed the 2019 export restrictions on some key materials to South Korea.",
                    ),
                    _ev(fox, "Seoul withdrew its complaint filed with the World Trade Organization."),
                ),
                ("NHK World", "Fox News"),
                0.6,
            ),
        ),
        narratives=(
            Narrative(
                "Narrative A",
                "Historical disputes between Seoul and Tokyo will not cease overnight, so this "
                "summit means little; by bowing to the US-Japan strategy against China, Yoon risks "
                "infuriating domestic opinion.",
                (OutletRef("Global Times", "left", -0.45), OutletRef("The Guardian", "left", -0.62)),
                (_ev(gt, gt.text.split(". ")[0] + "."),),
            ),
            Narrative(
                "Narrative B",
                "Japan and South Korea have no other option than to ease tensions as they face "
                "mounting threats from North Korea and a rising China.",
                (OutletRef("The Wall Street Journal", "right", 0.41),),
                (_ev(wsj, wsj.text.split(". ")[0] + "."),),
            ),
        ),
        quotes=(
            Quote(
                "Yoon Suk Yeol",
                "We have opened a new chapter,",
                yon.id,
                yon.text.index("We have"),
                yon.text.index("We have") + 29,
                "Yonhap",
            ),
        ),
        disagreements=(
            Disagreement(
                "number",
                "Years since the last formal summit",
                (
                    Claim("first formal meeting since 2011", "2011", _ev(yon, yon.text.split(". ")[2] + ".")),
                    Claim(
                        "the first formal summit in 12 years",
                        "12 years",
                        _ev(wsj, "The meeting was the first formal summit in 12 years."),
                    ),
                ),
                "Both place the last summit in 2011.",
            ),
        ),
        timeline=(
            TimelineEvent(
                "2018", "Bilateral security dialogue suspended.", _ev(nhk, nhk.text.split(". ")[1] + ".")
            ),
            TimelineEvent(
                "2023-03-16", "Yoon and Kishida meet in Tokyo.", _ev(yon, yon.text.split(". ")[0] + ".")
            ),
        ),
        forecasts=(
            Forecast(
                "Will Japan test a Tomahawk missile before July 2027?",
                0.72,
                "Metaculus",
                TOMAHAWK_URL,
                "2023-03-16",
                "There's a 72% chance that the Japan Self-Defense Forces will have tested a Tomahawk "
                "missile by mid-2027, according to the Metaculus prediction community.",
                0.8,
            ),
        ),
        claims_to_watch=(
            ClaimToWatch(
                "Japanese leadership may invite the South Korean president to the G7 summit in Hiroshima in May.",
                "2023-05",
                _ev(gdn, gdn.text[gdn.text.index("It is speculated") :]),
            ),
        ),
        articles=tuple(_ref(x) for x in a),
    )


def seoul_story(a: list[Article]) -> Story:
    yon, gdn, wsj = a
    return Story(
        id="s-seoul-2023",
        headline="Kishida Visits Seoul, Completing Return of Shuttle Diplomacy",
        date="2023-05-07",
        lead="Japan's prime minister made the reciprocal visit agreed in Tokyo.",
        storyline="sl-korea-japan",
        coverage=_coverage(a),
        facts=(
            Fact(
                "Fumio Kishida arrived in Seoul on Sunday for a two-day visit.",
                2,
                (_ev(yon, yon.text.split(". ")[0] + "."), _ev(wsj, wsj.text.split(". ")[0] + ".")),
                ("Yonhap", "The Wall Street Journal"),
                1.0,
            ),
            Fact(
                "Kishida said his heart aches for those who suffered under colonial rule.",
                2,
                (_ev(yon, yon.text.split(". ")[2]), _ev(gdn, gdn.text.split(". ")[0] + ".")),
                ("Yonhap", "The Guardian"),
                0.8,
            ),
        ),
        narratives=(),
        quotes=(),
        disagreements=(),
        timeline=(),
        single_framing=True,
        articles=tuple(_ref(x) for x in a),
    )


def blind_story(a: list[Article]) -> Story:
    fox, wsj, wt = a
    return Story(
        id="s-missile-budget",
        headline="Pentagon Weighs Bigger Pacific Missile Defense Budget",
        date="2023-05-06",
        lead="Missile defense spending is set to rise.",
        coverage=_coverage(a),
        facts=(
            Fact(
                "The Pentagon is weighing a larger missile defense budget for the Pacific.",
                2,
                (_ev(fox, fox.text.split(". ")[0] + "."), _ev(wsj, wsj.text), _ev(wt, wt.text.split(". ")[1])),
                ("Fox News", "The Wall Street Journal", "The Washington Times"),
                1.0,
            ),
        ),
        narratives=(),
        quotes=(),
        disagreements=(),
        timeline=(),
        articles=tuple(_ref(x) for x in a),
    )


def hostile_story(a: Article) -> Story:
    sentence = a.text.split(". ")[0] + "."
    ev = _ev(a, sentence)
    return Story(
        id="s-hostile",
        headline=HOSTILE_TITLE,
        date="2023-01-02",
        lead=f"Lead {HOSTILE} javascript:alert(1)",
        coverage=Coverage(unknown=1),
        facts=(Fact(f"Fact {HOSTILE}", 1, (ev,), (HOSTILE_OUTLET,)),),
        narratives=(
            Narrative(
                "Narrative A",
                f"Narrative <iframe src=javascript:alert(2)> {HOSTILE}",
                (OutletRef(HOSTILE_OUTLET),),
                (ev,),
            ),
        ),
        quotes=(Quote(HOSTILE, f"quote {HOSTILE}", a.id, ev.start, ev.end, HOSTILE_OUTLET),),
        disagreements=(),
        timeline=(TimelineEvent("2023-01-02", f"event {HOSTILE}", ev),),
        forecasts=(Forecast(HOSTILE, 0.5, HOSTILE, HOSTILE_URL, None, f"forecast {HOSTILE}"),),
        articles=(ArticleRef(a.id, a.title, a.outlet, a.published, a.url),),
    )


def _insert_story(store: Store, story: Story, articles: list[Article]) -> None:
    published = sorted(a.published or "" for a in articles)
    with store.transaction() as db:
        db.execute(
            "INSERT INTO stories (id, storyline_id, first_published, last_published, composed, dirty)"
            " VALUES (?,?,?,?,?,0)",
            (
                story.id,
                story.storyline,
                published[0],
                published[-1],
                json.dumps(story.to_json(), ensure_ascii=False),
            ),
        )
        for article in articles:
            db.execute(
                "INSERT INTO story_articles (story_id, article_id, score) VALUES (?,?,1.0)",
                (story.id, article.id),
            )
        body = " ".join(
            [story.lead, *(f.text for f in story.facts), *(n.statement for n in story.narratives)]
        )
        add_story_search(db, story.id, story.headline, body)


def build_store(path: Path) -> Path:
    """Writes the fixture store at `path` and returns it."""
    with Store(path) as store:
        save_profiles(store, PROFILES)
        save_profiles(store, read_ratings(RATINGS))  # the import path of `newsprism outlets import`
        upsert_questions(store, QUESTIONS)
        with store.transaction() as db:
            db.execute(
                "INSERT INTO storylines (id, title, data) VALUES (?,?,?)",
                ("sl-korea-japan", "Japan–South Korea thaw", "{}"),
            )
        groups = []
        for rows, make in ((TOKYO, tokyo_story), (SEOUL, seoul_story), (BLIND, blind_story)):
            articles = [_article(*row) for row in rows]
            groups.append((make(articles), articles))
        hostile = _article(
            HOSTILE_OUTLET,
            "2023-01-02T00:00:00+00:00",
            HOSTILE_TITLE,
            f'Body {HOSTILE} with <a href="javascript:alert(3)">a link</a>. More text here.',
            url=HOSTILE_URL,
        )
        groups.append((hostile_story(hostile), [hostile]))
        for story, articles in groups:
            for article in articles:
                store.add_article(article, source="fixture")
            _insert_story(store, story, articles)
        store_leans(store)  # the leans ingest's writer stores with each article (0021_article_lean)
    return path


def test_fixture_round_trips_through_the_store(tmp_path: Path) -> None:
    path = build_store(tmp_path / "fixture.db")
    with Store(path) as store:
        assert store.article_count() == len(TOKYO) + len(SEOUL) + len(BLIND) + 1
        composed = store.connection.execute(
            "SELECT composed FROM stories WHERE id='s-tokyo-2023'"
        ).fetchone()[0]
        story = Story.from_json(json.loads(composed))
        for fact in story.facts:
            for ev in fact.evidence:
                assert store.get_article(ev.article).text[ev.start : ev.end] == ev.text
