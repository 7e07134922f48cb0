"""CLI commands of the compose stage: `summarize`, `compose`, `eval summarize` and `eval narratives`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsprism.cli.common import eval_group, settings_options
from newsprism.settings import Settings
from newsprism.types import Article, Story


def _render(story: Story) -> str:
    lines = [story.headline, story.date or "", ""]
    lines += [f"• {f.text}  [{f.sources} source{'s' * (f.sources != 1)}]" for f in story.facts]
    for n in story.narratives:
        outlets = ", ".join(f"{o.name} ({o.lean or '?'})" for o in n.outlets) or "unnamed outlets"
        lines += ["", f"{n.label} — {outlets}", f"  {n.statement}"]
    if story.single_framing:
        lines += ["", "(The sources frame this story alike.)"]
    if story.quotes:
        lines += ["", "Quotes"] + [f"  {q.speaker or 'unattributed'}: “{q.text}”" for q in story.quotes]
    if story.disagreements:
        lines += ["", "Disagreements"]
        for d in story.disagreements:
            lines.append(
                f"  {d.kind}: {d.subject} — "
                + " vs ".join(c.value or c.text for c in d.claims)
                + (f" ({d.note})" if d.note else "")
            )
    if story.timeline:
        lines += ["", "Timeline"] + [f"  {e.date}  {e.text}" for e in story.timeline]
    lines += ["", "Articles"] + [
        f"  {a.outlet or '?'}: {a.title} ({a.published or 'undated'}) supports facts {list(a.supports)}"
        for a in story.articles
    ]
    return "\n".join(lines)


@click.command("summarize")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--max-words",
    type=click.IntRange(min=1),
    default=None,
    help="Facts as whole sentences, most important first, N words at most (alone, or in the --json story).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the story as JSON (schema/story.schema.json).")
@settings_options
def summarize_command(
    files: tuple[Path, ...], max_words: int | None, as_json: bool, settings: Settings
) -> None:
    """Compose the given inputs (any ingestible format) as one story and print it."""
    from newsprism.compose import compose, summarize
    from newsprism.ingest import read_inputs

    articles = []
    for item in read_inputs(list(files), settings=settings):
        if isinstance(item, Article):
            articles.append(item)
        else:
            click.echo(f"skipped {item.source}: {item.reason}", err=True)
    if not articles:
        raise click.ClickException("no article could be read from the inputs")
    if max_words is not None and not as_json:
        click.echo("\n".join(summarize(articles, max_words, settings=settings)))
        return
    story = compose(articles, settings=settings, max_words=max_words)
    click.echo(json.dumps(story.to_json(), ensure_ascii=False, indent=2) if as_json else _render(story))


@click.command("compose")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@settings_options
def compose_command(quiet: bool, settings: Settings) -> None:
    """Compose every story that changed since it was last composed."""
    from newsprism.compose.pending import compose_pending
    from newsprism.store import Store

    with Store(settings.db) as store:
        count = compose_pending(store, settings, progress=not quiet)
    click.echo(f"composed {count} stories")


@eval_group.command("summarize")
@click.option(
    "--data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="MultiLing 2011 folder (sources/, summaries/, PublishedEvaluation/; default: the repository's).",
)
@click.option(
    "--neus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="NeuS folder (val.source, val.target; default: neus/ in the data folder); skipped when missing.",
)
@click.option("--topics", type=click.IntRange(1, 10), default=10, help="How many MultiLing topics.")
@click.option("--neus-limit", type=click.IntRange(min=1), default=100, help="How many NeuS stories.")
@click.option(
    "--stem/--no-stem",
    default=False,
    help="Porter stemming (ROUGE -m); the published MultiLing scores were computed without it.",
)
@click.option("--audit/--no-audit", default=True,
              help="Fact-quality audit on NeuS val, the roundups and raw page text (needs ../shared/data).")
@click.option("--fold", type=click.Choice(["held_out", "dev"]), default="held_out",
              help="held_out: MultiLing (all, 5-9) and NeuS val; dev, to tune on: MultiLing 0-4 and every "
                   "3rd NeuS train story (no audit).")
@settings_options
def eval_summarize_command(
    data: Path | None, neus: Path | None, topics: int, neus_limit: int, stem: bool, audit: bool, fold: str,
    settings: Settings,
) -> None:
    """ROUGE-1/2/SU4 of the composer's facts next to LexRank, TextRank, lead-3 and centroid baselines,
    cut at the budget and held to whole sentences (MultiLing all topics and held-out 5-9; NeuS val with
    arousal and empty outputs), then the fact-quality audit (fragments, furniture, opinion, datelines)
    and headline loaded-word rates. `--fold dev` prints the development folds instead."""
    from newsprism.evaluation.paths import demo_root, shared
    from newsprism.evaluation.summarize import evaluate_multiling, evaluate_neus, render_table

    data = data or demo_root() / "multiling2011"
    neus = neus or shared("neus")
    if fold == "dev":
        click.echo(render_table(evaluate_multiling(data, settings, topics=5, stem=stem), data,
                                "MultiLing 2011 topics 0-4 (development)"))
        if (neus / "train.source").exists():
            click.echo("")
            click.echo(render_table(
                evaluate_neus(neus, settings, limit=neus_limit, stem=stem, split="train", every=3), None,
                "NeuS train, every 3rd story (development)"))
        return
    click.echo(render_table(evaluate_multiling(data, settings, topics=topics, stem=stem), data))
    if topics == 10:
        click.echo("")
        held_out = evaluate_multiling(data, settings, topics=10, first=5, stem=stem)
        click.echo(render_table(held_out, data, "MultiLing 2011 topics 5-9 (held out from tuning)"))
    if (neus / "val.source").exists():
        click.echo("")
        click.echo(render_table(evaluate_neus(neus, settings, limit=neus_limit, stem=stem), None))
    if audit and (neus / "raw_roundups.jsonl").exists():
        from newsprism.evaluation.fact_audit import render_audit, run_audit

        click.echo("")
        click.echo(render_audit(*run_audit(neus.parent, settings, neus_limit=neus_limit)))


@eval_group.command("narratives")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder holding neus/raw_roundups.jsonl and basil/ (default: ../shared/data).")
@click.option("--fold", type=click.Choice(["dev", "held_out", "both"]), default="both",
              help="Roundups with even index and BASIL events 0-49 are dev; the rest is held out.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@settings_options
def eval_narratives_command(data_dir: Path | None, fold: str, as_json: bool, settings: Settings) -> None:
    """Narratives on the AllSides roundups (split by side, similarity to the editors' framing words next
    to lead and most-subjective baselines) and BASIL (lift on bias spans); attribution kept."""
    from newsprism.evaluation.narratives import evaluate_narratives, render
    from newsprism.evaluation.paths import data_root

    data = data_dir or data_root()
    if not (data / "neus" / "raw_roundups.jsonl").exists() or not (data / "basil").is_dir():
        raise click.ClickException(f"{data} holds no neus/raw_roundups.jsonl and basil/")
    result = evaluate_narratives(data, settings, fold=fold)
    click.echo(json.dumps(result, indent=2) if as_json else render(result))


COMMANDS: list[click.Command] = [summarize_command, compose_command]
