"""Summarization benchmarks: the composer's facts next to baselines run in the same process.

MultiLing 2011 (English): 10 topics x 10 WikiNews articles, 3 human summaries each, 250-word budget.
NeuS (ALLSIDES val): three articles (left/center/right) per story against the AllSides neutral
roundup, plus the framing score: mean arousal of the words a summary adds that the roundup lacks.

Two budget rules, both scored with ROUGE cutting every summary at the budget (toolkit -l): the
baselines as published take sentences until the budget is reached and the last one is cut; the
composer never cuts a sentence, so each baseline is also run under its rule ("whole sentences": a
sentence that would overflow is passed over for a later one that fits). Compare like with like.

The protocol: weights are chosen on the development folds (NeuS train, MultiLing topics 0-4); the
held-out folds (NeuS val, MultiLing topics 5-9) are read only to report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.analyse import split_sentences
from newsprism.compose import summarize
from newsprism.compose._lexicon import arousal, tokens
from newsprism.evaluation.rouge import rouge
from newsprism.settings import Settings
from newsprism.types import Article, content_id

__all__ = ["Result", "evaluate_multiling", "evaluate_neus", "load_multiling", "render_table"]

Summarizer = Callable[[Sequence[Article], int], list[str]]
_PUBLISHED = {
    "ID2 best participant (CLASSY1)": "ID2",
    "ID3 (JRC1)": "ID3",
    "ID9 centroid baseline": "ID9",
    "ID10 topline": "ID10",
}


@dataclass(frozen=True)
class Result:
    system: str
    scores: dict[str, float]  # "R1", "R2", "RSU4" F-scores; NeuS adds "arousal" and the framing shares


def load_multiling(folder: Path, topics: int = 10) -> list[tuple[list[Article], list[str]]]:
    """(articles, reference summaries) per topic; a source's first line is "YYYY/MM/DD Title"."""
    out = []
    for t in range(topics):
        articles = []
        for d in range(10):
            lines = (folder / "sources" / f"M00{t}{d}.txt").read_text("utf-8").strip().split("\n")
            head = lines[0].strip()
            date, _, title = head.partition(" ")
            body = [ln.strip() for ln in lines[1:] if ln.strip()]
            if body and re.match(r"^\w+day, \w+ \d+, \d{4}$", body[0]):
                body = body[1:]  # the WikiNews dateline is not a sentence of the story
            text = "\n\n".join(body)
            articles.append(
                Article(
                    id=content_id(title, text),
                    title=title,
                    text=text,
                    published=date.replace("/", "-"),
                    paragraphs=tuple(body),
                )
            )
        refs = [
            (folder / "summaries" / f"M00{t}.{m}.250").read_text("utf-8", errors="replace") for m in "ABC"
        ]
        out.append((articles, refs))
    return out


class _Tokenizer:
    """sumy's tokenizer interface on our sentence splitter (sumy's own needs an NLTK download)."""

    language = "english"

    def to_sentences(self, text: str) -> list[str]:
        return [s.text for s in split_sentences(text)]

    def to_words(self, sentence: str) -> list[str]:
        return re.findall(r"\w+", sentence)


def _budget(max_words: int, whole: bool = False) -> Callable[[Sequence[Any]], list[Any]]:
    def take(infos: Sequence[Any]) -> list[Any]:
        out, words = [], 0
        for info in infos:
            length = len(str(info.sentence).split())
            if whole and words + length > max_words:
                continue
            out.append(info)
            words += length
            if words >= max_words:
                break
        return out

    return take


def _sumy(kind: str, whole: bool = False) -> Summarizer:
    def run(articles: Sequence[Article], max_words: int) -> list[str]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
        from sumy.nlp.stemmers import Stemmer
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer

        tok = _Tokenizer()
        paragraphs = [Paragraph([Sentence(s.text, tok) for s in split_sentences(a.text)]) for a in articles]
        summarizer = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(Stemmer("english"))
        return [str(s) for s in summarizer(ObjectDocumentModel(paragraphs), _budget(max_words, whole))]

    return run


def _lead(articles: Sequence[Article], max_words: int, whole: bool = False) -> list[str]:
    """Lead-3, multi-document: first sentences of each article in turn, then second, then third."""
    per_article = [[s.text for s in split_sentences(a.text)][:3] for a in articles]
    out, words = [], 0
    for k in range(3):
        for sentences in per_article:
            if k < len(sentences) and words < max_words:
                length = len(sentences[k].split())
                if whole and words + length > max_words:
                    continue
                out.append(sentences[k])
                words += length
    return out


def _lead_whole(articles: Sequence[Article], max_words: int) -> list[str]:
    return _lead(articles, max_words, whole=True)


def _centroid_whole(articles: Sequence[Article], max_words: int) -> list[str]:
    return _centroid(articles, max_words, whole=True)


def _centroid(articles: Sequence[Article], max_words: int, whole: bool = False) -> list[str]:
    """Sentences by tf-idf cosine to the centroid of all sentences, skipping near repeats."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    sentences = [s.text for a in articles for s in split_sentences(a.text) if len(s.text.split()) >= 6]
    if not sentences:
        return []
    matrix = TfidfVectorizer(stop_words="english").fit_transform(sentences)
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    scores = matrix @ centroid
    out: list[int] = []
    words = 0
    for i in np.argsort(-scores):
        if any(float((matrix[i] @ matrix[j].T).toarray()[0, 0]) > 0.6 for j in out):
            continue
        if whole and words + len(sentences[i].split()) > max_words:
            continue
        out.append(int(i))
        words += len(sentences[i].split())
        if words >= max_words:
            break
    return [sentences[i] for i in out]


def _lead_of_candidates(settings: Settings) -> Summarizer:
    """Lead-3 over the composer's own fact candidates (whole sentences): what the fact filter leaves
    lead-3, to tell the filter's cost from the selection's."""

    def run(articles: Sequence[Article], max_words: int) -> list[str]:
        from newsprism.compose import ExtractiveComposer, get_composer
        from newsprism.compose._facts import ranked_facts

        composer = get_composer(settings)
        if not isinstance(composer, ExtractiveComposer):
            return []
        units, sims, _titles = composer.prepare(articles)
        candidates = ranked_facts(units, sims, composer.thresholds, composer.weights, fill=max_words)
        per_article = [[u.text for i, u in enumerate(units) if u.article == k and i in candidates][:3]
                       for k in range(len(articles))]
        out, words = [], 0
        for k in range(3):
            for sentences in per_article:
                if k < len(sentences) and words + len(sentences[k].split()) <= max_words:
                    out.append(sentences[k])
                    words += len(sentences[k].split())
        return out

    return run


def _systems(settings: Settings) -> dict[str, Summarizer]:
    return {
        "newsprism extractive.v1": lambda arts, n: summarize(arts, n, settings=settings),
        "sumy LexRank": _sumy("lexrank"),
        "sumy TextRank": _sumy("textrank"),
        "lead-3": _lead,
        "centroid (tf-idf)": _centroid,
        "sumy LexRank, whole sentences": _sumy("lexrank", whole=True),
        "lead-3, whole sentences": _lead_whole,
        "centroid, whole sentences": _centroid_whole,
        "lead-3 of our fact candidates (whole)": _lead_of_candidates(settings),
    }


def _score(rows: list[dict[str, float]]) -> dict[str, float]:
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}


def evaluate_multiling(
    folder: Path,
    settings: Settings,
    *,
    topics: int = 10,
    stem: bool = False,
    max_words: int = 250,
    first: int = 0,
) -> list[Result]:
    """Mean ROUGE F per system over topics `first`..`topics`-1 (5 = the held-out topics 5-9), then,
    for all ten, the published figures for comparison."""
    data = load_multiling(folder, topics)[first:]
    results = []
    for name, system in _systems(settings).items():
        rows = []
        for articles, refs in data:
            summary = " ".join(system(articles, max_words))
            s = rouge(summary, refs, stem=stem, max_words=max_words)
            rows.append({"R1": s["1"].f, "R2": s["2"].f, "RSU4": s["SU4"].f})
        results.append(Result(name, _score(rows)))
    if topics == 10 and first == 0:
        results += _published(folder)
    return results


def _published(folder: Path) -> list[Result]:
    base = folder / "PublishedEvaluation" / "AutomaticEvaluation" / "ROUGE" / "Averages"
    table: dict[str, dict[str, float]] = {}
    for metric, key in (("1", "R1"), ("2", "R2"), ("SU4", "RSU4")):
        path = base / f"ENGLISH_ROUGE-{metric}.csv"
        if not path.exists():
            return []
        for line in path.read_text().splitlines()[1:]:
            run, _r, _p, f = line.split(",")
            table.setdefault(run.split("_")[0], {})[key] = float(f)
    return [Result(f"published {label}", table[run]) for label, run in _PUBLISHED.items() if run in table]


def _neus_articles(line: str) -> list[Article]:
    out = []
    for k, part in enumerate(line.split("[SEP]")):
        title, _, body = part.partition("ARTICLE=>")
        title = title.replace("TITLE=>", "").strip()
        body = body.strip()
        if body:
            out.append(
                Article(id=f"n{k}-{content_id(title, body)}", title=title, text=body, outlet=f"side{k}")
            )
    return out


def _added_arousal(text: str, reference: set[str]) -> float:
    return arousal([w for w in tokens(text) if w not in reference])


def _framing(ours: float, sources: Sequence[float]) -> dict[str, float]:
    """Added-word arousal and how it stands against the story's source articles: strictly below their
    mean, strictly below the calmest one, and at or below the calmest one (ties at 0 are common)."""
    return {
        "arousal": ours,
        "<mean src": float(ours < float(np.mean(sources))),
        "<min src": float(ours < min(sources)),
        "<=min src": float(ours <= min(sources)),
    }


def evaluate_neus(
    folder: Path, settings: Settings, *, limit: int = 100, stem: bool = False, split: str = "val",
    every: int = 1,
) -> list[Result]:
    """ROUGE against the AllSides roundup and framing arousal, for each system and for each source.
    The framing shares say in how many stories a system's added words are calmer than the sources'.
    `split` "train" (every `every`-th story) is the development fold; "val" is held out."""
    sources = (folder / f"{split}.source").read_text("utf-8").splitlines()[::every][:limit]
    targets = (folder / f"{split}.target").read_text("utf-8").splitlines()[::every][:limit]
    rows: dict[str, list[dict[str, float]]] = {}
    for line, target in zip(sources, targets, strict=False):
        articles = _neus_articles(line)
        if not articles:
            continue
        reference = set(tokens(target))
        budget = len(target.split())
        source_arousal = [_added_arousal(a.text, reference) for a in articles]
        for name, system in _systems(settings).items():
            summary = " ".join(system(articles, budget))
            s = rouge(summary, [target], stem=stem, max_words=budget)
            ours = _added_arousal(summary, reference)
            rows.setdefault(name, []).append(
                {"R1": s["1"].f, "R2": s["2"].f, "RSU4": s["SU4"].f, **_framing(ours, source_arousal),
                 "empty": float(not summary.strip())}
            )
        rows.setdefault("source articles (each)", []).extend(
            {"R1": 0.0, "R2": 0.0, "RSU4": 0.0, **_framing(a, source_arousal), "empty": 0.0}
            for a in source_arousal
        )
    return [Result(name, _score(r)) for name, r in rows.items()]


def render_table(results: Sequence[Result], folder: Path | None, title: str | None = None) -> str:
    """A plain-text table, one system a row ("empty" is the share of stories with no output)."""
    title = title or (
        "MultiLing 2011 English (250 words)" if folder is not None else "NeuS val vs AllSides roundup"
    )
    keys = list(dict.fromkeys(k for r in results for k in r.scores))
    lines = [title, f"{'system':42}" + "".join(f"{k:>11}" for k in keys)]
    for r in results:
        lines.append(f"{r.system:42}" + "".join(f"{r.scores.get(k, float('nan')):>11.4f}" for k in keys))
    return "\n".join(lines)
