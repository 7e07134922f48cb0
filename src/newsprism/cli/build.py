"""CLI commands of the build stage."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
