"""Progress bars for long runs, drawn on stderr so that `--json` output on stdout stays clean."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress, ProgressColumn

__all__ = ["progress_bar"]


def progress_bar(*columns: str | ProgressColumn, enabled: bool = True, transient: bool = True) -> Progress:
    """A rich progress bar on stderr; a disabled one draws nothing."""
    return Progress(*columns, console=Console(stderr=True), disable=not enabled, transient=transient)
