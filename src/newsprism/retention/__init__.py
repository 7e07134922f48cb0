"""Retention: how long articles and stories are kept (`Settings.retention_days`, `newsprism prune`).

`prune(store, before)` deletes what is older than a day with everything derived from it, consistently
and resumably; `newsprism run` applies `retention_days` every cycle, before building.
"""

from newsprism.retention._prune import PRUNED_TABLES, PruneReport, cutoff_day, parse_age, prune

__all__ = ["PRUNED_TABLES", "PruneReport", "cutoff_day", "parse_age", "prune"]
