"""Narratives: the story's competing interpretations, each with the outlets that hold it.

1. Material: every body sentence of six words or more, weighted by how much it frames the event
   (`framing`: stance cues, loaded words, interpretation cues, attribution of a view).
2. Camps: sources are grouped by what they claim, not by their lean (but see 4.). Sources whose net stance is
   opposite (the event as a gain against the event as a cost) fall in different camps; otherwise sources
   are cut in two by average linkage on a framing distance (how little of one source's framed material
   the other carries). A cut is kept when the camps are far enough apart, or when the caller's
   difference test (`_emphasis.differs`: loaded words, leads, facts one side alone reports) found that
   outlets of opposite lean tell the story differently.
3. Statement: per camp, the sentence that states its interpretation best (framed, distinctive against
   the other camp, with a holder), and a second sentence of the same source and stance when it adds
   something. Statements are source sentences as written: attribution ("Critics say"), negation and
   hedges are kept; only a leading "But"/"And" is dropped. A sentence that is mostly a quote is
   evidence, never a statement, and two camps are never spliced into one statement.
4. Side contrast: when the camps do not split a story that outlets of two sides cover (the caller's
   `sides`: the outlet registry's lean), the sources are grouped by side instead (left against right,
   else a wing against the centre, else a wing against outlets of no known lean) and each side states
   what it carries that the other does not: its most framed sentence whose best match on the other
   side is below `contrast_alone`, framed at least `contrast_framing`. Both sides must have one, else
   the story stays "framed alike". This is the one place lean shapes the camps, and only as the
   grouping: what each camp says is still a sentence it wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage

from newsprism.compose._framing_model import CampParams, load_framing_model
from newsprism.compose._stance import actor_tones, stance, tone_distance
from newsprism.compose._units import Unit
from newsprism.outlets.model import load_model, text_lean
from newsprism.types import Article, Narrative, OutletRef

__all__ = [
    "CampParams",
    "build_narratives",
    "camps_of",
    "framing",
    "keeps_qualifiers",
    "side_groups",
    "statement_of",
    "statement_unit",
]

Matrix = npt.NDArray[np.float32]
_LABELS = "ABCDEFGH"
_SAY = (
    r"say|says|said|argue|argues|argued|believe|believes|warn|warns|warned|claim|claims|claimed|"
    r"contend|contends|insist|insists|note|notes|noted|suggest|suggests|suggested|told|according to|"
    r"accuse|accuses|accused|criticize|criticized|criticised|praise|praised|called|calls|described|"
    r"alleged|alleges|fear|fears|feared|hope|hopes|think|thinks|doubt|doubts"
)
_ATTRIBUTION = re.compile(rf"\b(?:{_SAY})\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no|never|nor|none|nothing|without|hardly|rarely|neither)\b|n['’]t\b", re.I)
_HEDGE = re.compile(
    r"\b(?:may|might|could|would|likely|unlikely|possibly|perhaps|probably|reportedly|allegedly|"
    r"apparently|appears?|seems?|expected|suggests?|some|many)\b",
    re.IGNORECASE,
)
_OPENER = re.compile(r"^(?:But|And|Yet|So|Still|However|Meanwhile|Instead|Also)\s*,?\s+(?=\S)")
# a "sentence" that ends on a title before a name was cut by the splitter ("... signed into law by Gov.")
_CUT_AT_TITLE = re.compile(r"\b(?:Gov|Sens?|Reps?|Mrs?|Ms|Dr|Gen|Lt|Col|Sgt|Capt|Pres|Prof|St|Rev)\.$")
_PRONOUN_START = re.compile(r"^(?:he|she|it|they|this|that|these|those|his|her|its|their)\b", re.IGNORECASE)


CAMP_PARAMS = load_framing_model().camps


def framing(unit: Unit) -> float:
    """How much `unit` frames the event rather than reports it (0 = plain report). Loaded words and
    arousal weigh most: on BASIL's development events (0-49) a sentence with a loaded word falls on an
    annotated bias span twice as often as one without (0.36 against 0.18), a stance cue 1.4 times."""
    score = min(2, abs(stance(unit.text))) + 1.5 * min(2, unit.loaded) + 8.0 * min(0.1, unit.arousal)
    score += 0.5 if unit.interpretive else 0.0
    score += 0.25 if _ATTRIBUTION.search(unit.text) else 0.0
    return score + 0.5 * unit.subjectivity


def _qualifiers(text: str) -> list[str]:
    found = _NEGATION.findall(text) + _HEDGE.findall(text) + _ATTRIBUTION.findall(text)
    return sorted(w.lower().replace("’", "'") for w in found)


def keeps_qualifiers(statement: str, source: str) -> bool:
    """Whether `statement` keeps every negation, hedge and attribution that `source` carries
    (each as often as it appears there)."""
    have, need = _qualifiers(statement), _qualifiers(source)
    return all(have.count(word) >= need.count(word) for word in set(need))


def statement_of(sentence: str) -> str:
    """`sentence` as a statement: as written, its holder, negation and hedges kept; a leading
    conjunction ("But", "And") dropped and the first letter raised."""
    text = re.sub(r"\s+", " ", sentence.strip())
    out = _OPENER.sub("", text)
    if out != text and out:
        out = out[0].upper() + out[1:]
    return out if out.endswith((".", "!", "?", "”", '"')) else out + "."


def statement_unit(unit: Unit) -> bool:
    """Whether `unit` may state a narrative: a whole sentence in the writer's or a named holder's
    voice, not a quote, a question, a caption or a sentence leaning on the one before."""
    return (
        not unit.photo
        and 8 <= unit.words <= 50
        and unit.quoted < 0.5
        and not unit.text.rstrip().endswith("?")
        and not _CUT_AT_TITLE.search(unit.text.rstrip())
        and not _PRONOUN_START.match(_OPENER.sub("", unit.text.strip()))
    )


def _by_source(units: Sequence[Unit]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for i, unit in enumerate(units):
        if not unit.photo and unit.words >= 6:
            out.setdefault(unit.source, []).append(i)
    return out


def _distance(a: list[int], b: list[int], weights: npt.NDArray[np.float64], sims: Matrix) -> float:
    """1 - how much of each source's framed material the other carries (weighted mean best match)."""
    block = sims[np.ix_(a, b)].astype(np.float64)
    carried_a = float(np.average(block.max(axis=1), weights=weights[a]))
    carried_b = float(np.average(block.max(axis=0), weights=weights[b]))
    return 1.0 - 0.5 * (carried_a + carried_b)


def camps_of(
    units: Sequence[Unit], sims: Matrix, params: CampParams, *, force: bool = False
) -> tuple[list[list[int]], float]:
    """Sources (independent groups) split into one or two camps, and the average framing distance
    between the two camps (0 for one camp). `force` keeps a two-camp cut however close it is."""
    members = _by_source(units)
    sources = sorted(members)
    if len(sources) < 2:
        return [sources], 0.0
    weights = np.array([1.0 + framing(u) for u in units], dtype=np.float64)
    net = {s: sum(stance(units[i].text) for i in members[s]) for s in sources}
    tones = {s: actor_tones(units[i].text for i in members[s]) for s in sources}
    model = load_model() if params.partisan else None
    wording = {
        s: text_lean(" ".join(units[i].text for i in members[s]), model).score if model else 0.0
        for s in sources
    }
    k = len(sources)
    # `framed`: what the sources say (wording and stance on the event) decides whether there are two
    # camps at all; `dist` adds how they speak of shared actors and their partisan wording, weak signals
    # (a few points above chance on the roundups) that choose where the cut falls but never make one.
    dist = np.zeros((k, k), dtype=np.float64)
    framed = np.zeros((k, k), dtype=np.float64)
    for x in range(k):
        for y in range(x + 1, k):
            a, b = sources[x], sources[y]
            d = _distance(members[a], members[b], weights, sims)
            if min(net[a], net[b]) <= -params.stance_gap <= params.stance_gap <= max(net[a], net[b]):
                d += params.opposite_stance  # opposite stance on the event outweighs shared wording
            framed[x, y] = framed[y, x] = max(0.0, d)
            d += params.actor_tone * tone_distance(tones[a], tones[b])
            d += params.partisan * abs(wording[a] - wording[b])
            dist[x, y] = dist[y, x] = max(0.0, d)
    labels = fcluster(linkage(dist[np.triu_indices(k, 1)], method="average"), t=2, criterion="maxclust")
    groups = [[s for s, lab in zip(sources, labels, strict=True) if lab == c] for c in sorted(set(labels))]
    if len(groups) < 2:
        return [sources], 0.0
    between = float(
        np.mean([framed[sources.index(a), sources.index(b)] for a in groups[0] for b in groups[1]])
    )
    if between >= params.split_distance or force:
        return groups, between
    return [sources], between


def side_groups(units: Sequence[Unit], sides: Sequence[str | None]) -> list[list[int]] | None:
    """Sources (independent groups) by the side of their outlets for the side contrast: left against
    right, else a wing against the centre, else a wing against outlets of no known lean; a source of
    the third side or of mixed sides joins neither. None when the story has no such pair."""
    members = _by_source(units)
    side_of: dict[int, str] = {}
    for s, idx in members.items():
        found = {sides[units[i].article] or "unknown" for i in idx}
        if len(found) == 1:
            side_of[s] = found.pop()
    present = set(side_of.values())
    wings = [w for w in ("left", "right") if w in present]
    if len(wings) == 2:
        pair = ("left", "right")
    elif wings and ("center" in present or "unknown" in present):
        pair = (wings[0], "center" if "center" in present else "unknown")
    else:
        return None
    return [sorted(s for s, side in side_of.items() if side == want) for want in pair]


def _mixes(groups: list[list[int]], by_side: list[list[int]]) -> bool:
    """Whether a camp holds sources of both sides of the pair (the cut does not follow the sides)."""
    return any(set(g) & set(by_side[0]) and set(g) & set(by_side[1]) for g in groups)


def _join_rest(
    by_side: list[list[int]], members: dict[int, list[int]], units: Sequence[Unit], sims: Matrix
) -> list[list[int]]:
    """The side groups with every other source (the third side, no known lean) joined to the group
    whose framed material it carries more of, so no outlet drops out of the narratives."""
    weights = np.array([1.0 + framing(u) for u in units], dtype=np.float64)
    out = [list(g) for g in by_side]
    for s in sorted(members):
        if any(s in g for g in by_side):
            continue
        near = [
            _distance(members[s], [i for t in g for i in members[t]], weights, sims) for g in by_side
        ]
        out[int(np.argmin(near))].append(s)
    return [sorted(g) for g in out]


def _contrast(
    groups: list[list[int]], members: dict[int, list[int]], units: Sequence[Unit], sims: Matrix,
    params: CampParams,
) -> bool:
    """Whether each side group has a framed statement sentence the other side does not carry."""
    pools = [[i for s in g for i in members[s]] for g in groups]
    for mine, theirs in ((pools[0], pools[1]), (pools[1], pools[0])):
        own = [
            i
            for i in mine
            if statement_unit(units[i])
            and framing(units[i]) >= params.contrast_framing
            and float(sims[i, theirs].max()) < params.contrast_alone
        ]
        if not own:
            return False
    return True


def _statement(
    camp_units: list[int],
    rival: list[int],
    units: Sequence[Unit],
    sims: Matrix,
    alone_below: float | None = None,
) -> list[int]:
    """The one or two sentences that state the camp's interpretation best; with `alone_below`, only
    sentences whose best match in the rival camp is below it (what this camp says and the other not)."""
    candidates = [i for i in camp_units if statement_unit(units[i])]
    if alone_below is not None and rival:
        candidates = [i for i in candidates if float(sims[i, rival].max()) < alone_below]
    if not candidates:  # a camp told only in short or leaning sentences: still no quote, no question
        candidates = [
            i for i in camp_units if units[i].quoted < 0.5 and not units[i].text.rstrip().endswith("?")
        ]
    if not candidates:
        return []

    def score(i: int) -> float:
        # framed, unlike the rival camp, like the rest of its own camp (other sources), with a holder
        alone = 1.0 - float(sims[i, rival].max()) if rival else 0.0
        kin = [j for j in camp_units if units[j].source != units[i].source]
        central = float(sims[i, kin].mean()) if kin else 0.0
        holder = 0.5 if _ATTRIBUTION.search(units[i].text) else 0.0
        return framing(units[i]) + 2.0 * alone + 2.0 * central + holder - 0.1 * units[i].position

    order = sorted(candidates, key=score, reverse=True)
    first = order[0]
    picked = [first]
    sign = np.sign(stance(units[first].text))
    for i in order[1:4]:
        unit = units[i]
        if (
            unit.source == units[first].source
            and np.sign(stance(unit.text)) in (0, sign)
            and sims[i, first] < 0.8
            and unit.words + units[first].words <= 55
            and framing(unit) >= 1.5
            and not _OPENER.match(unit.text.strip())  # "But ..." turns to the other side: not spliced
        ):
            picked.append(i)
            break
    return sorted(picked, key=lambda i: (units[i].article, units[i].position))


def build_narratives(
    articles: Sequence[Article],
    units: Sequence[Unit],
    sims: Matrix,
    lean_of: Callable[[str | None], OutletRef],
    *,
    params: CampParams | None = None,
    force_split: bool = False,
    sides: Sequence[str | None] | None = None,
) -> tuple[tuple[Narrative, ...], bool]:
    """Narratives, best supported first, and whether the sources frame the story alike.

    `force_split` says a difference test already found that outlets of opposite lean differ, so a
    two-camp cut is kept even when the camps' wording is close. `sides` (each article's outlet lean,
    None when unknown) allows the side contrast when the camps do not split."""
    params = params or CAMP_PARAMS
    members = _by_source(units)
    if not members or not any(framing(units[i]) >= 1.0 for m in members.values() for i in m):
        return (), True
    groups, _between = camps_of(units, sims, params, force=force_split)
    alone_below: float | None = None
    by_side = side_groups(units, sides) if sides is not None else None
    if by_side is not None and (len(groups) < 2 or (params.side_cut and _mixes(groups, by_side))):
        # the other sources join a side first, so "alone" means the other camp as shown does not carry it
        joined = _join_rest(by_side, members, units, sims)
        if _contrast(joined, members, units, sims, params):
            groups, alone_below = joined, params.contrast_alone
    camp_units = [[i for s in g for i in members.get(s, [])] for g in groups]
    narratives = []
    for k, (group, mine) in enumerate(zip(groups, camp_units, strict=True)):
        rival = [i for j, other in enumerate(camp_units) if j != k for i in other]
        picked = _statement(mine, rival, units, sims, alone_below)
        if not picked:
            continue
        outlets: dict[str, OutletRef] = {}
        for s in group:
            for i in members[s]:
                name = articles[units[i].article].outlet
                if name and name not in outlets:
                    outlets[name] = lean_of(name)
        rest = sorted(
            (i for i in mine if i not in picked and framing(units[i]) >= params.evidence_framing),
            key=lambda i: -(framing(units[i]) + float(sims[i, picked].max())),
        )
        narratives.append(
            (
                len(group),
                Narrative(
                    label="",
                    statement=" ".join(statement_of(units[i].text) for i in picked),
                    outlets=tuple(outlets.values()),
                    evidence=tuple(units[i].evidence(articles) for i in [*picked, *rest][:6]),
                ),
            )
        )
    narratives.sort(key=lambda n: -n[0])
    out = tuple(
        Narrative(f"Narrative {_LABELS[k]}", n.statement, n.outlets, n.evidence)
        for k, (_size, n) in enumerate(narratives)
    )
    return out, len(out) <= 1
