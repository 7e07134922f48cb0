"""The live loop: a feed list in, a site that stays fresh out (`newsprism run`, `newsprism status`).

`run_loop` runs `run_cycle` on a schedule: fetch the feeds politely and ingest what is new
(`ingest.ingest_feeds`), build (`pipeline.build`), rewrite the static site and/or keep serving it.
"""

from newsprism.live._cycle import CycleReport, StopFlag, parse_every, run_cycle, run_loop
from newsprism.live._feedlist import default_feed_list, opml_feeds, read_feed_list
from newsprism.live._status import CycleRow, FeedRow, Status, live_status

__all__ = ["CycleReport", "CycleRow", "FeedRow", "Status", "StopFlag", "default_feed_list", "live_status",
           "opml_feeds", "parse_every", "read_feed_list", "run_cycle", "run_loop"]
