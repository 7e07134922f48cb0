"""CLI commands of the cluster stage: `newsprism cluster` and `newsprism eval cluster`."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from newsprism.cli.common import eval_group, settings_options
from newsprism.settings import Settings

__all__ = ["COMMANDS", "cluster", "eval_cluster"]


@click.command("cluster")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print stories as JSON (the only output for now).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@settings_options
def cluster(paths: tuple[Path, ...], as_json: bool, quiet: bool, settings: Settings) -> None:
    """Cluster news files into stories in a temporary store and print them (the --db store is untouched).

    Prints `{stories: [{story, storyline, articles: [{id, path, title, outlet}]}], rejected: [{source,
    reason}]}`: every input is either in a story or listed as rejected with its reason.
    """
    from newsprism.cluster import cluster_pending, link_storylines, stories_of
    from newsprism.ingest import ingest_paths
    from newsprism.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        temp = settings.with_values({"db": Path(tmp) / "cluster.db"})
        with Store(temp.db) as store:
            report = ingest_paths(list(paths), store, temp, fetch=False, progress=not quiet)
            cluster_pending(store, temp, progress=not quiet)
            link_storylines(store, temp)
            stories = stories_of(store)
    rejected = [{"source": r.source, "reason": r.reason} for r in report.rejected]
    out = {"stories": [s.to_json() for s in stories], "rejected": rejected}
    click.echo(json.dumps(out, indent=2 if not as_json else None, ensure_ascii=False))
    for r in rejected if not quiet else ():
        click.echo(f"rejected {r['source']}: {r['reason']}", err=True)


@click.command("cluster")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder with basil/ and neus/ (default: the data folder of `newsprism eval --data`).")
@click.option("--no-neus", is_flag=True,
              help="Skip NeuS train/val/pooled (8,277 articles); the roundups stay.")
@click.option("--json", "as_json", is_flag=True,
              help="Rows {set, grain, system, precision, recall, f1} (B³) of newsprism stories and storylines"
                   " and the best-cut TF-IDF baseline on every set present (BASIL, roundups, NeuS train/val,"
                   " MultiLing, UCI headlines).")
@click.option("--set", "names", multiple=True, help="With --json: only these sets (repeatable).")
@click.option("--cache", "cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="With --json: keep each set's article vectors and analyses in this folder and reuse them"
                   " (the costly part of a run; they depend only on the articles and the embedder).")
@settings_options
def eval_cluster(data_dir: Path | None, no_neus: bool, as_json: bool, names: tuple[str, ...],
                 cache: Path | None, settings: Settings) -> None:
    """B³ P/R/F1, pairwise F1 and AMI of the clusterer (with and without the split step) next to baselines
    on BASIL, the dated AllSides roundups, NeuS and MultiLing (storylines); `--json` for every set at
    both grains."""
    from newsprism.evaluation.cluster import evaluate_clustering
    from newsprism.evaluation.paths import data_root

    if as_json:
        from newsprism.evaluation.cluster_grains import SETS, evaluate_sets

        chosen = list(names) or [n for n in SETS if not (no_neus and n.startswith("neus"))]
        unknown = sorted(set(chosen) - set(SETS))
        if unknown:
            raise click.BadParameter(f"unknown sets {unknown}; known: {list(SETS)}", param_hint="--set")
        found = evaluate_sets(data_dir or data_root(), settings, chosen, cache)
        click.echo(json.dumps(found, indent=1))
        return
    rows = evaluate_clustering(data_dir or data_root(), settings, neus=not no_neus)
    heads = " ".join(f"{h:>6}" for h in ("B3-P", "B3-R", "B3-F1", "pairF1", "AMI", "k"))
    click.echo(f"{'dataset':28} {'system':52} {heads}")
    for row in rows:
        s = row.scores
        click.echo(f"{row.dataset:28} {row.system:52} {s.b3_precision:6.3f} {s.b3_recall:6.3f} {s.b3_f1:6.3f}"
                   f" {s.pairwise_f1:6.3f} {s.ami:6.3f} {s.clusters:5d}")


eval_group.add_command(eval_cluster)
COMMANDS: list[click.Command] = [cluster]
