"""Direct quotes with their speakers resolved to full names.

Speaker resolution, in this order (the first that answers wins):
1. a pronoun ("he added") is the previous speaker in the same article;
2. a name or part of one ("Kishida told reporters") is the fullest form of that name in the article
   ("Fumio Kishida"), found next to a title ("Prime Minister Fumio Kishida") or as a capitalised run;
3. a description ("the Japanese prime minister said") is the person the article names with that title,
   preferring the one whose qualifiers ("Japanese" ~ "Japan's") match;
4. otherwise the attribution as written ("The U.S. State Department spokesperson").
A quote with no attribution of its own continues the previous quote of the same paragraph.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from newsprism.types import Article, Quote

__all__ = ["People", "find_quotes", "quoted_share"]

_VERBS = (
    r"said|says|told|tells|added|adds|stressed|stresses|noted|notes|declared|declares|wrote|writes|stated|"
    r"states|explained|explains|insisted|insists|warned|warns|asked|asks|urged|urges|argued|argues|"
    r"continued|remarked|commented|replied|responded|announced|emphasized|emphasised|recalled|concluded"
)
_QUOTE = re.compile(r"“([^“”]+)”|\"([^\"\n]+)\"")
_AFTER = re.compile(
    rf"^\s*,?\s*(?:(?:{_VERBS})\s+(?P<inv>[A-Z][^,.;:“”\"]{{1,60}}?)(?=\s*[,.;:]|\s+(?:at|in|on|during|after|"
    rf"before|to|from|while)\b|\s*$)|(?P<sub>[^,.;:“”\"]{{1,80}}?)\s+(?:{_VERBS})\b)"
)
_BEFORE = re.compile(
    rf"(?:^|[,;:]\s+|\.\s+)(?P<sub>[A-Z](?:[A-Z]\.|[^,.;:“”\"]){{0,80}}?)\s+(?:{_VERBS})\b(?:\s+(?:that|"
    rf"reporters|journalists))?[^“”\"]{{0,120}}$"
)
_PRONOUNS = {"he", "she", "they", "i", "we"}
_TITLES = (
    "prime minister",
    "foreign minister",
    "defense minister",
    "defence minister",
    "finance minister",
    "president",
    "vice president",
    "minister",
    "chancellor",
    "secretary of state",
    "secretary",
    "senator",
    "governor",
    "mayor",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "ambassador",
    "king",
    "queen",
    "pope",
    "general",
    "chairman",
    "chairwoman",
    "chief executive",
    "director",
    "leader",
    "premier",
    "pm",
    "pres.",
    "rep.",
    "sen.",
    "gov.",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
)
_NAME_TOKEN = r"[A-Z][a-z’'\-]+(?:-[A-Za-z]+)?"
_NAME = rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}}"
_TITLED = re.compile(
    r"(?P<mods>(?:[A-Z][\w’'.\-]*\s+){0,3}?)(?P<title>"
    + "|".join(re.escape(t.title()) if t[-1] != "." else re.escape(t.capitalize()) for t in _TITLES)
    + rf")\s+(?P<name>{_NAME})"
)
_CAP_RUN = re.compile(rf"\b{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,3}}\b")


def _key(token: str) -> str:
    return token.lower().replace("’", "'").rstrip("'s").replace("-", "")


@dataclass(frozen=True)
class _Person:
    name: str
    titles: frozenset[str]
    qualifiers: frozenset[str]  # stems of words before the title: "japan", "south", "korea"


class People:
    """The people an article names, with the titles and qualifiers it gives them."""

    def __init__(self, text: str) -> None:
        forms: Counter[str] = Counter()
        titles: dict[str, set[str]] = {}
        quals: dict[str, set[str]] = {}
        for m in _TITLED.finditer(text):
            name = m.group("name")
            forms[name] += 2  # a titled mention is good evidence that this run is a person's name
            titles.setdefault(name, set()).add(m.group("title").lower())
            quals.setdefault(name, set()).update(_key(w)[:5] for w in m.group("mods").split())
        for m in _CAP_RUN.finditer(text):
            forms[m.group(0)] += 1
        self._people: list[_Person] = []
        merged: dict[str, _Person] = {}
        # longest, most frequent forms first, so "Fumio Kishida" absorbs "Kishida"
        for name, _count in sorted(forms.items(), key=lambda kv: (-len(kv[0].split()), -kv[1])):
            key = tuple(_key(t) for t in name.split())
            home = next((p for k, p in merged.items() if set(key) <= set(k.split())), None)
            if home is None:
                if name not in titles:
                    continue  # a capitalised run never given a title is likely a place or an org
                merged[" ".join(key)] = _Person(name, frozenset(titles[name]), frozenset(quals.get(name, ())))
            else:
                joined = " ".join(_key(t) for t in home.name.split())
                merged[joined] = _Person(
                    home.name,
                    home.titles | frozenset(titles.get(name, ())),
                    home.qualifiers | frozenset(quals.get(name, ())),
                )
        self._people = list(merged.values())

    def by_name(self, words: str) -> str | None:
        """The fullest known name containing all capitalised words of `words`."""
        caps = [_key(w) for w in re.findall(r"[A-Z][\w’'\-]+", words)]
        caps = [c for c in caps if c not in {"the", "mr", "mrs", "ms", "dr", "president", "minister"}]
        if not caps:
            return None
        for person in self._people:
            if set(caps) <= {_key(t) for t in person.name.split()}:
                return person.name
        return None

    def by_title(self, words: str) -> str | None:
        """The person named with the title (and best-matching qualifiers) that `words` describes."""
        low = words.lower()
        stems = {_key(w)[:5] for w in low.split()}
        best: tuple[int, str] | None = None
        for person in self._people:
            score = 0
            if any(t.rstrip(".") in low for t in person.titles):
                score += 2
            elif "leader" in low or "official" in low:
                score += 1
            if score == 0:
                continue
            score += len(stems & person.qualifiers)
            if score >= 2 and (best is None or score > best[0]):
                best = (score, person.name)
        return None if best is None else best[1]


def quoted_share(sentence: str) -> float:
    """Share of the characters of `sentence` that sit inside quotation marks."""
    inside = sum(len(m.group(0)) for m in _QUOTE.finditer(sentence))
    return inside / max(1, len(sentence))


def _resolve(raw: str, people: People, previous: str | None) -> str | None:
    words = raw.strip().strip(",").strip()
    if not words:
        return None
    if words.lower() in _PRONOUNS:
        return previous
    named = people.by_name(words)
    if named:
        return named
    titled = people.by_title(words)
    if titled:
        return titled
    if len(words.split()) > 8:
        return None
    return words[0].upper() + words[1:]


def find_quotes(article: Article, *, min_words: int = 4) -> list[Quote]:
    """Direct quotes of at least `min_words` words in `article.text`, with resolved speakers."""
    text = article.text
    people = People(article.title + "\n\n" + text)
    quotes: list[Quote] = []
    previous: str | None = None
    previous_paragraph = -1
    for m in _QUOTE.finditer(text):
        group = 1 if m.group(1) is not None else 2
        content = m.group(group)
        if len(content.split()) < min_words:
            continue  # scare quotes and titles, not speech
        start, end = m.start(group), m.end(group)
        start += len(content) - len(content.lstrip())
        end -= len(content) - len(content.rstrip())
        paragraph = text.count("\n\n", 0, start)
        para_start = text.rfind("\n\n", 0, m.start()) + 1
        para_end = text.find("\n\n", m.end())
        para_end = len(text) if para_end < 0 else para_end
        raw: str | None = None
        after = _AFTER.match(text[m.end() : para_end][:160])
        if after:
            raw = after.group("inv") or after.group("sub")
        if raw is None:
            before = _BEFORE.search(text[max(para_start, m.start() - 200) : m.start()])
            if before:
                raw = before.group("sub")
        if raw is not None:
            speaker = _resolve(raw, people, previous)
        else:
            speaker = previous if paragraph == previous_paragraph else None
        quotes.append(Quote(speaker, text[start:end], article.id, start, end, article.outlet))
        if speaker:
            previous, previous_paragraph = speaker, paragraph
    return quotes
