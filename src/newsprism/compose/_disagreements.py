"""Disagreements: conflicting numbers, dates and claims for the same thing, and facts only one side's
outlets report.

- numbers: two quantities in different sentences (of different sources, or of one source's body and its
  caption) that share a unit, measure the same aspect (a distance is not an altitude), come from
  sentences about the same thing (embedding cosine), and differ by more than a quarter;
- dates: two sources put the same event on different days (`date_conflicts`);
- claims: two sources give one subject opposite polarity on one predicate, "agreed" / "refused",
  "confirmed" / "denied" (`claim_conflicts`).
Dates and claims go through a `ClaimComparer` (newsprism.analyse) so an NLI model can replace the
heuristic one; lexical gates in front of it keep precision high, since a false disagreement on a story
page is worse than a missed one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from newsprism.analyse import ClaimComparer, Relation
from newsprism.compose._units import Unit
from newsprism.outlets import coverage
from newsprism.types import Article, Claim, Disagreement, Fact, OutletRef

__all__ = ["claim_conflicts", "coverage_gaps", "date_conflicts", "number_conflicts"]

Matrix = npt.NDArray[np.float32]
_UNIT_ALIASES = {
    "km": "kilometer",
    "kilometre": "kilometer",
    "mi": "mile",
    "%": "percent",
    "per cent": "percent",
    "kg": "kilogram",
    "m": "meter",
    "metre": "meter",
    "usd": "dollar",
    "$": "dollar",
}
_ASPECTS = {
    "altitude": re.compile(r"\b(highest|altitude|height|apogee|high|elevation|peak)\b", re.I),
}


def _unit_of(text: str) -> str | None:
    words = re.sub(r"^[^A-Za-z%$]*", "", text).lower()
    if text.lstrip().startswith("$"):
        return "dollar"
    if not words:
        return None
    word = words.split()[-1]
    word = _UNIT_ALIASES.get(word, word)
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _aspect(context: str) -> str:
    for name, pattern in _ASPECTS.items():
        if pattern.search(context[-40:]):
            return name
    return "extent"


def number_conflicts(
    articles: Sequence[Article], units: Sequence[Unit], sims: Matrix, *, min_similarity: float = 0.45
) -> list[Disagreement]:
    """Conflicting quantities, most similar sentence pairs first."""
    mentions = []
    for i, unit in enumerate(units):
        if unit.words < 4:
            continue
        for q in unit.mentions.quantities:
            unit_name = _unit_of(q.text)
            if unit_name is None or q.value is None:
                continue
            mentions.append((i, q.text, float(q.value), unit_name, _aspect(unit.text[: q.start])))
    found: list[tuple[float, Disagreement]] = []
    seen: set[tuple[int, int]] = set()
    for a, (i, text_i, value_i, unit_i, aspect_i) in enumerate(mentions):
        for j, text_j, value_j, unit_j, aspect_j in mentions[a + 1 :]:
            if i == j or unit_i != unit_j or aspect_i != aspect_j or (i, j) in seen:
                continue
            if max(value_i, value_j) <= 0 or abs(value_i - value_j) / max(value_i, value_j) <= 0.25:
                continue
            similarity = float(sims[i, j])
            if similarity < min_similarity:
                continue
            seen.add((i, j))
            ui, uj = units[i], units[j]
            same = ui.article == uj.article
            note = "the same source gives both figures" if same else "sources give different figures"
            if ui.caption is not None or uj.caption is not None:
                note += " (one in a photo caption)"
            if not same and articles[ui.article].published_date != articles[uj.article].published_date:
                note += "; the reports are from different dates and may reflect an update"
            found.append(
                (
                    similarity,
                    Disagreement(
                        kind="number",
                        subject=f"{aspect_i} in {unit_i}s",
                        claims=(
                            Claim(ui.text, text_i, ui.evidence(articles)),
                            Claim(uj.text, text_j, uj.evidence(articles)),
                        ),
                        note=note,
                    ),
                )
            )
    found.sort(key=lambda pair: -pair[0])
    return [d for _s, d in found]


def coverage_gaps(
    facts: Sequence[Fact], lean_of: Callable[[str | None], OutletRef], outlets: Sequence[str]
) -> list[Disagreement]:
    """Facts reported only by outlets of one lean while outlets of another lean cover the story."""
    leans = {lean_of(o).lean for o in outlets} - {None}
    if len(leans) < 2:
        return []
    gaps = []
    for fact in facts:
        bar = coverage(lean_of(e.outlet) for e in fact.evidence)
        sides = [side for side in ("left", "center", "right") if getattr(bar, side)]
        if len(sides) == 1 and bar.unknown == 0:
            (lean,) = sides
            others = ", ".join(sorted(str(x) for x in leans - {lean}))
            gaps.append(
                Disagreement(
                    kind="coverage",
                    subject=fact.text,
                    claims=tuple(Claim(e.text, None, e) for e in fact.evidence[:3]),
                    note=f"reported only by {lean}-leaning outlets; {others}-leaning outlets in this story"
                    " do not mention it",
                )
            )
    return gaps


# --- dates and claims ---------------------------------------------------------------------------------


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that carry no event identity: a date's own words, and function words.
_DATE_WORDS = _set(
    "january february march april may june july august september october november december monday tuesday"
    " wednesday thursday friday saturday sunday today yesterday tomorrow last next this week month year"
    " on in at of to the a an and or for with by from was were is are be been has have had its their"
    " his her it they that which who said says will would"
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")

# Predicates whose opposite polarity makes two claims incompatible, as frame -> (positive, negative).
# Kept to verbs whose meaning does not depend on context, for precision ("failed to", "signed into",
# "passed away" are not here for that reason).
_FRAMES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "consent": (
        _set("agree agreed agrees accept accepted accepts approve approved approves endorse endorsed"),
        _set("refuse refused refuses reject rejected rejects decline declined declines veto vetoed vetoes"),
    ),
    "confirm": (
        _set("confirm confirmed confirms acknowledge acknowledged acknowledges admit admitted admits"),
        _set("deny denied denies"),
    ),
    "attend": (_set("attend attended attends"), _set("skip skipped skips boycott boycotted boycotts")),
}
_ALL_CUES = frozenset(w for pos, neg in _FRAMES.values() for w in pos | neg)
_STOP = _set(
    "the a an of to in on at for and or but is are was were be been has have had it its this that with by"
    " from as he she they we you said says will would could any some about during after before"
)
_NEGATORS = _set("not never no n't didn't doesn't don't hasn't haven't hadn't won't wouldn't")
# The subject of a cue verb is the clause right before it; these end the clause.
_CLAUSE_BREAK = re.compile(r"[,;:()“”\"]|\b(?:that|which|who|but|while|after|before|because)\b", re.I)


@dataclass(frozen=True)
class _Stance:
    """One polarity cue: `subject` did (or did not) `frame` `object`."""

    frame: str
    positive: bool
    verb: str  # as written, with "not" before it when negated
    subject: frozenset[str]
    obj: frozenset[str]
    said_of: str  # the subject as written


def _content(words: Sequence[str]) -> frozenset[str]:
    return frozenset(w.lower().replace("’", "'").removesuffix("'s") for w in words) - _DATE_WORDS - _STOP


def _stances(text: str) -> list[_Stance]:
    """The polarity cues of a sentence, with the content words of their subject and object."""
    matches = list(_TOKEN.finditer(text))
    words = [m.group(0).lower() for m in matches]
    out = []
    for k, low in enumerate(words):
        frame = next((f for f, (pos, neg) in _FRAMES.items() if low in pos or low in neg), None)
        if frame is None:
            continue
        before = words[max(0, k - 3) : k]
        if any(w in _ALL_CUES for w in before[-2:]):
            continue  # "refused to accept": the complement of another cue, which carries the stance
        positive, verb = low in _FRAMES[frame][0], low
        if any(w in _NEGATORS or w.endswith("n't") for w in before):
            positive, verb = not positive, f"not {low}"
        # the subject is the clause right before the verb
        head = text[: matches[k].start()]
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(head)]
        clause = _TOKEN.findall(head[breaks[-1] if breaks else 0 :])[-6:]
        subject = _content(clause)
        obj = _content([w for w in words[k + 1 : k + 10] if w not in _ALL_CUES])
        if subject:
            out.append(_Stance(frame, positive, verb, subject, obj, " ".join(clause)))
    return out


def _clash(a: Sequence[_Stance], b: Sequence[_Stance]) -> tuple[_Stance, _Stance] | None:
    """Two stances of one frame, opposite polarity, shared subject and mostly shared object."""
    for sa in a:
        for sb in b:
            if sa.frame != sb.frame or sa.positive == sb.positive:
                continue
            if not sa.subject & sb.subject or not sa.obj or not sb.obj:
                continue
            shared = len(sa.obj & sb.obj)
            if shared >= 2 or (shared and shared >= 0.5 * min(len(sa.obj), len(sb.obj))):
                return sa, sb
    return None


def _pairs(
    units: Sequence[Unit], sims: Matrix, kept: Iterable[int], min_similarity: float
) -> list[tuple[int, int]]:
    """Pairs of kept units (by index) from different sources, about the same thing (cosine), most
    similar first. Callers keep only the units that can take part, so that the pairs, quadratic in a
    story's sentences, stay few as stories grow (bench/compose_scaling.py)."""
    idx = sorted(kept)
    pairs = [
        (i, j)
        for n, i in enumerate(idx)
        for j in idx[n + 1 :]
        if units[i].source != units[j].source and sims[i, j] >= min_similarity
    ]
    pairs.sort(key=lambda p: -float(sims[p]))
    return pairs


def _plain(u: Unit) -> bool:
    # quotes, captions, predictions, motives and evaluation state what someone thinks, not what happened;
    # lexicon subjectivity alone is kept ("confirmed that two ships were diverted" reads as subjective)
    return u.supports and u.quoted < 0.3 and u.words >= 5 and u.interpretive in (None, "subjective")


def _day_mentions(unit: Unit) -> list[tuple[str, int, int]]:
    return [(m.value, m.start, m.end) for m in unit.mentions.dates if len(m.value) == 10]


def _with_dates_written(text: str, mentions: Sequence[tuple[str, int, int]]) -> str:
    """`text` with each resolved date written out in full, so a comparer sees absolute dates."""
    for value, start, end in sorted(mentions, key=lambda m: -m[1]):
        day = date.fromisoformat(value)
        text = text[:start] + f"{day:%B} {day.day}, {day.year}" + text[end:]
    return text


def _without_date(text: str, mention: tuple[str, int, int]) -> str:
    """The sentence with its date phrase ("on March 16") taken out: what the dates disagree about."""
    head = re.sub(r"\s*\b(?:on|in|at|last|this)\s*$", "", text[: mention[1]])
    return re.sub(r"\s{2,}", " ", head + text[mention[2] :]).strip()


def date_conflicts(
    articles: Sequence[Article],
    units: Sequence[Unit],
    sims: Matrix,
    comparer: ClaimComparer,
    *,
    min_similarity: float = 0.45,
    min_overlap: float = 0.5,
) -> list[Disagreement]:
    """Sources that put the same event on different days.

    A pair qualifies when each sentence resolves to exactly one day (relative dates read from its
    article's publication day), the days differ, the sentences say the same thing apart from the date
    (content-word Jaccard >= `min_overlap`, so "the strike began on ..." and "... ended on ..." stay
    apart), and the comparer, shown both sentences with absolute dates, calls them a contradiction."""
    found = []
    # each sentence's dates and words are read once; only sentences with exactly one day are paired
    days = {i: _day_mentions(u) for i, u in enumerate(units) if _plain(u)}
    words = {i: _content(_TOKEN.findall(units[i].text)) for i, d in days.items() if len(d) == 1}
    for i, j in _pairs(units, sims, words, min_similarity):
        di, dj = days[i], days[j]
        if di[0][0] == dj[0][0]:
            continue
        wi, wj = words[i], words[j]
        if min(len(wi), len(wj)) < 3 or len(wi & wj) / len(wi | wj) < min_overlap:
            continue
        a, b = _with_dates_written(units[i].text, di), _with_dates_written(units[j].text, dj)
        if comparer.compare(a, b) is not Relation.CONTRADICT:
            continue
        ui, uj = units[i], units[j]
        found.append(
            Disagreement(
                kind="date",
                subject="when: " + _without_date(units[i].text, di[0]),
                claims=(
                    Claim(ui.text, di[0][0], ui.evidence(articles)),
                    Claim(uj.text, dj[0][0], uj.evidence(articles)),
                ),
                note="sources give different dates for the same event",
            )
        )
    return found


def claim_conflicts(
    articles: Sequence[Article],
    units: Sequence[Unit],
    sims: Matrix,
    comparer: ClaimComparer,
    *,
    min_similarity: float = 0.45,
    max_days_apart: int = 1,
) -> list[Disagreement]:
    """Sources that make incompatible claims about one subject: "X agreed to ..." / "X refused to ...",
    "confirmed" / "denied".

    Precision first. Both sentences must give the same subject opposite polarity on the same predicate
    frame (`_FRAMES`, with negation) about mostly the same object, come from reports at most
    `max_days_apart` days apart (later, a change of stance is news, not a disagreement), and the comparer
    must not call them unrelated. The comparer alone is not trusted to find contradictions: the heuristic
    one flags any one-sided negation."""
    found = []
    # each sentence's stances are read once; a sentence without any cannot clash, so it is not paired
    stances = {i: cues for i, u in enumerate(units) if _plain(u) and (cues := _stances(u.text))}
    for i, j in _pairs(units, sims, stances, min_similarity):
        ui, uj = units[i], units[j]
        if _days_apart(articles[ui.article], articles[uj.article]) > max_days_apart:
            continue
        clash = _clash(stances[i], stances[j])
        if clash is None or comparer.compare(ui.text, uj.text) is Relation.UNRELATED:
            continue
        sa, sb = clash
        found.append(
            Disagreement(
                kind="claim",
                subject=f"{sa.said_of}: {sa.verb} or {sb.verb}",
                claims=(
                    Claim(ui.text, sa.verb, ui.evidence(articles)),
                    Claim(uj.text, sb.verb, uj.evidence(articles)),
                ),
                note="sources make incompatible claims",
            )
        )
    return found


def _days_apart(a: Article, b: Article) -> int:
    if not a.published_date or not b.published_date:
        return 0
    try:
        return abs((date.fromisoformat(a.published_date) - date.fromisoformat(b.published_date)).days)
    except ValueError:
        return 0
