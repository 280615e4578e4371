"""The command line interface (console script ``alur``; top-level ``cli.py`` re-exports it).

Importing a command module registers its commands on ``main``; add new modules to the list.
"""

from engine.cli import (  # noqa: F401  (imported to register their commands on main)
    audit,
    authoring,
    cases,
    graph,
    policy,
    procedures,
    retention,
)
from engine.cli.app import main

__all__ = ["main"]
