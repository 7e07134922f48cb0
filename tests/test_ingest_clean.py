"""The raw-text cleaner, scored on a labelled set of scraped pages (tests/data/ingest/clean/*.page)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from newsprism.ingest import clean_text, extract_file
from newsprism.types import Article, normalize_text

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "tests" / "data" / "ingest" / "clean").glob("*.page"))
SEEDS = ROOT / "data" / "demo" / "seeds"
MULTILING = ROOT / "data" / "multiling2011" / "sources"

# Pinned floors: measured 1.00/1.00 (paragraphs) when the set was written; a drop means a regression.
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.95
SUBHEADING_RECALL_FLOOR = 0.8


@dataclass(frozen=True)
class Labelled:
    raw: str
    title: str
    paragraphs: tuple[str, ...]
    subheadings: tuple[str, ...]
    captions: tuple[str, ...]


def load(path: Path) -> Labelled:
    raw_lines: list[str] = []
    title = ""
    paragraphs: list[str] = []
    subheadings: list[str] = []
    captions: list[str] = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            raw_lines.append("")
            continue
        label, text = line[:3], line[3:]
        raw_lines.append(text)
        if label == "T| " and not title:
            title = text
        elif label == "B| ":
            paragraphs.append(text)
        elif label == "B+ ":
            paragraphs[-1] += " " + text
        elif label == "H| ":
            subheadings.append(text)
        elif label == "C| ":
            captions.append(text)
    return Labelled("\n".join(raw_lines), title, tuple(paragraphs), tuple(subheadings), tuple(captions))


def test_labelled_set_is_big_enough() -> None:
    assert len(PAGES) >= 15


def test_paragraph_precision_and_recall_over_floors() -> None:
    tp = fp = fn = 0
    head_hit = head_total = titles = 0
    misses: list[str] = []
    for page in PAGES:
        gold = load(page)
        got = clean_text(gold.raw)
        want = {normalize_text(p) for p in gold.paragraphs}
        have = {normalize_text(p) for p in got.paragraphs}
        tp += len(want & have)
        fp += len(have - want)
        fn += len(want - have)
        misses += [f"{page.name}: extra {p[:60]!r}" for p in have - want]
        misses += [f"{page.name}: missing {p[:60]!r}" for p in want - have]
        head_total += len(gold.subheadings)
        head_hit += len(set(gold.subheadings) & set(got.subheadings))
        titles += got.title == gold.title
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"cleaner: paragraph P={precision:.3f} R={recall:.3f}, subheadings {head_hit}/{head_total},"
          f" titles {titles}/{len(PAGES)}")
    assert precision >= PRECISION_FLOOR, misses
    assert recall >= RECALL_FLOOR, misses
    assert head_hit / head_total >= SUBHEADING_RECALL_FLOOR
    assert titles == len(PAGES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_captions_are_kept_apart(page: Path) -> None:
    gold = load(page)
    got = clean_text(gold.raw)
    for caption in gold.captions:
        assert caption in got.captions or any(b.text == caption for b in got.boilerplate)
        assert caption not in got.paragraphs


def test_seed_with_section_line_captions_and_publisher_footer() -> None:
    article = extract_file(SEEDS / "000_c0e5fdfcdfc52de7.txt")
    assert isinstance(article, Article)
    assert article.title == "South Korean and Japanese leaders meet in Tokyo to mend ties"
    assert article.outlet == "IRIA"
    reasons = {b.text: b.reason for b in article.boilerplate}
    assert reasons["Related Articles"] == reasons["Back to Top"] == "footer/call to action"
    assert any(r == "about the publisher" and t.startswith("IRIA is a research") for t, r in reasons.items())
    assert any("No Comments on" in t and r == "section/category line" for t, r in reasons.items())
    assert len(article.captions) == 2 and all("Image Credit" in c for c in article.captions)
    assert article.paragraphs[0].startswith("Japanese Prime Minister Fumio Kishida met")
    assert article.paragraphs[-1].startswith("South Korea and Japan have historical disputes")


def test_seed_with_byline_timestamp_subheading_and_duplicate_caption() -> None:
    article = extract_file(SEEDS / "004_2b1bcd757c7649fc.txt")
    assert isinstance(article, Article)
    assert article.byline == "Aldgra Fredly"
    assert article.subheadings == ("The Washington Declaration",)
    reasons = [b.reason for b in article.boilerplate]
    assert reasons.count("time stamp") == 2 and "duplicate caption" in reasons
    assert not any("Getty Images" in p or "Pool Photo" in p for p in article.paragraphs)
    assert len(article.paragraphs) == 19


def test_seed_with_indented_bullets_and_last_updated_date() -> None:
    article = extract_file(SEEDS / "002_54ac012270ea1e60.txt")
    assert isinstance(article, Article)
    assert article.published == "2023-03-16"
    assert article.captions and article.captions[0].startswith("Image credit:")
    assert "Sign up to our newsletter!" in {b.text for b in article.boilerplate}
    assert article.subheadings[:2] == ("Narrative A", "Narrative B")


def test_every_bundled_source_gives_a_sensible_article() -> None:
    files = sorted(SEEDS.glob("*.txt")) + sorted(MULTILING.glob("*.txt"))
    assert len(files) == 103
    for path in files:
        article = extract_file(path)
        assert isinstance(article, Article), path
        first_line = path.read_text("utf-8").strip().splitlines()[0]
        assert article.title and article.title in first_line, path
        assert len(article.paragraphs) >= 2 and len(article.text.split()) >= 60, path
        if path.parent == MULTILING:
            # every multiling source states its date: "Saturday, January 8, 2005" or a "2005/01/08 " prefix
            assert article.published and article.published[:2] in ("19", "20"), path
            assert not article.paragraphs[0].startswith(("Monday", "Tuesday", "Saturday")), path
