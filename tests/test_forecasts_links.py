"""Link quality on the labelled story–question pairs (tests/data/forecasts/links.jsonl), measured on
held-out storylines: the threshold is fitted on the other fold, never on the stories it is scored on."""

from __future__ import annotations

from pathlib import Path

from newsprism.forecasts import cross_validate, demo_stories, evaluate_links, load_labels, sample_questions

SAMPLES = Path(__file__).parent / "data" / "forecasts"
DATA = Path(__file__).parent.parent / "data"


def test_shown_links_are_precise_on_held_out_storylines() -> None:
    stories = demo_stories(DATA)
    assert len(stories) == 12  # two seed stories, ten MultiLing topics
    labels = load_labels(SAMPLES / "links.jsonl")
    assert sum(labels.values()) >= 50 and sum(not v for v in labels.values()) >= 35  # positives, near-misses
    questions = sample_questions(SAMPLES)
    cv = cross_validate(stories, questions, labels)
    shipped = evaluate_links(stories, questions, labels)
    print(
        f"forecast links: shipped P {shipped.precision:.3f} R {shipped.recall:.3f}; "
        f"tuned-on P {cv.tuned_on.precision:.3f} R {cv.tuned_on.recall:.3f}; "
        f"held-out P {cv.held_out.precision:.3f} R {cv.held_out.recall:.3f}"
    )
    assert cv.held_out.shown >= 15
    assert cv.held_out.precision >= 0.85, cv.held_out.false_links
    assert cv.held_out.recall >= 0.35, cv.held_out.missed
    assert shipped.precision >= 0.9, shipped.false_links
    # the clear negatives are never shown
    negatives = {("multiling:M000", "manifold:a3k1RgxAVYiAU1qeA5Su"), ("seed:tokyo", "polymarket:2063134")}
    assert not negatives & set(shipped.false_links + cv.held_out.false_links)
