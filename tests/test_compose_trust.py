"""Facts you can trust on messy input: hard-wrapped text rejoined, datelines cut off and kept, page
furniture and opinion never facts, whole sentences under a word budget (fixtures made here)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

from newsprism.analyse import split_sentences
from newsprism.cli import main
from newsprism.compose import compose, summarize
from newsprism.compose._furniture import furniture_reason
from newsprism.compose._opinion import opinion_article, voice_of
from newsprism.types import Article

_EVENT = (
    "Cambodian leader Hun Sen on Friday rejected opposition demands that talks on a new government be held "
    "outside the country, accusing them of trying to internationalize the political crisis. Government and "
    "opposition parties have asked King Norodom Sihanouk to host a summit meeting after a series of "
    "post-election protests in Phnom Penh turned violent. The opposition leaders said they feared for "
    "their safety in Cambodia."
)


def test_hard_wrapped_lines_rejoin_into_sentences_with_exact_offsets() -> None:
    for joiner in ("\n", "\n\n"):
        text = textwrap.fill(_EVENT, 62).replace("\n", joiner)
        spans = split_sentences(text)
        assert len(spans) == 3
        for span in spans:
            assert text[span.start : span.end] == span.text
            flat = " ".join(span.text.split())
            assert flat[0].isupper() and flat.endswith(".")


def test_a_heading_line_stays_apart_from_the_body() -> None:
    spans = split_sentences("Talks collapse in Phnom Penh\nThe opposition walked out on Friday.")
    assert [s.text for s in spans] == ["Talks collapse in Phnom Penh", "The opposition walked out on Friday."]


def test_datelines_are_cut_off_and_kept_as_place_and_agency() -> None:
    text = ("LONDON (AP) — The prime minister resigned on Monday.\n\n"
            "WASHINGTON (Reuters) - Officials met.\n\n(CNN)Police said three people died.\n\n"
            "BEIRUT, Lebanon — A blast hit the port.")
    spans = split_sentences(text)
    assert [(s.text, s.place, s.agency) for s in spans] == [
        ("The prime minister resigned on Monday.", "London", "AP"),
        ("Officials met.", "Washington", "Reuters"),
        ("Police said three people died.", None, "CNN"),
        ("A blast hit the port.", "Beirut, Lebanon", None),
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_furniture_is_recognised_and_news_is_not() -> None:
    for text in (
        "Image copyright PA Image caption Boris Johnson spoke outside Downing Street",
        "CLOSE Scientists say the ice shelf is melting faster than thought.",
        "These crawls are part of an effort to archive pages as they are created and archive the pages.",
        "The bill passed (Also on POLITICO: Trump signs executive order) after a long debate.",
        "Sign up for our daily newsletter to get the news in your inbox.",
        "Editor's note: This story has been updated to include a statement from the mayor.",
        "An earlier version of this article misstated the number of victims.",
        "Associated Press writer Jane Doe contributed to this report.",
    ):
        assert furniture_reason(text), text
    for text in ("The senate passed the bill 52-48 on Tuesday.", "Police said the photo was taken in 2019.",
                 "The company will publish its results in March."):
        assert furniture_reason(text) is None, text


def test_opinion_articles_and_voices() -> None:
    assert opinion_article(Article(id="o1", title="Op-Ed: Why mask mandates fail", text="x"))
    assert opinion_article(Article(id="o2", title="Masks", text="x", url="https://ex.com/opinion/2021/masks"))
    assert opinion_article(Article(id="o3", title="Masks", text="x", extra={"opinionTag": "OPINION"}))
    assert opinion_article(Article(id="o4", title="Masks", text="x", extra={"opinionTag": "None"})) is None
    assert opinion_article(Article(id="o5", title="Masks required in schools", text="x",
                                   url="https://ex.com/news/2021/masks")) is None
    assert voice_of("Imagine if you took your car into the shop and it came back worse.") == "imperative"
    assert voice_of("Is this really what voters wanted?") == "question"
    assert voice_of("We must not let this stand.") == "first person"
    assert voice_of("The mayor said “we will rebuild” on Tuesday.") is None
    assert voice_of("Just days later, the US court ruled against the plan.") is None


def _articles() -> list[Article]:
    news = [
        ("a1", "Outlet A", "Council passes city budget",
         "BOSTON (AP) — The city council approved a $2 billion budget on Tuesday by a vote of 9 to 4.\n\n"
         "Image copyright AP Image caption Council members voted late on Tuesday evening in the chamber\n\n"
         "The budget raises spending on schools by 5 percent and cuts the police overtime budget.\n\n"
         "Sign up for our newsletter to get the latest city news in your inbox every morning."),
        ("a2", "Outlet B", "Boston council approves $2 billion budget",
         "The Boston city council approved a $2 billion budget on Tuesday in a 9-4 vote.\n\n"
         "The plan raises school spending by 5 percent and trims police overtime.\n\n"
         "Read more: How the council spent last year's surplus on parks and new buses"),
    ]
    out = [Article(id=i, title=t, text=x, outlet=o) for i, o, t, x in news]
    out.append(Article(id="a3", outlet="Outlet C", title="Opinion: The council's budget is a disaster",
                       text="The city council approved a budget on Tuesday that will ruin the city. "
                            "Imagine if you ran your household this way. We deserve better."))
    return out


def test_facts_are_whole_sentences_without_furniture_opinion_or_dateline() -> None:
    articles = _articles()
    story = compose(articles)
    assert story.facts
    for fact in story.facts:
        assert furniture_reason(fact.text) is None and voice_of(fact.text) is None
        assert not fact.text.startswith("BOSTON") and fact.text[0].isupper()
        assert all(e.article != "a3" for e in fact.evidence), "an op-ed is no source of facts"
        for ev in fact.evidence:
            assert next(a for a in articles if a.id == ev.article).text[ev.start : ev.end] == ev.text
    assert next(r for r in story.articles if r.id == "a1").place == "Boston"
    assert next(r for r in story.articles if r.id == "a1").agency == "AP"
    assert not story.headline.lower().startswith("opinion")


def test_word_budget_takes_whole_sentences_only() -> None:
    articles = _articles()
    sentences = {" ".join(s.text.split()) for a in articles for s in split_sentences(a.text)}
    for budget in (3, 12, 20, 25, 40):
        facts = summarize(articles, budget)
        assert facts
        if budget >= min(len(s.split()) for s in facts):
            assert sum(len(f.split()) for f in facts) <= budget
        else:  # no whole sentence fits: one, whole, rather than nothing
            assert len(facts) == 1
        for fact in facts:
            assert any(fact in s or s in fact for s in sentences), fact  # never a cut sentence
            assert fact.endswith(".")


def test_cli_max_words_json_prints_the_story(tmp_path: Path) -> None:
    for a in _articles()[:2]:
        (tmp_path / f"{a.id}.json").write_text(json.dumps({"title": a.title, "text": a.text,
                                                           "outlet": a.outlet}), "utf-8")
    out = CliRunner().invoke(main, ["summarize", str(tmp_path), "--max-words", "25", "--json"])
    assert out.exit_code == 0, out.output
    story = json.loads(out.output)
    assert isinstance(story, dict) and story["headline"]
    assert sum(len(f["text"].split()) for f in story["facts"]) <= 25 and story["facts"]


def test_headline_is_never_an_opinion_or_loaded_title() -> None:
    from newsprism.compose._headline import compress_sentence, headline_problems

    body = ("The Food and Drug Administration approved a booster shot for adults over 65 on Wednesday. "
            "The agency said the booster can be given six months after the second dose.")
    articles = [
        Article(id="h1", outlet="A", title="Op-Ed: Why the booster mandate is a disaster", text=body),
        Article(id="h2", outlet="B", title="FDA caves, rams through shocking booster approval", text=body),
        Article(id="h3", outlet="C", title="Opinion | Boosters are a scam", text=body,
                url="https://ex.com/opinion/boosters"),
    ]
    story = compose(articles)
    assert story.headline and story.headline not in {a.title for a in articles}
    assert not headline_problems(story.headline)
    assert "booster" in story.headline.lower()
    assert compress_sentence("On Monday, the court ruled that the law stands, officials said.") == (
        "The court ruled that the law stands")


def test_page_shaped_text_is_never_a_fact() -> None:
    from newsprism.compose._furniture import fragment_reason

    # lines a scraper's text of real pages gave (fundus: Mirror, Telegraph, i, Free Beacon, Intercept, BBC)
    page = {
        "Our PartnersSports Betting & CasinoBeauty Box SubscriptionMirror BingomynewsassistantCrosswords":
            "run-together blocks",
        "Office for Budget Responsibility: What is the OBR and what does it do?Getty ImagesThe Office for "
        "Budget Responsibility (OBR) monitors the UK government's spending plans.": "run-together blocks",
        "Homeexpand_circle_down Newsexpand_circle_down UKexpand_circle_down": "markup",
        "Chelsea make move for Man City forward Cole Palmer By John Percy 30 Aug 2023, 4:40pm It's not "
        "racist to criticise the violence of Notting Hill Carnival": "time stamp",
        "Nikita Mazurov February 28 2024, 9:54 a.m.": "time stamp",
        "Tim Rice January 11, 2023 Biden Administration WATCH: Joe Biden's Senior Moment of the Week (Vol.":
            "menu",
    }
    for text, reason in page.items():
        assert fragment_reason(text) == reason, text
    for news in ("President Joe Biden and Vice President Kamala Harris met Prime Minister Fumio Kishida "
                 "in Tokyo on Monday.", "The McDonald's iPhone app was pulled from YouTube at 9:30 a.m. on "
                 "Monday.", _EVENT):
        assert fragment_reason(news) is None, news
    menu = "Journal Staff About the Editors Journal Information Our publishing models Editorial Values"
    text = f"{menu}\n\n{_EVENT}"
    facts = summarize([Article(id="p1", title="Hun Sen rejects talks abroad", text=text)], 80)
    assert facts and not any("Journal" in f for f in facts)


def test_a_single_source_story_is_headed_by_its_clean_title_never_a_pronoun() -> None:
    body = ("It was built deliberately over three years. The new bridge over the Danube at Braila opened "
            "to traffic on Thursday, linking Romania's south-east with the Black Sea coast.")
    title = "Romania opens the longest suspension bridge over the Danube"
    story = compose([Article(id="b1", outlet="A", title=title, text=body)])
    assert story.headline == title
    # a loaded title is passed over, and the compressed fact never starts with a pronoun
    story = compose([Article(id="b2", outlet="A", title="Shocking bridge fiasco finally ends", text=body)])
    assert story.headline and story.headline != "Shocking bridge fiasco finally ends"
    assert not story.headline.lower().startswith(("it ", "this ", "he ", "she ", "they "))
    assert "bridge" in story.headline.lower()


def test_a_cut_off_aggregator_title_heads_the_page_only_to_its_last_whole_clause() -> None:
    # the real UCI row (Google News, 11 March 2014) that headed a demo story as "...Value News: Mt"
    row = next(json.loads(line) for line in
               (Path(__file__).parents[1] / "data" / "uci-news-aggregator" / "headlines.jsonl").open()
               if '"uci-1216"' in line)
    assert row["title"].endswith("...")
    article = Article(id=row["id"], outlet=row["outlet"], title=row["title"], text=row["text"])
    assert [s.text for s in split_sentences(row["text"])] == [row["text"]]  # "Mt. Gox" is one name
    headline = compose([article]).headline
    assert headline == "Bitcoin Exchange, Currency, and Value News: Mt. Gox Hacked"
    assert [s.text for s in split_sentences("Officials met Gov. Newsom on Monday. He signed it.")] == [
        "Officials met Gov. Newsom on Monday.", "He signed it."]


def test_a_headline_ending_in_an_initialism_keeps_its_full_stops() -> None:
    from newsprism.compose._headline import without_full_stop

    # the demo's Mt. Gox story was headed "Mt. Gox files for Chapter 15 in U.S"
    body = "Mt. Gox filed for Chapter 15 bankruptcy protection in a Dallas court on Monday."
    title = "Mt. Gox files for Chapter 15 in U.S."
    story = compose([Article(id="g1", outlet="Reuters", title=title, text=body)])
    assert story.headline == "Mt. Gox files for Chapter 15 in U.S."
    assert without_full_stop("The court ruled.") == "The court ruled"
