"""CLI commands of the outlets stage."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
