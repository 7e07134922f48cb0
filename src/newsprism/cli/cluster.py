"""CLI commands of the cluster stage."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
