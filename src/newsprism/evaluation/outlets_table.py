"""Builds the shipped outlet table from the corpus, held-out lean scores, and idiap reliability.

What goes in, and why it may ship: outlet names and domains are facts read from the corpus fields
`source` and `source_url`; lean figures are our own model's out-of-fold scores (never the corpus labels);
reliability is derived from idiap/News-Media-Reliability (Apache-2.0, attributed in data/NOTICE).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from newsprism.evaluation.corpus import CorpusArticle
from newsprism.outlets._names import clean_display_name, host_candidates, host_of, looks_like_host, name_key
from newsprism.outlets.establishment import EstablishmentAxis
from newsprism.outlets.registry import Figure, OutletProfile

__all__ = [
    "COMPUTED_SOURCE",
    "ESTABLISHMENT_SOURCE",
    "IDIAP_SOURCE",
    "build_profiles",
    "load_aliases",
    "read_idiap",
]

COMPUTED_SOURCE = "newsprism lean.v1 (held-out outlets, allsides-articles)"
ESTABLISHMENT_SOURCE = "newsprism establishment.v1 (SVD axis of outlet phrase frequencies, allsides-articles)"
IDIAP_SOURCE = "idiap News-Media-Reliability (Burdisso et al. 2024), Apache-2.0"
# A source whose articles come from many sites ("Guest Writer - Left") is a column, not an outlet.
_MIN_HOST_SHARE = 0.6
_MIN_ARTICLES = 3
# One article's projection is noisy (see establishment.py); a stance needs a few more articles than a lean.
_MIN_ESTABLISHMENT_ARTICLES = 10


@dataclass(frozen=True)
class _Group:
    host: str
    sources: Counter[str]
    scores: list[float]
    stances: list[float]


def load_aliases() -> dict[str, dict[str, Any]]:
    """The hand-written alias table `data/aliases.json`, keyed by main domain."""
    text = resources.files("newsprism.outlets").joinpath("data", "aliases.json").read_text("utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def read_idiap(path: Path) -> dict[str, float]:
    """Domain -> reliability in [0, 1] from idiap's estimated scores (their [-1, 1] `p+fp-average`).

    `p+fp-average` is estimated from the web graph; `f-reliability` is fit on the labels themselves.
    """
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return {
        str(d): (float(v["p+fp-average"]) + 1.0) / 2.0
        for d, v in data.items()
        if v.get("p+fp-average") is not None
    }


def build_profiles(
    articles: Sequence[CorpusArticle],
    scores: Sequence[float],
    *,
    establishment: Sequence[float] | None = None,
    axis: EstablishmentAxis | None = None,
    reliability: Mapping[str, float] | None = None,
    aliases: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[OutletProfile]:
    """One profile per outlet (corpus sources grouped by main domain), sorted by name.

    `scores[i]` is the held-out left–right score of `articles[i]`; `establishment[i]` its raw projection
    on `axis` (NaN when it has no axis phrase), averaged per outlet and squashed into [-1, 1] by `axis`.
    """
    aliases = load_aliases() if aliases is None else aliases
    hosts: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        hosts[article.source][host_of(article.host) or ""] += 1
    main_host: dict[str, str] = {}
    for source, counter in hosts.items():
        host, n = counter.most_common(1)[0]
        if host and n / sum(counter.values()) >= _MIN_HOST_SHARE and not source.startswith("Guest Writer"):
            main_host[source] = _alias_domain(host, aliases)
    groups: dict[str, _Group] = {}
    stances = [math.nan] * len(articles) if establishment is None else establishment
    for article, score, stance in zip(articles, scores, stances, strict=True):
        outlet_host = main_host.get(article.source)
        if outlet_host is None:
            continue
        group = groups.setdefault(outlet_host, _Group(outlet_host, Counter(), [], []))
        group.sources[article.source] += 1
        group.scores.append(float(score))
        if not math.isnan(stance):
            group.stances.append(float(stance))
    profiles = [_profile(g, reliability or {}, aliases.get(g.host, {}), axis) for g in groups.values()]
    return sorted(profiles, key=lambda p: p.name.casefold())


def _shares_word(a: str, b: str) -> bool:
    generic = {"news", "online", "daily", "times", "post", "the", "and", "of"}
    return bool((set(name_key(a).split()) & set(name_key(b).split())) - generic)


def _alias_domain(host: str, aliases: Mapping[str, Mapping[str, Any]]) -> str:
    # "online.wsj.com" and "blogs.cnn.com" belong to the outlet filed under the parent domain
    for candidate in host_candidates(host):
        if candidate in aliases:
            return candidate
        for entry in aliases.values():
            if candidate in entry.get("aliases", ()):
                return next(k for k, v in aliases.items() if v is entry)
    return host


def _profile(
    group: _Group,
    reliability: Mapping[str, float],
    curated: Mapping[str, Any],
    axis: EstablishmentAxis | None,
) -> OutletProfile:
    ranked = [s for s, _ in group.sources.most_common()]
    plain = [s for s in ranked if clean_display_name(s) == s]
    name = str(curated.get("name") or (plain[0] if plain else clean_display_name(ranked[0])))
    # Columnists ("David Brooks" on nytimes.com) are corpus sources too; naming the outlet after them would
    # let an import of the columnist's own rating override the outlet's. Only desks of the outlet are aliases.
    desks = [s for s in ranked if _shares_word(s, name) or group.sources[s] >= 0.1 * len(group.scores)]
    spellings = [*desks, *(clean_display_name(s) for s in desks), *curated.get("aliases", ())]
    domains = [group.host, *(a for a in curated.get("aliases", ()) if looks_like_host(a))]
    figures: list[Figure] = []
    n = len(group.scores)
    if n >= _MIN_ARTICLES:
        mean = sum(group.scores) / n
        var = sum((s - mean) ** 2 for s in group.scores) / (n - 1)
        figures.append(
            Figure("lean_score", round(mean, 4), COMPUTED_SOURCE, "computed", round(math.sqrt(var / n), 4), n)
        )
    if axis is not None and len(group.stances) >= _MIN_ESTABLISHMENT_ARTICLES:
        figures.append(_establishment_figure(group.stances, axis))
    for candidate in host_candidates(group.host):
        if candidate in reliability:
            figures.append(Figure("reliability", round(reliability[candidate], 4), IDIAP_SOURCE, "default"))
            break
    return OutletProfile(
        name=name,
        domains=tuple(dict.fromkeys(domains)),
        aliases=tuple(dict.fromkeys(s for s in spellings if s != name and not looks_like_host(s))),
        country=curated.get("country"),
        figures=tuple(figures),
    )


def _establishment_figure(raw: Sequence[float], axis: EstablishmentAxis) -> Figure:
    """Mean article projection, squashed; its standard error carried through tanh (delta method)."""
    n = len(raw)
    mean = sum(raw) / n
    error = math.sqrt(sum((r - mean) ** 2 for r in raw) / (n - 1) / n)
    value = axis.squash(mean)
    uncertainty = error / (2.0 * axis.scale) * (1.0 - value * value)
    return Figure(
        "establishment", round(value, 4), ESTABLISHMENT_SOURCE, "computed", round(uncertainty, 4), n
    )
