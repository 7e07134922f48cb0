"""Fact selection: rank plain-fact sentences, then pick a non-redundant set.

A sentence scores for
1. cross-source support: how many independent sources state something close to it (embedding cosine
   above the embedder's paraphrase threshold; near-identical sentences from different groups are
   wire copies and count once), plus how close it comes, on average, to each *other* outlet's sentences;
2. centrality: LexRank-style stationary weight on the sentence similarity graph;
3. position: news puts the event first, so earlier sentences of each article weigh more;
and loses for subjectivity, arousal, loaded words and a dangling subject ("He also ...").
Selection is greedy on MMR plus saturated coverage of the story (Lin & Bilmes), per word ** `length`;
a candidate too close to a chosen fact is skipped, so no two facts say the same thing, and among
paraphrases of similar score the least aroused wording is taken. The weights live in `Weights`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsprism.compose._lexicon import AROUSAL, tokens
from newsprism.compose._units import Unit

__all__ = [
    "THRESHOLDS",
    "WEIGHTS",
    "Thresholds",
    "Weights",
    "clean_wording",
    "cross_support",
    "independent_count",
    "pack_budget",
    "ranked_facts",
    "refill_budget",
    "select_facts",
    "support_of",
]

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Thresholds:
    """Cosine thresholds; they depend on the embedder's geometry (MiniLM paraphrases sit ~0.7-0.9)."""

    support: float = 0.68  # another sentence states the same thing
    redundant: float = 0.62  # two facts would say the same thing
    copy: float = 0.93  # near-identical: a wire copy
    related: float = 0.45  # about the same thing (numbers that conflict must be about one thing)


THRESHOLDS = {
    "minilm.v1": Thresholds(),
    # redundant = support: a fact is redundant when it would count as the other's support, no sooner
    # (0.55 dropped later articles' related but different news). Chosen on MultiLing topics 0-4 from
    # 0.55-0.7 with support kept (raising it costs facts their second source): R2 .215 -> .225 there,
    # .166 -> .170 on held-out topics 5-9, NeuS val .150 -> .160.
    "wordllama.v1": Thresholds(support=0.6, redundant=0.6, copy=0.93, related=0.3),
    "tfidf.v1": Thresholds(support=0.45, redundant=0.4, copy=0.85, related=0.15),
}

# Intensifiers that can be dropped from a fact without changing what it states.
_DROPPABLE = {
    w
    for w, s in AROUSAL.items()
    if s >= 0.6
    and w.isalpha()
    and w
    not in {
        "crisis",
        "massacre",
        "massacred",
        "slaughter",
        "slaughtered",
        "catastrophe",
        "surge",
        "surged",
        "plunge",
        "plunged",
        "victory",
        "scandal",
        "crackdown",
        "disaster",
        "destroyed",
        "destroy",
        "destroys",
        "panic",
        "chaos",
        "turmoil",
        "shock",
        "triumph",
        "provocation",
        "provocations",
        "outrage",
    }
} | {"groining", "landmark", "historic"}
_DROP = re.compile(
    r"\b(" + "|".join(sorted(_DROPPABLE, key=len, reverse=True)) + r")\s+(?=[a-z])", re.IGNORECASE
)


def clean_wording(text: str) -> str:
    """`text` without droppable intensifiers ("a landmark summit" -> "a summit"), articles fixed."""
    out = _DROP.sub("", text)
    out = re.sub(r"\b([Aa])n ([^aeiouAEIOU\W])", r"\1 \2", out)
    out = re.sub(r"\b([Aa]) ([aeiouAEIOU])", r"\1n \2", out)
    return re.sub(r"\s{2,}", " ", out)


def _lexrank(sims: Matrix, threshold: float = 0.3, iterations: int = 50) -> npt.NDArray[np.float64]:
    adj = (sims >= threshold).astype(np.float64)
    np.fill_diagonal(adj, 0.0)
    degree = adj.sum(axis=1, keepdims=True)
    n = len(sims)
    trans = np.where(degree > 0, adj / np.maximum(degree, 1e-9), 1.0 / max(n, 1))
    rank = np.full(n, 1.0 / max(n, 1))
    for _ in range(iterations):
        rank = 0.15 / n + 0.85 * rank @ trans
    return rank * n  # 1.0 = average centrality


def support_of(i: int, units: Sequence[Unit], sims: Matrix, th: Thresholds) -> list[int]:
    """Units that state the same thing as unit `i` (itself first); captions, furniture and opinion
    articles are no support."""
    row = sims[i]
    out = [i]
    for j in np.argsort(-row):
        j = int(j)
        if row[j] < th.support:
            break
        if j != i and units[j].supports:
            out.append(j)
    return out


def independent_count(members: Sequence[int], units: Sequence[Unit], sims: Matrix, th: Thresholds) -> int:
    """Independent sources among `members`: one per source group, near-identical copies merged."""
    parent = {units[m].source: units[m].source for m in members}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a_i, a in enumerate(members):
        for b in members[a_i + 1 :]:
            if units[a].source != units[b].source and sims[a, b] >= th.copy:
                parent[find(units[a].source)] = find(units[b].source)
    return len({find(g) for g in parent})


@dataclass(frozen=True)
class Weights:
    """How a fact candidate is scored and how the set is chosen. Tuned with leave-topics-out on
    MultiLing 2011 (topics 0-4 vs 5-9) and on NeuS train; never on NeuS val (see bench/compose.py)."""

    centrality: float = 0.45  # log1p of LexRank weight
    support: float = 0.35  # log2 of independent sources stating it
    cross: float = 0.5  # mean best cosine to each *other* source group's sentences
    position: float = 1.2  # news leads carry the event: w / (1 + position / decay)
    decay: float = 2.0
    subjectivity: float = 0.5
    arousal: float = 3.0
    loaded: float = 0.15
    dangling: float = 0.25
    short: float = 0.2  # fewer than 10 words
    # selection divides a gain by words ** length (Lin & Bilmes' cost scaling); 0 since the budget is
    # refilled (refill_budget): 0.1 -> 0 raised ROUGE-2 on MultiLing 0-4 .2266 -> .2323, NeuS train +.0005
    length: float = 0.0
    coverage: float = 0.3  # weight of the submodular coverage term; 0 = plain MMR
    saturation: float = 0.25  # coverage of a sentence saturates at this share of its total similarity
    mmr: float = 0.7
    soft_subjectivity: float = 0.7  # short inputs admit "subjective"-only sentences below this
    # a word budget (a summary request) admits, besides plain facts, sentences whose only flaw is one
    # of these readings (they pay `soft_penalty` + their subjectivity in the score): "subjective" is
    # textblob's lexicon alone ("confirmed", "significant"), not a cue of opinion
    soft_admits: tuple[str, ...] = ("subjective", "prediction", "evaluation", "motive")
    # readings admitted whatever their subjectivity: "subjective" is textblob's lexicon alone, which rates
    # plain reports 1.0 ("Five men were found guilty Monday ...", "Electors ... will meet on Monday ...")
    soft_any_subjectivity: tuple[str, ...] = ("subjective",)
    soft_always: bool = False  # admit them under every budget, not only when plain facts run short
    # "run short": the plain facts hold under `soft_short` x the budget's words (three outlets' title and
    # lead, not ten whole articles). 1 -> 2 with soft_any_subjectivity, chosen on two NeuS train sixths
    # (ROUGE-2 .1539 -> .1586 and .1656 -> .1721; MultiLing 0-4, never short, unchanged)
    soft_short: float = 2.0
    soft_penalty: float = 0.0
    neutral_swap: float = 0.1  # take a more neutral paraphrase when its score is within this margin
    # a word budget: the value of filling it, against the facts' prominence (pack_budget); 0 = take the
    # facts in order of importance, passing over one that would overflow
    fill: float = 0.0
    # then the budget's rest: the next-best candidates that fit, redundant only above `refill_redundant`
    # (two outlets' wordings of the news say it in different words a reader may search for), then the
    # reporting sentences (stand-ins) in lead order; 0 = no second pass
    refill_redundant: float = 0.8
    refill_contained: float = 0.85  # ... and not lexically contained in what is already said
    refill_stand_ins: bool = True
    # short inputs (plain facts under `short_input` x the budget, e.g. three outlets' title and lead)
    # are summarised with this redundancy threshold instead of the embedder's: their few sentences tell
    # one event, and a second outlet's wording of it says more than nothing (the lexical-containment
    # check still drops repeats). Chosen on NeuS train halves (+.002 ROUGE-2 on each; MultiLing 0-4,
    # never short, unchanged) from 0.7-0.9 x 1-2; 0 = the embedder's threshold
    short_redundant: float = 0.9
    short_input: float = 2.0


WEIGHTS = Weights()


def cross_support(units: Sequence[Unit], sims: Matrix, body: Sequence[int]) -> npt.NDArray[np.float64]:
    """For every unit: the mean, over the *other* source groups, of its best cosine to their sentences."""
    out = np.zeros(len(units))
    groups = sorted({units[i].source for i in body})
    if len(groups) < 2:
        return out
    best = np.zeros((len(units), len(groups)))
    for k, g in enumerate(groups):
        cols = [i for i in body if units[i].source == g]
        best[:, k] = sims[:, cols].max(axis=1)
    member = np.array([[units[i].source == g for g in groups] for i in range(len(units))])
    best[member] = np.nan
    with np.errstate(all="ignore"):
        out = np.nan_to_num(np.nanmean(best, axis=1))
    return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float64)


# An evaluation cue that is the writer's own judgement, not something the story reports: such a sentence
# is admitted under a budget only when it is attributed ("X said the city must ...").
_NORMATIVE = re.compile(
    r"\b(should|must|ought to|needs? to|it is (?:clear|obvious|important|vital|essential)|in our view|"
    r"we believe|i believe|arguably|clearly|obviously|undoubtedly|unfortunately|fortunately|sadly|"
    r"rightly|wrongly)\b", re.IGNORECASE,
)
_ATTRIBUTED = re.compile(
    r"\b(said|says|say|told|according to|argued|argues|wrote|writes|stated|claimed|claims|insisted|"
    r"warned|warns|announced|ruled)\b", re.IGNORECASE,
)


def _soft_candidate(unit: Unit, w: Weights) -> bool:
    """A sentence the strict filter dropped only for a reading in `w.soft_admits` (by default textblob
    subjectivity alone: no prediction, motive, evaluation cue, question or quote), and whose
    subjectivity stays under `w.soft_subjectivity` (any, for a reading in `w.soft_any_subjectivity`)."""
    return (
        unit.supports
        and unit.voice is None
        and unit.fragment is None
        and 6 <= unit.words <= 60
        and unit.quoted < 0.3
        and unit.interpretive in w.soft_admits
        and (unit.subjectivity < w.soft_subjectivity or unit.interpretive in w.soft_any_subjectivity)
        and not unit.text.rstrip().endswith("?")
        and not (unit.interpretive == "evaluation" and _judgement(unit.text))
    )


def _judgement(text: str) -> bool:
    """An unattributed evaluation cue: the writer's judgement."""
    return bool(_NORMATIVE.search(text)) and not _ATTRIBUTED.search(text)


def ranked_facts(
    units: Sequence[Unit],
    sims: Matrix,
    th: Thresholds,
    w: Weights = WEIGHTS,
    *,
    fill: int | None = None,
    learned: npt.NDArray[np.float64] | None = None,
) -> dict[int, float]:
    """Score of every fact candidate (higher is more important). When the plain-fact sentences hold
    fewer than `w.soft_short` x `fill` words (short inputs such as headline + lead), sentences whose only
    flaw is a reading in `w.soft_admits` (textblob subjectivity, a prediction, motive or attributed
    evaluation) join them, paying their subjectivity (and `w.soft_penalty`) in the score. With `learned`
    (the fact scorer's weighted log-odds per unit, compose/_scorer.py), it is added to the hand-weighted
    sum."""
    body = [i for i, u in enumerate(units) if u.supports]
    if not body:
        return {}
    rank = np.zeros(len(units))
    rank[body] = _lexrank(sims[np.ix_(body, body)])
    cross = cross_support(units, sims, body) if w.cross else np.zeros(len(units))
    plain_words = sum(u.words for u in units if u.fact_candidate)
    soft = fill is not None and w.soft_subjectivity > 0.5 and (
        w.soft_always or plain_words < fill * max(1.0, w.soft_short)
    )
    scores: dict[int, float] = {}
    for i, unit in enumerate(units):
        plain = unit.fact_candidate
        if not (plain or (soft and _soft_candidate(unit, w))):
            continue
        sources = independent_count(support_of(i, units, sims, th), units, sims, th)
        score = (
            w.centrality * float(np.log1p(rank[i]))
            + w.support * float(np.log2(sources))
            + w.cross * float(cross[i])
            + w.position / (1.0 + unit.position / w.decay)
            - w.subjectivity * unit.subjectivity
            - w.arousal * unit.arousal
            - w.loaded * unit.loaded
            - (w.dangling if unit.dangling else 0.0)
            - (w.short if unit.words < 10 else 0.0)
            - (0.0 if plain else w.soft_penalty)
        )
        if learned is not None:
            score += float(learned[i])
        scores[i] = score
    if not scores and fill is not None:
        # A word budget is a request for a summary: when no sentence passes as a plain fact (leads cut
        # mid-sentence, every line in a voice of its own), the reporting sentences stand in, in order.
        for i, unit in enumerate(units):
            if unit.stand_in:
                scores[i] = w.position / (1.0 + unit.position / w.decay) - w.subjectivity * unit.subjectivity
    return scores


def _neutral_variant(
    i: int, scores: dict[int, float], units: Sequence[Unit], sims: Matrix, th: Thresholds, margin: float
) -> int:
    """Among the paraphrases of unit `i` that are fact candidates, the least aroused wording whose score
    is within `margin` of `i`'s (the facts choose the calmer of two tellings of one thing)."""
    best, best_key = i, (units[i].arousal + units[i].loaded, -scores[i])
    for j in support_of(i, units, sims, th)[1:]:
        if j in scores and scores[j] >= scores[i] - margin:
            key = (units[j].arousal + units[j].loaded, -scores[j])
            if key < best_key:
                best, best_key = j, key
    return best


def select_facts(
    scores: dict[int, float],
    units: Sequence[Unit],
    sims: Matrix,
    th: Thresholds,
    *,
    limit: int,
    word_budget: int | None = None,
    w: Weights = WEIGHTS,
) -> list[int]:
    """Indices of the chosen facts, most important first, at most `limit` facts (or until `word_budget`
    words are filled), none closer than `th.redundant` to another.

    Each step takes the candidate with the best gain per word ** `w.length`: its score traded against
    its closeness to what is chosen (MMR), plus, with `w.coverage`, how much more of the story it
    covers (Lin & Bilmes' saturated coverage, a monotone submodular function)."""
    chosen: list[int] = []
    words = 0
    pool = dict(scores)
    seen_words: set[str] = set()
    body = np.array([u.supports for u in units])
    cover_w = np.where(body[:, None], np.clip(sims, 0.0, None), 0.0)  # rows: the story's sentences
    cap = w.saturation * cover_w.sum(axis=0)
    covered = np.zeros(len(units))
    coverage_of = np.minimum(covered, cap).sum()
    while pool and len(chosen) < limit:
        idx = np.fromiter(pool, dtype=np.int64, count=len(pool))
        score = np.fromiter(pool.values(), dtype=np.float64, count=len(pool))
        picked = np.array(chosen, dtype=np.int64)
        closest = sims[np.ix_(idx, picked)].max(axis=1) if chosen else np.zeros(len(idx))
        value = w.mmr * score - (1 - w.mmr) * closest
        if w.coverage:
            gain = np.minimum(covered[None, :] + cover_w[idx], cap[None, :]).sum(axis=1) - coverage_of
            value = value + w.coverage * gain / max(float(cap.sum()), 1e-9) * 10.0
        if w.length:
            lengths = np.array([units[i].words for i in idx], dtype=np.float64)
            value = np.where(value > 0, value / lengths**w.length, value * lengths**w.length)
        best = int(idx[int(np.argmax(value))])
        del pool[best]
        if w.neutral_swap:
            variant = _neutral_variant(best, scores, units, sims, th, w.neutral_swap)
            if variant != best and variant in pool:
                del pool[variant]
                best = variant
        if any(sims[best, j] >= th.redundant for j in chosen):
            continue
        unit_tokens = set(tokens(units[best].text))
        if unit_tokens and len(unit_tokens & seen_words) / len(unit_tokens) > 0.85:
            continue  # lexically contained in what is already said
        chosen.append(best)
        seen_words |= unit_tokens
        covered += cover_w[best]
        coverage_of = np.minimum(covered, cap).sum()
        words += units[best].words
        if word_budget is not None and words >= word_budget:
            break
    return sorted(chosen, key=lambda i: -scores[i])


def refill_budget(
    out: Sequence[int], scores: dict[int, float], units: Sequence[Unit], sims: Matrix, max_words: int,
    lengths: Mapping[int, int], w: Weights = WEIGHTS,
) -> list[int]:
    """`out` (whole sentences within `max_words`) plus, while words remain, the best-scored candidates
    that fit, then whole plain-voiced reporting sentences in lead order (first sentences of each
    article first), each neither closer than `w.refill_redundant` to a chosen one nor lexically
    contained in them. `lengths[i]`: words of unit i as it is printed (every scored or stand-in unit)."""
    out = list(out)
    if not w.refill_redundant:
        return out
    used = sum(lengths[i] for i in out)
    pool = sorted(scores, key=lambda i: -scores[i])
    if w.refill_stand_ins:
        pool += sorted((i for i, u in enumerate(units) if i not in scores and u.stand_in and u.complete
                        and u.voice is None and not _judgement(u.text)),
                       key=lambda i: (units[i].position, i))
    seen: set[str] = set()
    for i in out:
        seen |= set(tokens(units[i].text))
    for i in pool:
        if i in out or used + lengths[i] > max_words:
            continue
        if any(sims[i, j] >= w.refill_redundant for j in out):
            continue
        unit_tokens = set(tokens(units[i].text))
        if unit_tokens and len(unit_tokens & seen) / len(unit_tokens) > w.refill_contained:
            continue
        out.append(i)
        used += lengths[i]
        seen |= unit_tokens
    return out


def pack_budget(
    chosen: Sequence[int], scores: dict[int, float], lengths: Sequence[int], max_words: int, fill: float,
    *, first: int = 12,
) -> list[int]:
    """The whole sentences among the `first` best of `chosen` (most important first) that fit
    `max_words`, chosen to maximise the sum of their prominence, exp(score - best score), plus `fill`
    x the share of the budget they use: a budget that leaves a third unsaid for want of a short enough
    fact is a worse summary than one that says three slightly less prominent things. Order kept."""
    top = list(chosen[:first])
    if not top:
        return []
    best_score = max(scores[i] for i in top)
    value = [float(np.exp(scores[i] - best_score)) for i in top]
    best_mask, best_value = 0, -1.0
    for mask in range(1, 1 << len(top)):
        words = total = 0.0
        for k in range(len(top)):
            if mask >> k & 1:
                words += lengths[k]
                total += value[k]
        if words > max_words:
            continue
        total += fill * words / max_words
        if total > best_value:
            best_mask, best_value = mask, total
    return [i for k, i in enumerate(top) if best_mask >> k & 1]
