"""`newsprism eval sections`: the section classifier on its held-out fold, next to baselines."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsprism.cli.common import eval_group

__all__ = ["COMMANDS", "eval_sections"]


@eval_group.command("sections")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--train", is_flag=True,
              help="Refit on the training folds and write the model (to --out) before scoring.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where --train writes the model (default: the package's sections.v2.json.gz).")
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Score this model file instead of the shipped one.")
@click.option("--cache", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Keep the parsed labelled sets here (JSON lines, gzipped) for the next run.")
@click.option("--vectors", "vectors_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the article vectors here (computed on a miss: ~15 min for all on 2 cores).")
def eval_sections(as_json: bool, train: bool, out: Path | None, model_path: Path | None,
                  cache: Path | None, vectors_dir: Path | None) -> None:
    """Accuracy and macro-F1 of the section classifier per set (UCI headlines, AllSides articles, UCI
    stories) on held-out fold 4, next to a majority and a keyword baseline (needs ../shared/data). A
    model with a vector head reads each article's vector (title + lead, its embedder's, as `analyse`
    stores it) and also reports its text-only fallback."""
    from newsprism.evaluation.sections import (
        HEAD,
        held_out_report,
        load_examples,
        render_table,
        split,
        train_shipped,
        vector_sample,
        vectors_by_head,
    )
    from newsprism.sections import load_sections

    examples = load_examples(cache)
    if train:
        import newsprism.sections as package

        out = out or Path(package.__file__).parent / "models" / "sections.v2.json.gz"
        text = load_sections("sections.v1")  # the text model: fitted on the same folds (its provenance)
        embedder, per_class = str(HEAD["embedder"]), int(HEAD["per_class"])
        fitted_on, held_out = split(examples)
        heads = vectors_by_head([*vector_sample(fitted_on, per_class), *held_out], embedder, vectors_dir)
        head = {k: v for k, v in HEAD.items() if k not in ("embedder", "per_class")}
        train_shipped(examples, out, vectors=heads, embedder=embedder, text=text, head=head,
                      per_class=per_class)
        model_path = out
    model = load_sections(path=model_path) if model_path else load_sections()
    found = vectors_by_head(split(examples)[1], model.embedder, vectors_dir) if model.embedder else {}
    report = held_out_report(model, examples, found or None)
    click.echo(json.dumps(report, indent=1) if as_json else render_table(report))


COMMANDS: list[click.Command] = []
