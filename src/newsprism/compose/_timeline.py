"""Dated events: the composer resolves date mentions with `newsprism.analyse.resolve_dates` (its rules are
in newsprism/analyse/_dates.py); this module keeps the name the composer's modules import."""

from __future__ import annotations

from newsprism.analyse import DatedMention, resolve_dates

__all__ = ["DatedMention", "resolve_dates"]
