"""Where the lab finds its data: one setting for every loader, metric run and training script.

The development sets (`../shared/data`, evaluation only) are never part of the package. Their folder
comes from `--data` on `newsprism eval` (which sets `NEWSPRISM_DATA`), else the environment variable,
else `../shared/data` beside the working folder, else beside the repository checkout. The demo corpus
(`data/` in the repository: seeds, MultiLing 2011) is found the same way through `NEWSPRISM_DEMO_DATA`.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DATA_ENV", "DEMO_ENV", "data_root", "demo_root", "shared"]

DATA_ENV = "NEWSPRISM_DATA"
DEMO_ENV = "NEWSPRISM_DEMO_DATA"
# a checkout keeps src/newsprism/evaluation/paths.py three levels under the repository root
_CHECKOUT = Path(__file__).resolve().parents[3]


def _first_existing(*candidates: Path) -> Path:
    return next((path for path in candidates if path.exists()), candidates[0])


def data_root() -> Path:
    """The folder of the development data sets (basil/, neus/, pages/, ratings/, ...)."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    return _first_existing(Path("../shared/data"), _CHECKOUT.parent / "shared" / "data")


def demo_root() -> Path:
    """The repository's `data/` folder (seeds and MultiLing 2011, which may ship: CC BY)."""
    if os.environ.get(DEMO_ENV):
        return Path(os.environ[DEMO_ENV])
    return _first_existing(Path("data"), _CHECKOUT / "data")


def shared(relative: str) -> Path:
    """A file or folder of the development data, e.g. `shared("ratings/mbfc_sources.json")`."""
    return data_root() / relative
