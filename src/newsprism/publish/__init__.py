"""Publishing: the story site (FastAPI + Jinja2), JSON API, static export, Atom feed and e-mail digest.

Names load on first use: `newsprism serve --workers N` reads the environment names in `_env` without
importing FastAPI in the parent, whose workers import the app themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsprism._lazy import lazy_getattr

if TYPE_CHECKING:
    from newsprism.publish.app import create_app
    from newsprism.publish.digest import build_digest, parse_since, send_digest
    from newsprism.publish.feed import atom_feed
    from newsprism.publish.prefs import Prefs
    from newsprism.publish.queries import Reader, StoryRow
    from newsprism.publish.site import SiteReport, export_site

__all__ = [
    "Prefs",
    "Reader",
    "SiteReport",
    "StoryRow",
    "atom_feed",
    "build_digest",
    "create_app",
    "export_site",
    "parse_since",
    "send_digest",
]

_HOME = {
    "Prefs": "newsprism.publish.prefs",
    "Reader": "newsprism.publish.queries",
    "SiteReport": "newsprism.publish.site",
    "StoryRow": "newsprism.publish.queries",
    "atom_feed": "newsprism.publish.feed",
    "build_digest": "newsprism.publish.digest",
    "create_app": "newsprism.publish.app",
    "export_site": "newsprism.publish.site",
    "parse_since": "newsprism.publish.digest",
    "send_digest": "newsprism.publish.digest",
}

__getattr__ = lazy_getattr(__name__, _HOME)
