"""What every repository of the store shares: the store it reads and writes, and its one connection."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsprism.store import Store

__all__ = ["Repository"]


class Repository:
    """A view of one store's tables; it holds no state of its own, so the store can hand it out freely.
    Its methods join whatever transaction the caller holds open on the store's connection."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def _db(self) -> sqlite3.Connection:
        return self._store.connection
