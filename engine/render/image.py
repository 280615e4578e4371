"""SVG and PNG through the Graphviz ``dot`` program: the one place alur runs Graphviz.

:func:`dot_to_image` pipes DOT text (from :mod:`.dot`) through ``dot`` with the ``graphviz``
package. When ``dot`` is not installed it raises :class:`~engine.errors.UsageError` saying so and
how to install it (DOT and Mermaid output need no program). A layout that Graphviz rejects is a
bug in the DOT renderer and surfaces as :class:`~engine.errors.AlurError` with Graphviz' message.
"""

from __future__ import annotations

import shutil
from typing import Literal

from engine.errors import AlurError, UsageError

__all__ = ["dot_available", "dot_to_image"]


def dot_available() -> bool:
    return shutil.which("dot") is not None


def _missing() -> UsageError:
    return UsageError.of("render.dot_missing")


def dot_to_image(source: str, fmt: Literal["svg", "png"]) -> bytes:
    """The image of DOT ``source``; SVG as UTF-8 bytes."""
    if not dot_available():
        raise _missing()
    import graphviz  # the Python wrapper only; loaded when an image is asked for

    try:
        data = graphviz.Source(source).pipe(format=fmt, engine="dot", quiet=True)
    except graphviz.ExecutableNotFound as exc:
        raise _missing() from exc
    except graphviz.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip() if isinstance(
            exc.stderr, bytes) else str(exc.stderr or exc)
        raise AlurError.of("render.dot_failed", detail=detail) from exc
    return bytes(data)
