"""Fact quality on real data: ROUGE floors on MultiLing 2011 (CC BY, in the repo), and the promises that
make facts facts (exact evidence, no interpretation, no repeats, the calmer wording among paraphrases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.analyse import split_sentences
from newsprism.compose import ExtractiveComposer, compose, summarize
from newsprism.compose._facts import ranked_facts
from newsprism.compose._lexicon import is_interpretive
from newsprism.compose._units import build_units, source_groups
from newsprism.evaluation.rouge import rouge
from newsprism.evaluation.summarize import load_multiling
from newsprism.types import Article

MULTILING = Path(__file__).resolve().parents[1] / "data" / "multiling2011"


@pytest.fixture(scope="module")
def topics() -> list[tuple[list[Article], list[str]]]:
    return load_multiling(MULTILING, topics=3)


def test_multiling_rouge_floors(topics: list[tuple[list[Article], list[str]]]) -> None:
    scores = [rouge(" ".join(summarize(a, 250)), refs, max_words=250) for a, refs in topics]
    mean = {k: sum(s[k].f for s in scores) / len(scores) for k in ("1", "2", "SU4")}
    # measured on topics 0-2 (tuning topics): R1 .486, R2 .211, SU4 .236 (session 12: .472 / .200 / .227;
    # best published system .461 / .169 / .200). Weights were tuned leave-topics-out, see bench/compose.py.
    assert mean["1"] >= 0.475 and mean["2"] >= 0.205 and mean["SU4"] >= 0.23


def test_story_facts_are_plain_supported_and_distinct(topics: list[tuple[list[Article], list[str]]]) -> None:
    articles, _refs = topics[0]
    story = compose(articles)
    assert 4 <= len(story.facts) <= 10
    by_id = {a.id: a for a in articles}
    for fact in story.facts:
        assert fact.evidence and fact.sources >= 1
        for ev in fact.evidence:
            assert by_id[ev.article].text[ev.start : ev.end] == ev.text
        assert is_interpretive(fact.evidence[0].text) is None  # the page's facts keep the strict filter
    assert len({f.text for f in story.facts}) == len(story.facts)
    assert [f.importance for f in story.facts] == sorted((f.importance for f in story.facts), reverse=True)
    assert sum(f.sources >= 2 for f in story.facts) >= len(story.facts) // 2


def test_soft_filter_only_when_plain_facts_run_short(topics: list[tuple[list[Article], list[str]]]) -> None:
    composer = ExtractiveComposer()
    articles = topics[0][0]
    units, sims, _ = composer.prepare(articles)
    strict = {i for i, u in enumerate(units) if u.fact_candidate}
    assert set(ranked_facts(units, sims, composer.thresholds, fill=250)) == strict  # plenty of plain facts
    lead = [
        Article(id="a1", title="t", text="The council approved the new budget on Tuesday after a long and "
                "very difficult debate.", outlet="A"),
        Article(id="a2", title="t", text="Lawmakers passed the city budget on Tuesday in a close vote.",
                outlet="B"),
    ]
    units = build_units(lead, source_groups(lead, None))
    soft = [i for i, u in enumerate(units) if u.interpretive == "subjective"]
    assert soft, "the fixture needs a sentence the strict filter drops for subjectivity only"
    _, sims, _ = composer.prepare(lead)
    assert not set(soft) & set(ranked_facts(units, sims, composer.thresholds))
    assert set(soft) <= set(ranked_facts(units, sims, composer.thresholds, fill=60))


def test_short_input_admits_plain_reports_the_subjectivity_lexicon_misreads() -> None:
    # ten outlets' first paragraphs (real WikiNews, topic 1): plain facts hold 238 words, under twice a
    # 130-word budget, so a summary may take the leads textblob rates subjective ("found guilty" 1.0);
    # the page (no budget) keeps the strict filter, and every fact keeps its exact source slice
    from dataclasses import replace

    articles = [replace(a, text=a.paragraphs[0], paragraphs=a.paragraphs[:1])
                for a in load_multiling(MULTILING, topics=2)[1][0]]
    composer = ExtractiveComposer()
    units, sims, _ = composer.prepare(articles)
    guilty = next(i for i, u in enumerate(units) if u.text.startswith("Five men were found guilty"))
    assert units[guilty].interpretive == "subjective" and units[guilty].subjectivity > 0.9
    assert sum(u.words for u in units if u.fact_candidate) < 2 * 130
    assert guilty in ranked_facts(units, sims, composer.thresholds, fill=130)
    assert guilty not in ranked_facts(units, sims, composer.thresholds)
    assert guilty not in ranked_facts(units, sims, composer.thresholds, fill=100)  # judged on its budget
    story = compose(articles, max_words=130)
    by_id = {a.id: a for a in articles}
    assert story.facts and sum(len(f.text.split()) for f in story.facts) <= 130
    for fact in story.facts:
        assert all(by_id[e.article].text[e.start : e.end] == e.text for e in fact.evidence)
    assert not any(f.text.startswith("Five men") for f in compose(articles).facts)


def test_the_calmer_paraphrase_states_the_fact() -> None:
    articles = [
        Article(id="x1", title="Offensive", outlet="Loud",
                text="The army began a ruthless, furious offensive on the northern city of Kharkiv."),
        Article(id="x2", title="Offensive", outlet="Calm",
                text="The army began an offensive on the northern city of Kharkiv."),
    ]
    facts = summarize(articles, 20)
    assert facts and "furious" not in facts[0] and "ruthless" not in facts[0]


def test_fact_scorer_artifact_loads_by_name_with_provenance() -> None:
    import numpy as np

    from newsprism.compose._scorer import FEATURES, FactScorer, load_fact_scorer
    from newsprism.settings import Settings

    scorer = load_fact_scorer("facts.v1")
    assert {"data", "method", "folds", "dev_rouge2"} <= set(scorer.provenance)
    assert "val" in scorer.provenance["folds"] and len(scorer.weights) == len(FEATURES)
    assert FactScorer.from_json(scorer.to_json()) == scorer
    # chosen by settings: under a word budget the learned gains change the ranking, never the promises
    articles, _refs = load_multiling(MULTILING, topics=1)[0]
    composer = ExtractiveComposer(Settings(fact_scorer="facts.v1"))
    units, sims, titles = composer.prepare(articles)
    learned = composer.learned(units, sims, titles)
    assert learned is not None and learned.shape == (len(units),) and np.isfinite(learned).all()
    facts = composer.summary(articles, 100)
    assert facts and sum(len(f.split()) for f in facts) <= 100
    assert ExtractiveComposer().scorer is None  # the default: hand weights (see settings.fact_scorer)


def test_multiling_held_out_topics_floor() -> None:
    # topics 5-9 were never used to tune (weights chosen on 0-4 and NeuS train): ROUGE-2 .172 measured
    # (session 12: .170)
    data = load_multiling(MULTILING, topics=10)[5:]
    r2 = [rouge(" ".join(summarize(a, 250)), refs, ("2",), max_words=250)["2"].f for a, refs in data]
    assert sum(r2) / len(r2) >= 0.168


def test_budget_rest_is_filled_with_whole_traceable_sentences() -> None:
    # the plain facts leave words unsaid; the rest of the budget takes whole sentences that fit (a
    # prediction, a reporting sentence), never a cut one, each with its exact source slice
    articles = [
        Article(id="b1", title="Budget", outlet="A", text="The city council approved a budget of $2 billion "
                "on Tuesday. The mayor is expected to sign the budget into law on Friday afternoon."),
        Article(id="b2", title="Budget", outlet="B", text="Lawmakers passed the city budget on Tuesday in "
                "a 7-2 vote. Transit and schools receive the largest increases in the new plan."),
    ]
    composer = ExtractiveComposer()
    units, _sims, _ = composer.prepare(articles)
    plain = sum(u.words for u in units if u.fact_candidate)
    budget = plain + 20
    facts = composer.summary(articles, budget)
    assert sum(len(f.split()) for f in facts) <= budget
    assert sum(len(f.split()) for f in facts) > plain  # the rest was used, not left unsaid
    assert any("expected to" in f for f in facts)
    story = compose(articles, max_words=budget)
    by_id = {a.id: a for a in articles}
    assert [f.text for f in story.facts] == facts
    for fact in story.facts:
        assert fact.evidence and all(by_id[e.article].text[e.start : e.end] == e.text for e in fact.evidence)
    assert [f.importance for f in story.facts] == sorted((f.importance for f in story.facts), reverse=True)


def test_budget_admits_attributed_judgement_never_the_writers_own() -> None:
    articles = [
        Article(id="j1", title="Bridge", outlet="A", text="The state closed the old river bridge on Monday "
                "after inspectors found cracks. Officials should have acted on the warnings years ago."),
        Article(id="j2", title="Bridge", outlet="B", text="The governor said the state must replace the "
                "bridge within two years. Traffic was diverted to the highway for the coming months."),
    ]
    composer = ExtractiveComposer()
    units, sims, _ = composer.prepare(articles)
    soft = set(ranked_facts(units, sims, composer.thresholds, fill=200))
    texts = {units[i].text for i in soft}
    assert any(t.startswith("The governor said") for t in texts)  # attributed: the story reports it
    assert not any(t.startswith("Officials should") for t in texts)  # the writer's judgement
    assert not any(t.startswith("Officials should") for t in composer.summary(articles, 200))


def test_whole_sentence_baselines_keep_the_budget_the_published_ones_overflow(
    topics: list[tuple[list[Article], list[str]]],
) -> None:
    # eval summarize compares like with like: each baseline also runs under the composer's rule
    from newsprism.evaluation.summarize import _centroid, _lead, _lead_of_candidates, _sumy
    from newsprism.settings import Settings

    articles, _refs = topics[0]
    for cut, whole in ((_lead, lambda a, b: _lead(a, b, whole=True)),
                       (_centroid, lambda a, b: _centroid(a, b, whole=True)),
                       (_sumy("lexrank"), _sumy("lexrank", whole=True))):
        assert sum(len(s.split()) for s in cut(articles, 100)) > 100  # ROUGE cuts the last sentence
        kept = whole(articles, 100)
        assert kept and sum(len(s.split()) for s in kept) <= 100
    texts = {s.text for a in articles for s in split_sentences(a.text)}
    lead_of_ours = _lead_of_candidates(Settings())(articles, 100)
    assert lead_of_ours and set(lead_of_ours) <= texts and sum(len(s.split()) for s in lead_of_ours) <= 100
