"""Every command the CLI offers is documented in the README, and the public API is what __all__ says."""

from __future__ import annotations

from pathlib import Path

import click

from newsprism.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def _commands(group: click.Group, prefix: str = "newsprism") -> list[str]:
    names = []
    for name, command in group.commands.items():
        full = f"{prefix} {name}"
        if isinstance(command, click.Group):
            names.extend(_commands(command, full))
        else:
            names.append(full)
    return names


def test_every_command_is_documented_in_the_readme() -> None:
    missing = [name for name in _commands(main) if f"`{name}" not in README]
    assert not missing, f"undocumented commands: {missing}"


def test_every_command_has_help_text() -> None:
    for name, command in main.commands.items():
        assert command.help or command.short_help, name


def test_public_api_is_exactly_what_all_names() -> None:
    import newsprism

    for name in newsprism.__all__:
        assert getattr(newsprism, name) is not None, name
    assert sorted(newsprism.__all__) == newsprism.__all__
