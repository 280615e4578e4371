"""The command line interface (console script ``alur``; top-level ``cli.py`` re-exports it).

Each command module registers its commands on ``main`` when imported; ``main`` imports a module
only when one of its commands is asked for (see ``COMMAND_MODULES`` in :mod:`engine.cli.app`).
"""

from engine.cli.app import main

__all__ = ["main"]
