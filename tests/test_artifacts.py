"""Every learned parameter is a versioned artifact, found and read by name through `newsprism.artifacts`."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.artifacts import STAGES_WITH_ARTIFACTS, read_artifact, shipped_artifacts
from newsprism.errors import ConfigError

SRC = Path(__file__).resolve().parents[1] / "src" / "newsprism"


def test_the_catalogue_lists_every_shipped_file() -> None:
    on_disk = {(p.parent.parent.name, p.name) for p in SRC.glob("*/models/*") if p.is_file()}
    assert on_disk, "no models/ folder found under src/newsprism"
    listed = shipped_artifacts()
    assert {stage for stage, _ in on_disk} == set(STAGES_WITH_ARTIFACTS)
    for stage, filename in on_disk:
        assert filename.split(".json")[0] in listed[stage], (stage, filename)


def test_every_artifact_reads_as_json_with_a_version_in_its_name() -> None:
    for stage, names in shipped_artifacts().items():
        for name in names:
            assert read_artifact(stage, name), (stage, name)
            if stage != "analyse":  # the vendored tokenizer keeps its upstream name
                assert ".v" in name, (stage, name)


def test_an_unknown_name_says_what_is_shipped() -> None:
    with pytest.raises(ConfigError, match=r"lines\.v3"):
        read_artifact("ingest", "lines.v99")
    with pytest.raises(ConfigError, match="ships artifacts"):
        read_artifact("publish", "anything")


def test_each_stage_loads_its_default_through_the_catalogue() -> None:
    from newsprism.cluster import MODELS
    from newsprism.forecasts._link import load_link_thresholds
    from newsprism.ingest._lines import load_line_model
    from newsprism.ingest._titles import load_title_model
    from newsprism.sections._model import load_sections

    assert {m.embedder for m in MODELS.values()} == set(MODELS)
    assert len(MODELS) == len(shipped_artifacts("cluster")["cluster"])
    assert all(0 < cut < 1 for cut in load_link_thresholds())
    assert load_line_model().name == "lines.v3"
    assert load_title_model() is not None and load_title_model("titles.v0") is None
    assert load_sections().embedder


def test_no_product_module_opens_a_models_folder_itself() -> None:
    """Reading goes through `newsprism.artifacts`; only the lab (and `eval … --train` in the CLI) writes."""
    readers = [p for p in SRC.rglob("*.py")
               if not {"evaluation", "cli"} & set(p.relative_to(SRC).parts) and p.name != "artifacts.py"]
    offenders = [str(p.relative_to(SRC)) for p in readers
                 if '"models"' in p.read_text("utf-8") or "'models'" in p.read_text("utf-8")]
    assert offenders == []
