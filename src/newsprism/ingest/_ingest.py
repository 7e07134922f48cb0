"""`ingest_paths`: inputs into the store, with exact and near-duplicate linking and kill-safe commits.

Every article is written together with its sighting, MinHash signature and near-duplicate links in one
transaction, and transactions are grouped per `commit_every` articles: a kill at any moment loses at most
the open group, which a rerun redoes, so a rerun reaches exactly the state of an uninterrupted run.
Full-text rows, signatures, near-duplicate links and fetch validators are batched per group (one
executemany each, inside the group's transaction). Big JSON-lines inputs are parsed and hashed by one
helper process (`_prepare.Preparer`); this process alone writes and decides what is a duplicate.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsprism.errors import InputError
from newsprism.ingest._context import Item
from newsprism.ingest._fetch import StoredValidators
from newsprism.ingest._normal import body_hash
from newsprism.ingest._prepare import Prepared, Preparer, article_json, prepare
from newsprism.ingest._read import _context, _read_file, _stream_records, is_streamed, iter_files
from newsprism.ingest.dedup import NearDuplicateIndex, from_blob
from newsprism.progress import progress_bar
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Article, Rejection

__all__ = ["IngestReport", "ingest_paths"]


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did. Duplicates and near-duplicates are linked, not lost."""

    ingested: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    rejected: tuple[Rejection, ...] = ()
    undated: tuple[Rejection, ...] = ()  # stored without the date they gave, and why it was dropped

    @property
    def failures(self) -> tuple[Rejection, ...]:
        """Inputs the run could not read at all (missing, unreadable, cut short). Other rejections are
        inputs handled: read, and found not to be articles, with the reason."""
        return tuple(r for r in self.rejected if r.reason.startswith(FAILURE_REASONS))

    @property
    def failed(self) -> bool:
        return bool(self.failures)


class StrictStop(InputError):
    """`--strict`: the first input rejected (refused or unreadable) stopped the run. `report` is what the
    run did before it, all of it committed; the inputs after it were not read."""

    def __init__(self, rejection: Rejection, report: IngestReport) -> None:
        super().__init__(f"{rejection.source}: {rejection.reason}")
        self.rejection = rejection
        self.report = report


# Reasons that mean "not read" rather than "read and refused"; readers start such reasons with these.
FAILURE_REASONS = ("no such file", "cannot read", "unreadable folder", "truncated")


def _sighting_source(article: Article) -> str:
    # One file can hold many records (JSONL, feeds, WARC): the URL, else the content id, tells them apart.
    return article.url or f"{article.path}#{article.id}"


# Crash-safe in WAL mode (synchronous=NORMAL loses no committed transaction on a process kill); they only
# give SQLite more memory for pages and temporary b-trees during a bulk load.
# A larger autocheckpoint means fewer checkpoints (the only fsyncs under synchronous=NORMAL).
_BULK_PRAGMAS = ("PRAGMA cache_size=-65536", "PRAGMA temp_store=MEMORY", "PRAGMA wal_autocheckpoint=16384")


class _Writer:
    def __init__(self, store: Store, settings: Settings, commit_every: int) -> None:
        self.store = store
        self.validators = StoredValidators(store.connection)
        self.db = store.connection
        for pragma in _BULK_PRAGMAS:
            self.db.execute(pragma)
        self.commit_every = max(1, commit_every)
        self.pending = 0
        self.stack = ExitStack()
        # Rows written at the end of each commit group, inside its transaction, with one executemany each.
        self.search_rows: list[tuple[str, str, str, str]] = []
        self.minhash_rows: list[tuple[str, bytes]] = []
        self.near_rows: list[tuple[str, str, float]] = []
        rows = self.db.execute("SELECT article_id, signature FROM minhashes ORDER BY rowid")
        self.index = NearDuplicateIndex(settings.near_duplicate_threshold, ((r[0], r[1]) for r in rows))
        self.ingested = self.duplicates = self.near = 0
        self.undated: list[Rejection] = []

    def _tick(self) -> None:
        if self.pending == 0:
            self.stack.enter_context(self.store.transaction())
        self.pending += 1

    def flush(self) -> None:
        """Writes the group's batched rows and commits it."""
        if self.pending:
            db = self.db
            db.executemany("INSERT INTO articles_fts (id, title, text, outlet) VALUES (?,?,?,?)",
                           self.search_rows)
            db.executemany("INSERT INTO minhashes (article_id, signature) VALUES (?, ?)", self.minhash_rows)
            db.executemany(
                "INSERT OR IGNORE INTO near_duplicates (article_id, original_id, similarity) VALUES (?,?,?)",
                self.near_rows)
            self.validators.flush(db)
            self._clear()
            self.pending = 0
            self.stack.close()
        elif self.validators.held:
            with self.store.transaction() as db:  # pages fetched, but nothing stored from them
                self.validators.flush(db)

    def abort(self) -> None:
        """Rolls the open group back: a rerun redoes it."""
        self._clear()
        self.pending = 0
        self.stack.__exit__(RuntimeError, RuntimeError("ingest aborted"), None)

    def _clear(self) -> None:
        self.validators.discard()
        self.search_rows.clear()
        self.minhash_rows.clear()
        self.near_rows.clear()

    def article(self, article: Article, prepared: Prepared | None = None) -> None:
        self._tick()
        source = _sighting_source(article)
        digest = prepared.digest if prepared else body_hash(article.text)
        if self.store.has_article(article.id):
            self.store.add_sighting(article.id, source, article.outlet, article.url)
            self.duplicates += 1
        elif (same := self.store.find_by_text_hash(digest)) is not None:
            self.store.add_sighting(same, source, article.outlet, article.url)
            self.duplicates += 1
        else:
            prepared = prepared or prepare(article)
            minhash = from_blob(prepared.signature)
            matches = self.index.matches(minhash)
            self.store.add_article(article, source, digest=digest, data=article_json(article), search=False)
            self.search_rows.append((article.id, article.title, article.text, article.outlet or ""))
            self.minhash_rows.append((article.id, prepared.signature))
            self.near_rows.extend((article.id, original, round(sim, 4)) for original, sim in matches)
            self.index.add(article.id, minhash)
            self.ingested += 1
            self.near += bool(matches)
            if reason := article.extra.get("undated_because"):
                self.undated.append(Rejection(source, f"{reason}; stored undated"))
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
    with progress_bar(*columns, transient=False) as progress:
        yield progress


_HELPER_BYTES = 8_000_000  # below this much JSON lines, starting a helper process costs more than it saves


def _worth_a_helper(files: Sequence[Path | Rejection]) -> bool:
    if (os.cpu_count() or 1) < 2:
        return False
    size = 0
    for entry in files:
        if isinstance(entry, Path) and is_streamed(entry):
            with suppress(OSError):
                size += entry.stat().st_size * (4 if entry.suffix.lower() == ".gz" else 1)
    return size >= _HELPER_BYTES


def ingest_paths(paths: Sequence[Path], store: Store, settings: Settings, *, fetch: bool = False,
                 progress: bool = True, strict: bool = False, commit_every: int = 200) -> IngestReport:
    """Reads every input, stores new articles, links duplicates and near-duplicates, records rejections.

    With `strict`, the first input rejected (refused with a reason, or unreadable) is recorded and the run
    stops there: `StrictStop` carries it and the report of what was stored before it.
    """
    writer = _Writer(store, settings, commit_every)
    ctx = _context(settings, fetch, writer.validators)
    files = list(iter_files(paths))
    rejected: list[Rejection] = []
    # Started before the progress bar's thread exists (the helper is forked).
    preparer = Preparer() if _worth_a_helper(files) else None
    try:
        with _progress(progress, len(files)) as bar:
            task = bar.add_task("ingest", total=len(files), name="") if bar else None
            for entry in files:
                items: Iterable[Item | Prepared]
                if isinstance(entry, Rejection):
                    items = [entry]
                elif preparer is not None and is_streamed(entry):
                    items = _stream_records(entry, ctx, preparer.parse)
                else:
                    items = _read_file(entry, ctx)
                for item in items:
                    if isinstance(item, Prepared):
                        writer.article(item.article, item)
                        continue
                    if isinstance(item, Article):
                        writer.article(item)
                        continue
                    writer.rejection(item)
                    rejected.append(item)
                    if strict:
                        writer.flush()
                        raise StrictStop(item, _report(writer, rejected))
                if bar is not None and task is not None:
                    bar.update(task, advance=1, name=Path(str(getattr(entry, "name", ""))).name)
        writer.flush()
    except BaseException:
        writer.abort()
        raise
    finally:
        if preparer is not None:
            preparer.close()
        fetcher = ctx.fetcher
        if fetcher is not None and hasattr(fetcher, "close"):
            fetcher.close()
    return _report(writer, rejected)


def _report(writer: _Writer, rejected: list[Rejection]) -> IngestReport:
    return IngestReport(writer.ingested, writer.duplicates, writer.near, tuple(rejected),
                        tuple(writer.undated))
