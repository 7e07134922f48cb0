"""Makes the batch test corpora from the MultiLing 2011 WikiNews sources (CC BY 2.5, see NOTICE).

`multiling_records` turns a source file into a JSON record; `write_sample` writes the small corpus checked
in next to this file (run `python tests/data/batch/corpus.py` to regenerate it): JSONL with an exact
copy, a near copy, a malformed line and a too-short record, and a WARC.gz of HTML pages.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCES = HERE.parents[2] / "data" / "multiling2011" / "sources"
_DATE = re.compile(r"^(\d{4})/(\d{2})/(\d{2}) ")
_OUTLETS = ("wikinews.org", "example-wire.test", "example-daily.test")


def multiling_record(path: Path, n: int) -> dict[str, Any]:
    """One WikiNews source file as a JSON article record; `n` picks one of three outlets."""
    lines = [line.strip() for line in path.read_text("utf-8").splitlines()]
    title = _DATE.sub("", lines[0])
    paragraphs = [line for line in lines[1:] if line]
    dated = paragraphs.pop(0) if paragraphs and re.search(r"\b(19|20)\d\d$", paragraphs[0]) else None
    outlet = _OUTLETS[n % len(_OUTLETS)]
    return {"id": path.stem, "title": title, "text": "\n\n".join(paragraphs), "source": outlet,
            "url": f"https://{outlet}/{path.stem}", "date": dated, "topic": path.stem[:4]}


def write_multiling_jsonl(out: Path, pattern: str = "M*.txt") -> int:
    """All MultiLing sources matching `pattern` as one JSONL file; returns the record count."""
    files = sorted(SOURCES.glob(pattern))
    with out.open("w", encoding="utf-8") as sink:
        for n, path in enumerate(files):
            sink.write(json.dumps(multiling_record(path, n), ensure_ascii=False) + "\n")
    return len(files)


def _warc(pages: list[tuple[str, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode("utf-8")),
                                           http_headers=headers)
        writer.write_record(record)
    return buffer.getvalue()


def _page(record: dict[str, Any]) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in record["text"].split("\n\n"))
    return (f"<!doctype html><html><head><title>{html.escape(record['title'])}</title></head><body>"
            f"<article><h1>{html.escape(record['title'])}</h1><time datetime=\"{record['date']}\">"
            f"{record['date']}</time>\n{paragraphs}</article></body></html>")


def write_sample(folder: Path = HERE) -> None:
    """The small checked-in corpus: topics M000 (tsunami), M003 (Tour de France) and M005 as JSONL,
    topic M002 (sailors captured by Iran) as WARC pages, plus the awkward records a crawl holds."""
    records = [multiling_record(p, n) for n, p in enumerate(sorted(SOURCES.glob("M000[0-5].txt"))
                                                         + sorted(SOURCES.glob("M003[0-5].txt"))
                                                         + sorted(SOURCES.glob("M005[0-3].txt")))]
    copy = dict(records[0], source="example-copy.test", url="https://example-copy.test/tsunami")
    near = dict(records[6], url="https://example-near.test/tour",
                text=records[6]["text"] + "\n\nThis report includes material from wire services.")
    short = {"title": "Brief", "text": "Too short to be an article.", "source": "example-wire.test"}
    lines = [json.dumps(r, ensure_ascii=False) for r in [*records, copy, near, short]]
    lines.insert(3, '{"title": "broken line", "text": ')
    (folder / "articles.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    pages = [multiling_record(p, n) for n, p in enumerate(sorted(SOURCES.glob("M002[0-4].txt")))]
    (folder / "pages.warc.gz").write_bytes(_warc([(r["url"], _page(r)) for r in pages]))
    with gzip.open(folder / "more.jsonl.gz", "wt", encoding="utf-8") as sink:
        for n, path in enumerate(sorted(SOURCES.glob("M000[6-9].txt"))):
            sink.write(json.dumps(multiling_record(path, n + 1), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write_sample()
