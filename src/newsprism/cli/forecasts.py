"""CLI commands of the forecasts stage."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
