"""Training and measuring the section classifier (`newsprism eval sections`).

Labelled data (both under `../shared/data`, development only):
- `clusters/uci-news-aggregator/`: 6,366 Google News headlines of March 2014, CATEGORY b/t/e/m mapped by
  `UCI_SECTIONS` (t is "science and technology": it maps to Technology, which most of it is);
- `allsides-articles/`: 37,554 articles (title + the first `LEAD_WORDS` words of the text), whose 108
  AllSides topics map to sections by `TOPIC_SECTIONS`; a topic with no clear section (media bias,
  polarization, culture, ...) is left out, and counted as such.

Folds keep one story in one fold, so near-duplicate coverage never straddles train and test:
a UCI headline's fold is its Google story id's CRC-32 mod 5; an AllSides article's is the CRC-32 of its
ISO week mod 5 (an event's articles share the week); AllSides articles without a date are train-only.
Fold 4 is held out: the shipped model is fitted on folds 0-3 and the undated articles, choices (buckets,
C, class weights) are made by cross-validation within folds 0-3, and fold 4 is scored once.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.evaluation.paths import shared
from newsprism.sections import (
    SECTIONS,
    SectionModel,
    VectorHead,
    article_text,
    hashed_counts,
)
from newsprism.types import Article

__all__ = [
    "HEAD",
    "HELD_OUT",
    "KEYWORDS",
    "TOPIC_SECTIONS",
    "UCI_SECTIONS",
    "Example",
    "SetScore",
    "fit",
    "fit_vector_head",
    "head_vectors",
    "held_out_report",
    "keyword_section",
    "load_allsides",
    "load_examples",
    "load_uci",
    "render_table",
    "score",
    "train_shipped",
    "vector_sample",
    "vectors_by_head",
]

FOLDS = 5
HELD_OUT = 4
# the shipped vector head (`fit_vector_head`), chosen by cross-validation on folds 0-3
# (all-sets macro-F1, mean of folds 0-3: C 2 balanced, gamma 0.75 .702; gamma 0 (vector alone) .643, 0.5
# .699, 1 .699; C 8 balanced .701; C 8 sqrt-balanced .692; the text model alone .572)
HEAD: dict[str, str | float] = {"embedder": "minilm64.v1", "per_class": 3000, "c": 2.0, "gamma": 0.75,
                                "weighting": "balanced"}
UCI_SECTIONS = {"b": "Business", "t": "Technology", "e": "Entertainment", "m": "Health"}

# AllSides topic -> section. Topics not listed (media_bias, polarization, culture, education,
# violence_in_america, religion_and_faith, general_news, ...) have no one section and are left out.
TOPIC_SECTIONS: dict[str, str] = {
    **dict.fromkeys((
        "world", "middle_east", "foreign_policy", "terrorism", "north_korea", "russia", "great_britain",
        "isis", "china", "europe", "israel", "mexico", "asia", "palestine", "africa", "south_korea",
        "state_department", "nuclear_weapons"), "World"),
    **dict.fromkeys((
        "elections", "politics", "white_house", "immigration", "supreme_court", "us_senate",
        "federal_budget", "us_house", "republican_party", "national_security", "us_congress",
        "impeachment", "taxes", "fbi", "lgbt_rights", "abortion", "justice", "justice_department",
        "free_speech", "us_military", "nsa", "defense", "democratic_party", "national_defense",
        "campaign_finance", "fiscal_cliff", "civil_rights", "homeland_security", "criminal_justice",
        "voting_rights_and_voter_fraud", "marijuana_legalization", "veterans_affairs",
        "role_of_government", "cia", "us_constitution", "tea_party", "campaign_rhetoric",
        "gun_control_and_gun_rights", "domestic_policy", "death_penalty",
        "capital_punishment_and_death_penalty", "social_security", "welfare", "dea"), "Politics"),
    **dict.fromkeys((
        "economy_and_jobs", "trade", "banking_and_finance", "business", "labor", "treasury",
        "economic_policy", "energy", "agriculture", "media_industry"), "Business"),
    **dict.fromkeys(("technology", "cybersecurity", "privacy"), "Technology"),
    "science": "Science",
    **dict.fromkeys((
        "healthcare", "coronavirus", "ebola", "public_health", "opioid_crisis", "fda",
        "obesity_and_malnutrition"), "Health"),
    **dict.fromkeys(("environment", "epa", "animal_welfare"), "Environment"),
    "sports": "Sports",
    "arts_and_entertainment": "Entertainment",
}

# The keyword baseline: a section when one of its words is in the text (first section in SECTIONS
# order wins), else Politics (the most common section of the training folds).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "World": ("china", "russia", "israel", "iran", "syria", "ukraine", "korea", "europe", "un", "nato",
              "minister", "foreign", "embassy", "war"),
    "Politics": ("trump", "obama", "senate", "congress", "election", "republican", "democrat", "vote",
                 "president", "governor", "campaign", "bill", "court"),
    "Business": ("stock", "stocks", "market", "shares", "bank", "economy", "fed", "profit", "sales",
                 "company", "trade", "oil", "dollar", "jobs", "investors"),
    "Technology": ("apple", "google", "microsoft", "facebook", "iphone", "android", "software", "app",
                   "internet", "tech", "samsung", "twitter", "cyber"),
    "Science": ("scientists", "study", "space", "nasa", "researchers", "species", "planet"),
    "Health": ("health", "cancer", "virus", "disease", "hospital", "drug", "vaccine", "medical",
               "obamacare", "patients", "coronavirus"),
    "Environment": ("climate", "environmental", "epa", "emissions", "pollution", "warming", "carbon"),
    "Sports": ("nfl", "nba", "game", "team", "season", "coach", "league", "player", "olympic", "cup"),
    "Entertainment": ("film", "movie", "music", "star", "album", "show", "tv", "actor", "actress",
                      "singer", "hollywood", "video"),
}


@dataclass(frozen=True)
class Example:
    text: str
    section: str
    dataset: str      # "uci" or "allsides"
    fold: int         # 0..FOLDS-1, or -1: train only
    group: str        # the story (UCI) or week (AllSides) that keeps near-duplicates in one fold
    head: str = ""    # what the product embeds of the article (`analyse.article_head`): its vector's text


@dataclass(frozen=True)
class SetScore:
    dataset: str
    system: str
    n: int
    accuracy: float
    macro_f1: float
    per_class: dict[str, float]


def _head(title: str, text: str) -> str:
    from newsprism.analyse import article_head

    return article_head(Article(id="", title=title, text=text))


def _fold(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % FOLDS


def load_uci(path: Path | None = None) -> list[Example]:
    path = path or shared("clusters/uci-news-aggregator/uci-news-aggregator.sample.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # the demo ingests a Google News listing with its headline as its text (data/uci-news-aggregator)
    return [Example(article_text(r["TITLE"], ""), UCI_SECTIONS[r["CATEGORY"]], "uci", _fold(r["STORY"]),
                    r["STORY"], _head(r["TITLE"], r["TITLE"])) for r in rows if r["CATEGORY"] in UCI_SECTIONS]


def _week(date: str) -> str | None:
    for fmt in ("%Y-%m-%d", "%m/%d/%y"):
        try:
            day = dt.datetime.strptime(date.strip()[:10], fmt).date()
        except ValueError:
            continue
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return None


def load_allsides(path: Path | None = None, *, left_out: Counter[str] | None = None) -> list[Example]:
    """The AllSides articles whose topic maps to a section; `left_out` counts the topics that do not."""
    path = path or shared("allsides-articles/articles.jsonl.gz")
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            section = TOPIC_SECTIONS.get(row["topic"])
            if section is None:
                if left_out is not None:
                    left_out[row["topic"]] += 1
                continue
            week = _week(row.get("date") or "")
            out.append(Example(article_text(row["title"], row["text"]), section, "allsides",
                               _fold(week) if week else -1, week or "", _head(row["title"], row["text"])))
    return out


def load_examples(cache: Path | None = None) -> list[Example]:
    """Both sets (cached as JSON lines at `cache` when given: parsing AllSides takes seconds)."""
    if cache is not None and cache.exists():
        with gzip.open(cache, "rt", encoding="utf-8") as handle:
            return [Example(**json.loads(line)) for line in handle]
    examples = load_uci() + load_allsides()
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(cache, "wt", encoding="utf-8") as handle:
            for e in examples:
                handle.write(json.dumps(e.__dict__) + "\n")
    return examples


def _matrix(texts: Sequence[str], buckets: int) -> Any:
    from scipy.sparse import csr_matrix

    indptr: list[int] = [0]
    indices: list[int] = []
    data: list[int] = []
    for text in texts:
        counts = hashed_counts(text, buckets)
        indices.extend(counts.keys())
        data.extend(counts.values())
        indptr.append(len(indices))
    return csr_matrix((np.asarray(data, np.float32), np.asarray(indices, np.int64), np.asarray(indptr)),
                      shape=(len(texts), buckets))


def fit(train: Sequence[Example], *, buckets: int = 1 << 15, c: float = 8.0, balanced: bool = True,
        provenance: dict[str, str] | None = None) -> SectionModel:
    """A section model fitted on `train` (sklearn's logistic regression; inference needs numpy only).
    `balanced` weighs each class the same in the loss, so the small sections are not drowned."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import normalize

    counts = _matrix([e.text for e in train], buckets)
    df = np.bincount(counts.indices, minlength=buckets).astype(np.float64)
    idf = (np.log((1 + len(train)) / (1 + df)) + 1.0).astype(np.float32)
    tf = counts.copy()
    tf.data = 1.0 + np.log(tf.data)
    x = normalize(tf.multiply(idf).tocsr())
    classes = [s for s in SECTIONS if any(e.section == s for e in train)]
    y = np.asarray([classes.index(e.section) for e in train])
    clf = LogisticRegression(C=c, max_iter=300, class_weight="balanced" if balanced else None)
    clf.fit(x, y)
    return SectionModel(tuple(classes), buckets, idf, clf.coef_.astype(np.float32),
                        clf.intercept_.astype(np.float32), dict(provenance or {}))


def keyword_section(text: str) -> str:
    words = set(text.lower().replace("'s", "").split())
    for section in SECTIONS:
        if words & set(KEYWORDS[section]):
            return section
    return "Politics"


def score(dataset: str, system: str, gold: Sequence[str], predicted: Sequence[str]) -> SetScore:
    """Accuracy and macro-F1 over the sections present in `gold` (a section the set never has is not
    averaged in, but predicting it still costs the true section its recall)."""
    labels = sorted(set(gold))
    per_class = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        per_class[label] = round(2 * tp / (2 * tp + fp + fn), 4) if tp + fp + fn else 0.0
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(1, len(gold))
    return SetScore(dataset, system, len(gold), round(accuracy, 4),
                    round(sum(per_class.values()) / max(1, len(per_class)), 4), per_class)


Vectors = dict[str, Any]  # an article head (`Example.head`) -> its vector


def _rows(items: Sequence[Example], vectors: Vectors | None) -> list[Any] | None:
    return [vectors.get(e.head) for e in items] if vectors is not None else None


def _systems(model: SectionModel, train: Sequence[Example], vectors: Vectors | None
             ) -> dict[str, Callable[[list[Example]], list[str]]]:
    majority: dict[str, str] = {}
    for dataset in ("uci", "allsides"):
        counts = Counter(e.section for e in train if e.dataset == dataset)
        majority[dataset] = counts.most_common(1)[0][0] if counts else "Politics"
    systems: dict[str, Callable[[list[Example]], list[str]]] = {
        "model": lambda items: model.predict([e.text for e in items], _rows(items, vectors)),
    }
    if model.vector_head is not None:
        # what the model says of an article that has no vector (the fallback)
        systems["text-only"] = lambda items: model.predict([e.text for e in items])
    systems["majority"] = lambda items: [majority[e.dataset] for e in items]
    systems["keywords"] = lambda items: [keyword_section(e.text) for e in items]
    return systems


def evaluate(model: SectionModel, test: Sequence[Example], train: Sequence[Example],
             vectors: Vectors | None = None) -> list[SetScore]:
    """The model and both baselines on each set of `test` and on both together (`vectors`: the article
    vectors by head, for a model with a vector head; without them it reads text only)."""
    out = []
    systems = _systems(model, train, vectors)
    for dataset in ("uci", "allsides", "all"):
        items = [e for e in test if dataset in ("all", e.dataset)]
        if not items:
            continue
        gold = [e.section for e in items]
        for name, system in systems.items():
            out.append(score(dataset, name, gold, system(items)))
    # UCI stories: a story's section (its headlines' majority category) against the model's story
    # decision (mean probability over its headlines), as compose decides it
    stories: dict[str, list[Example]] = {}
    for e in test:
        if e.dataset == "uci":
            stories.setdefault(e.group, []).append(e)
    if stories:
        gold = [Counter(e.section for e in items).most_common(1)[0][0] for items in stories.values()]
        predicted = [model.classify([e.text for e in items], _rows(items, vectors)) or ""
                     for items in stories.values()]
        out.append(score("uci-stories", "model", gold, predicted))
    return out


def cross_validate(examples: Sequence[Example], **params: Any) -> list[SetScore]:
    """Macro-F1 and accuracy on each development fold (0..HELD_OUT-1), fitted on the others: for
    choosing `fit`'s parameters without looking at the held-out fold."""
    scores = []
    for fold in range(HELD_OUT):
        train = [e for e in examples if e.fold not in (fold, HELD_OUT)]
        test = [e for e in examples if e.fold == fold]
        model = fit(train, **params)
        scores += [s for s in evaluate(model, test, train) if s.system == "model"]
    return scores


def split(examples: Iterable[Example]) -> tuple[list[Example], list[Example]]:
    """(train: every fold but the held-out one, and the train-only examples; test: the held-out fold)."""
    examples = list(examples)
    return [e for e in examples if e.fold != HELD_OUT], [e for e in examples if e.fold == HELD_OUT]


def vector_sample(train: Sequence[Example], per_class: int) -> list[Example]:
    """At most `per_class` examples of each section, the first by CRC-32 of their head (a fixed random
    sample): what the vector head is fitted on. Classes are weighed alike in its loss anyway, and
    embedding all 22,000 Politics articles would cost ten minutes for nothing."""
    out: list[Example] = []
    for section in SECTIONS:
        items = sorted((e for e in train if e.section == section),
                       key=lambda e: (zlib.crc32(e.head.encode("utf-8")), e.head))
        out += items[:per_class]
    return out


def train_shipped(examples: Sequence[Example], out: Path, *, vectors: Vectors | None = None,
                  embedder: str = "minilm64.v1", text: SectionModel | None = None,
                  head: dict[str, Any] | None = None, per_class: int = 3000,
                  **params: Any) -> tuple[SectionModel, list[SetScore]]:
    """Fits on the training folds, scores the held-out fold, writes the model with its provenance.
    With `vectors` (by head, `embedder`'s), adds the vector head (`head`: `fit_vector_head`'s c, gamma,
    weighting), fitted on `vector_sample(train, per_class)`; `text`: a text model already fitted on the
    same training folds (the fallback), instead of fitting it again. `vectors` must hold the held-out
    fold's heads too (they are scored with them)."""
    train, test = split(examples)
    started = time.perf_counter()
    fitted = text or fit(train, **params)
    with_vectors = vector_sample(train, per_class) if vectors is not None else []
    if vectors is not None:
        matrix = np.stack([vectors[e.head] for e in with_vectors])
        fitted = fit_vector_head(with_vectors, matrix, fitted, embedder=embedder, **(head or {}))
    # scored as shipped: after the int8 round trip of the artifact
    model = SectionModel.from_json(fitted.to_json())
    scores = evaluate(model, test, train, vectors)
    figures = "; ".join(f"{s.dataset} acc {s.accuracy:.3f} macro-F1 {s.macro_f1:.3f}"
                        for s in scores if s.system == "model")
    counts = Counter(e.dataset for e in train)
    provenance = {
        "data": (f"UCI News Aggregator sample ({counts['uci']} train headlines, CATEGORY b/t/e/m) + AllSides"
                 f" articles ({counts['allsides']} train, 108 topics mapped by evaluation.sections."
                 "TOPIC_SECTIONS), ../shared/data"),
        "folds": (f"fit on folds 0-{HELD_OUT - 1} + undated AllSides (UCI by story, AllSides by ISO week,"
                  f" crc32 mod {FOLDS}); held-out fold {HELD_OUT} scored once"),
        "score": f"held-out fold {HELD_OUT}: {figures}",
        "params": json.dumps(params, sort_keys=True),
        "method": "newsprism eval sections --train",
        "seconds": f"{time.perf_counter() - started:.1f}",
    }
    if text is not None and not params:
        provenance["params"] = text.provenance.get("params", "{}")
    if vectors is not None:
        sections = ", ".join(f"{k} {v}" for k, v in Counter(e.section for e in with_vectors).most_common())
        provenance["vector_head"] = (
            f"{embedder} vectors of analyse.article_head (title + lead) of {len(with_vectors)} training"
            f" examples (at most {per_class} a section, by crc32 of the head: {sections}); logistic"
            f" regression {json.dumps(head or {}, sort_keys=True)} chosen by CV on folds 0-{HELD_OUT - 1};"
            " logits added to gamma x the text model's")
    model = SectionModel(model.classes, model.buckets, model.idf, model.weights, model.bias, provenance,
                         model.vector_head)
    model.save(out)
    return model, scores


def held_out_report(model: SectionModel, examples: Sequence[Example], vectors: Vectors | None = None
                    ) -> dict[str, Any]:
    """The shipped (or given) model and the baselines on the held-out fold, per set, as JSON."""
    train, test = split(examples)
    scores = evaluate(model, test, train, vectors)
    return {
        "fold": HELD_OUT,
        "folds": f"UCI by story, AllSides by ISO week, crc32 mod {FOLDS}; fold {HELD_OUT} held out",
        "model_provenance": dict(model.provenance),
        "sets": {d: sum(1 for e in test if e.dataset == d) for d in ("uci", "allsides")},
        "scores": [s.__dict__ for s in scores],
    }


def render_table(report: dict[str, Any]) -> str:
    lines = [f"Sections on held-out fold {report['fold']} ({report['folds']})",
             f"{'set':12} {'system':9} {'n':>6} {'acc':>6} {'macro-F1':>9}  per section F1"]
    for s in report["scores"]:
        per = " ".join(f"{k[:5]} {v:.2f}" for k, v in s["per_class"].items())
        lines.append(f"{s['dataset']:12} {s['system']:9} {s['n']:6d} {s['accuracy']:6.3f}"
                     f" {s['macro_f1']:9.3f}  {per}")
    return "\n".join(lines)


def head_vectors(heads: Sequence[str], cache: Path, embedder: str = "minilm64.v1",
                 budget: float | None = None) -> Any:
    """Vectors (`embedder`) of the article heads, kept in `cache/heads.<embedder>.npz` by text key
    (the product's own vectors of these texts). With `budget` (seconds), embeds at most about that long
    and returns None if some are still missing (embedding 40k heads takes a quarter of an hour on two
    cores: run it in pieces under the shared lock until it returns a matrix)."""
    from newsprism.analyse import get_embedder, text_key

    path = cache / f"heads.{embedder}.npz"
    known: dict[str, Any] = {}
    if path.exists():
        with np.load(path) as stored:
            known = dict(zip((str(k) for k in stored["keys"]), stored["vectors"], strict=True))
    keys = [text_key(h) for h in heads]
    todo = list({k: h for k, h in zip(keys, heads, strict=True) if k not in known}.items())
    started = time.perf_counter()
    model = get_embedder(embedder) if todo else None
    for start in range(0, len(todo), 1024):
        if budget is not None and time.perf_counter() - started > budget:
            break
        chunk = todo[start:start + 1024]
        assert model is not None
        known.update(zip((k for k, _ in chunk), model.embed([h for _, h in chunk]), strict=True))
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp.npz")
        np.savez(partial, keys=np.array(list(known)),
                 vectors=np.stack(list(known.values())).astype(np.float32))
        partial.replace(path)
        print(f"{len(known)} vectors, {len(todo) - start - len(chunk)} to go, "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    if any(k not in known for k in keys):
        return None
    return np.stack([known[k] for k in keys]).astype(np.float32)


def fit_vector_head(train: Sequence[Example], vectors: Any, text_model: SectionModel, *, embedder: str,
                    c: float = 4.0, gamma: float = 0.5, weighting: str = "balanced") -> SectionModel:
    """`text_model` with a vector head: an LR on the article vectors (rows of `vectors`, aligned with
    `train`), whose logits are added to `gamma` times the text model's (late fusion: the joint logits
    are linear in both feature sets, so the head is one linear model over both). `weighting` is
    "balanced" (each class the same weight in the loss), "sqrt" (the square root of that) or "none"."""
    from sklearn.linear_model import LogisticRegression

    classes = list(text_model.classes)
    y = np.asarray([classes.index(e.section) for e in train])
    counts = np.bincount(y, minlength=len(classes)).astype(np.float64)
    per_class = {"balanced": len(y) / (len(classes) * np.maximum(counts, 1)),
                 "sqrt": np.sqrt(len(y) / (len(classes) * np.maximum(counts, 1))),
                 "none": np.ones(len(classes))}[weighting]
    clf = LogisticRegression(C=c, max_iter=1000)
    clf.fit(np.asarray(vectors, dtype=np.float64), y, sample_weight=per_class[y])
    weights = np.zeros((len(classes), vectors.shape[1]), dtype=np.float32)
    bias = np.zeros(len(classes), dtype=np.float32)
    weights[clf.classes_] = clf.coef_
    bias[clf.classes_] = clf.intercept_
    bias[np.setdiff1d(np.arange(len(classes)), clf.classes_)] = -30.0  # a class with no example
    head = VectorHead(embedder, weights, (gamma * text_model.weights).astype(np.float32),
                      (bias + gamma * text_model.bias).astype(np.float32))
    return SectionModel(text_model.classes, text_model.buckets, text_model.idf, text_model.weights,
                        text_model.bias, dict(text_model.provenance), head)


def vectors_by_head(examples: Sequence[Example], embedder: str, cache: Path | None) -> Vectors:
    """The vectors of the examples' heads (`embedder`'s), by head: from `cache` (`head_vectors`), all
    computed (and kept there) on a miss; without a cache, computed in memory."""
    heads = list(dict.fromkeys(e.head for e in examples))
    if cache is None:
        from newsprism.analyse import get_embedder

        matrix = get_embedder(embedder).embed(heads)
    else:
        matrix = head_vectors(heads, cache, embedder)
    return dict(zip(heads, matrix, strict=True))
