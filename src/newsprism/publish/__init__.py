"""Publishing: the story site (FastAPI + Jinja2), JSON API, static export, Atom feed and e-mail digest."""

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
