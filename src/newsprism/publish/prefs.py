"""Reader preferences: three sliders that tilt which articles a story shows first, and the reader's
filters (`filters.Filters`: outlets, a reliability level, keywords and topic sections hidden), kept in one
cookie.

As on Improve The News, no account is needed: the cookie holds three small integers, then the filters
that are set (`-1:0:2:o.fox-news-1a2b3c:r.5:k.royal%20family:s.sports|world`), and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from newsprism.publish.filters import SECTION_SLUGS, Filters
from newsprism.publish.queries import OutletView
from newsprism.types import ArticleRef

__all__ = ["COOKIE", "LEAN_ORDER", "SECTION_SLUGS", "Prefs", "order_articles"]

COOKIE = "newsprism_prefs"
SPAN = 2  # each slider runs from -SPAN to +SPAN; 0 is neutral
LEAN_ORDER = ("left", "center", "right", None)
_LEAN_SCORE = {"left": -1.0, "center": 0.0, "right": 1.0}


@dataclass(frozen=True)
class Prefs:
    """left_right < 0 favours left-leaning outlets; establishment > 0 favours pro-establishment ones;
    recency > 0 favours the newest articles."""

    left_right: int = 0
    establishment: int = 0
    recency: int = 0
    filters: Filters = Filters()  # noqa: RUF009 -- frozen and hashable: one shared default is safe

    @classmethod
    def parse(cls, cookie: str | None) -> Prefs:
        """Reads `lr:est:rec[:filter parts]` (e.g. `-1:0:2:r.5`); a malformed or out-of-range slider is
        neutral, a malformed filter is dropped (`Filters.parse_parts`)."""
        values = [0, 0, 0]
        parts = (cookie or "")[:4096].split(":")
        for i, part in enumerate(parts[:3]):
            try:
                values[i] = max(-SPAN, min(SPAN, int(part)))
            except ValueError:
                values[i] = 0
        return cls(values[0], values[1], values[2], Filters.parse_parts(parts[3:]))

    @classmethod
    def from_form(cls, form: Mapping[str, str]) -> Prefs:
        keys = ("left_right", "establishment", "recency")
        return cls.parse(":".join(str(form.get(k, "0")) for k in keys))

    def cookie(self) -> str:
        return ":".join([f"{self.left_right}:{self.establishment}:{self.recency}", *self.filters.parts()])

    @property
    def hide_sections(self) -> frozenset[str]:
        """The section names (SECTIONS) the reader leaves off the front page."""
        return frozenset(self.filters.sections)

    def shows_section(self, section: str | None) -> bool:
        return section is None or section not in self.filters.sections

    @property
    def neutral(self) -> bool:
        """The sliders are all at 0 (the articles keep the composer's order); filters aside."""
        return (self.left_right, self.establishment, self.recency) == (0, 0, 0)

    def lean_groups(self) -> tuple[str | None, ...]:
        """Lean groups in display order: the side the reader leans toward comes first."""
        if self.left_right > 0:
            return ("right", "center", "left", None)
        return LEAN_ORDER


def order_articles(
    articles: Sequence[ArticleRef], prefs: Prefs, outlets: Mapping[str, OutletView]
) -> list[ArticleRef]:
    """Articles sorted by the reader's tilt; ties keep the composer's order."""
    if prefs.neutral:
        return list(articles)
    stamps = [_timestamp(a.published) for a in articles]
    known = [s for s in stamps if s is not None]
    lo, hi = (min(known), max(known)) if known else (0.0, 0.0)

    def affinity(index: int) -> float:
        article = articles[index]
        # the outlet's profile: its score and establishment figure, which an article ref does not carry
        profile = outlets.get(article.outlet or "")
        lean = profile.lean_score if profile and profile.lean_score is not None else None
        if lean is None:
            lean = _LEAN_SCORE.get(article.lean or (profile.lean if profile else "") or "", 0.0)
        establishment = profile.establishment if profile and profile.establishment is not None else 0.0
        stamp = stamps[index]
        fresh = (stamp - lo) / (hi - lo) if stamp is not None and hi > lo else 0.5
        return prefs.left_right * lean + prefs.establishment * establishment + prefs.recency * (fresh - 0.5)

    order = sorted(range(len(articles)), key=lambda i: (-affinity(i), i))
    return [articles[i] for i in order]


def _timestamp(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None).timestamp()
    except ValueError:
        return None
