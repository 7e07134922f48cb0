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
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsprism.errors import InputError
from newsprism.ingest._context import Item
from newsprism.ingest._prepare import DedupKeys, Preparer
from newsprism.ingest._read import _context, _read_file, _stream_records, is_streamed, iter_files
from newsprism.ingest._writer import ArticleWriter
from newsprism.progress import progress_bar
from newsprism.settings import Settings
from newsprism.store import StoreTables
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


def ingest_paths(paths: Sequence[Path], store: StoreTables, settings: Settings, *, fetch: bool = False,
                 progress: bool = True, strict: bool = False, commit_every: int = 200) -> IngestReport:
    """Reads every input, stores new articles, links duplicates and near-duplicates, records rejections.

    With `strict`, the first input rejected (refused with a reason, or unreadable) is recorded and the run
    stops there: `StrictStop` carries it and the report of what was stored before it.
    """
    writer = ArticleWriter(store, settings, commit_every)
    ctx = _context(settings, fetch, writer.validators)
    files = list(iter_files(paths))
    rejected: list[Rejection] = []
    # Started before the progress bar's thread exists (the helper is forked).
    preparer = Preparer() if _worth_a_helper(files) else None
    try:
        with _progress(progress, len(files)) as bar:
            task = bar.add_task("ingest", total=len(files), name="") if bar else None
            for entry in files:
                items: Iterable[Item | DedupKeys]
                if isinstance(entry, Rejection):
                    items = [entry]
                elif preparer is not None and is_streamed(entry):
                    items = _stream_records(entry, ctx, preparer.parse)
                else:
                    items = _read_file(entry, ctx)
                for item in items:
                    if isinstance(item, DedupKeys):
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


def _report(writer: ArticleWriter, rejected: list[Rejection]) -> IngestReport:
    return IngestReport(writer.ingested, writer.duplicates, writer.near, tuple(rejected),
                        tuple(writer.undated))
