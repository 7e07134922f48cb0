"""The newsletter: the top stories of a period as one HTML + plain-text email."""

from __future__ import annotations

import re
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from newsprism.errors import InputError
from newsprism.publish.queries import Reader, StoryRow
from newsprism.publish.render import Links, environment

__all__ = ["build_digest", "parse_since", "send_digest"]

_SPAN = re.compile(r"^\s*(\d+)\s*([hdw])\s*$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def parse_since(text: str) -> timedelta:
    """`12h`, `1d`, `2w` → a timedelta; anything else is an InputError."""
    match = _SPAN.match(text)
    if not match:
        raise InputError(f"--since wants a span like 12h, 1d or 2w, not {text!r}")
    return int(match.group(1)) * _UNITS[match.group(2)]


def top_stories(reader: Reader, since: timedelta, limit: int = 10) -> list[StoryRow]:
    """The most significant stories updated within `since` of the newest story in the store.

    The window ends at the store's newest story rather than the wall clock, so an archive (say, the
    2023 demo corpus) still yields a digest; a live store's newest story is just now.
    """
    newest = reader.newest_time()
    if newest is None:
        return []
    return reader.stories(limit=limit, since=newest - since)


def build_digest(
    reader: Reader,
    *,
    since: timedelta = timedelta(days=1),
    to: str | None = None,
    sender: str = "newsprism@localhost",
    base_url: str = "http://127.0.0.1:8000",
    site_title: str = "newsprism",
    limit: int = 10,
) -> EmailMessage:
    """A multipart/alternative message: plain text first, HTML second, links absolute to `base_url`."""
    stories = top_stories(reader, since, limit)
    links = Links(base=base_url.rstrip("/"))
    env = environment()
    context = {"stories": stories, "links": links, "site_title": site_title}
    message = EmailMessage()
    day = stories[0].date if stories else None
    message["Subject"] = f"{site_title} digest: {len(stories)} top stories" + (f" to {day}" if day else "")
    message["From"] = sender
    if to:
        message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="newsprism.local")
    message.set_content(env.get_template("digest.txt").render(**context))
    message.add_alternative(env.get_template("digest.html").render(**context), subtype="html")
    return message


def send_digest(message: EmailMessage, host: str, port: int, timeout: float = 30.0) -> None:
    """Hands the message to an SMTP server (no TLS or login: a local relay is the expected hop)."""
    if not message["To"]:
        raise InputError("sending a digest needs a recipient (--to)")
    with smtplib.SMTP(host, port, timeout=timeout) as smtp:
        smtp.send_message(message)


def default_name(now: datetime | None = None) -> str:
    return f"digest-{(now or datetime.now()):%Y-%m-%d}.eml"
