"""CLI commands of the batch stage."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
