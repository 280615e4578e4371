"""The command line interface (console script ``alur``; top-level ``cli.py`` re-exports it)."""

from engine.cli import cases, procedures  # noqa: F401  (register their commands on main)
from engine.cli.app import main

__all__ = ["main"]
