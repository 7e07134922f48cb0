"""Narratives with their holders, each side's emphasis and the framing split: hand-made stories, the story
page, and floors on the roundups and BASIL (skipped when ../shared/data is absent)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from newsprism.artifacts import read_artifact
from newsprism.compose import ExtractiveComposer, compose
from newsprism.compose._emphasis import framing_split, sides_of
from newsprism.compose._narratives import CAMP_PARAMS, Matrix, build_narratives, side_groups, statement_of
from newsprism.compose._units import Unit
from newsprism.errors import ConfigError
from newsprism.evaluation.narratives import evaluate_narratives, statement_kept
from newsprism.evaluation.paths import data_root
from newsprism.publish import Reader
from newsprism.publish.pages import render_story
from newsprism.publish.prefs import Prefs
from newsprism.publish.render import Links
from newsprism.settings import Settings
from newsprism.types import Article, Emphasis, Evidence, Narrative, OutletRef, Story
from test_publish_fixture import build_store

ROOT = Path(__file__).resolve().parents[1]
DATA = data_root()
SCHEMA = json.loads((ROOT / "schema" / "story.schema.json").read_text())
LEANS = {"Left Ledger": ("left", -0.6), "Right Record": ("right", 0.6), "Centre Wire": ("center", 0.0)}


def lean_of(name: str | None) -> OutletRef:
    lean, score = LEANS.get(name or "", (None, None))
    return OutletRef(name or "", lean, score)


def _article(k: int, outlet: str, text: str) -> Article:
    return Article(id=f"n{k}", title="Senate passes the border bill", text=text, outlet=outlet,
                   published="2024-02-01")


ARTICLES = [
    _article(0, "Left Ledger",
             "The Senate passed the border bill on Thursday by a vote of 60 to 38. "
             "Immigrant advocates say the bill will harm asylum seekers and undermine due process. "
             "The measure funds 1,500 new border agents."),
    _article(1, "Right Record",
             "The Senate passed the border bill on Thursday by a vote of 60 to 38. "
             "Conservatives argue the bill does not go far enough and will not stop the surge at the border. "
             "The measure funds 1,500 new border agents."),
    _article(2, "Centre Wire",
             "The Senate passed a border bill on Thursday, 60 to 38. "
             "The measure funds 1,500 new border agents and new immigration judges."),
]


@pytest.fixture(scope="module")
def border() -> Story:
    return compose(ARTICLES, lean_of=lean_of)


def test_opposite_lean_outlets_get_separate_narratives_that_keep_their_holders(border: Story) -> None:
    assert not border.single_framing and len(border.narratives) == 2
    sides = [{o.lean for o in n.outlets} for n in border.narratives]
    assert any("left" in s and "right" not in s for s in sides)
    assert any("right" in s and "left" not in s for s in sides)
    statements = " ".join(n.statement for n in border.narratives)
    # the holders and the negations are kept
    assert "Immigrant advocates say" in statements and "Conservatives argue" in statements
    assert "does not go far enough" in statements and "will not stop" in statements
    for n in border.narratives:
        assert statement_kept(n.statement, [e.text for e in n.evidence])
    assert border.framing_split == 1.0


def test_each_side_emphasis_is_what_it_reports_alone(border: Story) -> None:
    by_side = {e.side: e for e in border.emphasis}
    assert set(by_side) == {"left", "center", "right"}
    assert by_side["left"].text.startswith("Left-leaning outlets (Left Ledger) focus on: ")
    assert "asylum" in by_side["left"].text and "surge" in by_side["right"].text
    assert "judges" in by_side["center"].text
    for e in border.emphasis:
        assert e.evidence and all(ev.outlet in {o.name for o in e.outlets} for ev in e.evidence)


def test_emphasis_v2_is_one_sentence_and_v3_a_summary_within_its_budget(border: Story) -> None:
    from newsprism.compose._emphasis import side_emphasis
    from newsprism.compose._framing_model import load_framing_model

    composer = ExtractiveComposer()
    units, sims, _titles = composer.prepare(ARTICLES)
    sides = sides_of(ARTICLES, lean_of)
    v2 = side_emphasis(ARTICLES, units, sims, sides, lean_of, load_framing_model("narratives.v2").emphasis)
    assert v2 and all(len(e.evidence) == 1 for e in v2)
    v4 = load_framing_model("narratives.v4").emphasis
    for e in border.emphasis:
        assert 1 <= len(e.evidence) <= v4.sentences
        assert len(e.evidence) == 1 or sum(len(ev.text.split()) for ev in e.evidence) <= v4.budget + 5
        assert statement_kept(e.text.split(" focus on: ", 1)[1], [ev.text for ev in e.evidence])


def test_story_json_round_trips_with_emphasis_and_split(border: Story) -> None:
    data = json.loads(json.dumps(border.to_json()))
    jsonschema.validate(data, SCHEMA)
    assert Story.from_json(data) == border
    old = {k: v for k, v in data.items() if k not in ("emphasis", "framing_split")}
    assert Story.from_json(old).emphasis == () and Story.from_json(old).framing_split is None


def test_no_lean_means_no_emphasis_and_no_split() -> None:
    story = compose(ARTICLES)  # every lean unknown
    assert story.emphasis == () and story.framing_split is None


def test_framing_split_counts_opposite_pairs_sharing_no_narrative() -> None:
    ev = (Evidence("a", 0, 1, "x"),)
    left = OutletRef("L", "left", -1.0)
    right, right2 = OutletRef("R", "right", 1.0), OutletRef("R2", "right", 0.8)
    apart = [Narrative("A", "x.", (left,), ev), Narrative("B", "y.", (right, right2), ev)]
    shared = [Narrative("A", "x.", (left, right), ev), Narrative("B", "y.", (right2,), ev)]
    assert framing_split(apart) == 1.0
    assert framing_split(shared) == 0.5
    assert framing_split([Narrative("Narrative A", "x.", (OutletRef("U"),), ev)]) is None


def test_statement_kept_catches_a_dropped_negation_or_holder() -> None:
    source = "But privacy advocates don't believe the changes will make much of a difference."
    kept = "Privacy advocates don't believe the changes will make much of a difference."
    assert statement_kept(kept, [source])
    assert not statement_kept("The changes will make much of a difference.", [source])
    assert not statement_kept("A statement from nowhere.", [source])


def test_story_page_shows_each_side_emphasis(tmp_path: Path) -> None:
    reader = Reader(build_store(tmp_path / "np.db"))
    story = reader.story("s-tokyo-2023")
    assert story is not None
    ev = story.narratives[0].evidence
    story = replace(story, emphasis=(
        Emphasis("left", "Left-leaning outlets (The Guardian) focus on: the summit means little.",
                 (OutletRef("The Guardian", "left", -0.62),), ev),
        Emphasis("right", "Right-leaning outlets (The Wall Street Journal) focus on: the threats.",
                 (OutletRef("The Wall Street Journal", "right", 0.41),), ev),
    ))
    html = render_story(reader, story, Links(), "newsprism", Prefs())
    assert "What each side focuses on" in html
    assert 'data-side="left"' in html and "focus on: the summit means little." in html
    assert html.index("Narrative B") < html.index("What each side focuses on")


# --- floors on the development sets ----------------------------------------------------------------

needs_data = pytest.mark.skipif(
    not (DATA / "neus" / "raw_roundups.jsonl").exists() or not (DATA / "basil").is_dir(),
    reason="../shared/data (NeuS roundups, BASIL) is not here; the narrative floors need it",
)


@needs_data
def test_narrative_floors_on_held_out_roundups_and_basil() -> None:
    # held out: odd roundups, BASIL events 50-99 (docs/measurements.md: split .848 with the roundups'
    # labels against .698 for random camps, .698 with registry leans against .623; BASIL lift 1.45; a
    # left and a right BASIL outlet alone told apart in .99 of the pairs, .67 before the side contrast)
    result = evaluate_narratives(DATA, fold="held_out")
    held = result["folds"]["held_out"]
    roundups, registry, basil = held["roundups"], held["roundups_registry"], held["basil"]
    assert result["attribution_kept"] == 1.0
    assert roundups["left_and_right"] >= 240 and registry["left_and_right"] >= 60
    assert roundups["split_by_side"] >= 0.83
    assert roundups["split_by_side"] > roundups["split_by_side_random_camps"] + 0.05  # camps follow lean
    assert registry["split_by_side"] >= 0.68
    assert registry["split_by_side"] > registry["split_by_side_random_camps"]
    assert roundups["left_right_pair_split"] >= 0.84  # a left and a right outlet alone: told apart
    assert basil["lift"] >= 1.4
    assert basil["pairs"] == 100 and basil["pair_split_by_side"] >= 0.95  # HuffPost or NYT with Fox
    assert basil["pair_split_by_side_huffpost"] >= 0.95  # the registry rates no lean for HuffPost
    assert basil["pair_statement_lift"] >= 1.25  # what each side states falls on annotated bias spans
    sim = roundups["side_similarity"]
    for metric in ("R1", "R2", "cos"):
        assert sim["emphasis"][metric] > sim["most subjective sentence"][metric], metric
        # narratives.v4 (session 18): above the lead sentence and the length-matched first sentences too
        assert sim["emphasis"][metric] > sim["lead sentence"][metric], metric
        assert sim["emphasis"][metric] >= sim["first sentences in budget"][metric], metric


def test_actor_tone_tells_sources_apart_by_how_they_speak_of_the_same_actor() -> None:
    from newsprism.compose._stance import actor_tones, tone_distance

    warm = actor_tones(["Biden won a great victory for working families.", "Pfizer was mentioned."])
    cold = actor_tones(["Biden suffered a terrible, costly failure on the border."])
    alike = actor_tones(["Biden won a great victory for families."])
    assert "Biden" in warm and "The" not in warm
    assert tone_distance(warm, cold) > tone_distance(warm, alike) >= 0.0
    assert tone_distance(warm, actor_tones(["Nothing named here."])) == 0.0  # no shared actor


def test_framing_weights_load_by_name_with_provenance_and_refuse_a_missing_weight(tmp_path: Path) -> None:
    from newsprism.compose import _framing_model as fm
    from newsprism.compose._emphasis import DIFF_PARAMS
    from newsprism.compose._narratives import CAMP_PARAMS

    model = fm.load_framing_model(fm.MODEL)
    assert model.name == "narratives.v4" and "development half" in model.provenance
    assert (model.camps, model.emphasis) == (CAMP_PARAMS, DIFF_PARAMS)
    old = fm.load_framing_model("narratives.v2")  # still loadable: v4 changed only the emphasis
    assert old.camps == model.camps and (old.emphasis.budget, old.emphasis.sentences) == (0, 1)
    data = read_artifact("compose", "narratives.v2")
    del data["camps"]["actor_tone"]
    with pytest.raises(ConfigError, match="actor_tone"):
        fm._build(fm.CampParams, data["camps"])
    with pytest.raises(ConfigError, match=r"no compose artifact named 'narratives\.v0'"):
        fm.load_framing_model("narratives.v0")


# --- the side contrast: when the camps do not split a story two sides cover --------------------------

_COUNCIL = [
    Article(id="t0", title="Council passes transit budget", outlet="Unrated Daily", published="2024-03-01",
            text="The city council approved the new transit budget on Tuesday after a long debate. "
                 "The plan adds 40 buses to the fleet and extends night service on six routes. "
                 "But privacy advocates don't believe the new fare cameras will make much of a difference, "
                 "and they warn the cameras could harm rider trust. "
                 "\u201cSo we're going a little different route,\u201d the mayor said."),
    Article(id="t1", title="Council passes transit budget", outlet="Right Record", published="2024-03-01",
            text="City lawmakers voted on Tuesday to pass a transit spending plan after hours of argument. "
                 "Forty buses will join the fleet, and night service grows on six routes. "
                 "Taxpayer groups argue the plan is a costly giveaway that will burden residents with higher "
                 "taxes for years."),
]


@pytest.fixture(scope="module")
def council() -> tuple[list[Unit], Matrix]:
    units, sims, _titles = ExtractiveComposer(Settings()).prepare(_COUNCIL)
    return units, sims


def test_side_contrast_tells_a_wing_outlet_from_an_unrated_one_without_inventing_meaning(
    council: tuple[list[Unit], Matrix],
) -> None:
    units, sims = council
    never_split = replace(CAMP_PARAMS, split_distance=10.0)  # the camps alone keep one camp
    sides = sides_of(_COUNCIL, lean_of)
    assert sides == [None, "right"]
    alike, single = build_narratives(_COUNCIL, units, sims, lean_of, params=never_split)
    assert single and len(alike) == 1  # no sides given: no contrast
    told, single = build_narratives(_COUNCIL, units, sims, lean_of, params=never_split, sides=sides)
    assert not single and len(told) == 2
    held = [{o.name for o in n.outlets} for n in told]
    assert sorted(map(sorted, held)) == [["Right Record"], ["Unrated Daily"]]  # each side its own
    by_outlet = {next(iter(h)): n.statement for h, n in zip(held, told, strict=True)}
    # the negation and the holder are kept, only the leading "But" goes; the bare quote is evidence only
    assert by_outlet["Unrated Daily"].startswith("Privacy advocates don't believe")
    assert "could harm" in by_outlet["Unrated Daily"] and "different route" not in by_outlet["Unrated Daily"]
    assert by_outlet["Right Record"].startswith("Taxpayer groups argue")
    for n in told:
        assert statement_kept(n.statement, [e.text for e in n.evidence])
        # never spliced: a statement is sentences of one outlet
        made_of = {e.outlet for e in n.evidence if statement_of(e.text) in n.statement}
        assert made_of and made_of <= {o.name for o in n.outlets}


def test_side_contrast_needs_something_each_side_alone_carries(council: tuple[list[Unit], Matrix]) -> None:
    units, sims = council
    strict = replace(CAMP_PARAMS, split_distance=10.0, contrast_alone=0.0)  # nothing counts as "alone"
    narratives, single = build_narratives(
        _COUNCIL, units, sims, lean_of, params=strict, sides=sides_of(_COUNCIL, lean_of)
    )
    assert single and len(narratives) == 1
    both_unknown = [None, None]  # no outlet of known lean: no sides to contrast
    assert side_groups(units, both_unknown) is None
    assert side_groups(units, ["left", "right"]) == [[0], [1]]


def test_a_sentence_cut_at_a_title_never_states_a_narrative(council: tuple[list[Unit], Matrix]) -> None:
    from newsprism.compose._narratives import statement_unit

    unit = council[0][0]
    cut = replace(unit, text="Legislators in Indiana have made changes to the law signed by Gov.")
    whole = replace(unit, text="Legislators in Indiana have made changes to the law signed last week.")
    assert not statement_unit(cut) and statement_unit(whole)
