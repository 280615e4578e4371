"""Figures of a reliability run, written to a small JSON file (not to pytest's output, so they are
there with or without ``-s``): commands acknowledged, kills, conflicts, durations.

The file is ``$ALUR_RELIABILITY_SUMMARY`` or ``<tmp>/alur-reliability-summary.json``; each test
adds its section under ``"<test>[<backend>]"``, and a later run of the same test replaces it.
docs/reliability.md quotes the numbers of a real run.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["record", "summary_path"]


def summary_path() -> Path:
    named = os.environ.get("ALUR_RELIABILITY_SUMMARY")
    return Path(named) if named else Path(tempfile.gettempdir()) / "alur-reliability-summary.json"


def record(section: str, figures: dict[str, Any]) -> None:
    """Merge ``figures`` into the summary file under ``section`` (best effort: a summary that
    cannot be written never fails a test)."""
    path = summary_path()
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        data[section] = figures
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
