"""Console entry point ``alur``: the commands themselves live in :mod:`engine.cli`."""

from engine.cli import main

__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover
    main()
