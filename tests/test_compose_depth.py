"""Composer depth on small made-up stories (tests/data/compose/): date and claim disagreements,
narratives as statements grouped by stance."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from newsprism.analyse import get_claim_comparer
from newsprism.compose import compose, get_composer
from newsprism.compose._disagreements import claim_conflicts, date_conflicts
from newsprism.compose._headline import headline_problems
from newsprism.compose._narratives import keeps_qualifiers, statement_of
from newsprism.compose._stance import stance
from newsprism.ingest import read_inputs
from newsprism.types import Article, Disagreement, Story

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "compose"
SEEDS = ROOT / "data" / "demo" / "seeds"


def load_story(name: str) -> list[Article]:
    return [Article(**a) for a in json.loads((DATA / name).read_text("utf-8"))["articles"]]


@pytest.fixture(scope="module")
def port_talks() -> list[Article]:
    return load_story("port_talks.json")


@pytest.fixture(scope="module")
def port_story(port_talks: list[Article]) -> Story:
    return compose(port_talks)


def _pairs(story: Story, kind: str) -> set[frozenset[str | None]]:
    return {frozenset(c.value for c in d.claims) for d in story.disagreements if d.kind == kind}


def _outlets(d: Disagreement) -> set[str | None]:
    return {c.evidence.outlet for c in d.claims}


def test_date_disagreements_find_the_meeting_day_and_nothing_else(port_story: Story) -> None:
    dates = [d for d in port_story.disagreements if d.kind == "date"]
    # March 16 (Harbor Daily; and "on Saturday" in a March 19 report) against March 17 (Dutch Courier)
    assert _pairs(port_story, "date") == {frozenset({"2024-03-16", "2024-03-17"})}
    assert {frozenset(_outlets(d)) for d in dates} == {
        frozenset({"Harbor Daily", "Dutch Courier"}),
        frozenset({"Shipping Ledger", "Dutch Courier"}),
    }
    # near miss: the strike began on March 4 and ended on March 15; those are two events, not a conflict
    assert not any("strike" in c.text for d in dates for c in d.claims)
    for d in dates:
        assert "March 1" not in d.subject and "met in Rotterdam" in d.subject


def test_claim_disagreements_find_opposite_stances_only(port_story: Story) -> None:
    claims = [d for d in port_story.disagreements if d.kind == "claim"]
    assert _pairs(port_story, "claim") == {
        frozenset({"agreed", "refused"}),  # the FNV union and the pay offer
        frozenset({"confirmed", "denied"}),  # the port authority and the ships diverted to Antwerp
    }
    texts = {c.text for d in claims for c in d.claims}
    # near misses: Maersk refused to comment / operators agreed to drop a demand (other subjects and
    # objects); the port authority denied damage to cranes (another object); "did not say when" (the
    # heuristic comparer alone calls that a contradiction)
    assert not any("Maersk" in t or "cranes" in t or "night shifts" in t or "did not say" in t for t in texts)


def test_evidence_of_disagreements_is_exact(port_story: Story, port_talks: list[Article]) -> None:
    by_id = {a.id: a for a in port_talks}
    for d in port_story.disagreements:
        for claim in d.claims:
            ev = claim.evidence
            assert by_id[ev.article].text[ev.start : ev.end] == ev.text == claim.text


def test_stance_changes_days_apart_are_not_disagreements(port_talks: list[Article]) -> None:
    # the same reports a week apart: a union that refused and later agreed changed its mind
    later = [replace(a, published="2024-03-26") if a.id == "pt-ledger" else a for a in port_talks]
    composer = get_composer()
    units, sims, _ = composer.prepare(later)
    found = claim_conflicts(later, units, sims, get_claim_comparer())
    assert {frozenset(c.value for c in d.claims) for d in found} == {frozenset({"confirmed", "denied"})}


def test_seeds_hold_no_false_date_or_claim_disagreements() -> None:
    paths = [SEEDS / "000_c0e5fdfcdfc52de7.txt", SEEDS / "004_2b1bcd757c7649fc.txt"]
    articles = [a for a in read_inputs(paths) if isinstance(a, Article)]
    articles = [replace(articles[0], published="2023-03-16"), replace(articles[1], published="2023-05-07")]
    units, sims, _ = get_composer().prepare(articles)
    comparer = get_claim_comparer()
    # the March summit and the May visit are different events with different dates
    assert date_conflicts(articles, units, sims, comparer) == []
    assert claim_conflicts(articles, units, sims, comparer) == []


# --- narratives -----------------------------------------------------------------------------------

_BOOST = {"Riverton Gazette", "Valley Business Journal", "Metro Daily"}
_BURDEN = {"Taxpayer Watch", "Riverton Voice", "County Ledger"}


def _faithful(statement: str, evidence_texts: list[str]) -> bool:
    words = set(re.findall(r"[a-z0-9]+", " ".join(evidence_texts).lower()))
    return all(w in words for w in re.findall(r"[a-z0-9]+", statement.lower()))


@pytest.fixture(scope="module")
def stadium_story() -> Story:
    return compose(load_story("stadium_vote.json"))


def test_two_framings_give_two_narratives_split_by_outlet_group(stadium_story: Story) -> None:
    assert not stadium_story.single_framing
    assert len(stadium_story.narratives) == 2
    splits = [{o.name for o in n.outlets} for n in stadium_story.narratives]
    assert sorted(splits, key=sorted) == sorted([_BOOST, _BURDEN], key=sorted)
    by_side = {frozenset(s): n for s, n in zip(splits, stadium_story.narratives, strict=True)}
    assert re.search(r"boost|jobs|investment|compete", by_side[frozenset(_BOOST)].statement)
    assert re.search(r"burden|debt|poor deal|giveaway", by_side[frozenset(_BURDEN)].statement)


def test_narrative_statements_keep_their_holders_and_are_source_sentences(stadium_story: Story) -> None:
    for n in stadium_story.narratives:
        assert 1 <= len(re.findall(r"[.!?](?:\s|$)", n.statement)) <= 2
        sources = [e.text for e in n.evidence if statement_of(e.text) in n.statement]
        assert sources, n.statement  # every statement is made of evidence sentences, as written
        assert all(keeps_qualifiers(n.statement, s) for s in sources)
        assert n.evidence and all(e.outlet in {o.name for o in n.outlets} for e in n.evidence)
    burden = next(n for n in stadium_story.narratives if "Taxpayer Watch" in {o.name for o in n.outlets})
    assert re.search(r"[Cc]ritics (?:say|argue)|[Ee]conomists say|according to", burden.statement)


def test_one_framing_gives_one_narrative() -> None:
    story = compose(load_story("bridge_reopens.json"))
    assert story.single_framing and len(story.narratives) == 1
    (narrative,) = story.narratives
    assert len(narrative.outlets) >= 3 and _faithful(
        narrative.statement, [e.text for e in narrative.evidence]
    )


def test_statement_keeps_negation_hedge_and_attribution() -> None:
    # the inversion the issue found: "But privacy advocates don't believe ..." lost its holder and "n't"
    source = (
        "But privacy advocates don't believe the changes announced on Tuesday will make much of a "
        "difference."
    )
    assert statement_of(source) == "P" + source[len("But p"):]
    assert keeps_qualifiers(statement_of(source), source)
    assert not keeps_qualifiers("The changes announced on Tuesday will make much of a difference.", source)
    assert not keeps_qualifiers("The deal is a giveaway to wealthy team owners.",
                                "Critics say the deal is a giveaway to wealthy team owners.")
    hedged = "The jobs are likely to be temporary, according to a study by the city's auditors."
    assert statement_of(hedged) == hedged and keeps_qualifiers(statement_of(hedged), hedged)
    assert not keeps_qualifiers("The jobs are temporary.", hedged)
    assert stance("Economists say stadium subsidies rarely pay off.") < 0
    assert stance("The stadium is likely to boost tourism and create jobs.") > 0
    assert stance("The stadium is scheduled to open in 2028.") == 0


def test_quotes_are_evidence_not_statements() -> None:
    articles = [
        Article(id=f"q{k}", title="Council backs mask rule", outlet=name, text=text)
        for k, (name, text) in enumerate([
            ("North Star", "The council voted to keep masks in schools on Monday. "
             "\u201cSo we're going a little different route.\u201d "
             "Supporters say masks offer real protection to children and will help keep schools open."),
            ("South Post", "The council kept the school mask rule on Monday. "
             "\u201cIt is not reasonable to keep children masked all year,\u201d one parent said. "
             "But critics say the rule will burden families and has little support among parents."),
        ])
    ]
    story = compose(articles)
    assert len(story.narratives) == 2 and not story.single_framing
    for n in story.narratives:
        assert "\u201c" not in n.statement and "different route" not in n.statement
        # never two sides spliced into one statement
        assert not ("protection" in n.statement and "burden" in n.statement)
        assert len({o.name for o in n.outlets}) == 1


# --- headline -----------------------------------------------------------------------------------------

BAD_TITLES = [
    "Will Rotterdam's dockworkers ever get a fair deal?",
    "You won't believe what the port union just did",
    "Union SLAMS operators in explosive pay showdown",
    "Here's what we know about the Rotterdam port deal",
    "BREAKING: Port strike chaos ends!",
    "5 things to know about the dock strike",
]
GOOD_TITLES = [
    "Rotterdam dockworkers and port operators reach wage deal",
    "Union rejects Rotterdam pay offer",
    "Port authority says two ships were diverted to Antwerp",
]


def test_headline_problems_flag_loaded_clickbait_and_questions() -> None:
    for title in BAD_TITLES:
        assert headline_problems(title), title
    for title in GOOD_TITLES:
        assert headline_problems(title) == [], title


def test_composed_headline_passes_over_loaded_titles(port_talks: list[Article]) -> None:
    titles = [*BAD_TITLES[:3], GOOD_TITLES[0]]
    articles = [replace(a, title=t) for a, t in zip(port_talks, titles, strict=True)]
    story = compose(articles)
    assert headline_problems(story.headline) == [], story.headline
