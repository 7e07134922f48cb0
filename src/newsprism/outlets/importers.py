"""`newsprism outlets import FILE`: outlet ratings from CSV or JSON, each figure tagged with its source.

Three shapes, detected from the columns (the order they are tried):
  1. Media Bias/Fact Check export: a JSON list of {"domain", "name", "bias", "reporting", ...};
  2. AllSides export: CSV with `news_source`, `rating` (left, left-center, center, right-center, right,
     allsides) and `rating_num` (1..5);
  3. newsprism columns, CSV or a JSON list of objects:
       name (required) · domain (";"-separated) · aliases (";"-separated) · country ·
       lean_score (-1 left .. 1 right) or lean (left, lean left / left-center, center, lean right /
       right-center, right) · reliability (0..1) · establishment (-1 anti- .. 1 pro-establishment) ·
       source (where the figures come from; default: file name).
Imported figures have origin "imported", so they override computed lean and establishment stance and
default reliability.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from newsprism.errors import InputError
from newsprism.outlets._names import host_of
from newsprism.outlets.registry import Figure, OutletProfile

__all__ = ["LEAN_LABELS", "MBFC_REPORTING", "read_ratings"]

LEAN_LABELS = {
    "left": -1.0,
    "left-center": -0.5,
    "lean left": -0.5,
    "center": 0.0,
    "least biased": 0.0,
    "right-center": 0.5,
    "lean right": 0.5,
    "right": 1.0,
}
# MBFC's factual-reporting grades, spread evenly over [0, 1] so they read like a reliability figure.
MBFC_REPORTING = {
    "very-low": 0.0,
    "low": 0.2,
    "mixed": 0.4,
    "mostly-factual": 0.6,
    "high": 0.8,
    "very-high": 1.0,
}


def read_ratings(path: Path) -> list[OutletProfile]:
    """The outlets and figures of a ratings file; `InputError` on unreadable or unrecognised input."""
    try:
        text = path.read_text("utf-8-sig")
    except OSError as err:
        raise InputError(f"cannot read {path}: {err}") from err
    rows = _rows(text, path)
    if not rows:
        return []
    columns = set().union(*(r.keys() for r in rows))
    if {"domain", "bias", "reporting"} <= columns:
        return [p for p in (_mbfc(r, f"Media Bias/Fact Check ({path.name})") for r in rows) if p is not None]
    if {"news_source", "rating"} <= columns:
        # AllSides rates "X - News" and "X - Opinion" apart; both are one outlet here, and the news desk
        # (read last, so it wins) is what a story page quotes.
        rows = sorted(rows, key=lambda r: not _is_opinion_desk(_text(r.get("news_source")) or ""))
        return [p for p in (_allsides(r, f"AllSides ({path.name})") for r in rows) if p is not None]
    if "name" in columns:
        return [p for p in (_generic(r, path.name) for r in rows) if p is not None]
    raise InputError(f"{path}: no known columns (want name, or news_source+rating, or domain+bias+reporting)")


def _rows(text: str, path: Path) -> list[Mapping[str, Any]]:
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"{path}: invalid JSON: {err}") from err
        if isinstance(data, Mapping):
            data = data.get("outlets", [])
        if not isinstance(data, list) or not all(isinstance(r, Mapping) for r in data):
            raise InputError(f"{path}: expected a JSON list of objects")
        return list(data)
    return list(csv.DictReader(text.splitlines()))


def _mbfc(row: Mapping[str, Any], source: str) -> OutletProfile | None:
    name, domain = _text(row.get("name")), host_of(_text(row.get("domain")) or "")
    if not (name or domain):
        return None
    figures = []
    bias = (_text(row.get("bias")) or "").lower()
    if bias in LEAN_LABELS:
        figures.append(Figure("lean_score", LEAN_LABELS[bias], source, label=bias))
    reporting = (_text(row.get("reporting")) or "").lower()
    if reporting in MBFC_REPORTING:
        figures.append(Figure("reliability", MBFC_REPORTING[reporting], source, label=reporting))
    return OutletProfile(
        name=name or str(domain), domains=(domain,) if domain else (), figures=tuple(figures)
    )


def _allsides(row: Mapping[str, Any], source: str) -> OutletProfile | None:
    name = _text(row.get("news_source"))
    if not name:
        return None
    label = (_text(row.get("rating")) or "").lower()
    score = _number(row.get("rating_num"))
    figures = []
    if score is not None and 1 <= score <= 5:
        figures.append(Figure("lean_score", (score - 3) / 2, source, label=label or None))
    elif label in LEAN_LABELS:
        figures.append(Figure("lean_score", LEAN_LABELS[label], source, label=label))
    # "allsides" (a mixed rating) carries no left–right figure: the outlet is still registered
    return OutletProfile(name=name, figures=tuple(figures))


def _generic(row: Mapping[str, Any], file_name: str) -> OutletProfile | None:
    name = _text(row.get("name"))
    if not name:
        return None
    source = _text(row.get("source")) or file_name
    figures = []
    score = _number(row.get("lean_score"))
    label = (_text(row.get("lean")) or "").lower()
    if score is not None:
        figures.append(Figure("lean_score", max(-1.0, min(1.0, score)), source, label=label or None))
    elif label in LEAN_LABELS:
        figures.append(Figure("lean_score", LEAN_LABELS[label], source, label=label))
    elif label:
        raise InputError(
            f"{file_name}: unknown lean {label!r} for {name} (want one of {', '.join(LEAN_LABELS)})"
        )
    reliability = _number(row.get("reliability"))
    if reliability is not None:
        figures.append(Figure("reliability", reliability, source))
    establishment = _number(row.get("establishment"))
    if establishment is not None:
        figures.append(Figure("establishment", max(-1.0, min(1.0, establishment)), source))
    domains = tuple(h for h in (host_of(d) for d in _split(row.get("domain"))) if h)
    return OutletProfile(
        name=name,
        domains=domains,
        aliases=tuple(_split(row.get("aliases"))),
        country=_text(row.get("country")),
        figures=tuple(figures),
    )


def _is_opinion_desk(name: str) -> bool:
    return name.rstrip(")").lower().endswith(("opinion", "editorial"))


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text if text and text.upper() != "NA" else None


def _number(value: Any) -> float | None:
    text = _text(value)
    try:
        return None if text is None else float(text)
    except ValueError:
        return None


def _split(value: Any) -> Iterable[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in (_text(value) or "").split(";") if part.strip()]
