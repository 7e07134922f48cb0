"""Composer depth on small made-up stories (tests/data/compose/): date and claim disagreements."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from newsprism.analyse import get_claim_comparer
from newsprism.compose import compose, get_composer
from newsprism.compose._disagreements import claim_conflicts, date_conflicts
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
