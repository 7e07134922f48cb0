"""`ingest_paths`: inputs into the store, with exact and near-duplicate linking and kill-safe commits.

Every article is written together with its sighting, MinHash signature and near-duplicate links in one
transaction, and transactions are grouped per `commit_every` articles: a kill at any moment loses at most
the open group, which a rerun redoes, so a rerun reaches exactly the state of an uninterrupted run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsprism.errors import InputError
from newsprism.ingest._read import _context, _read_file, iter_files
from newsprism.ingest.dedup import NearDuplicateIndex, signature, to_blob
from newsprism.settings import Settings
from newsprism.store import Store, text_hash
from newsprism.types import Article, Rejection

__all__ = ["IngestReport", "ingest_paths"]


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did. Duplicates and near-duplicates are linked, not lost."""

    ingested: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    rejected: tuple[Rejection, ...] = ()

    @property
    def failed(self) -> bool:
        return bool(self.rejected)


def _sighting_source(article: Article) -> str:
    # One file can hold many records (JSONL, feeds, WARC): the URL, else the content id, tells them apart.
    return article.url or f"{article.path}#{article.id}"


class _Writer:
    def __init__(self, store: Store, settings: Settings, commit_every: int) -> None:
        self.store = store
        self.db = store.connection
        self.commit_every = max(1, commit_every)
        self.pending = 0
        self.stack = ExitStack()
        rows = self.db.execute("SELECT article_id, signature FROM minhashes ORDER BY rowid")
        self.index = NearDuplicateIndex(settings.near_duplicate_threshold, ((r[0], r[1]) for r in rows))
        self.ingested = self.duplicates = self.near = 0

    def _tick(self) -> None:
        if self.pending == 0:
            self.stack.enter_context(self.store.transaction())
        self.pending += 1

    def flush(self) -> None:
        if self.pending:
            self.pending = 0
            self.stack.close()

    def article(self, article: Article) -> None:
        self._tick()
        source = _sighting_source(article)
        if self.store.has_article(article.id):
            self.store.add_sighting(article.id, source, article.outlet, article.url)
            self.duplicates += 1
        elif (same := self.store.find_by_text_hash(text_hash(article.text))) is not None:
            self.store.add_sighting(same, source, article.outlet, article.url)
            self.duplicates += 1
        else:
            minhash = signature(article.text)
            matches = self.index.matches(minhash)
            self.store.add_article(article, source)
            self.db.execute("INSERT INTO minhashes (article_id, signature) VALUES (?, ?)",
                            (article.id, to_blob(minhash)))
            self.db.executemany(
                "INSERT OR IGNORE INTO near_duplicates (article_id, original_id, similarity) VALUES (?,?,?)",
                [(article.id, original, round(sim, 4)) for original, sim in matches])
            self.index.add(article.id, minhash)
            self.ingested += 1
            self.near += bool(matches)
        if self.pending >= self.commit_every:
            self.flush()

    def rejection(self, rejection: Rejection) -> None:
        self._tick()
        # A rerun meets the same bad inputs again; one row per (source, reason) keeps reruns idempotent.
        exists = self.db.execute("SELECT 1 FROM rejections WHERE source = ? AND reason = ?",
                                 (rejection.source, rejection.reason)).fetchone()
        if exists is None:
            self.store.add_rejection(rejection)


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Progress | None]:
    if not enabled:
        yield None
        return
    columns = (TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[name]}"))
    with Progress(*columns, transient=False) as progress:
        yield progress


def ingest_paths(paths: Sequence[Path], store: Store, settings: Settings, *, fetch: bool = False,
                 progress: bool = True, strict: bool = False, commit_every: int = 200) -> IngestReport:
    """Reads every input, stores new articles, links duplicates and near-duplicates, records rejections.

    With `strict`, the first rejection is recorded and then raised as `InputError`.
    """
    ctx = _context(settings, fetch)
    files = list(iter_files(paths))
    writer = _Writer(store, settings, commit_every)
    rejected: list[Rejection] = []
    try:
        with _progress(progress, len(files)) as bar:
            task = bar.add_task("ingest", total=len(files), name="") if bar else None
            for entry in files:
                items = [entry] if isinstance(entry, Rejection) else _read_file(entry, ctx)
                for item in items:
                    if isinstance(item, Article):
                        writer.article(item)
                        continue
                    writer.rejection(item)
                    rejected.append(item)
                    if strict:
                        writer.flush()
                        raise InputError(f"{item.source}: {item.reason}")
                if bar is not None and task is not None:
                    bar.update(task, advance=1, name=Path(str(getattr(entry, "name", ""))).name)
        writer.flush()
    finally:
        writer.stack.close()
        fetcher = ctx.fetcher
        if fetcher is not None and hasattr(fetcher, "close"):
            fetcher.close()
    return IngestReport(writer.ingested, writer.duplicates, writer.near, tuple(rejected))
