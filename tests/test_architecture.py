"""The shape of the house: the lab stays out of the stages, public names are declared, start-up is light."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsprism"
STAGES = ["analyse", "batch", "cluster", "compose", "forecasts", "ingest", "outlets", "publish", "retention",
          "sections", "store"]
SUBPACKAGES = [*STAGES, "evaluation"]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("stage", STAGES)
def test_no_stage_imports_the_lab(stage: str) -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in (PACKAGE / stage).rglob("*.py")
        if any(name.startswith("newsprism.evaluation") for name in _imported_modules(path))
    ]
    assert offenders == []


def test_no_stage_reads_the_development_data() -> None:
    """The lab finds ../shared/data through one setting; product code never names it."""
    offenders = [
        str(path.relative_to(PACKAGE))
        for stage in STAGES
        for path in (PACKAGE / stage).rglob("*.py")
        if "shared/data" in path.read_text("utf-8")
    ]
    assert offenders == []


def _raised_builtin_errors(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            called = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(called, ast.Name) and called.id in ("ValueError", "KeyError"):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_errors_raised_on_purpose_are_in_the_error_tree() -> None:
    """Callers catch `NewsprismError`; a bare ValueError or KeyError raised by the product escapes it."""
    product = [p for p in PACKAGE.rglob("*.py") if "evaluation" not in p.relative_to(PACKAGE).parts]
    assert [hit for path in product for hit in _raised_builtin_errors(path)] == []


def test_forecasts_do_not_import_the_composer() -> None:
    """compose imports forecasts (links and claims to watch); the arrow must not also run back up."""
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in (PACKAGE / "forecasts").rglob("*.py")
        if any(name.startswith("newsprism.compose") for name in _imported_modules(path))
    ]
    assert offenders == []


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_all_lists_exactly_the_public_names(name: str) -> None:
    """As httpx does: every public name a subpackage exposes is in `__all__`, and every entry resolves."""
    module = importlib.import_module(f"newsprism.{name}")
    declared = set(getattr(module, "__all__", []))
    for entry in declared:
        assert getattr(module, entry) is not None, entry
    # names the package takes from its own modules or defines: each must be declared
    tree = ast.parse((PACKAGE / name / "__init__.py").read_text("utf-8"))
    bound = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(f"newsprism.{name}."):
            bound.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.AnnAssign | ast.Assign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound.update(t.id for t in targets if isinstance(t, ast.Name) and t.id != "__all__")
    lazy = set(getattr(module, "_HOME", {}))
    public = {n for n in bound | lazy if not n.startswith("_") and n != "annotations"}
    assert public == declared


def _modules_loaded_by(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys; print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_cli_start_up_loads_no_models() -> None:
    """`newsprism --help` and `newsprism extract` import only what they use."""
    loaded = _modules_loaded_by("import newsprism.cli")
    heavy = {"onnxruntime", "sklearn", "scipy", "spacy", "usearch", "wordllama", "fastapi", "pyspark",
             "newsprism.evaluation", "datasketch"}
    assert heavy & {m.split(".")[0] if not m.startswith("newsprism") else m for m in loaded} == set()


def test_cli_start_up_opens_no_store() -> None:
    """Commands open the store when they run; `--help` must not load sqlite and the repositories."""
    loaded = _modules_loaded_by("import newsprism.cli")
    assert {"sqlite3", "newsprism.store"} & set(loaded) == set()


def test_extract_loads_no_models() -> None:
    loaded = _modules_loaded_by("from newsprism.ingest import extract_file")
    heavy = {"onnxruntime", "sklearn", "spacy", "usearch", "datasketch"}
    assert heavy & {m.split(".")[0] for m in loaded} == set()


def test_extracting_one_file_loads_only_its_format_reader() -> None:
    """`newsprism extract` on a text file reads no feed, archive or HTML library; on a page, no feed or
    archive library (the readers are imported when a file of their format is read)."""
    seeds = Path(__file__).resolve().parents[1] / "data" / "demo" / "seeds"
    text = sorted(seeds.glob("*.txt"))[0]
    page = Path(__file__).resolve().parent / "data" / "feeds" / "pages" / "1134-a.html"
    assert page.is_file()
    for path, absent in ((text, {"feedparser", "warcio", "trafilatura", "htmldate"}),
                         (page, {"feedparser", "warcio"})):
        loaded = _modules_loaded_by(
            f"from newsprism.ingest import extract_file\nassert extract_file({str(path)!r}).title")
        assert absent & {m.split(".")[0] for m in loaded} == set(), path.name
