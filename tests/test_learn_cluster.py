"""Re-learning the clusterer's weights keeps the fields chosen after them (issue #17, session 13)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from newsprism.cluster._model import MODELS, ClusterModel
from newsprism.evaluation.learn_cluster import CHOSEN_AFTER, artifact

ARTIFACTS = Path(__file__).resolve().parents[1] / "src" / "newsprism" / "cluster" / "models"


def _learned(embedder: str) -> ClusterModel:
    # what learn() returns: fitted weights, bias and threshold, every other field at its default
    return ClusterModel((0.1, 0.2, 0.3, 0.4, 0.5, -0.6, 0.7), -1.5, 0.77, embedder=embedder)


@pytest.mark.parametrize("path", sorted(ARTIFACTS.glob("*.json")), ids=lambda p: p.name)
def test_relearning_writes_every_field_of_the_shipped_artifact(path: Path) -> None:
    raw = json.loads(path.read_text("utf-8"))
    shipped = MODELS[raw["embedder"]]
    out = artifact(_learned(shipped.embedder), [0.9, 0.8], shipped)
    written = out.to_json()
    # every key of the file, with its value unless the learner fits it
    assert set(raw) <= set(written)
    for key in set(raw) - {"weights", "bias", "threshold", "provenance"}:
        assert written[key] == raw[key], key
    assert written["weights"] == [0.1, 0.2, 0.3, 0.4, 0.5, -0.6, 0.7] and written["bias"] == -1.5
    # a threshold re-chosen by tune_join after learning (its own provenance note) is kept, else learned
    assert out.threshold == (shipped.threshold if "threshold" in shipped.provenance else 0.77)
    # with the shipped weights back, the model is the shipped one (dataclass equality: every field)
    assert replace(out, weights=shipped.weights, bias=shipped.bias, threshold=shipped.threshold) == shipped
    # the notes of the carried fields come along, and the carry is said
    for key, note in shipped.provenance.items():
        if key not in ("data", "folds", "method", "score"):
            assert out.provenance[key] == note
    assert out.provenance["carried"].startswith(f"carried over from the {shipped.embedder} artifact")


def test_a_fresh_model_has_none_of_the_chosen_fields_so_the_check_above_can_fail() -> None:
    shipped = MODELS["minilm64.v1"]
    fresh = artifact(_learned("minilm64.v1"), [0.9, 0.8], None)
    assert "carried" not in fresh.provenance and {"data", "folds", "method", "score"} <= set(fresh.provenance)
    back = replace(fresh, weights=shipped.weights, bias=shipped.bias, threshold=shipped.threshold)
    assert back != shipped
    # the session-13 fields are among those carried, and each differs from the fresh default
    session_13 = ("join_threshold", "headline_threshold", "headline_join_threshold", "actor_veto",
                  "pass_rivals")
    for name in session_13:
        assert name in CHOSEN_AFTER
        assert getattr(fresh, name) != getattr(shipped, name), name
