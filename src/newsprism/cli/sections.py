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
              help="Where --train writes the model (default: the package's sections.v1.json.gz).")
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Score this model file instead of the shipped one.")
@click.option("--cache", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Keep the parsed labelled sets here (JSON lines, gzipped) for the next run.")
def eval_sections(as_json: bool, train: bool, out: Path | None, model_path: Path | None,
                  cache: Path | None) -> None:
    """Accuracy and macro-F1 of the section classifier per set (UCI headlines, AllSides articles, UCI
    stories) on held-out fold 4, next to a majority and a keyword baseline (needs ../shared/data)."""
    from newsprism.evaluation.sections import held_out_report, load_examples, render_table, train_shipped
    from newsprism.sections import load_sections

    examples = load_examples(cache)
    if train:
        import newsprism.sections as package

        out = out or Path(package.__file__).parent / "models" / "sections.v1.json.gz"
        train_shipped(examples, out)
        model_path = out
    model = load_sections(path=model_path) if model_path else load_sections()
    report = held_out_report(model, examples)
    click.echo(json.dumps(report, indent=1) if as_json else render_table(report))


COMMANDS: list[click.Command] = []
