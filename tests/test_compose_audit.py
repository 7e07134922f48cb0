"""Fact quality on real messy input (../shared/data, evaluation only; skipped on a fresh clone without it):
fragments, furniture, datelines and opinion among the composer's facts, on samples of NeuS val, the
AllSides roundups and raw text of real pages; our headlines against the outlets' titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.evaluation.rouge import rouge
from newsprism.settings import Settings

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
pytestmark = pytest.mark.skipif(
    not (DATA / "neus" / "raw_roundups.jsonl").exists() or not (DATA / "pages" / "fundus").exists(),
    reason="../shared/data (NeuS, fundus pages) is not here: evaluation data, not part of the repository",
)


def test_fact_audit_floors_on_real_inputs() -> None:
    from newsprism.evaluation.fact_audit import run_audit

    audits, rates = run_audit(DATA, Settings(), neus_limit=40, roundups_limit=25, pages_limit=30)
    by_name = {a.name.split(" (")[0]: a for a in audits}
    # full sets (docs/measurements.md): fragments 1.5% / 1.3% / 0%, furniture 0.5% / 0% / 0%,
    # datelines 0.4% / 0.2% / 0% on NeuS val, the roundups, raw text of the English pages; pinned with
    # a sample's margin
    floors = {"NeuS val": (0.03, 0.02), "AllSides roundups": (0.03, 0.02),
              "fundus raw page text": (0.02, 0.01)}
    for audit in audits:
        fragment, furniture = floors[audit.name.split(" (")[0]]
        assert audit.facts >= 30, audit.name
        assert audit.share("fragment") <= fragment, (audit.name, audit.examples.get("fragment"))
        assert audit.share("dateline") <= 0.015, (audit.name, audit.examples.get("dateline"))
        assert audit.share("furniture") <= furniture, (audit.name, audit.examples.get("furniture"))
    assert by_name["NeuS val"].empty == 0
    assert by_name["AllSides roundups"].share("opinion") <= 0.02
    ours, titles = rates["newsprism (roundups)"], rates["outlet titles (roundups)"]
    assert ours["opinion label"] == 0.0
    assert ours["loaded share"] <= titles["loaded share"] and ours["arousal"] <= titles["arousal"]


def test_neus_val_no_empty_output_and_whole_sentences() -> None:
    from newsprism.compose import summarize
    from newsprism.evaluation.summarize import _neus_articles

    lines = (DATA / "neus" / "val.source").read_text("utf-8").splitlines()[:30]
    targets = (DATA / "neus" / "val.target").read_text("utf-8").splitlines()[:30]
    r2 = []
    for line, target in zip(lines, targets, strict=True):
        budget = len(target.split())
        facts = summarize(_neus_articles(line), budget)
        assert facts, line[:200]
        # at most the budget, unless no whole sentence fits: then one, whole
        assert sum(len(f.split()) for f in facts) <= budget or len(facts) == 1
        r2.append(rouge(" ".join(facts), [target], max_words=budget)["2"].f)
    assert sum(r2) / len(r2) >= 0.10


def test_neus_val_held_out_rouge2_floor_and_the_budget_rule() -> None:
    # NeuS val is held out (weights chosen on NeuS train and MultiLing 0-4). Measured on all 307 stories
    # (docs/measurements.md, session 15): ours .158; lead-3 .172 cut at the budget, .163 held to whole
    # sentences (the composer's rule); sumy LexRank .164 cut, .157 whole.
    import numpy as np

    from newsprism.compose import summarize
    from newsprism.evaluation.summarize import _lead, _neus_articles, _sumy

    lines = (DATA / "neus" / "val.source").read_text("utf-8").splitlines()
    targets = (DATA / "neus" / "val.target").read_text("utf-8").splitlines()
    lexrank = _sumy("lexrank", whole=True)
    systems = (lambda a, b: summarize(a, b), lambda a, b: _lead(a, b, whole=True), _lead, lexrank)
    rows = []
    for line, target in zip(lines, targets, strict=True):
        articles, budget = _neus_articles(line), len(target.split())
        rows.append([rouge(" ".join(system(articles, budget)), [target], ("2",), max_words=budget)["2"].f
                     for system in systems])
    ours, lead_whole, lead_cut, lexrank_whole = np.mean(rows, axis=0)
    assert len(rows) == 307 and ours >= 0.150
    assert ours >= lexrank_whole - 0.005 and ours >= lead_whole - 0.010  # like with like, as measured
    assert lead_cut - lead_whole >= 0.005  # most of lead-3's lead over us is the sentence ROUGE cuts
