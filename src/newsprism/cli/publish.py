"""CLI commands of the publish stage."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
