"""The section names and their URL names: what the site needs, without the classifier (and numpy)."""

from __future__ import annotations

import re

__all__ = ["SECTIONS", "slug"]

# The sections a story can have, in front-page order. Opinion is a genre, not a section.
SECTIONS = ("World", "Politics", "Business", "Technology", "Science", "Health", "Environment", "Sports",
            "Entertainment")


def slug(section: str) -> str:
    """The URL name of a section: `/section/<slug>`."""
    return re.sub(r"[^a-z0-9]+", "-", section.lower()).strip("-")
