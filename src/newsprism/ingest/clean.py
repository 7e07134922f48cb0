"""The raw-text cleaner: scraped page text in, title + body paragraphs + what was removed and why out.

Scraped text keeps the page furniture around an article: repeated titles, section lines, captions and
photo credits, bylines, time stamps, share buttons, footers, "about us" blurbs. No library separates
these once the HTML is gone, so the rules here read the *structure* of the text (short lines, position
relative to the body, repetition, credit patterns, runs of headline-like lines), plus the small, stable
vocabulary of web page furniture ("Subscribe", "Back to Top", "©").

`clean_text` works in numbered steps:
  1. units: lines stripped of indentation and bullets, hard-wrapped lines re-joined, blanks dropped;
  2. title: the first unit (a leading "2005/01/08 " date is taken as the publication date);
  3. each unit is classified on its own: repeated title, section line, time stamp, caption/credit,
     byline, footer/call to action, copyright, about-the-publisher, or body-like / heading-like;
  4. context: the tail after the last footer line is furniture, runs of >= 3 headline-like lines are
     link lists, a heading-like line between body paragraphs is a subheading, one before the body or
     with no body after it is furniture, a line repeating a caption is a duplicate caption;
  5. metadata: outlet (copyright line), byline, published date (time-stamp lines, title prefix).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from newsprism.ingest._dates import DATE_PATTERN, find_date
from newsprism.ingest._lines import _VOCAB, LineModel, load_line_model
from newsprism.ingest._titles import TitleModel, load_title_model
from newsprism.types import Boilerplate, normalize_text

__all__ = ["CleanedText", "clean_text", "rule_labels", "title_blocked"]


@dataclass(frozen=True)
class CleanedText:
    """The article found in scraped text; `subheading_at[i]` is the paragraph index heading i precedes."""

    title: str
    paragraphs: tuple[str, ...]
    subheadings: tuple[str, ...] = ()
    subheading_at: tuple[int, ...] = ()
    captions: tuple[str, ...] = ()
    boilerplate: tuple[Boilerplate, ...] = ()
    outlet: str | None = None
    byline: str | None = None
    published: str | None = None


# --- step 1: units --------------------------------------------------------------------------

_BULLET = re.compile(r"^(?:[•·▪►▸‣◦*]|-(?=\s)|–(?=\s))\s*")
_TERMINAL = re.compile(r"[.!?…:;\"”’'»)\]]$")


def _units(raw: str) -> tuple[list[str], list[bool]]:
    """The units, and for each whether a blank line came before it (browsers and scrapers put blank
    lines around paragraphs, not between menu items: the line model reads it)."""
    units: list[str] = []
    gaps: list[bool] = []
    joinable = blank = False
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        text = _BULLET.sub("", " ".join(line.split()))
        if not text:
            joinable = False
            blank = bool(units)
            continue
        # A hard-wrapped paragraph: a long line cut mid-sentence, the next one continuing in lower case.
        if joinable and units and (text[0].islower() or units[-1][-1] in ",;-–—"):
            units[-1] = units[-1] + " " + text
        else:
            units.append(text)
            gaps.append(blank)
        blank = False
        joinable = len(units[-1]) >= 40 and not _TERMINAL.search(units[-1])
    return units, gaps


# --- step 3: one unit at a time ----------------------------------------------------------------

_WORD = re.compile(r"\w[\w'’.-]*")
_SECTION = re.compile(
    r"\b(?:no comments|comments? off|\d+ comments?|leave a comment) on\b|^posted in\b", re.I)
_BREADCRUMB = re.compile(r"^(?:[\w&' -]{1,30}\s*(?:›|»|>|/|\|)\s*){2,}[\w&' -]{1,30}$")
_TIME_WORDS = re.compile(
    r"\b(?:last\s+)?(?:updated?|published|posted|modified|created|first published|on|at|am|pm|a\.m\.|p\.m\."
    r"|gmt|utc|bst|cet|edt|est|et|pt|pst|pdt|ist|jst|kst|ago|today|yesterday|hours?|hrs?|mins?|minutes?"
    r"|seconds?|days?|min read|read|reading time|time)\b|\d{1,2}[:.]\d{2}(?::\d{2})?|[:|,·•-]",
    re.I,
)
_CREDIT = re.compile(
    r"(?:(?i:^(?:image|photo|video|picture)\s+(?:caption|source|credit)s?\b)"
    r"|(?i:\b(?:image|photo|picture|video|graphic|illustration|footage|source)s?\s*(?:credit|courtesy|by)?s?\s*:)"
    r"|(?i:\((?:photo|image|picture)s?\s+(?:by|credit|courtesy)\b)"
    r"|(?i:\b(?:photo|image)\s+(?:credit|courtesy)\b)"
    r"|(?:^|[\s(])[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}\s*/\s*(?:[A-Z][\w.'’-]*(?:\s+(?:via\s+)?[A-Z][\w.'’-]*)*"
    r"|[a-z]+\s+[A-Z][\w.'’-]*)\)?\.?\s*$"
    r"|(?i:\b(?:getty images|shutterstock|ap photo|afp via getty|file photo|handout photo|pool photo)"
    r"\b\)?\.?\s*$)"
    r"|\((?:[A-Z][\w.'’-]*\s*){1,4}(?:via|for)\s+[A-Z][\w.'’ -]*\)\s*$)"
)
_BYLINE = re.compile(r"^(?:by|written by|words by|reporting by|story by|author:?)\s+(.{3,80})$", re.I)
_NAME = re.compile(r"^(?:[A-Z][a-zA-Z'’.-]+|de|da|del|van|von|der|bin|al|el|la|le)$")
_CTA = re.compile(
    r"\b(?:related (?:articles?|stories|posts|content|coverage|news|topics)|read (?:more|also|next)|see also"
    r"|leave a (?:comment|reply)|\d+ comments?|comments?$|share (?:this|on|via|article|story)|share$"
    r"|follow us|(?:un)?subscrib\w*|sign up|sign in|log ?in|register|newsletters?|enter your e-?mail"
    r"|e-?mail address"
    r"|back to top|scroll to top|all rights reserved|advertisement|sponsored|click here|tags?:|filed under"
    r"|privacy policy|terms of (?:use|service)|cookies?|download (?:our|the) app"
    r"|you may also like|recommended"
    r"|trending|most (?:read|popular|viewed)|print (?:this|article)"
    r"|whatsapp|facebook|twitter|linkedin|telegram"
    r"|pinterest|continue reading|skip to (?:main )?content|listen to (?:this )?article|more from|top stories"
    r"|contact us|about us|donate|support (?:our|us)|join (?:us|our)|load(?:ing)? more|view comments"
    r"|articles on this|more on this|in (?:this|other) news|watch:|video:|also read|don'?t miss)\b",
    re.I,
)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b", re.I)
_COPYRIGHT_OWNER = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*,?\s*)?(?:by\s+)?"
    r"(?P<owner>[A-Z][\w&'’.]*(?:\s+(?!All\b)[A-Z&][\w&'’.]*){0,5})",
    re.I,
)
_ABOUT = re.compile(
    r"^about (?:the |us|our )|^[A-Z][\w&.’'-]*(?:\s+[A-Z][\w&.’'-]*){0,5} is an? (?:[\w-]+ ){0,4}"
    r"(?:institute|organi[sz]ation|publication|publisher|outlet|agency|newsroom|company|website|site|network"
    r"|think tank|media|magazine|newspaper|non-?profit|platform|service)\b"
    r"|[\w.+-]+@[\w-]+\.[\w.]+"
    r"|\b(?:our (?:mission|readers|journalism|reporters)|we (?:investigate|publish|are an?))\b",
    re.I,
)
_AUTHOR_BIO = re.compile(r"^[A-Z][\w'’-]+(?:\s+[A-Z][\w'’.-]+){1,3} (?:is|was) an? (?:[\w-]+ ){0,4}"
                         r"(?:reporter|correspondent|writer|journalist|editor|columnist|contributor)\b")
_WIRE_CREDITS = re.compile(r"^\(?(?:reporting|additional reporting|writing|editing) by\b", re.I)
# a comment section's header: "Comments", "3 comments", "Comment (3)"; a bare "Comment" is a button or a
# table's column heading (it cut a Dropbox engineering post in half at its schema table)
_COMMENTS_HEADER = re.compile(r"^(?:\d+\s+(?:comments?|responses?|replies)|comments(?:\s*\(\d+\))?"
                              r"|comment\s*\(\d+\))$", re.I)
# a heading may end in "?" or a closing quote, never in sentence punctuation
_SENTENCE_END = re.compile(r"[.!:;,…]['\"”’)\]]*$")
_DURATION = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")

# labels for units whose fate depends on context (step 4)
BODY, HEADING = "body", "heading"


def _word_form(text: str) -> str:
    return " ".join(_WORD.findall(text))


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_time_line(text: str) -> bool:
    if _DURATION.match(text):
        return True
    rest = _TIME_WORDS.sub(" ", DATE_PATTERN.sub(" ", text))
    had_marker = rest != text
    return had_marker and _words(rest) == 0 and _words(text) <= 12


def _is_name(text: str) -> bool:
    tokens = re.split(r"\s+|,\s*| and ", text.strip())
    tokens = [t for t in tokens if t and t.lower() not in {"and", "&"}]
    return 2 <= len(tokens) <= 8 and all(_NAME.match(t) for t in tokens) and not _TERMINAL.search(text)


def _strip_credit(text: str) -> str:
    match = _CREDIT.search(text)
    core = text[: match.start()] if match else text
    return normalize_text(core).rstrip(" .(")


def _classify(unit: str, title_norm: str) -> str:
    """A boilerplate reason, "caption", "byline", or BODY / HEADING when context decides."""
    norm = normalize_text(unit)
    words = _words(unit)
    if norm == title_norm:
        return "repeated title"
    # whole words only, and a title of 3+ words: a title "Home" must not catch "HOMEMADE JAM", nor
    # "Fox News" a sentence citing Fox News
    if (_words(title_norm) >= 3 and f" {_word_form(title_norm)} " in f" {_word_form(norm)} "
            and words <= _words(title_norm) + 12 and not _SENTENCE_END.search(unit)):
        return "section/category line"
    if _SECTION.search(unit) or (_BREADCRUMB.match(unit) and words <= 12):
        return "section/category line"
    if _is_time_line(unit):
        return "time stamp"
    if words <= 80 and _CREDIT.search(unit):
        return "caption"
    if _BYLINE.match(unit) and words <= 12:
        return "byline"
    if _WIRE_CREDITS.match(unit):
        return "wire credits"
    if _COPYRIGHT.search(unit) and words <= 40:
        return "copyright line"
    if _CTA.search(unit) and words <= 10:
        return "footer/call to action"
    if _AUTHOR_BIO.match(unit) and words <= 60:
        return "about the author"
    if words <= 12 and not _SENTENCE_END.search(unit):
        return HEADING
    return BODY


# --- steps 4 and 5: context and metadata ---------------------------------------------------------

_FURNITURE_AFTER_BODY = {"footer/call to action", "copyright line", "wire credits", "about the author"}


def _prepare(raw: str) -> tuple[list[str], str | None]:
    """Step 1: the units, the first one freed of a leading "2005/01/08 " date (returned as the date)."""
    units, _, published = prepare_gaps(raw)
    return units, published


def prepare_gaps(raw: str) -> tuple[list[str], list[bool], str | None]:
    """`_prepare`, with whether a blank line came before each unit."""
    units, gaps = _units(raw)
    if not units:
        return [], [], None
    published: str | None = None
    prefix = re.match(r"^(\d{4}[/-]\d{1,2}[/-]\d{1,2})\s+(.+)$", units[0])
    if prefix and (found := find_date(prefix.group(1))):
        published, units[0] = found[0], prefix.group(2)
    head = _split_leading_dates(list(zip(units[1:6], gaps[1:6], strict=True)))
    return ([units[0], *(u for u, _ in head), *units[6:]], [gaps[0], *(g for _, g in head), *gaps[6:]],
            published)


def rule_labels(units: list[str]) -> list[str]:
    """Steps 3 and 4 by the hand-written rules alone, the first unit taken as the title: one label per
    unit ("first line", BODY, "subheading", or a boilerplate reason). The line model reads these."""
    if not units:
        return []
    title_norm = normalize_text(units[0])
    labels = [_classify(u, title_norm) for u in units[1:]]
    rest = units[1:]
    body_idx = [i for i, label in enumerate(labels) if label == BODY]
    first_body = body_idx[0] if body_idx else len(labels)
    # Tail: from the first footer line after which at most a fifth as much body-like text follows.
    # A comment section ("3 comments") ends the article when no more body than before follows it.
    tail, comments = len(labels), False
    for i, label in enumerate(labels):
        if i <= first_body:
            continue
        before = sum(1 for j in body_idx if j < i)
        after = sum(1 for j in body_idx if j > i)
        if _COMMENTS_HEADER.match(rest[i]) and after <= before:
            tail, comments = i, True
            break
        if label in _FURNITURE_AFTER_BODY and after <= max(1, before // 5):
            tail = i
            break
    for i in range(tail, len(labels)):
        if labels[i] == BODY:
            if _ABOUT.search(rest[i]):
                labels[i] = "about the publisher"
            elif comments or (i and labels[i - 1] == "time stamp"):
                labels[i] = "reader comment"
            elif _words(rest[i]) < 15:
                # long sentences after a promo box are the article going on; short ones are footer notes
                labels[i] = "text after the footer"
        elif labels[i] == HEADING:
            labels[i] = "footer/call to action"
    for i in range(max(0, len(labels) - 3), len(labels)):
        if labels[i] == BODY and _words(rest[i]) <= 25 and _CTA.search(rest[i]):
            labels[i] = "footer/call to action"
    for i, label in enumerate(labels):
        if label == BODY and _ABOUT.match(rest[i]) and i > len(labels) * 0.7:
            labels[i] = "about the publisher"
    _mark_link_lists(labels, rest)
    _resolve_headings(labels, rest)
    _mark_duplicate_captions(labels, rest)
    _mark_bylines(labels, rest)
    return ["first line", *labels]


_MODEL_REASONS = (  # why the line model dropped a line the rules call body: the first shape that fits
    ("cookie", "cookie/consent notice"), ("market", "market-data notice"), ("comment", "reader comment"),
    ("related", "related-article list"), ("tags", "tag cloud"), ("share", "footer/call to action"),
    ("nav", "menu/navigation"), ("ad", "advertisement"),
)
_CJK_STOP = re.compile(r"[。！？]")
# menu words of other languages' sites, never a title (the line model's menu vocabulary is English)
_MENU_WORDS = frozenset({
    "ホーム", "トップ", "ニュース", "メニュー", "検索", "首页", "홈", "startseite", "menü", "suche",
    "navigation", "accueil", "rechercher", "inicio", "portada", "buscar", "главная", "меню", "forside",
    "hem", "strona główna", "anasayfa", "ana sayfa",
})
_RULE_KEPT = (BODY, "subheading", "first line", HEADING)
_NOT_TITLE = frozenset({"time stamp", "caption", "duplicate caption", "byline", "copyright line",
                        "wire credits", "footer/call to action", "section/category line"})


# a photo's caption marks who is where, or ends in its credit
_CAPTION_MARK = re.compile(r"(?i)\((?:left|right|centre|center|pictured|above|below)\)"
                           r"|\bcredit:\s*\S.{0,40}$")
_BARE_LINK = re.compile(r"^(?:https?://|www\.)\S+$")
# "skip to content" links of other languages' sites
_SKIP_LINK = re.compile(r"(?i)^(?:zum inhalt|zur navigation|direkt zum|aller au contenu|ir al contenido"
                        r"|saltar al contenido|vai al contenuto|naar de inhoud"
                        r"|gå til (?:innhold|hovedinnhold)|hoppa till|siirry sisältöön|przejdź do"
                        r"|içeriğe (?:geç|atla)|pular para)")


def title_blocked(units: list[str], rules: list[str]) -> list[bool]:
    """Lines that are never the title, whatever a model says: time stamps, captions, bylines, credits,
    menu words and skip links (of any language), short calls to action, bare links, and lines with a CJK
    full stop (a sentence: Chinese, Japanese and Korean headlines end without one)."""
    return [rule in _NOT_TITLE or bool(_VOCAB["nav"].fullmatch(unit.strip()))
            or unit.strip().casefold() in _MENU_WORDS
            or (bool(_CTA.search(unit)) and _words(unit) <= 4)
            or bool(_CJK_STOP.search(unit))
            or bool(_BARE_LINK.match(unit.strip())) or bool(_CAPTION_MARK.search(unit))
            or bool(_SKIP_LINK.match(unit.strip()))
            for unit, rule in zip(units, rules, strict=True)]


# the name in capitals, so case matters but for the date's month
_BYLINE_TAIL = re.compile(r"\s+(?:by|von|por|par)\s+(?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w.'’-]*[,|\s]*(?=(?i:"
                          + DATE_PATTERN.pattern + r"))")


_CRUMB = re.compile(r"[/»›>|]")
# longer lines are paragraphs: no breadcrumb is looked for in them (the search is quadratic in the tokens)
_CRUMBED_TITLE_TOKENS = 60


def _crumbless_tails(tokens: list[str]) -> list[tuple[int, list[str]]]:
    """Where a headline may begin after a breadcrumb, with the headline's word forms from there. A crumb
    is a few words, or any number of them before a separator; the title is 4+ words and, with no
    separator, longer than the crumb (a lead may begin with a headline's last words); a kicker ending in
    ":" is the headline's own ("Office for Budget Responsibility: What is the OBR?")."""
    forms = [_word_form(t).casefold() for t in tokens]
    separator = next((k for k, t in enumerate(tokens) if _CRUMB.fullmatch(t)), len(tokens))
    return [(start, tail) for start in range(1, len(tokens) - 2)
            if forms[start] and not tokens[start - 1].endswith(":") and (start <= 8 or separator < start)
            and len(tail := [f for f in forms[start:] if f]) >= 4
            and (len(tail) >= start or separator < start)]


def refined_title(units: list[str], at: int) -> tuple[str, int]:
    """The title in the chosen line, without what a page glued to it: a breadcrumb before it ("Home News
    <title>", when a line just below begins with the title), a byline and date after it ("<title> by
    Jane Doe November 8, 2023"), a short topic label before " - "; and it joins a kicker of its own line
    to a line that starts with ":". With the title, the first line it takes (the kicker's, or `at`)."""
    line = units[at].strip()
    if line.startswith(":") and at and 1 <= _words(units[at - 1]) <= 6 \
            and not _SENTENCE_END.search(units[at - 1].strip()):
        return units[at - 1].strip() + line, at - 1
    tokens = line.split()
    tails = _crumbless_tails(tokens) if len(tokens) <= _CRUMBED_TITLE_TOKENS else []
    for j in range(at + 1, min(len(units), at + 5)):
        below = [f for f in (_word_form(t).casefold() for t in units[j].split()[:len(tokens)]) if f]
        start = next((start for start, tail in tails if below[:len(tail)] == tail), None)
        if start is not None:
            line = " ".join(tokens[start:])
            break
    if (cut := _BYLINE_TAIL.search(line)) and _words(line[:cut.start()]) >= 4:
        line = line[:cut.start()]
    # a topic label before a plain hyphen ("Minderheit in Syrien - Drusen fordern …") is not the headline;
    # a dash or a longer left part is (the headline's own two halves)
    kicker, sep, rest = line.partition(" - ")
    if sep and 2 <= _words(kicker) <= 4 and ":" not in kicker and _words(rest) >= 5:
        line = rest
    return line, at


def _model_reason(unit: str, rule: str, run: int) -> str:
    if rule not in _RULE_KEPT:
        return rule
    for key, reason in _MODEL_REASONS:
        if _VOCAB[key].search(unit):
            return reason
    if run >= 4:
        return "link list"
    return "not article text (line model)"


def _short_run(units: list[str], i: int) -> int:
    def short(j: int) -> bool:
        return _words(units[j]) <= 8 and len(units[j]) < 60

    if not short(i):
        return 0
    lo, hi = i, i
    while lo > 0 and short(lo - 1):
        lo -= 1
    while hi + 1 < len(units) and short(hi + 1):
        hi += 1
    return hi - lo + 1


def clean_text(raw: str, *, url: str | None = None, model: LineModel | None = None,
               titles: TitleModel | None = None) -> CleanedText:
    """Splits scraped text into title, body paragraphs, subheadings, captions and removed boilerplate.

    `url`, when known, is where the text was scraped from (its slug helps find the title); `model` is the
    line model (default: the shipped `lines.v3`), `titles` the title chooser (default: the shipped
    `titles.v1`; the line model's own title stage when that is absent)."""
    units, gaps, published = prepare_gaps(raw)
    if not units:
        return CleanedText(title="", paragraphs=())
    rules = rule_labels(units)
    model = model or load_line_model()
    body = model.body(units, rules, gaps)
    blocked = title_blocked(units, rules)
    scores = model.title_scores(units, rules, body, url)
    chooser = titles or load_title_model()
    chosen = chooser.choose(units, rules, body, url, blocked, gaps, scores) if chooser is not None else None
    if chosen is None:
        chosen = int(np.argmax(np.where(blocked, -1.0, scores))) if not all(blocked) else 0
    title_at = chosen
    title, title_from = refined_title(units, title_at)
    title_form = _word_form(normalize_text(title))

    paragraphs: list[str] = []
    subheadings: list[str] = []
    subheading_at: list[int] = []
    captions: list[str] = []
    removed: list[Boilerplate] = []
    byline: str | None = None
    kept = [bool(p >= model.threshold) for p in body]
    aside = ("caption", "duplicate caption", "time stamp")
    for i in range(1, len(units) - 1):
        # the rules' subheading (a short line between body paragraphs) stands when the model keeps both
        nxt = next((j for j in range(i + 1, len(units)) if rules[j] not in aside), None)
        if rules[i] == "subheading" and kept[i - 1] and nxt is not None and kept[nxt]:
            kept[i] = True
    for i, (unit, rule) in enumerate(zip(units, rules, strict=True)):
        if title_from <= i <= title_at:
            continue
        # captions, lines that are only a date or time, comment counters and "Posted in" lines: a
        # site's furniture in any layout, even set apart by blank lines like a paragraph
        if (rule in ("caption", "duplicate caption", "time stamp")
                or (rule == "section/category line" and _SECTION.search(unit))):
            kept[i] = False
        keep = kept[i]
        if keep and _word_form(normalize_text(unit)) == title_form:
            keep, rule = False, "repeated title"
        if keep:
            # "。" ends a sentence and a CJK phrase counts as one \w-word: count characters there too
            heading = (_words(unit) <= 12 and len(unit) <= 90 and not _SENTENCE_END.search(unit)
                       and not _CJK_STOP.search(unit))
            if heading and paragraphs:
                subheadings.append(unit)
                subheading_at.append(len(paragraphs))
            else:
                paragraphs.append(unit)
            continue
        reason = "repeated title" if _word_form(normalize_text(unit)) == title_form else (
            _model_reason(unit, rule, _short_run(units, i)))
        if reason == "caption":
            captions.append(unit)
        if reason == "byline" and byline is None:
            match = _BYLINE.match(unit)
            byline = (match.group(1) if match else unit).strip()
        removed.append(Boilerplate(unit, reason))
    # a trailing subheading with no paragraph after it is furniture
    while subheading_at and subheading_at[-1] == len(paragraphs):
        removed.append(Boilerplate(subheadings.pop(), "heading without body"))
        subheading_at.pop()
    if published is None:
        published = _structural_date(units, kept, title_at)
    if published is None:
        # No time stamp: a news lead or photo caption dates its own event ("met … on March 16, 2023"),
        # and an undated article would otherwise join stories from any time.
        dated = (found[0] for text in (*paragraphs[:2], *captions[:2]) if (found := find_date(text)))
        published = next(dated, None)
    return CleanedText(
        title=title,
        paragraphs=tuple(paragraphs),
        subheadings=tuple(subheadings),
        subheading_at=tuple(subheading_at),
        captions=tuple(captions),
        boilerplate=tuple(removed),
        outlet=_outlet(removed),
        byline=byline,
        published=published,
    )


_LEADING_DATE = re.compile(r"^(?P<date>" + DATE_PATTERN.pattern + r")(?P<glue>\s*[-–—:|]?\s*)(?P<rest>\S.*)$",
                           re.IGNORECASE)


_PUBLISHED = re.compile(r"(?i)\b(?:published|posted|first published|date|veröffentlicht|publié|publicado)\b")
_UPDATED = re.compile(r"(?i)\b(?:updated|modified|aktualisiert)\b")
_ISO_STAMP = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}")
_CJK_DATE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
_DOT_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")


def _line_date(text: str) -> str | None:
    """The first date written in a line: English and ISO forms, "2024年5月3日", "03.05.2024"."""
    for rx, order in ((_ISO_STAMP, (0, 1, 2)), (_CJK_DATE, (0, 1, 2)), (_DOT_DATE, (2, 1, 0))):
        if match := rx.search(text):
            y, m, d = (int(match.group(k + 1)) for k in order)
            if 1 <= m <= 12 and 1 <= d <= 31 and (found := find_date(f"{y:04d}-{m:02d}-{d:02d}")):
                return found[0]
    found = find_date(text)
    return found[0] if found else None


def _structural_date(units: list[str], kept: list[bool], title_at: int) -> str | None:
    """The publication date from the page's structure: a short line the model did not keep, near the
    title or just before the body, "Published"/"Posted" lines first, "Updated" ones last; never a date
    inside body text (a year or event date there is what the article is about)."""
    first_body = next((i for i, k in enumerate(kept) if k), len(units))
    ranked = []
    for i, unit in enumerate(units):
        near = abs(i - title_at) <= 12 or i <= first_body + 3
        if kept[i] or i == title_at or not near or _words(unit) > 40:
            continue
        kind = 0 if _PUBLISHED.search(unit) else 2 if _UPDATED.search(unit) else 1
        ranked.append((kind, abs(i - title_at), i))
    for _, _, i in sorted(ranked):
        if found := _line_date(units[i]):
            return found
    return None


def _split_leading_dates(units: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Near the top, a dateline glued to the first paragraph ("Tuesday, January 18, 2005Through a ...")
    becomes its own time-stamp line; a weekday or a missing space shows it is not part of the sentence.
    Units come with their blank-line-before flag; the split-off paragraph has none."""
    out: list[tuple[str, bool]] = []
    for unit, gap in units:
        match = _LEADING_DATE.match(unit)
        if match and _words(match.group("rest")) >= 5:
            date = match.group("date")
            weekday = not date[:1].isdigit() and not re.match(r"(?i)^[a-z]+\.?\s+\d", date)
            if weekday or not match.group("glue") or match.group("glue").strip():
                out.extend([(date, gap), (match.group("rest"), False)])
                continue
        out.append((unit, gap))
    return out


def _mark_link_lists(labels: list[str], units: list[str]) -> None:
    """Runs of three or more headline-like lines are link farms (related stories, menus)."""
    i = 0
    while i < len(labels):
        j = i
        while j < len(labels) and labels[j] == HEADING:
            j += 1
        if j - i >= 3:
            for k in range(i, j):
                labels[k] = "link list"
        i = max(j, i + 1)


def _resolve_headings(labels: list[str], units: list[str]) -> None:
    """A heading-like line is a subheading only between body paragraphs; elsewhere it is furniture."""
    seen_body = False
    for i, label in enumerate(labels):
        if label == BODY:
            seen_body = True
        if label != HEADING:
            continue
        following = next((lab for lab in labels[i + 1:] if lab not in ("caption", "time stamp")), None)
        if following == BODY and seen_body:
            labels[i] = "subheading"
        elif following == BODY and _is_name(units[i]):
            labels[i] = "byline"
        elif not seen_body:
            labels[i] = "short line before the body"
        else:
            labels[i] = "heading without body"


def _mark_duplicate_captions(labels: list[str], units: list[str]) -> None:
    """A line repeating a caption without (or with another) credit is the same caption again."""
    cores = {_strip_credit(units[i]) for i, lab in enumerate(labels) if lab == "caption"}
    cores.discard("")
    seen: set[str] = set()
    for i, label in enumerate(labels):
        core = _strip_credit(units[i])
        if label == "caption":
            if core in seen:
                labels[i] = "duplicate caption"
            seen.add(core)
        elif core in cores and label in (BODY, "subheading", "heading without body"):
            labels[i] = "duplicate caption"


def _mark_bylines(labels: list[str], units: list[str]) -> None:
    """Before the body, a short line made only of capitalised name tokens is the author."""
    for i, label in enumerate(labels):
        if label == BODY:
            return
        if label == "short line before the body" and _is_name(units[i]):
            labels[i] = "byline"


def _outlet(removed: list[Boilerplate]) -> str | None:
    for item in removed:
        if item.reason == "copyright line" and (match := _COPYRIGHT_OWNER.search(item.text)):
            owner = match.group("owner").strip(" .,")
            if owner and owner.lower() not in {"all", "the", "copyright"}:
                return owner
    return None
